'use strict'
// Cold start: require('zod') alone, the baseline our first token is compared with.
require('zod')
process.stdout.write(JSON.stringify({ ms: performance.now() }))
