// The entry for runtimes that resolve node_modules themselves (Node, Bun, Deno): @calltoken/* from the workspace
// links, i.e. each package's built dist. Prints the matrix JSON on one line.
import { mintAll } from './mint.mjs'

const output = await mintAll({
  core: () => import('@calltoken/core'),
  provider: () => import('@calltoken/core/provider'),
  fetch: () => import('@calltoken/fetch'),
  stream: () => import('@calltoken/stream'),
  agora: () => import('@calltoken/agora'),
  twilio: () => import('@calltoken/twilio'),
})
// Where each package resolved: the test checks it is the built dist (Bun and esbuild honour a tsconfig's `paths`).
const resolved = Object.fromEntries(['core', 'fetch', 'stream', 'agora', 'twilio'].map((name) => [name, import.meta.resolve(`@calltoken/${name}`)]))
console.log(JSON.stringify({ ...output, resolved }))
