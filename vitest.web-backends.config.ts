import { defineProject } from 'vitest/config'
import { sourceAliases } from './vitest.shared.ts'

const root = new URL('./', import.meta.url).pathname

// The adapters' suites again, with "#crypto" and "#zlib" resolved as on Workers, Vercel's edge, Deno and browsers:
// Web Crypto (asynchronous) and the plain-JavaScript deflater. The official SDKs still judge every token.
export default defineProject({
  resolve: {
    alias: [
      { find: /^#crypto$/, replacement: `${root}packages/core/src/crypto/web.ts` },
      { find: /^#zlib$/, replacement: `${root}packages/agora/src/zlib/web.ts` },
      ...sourceAliases.filter(({ find }) => typeof find === 'string'),
    ],
  },
  test: {
    name: 'web-backends',
    root,
    include: [
      'packages/{stream,agora,twilio,livekit,zoom,daily}/test/conformance.test.ts',
      'packages/{stream,agora,twilio,livekit,zoom,daily}/test/oracle.test.ts',
      'packages/stream/test/sdk-oracle.test.ts',
      'packages/agora/test/property.test.ts',
      'packages/core/test/service.test.ts',
      'packages/core/test/http/*.test.ts',
      'packages/express/test/contract.test.ts',
      'packages/test-kit/test/*.test.ts',
    ],
  },
})
