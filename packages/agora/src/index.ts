export { agora, type AgoraOptions, type AgoraProvider } from './agora'
export type {
  AgoraConnect,
  AgoraRtcAccountConnect,
  AgoraRtcConnect,
  AgoraRtcUidConnect,
  AgoraRtmConnect,
  AgoraTypes,
  UserIdAs,
} from './identity'
export type { AgoraRole } from './privileges'
export type { AgoraRoleMap } from './roles'
