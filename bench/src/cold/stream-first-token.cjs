'use strict'
// Cold start: our first Stream call token through the CommonJS builds, as an npm user would require them.
const { createCallToken } = require('@calltoken/core')
const { stream } = require('@calltoken/stream')

// The fake credentials of ../lib/fixtures.mjs.
const provider = stream({ apiKey: 'k7bench2mq4z', apiSecret: 'q8w3ndx7r2bth5vk9mjc4ylp6sfg0ez1ua8oi3hn7kwt2bq5rdx9jmc4vlp6sy0f' })
createCallToken({ userId: 'user-1', callId: 'call-1' }, { provider }).then((issued) => {
  process.stdout.write(JSON.stringify({ ms: performance.now(), token: issued.token }))
})
