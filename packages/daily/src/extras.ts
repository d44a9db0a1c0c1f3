import { extraChecks, extrasIssues, type CallTokenIssue, type ExtraCheck, type TokenExtras } from '@calltoken/core/provider'

/** Daily meeting-token options, passed as `extras`; each is a property of Daily's meeting tokens, by its abbreviation. */
export interface DailyExtras {
  /** `u` (user_name): the name shown in the call. */
  readonly userName?: string
  /** `ejt` (eject_at_token_exp): the participant is removed from the call when the token expires. */
  readonly ejectAtExpiry?: boolean
  /** `eje` (eject_after_elapsed): the participant is removed this many seconds after joining. */
  readonly ejectAfterSeconds?: number
}

export const DAILY_EXTRAS = ['userName', 'ejectAtExpiry', 'ejectAfterSeconds'] as const

const positiveSeconds: ExtraCheck = (value, path) =>
  Number.isInteger(value) && (value as number) > 0 ? undefined : `${path} must be a whole, positive number of seconds`

const CHECKS: Readonly<Record<(typeof DAILY_EXTRAS)[number], ExtraCheck>> = {
  userName: extraChecks.string(),
  ejectAtExpiry: extraChecks.boolean(),
  ejectAfterSeconds: positiveSeconds,
}

export function dailyExtrasIssues(extras: TokenExtras | undefined): CallTokenIssue[] {
  return extrasIssues(extras, CHECKS)
}
