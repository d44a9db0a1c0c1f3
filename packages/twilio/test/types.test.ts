import { createCallToken, createUserToken } from '@calltoken/core'
import { twilio, type TwilioConnect, type TwilioRoomConnect } from '@calltoken/twilio'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { credentials } from './fixtures'

const provider = twilio(credentials)

describe('Twilio result types', () => {
  it('a call token: role and connect.roomName are strings; no callType', async () => {
    const issued = await createCallToken({ userId: 'alice', callId: 'apt-47', role: 'moderator' }, { provider })
    expectTypeOf(issued.role).toEqualTypeOf<string>()
    expectTypeOf(issued.callType).toEqualTypeOf<undefined>()
    expectTypeOf(issued.connect).toEqualTypeOf<TwilioRoomConnect>()
    expect(issued.connect).toEqual({ identity: 'alice', roomName: 'apt-47' })
    expect(issued.role).toBe('moderator')
  })

  it('a user token for any room has no roomName', async () => {
    const issued = await createUserToken({ userId: 'alice' }, { provider })
    expectTypeOf(issued.connect).toEqualTypeOf<TwilioConnect>()
    expect(issued.connect).toEqual({ identity: 'alice' })
  })
})
