import { z } from 'zod'
import { DEMO_CREDENTIALS, type DemoCredentialName } from './demo-credentials.ts'

export interface Config {
  readonly env: 'development' | 'test' | 'production'
  readonly host: string
  readonly port: number
  readonly logLevel: string
  /** PostgreSQL when `url` is set, else PGlite in `pgliteDir`. */
  readonly database: { readonly url?: string; readonly pgliteDir: string }
  readonly agora: { readonly appId: string; readonly appCertificate: string }
  readonly jwt: { readonly secret: string; readonly issuer?: string; readonly audience?: string }
  /** Keys the masked public ids (OTO#…); rotating it changes every public id. */
  readonly publicIdSecret: string
  /** Call records older than this are removed by the `prune-calls` script. */
  readonly retentionDays: number
  /** The demo values in use (never in production), so start-up can say so. */
  readonly demoCredentials: readonly DemoCredentialName[]
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const hex32 = (name: string) => z.string().regex(/^[0-9a-fA-F]{32}$/, `${name} must be 32 hexadecimal characters (copy it from Agora Console)`)
const secret = (name: string) => z.string().min(32, `${name} must be at least 32 characters`)

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'NODE_ENV must be development, test or production' }).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535, 'PORT must be a port number (0-65535)').default(3003),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' })
    .default('info'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'DATABASE_URL must be a postgres:// or postgresql:// URL').optional(),
  PGLITE_DIR: z.string().default('.data/pglite'),
  AGORA_APP_ID: hex32('AGORA_APP_ID').optional(),
  AGORA_APP_CERTIFICATE: hex32('AGORA_APP_CERTIFICATE').optional(),
  JWT_SECRET: secret('JWT_SECRET').optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  PUBLIC_ID_SECRET: secret('PUBLIC_ID_SECRET').optional(),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650, 'RETENTION_DAYS must be a whole number of days (1-3650)').default(90),
})

const DEMO_NAMES = Object.keys(DEMO_CREDENTIALS) as DemoCredentialName[]

/**
 * Reads and validates the environment once, at start-up. Every problem is reported at once, one line
 * each, so a deploy fails with the full list instead of one variable per attempt.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (e.g. `FOO=` in a .env file) means "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''))
  const parsed = schema.safeParse(present)
  const problems: string[] = []
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment')
      // Our messages name the variable; zod's defaults (e.g. for NaN) do not.
      problems.push(issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`)
    }
  }
  const nodeEnv = parsed.success ? parsed.data.NODE_ENV : present.NODE_ENV === 'production' ? 'production' : 'development'
  const production = nodeEnv === 'production'

  // The demo values make `pnpm dev` work out of the box, and must never reach production.
  const credentials = {} as Record<DemoCredentialName, string>
  const demoInUse: DemoCredentialName[] = []
  for (const name of DEMO_NAMES) {
    const value = present[name]?.trim()
    if (value === undefined) {
      if (production) problems.push(`${name} is required when NODE_ENV=production`)
      else demoInUse.push(name)
      credentials[name] = DEMO_CREDENTIALS[name]
    } else {
      if (production && value === DEMO_CREDENTIALS[name]) problems.push(`${name} is the documented demo value; set your own when NODE_ENV=production`)
      credentials[name] = value
    }
  }
  if (credentials.AGORA_APP_ID.toLowerCase() === credentials.AGORA_APP_CERTIFICATE.toLowerCase()) {
    problems.push('AGORA_APP_ID and AGORA_APP_CERTIFICATE are the same value; one of them is wrong')
  }
  if (credentials.JWT_SECRET === credentials.PUBLIC_ID_SECRET) {
    problems.push('JWT_SECRET and PUBLIC_ID_SECRET must differ (one signs sessions, the other keys public ids)')
  }

  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems)
  const data = parsed.data
  return {
    env: data.NODE_ENV,
    host: data.HOST,
    port: data.PORT,
    logLevel: data.LOG_LEVEL,
    database: { ...(data.DATABASE_URL === undefined ? {} : { url: data.DATABASE_URL }), pgliteDir: data.PGLITE_DIR },
    agora: { appId: credentials.AGORA_APP_ID, appCertificate: credentials.AGORA_APP_CERTIFICATE },
    jwt: {
      secret: credentials.JWT_SECRET,
      ...(data.JWT_ISSUER === undefined ? {} : { issuer: data.JWT_ISSUER }),
      ...(data.JWT_AUDIENCE === undefined ? {} : { audience: data.JWT_AUDIENCE }),
    },
    publicIdSecret: credentials.PUBLIC_ID_SECRET,
    retentionDays: data.RETENTION_DAYS,
    demoCredentials: demoInUse,
  }
}
