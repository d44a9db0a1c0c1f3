import { createRequire } from 'node:module'
import { StreamClient } from '@stream-io/node-sdk'
import { jwtVerify } from 'jose'
import jsrsasign from 'jsrsasign'
import { AccessToken as LiveKitAccessToken, TokenVerifier } from 'livekit-server-sdk'
import AccessToken from 'twilio/lib/jwt/AccessToken'
import { expect, vi } from 'vitest'
import { CALL_ID, CREDENTIALS, ROLE, USER_ID } from '../src/credentials.mjs'
import type { AgoraToken, Minted } from './matrix'

// agora-token is CommonJS whose root exports Node's ESM loader cannot see, so it is required (as packages/agora's oracle).
const require = createRequire(import.meta.url)
const { RtcRole, RtcTokenBuilder, RtmTokenBuilder } = require('agora-token') as {
  RtcRole: { PUBLISHER: number }
  RtcTokenBuilder: { buildTokenWithUserAccount(...args: [string, string, string, string, number, number, number]): string }
  RtmTokenBuilder: { buildToken(appId: string, appCertificate: string, userId: string, expire: number): string }
}
const { AccessToken2 } = require('agora-token/src/AccessToken2') as { AccessToken2: new (appId: string, cert: string, issueTs: number, expire: number) => AgoraToken }

/** What the re-check reads of a token: from the matrix, or from any server that minted it with these credentials. */
export type Recheckable = Pick<Minted, 'kind' | 'token' | 'expiresAt' | 'connect'>

const secret = (text: string) => new TextEncoder().encode(text)
const WRONG = secret('not-the-secret-0123456789abcdef')

/** Runs `mint` with Date.now() at `seconds` (and Math.random pinned when `random` is given), as the official SDKs read both. */
function at<T>(seconds: number, mint: () => T, random?: number): T {
  vi.useFakeTimers({ toFake: ['Date'], now: seconds * 1000 })
  if (random !== undefined) vi.spyOn(Math, 'random').mockReturnValue(random)
  try {
    return mint()
  } finally {
    vi.useRealTimers()
    vi.restoreAllMocks()
  }
}

/**
 * Stream: jose verifies the HS256 signature with the API secret (and refuses another secret); the official
 * @stream-io/node-sdk, given the same iat and exp, mints the very same token, byte for byte.
 */
export async function recheckStream(result: Recheckable): Promise<void> {
  const { apiKey, apiSecret } = CREDENTIALS.stream
  const { payload, protectedHeader } = await jwtVerify(result.token, secret(apiSecret), { algorithms: ['HS256'] })
  expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' })
  await expect(jwtVerify(result.token, WRONG, { algorithms: ['HS256'] })).rejects.toThrow('signature verification failed')
  expect(payload.exp).toBe(result.expiresAt)
  const iat = payload.iat!
  const sdk = new StreamClient(apiKey, apiSecret)
  if (result.kind === 'user') {
    expect(payload).toEqual({ user_id: USER_ID, iat, exp: result.expiresAt })
    expect(result.token).toBe(sdk.generateUserToken({ user_id: USER_ID, iat, exp: result.expiresAt }))
    expect(result.connect).toEqual({ apiKey, userId: USER_ID })
  } else {
    expect(payload).toEqual({ user_id: USER_ID, call_cids: [`default:${CALL_ID}`], role: ROLE, iat, exp: result.expiresAt })
    expect(result.token).toBe(sdk.generateCallToken({ user_id: USER_ID, call_cids: [`default:${CALL_ID}`], role: ROLE, iat, exp: result.expiresAt }))
    expect(result.connect).toEqual({ apiKey, userId: USER_ID, callCid: `default:${CALL_ID}` })
  }
}

/**
 * Twilio: jose verifies the signature with the API key secret, the key SID as issuer and the account as subject;
 * twilio-node's AccessToken + VideoGrant, at the token's iat with ttl = exp − iat, mints the very same token.
 */
