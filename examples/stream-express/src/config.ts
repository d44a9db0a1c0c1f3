import { resolve } from 'node:path'
import { isCallTokenError } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { z } from 'zod'
import { DEMO } from './demo-credentials'

export interface Config {
  readonly nodeEnv: 'development' | 'test' | 'production'
  readonly host: string
  readonly port: number
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  readonly stream: { readonly apiKey: string; readonly apiSecret: string }
  readonly session: { readonly jwtSecret: string; readonly issuer?: string; readonly audience?: string }
  /** PostgreSQL when `url` is set, else PGlite with its data in `pgliteDir`. */
  readonly database: { readonly url?: string; readonly pgliteDir: string }
  /**
   * The user and call token routes as the original API has them: anyone may ask for a token for any user id.
   * Never in production.
   */
  readonly allowAnonymousTokens: boolean
  /** Token requests per user (per IP when anonymous) and route, per window. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number }
  /** Proxy hops in front of the app, so req.ip (the anonymous rate-limit key) is the client's. */
  readonly trustProxy: number
  /** Serve the live token-flow page at / with its demo sign-in (development only). */
  readonly demoPage: boolean
  /** Create the demo users when the users table is empty. */
  readonly seedDemoUsers: boolean
  /** Variables that fell back to a demo value (logged at start-up). */
  readonly demoValues: readonly string[]
}

/** Every problem with the environment, one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))

const boolean = z.enum(['true', 'false'], { error: 'must be "true" or "false"' }).transform((v) => v === 'true')

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'must be development, test or production' }).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: integer(0, 65_535).default(3000),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  STREAM_API_KEY: z.string().optional(),
  STREAM_API_SECRET: z.string().optional(),
  SESSION_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 needs 256 bits of key)').optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// connection URL')
    .optional(),
  PGLITE_DATA_DIR: z.string().default('.data/pglite'),
  ALLOW_ANONYMOUS_TOKENS: boolean.default(false),
  RATE_LIMIT_MAX: integer(1, 1_000_000).default(60),
  RATE_LIMIT_WINDOW_MS: integer(1000, 86_400_000).default(60_000),
  TRUST_PROXY: integer(0, 10).default(0),
  SEED_DEMO_USERS: boolean.optional(),
  DEMO_PAGE: boolean.optional(),
})

type Env = Readonly<Record<string, string | undefined>>

/** Reads and checks the environment once, at start-up; throws a ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  // An empty variable (`FOO=` in a .env file) counts as unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
  }
  const vars = parsed.data
  const production = vars.NODE_ENV === 'production'
  const problems: string[] = []
  const demoValues: string[] = []

  // Secrets fall back to the documented demo values in development; production refuses both absence and demo values.
  const secret = (name: 'STREAM_API_KEY' | 'STREAM_API_SECRET' | 'SESSION_JWT_SECRET', demo: string): string => {
    const value = vars[name]
    if (production && value === undefined) problems.push(`${name}: is required when NODE_ENV=production`)
    else if (production && value === demo) problems.push(`${name}: is the documented demo value, refused when NODE_ENV=production`)
    if (value === undefined) demoValues.push(name)
    return value ?? demo
  }
  const apiKey = secret('STREAM_API_KEY', DEMO.stream.apiKey)
  const apiSecret = secret('STREAM_API_SECRET', DEMO.stream.apiSecret)
  const jwtSecret = secret('SESSION_JWT_SECRET', DEMO.sessionJwtSecret)
  problems.push(...streamCredentialProblems(apiKey, apiSecret))

  if (production && vars.ALLOW_ANONYMOUS_TOKENS) {
    problems.push('ALLOW_ANONYMOUS_TOKENS: is refused when NODE_ENV=production (anyone could get a token for any user id)')
  }
  if (production && vars.SEED_DEMO_USERS) problems.push('SEED_DEMO_USERS: is refused when NODE_ENV=production')
  if (production && vars.DEMO_PAGE) problems.push('DEMO_PAGE: is refused when NODE_ENV=production (its demo sign-in signs anyone in as a demo user)')
  if (problems.length > 0) throw new ConfigError(problems)

  return {
    nodeEnv: vars.NODE_ENV,
    host: vars.HOST,
    port: vars.PORT,
    logLevel: vars.LOG_LEVEL,
    stream: { apiKey, apiSecret },
    session: {
      jwtSecret,
      ...(vars.JWT_ISSUER === undefined ? {} : { issuer: vars.JWT_ISSUER }),
      ...(vars.JWT_AUDIENCE === undefined ? {} : { audience: vars.JWT_AUDIENCE }),
    },
    database: { ...(vars.DATABASE_URL === undefined ? {} : { url: vars.DATABASE_URL }), pgliteDir: resolve(vars.PGLITE_DATA_DIR) },
    allowAnonymousTokens: vars.ALLOW_ANONYMOUS_TOKENS,
    rateLimit: { max: vars.RATE_LIMIT_MAX, windowMs: vars.RATE_LIMIT_WINDOW_MS },
    trustProxy: vars.TRUST_PROXY,
    seedDemoUsers: vars.SEED_DEMO_USERS ?? !production,
    demoPage: vars.DEMO_PAGE ?? !production,
    demoValues,
  }
}

/** The adapter's own credential checks (placeholders, whitespace…), reported under the variable's name. */
function streamCredentialProblems(apiKey: string, apiSecret: string): string[] {
  try {
    stream({ apiKey, apiSecret })
    return []
  } catch (error) {
    if (!isCallTokenError(error)) throw error
    // The adapter names the option (apiKey / apiSecret) and never echoes the value.
    const key = /\bapiKey\b/.test(error.message)
    const secret = /\bapiSecret\b/.test(error.message)
    const name = key === secret ? 'STREAM_API_KEY/STREAM_API_SECRET' : key ? 'STREAM_API_KEY' : 'STREAM_API_SECRET'
    return [`${name}: ${error.message}`]
  }
}
