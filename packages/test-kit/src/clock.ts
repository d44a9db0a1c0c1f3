/** A fixed clock: 2026-11-24T12:00:00.250Z, deliberately not on a whole second. */
export const FIXED_NOW_MS = Date.UTC(2026, 10, 24, 12, 0, 0, 250)
export const FIXED_NOW_S = Math.floor(FIXED_NOW_MS / 1000)
export const fixedClock = (ms: number = FIXED_NOW_MS) => () => ms
