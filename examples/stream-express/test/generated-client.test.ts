// The served OpenAPI document is good enough to generate a client from: openapi-typescript (default options)
// types it, tsc --strict accepts correct calls and refuses wrong ones, and the generated client mints a token.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import openapiTS, { astToString } from 'openapi-typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from './support/app'
import { databaseVariants, type TestDatabase } from './support/databases'

const run = promisify(execFile)
const exampleDir = fileURLToPath(new URL('..', import.meta.url))
const tscBin = join(exampleDir, 'node_modules', 'typescript', 'bin', 'tsc')
const TSC_TIMEOUT_MS = 90_000

/** The client an app developer would write against the generated `paths`. Wrong calls are marked, one per line. */
const CLIENT = `import createClient from 'openapi-fetch'
import type { components, paths } from './api'

export type Client = ReturnType<typeof apiClient>

export function apiClient(baseUrl: string, jwt?: string) {
  return createClient<paths>({ baseUrl, ...(jwt === undefined ? {} : { headers: { authorization: \`Bearer \${jwt}\` } }) })
}

/** Only callId is required: role and validityInSeconds have defaults, and must stay optional in the types. */
export async function callToken(client: Client, callId: string) {
  const { data, error, response } = await client.POST('/api/tokens/call', { body: { callId } })
  // A 500 may also be the app's own \`{ success: false, error }\`, which has no code.
  if (error) return { status: response.status, code: 'code' in error ? error.code : undefined }
  const token: string = data.data.token
  const role: string | undefined = data.data.role
  const refreshToken: string | undefined = data.data.refreshToken
  return { status: response.status, token, role, refreshToken, expiresAt: new Date(data.data.expiresAt) }
}

export async function userToken(client: Client) {
  const { data, response } = await client.POST('/api/tokens/user', { body: { validityInSeconds: 600 } })
  return { status: response.status, token: data?.data.token, validityInSeconds: data?.data.validityInSeconds }
}

export async function refreshed(client: Client, refreshToken: string) {
  const { data, error, response } = await client.POST('/api/tokens/refresh', { body: { refreshToken } })
  return { status: response.status, token: data?.data.token, code: error && 'code' in error ? error.code : undefined }
}

export async function streamToken(client: Client) {
  const { data, response } = await client.POST('/api/v1/stream/token', { body: {} })
  return { status: response.status, token: data?.data.token, message: data?.message }
}

export async function health(client: Client) {
  const { data, response } = await client.GET('/api/health')
  const driver: 'pglite' | 'postgres' | undefined = data?.database.driver
  return { status: response.status, driver }
}

export function wrongCalls(client: Client): void {
  // @ts-expect-error WRONG: role is one of the policy's roles
  void client.POST('/api/tokens/call', { body: { callId: 'standup', role: 'owner' } })
  // @ts-expect-error WRONG: callId is required
  void client.POST('/api/tokens/call', { body: { role: 'member' } })
  // openapi-fetch infers \`init\`, so TypeScript's excess-property check does not reach an inline body; a body typed
  // with the generated schema gets it (the server refuses unknown fields with a 422 either way).
  // @ts-expect-error WRONG: an unknown field (additionalProperties: false)
  const body: components['schemas']['CallTokenRequest'] = { callId: 'standup', colour: 'red' }
  void client.POST('/api/tokens/call', { body })
  // @ts-expect-error WRONG: validityInSeconds is a number
  void client.POST('/api/tokens/user', { body: { validityInSeconds: '600' } })
  // @ts-expect-error WRONG: the refresh body is { refreshToken }
  void client.POST('/api/tokens/refresh', { body: { token: 'a-provider-token' } })
  // @ts-expect-error WRONG: no such route
  void client.POST('/api/tokens/room', { body: {} })
}
`

/** What client.ts exports, as this test calls it (the module itself is only compiled in the temp directory). */
interface GeneratedClient {
  apiClient(baseUrl: string, jwt?: string): object
  callToken(client: object, callId: string): Promise<{ status: number; token?: string; role?: string; refreshToken?: string; code?: string }>
  userToken(client: object): Promise<{ status: number; token?: string; validityInSeconds?: number }>
  refreshed(client: object, refreshToken: string): Promise<{ status: number; token?: string; code?: string }>
  streamToken(client: object): Promise<{ status: number; token?: string; message?: string }>
  health(client: object): Promise<{ status: number; driver?: string }>
}

interface TscResult {
  readonly ok: boolean
  readonly output: string
}

