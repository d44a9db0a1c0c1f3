import { z } from 'zod'
import { DEMO_CREDENTIALS, type DemoCredentialName } from './demo-credentials'

export type NodeEnv = 'development' | 'test' | 'production'
export type DatabaseConfig = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string }

export interface Config {
  nodeEnv: NodeEnv
  host: string
  port: number
  /** Origin (plus any path prefix a proxy strips) that Twilio calls; status callback signatures are computed over it. */
  publicBaseUrl: string
  database: DatabaseConfig
  sessionJwtSecret: string
  twilio: { accountSid: string; apiKeySid: string; apiKeySecret: string; authToken: string }
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  rateLimitPerMinute: number
  seedDemoData: boolean
  /** The variables that were not set and fell back to their documented demo value (never in production). */
  demoValuesUsed: DemoCredentialName[]
}

/** Every problem with the environment, one line per variable, so all of them can be fixed in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

// An empty variable (`FOO=`) counts as unset, as most shells and .env files mean it.
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)
const required = (what: string) => z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`) })
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional())

const envSchema = z.object({
  NODE_ENV: optional(z.enum(['development', 'test', 'production'], { error: 'must be development, test or production' })),
  HOST: optional(z.string()),
  PORT: optional(z.coerce.number({ error: 'must be a port number' }).int('must be a port number').min(0, 'must be a port number').max(65535, 'must be a port number')),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// connection URL')),
  PGLITE_DIR: optional(z.string()),
  SESSION_JWT_SECRET: z.preprocess(blank, required('a string').min(32, 'must be at least 32 characters')),
  TWILIO_ACCOUNT_SID: z.preprocess(blank, required('a string').regex(/^AC[0-9a-fA-F]{32}$/, 'must be an Account SID: AC followed by 32 hex digits')),
  TWILIO_API_KEY_SID: z.preprocess(blank, required('a string').regex(/^SK[0-9a-fA-F]{32}$/, 'must be an API key SID: SK followed by 32 hex digits')),
  TWILIO_API_KEY_SECRET: z.preprocess(blank, required('a string').min(16, 'must be the API key secret (32 characters, shown once when the key was created)')),
  TWILIO_AUTH_TOKEN: z.preprocess(
    blank,
    required('a string').regex(/^[0-9a-fA-F]{32}$/, 'must be the account Auth Token: 32 hex digits (the console shows it next to the Account SID)'),
  ),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be fatal, error, warn, info, debug, trace or silent' })),
  RATE_LIMIT_PER_MINUTE: optional(z.coerce.number({ error: 'must be a positive whole number' }).int('must be a positive whole number').positive('must be a positive whole number')),
  SEED_DEMO_DATA: optional(z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' })),
})

/** Reads and checks the environment once at start-up; throws a ConfigError listing every problem. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const production = env.NODE_ENV === 'production'
  const withDemo: Record<string, string | undefined> = { ...env }
  const demoValuesUsed: DemoCredentialName[] = []
  if (!production) {
    for (const name of Object.keys(DEMO_CREDENTIALS) as DemoCredentialName[]) {
      if (blank(env[name]) === undefined) {
        withDemo[name] = DEMO_CREDENTIALS[name]
        demoValuesUsed.push(name)
      }
    }
  }

  const parsed = envSchema.safeParse(withDemo)
  const problems: string[] = parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`)
  const values = parsed.success ? parsed.data : undefined

  if (production) {
    for (const name of Object.keys(DEMO_CREDENTIALS) as DemoCredentialName[]) {
      if (env[name]?.trim() === DEMO_CREDENTIALS[name]) problems.push(`${name} is the documented demo value: set your own (NODE_ENV=production)`)
    }
    if (blank(env.PUBLIC_BASE_URL) === undefined) problems.push('PUBLIC_BASE_URL is required in production (the URL Twilio calls, for signature checks)')
    if (env.SEED_DEMO_DATA === 'true' || env.SEED_DEMO_DATA === '1') problems.push('SEED_DEMO_DATA must not be true in production')
  }
  const secret = blank(env.TWILIO_AUTH_TOKEN)
  if (secret !== undefined && secret === blank(env.TWILIO_API_KEY_SECRET)) {
    problems.push('TWILIO_AUTH_TOKEN must be the account Auth Token, not the API key secret')
  }

  const port = values?.PORT ?? 3000
  // Checked by hand: Twilio signs the URL exactly as configured, so it is kept as written (less a trailing slash).
  const publicBaseUrl = readPublicBaseUrl((blank(env.PUBLIC_BASE_URL) as string | undefined) ?? `http://localhost:${port}`, problems)
  if (problems.length > 0 || !values) throw new ConfigError(problems)

  return {
    nodeEnv: values.NODE_ENV ?? 'development',
    host: values.HOST ?? '127.0.0.1',
    port,
    publicBaseUrl,
    database: values.DATABASE_URL ? { kind: 'postgres', url: values.DATABASE_URL } : { kind: 'pglite', dataDir: values.PGLITE_DIR ?? '.data/pglite' },
    sessionJwtSecret: values.SESSION_JWT_SECRET,
    twilio: {
      accountSid: values.TWILIO_ACCOUNT_SID,
      apiKeySid: values.TWILIO_API_KEY_SID,
      apiKeySecret: values.TWILIO_API_KEY_SECRET,
      authToken: values.TWILIO_AUTH_TOKEN,
    },
    logLevel: values.LOG_LEVEL ?? 'info',
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE ?? 60,
    seedDemoData: values.SEED_DEMO_DATA === undefined ? !production : values.SEED_DEMO_DATA === 'true' || values.SEED_DEMO_DATA === '1',
    demoValuesUsed,
  }
}

/** An http(s) origin with an optional path prefix, no query or fragment; returned without a trailing slash. */
function readPublicBaseUrl(value: string, problems: string[]): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    problems.push('PUBLIC_BASE_URL must be an absolute http(s) URL, e.g. https://api.example.com')
    return value
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    problems.push('PUBLIC_BASE_URL must be an http(s) URL without query, fragment or credentials, e.g. https://api.example.com')
  }
  return value.replace(/\/+$/, '')
}
