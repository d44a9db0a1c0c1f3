/**
 * A fixed clock: 2026-11-24T12:00:00.250Z, deliberately not on a whole second.
 *
 * @example
 * const issued = await createCallToken(input, { provider, now: () => FIXED_NOW_MS })
 */
export const FIXED_NOW_MS = Date.UTC(2026, 10, 24, 12, 0, 0, 250)
/**
 * The fixed clock in whole seconds, as tokens carry it.
 *
 * @example
 * expect(decoded.expiresAt).toBe(FIXED_NOW_S + 3600)
 */
export const FIXED_NOW_S = Math.floor(FIXED_NOW_MS / 1000)
/**
 * A clock for `now` options that always says `ms` (default FIXED_NOW_MS).
 *
 * @example
 * provider.verify(token, { now: fixedClock(FIXED_NOW_MS + 3_600_000) }) // an hour later: ERR_CALLTOKEN_TOKEN_EXPIRED
 */
export const fixedClock = (ms: number = FIXED_NOW_MS) => () => ms
