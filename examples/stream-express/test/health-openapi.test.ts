// GET /api/health and GET /api/openapi.json, and what the app answers for an unknown route.
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { openApiDocument } from '@calltoken/express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { violations } from '../../../packages/express/test/support/json-schema'
import { apiDocument } from '../src/routes/openapi'
import { startTestApp, withApp, type TestApp, type TestResponse } from './support/app'
import { databaseVariants, type TestDatabase } from './support/databases'
import { demoStream } from './support/providers'

type Doc = Record<string, any>

const REDOCLY = fileURLToPath(new URL('../../../packages/express/node_modules/@redocly/cli/bin/cli.js', import.meta.url))
const LINT_TIMEOUT_MS = 60_000

interface LintProblem {
  readonly ruleId: string
  readonly severity: 'error' | 'warn'
  readonly message: string
  readonly location: readonly { readonly pointer: string }[]
}

/** `redocly lint` with the recommended ruleset, offline: no telemetry, no update check, no config file found. */
async function lint(document: unknown): Promise<{ errors: number; warnings: number; problems: LintProblem[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'stream-express-lint-'))
  try {
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(document, null, 2))
    const args = [REDOCLY, 'lint', 'openapi.json', '--extends=recommended', '--format=json']
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }
    let stdout: string
    try {
      ;({ stdout } = await promisify(execFile)(process.execPath, args, { cwd: dir, env, timeout: LINT_TIMEOUT_MS }))
    } catch (error) {
      // Exit code 1 when there are errors; the report is still on stdout.
      const failed = error as { stdout?: string; killed?: boolean; stderr?: string }
      if (failed.killed) throw new Error(`redocly lint did not finish within ${LINT_TIMEOUT_MS} ms`)
      if (!failed.stdout) throw new Error(`redocly lint failed: ${failed.stderr}`)
      stdout = failed.stdout
    }
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: LintProblem[] }
    return { errors: report.totals.errors, warnings: report.totals.warnings, problems: report.problems }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const summary = (problems: readonly LintProblem[]) => problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)

/** Where a real answer disagrees with the document: undocumented status, or a body not as documented. */
function nonConformance(doc: Doc, method: string, path: string, response: TestResponse): string[] {
  const documented = doc.paths[path]?.[method]?.responses?.[String(response.status)]
  if (!documented) return [`${response.status} is not documented for ${method.toUpperCase()} ${path}`]
  const schema = documented.content?.['application/json']?.schema
  if (!schema) return ['no application/json content documented']
  return violations(response.body, schema, doc)
}

