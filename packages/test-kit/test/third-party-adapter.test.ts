import jsonwebtoken from 'jsonwebtoken'
import { runProviderConformance, type OracleReading } from '../src/index'
import { acme, type AcmeOptions } from './fixtures/acme'

// An adapter written from docs/writing-an-adapter.md alone (the guide shows this file), tested the way the guide says:
// its claims are read back by a JWT library of its own, not by the adapter's decoder.
const apiKey = 'acme-key-1'
const apiSecret = 'q8k2m5w9x1c4v7b0n3z6l9j2h5g8f1d4s7a0p3o6i9u2y5t8'

function readWithJsonwebtoken(token: string): OracleReading {
  const claims = jsonwebtoken.verify(token, apiSecret, { algorithms: ['HS256'], ignoreExpiration: true }) as Record<string, unknown>
  return {
    userId: claims.sub as string,
    ...(typeof claims.room === 'string' ? { callId: claims.room } : {}),
    ...(typeof claims.role === 'string' ? { providerRole: claims.role } : {}),
    issuedAt: claims.iat as number,
    expiresAt: claims.exp as number,
  }
}

runProviderConformance({
  provider: acme({ apiKey, apiSecret }),
  otherProvider: acme({ apiKey, apiSecret: 'r9l3n6x0y2d5w8c1v4b7m0k3j6h9g2f5s8a1p4o7i0u3y6t9' }),
  secrets: [apiSecret],
  oracle: readWithJsonwebtoken,
  adapter: { create: (options) => acme(options as AcmeOptions), options: { apiKey, apiSecret }, secretOption: 'apiSecret' },
  invalidUserIds: ['with space', 'a'.repeat(65), 'ünïcode'],
  invalidCallIds: ['UPPER', 'a/b'],
  rolesInToken: true,
  deterministic: true,
})
