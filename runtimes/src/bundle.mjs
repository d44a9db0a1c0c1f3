// Bundles an entry (worker.mjs, edge.mjs) with the built @calltoken/* dist, resolved from node_modules as a user's
// bundler would. Node's built-in modules stay imports (external): the runtime provides them or the import fails
// there, at run time, per package — which is what the matrix is about. Nothing is polyfilled.
import { build } from 'esbuild'
import { builtinModules } from 'node:module'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)]

/**
 * @param {{ entry: string, outdir: string, format: 'esm' | 'iife' }} options
 * @returns {Promise<{ files: string[], calltokenInputs: string[] }>} the files written (the entry first), and every
 *   @calltoken/* file bundled (so a test can check that they are the built dist, never the sources)
 */
export async function bundle({ entry, outdir, format }) {
  const result = await build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    format,
    // workerd takes several modules: the chunks load on each dynamic import. A classic script is one file.
    splitting: format === 'esm',
    platform: 'neutral',
    // As wrangler and Next.js resolve for the edge.
    conditions: ['workerd', 'worker', 'edge-light', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    target: 'es2022',
    external: nodeBuiltins,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    // Never the root tsconfig.json, whose `paths` map @calltoken/* to the sources.
    tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
  })
  const outputs = Object.keys(result.metafile.outputs)
  // Each dynamically imported package is an entry point of its own in the metafile too: find the one for `entry`.
  const entryOut = outputs.find((file) => {
    const point = result.metafile.outputs[file]?.entryPoint
    return point !== undefined && resolve(point) === resolve(entry)
  })
  if (entryOut === undefined) throw new Error(`esbuild wrote no output for ${entry}`)
  const calltokenInputs = Object.keys(result.metafile.inputs).filter((file) => /(^|\/)packages\/[^/]+\//.test(file))
  return { files: [entryOut, ...outputs.filter((file) => file !== entryOut)], calltokenInputs }
}
