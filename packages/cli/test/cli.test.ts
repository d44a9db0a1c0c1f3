import { spawnSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { StreamClient } from '@stream-io/node-sdk'
import { RtcRole, RtcTokenBuilder } from 'agora-token'
import { AccessToken as LiveKitAccessToken, TokenVerifier } from 'livekit-server-sdk'
import AccessToken from 'twilio/lib/jwt/AccessToken'
import { beforeAll, describe, expect, it } from 'vitest'

// The built binary, run as a user runs it: arguments, stdin, environment; exit code, stdout, stderr.
const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const STREAM = { STREAM_API_KEY: 'clikey', STREAM_API_SECRET: 'cli-stream-secret-0a9k2m7q4w8e3r6t1y5u0i2o9p3a' }
const LIVEKIT = { LIVEKIT_API_KEY: 'APIclitestkey01', LIVEKIT_API_SECRET: 'cli-livekit-secret-4Qm8Xz1Rt6Yw0Pk4Ns7Jd2Hg5' }
const AGORA = { appId: '970CA35de60c44645bbae8a215061b33', certificate: '5CFd2fd1755d40ecb72977518be15d3b' }

function cli(args: string[], { input = '', env = {} }: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { input, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}
const json = (args: string[], options?: Parameters<typeof cli>[1]) => JSON.parse(cli([...args, '--json'], options).stdout)
const jwt = (header: object, claims: object, secret = 'x') => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${part(header)}.${part(claims)}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}
const now = () => Math.floor(Date.now() / 1000)

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npx -y pnpm@10.34.9 build), the tests run the built binary`)
})

describe('calltoken decode', () => {
  it("reads the official SDKs' tokens of every provider it mints for, telling the provider from the token", async () => {
    const stream = new StreamClient(STREAM.STREAM_API_KEY, STREAM.STREAM_API_SECRET).generateCallToken({ user_id: 'alice', call_cids: ['livestream:stage'], role: 'admin' })
    expect(json(['decode', stream])).toMatchObject({ provider: 'stream', userId: 'alice', callId: 'stage', callType: 'livestream', role: 'admin', warnings: [] })
    const agora = RtcTokenBuilder.buildTokenWithUid(AGORA.appId, AGORA.certificate, 'standup', 4242, RtcRole.PUBLISHER, 3600, 3600)
    expect(json(['decode', agora])).toMatchObject({ provider: 'agora', userId: '4242', callId: 'standup' })
    const twilioToken = new AccessToken(`AC${'a1'.repeat(16)}`, `SK${'b2'.repeat(16)}`, 'cli-twilio-secret-9a7c3e5b1d0f8a2c4e6b', { identity: 'bob', ttl: 3600 })
    twilioToken.addGrant(new AccessToken.VideoGrant({ room: 'clinic' }))
    expect(json(['decode', twilioToken.toJwt()])).toMatchObject({ provider: 'twilio', userId: 'bob', callId: 'clinic', warnings: [] })
    const livekit = new LiveKitAccessToken(LIVEKIT.LIVEKIT_API_KEY, LIVEKIT.LIVEKIT_API_SECRET, { identity: 'carol', ttl: 600 })
    livekit.addGrant({ roomJoin: true, room: 'support', canPublish: false, canSubscribe: true })
    expect(json(['decode', await livekit.toJwt()])).toMatchObject({ provider: 'livekit', userId: 'carol', callId: 'support', role: 'viewer' })
  })

  it('prints a person-readable report, without colour off a terminal', () => {
    const token = new StreamClient(STREAM.STREAM_API_KEY, STREAM.STREAM_API_SECRET).generateUserToken({ user_id: 'alice', validity_in_seconds: 3600 })
    const { code, stdout } = cli(['decode', token])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^provider {2}stream$/m)
    expect(stdout).toMatch(/^expires .*\(in (59|60) min\)$/m)
    expect(stdout).not.toContain('\u001b[')
  })

  it('warns about the mistakes it can see: expired, no exp, future iat, Twilio without cty, Zoom under 30 min, Daily without a room', () => {
    const t = now()
    const warnings = (token: string) => json(['decode', token]).warnings.join('\n')
    expect(warnings(jwt({ alg: 'HS256' }, { user_id: 'a', iat: t - 7200, exp: t - 3600 }))).toMatch(/expired 60 min ago/)
    expect(warnings(jwt({ alg: 'HS256' }, { user_id: 'a', iat: t }))).toMatch(/no expiry/)
    expect(warnings(jwt({ alg: 'HS256' }, { user_id: 'a', iat: t + 600, exp: t + 3600 }))).toMatch(/issue time is in 10 min in the future/)
    const grants = { identity: 'a', video: { room: 'r' } }
    expect(warnings(jwt({ alg: 'HS256', typ: 'JWT' }, { jti: 'SK-1', grants, iss: 'SK1', sub: 'AC1', iat: t, exp: t + 600 }))).toMatch(/no cty "twilio-fpa;v=1"/)
    expect(warnings(jwt({ alg: 'HS256' }, { app_key: 'k', role_type: 0, tpc: 's', version: 1, user_key: 'u', iat: t, exp: t + 600 }))).toMatch(/under Zoom's minimum/)
    expect(warnings(jwt({ alg: 'HS256' }, { d: 'dom', ud: 'u', iat: t, exp: t + 600 }))).toMatch(/no room \(r\)/)
    const agora = warnings(RtcTokenBuilder.buildTokenWithUid(AGORA.appId, AGORA.certificate, 'c', 0, RtcRole.PUBLISHER, 3600, 600))
    expect(agora).toMatch(/uid is empty/)
    expect(agora).toMatch(/ends 50 min before the token/)
  })

  it('shows any other JWT raw (alg none included), and exits 1 on what is not a token', () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`
    expect(cli(['decode', none]).code).toBe(0)
    expect(json(['decode', none])).toMatchObject({ provider: 'unknown', header: { alg: 'none' }, claims: { sub: 'x' } })
    const token = new StreamClient(STREAM.STREAM_API_KEY, STREAM.STREAM_API_SECRET).generateUserToken({ user_id: 'alice' })
    for (const bad of [token.slice(0, 20), token.replace(/\./g, '!'), 'eyJ!!!.eyJ.x', '007not-base64']) {
      const result = cli(['decode', bad])
      expect(result.code, bad).toBe(1)
    }
    expect(cli(['decode']).code).toBe(2) // nothing given, nothing on stdin
  })

  it('reads the token from stdin, and takes flags before or after it', () => {
    const token = new StreamClient(STREAM.STREAM_API_KEY, STREAM.STREAM_API_SECRET).generateUserToken({ user_id: 'dora' })
    expect(JSON.parse(cli(['decode', '--json'], { input: `${token}\n` }).stdout).userId).toBe('dora')
    expect(JSON.parse(cli(['--json', 'decode', token]).stdout).userId).toBe('dora')
  })
})

