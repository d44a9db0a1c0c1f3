import { createCallToken, createUserToken } from '@calltoken/core'
import { stream, type StreamCallConnect, type StreamConnect } from '@calltoken/stream'
import { describe, expect, expectTypeOf, it } from 'vitest'

const provider = stream({ apiKey: 'typeskey', apiSecret: 'd8f2k4m6p9r1t3v5x7z0b2c4e6g8i0k2m4o6q8s0u2w4y6a8c0e2g4i6k8m0o2q4' })

describe('Stream result types', () => {
  it('a call token: callType, callId, role and connect.callCid are all strings', async () => {
    const issued = await createCallToken({ userId: 'alice', callId: 'standup' }, { provider })
    expectTypeOf(issued.callType).toEqualTypeOf<string>()
    expectTypeOf(issued.callId).toEqualTypeOf<string>()
    expectTypeOf(issued.role).toEqualTypeOf<string>()
    expectTypeOf(issued.connect).toEqualTypeOf<StreamCallConnect>()
    expect(issued.connect.callCid).toBe(`${issued.callType}:${issued.callId}`)
  })

  it('a user token: connect.callCid only with a call', async () => {
    const plain = await createUserToken({ userId: 'alice' }, { provider })
    expectTypeOf(plain.connect).toEqualTypeOf<StreamConnect>()
    expect(plain.connect).toEqual({ apiKey: 'typeskey', userId: 'alice' })
    const inCall = await createUserToken({ userId: 'alice', callId: 'standup' }, { provider })
    expectTypeOf(inCall.connect.callCid).toEqualTypeOf<string>()
    expect(inCall.connect.callCid).toBe('default:standup')
  })

  it('a token for several calls: callIds in, callIds and connect.callCids out; Stream takes no extras', async () => {
    const issued = await createCallToken({ userId: 'alice', callIds: ['a', 'b'] }, { provider })
    expectTypeOf(issued.callIds).toEqualTypeOf<readonly string[] | undefined>()
    expectTypeOf(issued.connect.callCids).toEqualTypeOf<readonly string[] | undefined>()
    expect(issued.connect.callCids).toEqual(['default:a', 'default:b'])
    // @ts-expect-error callId and callIds together
    await expect(createCallToken({ userId: 'alice', callId: 'a', callIds: ['b'] }, { provider })).rejects.toThrow()
    // @ts-expect-error Stream has no extras
    await expect(createCallToken({ userId: 'alice', callId: 'a', extras: { name: 'x' } }, { provider })).rejects.toThrow('extras is not supported by stream')
  })
})
