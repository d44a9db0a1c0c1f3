import { createCallToken } from '@calltoken/core'
import { describe, expect, it } from 'vitest'
import type { ContractContext } from './http-contract'

/** What a token says apart from its signature: the provider's own claims. */
const claimsOf = (context: ContractContext, token: unknown) => context.provider.decode(token as string).claims

/** Extras and callIds: what a client may send only when the app allows it, and what a refresh renews. */
export function describeClientInput(context: ContractContext): void {
  const { provider, userId, callId, extras, open, headerAuth, asUser, body, expectError, makeClient } = context
  const now = () => Date.UTC(2030, 0, 1)
  const someExtra = extras ? Object.keys(extras)[0]! : 'name'

  describe('extras and callIds from clients', () => {
    it('refuses extras a client sends unless clientExtras names them (422, the field in the path)', async () => {
      const client = await open({ allowAnonymous: true })
      const response = await client.post('/api/tokens/call', { body: { userId, callId, extras: { [someExtra]: extras?.[someExtra] ?? 'x' } } })
      expectError(response, 422, 'ERR_CALLTOKEN_INVALID_INPUT')
      expect(body(response).issues).toEqual([{ path: `extras.${someExtra}`, message: `extras.${someExtra} is set by the server; a client may not send it` }])
    })

    it('refuses at start-up a clientExtras name the provider does not have', async () => {
      await expect(makeClient({ provider, allowAnonymous: true, clientExtras: ['notAnExtra'] }, '/api')).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
    })

    if (extras) {
      it('mints with the extras clientExtras allows: the token the direct call gives, and not the one without them', async () => {
        const client = await open({ allowAnonymous: true, clientExtras: Object.keys(extras), now })
        const data = body(await client.post('/api/tokens/call', { body: { userId, callId, extras } })).data!
        const direct = await createCallToken({ userId, callId, extras }, { provider, now })
        const plain = await createCallToken({ userId, callId }, { provider, now })
        expect(claimsOf(context, data.token)).toEqual(claimsOf(context, direct.token))
        expect(claimsOf(context, data.token)).not.toEqual(claimsOf(context, plain.token))
        // A wrong value is the adapter's 422, not a token.
        const wrong = await client.post('/api/tokens/call', { body: { userId, callId, extras: { [someExtra]: { not: 'valid' } } } })
        expectError(wrong, 422, 'ERR_CALLTOKEN_INVALID_INPUT')
      })

      it("authorize sets extras the client may not (field by field), and a refresh renews exactly those extras", async () => {
        const client = await open({ authenticate: headerAuth, now, authorize: () => ({ allow: true, extras }) })
        const headers = asUser(userId)
        const first = body(await client.post('/api/tokens/call', { body: { callId }, headers })).data!
        const direct = await createCallToken({ userId, callId, extras }, { provider, now })
        expect(claimsOf(context, first.token)).toEqual(claimsOf(context, direct.token))
        const renewed = body(await client.post('/api/tokens/refresh', { body: { refreshToken: first.refreshToken }, headers })).data!
        expect(claimsOf(context, renewed.token)).toEqual(claimsOf(context, first.token))
      })
    }

    if (provider.limits.maxCallsPerToken > 1) {
      it('callIds only with clientCallIds: then a token for every call, authorize sees them all, and a refresh renews the same calls', async () => {
        const calls = [callId, `${callId}-2`, `${callId}-3`]
        const refused = await (await open({ allowAnonymous: true })).post('/api/tokens/call', { body: { userId, callIds: calls } })
        expectError(refused, 422, 'ERR_CALLTOKEN_INVALID_INPUT')
        expect(body(refused).issues).toEqual([{ path: 'callIds', message: 'callIds is not accepted by this route: ask for one callId' }])

        const seen: unknown[] = []
        const client = await open({ authenticate: headerAuth, now, clientCallIds: true, authorize: ({ input }) => (seen.push(input.callIds), true) })
        const headers = asUser(userId)
        const first = body(await client.post('/api/tokens/call', { body: { callIds: calls }, headers })).data!
        expect(first).toMatchObject({ callId, callIds: calls })
        const direct = await createCallToken({ userId, callIds: calls }, { provider, now })
        expect(claimsOf(context, first.token)).toEqual(claimsOf(context, direct.token))
        const renewed = body(await client.post('/api/tokens/refresh', { body: { refreshToken: first.refreshToken }, headers })).data!
        expect(renewed).toMatchObject({ callId, callIds: calls })
        expect(claimsOf(context, renewed.token)).toEqual(claimsOf(context, first.token))
        expect(seen).toEqual([calls, calls])
      })
    } else {
      it('a provider with one call per token: callIds refused (422), clientCallIds refused at start-up', async () => {
        const refused = await (await open({ allowAnonymous: true })).post('/api/tokens/call', { body: { userId, callIds: [callId] } })
        expectError(refused, 422, 'ERR_CALLTOKEN_INVALID_INPUT')
        await expect(makeClient({ provider, allowAnonymous: true, clientCallIds: true }, '/api')).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
      })
    }
  })
}
