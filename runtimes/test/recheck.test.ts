import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { BIN, SCRIPT } from './binaries'
import { type Minted, runMatrix } from './matrix'
import { RECHECK } from './recheck'

// The Node-side re-check is only worth something if it refuses what it should: tokens minted once here (host node),
// then altered, must each fail it.
let minted: Minted[]
beforeAll(async () => {
  const output = await runMatrix(BIN.hostNode, [SCRIPT.run], fileURLToPath(new URL('..', import.meta.url)))
  minted = output.results.filter((r): r is Minted => 'verified' in r)
  expect(minted).toHaveLength(12)
})

/** The token with one character of its signature (or, for Agora, of its body) changed. */
function tamper(token: string): string {
  const at = token.startsWith('007') ? 20 : token.length - 5
  const swap = token[at] === 'A' ? 'B' : 'A'
  return token.slice(0, at) + swap + token.slice(at + 1)
}

describe('the Node-side re-check (jose, agora-token, the official SDKs) is not vacuous', () => {
  for (const provider of ['stream', 'agora', 'twilio', 'livekit', 'zoom', 'daily']) {
    for (const kind of ['user', 'call']) {
      it(`accepts the ${provider} ${kind} token as minted, and refuses it altered, with another expiry or connect, or another provider's token`, async () => {
        const result = minted.find((r) => r.provider === provider && r.kind === kind)!
        const recheck = RECHECK[provider]!
        await recheck(result)
        await expect(async () => recheck({ ...result, token: tamper(result.token) })).rejects.toThrow()
        await expect(async () => recheck({ ...result, expiresAt: result.expiresAt + 1 })).rejects.toThrow()
        await expect(async () => recheck({ ...result, connect: { ...(result.connect as object), extra: 1 } })).rejects.toThrow()
        // Another provider's token (minted by the same runtime) where this one's is expected.
        const other = minted.find((r) => r.provider !== provider && r.kind === kind)!
        await expect(async () => recheck({ ...result, token: other.token })).rejects.toThrow()
      })
    }
  }
})
