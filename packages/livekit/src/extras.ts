import { extraChecks, extrasIssues, type CallTokenIssue, type ExtraCheck, type TokenExtras } from '@calltoken/core/provider'

/** A track source, as LiveKit names them in `canPublishSources`. */
export type LiveKitTrackSource = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio'

/** An agent LiveKit dispatches to the room when this participant's join creates it. */
export interface LiveKitAgentDispatch {
  /** The agent's dispatch name (`agentName` in its server options). */
  readonly agentName?: string
  /** Passed to the agent's job. */
  readonly metadata?: string
  /** LiveKit Cloud deployment to dispatch to. */
  readonly deployment?: string
  readonly attributes?: Readonly<Record<string, string>>
}

/**
 * LiveKit's RoomConfiguration in its JSON form (what `roomConfig` holds in a token), applied when this participant's
 * join creates the room. Most used for agent dispatch: `{ agents: [{ agentName: 'support-bot' }] }`.
 */
export interface LiveKitRoomConfig {
  readonly name?: string
  /** Seconds an empty room is kept. */
  readonly emptyTimeout?: number
  /** Seconds the room is kept after the last participant leaves. */
  readonly departureTimeout?: number
  readonly maxParticipants?: number
  readonly metadata?: string
  readonly minPlayoutDelay?: number
  readonly maxPlayoutDelay?: number
  readonly syncStreams?: boolean
  readonly agents?: readonly LiveKitAgentDispatch[]
  readonly tags?: Readonly<Record<string, string>>
}

/** LiveKit's token options, passed as `extras`. */
export interface LiveKitExtras {
  /** The participant's display name (`name`). */
  readonly name?: string
  /** Participant metadata (`metadata`), any text (often JSON), visible to the room. */
  readonly metadata?: string
  /** Participant attributes (`attributes`): string keys and values, visible to the room. */
  readonly attributes?: Readonly<Record<string, string>>
  /** Room configuration (`roomConfig`), e.g. agent dispatch; see LiveKitRoomConfig. */
  readonly roomConfig?: LiveKitRoomConfig
  /** The only sources this participant may publish (`video.canPublishSources`); a role that cannot publish still cannot. */
  readonly canPublishSources?: readonly LiveKitTrackSource[]
  /** Hidden from the other participants (`video.hidden`), e.g. a recorder or an observer. */
  readonly hidden?: boolean
}

export const LIVEKIT_EXTRAS = ['name', 'metadata', 'attributes', 'roomConfig', 'canPublishSources', 'hidden'] as const

const TRACK_SOURCES: readonly LiveKitTrackSource[] = ['camera', 'microphone', 'screen_share', 'screen_share_audio']

/** A whole number 0..2³²−1: RoomConfiguration's counts and durations are uint32. */
const uint32: ExtraCheck = (value, path) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff_ffff ? undefined : `${path} must be a whole number from 0 to 4294967295`

const text = extraChecks.string()
const CHECKS: Readonly<Record<(typeof LIVEKIT_EXTRAS)[number], ExtraCheck>> = {
  name: text,
  metadata: text,
  attributes: extraChecks.stringRecord(),
  roomConfig: extraChecks.object({
    name: text,
    emptyTimeout: uint32,
    departureTimeout: uint32,
    maxParticipants: uint32,
    metadata: text,
    minPlayoutDelay: uint32,
    maxPlayoutDelay: uint32,
    syncStreams: extraChecks.boolean(),
    agents: extraChecks.list(extraChecks.object({ agentName: text, metadata: text, deployment: text, attributes: extraChecks.stringRecord() })),
    tags: extraChecks.stringRecord(),
  }),
  canPublishSources: extraChecks.listOf(TRACK_SOURCES),
  hidden: extraChecks.boolean(),
}

export function liveKitExtrasIssues(extras: TokenExtras | undefined): CallTokenIssue[] {
  return extrasIssues(extras, CHECKS)
}
