// How every entry loads @calltoken/*: one dynamic import per package, so a package that cannot load in a runtime fails
// its own providers' entries only. Node, Bun and Deno resolve these from node_modules; for workerd and edge-runtime
// esbuild resolves them into the bundle (each import stays lazy).
/** @type {import('./mint.mjs').Loaders} */
export const loaders = {
  core: () => import('@calltoken/core'),
  provider: () => import('@calltoken/core/provider'),
  fetch: () => import('@calltoken/fetch'),
  stream: () => import('@calltoken/stream'),
  agora: () => import('@calltoken/agora'),
  twilio: () => import('@calltoken/twilio'),
  livekit: () => import('@calltoken/livekit'),
  zoom: () => import('@calltoken/zoom'),
  daily: () => import('@calltoken/daily'),
}
