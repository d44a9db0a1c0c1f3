import { describe, it } from 'vitest'

const inCi = ![undefined, '', '0', 'false'].includes(process.env.CI?.toLowerCase())

/**
 * `describe` for a suite that needs something outside the repo (a server, a browser). When `missing` says why it is
 * not there, the suite is skipped with a loud warning that says how to get it, except under CI, where it fails:
 * CI must never pass by silently skipping.
 */
export function describeIfPresent(name: string, missing: string | undefined, howTo: string, suite: () => void): void {
  if (missing === undefined) {
    describe(name, suite)
    return
  }
  if (inCi) {
    describe(name, () => {
      it('cannot run (CI must not skip this suite)', () => {
        throw new Error(`${missing} ${howTo}`)
      })
    })
    return
  }
  console.warn(
    ['', '!'.repeat(100), `!! SKIPPED "${name}": ${missing}`, `!! ${howTo}`, '!! Under CI (CI set) this suite fails instead of skipping.', '!'.repeat(100), ''].join('\n'),
  )
  describe.skip(name, suite)
}