export async function recheckTwilio(result: Recheckable): Promise<void> {
  const { accountSid, apiKeySid, apiKeySecret } = CREDENTIALS.twilio
  const { payload, protectedHeader } = await jwtVerify(result.token, secret(apiKeySecret), {
    algorithms: ['HS256'],
    issuer: apiKeySid,
    subject: accountSid,
  })
  expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' })
  await expect(jwtVerify(result.token, WRONG, { algorithms: ['HS256'] })).rejects.toThrow('signature verification failed')
  expect(payload.exp).toBe(result.expiresAt)
  const iat = payload.iat!
  const room = result.kind === 'call' ? CALL_ID : undefined
  expect(payload.grants).toEqual({ identity: USER_ID, video: room === undefined ? {} : { room } })
  const theirs = at(iat, () => {
    const token = new AccessToken(accountSid, apiKeySid, apiKeySecret, { identity: USER_ID, ttl: result.expiresAt - iat })
    token.addGrant(new AccessToken.VideoGrant(room === undefined ? {} : { room }))
    return token.toJwt()
  })
  expect(result.token).toBe(theirs)
  expect(result.connect).toEqual(room === undefined ? { identity: USER_ID } : { identity: USER_ID, roomName: room })
}

/** What agora-token's own parser reads from a token; verifySignature is checked separately. */
function agoraView(token: string) {
  const parsed = new AccessToken2('', '', 0, 0)
  expect(parsed.from_string(token), 'agora-token cannot parse it').toBe(true)
  return {
    parsed,
    view: {
      appId: String(parsed.appId),
      issueTs: parsed.issueTs,
      expire: parsed.expire,
      rtc: parsed.getServices(1).map((s) => ({ channel: String(s.__channel_name), uid: String(s.__uid), privileges: { ...s.__privileges } })),
      rtm: parsed.getServices(2).map((s) => ({ userId: String(s.__user_id), privileges: { ...s.__privileges } })),
    },
  }
}

/**
 * Agora: agora-token's AccessToken2 parser reads the token and its verifySignature accepts it with the App
 * Certificate (and refuses another); agora-token's own builder (RtcTokenBuilder for a call, RtmTokenBuilder for a
 * login), at the token's issue time and with its salt, builds a token that parses to exactly the same content.
 * (Not compared byte for byte: the bytes also depend on the runtime's deflate, which no client reads.)
 */
export function recheckAgora(result: Recheckable): void {
  const { appId, appCertificate } = CREDENTIALS.agora
  const { parsed, view } = agoraView(result.token)
  expect(parsed.verifySignature(appCertificate)).toBe(true)
  expect(parsed.verifySignature('0123456789abcdef0123456789abcdef')).toBe(false)
  expect(view.issueTs + view.expire).toBe(result.expiresAt)
  // salt = floor(random × 99999999) + 1 in agora-token: pin random so it picks this token's salt.
  const random = (parsed.salt - 0.5) / 99_999_999
  const theirs = at(
    view.issueTs,
    () =>
      result.kind === 'call'
        ? RtcTokenBuilder.buildTokenWithUserAccount(appId, appCertificate, CALL_ID, USER_ID, RtcRole.PUBLISHER, view.expire, view.expire)
        : RtmTokenBuilder.buildToken(appId, appCertificate, USER_ID, view.expire),
    random,
  )
  const official = agoraView(theirs)
  expect(official.parsed.salt).toBe(parsed.salt)
  expect(view).toEqual(official.view)
  if (result.kind === 'call') {
    expect(view).toMatchObject({ appId, rtc: [{ channel: CALL_ID, uid: USER_ID, privileges: { 1: view.expire, 2: view.expire, 3: view.expire, 4: view.expire } }], rtm: [] })
    expect(result.connect).toEqual({ service: 'rtc', appId, channelName: CALL_ID, account: USER_ID })
  } else {
    expect(view).toMatchObject({ appId, rtc: [], rtm: [{ userId: USER_ID, privileges: { 1: view.expire } }] })
    expect(result.connect).toEqual({ service: 'rtm', appId, userId: USER_ID })
  }
}

/**
 * LiveKit: livekit-server-sdk's TokenVerifier accepts the token (signature, issuer, exp) and refuses another secret;
 * the SDK's AccessToken + addGrant, at the token's nbf with ttl = exp − nbf, mints the very same token.
 */
