import { stream, type StreamOptions } from '@calltoken/stream'
import { runProviderConformance, type OracleReading } from '@calltoken/test-kit'
import jsonwebtoken from 'jsonwebtoken'

const apiKey = 'conformancekey'
const apiSecret = '5s22i55e5yj9fuj5c4wxmf34kpt7v188m11xl97xduv4q706elthhf2n8123eepv'

/** Read with jsonwebtoken, the library @stream-io/node-sdk signs Stream tokens with, by Stream's claim names. */
function readAsStream(token: string): OracleReading {
  const claims = jsonwebtoken.verify(token, apiSecret, { algorithms: ['HS256'], ignoreExpiration: true }) as Record<string, unknown>
  const [cid] = (claims.call_cids as string[] | undefined) ?? []
  const [callType, callId] = cid === undefined ? [] : [cid.slice(0, cid.indexOf(':')), cid.slice(cid.indexOf(':') + 1)]
  return {
    userId: claims.user_id as string,
    ...(callId === undefined ? {} : { callId, callType }),
    ...(typeof claims.role === 'string' ? { providerRole: claims.role } : {}),
    issuedAt: claims.iat as number,
    expiresAt: claims.exp as number,
  }
}

runProviderConformance({
  provider: stream({ apiKey, apiSecret }),
  otherProvider: stream({ apiKey, apiSecret: '1cuov9kv3vx55ynsa6svpffifg7x96zhtg6ggywp9vrpsj0lvhucht7d8jm8t605' }),
  secrets: [apiSecret],
  oracle: readAsStream,
  adapter: { create: (options) => stream(options as StreamOptions), options: { apiKey, apiSecret }, secretOption: 'apiSecret' },
  invalidUserIds: ['auth0|123', 'al ice', 'ünïcode', 'a'.repeat(256)],
  invalidCallIds: ['default:abc', 'with space', 'a/b'],
  rolesInToken: true,
  deterministic: true,
})
