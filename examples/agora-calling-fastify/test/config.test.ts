import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.ts'
import { DEMO_CREDENTIALS } from '../src/demo-credentials.ts'

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

const OWN = {
  AGORA_APP_ID: '0123456789abcdef0123456789abcdef',
  AGORA_APP_CERTIFICATE: 'fedcba9876543210fedcba9876543210',
  JWT_SECRET: 'a-production-jwt-secret-of-enough-length',
  PUBLIC_ID_SECRET: 'a-production-public-id-secret-long-enough',
}

describe('loadConfig', () => {
  it('runs on the demo credentials in development, and says which are in use', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      env: 'development',
      host: '127.0.0.1',
      port: 3003,
      logLevel: 'info',
      database: { pgliteDir: '.data/pglite' },
      agora: { appId: DEMO_CREDENTIALS.AGORA_APP_ID, appCertificate: DEMO_CREDENTIALS.AGORA_APP_CERTIFICATE },
      retentionDays: 90,
    })
    expect(config.database.url).toBeUndefined()
    expect(config.demoCredentials).toEqual(['AGORA_APP_ID', 'AGORA_APP_CERTIFICATE', 'JWT_SECRET', 'PUBLIC_ID_SECRET'])
  })

  it('reads every variable; empty ones count as unset', () => {
    const config = loadConfig({
      ...OWN,
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: 'postgres://app@db:5432/calls',
      JWT_ISSUER: 'https://id.example',
      JWT_AUDIENCE: '',
      RETENTION_DAYS: '30',
    })
    expect(config).toMatchObject({ env: 'production', port: 8080, host: '0.0.0.0', logLevel: 'warn', retentionDays: 30, demoCredentials: [] })
    expect(config.database.url).toBe('postgres://app@db:5432/calls')
    expect(config.jwt).toEqual({ secret: OWN.JWT_SECRET, issuer: 'https://id.example' })
  })

  it('lists every malformed variable at once, one message each', () => {
    const problems = problemsOf({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      AGORA_APP_ID: 'your-app-id-here',
      JWT_SECRET: 'short',
      RETENTION_DAYS: '0',
    })
    expect(problems).toHaveLength(6)
    expect(problems.join('\n')).toMatch(/PORT/)
    expect(problems).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent')
    expect(problems).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL')
    expect(problems).toContain('AGORA_APP_ID must be 32 hexadecimal characters (copy it from Agora Console)')
    expect(problems).toContain('JWT_SECRET must be at least 32 characters')
    expect(problems.join('\n')).toMatch(/RETENTION_DAYS/)
  })

  it('in production, refuses missing credentials and the demo values', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'AGORA_APP_ID is required when NODE_ENV=production',
      'AGORA_APP_CERTIFICATE is required when NODE_ENV=production',
      'JWT_SECRET is required when NODE_ENV=production',
      'PUBLIC_ID_SECRET is required when NODE_ENV=production',
    ])
    expect(problemsOf({ NODE_ENV: 'production', ...DEMO_CREDENTIALS })).toEqual([
      'AGORA_APP_ID is the documented demo value; set your own when NODE_ENV=production',
      'AGORA_APP_CERTIFICATE is the documented demo value; set your own when NODE_ENV=production',
      'JWT_SECRET is the documented demo value; set your own when NODE_ENV=production',
      'PUBLIC_ID_SECRET is the documented demo value; set your own when NODE_ENV=production',
    ])
  })

  it('catches swapped or reused secrets', () => {
    expect(problemsOf({ ...OWN, AGORA_APP_CERTIFICATE: OWN.AGORA_APP_ID.toUpperCase() })).toEqual([
      'AGORA_APP_ID and AGORA_APP_CERTIFICATE are the same value; one of them is wrong',
    ])
    expect(problemsOf({ ...OWN, PUBLIC_ID_SECRET: OWN.JWT_SECRET })).toEqual([
      'JWT_SECRET and PUBLIC_ID_SECRET must differ (one signs sessions, the other keys public ids)',
    ])
  })
})
