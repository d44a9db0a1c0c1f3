import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** Whether the module at `url` is the script node was started with (so each section also runs on its own). */
export function isMain(url) {
  try {
    return url === pathToFileURL(realpathSync(process.argv[1])).href
  } catch {
    return false
  }
}
