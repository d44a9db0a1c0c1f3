// A Worker deployed with a wrong or missing configuration answers every request with the library's coded 500
// (ERR_CALLTOKEN_INVALID_CONFIG) naming the variable, never a value, and logs the same line; it mints nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { get, post, sessionSecret, workerEnv } from './support/http'
import { startWorkers, type RunningWorkers } from './support/workerd'

const SECRET = sessionSecret()
const JWKS = { SESSION_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json', SESSION_ISSUER: 'https://idp.example.com/', SESSION_AUDIENCE: 'video-api' }

/** name → [the env, what the answer's `error` says]. */
const CASES = {
  'no PROVIDER': [workerEnv(undefined, { SESSION_JWT_SECRET: SECRET }), 'PROVIDER is not set: set it to stream, agora, twilio, livekit, zoom or daily (vars in wrangler.jsonc)'],
  'an unknown PROVIDER': [workerEnv('vonage', { SESSION_JWT_SECRET: SECRET }), 'PROVIDER must be stream, agora, twilio, livekit, zoom or daily'],
  'a placeholder Stream secret': [
    workerEnv('stream', { SESSION_JWT_SECRET: SECRET, STREAM_API_SECRET: 'your_stream_api_secret_here' }),
    'stream: apiSecret looks like a placeholder, not a real value; copy it from the Stream dashboard',
  ],
  'no Twilio API key secret': [workerEnv('twilio', { SESSION_JWT_SECRET: SECRET, TWILIO_API_KEY_SECRET: undefined }), /twilio: apiKeySecret is required \(usually from TWILIO_API_KEY_SECRET\)/],
  'a truncated Agora certificate': [workerEnv('agora', { SESSION_JWT_SECRET: SECRET, AGORA_APP_CERTIFICATE: '5CFd2fd1755d40ecb72977518be1' }), /agora: appCertificate /],
  'no session settings': [
    workerEnv('stream'),
    'No session verification: set SESSION_JWT_SECRET (HS256), or SESSION_JWKS_URL with SESSION_ISSUER and SESSION_AUDIENCE',
  ],
  'a short SESSION_JWT_SECRET': [
    workerEnv('stream', { SESSION_JWT_SECRET: 'short-session-secret-1234567' }),
    'SESSION_JWT_SECRET must be at least 32 characters (HS256 needs 256 bits of key)',
  ],
  'both SESSION_JWT_SECRET and SESSION_JWKS_URL': [workerEnv('stream', { SESSION_JWT_SECRET: SECRET, ...JWKS }), 'Set SESSION_JWKS_URL or SESSION_JWT_SECRET, not both'],
  'SESSION_JWKS_URL without SESSION_AUDIENCE': [
    workerEnv('stream', { ...JWKS, SESSION_AUDIENCE: undefined }),
    'SESSION_JWKS_URL needs SESSION_ISSUER and SESSION_AUDIENCE',
  ],
  'RATE_LIMIT_MAX not a number': [workerEnv('stream', { SESSION_JWT_SECRET: SECRET, RATE_LIMIT_MAX: 'lots' }), 'RATE_LIMIT_MAX must be a whole number from 1 to 999999'],
} satisfies Record<string, [Record<string, string>, string | RegExp]>

const NAMES = Object.keys(CASES) as (keyof typeof CASES)[]
const says = (text: string, message: string | RegExp) => (typeof message === 'string' ? text.includes(message) : message.test(text))

/** The values of the env that are credentials: none may appear in an answer or a log line. */
const secretsOf = (env: Record<string, string>) =>
  Object.entries(env)
    .filter(([name]) => /KEY|SECRET|CERTIFICATE|SID|APP_ID/.test(name))
    .map(([, value]) => value)

let workers: RunningWorkers
beforeAll(async () => {
  workers = await startWorkers(Object.fromEntries(NAMES.map((name) => [name, CASES[name][0]])))
})
afterAll(() => workers?.stop())

describe.each(NAMES)('%s', (name) => {
  const [env, message] = CASES[name]

  it('answers the coded 500 on every route, with no secret in it, and logs it once', async () => {
    const answers = [
      await get(workers.url(name, '/health')),
      await post(workers.url(name, '/api/tokens/call'), { body: { callId: 'standup' } }),
      await post(workers.url(name, '/api/tokens/user'), { token: 'eyJ.not.a-token' }),
    ]
    for (const answer of answers) {
      expect({ status: answer.status, code: answer.body.code, success: answer.body.success }).toEqual({ status: 500, code: 'ERR_CALLTOKEN_INVALID_CONFIG', success: false })
      expect(Object.keys(answer.body).sort()).toEqual(['code', 'error', 'success'])
      expect(says(answer.body.error, message), answer.body.error).toBe(true)
      expect(answer.headers.get('cache-control')).toBe('no-store')
      for (const secret of secretsOf(env)) expect(answer.text).not.toContain(secret)
    }
    await expect.poll(() => workers.logs(name).filter((line) => line.includes('ERR_CALLTOKEN_INVALID_CONFIG'))).toHaveLength(1)
    expect(workers.logs(name).some((line) => says(line, message))).toBe(true)
    for (const secret of secretsOf(env)) expect(workers.logs(name).join('\n')).not.toContain(secret)
  })
})
