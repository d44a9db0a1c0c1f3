// The Worker module for workerd (through miniflare): the same mint, answered as JSON to one fetch.
import { loaders } from './loaders.mjs'
import { mintAll } from './mint.mjs'

export default {
  async fetch() {
    const output = await mintAll(loaders)
    return new Response(JSON.stringify(output), { headers: { 'content-type': 'application/json' } })
  },
}
