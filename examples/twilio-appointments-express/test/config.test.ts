import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config'
import { DEMO_CREDENTIALS } from '../src/demo-credentials'

const REAL = {
  NODE_ENV: 'production',
  PUBLIC_BASE_URL: 'https://api.clinic.example',
  SESSION_JWT_SECRET: 'a-real-session-secret-of-at-least-32-characters',
  TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
  TWILIO_API_KEY_SID: `SK${'2'.repeat(32)}`,
  TWILIO_API_KEY_SECRET: 'Xr4nd0mApiKeySecretValue12345678',
  TWILIO_AUTH_TOKEN: 'a'.repeat(32),
}

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('starts in development on the documented demo values, PGlite and a localhost public URL', () => {
    const config = loadConfig({})
    expect(config.nodeEnv).toBe('development')
    expect(config.twilio).toEqual({
      accountSid: DEMO_CREDENTIALS.TWILIO_ACCOUNT_SID,
      apiKeySid: DEMO_CREDENTIALS.TWILIO_API_KEY_SID,
      apiKeySecret: DEMO_CREDENTIALS.TWILIO_API_KEY_SECRET,
      authToken: DEMO_CREDENTIALS.TWILIO_AUTH_TOKEN,
    })
    expect(config.demoValuesUsed.sort()).toEqual(Object.keys(DEMO_CREDENTIALS).sort())
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.data/pglite' })
    expect(config.publicBaseUrl).toBe('http://localhost:3000')
    expect(config.seedDemoData).toBe(true)
    expect(config.rateLimitPerMinute).toBe(60)
  })

  it('takes real values in production and chooses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ ...REAL, DATABASE_URL: 'postgres://app:pw@db:5432/app', PORT: '8080', PUBLIC_BASE_URL: 'https://api.clinic.example/' })
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://app:pw@db:5432/app' })
    expect(config.port).toBe(8080)
    expect(config.publicBaseUrl).toBe('https://api.clinic.example')
    expect(config.demoValuesUsed).toEqual([])
    expect(config.seedDemoData).toBe(false)
  })

  it('lists every missing variable at once in production, one line each', () => {
    const problems = problemsOf({ NODE_ENV: 'production' })
    expect(problems).toEqual(
      expect.arrayContaining([
        'SESSION_JWT_SECRET is required',
        'TWILIO_ACCOUNT_SID is required',
        'TWILIO_API_KEY_SID is required',
        'TWILIO_API_KEY_SECRET is required',
        'TWILIO_AUTH_TOKEN is required',
        'PUBLIC_BASE_URL is required in production (the URL Twilio calls, for signature checks)',
      ]),
    )
    expect(problems).toHaveLength(6)
  })

  it('refuses every demo credential in production', () => {
    const problems = problemsOf({ ...REAL, ...DEMO_CREDENTIALS })
    for (const name of Object.keys(DEMO_CREDENTIALS)) expect(problems).toContain(`${name} is the documented demo value: set your own (NODE_ENV=production)`)
    expect(problems).toHaveLength(Object.keys(DEMO_CREDENTIALS).length)
  })

  it('names each malformed variable with what it must be, all in one error', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://localhost/app',
      TWILIO_ACCOUNT_SID: `SK${'1'.repeat(32)}`,
      TWILIO_API_KEY_SID: 'SK123',
      TWILIO_AUTH_TOKEN: 'not-hex-and-not-32-characters',
      SESSION_JWT_SECRET: 'short',
      LOG_LEVEL: 'loud',
      RATE_LIMIT_PER_MINUTE: '0',
      SEED_DEMO_DATA: 'maybe',
      PUBLIC_BASE_URL: 'ftp://files.example',
      NODE_ENV: 'staging',
    })
    expect(problems).toEqual([
      'NODE_ENV must be development, test or production',
      'PORT must be a port number',
      'DATABASE_URL must be a postgres:// or postgresql:// connection URL',
      'SESSION_JWT_SECRET must be at least 32 characters',
      'TWILIO_ACCOUNT_SID must be an Account SID: AC followed by 32 hex digits',
      'TWILIO_API_KEY_SID must be an API key SID: SK followed by 32 hex digits',
      'TWILIO_AUTH_TOKEN must be the account Auth Token: 32 hex digits (the console shows it next to the Account SID)',
      'LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent',
      'RATE_LIMIT_PER_MINUTE must be a positive whole number',
      'SEED_DEMO_DATA must be true or false',
      'PUBLIC_BASE_URL must be an http(s) URL without query, fragment or credentials, e.g. https://api.example.com',
    ])
  })

  it('refuses the API key secret given as the Auth Token', () => {
    const secret = 'abcdef0123456789abcdef0123456789'
    expect(problemsOf({ ...REAL, TWILIO_API_KEY_SECRET: secret, TWILIO_AUTH_TOKEN: secret })).toEqual([
      'TWILIO_AUTH_TOKEN must be the account Auth Token, not the API key secret',
    ])
  })

  it('refuses demo data and a URL with a query in production', () => {
    expect(problemsOf({ ...REAL, SEED_DEMO_DATA: 'true', PUBLIC_BASE_URL: 'https://api.clinic.example/?x=1' })).toEqual([
      'SEED_DEMO_DATA must not be true in production',
      'PUBLIC_BASE_URL must be an http(s) URL without query, fragment or credentials, e.g. https://api.example.com',
    ])
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TWILIO_AUTH_TOKEN: ' ' }).database.kind).toBe('pglite')
    expect(problemsOf({ ...REAL, TWILIO_AUTH_TOKEN: '' })).toEqual(['TWILIO_AUTH_TOKEN is required'])
  })
})

describe('processes', () => {
  const appDir = fileURLToPath(new URL('..', import.meta.url))
  const run = (script: string, args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: appDir,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    })

  it('the server refuses to start with the demo credentials in production, listing every problem', () => {
    const result = run('src/main.ts', [], { NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://api.clinic.example', ...DEMO_CREDENTIALS })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('Invalid configuration (5 problems)')
    for (const name of Object.keys(DEMO_CREDENTIALS)) expect(result.stderr).toContain(`${name} is the documented demo value`)
    expect(result.stderr).not.toContain(DEMO_CREDENTIALS.TWILIO_API_KEY_SECRET)
  }, 60_000)

  it('the token script prints a session JWT in development and refuses in production', () => {
    const ok = run('src/scripts/token.ts', ['2'], {})
    expect(ok.status).toBe(0)
    const [, payload] = ok.stdout.trim().split('.')
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({ sub: '2' })
    const refused = run('src/scripts/token.ts', ['2'], { NODE_ENV: 'production' })
    expect(refused.status).toBe(1)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toContain('Refusing to print session tokens with NODE_ENV=production')
  }, 60_000)
})