describe('calltoken verify and mint', () => {
  it('verify: 0 for a valid token, 1 for another secret or an expired one, 2 without credentials or token', () => {
    const client = new StreamClient(STREAM.STREAM_API_KEY, STREAM.STREAM_API_SECRET)
    const token = client.generateUserToken({ user_id: 'alice' })
    expect(cli(['verify', token], { env: STREAM })).toMatchObject({ code: 0, stdout: expect.stringMatching(/valid stream token for alice/) })
    expect(cli(['verify', token], { env: { ...STREAM, STREAM_API_SECRET: 'another-secret-of-another-app-0123456789' } }).code).toBe(1)
    const expired = client.generateUserToken({ user_id: 'alice', iat: now() - 7200, exp: now() - 3600 })
    expect(json(['verify', expired], { env: STREAM })).toMatchObject({ valid: false, code: 'ERR_CALLTOKEN_TOKEN_EXPIRED' })
    const missing = cli(['verify', token])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/STREAM_API_KEY/)
    expect(cli(['verify'], { env: STREAM }).code).toBe(2)
  })

  it('mint: a token the official verifier accepts, durations in human form, never a secret in the output', async () => {
    const minted = json(['mint', '--provider', 'livekit', '--user', 'erin', '--call', 'standup', '--role', 'moderator', '--ttl', '90m'], { env: LIVEKIT })
    const claims = await new TokenVerifier(LIVEKIT.LIVEKIT_API_KEY, LIVEKIT.LIVEKIT_API_SECRET).verify(minted.token)
    expect(claims).toMatchObject({ sub: 'erin', video: { room: 'standup', roomJoin: true } })
    expect((claims.exp as number) - now()).toBeGreaterThan(5390)
    expect(minted.validityInSeconds).toBe(5400)
    const plain = cli(['mint', '--provider', 'stream', '--user', 'alice', '--call', 'default:123', '--role', 'moderator', '--ttl', '2h'], { env: STREAM })
    expect(plain.code).toBe(0)
    expect(json(['decode', plain.stdout.trim()])).toMatchObject({ callType: 'default', callId: '123', role: 'moderator' })
    for (const output of [plain.stdout, JSON.stringify(minted)]) {
      expect(output).not.toContain(STREAM.STREAM_API_SECRET)
      expect(output).not.toContain(LIVEKIT.LIVEKIT_API_SECRET)
    }
    expect(cli(['mint', '--provider', 'stream', '--user', 'alice', '--ttl', 'soon'], { env: STREAM }).code).toBe(2)
    expect(cli(['mint', '--provider', 'skype', '--user', 'alice']).code).toBe(2)
  })
})

describe('calltoken webhook verify', () => {
  it('checks a captured delivery: 0 when it is the provider\'s, 1 when the body changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calltoken-cli-'))
    const body = '{"type":"call.session_started","call_cid":"default:standup"}'
    writeFileSync(join(dir, 'body.json'), body)
    writeFileSync(join(dir, 'changed.json'), `${body} `)
    const signature = createHmac('sha256', STREAM.STREAM_API_SECRET).update(body).digest('hex')
    const args = (file: string) => ['webhook', 'verify', '--provider', 'stream', '--body-file', join(dir, file), '--header', `X-Signature: ${signature}`]
    expect(cli(args('body.json'), { env: STREAM })).toMatchObject({ code: 0, stdout: expect.stringMatching(/valid stream delivery: call.session_started/) })
    const changed = json(args('changed.json'), { env: STREAM })
    expect(changed).toMatchObject({ valid: false, code: 'ERR_CALLTOKEN_INVALID_SIGNATURE' })
    expect(JSON.stringify(changed)).not.toContain(signature)
    // Twilio's Auth Token comes as --secret; the adapter's own credentials are not needed.
    expect(cli(['webhook', 'verify', '--provider', 'twilio', '--body-file', join(dir, 'body.json')]).stderr).toMatch(/Auth Token/)
  })

  it('--help for every command, with examples', () => {
    for (const command of [[], ['decode'], ['verify'], ['mint'], ['webhook']]) {
      const { code, stdout } = cli([...command, '--help'])
      expect(code, command.join(' ')).toBe(0)
      expect(stdout).toMatch(/Usage: calltoken/)
    }
  })
})
