export { livekit, type LiveKitConnect, type LiveKitOptions, type LiveKitProvider, type LiveKitRoomConnect, type LiveKitTypes } from './livekit'
export { LIVEKIT_ROLES, type LiveKitRole, type LiveKitVideoGrant } from './grants'
export type { LiveKitAgentDispatch, LiveKitExtras, LiveKitRoomConfig, LiveKitTrackSource } from './extras'
export { liveKitTokenEndpoint, type LiveKitEndpointAnswer, type LiveKitEndpointField, type LiveKitEndpointOptions } from './endpoint'
