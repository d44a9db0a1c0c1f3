// Cold start: our first Stream call token through the ESM builds.
import { createCallToken } from '@calltoken/core'
import { stream } from '@calltoken/stream'

// The fake credentials of ../lib/fixtures.mjs.
const provider = stream({ apiKey: 'k7bench2mq4z', apiSecret: 'q8w3ndx7r2bth5vk9mjc4ylp6sfg0ez1ua8oi3hn7kwt2bq5rdx9jmc4vlp6sy0f' })
const issued = await createCallToken({ userId: 'user-1', callId: 'call-1' }, { provider })
process.stdout.write(JSON.stringify({ ms: performance.now(), token: issued.token }))
