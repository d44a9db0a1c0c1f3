// The entry for runtimes that resolve node_modules themselves (Node, Bun, Deno): @calltoken/* from the workspace
// links, i.e. each package's built dist. Prints the matrix JSON on one line.
import { loaders } from './loaders.mjs'
import { mintAll } from './mint.mjs'

const output = await mintAll(loaders)
// Where each package resolved: the test checks it is the built dist (Bun and esbuild honour a tsconfig's `paths`).
const resolved = Object.fromEntries(['core', 'fetch', 'stream', 'agora', 'twilio'].map((name) => [name, import.meta.resolve(`@calltoken/${name}`)]))
console.log(JSON.stringify({ ...output, resolved }))
