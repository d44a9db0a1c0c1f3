// Cold start: import 'zod' alone (ESM), the baseline for our ESM first token.
import 'zod'

process.stdout.write(JSON.stringify({ ms: performance.now() }))
