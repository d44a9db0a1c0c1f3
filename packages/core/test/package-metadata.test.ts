import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERROR_STATUS } from '../src/index'

const root = new URL('../../../', import.meta.url)
const packagesDir = new URL('packages/', root)

interface PackageJson {
  name?: string
  private?: boolean
  license?: string
  repository?: { type?: string; url?: string; directory?: string }
  homepage?: string
  bugs?: { url?: string }
  keywords?: unknown
  bin?: unknown
}

const readJson = (url: URL) => JSON.parse(readFileSync(url, 'utf8')) as PackageJson

/** Every workspace package that npm publishes (not `private`), by folder. */
const published = readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(new URL(`${entry.name}/package.json`, packagesDir)))
  .map((entry) => ({ dir: entry.name, pkg: readJson(new URL(`${entry.name}/package.json`, packagesDir)) }))
  .filter(({ pkg }) => pkg.private !== true)

// Labels from how the work was organised, meaningless to a user: "seed 001", "issue 9", "session 3"…
const INTERNAL_LABEL = /\b(?:seed|issue|session|stop|milestone)[ #-]\d+\b/i

/** Every file under `dir` (none when it does not exist, e.g. dist/ before a build). */
function filesUnder(dir: URL): URL[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => new URL(`${entry.parentPath}/${entry.name}`, 'file://'))
}

/** GitHub's anchors for a Markdown text's headings: lower case, punctuation dropped, spaces as hyphens. */
function headingSlugs(markdown: string): string[] {
  const text = markdown.replace(/^```[^]*?^```/gm, '')
  return [...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, title]) =>
    title!.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'),
  )
}

const REPOSITORY_URL = 'git+https://github.com/calltoken/calltoken.git'

function expectMitLicense(url: URL) {
  expect(existsSync(url), `${url.pathname} exists`).toBe(true)
  const text = readFileSync(url, 'utf8')
  expect(text).toMatch(/^MIT License$/m)
  expect(text).toContain('Copyright (c) 2026 the calltoken authors')
  expect(text).toContain('Permission is hereby granted, free of charge')
  expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND')
}

describe('package metadata', () => {
  it('finds the published packages', () => {
    expect(published.map(({ dir }) => dir).sort()).toEqual(expect.arrayContaining(['agora', 'client', 'core', 'express', 'fastify', 'stream', 'test-kit', 'twilio']))
  })

  it('has an MIT LICENSE at the repository root', () => {
    expectMitLicense(new URL('LICENSE', root))
  })

  describe.each(published.map(({ dir, pkg }) => [dir, pkg] as const))('packages/%s', (dir, pkg) => {
    const file = (name: string) => new URL(`${dir}/${name}`, packagesDir)
    // The command-line tool is the unscoped `calltoken` (run as `npx calltoken`); every library is @calltoken/<folder>.
    const isCli = pkg.bin !== undefined
    const name = isCli ? 'calltoken' : `@calltoken/${dir}`

    it('is named after its folder (the CLI: calltoken, in packages/cli)', () => {
      expect(pkg.name).toBe(name)
      if (isCli) expect(dir).toBe('cli')
    })

    it('ships an MIT LICENSE and says so in package.json', () => {
      expectMitLicense(file('LICENSE'))
      expect(pkg.license).toBe('MIT')
    })

    it('points at its folder of the repository, its homepage and the issue tracker', () => {
      expect(pkg.repository).toEqual({ type: 'git', url: REPOSITORY_URL, directory: `packages/${dir}` })
      expect(pkg.homepage).toBe(`https://github.com/calltoken/calltoken/tree/main/packages/${dir}#readme`)
      expect(pkg.bugs).toEqual({ url: 'https://github.com/calltoken/calltoken/issues' })
    })

    it('has keywords: unique, lower-case, and calltoken among them', () => {
      const { keywords } = pkg
      expect(Array.isArray(keywords)).toBe(true)
      const list = keywords as unknown[]
      expect(list.length).toBeGreaterThanOrEqual(3)
      for (const keyword of list) expect(keyword).toMatch(/^[a-z0-9][a-z0-9-]*$/)
      expect(new Set(list).size).toBe(list.length)
      expect(list).toContain('calltoken')
    })

    it('has a README with an install line for the package and an example (TypeScript; the CLI: its commands)', () => {
      expect(existsSync(file('README.md')), `packages/${dir}/README.md exists`).toBe(true)
      const readme = readFileSync(file('README.md'), 'utf8')
      expect(readme.split('\n')[0]).toBe(`# ${name}`)
      const installLines = readme.split('\n').filter((line) => /^\s*npm (install|i) /.test(line))
      expect(installLines.some((line) => line.split(/\s+/).includes(name)), `an "npm install … ${name}" line`).toBe(true)
      expect(readme).toMatch(isCli ? /^```text\ncalltoken [\s\S]+?^```$/m : /^```ts\n[\s\S]+?^```$/m)
    })

    it('ships no internal label: not in its README, its sources (their comments ship in the source maps) or its build', () => {
      const texts = [file('README.md'), ...filesUnder(file('src/')), ...filesUnder(file('dist/'))]
      for (const url of texts) {
        const found = INTERNAL_LABEL.exec(readFileSync(url, 'utf8'))
        expect(found?.[0], url.pathname).toBeUndefined()
      }
    })

    it('links only to files that exist in the repository', () => {
      const readme = readFileSync(file('README.md'), 'utf8')
      for (const [, target] of readme.matchAll(/\]\((\.{1,2}\/[^)#\s]*)(?:#[^)]*)?\)/g)) {
        expect(existsSync(new URL(target!, file('README.md'))), `${dir}/README.md links to ${target}`).toBe(true)
      }
    })
  })

  it('the root README and the guides link only to files (and headings) that exist', () => {
    const guides = (dir: URL): URL[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? (entry.name === 'api' || entry.name === 'node_modules' || entry.name === 'test' ? [] : guides(new URL(`${entry.name}/`, dir))) : entry.name.endsWith('.md') ? [new URL(entry.name, dir)] : [],
      )
    for (const page of [new URL('README.md', root), ...guides(new URL('docs/', root))]) {
      const text = readFileSync(page, 'utf8')
      for (const [, target, anchor] of text.matchAll(/\]\((\.{0,2}\/?[^)#\s:]*)(?:#([^)\s]*))?\)/g)) {
        if (target === '' && anchor === undefined) continue
        const file = target === '' ? page : new URL(target!, page)
        expect(existsSync(file), `${page.pathname} links to ${target}`).toBe(true)
        if (anchor && file.pathname.endsWith('.md')) expect(headingSlugs(readFileSync(file, 'utf8')), `${page.pathname} links to ${target}#${anchor}`).toContain(anchor)
      }
    }
  })

  it("keeps @calltoken/core's README error table equal to ERROR_STATUS", () => {
    const readme = readFileSync(new URL('core/README.md', packagesDir), 'utf8')
    const rows = [...readme.matchAll(/^\| `(ERR_CALLTOKEN_[A-Z_]+)` \| (\d{3}) \|/gm)].map(([, code, status]) => [code, Number(status)] as const)
    expect(Object.fromEntries(rows)).toEqual(ERROR_STATUS)
    expect(rows).toHaveLength(Object.keys(ERROR_STATUS).length)
  })
})