export async function recheckLiveKit(result: Recheckable): Promise<void> {
  const { apiKey, apiSecret } = CREDENTIALS.livekit
  const claims = (await new TokenVerifier(apiKey, apiSecret).verify(result.token, 1e10)) as Record<string, unknown> & { nbf: number; exp: number }
  await expect(new TokenVerifier(apiKey, 'not-the-secret-0123456789abcdef-0123').verify(result.token, 1e10)).rejects.toThrow()
  expect(claims.exp).toBe(result.expiresAt)
  expect(claims).not.toHaveProperty('iat')
  const permissions = { roomAdmin: false, canPublish: true, canSubscribe: true, canPublishData: true }
  const grant =
    result.kind === 'call'
      ? { roomJoin: true, room: CALL_ID, ...permissions, canUpdateOwnMetadata: true }
      : { roomJoin: false, roomAdmin: false, canPublish: false, canSubscribe: false, canPublishData: false, canUpdateOwnMetadata: false }
  expect(claims).toEqual({ video: grant, iss: apiKey, exp: result.expiresAt, nbf: claims.nbf, sub: USER_ID })
  const theirs = await at(claims.nbf, () => {
    const token = new LiveKitAccessToken(apiKey, apiSecret, { identity: USER_ID, ttl: result.expiresAt - claims.nbf })
    token.addGrant(grant)
    return token.toJwt()
  })
  expect(result.token).toBe(theirs)
  expect(result.connect).toEqual(result.kind === 'call' ? { identity: USER_ID, roomName: CALL_ID } : { identity: USER_ID })
}

/**
 * Zoom: jsrsasign (what Zoom's auth-endpoint sample signs with) verifies the token with the SDK secret and refuses
 * another; the sample's construction (with user_key), at the token's iat, signs the very same token.
 */
export function recheckZoom(result: Recheckable): void {
  const { sdkKey, sdkSecret } = CREDENTIALS.zoom
  const { KJUR, b64utoutf8 } = jsrsasign
  expect(KJUR.jws.JWS.verify(result.token, { utf8: sdkSecret }, ['HS256'])).toBe(true)
  expect(KJUR.jws.JWS.verify(result.token, { utf8: 'not-the-secret-0123456789' }, ['HS256'])).toBe(false)
  const claims = JSON.parse(b64utoutf8(result.token.split('.')[1]!)) as Record<string, unknown> & { iat: number }
  expect(claims.exp).toBe(result.expiresAt)
  // The sample's payload, in its order, with user_key where it writes user_identity; the moderator is a participant.
  const sample = { app_key: sdkKey, role_type: 0, tpc: CALL_ID, version: 1, iat: claims.iat, exp: result.expiresAt, user_key: USER_ID }
  expect(claims).toEqual(sample)
  expect(result.token).toBe(KJUR.jws.JWS.sign('HS256', JSON.stringify({ alg: 'HS256', typ: 'JWT' }), JSON.stringify(sample), { utf8: sdkSecret }))
  expect(result.connect).toEqual({ sessionName: CALL_ID, userKey: USER_ID })
}

/** Daily: jose verifies the self-signed token with the API key and refuses another; every claim is Daily's, with r and exp set. */
export async function recheckDaily(result: Recheckable): Promise<void> {
  const { apiKey, domainId } = CREDENTIALS.daily
  const { payload, protectedHeader } = await jwtVerify(result.token, secret(apiKey), { algorithms: ['HS256'] })
  expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' })
  await expect(jwtVerify(result.token, WRONG, { algorithms: ['HS256'] })).rejects.toThrow('signature verification failed')
  expect(payload).toEqual({ r: CALL_ID, d: domainId, ud: USER_ID, iat: payload.iat, nbf: payload.iat, exp: result.expiresAt })
  expect(result.connect).toEqual({ roomName: CALL_ID, userId: USER_ID })
}

export const RECHECK: Record<string, (result: Recheckable) => void | Promise<void>> = {
  stream: recheckStream,
  agora: recheckAgora,
  twilio: recheckTwilio,
  livekit: recheckLiveKit,
  zoom: recheckZoom,
  daily: recheckDaily,
}
