// The edge function for Vercel's edge-runtime: the same mint, answered as JSON to one fetch event. edge-runtime
// evaluates a classic script (no module loader), so this is bundled into one IIFE; the dynamic imports stay lazy.
import { loaders } from './loaders.mjs'
import { mintAll } from './mint.mjs'

/** @type {(type: 'fetch', listener: (event: { respondWith(response: Promise<Response>): void }) => void) => void} */
const on = /** @type {any} */ (globalThis).addEventListener

on('fetch', (event) => {
  const output = mintAll(loaders)
  event.respondWith(output.then((body) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })))
})
