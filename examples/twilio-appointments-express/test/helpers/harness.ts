import { Writable } from 'node:stream'
import { randomBytes } from 'node:crypto'
import { loadConfig, type Config } from '../../src/config'
import type { Database } from '../../src/db/client'
import { appointments, users } from '../../src/db/schema'
import { signSessionToken } from '../../src/session-token'
import { startApp, type RunningApp } from '../../src/start'

/** What Twilio would call: the public URL behind the proxy, never the 127.0.0.1 address the test server listens on. */
export const PUBLIC_BASE_URL = 'https://appointments.example.test'

/** The app's configuration in tests: the documented demo credentials, port 0. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', PUBLIC_BASE_URL, LOG_LEVEL: 'info', SEED_DEMO_DATA: 'false', ...env })
}

/** Every log line the app writes, parsed. */
export class LogCapture {
  readonly lines: string[] = []
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0))
      done()
    },
  })
  get text(): string {
    return this.lines.join('\n')
  }
  get records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  }
}

/** A clock the test moves by hand (token times); the bearer JWTs still use the real clock. */
export function manualClock(startMs = Date.now()) {
  const clock = { ms: startMs, now: () => clock.ms, advance: (seconds: number) => void (clock.ms += seconds * 1000) }
  return clock
}

export interface TestApp extends RunningApp {
  readonly config: Config
  readonly logs: LogCapture
  fetch(path: string, init?: RequestInit & { user?: number | string }): Promise<Response>
}

export async function startTestApp(database: Database, options: { env?: Record<string, string>; now?: () => number } = {}): Promise<TestApp> {
  const config = testConfig(options.env)
  const logs = new LogCapture()
  const running = await startApp(config, { database, logDestination: logs.stream, ...(options.now ? { now: options.now } : {}) })
  return {
    ...running,
    config,
    logs,
    async fetch(path, { user, headers, ...init } = {}) {
      const auth: Record<string, string> = user === undefined ? {} : { authorization: `Bearer ${await signSessionToken(config.sessionJwtSecret, user)}` }
      return fetch(`${running.url}${path}`, { ...init, headers: { ...auth, ...(headers as Record<string, string> | undefined) } })
    },
  }
}

export interface Parties {
  psychologist: { id: number; email: string }
  patient: { id: number; email: string }
  outsider: { id: number; email: string }
}

/** Three new users (unique emails) in the database. */
export async function createParties(database: Database): Promise<Parties> {
  const tag = randomBytes(4).toString('hex')
  const rows = await database.db
    .insert(users)
    .values([
      { email: `dr.${tag}@example.com`, fullName: 'Dr. Test', role: 'psychologist' },
      { email: `patient.${tag}@example.com`, fullName: 'Pat Test', role: 'patient' },
      { email: `other.${tag}@example.com`, fullName: 'Other Test', role: 'patient' },
    ])
    .returning({ id: users.id, email: users.email })
  return { psychologist: rows[0]!, patient: rows[1]!, outsider: rows[2]! }
}

export async function createAppointment(database: Database, parties: Parties, durationMinutes = 60): Promise<number> {
  const [row] = await database.db
    .insert(appointments)
    .values({ patientId: parties.patient.id, psychologistId: parties.psychologist.id, startsAt: new Date('2026-12-01T10:00:00Z'), durationMinutes })
    .returning({ id: appointments.id })
  return row!.id
}
