import { extraChecks, extrasIssues, type CallTokenIssue, type ExtraCheck, type TokenExtras } from '@calltoken/core/provider'

/** The data-center regions a Video SDK session may use (`geo_regions`), as Zoom's auth-endpoint sample lists them. */
export type ZoomGeoRegion = 'AU' | 'BR' | 'CA' | 'CN' | 'DE' | 'HK' | 'IN' | 'JP' | 'MX' | 'NL' | 'SG' | 'US'

/**
 * Every region `extras.geoRegions` may name.
 *
 * @example
 * const regions = ZOOM_GEO_REGIONS.filter((region) => region !== 'CN') // all but mainland China
 */
export const ZOOM_GEO_REGIONS: readonly ZoomGeoRegion[] = ['AU', 'BR', 'CA', 'CN', 'DE', 'HK', 'IN', 'JP', 'MX', 'NL', 'SG', 'US']

/** Zoom Video SDK token options, passed as `extras`. */
export interface ZoomExtras {
  /** `session_key`: your own identifier for the session (at most 36 characters), seen in Zoom's APIs and webhooks. */
  readonly sessionKey?: string
  /** `geo_regions`: the regions the session's data may go through, e.g. `['US', 'DE']`. */
  readonly geoRegions?: readonly ZoomGeoRegion[]
  /**
   * Cloud recording of individual user videos, as Zoom's JWT fields: `option` is `cloud_recording_option` (1 on the
   * host's token records each user's video as a file of its own, once Zoom enabled it for the account) and
   * `election` is `cloud_recording_election` (1: this user's video is recorded as such a file).
   */
  readonly cloudRecording?: { readonly option?: 0 | 1; readonly election?: 0 | 1 }
}

export const ZOOM_EXTRAS = ['sessionKey', 'geoRegions', 'cloudRecording'] as const

/** At most 36 characters: the sample's and the docs' limit for `session_key`. */
const sessionKey: ExtraCheck = (value, path) =>
  typeof value === 'string' && value.length > 36 ? `${path} must be at most 36 characters` : extraChecks.string()(value, path)

const zeroOrOne = extraChecks.oneOf([0, 1])
const CHECKS: Readonly<Record<(typeof ZOOM_EXTRAS)[number], ExtraCheck>> = {
  sessionKey,
  geoRegions: extraChecks.listOf(ZOOM_GEO_REGIONS),
  cloudRecording: extraChecks.object({ option: zeroOrOne, election: zeroOrOne }),
}

export function zoomExtrasIssues(extras: TokenExtras | undefined): CallTokenIssue[] {
  return extrasIssues(extras, CHECKS)
}

/** The extras as the sample's claims, in its order (after `user_key`). */
export function zoomExtrasClaims(extras: ZoomExtras | undefined): Record<string, unknown> {
  if (extras === undefined) return {}
  const claims: Record<string, unknown> = {}
  if (extras.sessionKey !== undefined) claims.session_key = extras.sessionKey
  if (extras.geoRegions !== undefined) claims.geo_regions = extras.geoRegions.join(',')
  if (extras.cloudRecording?.option !== undefined) claims.cloud_recording_option = extras.cloudRecording.option
  if (extras.cloudRecording?.election !== undefined) claims.cloud_recording_election = extras.cloudRecording.election
  return claims
}
