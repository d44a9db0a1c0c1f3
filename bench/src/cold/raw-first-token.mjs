// Cold start baseline: the same Stream call token (same claims, same secret) minted with raw node:crypto, ESM.
import { createHmac } from 'node:crypto'

// The fake credentials of ../lib/fixtures.mjs.
const secret = 'q8w3ndx7r2bth5vk9mjc4ylp6sfg0ez1ua8oi3hn7kwt2bq5rdx9jmc4vlp6sy0f'
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')
const now = Math.floor(Date.now() / 1000)
const data = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ user_id: 'user-1', call_cids: ['default:call-1'], role: 'user', iat: now - 5, exp: now + 3600 })}`
const token = `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`
process.stdout.write(JSON.stringify({ ms: performance.now(), token }))
