// The curl of the Express and Fastify READMEs, run against the server of the README's own usage block (the TypeScript
// block right above it, as written, with demo credentials and a free port), each answer checked against the README.
import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import jwt from 'jsonwebtoken'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO } from '../../examples/quickstart/src/demo-credentials'
import { freePort } from '../../examples/quickstart/src/free-port'
import { readmeText, runnerCommands, type ShellCommand } from './shell-commands'
import { hasCurl, runSession, type Substitution } from './shell-session'
import { snippetsOf } from './snippets'

const root = fileURLToPath(new URL('../../', import.meta.url))
const docs = fileURLToPath(new URL('../', import.meta.url))
const BY = 'docs/test/package-readme-curl.test.ts'

const curl = hasCurl()
if (!curl) console.warn(`\n⚠️  [docs] curl not found: the Express and Fastify README curls are ${process.env.CI ? 'FAILING (CI)' : 'SKIPPED'}.\n`)

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** The README's curl commands, and the usage block right above the first (the server they call). */
function readme(file: string): { curls: ShellCommand[]; server: string } {
  const curls = runnerCommands(root, BY, file)
  if (curls.length === 0) throw new Error(`${file} has no curl command`)
  const blocks = snippetsOf(file, readmeText(root, file)).filter((snippet) => snippet.line < curls[0]!.line)
  if (blocks.length === 0) throw new Error(`${file}: no TypeScript block above its curl`)
  return { curls, server: blocks[blocks.length - 1]!.code }
}

function replaceOnce(code: string, from: string, to: string, file: string): string {
  if (code.split(from).length !== 2) throw new Error(`${file}: the usage block should contain ${JSON.stringify(from)} exactly once`)
  return code.replace(from, to)
}

/**
 * Runs the usage block as a user would (`tsx server.ts`), in a directory under docs/ so that its imports resolve
 * (express and fastify from docs/node_modules, @calltoken/* from the sources through the root tsconfig's paths).
 */
async function startServer(code: string, env: Record<string, string>, port: number): Promise<{ output: () => string }> {
  const dir = mkdtempSync(join(docs, '.readme-run-'))
  writeFileSync(join(dir, 'server.ts'), code)
  let output = ''
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await Promise.race([once(child, 'exit'), delay(5000)])
      child.kill('SIGKILL')
    }
    rmSync(dir, { recursive: true, force: true })
  })
  for (const deadline = Date.now() + 60_000; ; ) {
    if (child.exitCode !== null) throw new Error(`the usage block exited with ${child.exitCode}:\n${output}`)
    try {
      await fetch(`http://localhost:${port}/`)
      return { output: () => output }
    } catch {
      if (Date.now() > deadline) throw new Error(`the usage block did not listen on ${port} within 60 s:\n${output}`)
      await delay(200)
    }
  }
}

async function runCurls(curls: ShellCommand[], port: number, env: Record<string, string>, server: { output: () => string }) {
  const substitutions: Substitution[] = [{ from: 'localhost:3000', to: `localhost:${port}` }]
  const { problems, results } = await runSession(
    curls.map((command) => ({ kind: 'command', command })),
    { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, substitutions, timeoutMs: 60_000 },
  )
  expect(problems, `the server printed:\n${server.output()}`).toEqual([])
  expect(results).toHaveLength(curls.length)
}

describe.skipIf(!curl && !process.env.CI)("the package READMEs' curl against their usage block", () => {
  it('packages/express/README.md', async () => {
    const file = 'packages/express/README.md'
    const { curls, server } = readme(file)
    const port = await freePort()
    const secret = randomBytes(32).toString('hex')
    const running = await startServer(replaceOnce(server, 'app.listen(3000)', `app.listen(${port})`, file), {
      STREAM_API_KEY: DEMO.stream.apiKey,
      STREAM_API_SECRET: DEMO.stream.apiSecret,
      SESSION_JWT_SECRET: secret,
    }, port)
    // The README leaves $SESSION_JWT to the reader's sign-in: a session JWT of alice, a moderator, as its comment describes.
    const SESSION_JWT = jwt.sign({ sub: 'alice', roles: ['moderator'] }, secret, { expiresIn: '1h' })
    await runCurls(curls, port, { SESSION_JWT }, running)
  }, 90_000)

  it('packages/fastify/README.md', async () => {
    const file = 'packages/fastify/README.md'
    const { curls, server } = readme(file)
    // The identity provider the block names (idp.example.com), played by a JWKS endpoint on 127.0.0.1.
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const idp: Server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'readme', alg: 'RS256', use: 'sig' }] }))
    })
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => idp.close(() => resolve())))
    const jwks = `http://127.0.0.1:${(idp.address() as { port: number }).port}/.well-known/jwks.json`
    const port = await freePort()
    let code = replaceOnce(server, "jwksUrl: 'https://idp.example.com/.well-known/jwks.json'", `jwksUrl: '${jwks}'`, file)
    code = replaceOnce(code, 'app.listen({ port: 3000 })', `app.listen({ port: ${port} })`, file)
    const running = await startServer(code, { AGORA_APP_ID: DEMO.agora.appId, AGORA_APP_CERTIFICATE: DEMO.agora.appCertificate }, port)
    // $ID_TOKEN: what that identity provider would issue alice, for the issuer and audience the block accepts.
    const ID_TOKEN = jwt.sign({ sub: 'alice' }, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      algorithm: 'RS256',
      keyid: 'readme',
      issuer: 'https://idp.example.com/',
      audience: 'video-api',
      expiresIn: '1h',
    })
    await runCurls(curls, port, { ID_TOKEN }, running)
  }, 90_000)
})
