import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// Declaring CallTokenRegister changes the types of the whole program it is in, so each case compiles alone.
const root = fileURLToPath(new URL('../../../', import.meta.url))
const paths = Object.fromEntries(
  ['core', 'stream', 'fastify'].map((name) => [`@calltoken/${name}`, [join(root, `packages/${name}/src/index.ts`)]]),
)
paths['@calltoken/core/http'] = [join(root, 'packages/core/src/http/index.ts')]
paths['@calltoken/core/provider'] = [join(root, 'packages/core/src/provider/index.ts')]

function problemsOf(code: string): string[] {
  // Inside the package, so `fastify` resolves from its node_modules.
  const base = fileURLToPath(new URL('../.types-check/', import.meta.url))
  mkdirSync(base, { recursive: true })
  const dir = mkdtempSync(join(base, 'register-'))
  const file = join(dir, 'app.ts')
  writeFileSync(file, code)
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(root, 'node_modules/@types')],
    baseUrl: root,
    paths,
  })
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '))
}

const app = (register: string) => `
import Fastify from 'fastify'
import { stream, type StreamProvider } from '@calltoken/stream'
import { fastifyCallToken, tokenRoute } from '@calltoken/fastify'
${register}
const app = Fastify()
const provider = stream({ apiKey: 'key', apiSecret: 'secret' })
await app.register(fastifyCallToken, { provider })
const issued = await app.callToken.createCallToken({ userId: 'alice', callId: 'standup' })
const cid: string = issued.connect.callCid
const role: string = issued.role
await app.register(tokenRoute, {
  provider,
  allowAnonymous: true,
  route: {
    name: 'standup', kind: 'call', method: 'get', path: '/standup/token',
    input: () => ({ userId: 'alice', callId: 'standup' }),
    respond: (issued) => ({ token: issued.token, cid: issued.kind === 'call' ? issued.connect.callCid : undefined }),
  },
})
export { cid, role }
`

describe('CallTokenRegister types fastify.callToken and tokenRoute by the app’s provider', () => {
  it('with the provider registered, connect and role are typed', () => {
    expect(problemsOf(app("declare module '@calltoken/fastify' { interface CallTokenRegister { provider: StreamProvider } }"))).toEqual([])
  }, 60_000)

  it('without it, connect is unknown: the same code does not compile', () => {
    const problems = problemsOf(app('export type Unused = StreamProvider'))
    expect(problems.some((p) => /connect.* is of type 'unknown'/.test(p))).toBe(true)
  }, 60_000)
})
