'use strict'
// Which packages the mint path loads: require an adapter (default stream) and core, mint one call token,
// then map every file in require.cache to the package it belongs to. Prints JSON for ../modules.mjs.
const { existsSync, readFileSync } = require('node:fs')
const path = require('node:path')

const which = process.argv[2] ?? 'stream'
const adapters = {
  stream: () => require('@calltoken/stream').stream({ apiKey: 'k7bench2mq4z', apiSecret: 'q8w3ndx7r2bth5vk9mjc4ylp6sfg0ez1ua8oi3hn7kwt2bq5rdx9jmc4vlp6sy0f' }),
  agora: () => require('@calltoken/agora').agora({ appId: '5f1c9a7e3b2d4c6a8e0f1b3d5a7c9e2f', appCertificate: 'a3c5e7f9b1d2046a8c0e2f4b6d8a1c3e' }),
  twilio: () =>
    require('@calltoken/twilio').twilio({
      accountSid: 'AC4e2b7d9f1a3c5e7b9d1f3a5c7e9b2d4f',
      apiKeySid: 'SK8a1c3e5f7b9d2f4a6c8e0b2d4f6a8c1e',
      apiKeySecret: 'Zq3vR8mT2kX7pL4nW9cB6hJ1sD5fG0yA',
    }),
}
const input = which === 'agora' ? { userId: '100001', callId: 'call-1' } : { userId: 'user-1', callId: 'call-1' }

const { createCallToken } = require('@calltoken/core')
const provider = adapters[which]()
createCallToken(input, { provider }).then((issued) => {
  const packageOf = new Map()
  const nameFor = (file) => {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      if (packageOf.has(dir)) return packageOf.get(dir)
      const manifest = path.join(dir, 'package.json')
      let name
      if (existsSync(manifest)) {
        try {
          name = JSON.parse(readFileSync(manifest, 'utf8')).name
        } catch {}
      }
      if (name || path.dirname(dir) === dir) {
        packageOf.set(dir, name ?? '(none)')
        return name ?? '(none)'
      }
    }
  }
  const files = Object.keys(require.cache).filter((file) => file !== __filename)
  const packages = {}
  for (const file of files) {
    const name = nameFor(file)
    packages[name] = (packages[name] ?? 0) + 1
  }
  process.stdout.write(JSON.stringify({ which, token: issued.token, files: files.length, packages }))
})