async function tsc(dir: string): Promise<TscResult> {
  try {
    const { stdout } = await run(process.execPath, [tscBin, '-p', join(dir, 'tsconfig.json'), '--noEmit', '--strict', '--pretty', 'false'], {
      cwd: dir,
      timeout: TSC_TIMEOUT_MS,
    })
    return { ok: true, output: stdout }
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; killed?: boolean }
    if (failed.killed) throw new Error(`tsc did not finish within ${TSC_TIMEOUT_MS} ms`)
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` }
  }
}

describe.each(databaseVariants.slice(0, 1))('a client generated from GET /api/openapi.json ($name)', (variant) => {
  let database: TestDatabase
  let app: TestApp
  let dir: string

  beforeAll(async () => {
    database = await variant.create()
    app = await startTestApp(database)
    dir = await mkdtemp(join(tmpdir(), 'stream-express-client-'))
    const served = await app.get('/api/openapi.json')
    expect(served.status).toBe(200)
    await writeFile(join(dir, 'api.ts'), astToString(await openapiTS(served.body)))
    await writeFile(join(dir, 'client.ts'), CLIENT)
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: true },
        files: ['api.ts', 'client.ts'],
      }),
    )
    // openapi-fetch as the example has it, for tsc and for the import below.
    await mkdir(join(dir, 'node_modules'))
    await symlink(await realpath(join(exampleDir, 'node_modules', 'openapi-fetch')), join(dir, 'node_modules', 'openapi-fetch'), 'dir')
  })
  afterAll(async () => {
    await app?.close()
    await database?.cleanup()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('openapi-typescript keeps the defaulted request fields optional and types the answers', async () => {
    const api = await readFile(join(dir, 'api.ts'), 'utf8')
    expect(api).toContain('"/api/tokens/call"')
    expect(api).toContain('"/api/v1/stream/token"')
    expect(api).toContain('"/api/health"')
    expect(api).toMatch(/role\?: "admin" \| "moderator" \| "member";/)
    expect(api).toMatch(/validityInSeconds\?: number;/)
    expect(api).not.toMatch(/\brole: "admin"/)
  })

  it(
    'tsc --strict accepts the correct calls, and each marked wrong call is an error',
    async () => {
      const clean = await tsc(dir)
      expect(clean.output).toBe('')
      expect(clean.ok).toBe(true)

      // Without the directives, every marked line must fail to compile; were one of them to compile, the passing run
      // above would have failed instead, with "Unused '@ts-expect-error' directive".
      const lines = CLIENT.split('\n')
      const wrong = lines.flatMap((line, i) => (line.includes('@ts-expect-error WRONG') ? [i + 2] : [])) // the line after
      expect(wrong).toHaveLength(6)
      const broken = join(dir, 'broken')
      await mkdir(broken)
      await writeFile(join(broken, 'client.ts'), lines.map((line) => (line.includes('@ts-expect-error WRONG') ? '//' : line)).join('\n').replace("'./api'", "'../api'"))
      await writeFile(join(broken, 'tsconfig.json'), (await readFile(join(dir, 'tsconfig.json'), 'utf8')).replace('"api.ts"', '"../api.ts"'))
      const result = await tsc(broken)
      expect(result.ok).toBe(false)
      const failing = [...new Set([...result.output.matchAll(/client\.ts\((\d+),\d+\): error TS\d+/g)].map((m) => Number(m[1])))]
      expect(failing).toEqual(wrong)
    },
    4 * TSC_TIMEOUT_MS,
  )

  it('the generated client mints tokens from the running app', async () => {
    const client = (await import(pathToFileURL(join(dir, 'client.ts')).href)) as GeneratedClient
    const alice = client.apiClient(app.url, await app.jwt('alice'))

    const call = await client.callToken(alice, 'standup')
    expect(call.status).toBe(200)
    expect(call).toMatchObject({ token: expect.any(String), role: 'member' })
    if (call.refreshToken !== undefined) {
      // The routes of this build hand out refresh tokens: the generated client renews with one.
      expect(typeof call.refreshToken).toBe('string')
      const renewed = await client.refreshed(alice, call.refreshToken)
      expect(renewed).toMatchObject({ status: 200, token: expect.any(String) })
    }
    expect(await client.userToken(alice)).toMatchObject({ status: 200, token: expect.any(String), validityInSeconds: 600 })
    expect(await client.streamToken(alice)).toMatchObject({ status: 200, token: expect.any(String), message: 'Token generated successfully' })
    expect(await client.health(client.apiClient(app.url))).toEqual({ status: 200, driver: variant.name })
    // Without a session: the documented 401, typed as the error envelope.
    expect(await client.callToken(client.apiClient(app.url), 'standup')).toEqual({ status: 401, code: 'ERR_CALLTOKEN_UNAUTHENTICATED' })
  })
})
