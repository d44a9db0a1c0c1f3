export { zoom, type ZoomConnect, type ZoomOptions, type ZoomProvider, type ZoomTypes } from './zoom'
export type { ZoomRole } from './roles'
export { ZOOM_GEO_REGIONS, type ZoomExtras, type ZoomGeoRegion } from './extras'
