import { build } from 'esbuild'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const BUDGET_BYTES = 3 * 1024

/** What an app's bundler makes of `import { …names } from '@calltoken/client…'`: minified, tree-shaken, for browsers. */
async function bundled(names: string, from: string) {
  const result = await build({
    stdin: { contents: `export { ${names} } from './src/${from}.ts'`, resolveDir: root, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'neutral', // no Node built-ins to fall back on: an import of one fails the build
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]!.contents
  return { text: new TextDecoder().decode(code), min: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

describe('size and portability', () => {
  it(`createTokenSource alone is at most ${BUDGET_BYTES} bytes minified and gzipped`, async () => {
    const { min, gzip } = await bundled('createTokenSource', 'index')
    console.info(`createTokenSource: ${min} B minified, ${gzip} B gzipped (budget ${BUDGET_BYTES} B)`)
    expect(gzip).toBeLessThanOrEqual(BUDGET_BYTES)
  })

  it.each([
    ['streamTokenProvider', 'stream', 400],
    ['agoraRenewal', 'agora', 700],
    ['agoraRtmRenewal', 'agora', 400],
    ['twilioConnect, twilioToken', 'twilio', 400],
    ['liveKitTokenSource, liveKitConnect', 'livekit', 400],
    ['zoomJoin', 'zoom', 300],
    ['dailyJoin', 'daily', 300],
  ])('%s is tree-shaken from the token source and small', async (names, from, budget) => {
    const { text, gzip } = await bundled(names, from)
    expect(text).not.toContain('ERR_CALLTOKEN_TIMEOUT') // none of createTokenSource came along
    expect(gzip).toBeLessThanOrEqual(budget)
  })

  it('the sources use no Node API and touch DOM globals only through guards', () => {
    for (const file of readdirSync(`${root}src`)) {
      const text = readFileSync(`${root}src/${file}`, 'utf8')
      expect(text, file).not.toMatch(/from ['"]node:|require\(|\bprocess\.|\bBuffer\b|\b__dirname\b/)
      // document, navigator, window and addEventListener are read from globalThis, each optional.
      expect(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''), file).not.toMatch(/(?<![.\w?])(document|navigator|window)\s*\./)
    }
  })

  it('loads and runs with no DOM globals, as in Node, React Native and workers', async () => {
    const { text } = await bundled('createTokenSource', 'index')
    const module = await import(`data:text/javascript;base64,${Buffer.from(text).toString('base64')}`)
    const source = module.createTokenSource({
      fetchToken: async () => ({ token: 't', expiresAt: Date.now() + 60_000 }),
    })
    expect((await source.get()).token).toBe('t')
    source.stop()
  })
})
