// README.md, run as a reader follows it: `… dev` starts the app, then every curl of the walkthrough runs in order in one
// bash session, each answer checked against the status and JSON the README shows under it.
import { describe, expect, it } from 'vitest'
import { runExampleReadme } from '../../../docs/test/example-walkthrough'
import { hasCurl } from '../../../docs/test/shell-session'

const curl = hasCurl()
if (!curl) console.warn(`\n⚠️  [example-twilio-appointments-express] curl not found: the README walkthrough is ${process.env.CI ? 'FAILING (CI)' : 'SKIPPED'}.\n`)

describe('README.md', () => {
  it.skipIf(!curl && !process.env.CI)('every command runs and answers as the README shows', async () => {
    const { problems, results } = await runExampleReadme('twilio-appointments-express', 'http://localhost:3000')
    expect(problems).toEqual([])
    expect(results.length).toBeGreaterThan(15)
  }, 300_000)
})
