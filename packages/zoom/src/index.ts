export { zoom, type ZoomConnect, type ZoomOptions, type ZoomProvider, type ZoomTypes } from './zoom'
export type { ZoomRole } from './roles'