describe.each(databaseVariants)('health and OpenAPI on $name', (variant) => {
  let database: TestDatabase
  let app: TestApp

  beforeAll(async () => {
    database = await variant.create()
    app = await startTestApp(database)
  })
  afterAll(async () => {
    await app?.close()
    await database?.cleanup()
  })

  it('GET /api/health: 200 with the database driver and the provider, flagging demo credentials', async () => {
    const response = await app.get('/api/health')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.body).toEqual({
      status: 'ok',
      database: { ok: true, driver: variant.name },
      provider: { id: 'stream', configured: true, demoCredentials: true },
    })
  })

  it('GET /api/health: 503 once the database is unreachable', async () => {
    await withApp(variant, {}, async (broken) => {
      await broken.server.database.close()
      const response = await broken.get('/api/health')
      expect(response.status).toBe(503)
      expect(response.body).toMatchObject({ status: 'unavailable', database: { ok: false, driver: variant.name } })
      expect(nonConformance((await broken.get('/api/openapi.json')).body, 'get', '/api/health', response)).toEqual([])
    })
  })

  it('GET /api/openapi.json: every route the app serves — the library’s token routes, the signed-in user’s token, health and itself', async () => {
    const response = await app.get('/api/openapi.json')
    expect(response.status).toBe(200)
    const doc = response.body
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.servers).toEqual([{ url: '/' }])
    expect(doc.info.license).toEqual({ name: 'MIT', identifier: 'MIT' })
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/health',
      '/api/openapi.json',
      '/api/tokens/call',
      '/api/tokens/refresh',
      '/api/tokens/user',
      '/api/v1/stream/token',
    ])
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    // Bearer auth everywhere (the token routes inherit it), except the two public routes.
    expect(doc.security).toEqual([{ bearerAuth: [] }])
    for (const path of ['/api/tokens/call', '/api/tokens/user', '/api/tokens/refresh']) expect(doc.paths[path].post).not.toHaveProperty('security')
    expect(doc.paths['/api/v1/stream/token'].post.security).toEqual([{ bearerAuth: [] }])
    expect(doc.paths['/api/health'].get.security).toEqual([])
    expect(doc.paths['/api/openapi.json'].get.security).toEqual([])
    // Authenticated: the user id comes from the JWT, so only callId is required on the call route.
    expect(doc.components.schemas.CallTokenRequest.required).toEqual(['callId'])
    expect(doc.components.schemas.CallTokenRequest.properties.role).toMatchObject({ enum: ['admin', 'moderator', 'member'], description: expect.stringMatching(/Default: member$/) })
    expect(doc.components.schemas.UserTokenRequest.properties.validityInSeconds).toEqual({
      type: 'integer',
      minimum: 60,
      maximum: 86_400,
      description: 'Token validity in seconds. Default: 3600',
    })
    expect(doc.components.schemas.TokenResponse.properties.data.properties.refreshToken).toMatchObject({ type: 'string' })
    const stream = doc.paths['/api/v1/stream/token'].post
    expect(Object.keys(stream.responses)).toEqual(['200', '400', '401', '413', '415', '422', '429', '500'])
    expect(stream.requestBody).toEqual({ required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/StreamTokenRequest' } } } })
    expect(doc.components.schemas.StreamTokenRequest).toMatchObject({ type: 'object' })
    expect(Object.keys(doc.paths['/api/health'].get.responses)).toEqual(['200', '503'])
  })

  it('the served document describes what the app answers (its own routes and the token routes)', async () => {
    const doc = (await app.get('/api/openapi.json')).body as Doc
    const alice = await app.jwt('alice')
    const checks: [string, string, TestResponse][] = [
      ['get', '/api/health', await app.get('/api/health')],
      ['get', '/api/openapi.json', await app.get('/api/openapi.json')],
      ['post', '/api/v1/stream/token', await app.post('/api/v1/stream/token', { jwt: alice })],
      ['post', '/api/v1/stream/token', await app.post('/api/v1/stream/token', { jwt: alice, body: { userId: 'bob' } })],
      ['post', '/api/v1/stream/token', await app.post('/api/v1/stream/token')],
      ['post', '/api/v1/stream/token', await app.post('/api/v1/stream/token', { jwt: alice, body: '{"a":', headers: { 'content-type': 'application/json' } })],
      ['post', '/api/v1/stream/token', await app.post('/api/v1/stream/token', { jwt: alice, body: 'a=b', headers: { 'content-type': 'text/plain' } })],
      ['post', '/api/tokens/user', await app.post('/api/tokens/user', { jwt: alice })],
      ['post', '/api/tokens/call', await app.post('/api/tokens/call', { jwt: alice, body: { callId: 'standup', role: 'admin' } })],
      ['post', '/api/tokens/call', await app.post('/api/tokens/call', { jwt: alice, body: { callId: 'a:b' } })],
      ['post', '/api/tokens/call', await app.post('/api/tokens/call', { body: { callId: 'standup' } })],
      ['post', '/api/tokens/user', await app.post('/api/tokens/user', { jwt: await app.jwt('bob'), body: { userId: 'alice' } })],
    ]
    expect(new Set(checks.map(([, , response]) => response.status))).toEqual(new Set([200, 400, 401, 403, 415, 422]))
    for (const [method, path, response] of checks) {
      expect(nonConformance(doc, method, path, response), `${method} ${path} ${response.status} ${response.text.slice(0, 200)}`).toEqual([])
    }
  })

  it(
    'redocly lint (recommended rules) finds no errors in the served document nor in a plain openApiDocument({ provider })',
    async () => {
      const plain = await lint(openApiDocument({ provider: demoStream }))
      expect(summary(plain.problems)).toEqual([])
      expect([plain.errors, plain.warnings]).toEqual([0, 0])
      for (const options of [{ authenticated: false }, { refresh: false }] as const) {
        const variant = await lint(openApiDocument({ provider: demoStream, ...options }))
        expect(summary(variant.problems), JSON.stringify(options)).toEqual([])
      }

      // The only warnings: GET /api/health and /api/openapi.json answer no 4XX at all, so they document none.
      const expected = [
        'warn operation-4xx-response #/paths/~1api~1health/get/responses: Operation must have at least one `4XX` response.',
        'warn operation-4xx-response #/paths/~1api~1openapi.json/get/responses: Operation must have at least one `4XX` response.',
      ]
      const served = await lint((await app.get('/api/openapi.json')).body)
      expect(served.errors).toBe(0)
      expect(summary(served.problems)).toEqual(expected)
      // The same app with ALLOW_ANONYMOUS_TOKENS=true (the signed-in user's token route still takes a session JWT).
      const anonymous = await lint(apiDocument(demoStream, false))
      expect(summary(anonymous.problems)).toEqual(expected)
    },
    4 * LINT_TIMEOUT_MS,
  )

  it('answers 404 in JSON for an unknown route, with a request id', async () => {
    const response = await app.get('/api/nope', { headers: { 'x-request-id': 'trace-123' } })
    expect(response.status).toBe(404)
    expect(response.body).toEqual({ success: false, error: 'Not found' })
    expect(response.headers.get('x-request-id')).toBe('trace-123')
    expect(response.headers.get('x-powered-by')).toBeNull()
  })
})
