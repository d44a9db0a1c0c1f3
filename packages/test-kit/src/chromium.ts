import { existsSync } from 'node:fs'
import { describeIfPresent } from './needs'

/**
 * Debian's Chromium (`apt-get install chromium`), the browser the suites drive; `CHROMIUM_PATH` names another.
 *
 * @example
 * const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * What every suite launches it with: headless, no sandbox (CI runs as root), and none of the background traffic
 * (updates, sync, component downloads) a machine without internet would wait on.
 *
 * @example
 * const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
 */
export const CHROMIUM_ARGS: readonly string[] = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * `describe` for suites that drive a real Chromium (with playwright-core). Without one the suite is skipped with a
 * loud warning, except under CI, where it fails.
 *
 * @example
 * describeWithChromium('the page in a browser', () => {
 *   it('renders', async () => { … })
 * })
 */
export function describeWithChromium(name: string, suite: () => void): void {
  const missing = existsSync(CHROMIUM_PATH) ? undefined : `No Chromium at ${CHROMIUM_PATH}.`
  describeIfPresent(name, missing, 'Install it with:  apt-get update && apt-get install -y chromium   (Debian; or set CHROMIUM_PATH)', suite)
}
