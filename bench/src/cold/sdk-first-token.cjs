'use strict'
// Cold start: the Stream SDK's first call token (require, new StreamClient, generateCallToken).
const { StreamClient } = require('@stream-io/node-sdk')

// The fake credentials of ../lib/fixtures.mjs.
const client = new StreamClient('k7bench2mq4z', 'q8w3ndx7r2bth5vk9mjc4ylp6sfg0ez1ua8oi3hn7kwt2bq5rdx9jmc4vlp6sy0f')
const token = client.generateCallToken({ user_id: 'user-1', call_cids: ['default:call-1'], role: 'user' })
process.stdout.write(JSON.stringify({ ms: performance.now(), token }))
