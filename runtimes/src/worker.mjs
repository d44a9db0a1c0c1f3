// The Worker module for workerd (through miniflare): the same mint, answered as JSON to one fetch.
import { mintAll } from './mint.mjs'

export default {
  async fetch() {
    const output = await mintAll({
      core: () => import('@calltoken/core'),
      provider: () => import('@calltoken/core/provider'),
      fetch: () => import('@calltoken/fetch'),
      stream: () => import('@calltoken/stream'),
      agora: () => import('@calltoken/agora'),
      twilio: () => import('@calltoken/twilio'),
    })
    return new Response(JSON.stringify(output), { headers: { 'content-type': 'application/json' } })
  },
}
