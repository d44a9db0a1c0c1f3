export { daily, type DailyConnect, type DailyOptions, type DailyProvider, type DailyTypes } from './daily'
export type { DailyRole } from './roles'
export type { DailyExtras } from './extras'
