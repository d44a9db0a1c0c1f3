import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config'
import { DEMO } from '../src/demo-credentials'

const REAL = {
  STREAM_API_KEY: 'k7mnp2qrs9tu',
  STREAM_API_SECRET: 'r8f3k2m9q4w7x1z5c6v0b2n8m4l7k3j9h1g5f2d8s6a4',
  SESSION_JWT_SECRET: 'a-long-random-session-secret-0123456789abcdef',
}

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error('loadConfig accepted the environment')
}

describe('loadConfig', () => {
  it('runs on the documented demo values in development, and says which', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 3000,
      stream: DEMO.stream,
      session: { jwtSecret: DEMO.sessionJwtSecret },
      database: { pgliteDir: resolve('.data/pglite') },
      allowAnonymousTokens: false,
      rateLimit: { max: 60, windowMs: 60_000 },
      seedDemoUsers: true,
      demoPage: true,
    })
    expect(config.database.url).toBeUndefined()
    expect(config.demoValues).toEqual(['STREAM_API_KEY', 'STREAM_API_SECRET', 'SESSION_JWT_SECRET'])
  })

  it('reads every variable', () => {
    const config = loadConfig({
      ...REAL,
      PORT: '8080',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      DATABASE_URL: 'postgres://app@db:5432/app',
      JWT_ISSUER: 'https://login.example.com',
      JWT_AUDIENCE: 'video',
      ALLOW_ANONYMOUS_TOKENS: 'true',
      RATE_LIMIT_MAX: '10',
      RATE_LIMIT_WINDOW_MS: '30000',
      TRUST_PROXY: '1',
      SEED_DEMO_USERS: 'false',
      DEMO_PAGE: 'false',
    })
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'debug',
      stream: { apiKey: REAL.STREAM_API_KEY, apiSecret: REAL.STREAM_API_SECRET },
      session: { jwtSecret: REAL.SESSION_JWT_SECRET, issuer: 'https://login.example.com', audience: 'video' },
      database: { url: 'postgres://app@db:5432/app' },
      allowAnonymousTokens: true,
      rateLimit: { max: 10, windowMs: 30_000 },
      trustProxy: 1,
      seedDemoUsers: false,
      demoPage: false,
      demoValues: [],
    })
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', STREAM_API_KEY: '' })).toMatchObject({ port: 3000, stream: { apiKey: DEMO.stream.apiKey } })
  })

  it('lists every malformed variable at once, one message each', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://db/app',
      ALLOW_ANONYMOUS_TOKENS: 'yes',
      RATE_LIMIT_WINDOW_MS: '10',
      SESSION_JWT_SECRET: 'short',
      NODE_ENV: 'staging',
    })
    expect(problems).toHaveLength(7)
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT: must be a whole number',
        expect.stringMatching(/^LOG_LEVEL: must be one of fatal, error/),
        'DATABASE_URL: must be a postgres:// or postgresql:// connection URL',
        'ALLOW_ANONYMOUS_TOKENS: must be "true" or "false"',
        'RATE_LIMIT_WINDOW_MS: must be at least 1000',
        expect.stringMatching(/^SESSION_JWT_SECRET: must be at least 32 characters/),
        'NODE_ENV: must be development, test or production',
      ]),
    )
  })

  it('refuses to start in production on missing or demo credentials, anonymous tokens or demo users — all listed', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'STREAM_API_KEY: is required when NODE_ENV=production',
      'STREAM_API_SECRET: is required when NODE_ENV=production',
      'SESSION_JWT_SECRET: is required when NODE_ENV=production',
    ])
    expect(
      problemsOf({
        NODE_ENV: 'production',
        STREAM_API_KEY: DEMO.stream.apiKey,
        STREAM_API_SECRET: DEMO.stream.apiSecret,
        SESSION_JWT_SECRET: DEMO.sessionJwtSecret,
        ALLOW_ANONYMOUS_TOKENS: 'true',
        SEED_DEMO_USERS: 'true',
        DEMO_PAGE: 'true',
      }),
    ).toEqual([
      'STREAM_API_KEY: is the documented demo value, refused when NODE_ENV=production',
      'STREAM_API_SECRET: is the documented demo value, refused when NODE_ENV=production',
      'SESSION_JWT_SECRET: is the documented demo value, refused when NODE_ENV=production',
      expect.stringMatching(/^ALLOW_ANONYMOUS_TOKENS: is refused when NODE_ENV=production/),
      'SEED_DEMO_USERS: is refused when NODE_ENV=production',
      expect.stringMatching(/^DEMO_PAGE: is refused when NODE_ENV=production/),
    ])
  })

  it('starts in production with real values, without demo users', () => {
    expect(loadConfig({ NODE_ENV: 'production', ...REAL })).toMatchObject({ nodeEnv: 'production', seedDemoUsers: false, demoPage: false, demoValues: [] })
  })

  it('reports the Stream adapter’s own credential checks under the variable’s name, never echoing the value', () => {
    const problems = problemsOf({ STREAM_API_SECRET: 'your_stream_api_secret_here' })
    expect(problems).toEqual([expect.stringMatching(/^STREAM_API_SECRET: stream: apiSecret looks like a placeholder/)])
    expect(problems.join()).not.toContain('your_stream_api_secret_here')
    expect(problemsOf({ STREAM_API_KEY: 'same-value', STREAM_API_SECRET: 'same-value' })).toEqual([
      expect.stringMatching(/^STREAM_API_KEY\/STREAM_API_SECRET: .*same value/),
    ])
  })

  it('formats the error as one line per problem', () => {
    expect(() => loadConfig({ PORT: '70000', TRUST_PROXY: 'x' })).toThrow(
      'Invalid configuration:\n  - PORT: must be at most 65535\n  - TRUST_PROXY: must be a whole number',
    )
  })
})
