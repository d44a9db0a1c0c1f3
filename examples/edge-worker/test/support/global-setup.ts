import { buildStaleDist } from '../../../../runtimes/test/global-setup'

// The Worker bundles the built packages, as wrangler does for a user: build them first when they are stale.
export default function setup(): void {
  buildStaleDist(['core', 'stream', 'agora', 'twilio', 'fetch'], 'example-edge-worker')
}
