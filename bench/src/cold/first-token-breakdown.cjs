'use strict'
// Where our first Stream token's time goes inside the process: performance.now() after each step.
// node:crypto is loaded first on its own so that the @calltoken/* rows are our code only.
const marks = [['node start → script', performance.now()]]
const mark = (step) => marks.push([step, performance.now()])

require('node:crypto')
mark("require('node:crypto')")
const { createCallToken } = require('@calltoken/core')
mark("require('@calltoken/core')")
const { stream } = require('@calltoken/stream')
mark("require('@calltoken/stream')")
// The fake credentials of ../lib/fixtures.mjs.
const provider = stream({ apiKey: 'k7bench2mq4z', apiSecret: 'q8w3ndx7r2bth5vk9mjc4ylp6sfg0ez1ua8oi3hn7kwt2bq5rdx9jmc4vlp6sy0f' })
mark('stream({ apiKey, apiSecret })')
createCallToken({ userId: 'user-1', callId: 'call-1' }, { provider }).then(() => {
  mark('first createCallToken()')
  return createCallToken({ userId: 'user-2', callId: 'call-2' }, { provider }).then(() => {
    mark('second createCallToken()')
    const steps = marks.map(([step, at], k) => ({ step, ms: k === 0 ? at : at - marks[k - 1][1] }))
    process.stdout.write(JSON.stringify({ steps }))
  })
})
