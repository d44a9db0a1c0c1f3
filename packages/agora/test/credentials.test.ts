import { agora, type AgoraOptions } from '@calltoken/agora'
import { createCallToken } from '@calltoken/core'
import { errorText, expectCallTokenError, fixedClock } from '@calltoken/test-kit'
import { describe, expect, it } from 'vitest'
import { APP_CERTIFICATE, APP_ID } from './fixtures'
import { oracleRead } from './oracle'

const make = (options: Partial<AgoraOptions> & Record<string, unknown>) => () =>
  agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE, ...options } as AgoraOptions)

/** Expects INVALID_CONFIG naming `option`, with `value` (and its trimmed, unquoted core) nowhere in the error. */
async function expectConfigError(action: () => unknown, option: string, value?: string) {
  const error = await expectCallTokenError(action, 'ERR_CALLTOKEN_INVALID_CONFIG')
  expect(error.status).toBe(500)
  expect(error.message).toContain(option)
  if (value !== undefined) {
    const text = errorText(error)
    for (const part of [value, value.trim(), value.trim().replace(/^["']|["']$/g, '')]) {
      if (part.length > 0) expect(text.includes(part), `the error echoes ${JSON.stringify(part)}`).toBe(false)
    }
  }
  return error
}

const bad: [string, string][] = [
  ['non-hex', '9b8a7c6d5e4f30211a2b3c4d5e6f7a8g'],
  ['one short', APP_CERTIFICATE.slice(0, 31)],
  ['one long', `${APP_CERTIFICATE}0`],
  ['64 hex (a hex-encoded secret, not the certificate)', APP_CERTIFICATE.repeat(2)],
  ['a space inside', `${APP_CERTIFICATE.slice(0, 16)} ${APP_CERTIFICATE.slice(16)}`],
  ['quoted, as from a .env file', `"${APP_CERTIFICATE}"`],
  ['single-quoted', `'${APP_CERTIFICATE}'`],
  ['placeholder your_app_certificate', 'your_app_certificate'],
  ['placeholder <APP_CERTIFICATE>', '<APP_CERTIFICATE>'],
  ['placeholder ${AGORA_APP_CERTIFICATE}', '${AGORA_APP_CERTIFICATE}'],
  ['placeholder of repeated characters', '0'.repeat(32)],
  ['placeholder of x', 'x'.repeat(32)],
]

describe('credentials are checked at creation', () => {
  for (const name of ['appId', 'appCertificate'] as const) {
    for (const [label, value] of bad) {
      it(`${name}: ${label} → INVALID_CONFIG without the value`, async () => {
        await expectConfigError(make({ [name]: value }), name, value)
      })
    }

    it(`${name}: missing, empty, blank or not a string → INVALID_CONFIG saying it is required`, async () => {
      for (const value of [undefined, null, '', '   \n', 42, {}]) {
        const error = await expectConfigError(make({ [name]: value }), name)
        expect(error.message).toContain('required')
      }
    })
  }

  it('names the environment variable and hints at the cause', async () => {
    expect((await expectConfigError(make({ appCertificate: '' }), 'appCertificate')).message).toContain('AGORA_APP_CERTIFICATE')
    expect((await expectConfigError(make({ appId: `"${APP_ID}"` }), 'appId')).message).toContain('quoted')
    expect((await expectConfigError(make({ appId: APP_ID.slice(0, 30) }), 'appId')).message).toContain('30 characters')
  })

  it('whitespace-padded credentials are trimmed and then sign valid tokens', async () => {
    const provider = agora({ appId: `  ${APP_ID}\n`, appCertificate: `\t${APP_CERTIFICATE} \r\n` })
    const issued = await createCallToken({ userId: 'alice', callId: 'room' }, { provider, now: fixedClock() })
    expect(issued.connect).toMatchObject({ appId: APP_ID })
    const view = oracleRead(issued.token, APP_CERTIFICATE)
    expect(view).toMatchObject({ appId: APP_ID, verified: true })
  })

  it('upper-case hex is accepted as given (the certificate text is the HMAC key, so case is kept)', async () => {
    const upper = APP_CERTIFICATE.toUpperCase()
    const provider = agora({ appId: APP_ID, appCertificate: upper })
    const issued = await createCallToken({ userId: 'alice', callId: 'room' }, { provider, now: fixedClock() })
    expect(oracleRead(issued.token, upper)!.verified).toBe(true)
    expect(oracleRead(issued.token, APP_CERTIFICATE)!.verified).toBe(false)
  })

  it('the same value for appId and appCertificate is a mistake', async () => {
    await expectConfigError(make({ appCertificate: APP_ID }), 'appId and appCertificate', APP_ID)
    await expectConfigError(make({ appCertificate: APP_ID.toUpperCase() }), 'appId and appCertificate', APP_ID.toUpperCase())
  })

  it('no credential is echoed by a creation error about another option', async () => {
    const error = await expectConfigError(make({ roleMap: { member: 'host' } as never }), 'roleMap')
    expect(errorText(error)).not.toContain(APP_CERTIFICATE)
  })
})

describe('other options are checked at creation', () => {
  it('options must be an object', async () => {
    await expectCallTokenError(() => agora(undefined as never), 'ERR_CALLTOKEN_INVALID_CONFIG')
    await expectCallTokenError(() => agora(null as never), 'ERR_CALLTOKEN_INVALID_CONFIG')
  })

  it('unknown options (typos such as appID or expiresIn) are rejected', async () => {
    await expectConfigError(make({ appID: APP_ID }), 'appID')
    await expectConfigError(make({ expiresIn: 3600 }), 'expiresIn')
  })

  const known = 'the options are appId, appCertificate, userIdAs, allowAnyUid, roleMap, rtm, privilegeSeconds'

  it('a misspelt key names the known options and the one it meant, without the value', async () => {
    const misspelt = () => agora({ appId: APP_ID, appCertifcate: APP_CERTIFICATE } as never)
    const error = await expectConfigError(misspelt, 'appCertifcate', APP_CERTIFICATE)
    expect(error.message).toBe(`agora: unknown option "appCertifcate" (did you mean appCertificate?); ${known}`)
    expect((await expectConfigError(make({ appID: APP_ID }), 'appID', APP_ID)).message).toBe(`agora: unknown option "appID" (did you mean appId?); ${known}`)
    expect((await expectConfigError(make({ expiresIn: 3600 }), 'expiresIn')).message).toBe(`agora: unknown option "expiresIn"; ${known}`)
    expect((await expectCallTokenError(() => agora(undefined as never), 'ERR_CALLTOKEN_INVALID_CONFIG')).message).toBe('agora: pass { appId, appCertificate }')
  })

  it('a 3-character certificate is refused without echoing it', async () => {
    const error = await expectConfigError(make({ appCertificate: 'a1b' }), 'appCertificate', 'a1b')
    expect(error.message).toBe('agora: appCertificate must be 32 hexadecimal characters, but it has 3 characters; copy it from Agora Console')
  })

  it("userIdAs must be 'account' or 'uid'", async () => {
    await expectConfigError(make({ userIdAs: 'number' as never }), 'userIdAs')
    expect(make({ userIdAs: 'uid' })().limits.userId).not.toBe(make({ userIdAs: 'account' })().limits.userId)
  })

  it("allowAnyUid must be a boolean and needs userIdAs: 'uid'", async () => {
    await expectConfigError(make({ allowAnyUid: 'yes' as never, userIdAs: 'uid' }), 'allowAnyUid')
    await expectConfigError(make({ allowAnyUid: true }), 'allowAnyUid')
    expect(make({ allowAnyUid: true, userIdAs: 'uid' })().id).toBe('agora')
  })

  it("roleMap must map roles to 'publisher' or 'subscriber'", async () => {
    await expectConfigError(make({ roleMap: { member: 'host' } as never }), 'roleMap.member')
    await expectConfigError(make({ roleMap: { admin: 1 } as never }), 'roleMap.admin')
    await expectConfigError(make({ roleMap: ['publisher'] as never }), 'roleMap')
    await expectConfigError(make({ roleMap: 'publisher' as never }), 'roleMap')
    expect(make({ roleMap: { member: 'subscriber', guest: 'publisher' } })().mapRole('member', new Set(['publish-audio']))).toBe('subscriber')
  })

  it('exposes no credential through the provider and limits an app to its 24 h maximum', () => {
    const provider = make({})()
    expect(JSON.stringify(provider)).not.toContain(APP_CERTIFICATE)
    expect(provider.limits).toMatchObject({ maxValiditySeconds: 86_400, callType: false })
    expect(provider.redact(`cert=${APP_CERTIFICATE}`)).toBe('cert=[redacted]')
  })
})
