import { agora, type AgoraRtcAccountConnect, type AgoraRtcUidConnect, type AgoraRtmConnect } from '@calltoken/agora'
import { createCallToken, createUserToken } from '@calltoken/core'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { APP_CERTIFICATE, APP_ID } from './fixtures'

describe('Agora result types', () => {
  it("a call token is RTC: channelName and account by default, uid with userIdAs: 'uid'", async () => {
    const byAccount = await createCallToken({ userId: 'alice', callId: 'standup' }, { provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE }) })
    expectTypeOf(byAccount.connect).toEqualTypeOf<AgoraRtcAccountConnect>()
    expect(byAccount.connect).toEqual({ service: 'rtc', appId: APP_ID, channelName: 'standup', account: 'alice' })
    const byUid = await createCallToken({ userId: '42', callId: 'standup' }, { provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE, userIdAs: 'uid' }) })
    expectTypeOf(byUid.connect).toEqualTypeOf<AgoraRtcUidConnect>()
    expect(byUid.connect.uid).toBe(42)
  })

  it('a user token without a call is an RTM login; with one, RTC', async () => {
    const provider = agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE })
    const login = await createUserToken({ userId: 'alice' }, { provider })
    expectTypeOf(login.connect).toEqualTypeOf<AgoraRtmConnect>()
    expect(login.connect.service).toBe('rtm')
    const inCall = await createUserToken({ userId: 'alice', callId: 'standup' }, { provider })
    expectTypeOf(inCall.connect).toEqualTypeOf<AgoraRtcAccountConnect>()
    expect(inCall.connect.channelName).toBe('standup')
  })
})
