import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// docs/writing-an-adapter.md shows these two files; this keeps the guide and the code that passes the suite one text.
const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')
const guide = read('../../../docs/writing-an-adapter.md')
const blocks = [...guide.matchAll(/```ts\n([^]*?)\n```/g)].map((match) => match[1])

describe('docs/writing-an-adapter.md', () => {
  it('shows the adapter fixture verbatim', () => {
    expect(blocks).toContain(read('./fixtures/acme.ts').trimEnd())
  })

  it('shows its conformance test verbatim, as an app imports the kit', () => {
    const test = read('./third-party-adapter.test.ts')
      .trimEnd()
      .replace("from '../src/index'", "from '@calltoken/test-kit'")
      .replace("from './fixtures/acme'", "from './acme'")
    expect(blocks).toContain(test)
  })
})
