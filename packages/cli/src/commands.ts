import { createCallToken, createUserToken, isCallTokenError, verifyWebhook } from '@calltoken/core'
import { readFile } from 'node:fs/promises'
import { flag, has, parseDuration, UsageError, type Args } from './args'
import { detectProvider, readJwt } from './detect'
import { bold, green, printReport, red, type Io } from './output'
import { isProviderId, providerFor, PROVIDER_IDS, readerFor, type ProviderId } from './providers'
import { webhookOf } from '@calltoken/core/provider'
import { reportOn } from './report'

/** The token from the first positional or else stdin (trimmed). */
async function tokenOf(args: Args, io: Io): Promise<string> {
  const token = (args.positionals[0] ?? (await io.stdin()))?.trim()
  if (!token) throw new UsageError('no token given: pass it as an argument or on stdin')
  return token
}

function providerFlag(args: Args): ProviderId {
  const id = flag(args, 'provider')
  if (!isProviderId(id)) throw new UsageError(`--provider must be one of ${PROVIDER_IDS.join(', ')}`)
  return id
}

/** decode: 0 when the token could be read (warnings included), 1 when not. */
export async function decode(args: Args, io: Io): Promise<number> {
  const token = await tokenOf(args, io)
  const report = reportOn(token, Math.floor(io.nowMs / 1000))
  if (!report) {
    if (has(args, 'json')) io.out(JSON.stringify({ error: 'not a token: neither a JWT nor an Agora AccessToken2 (007…)' }))
    else io.err(red(io, 'not a token: neither a JWT nor an Agora AccessToken2 (007…)'))
    return 1
  }
  if (has(args, 'json')) io.out(JSON.stringify(report))
  else printReport(io, report)
  return 0
}

/** verify: 0 valid, 1 invalid or expired. The provider comes from the token unless --provider says. */
export async function verify(args: Args, io: Io): Promise<number> {
  const token = await tokenOf(args, io)
  const id = flag(args, 'provider') === undefined ? detectProvider(token, readJwt(token)) : providerFlag(args)
  if (!id) throw new UsageError('the provider of this token cannot be told from it: pass --provider')
  const provider = providerFor(id, args.flags, io.env)
  try {
    const decoded = await provider.verify(token, { now: () => io.nowMs })
    const { claims: _claims, ...neutral } = decoded
    if (has(args, 'json')) io.out(JSON.stringify({ valid: true, ...neutral }))
    else io.out(green(io, `valid ${id} token for ${decoded.userId}${decoded.callId === undefined ? '' : ` in ${decoded.callId}`}`))
    return 0
  } catch (error) {
    if (!isCallTokenError(error)) throw error
    if (has(args, 'json')) io.out(JSON.stringify({ valid: false, code: error.code, error: error.message }))
    else io.out(red(io, `invalid: ${error.message}`))
    return 1
  }
}

/** mint: a call token with --call (or --role), else a user token; credentials from the environment or flags. */
export async function mint(args: Args, io: Io): Promise<number> {
  const id = providerFlag(args)
  const userId = flag(args, 'user')
  if (!userId) throw new UsageError('--user is required')
  const provider = providerFor(id, args.flags, io.env)
  const ttl = flag(args, 'ttl')
  const call = flag(args, 'call')
  const [callType, callId] = call !== undefined && id === 'stream' && call.includes(':') ? (call.split(':', 2) as [string, string]) : [undefined, call]
  const input = {
    userId,
    ...(callId === undefined ? {} : { callId }),
    ...(callType === undefined ? {} : { callType }),
    ...(ttl === undefined ? {} : { validityInSeconds: parseDuration(ttl) }),
  }
  const options = { provider, now: () => io.nowMs }
  const role = flag(args, 'role')
  try {
    const issued =
      flag(args, 'kind') === 'user' || (callId === undefined && role === undefined)
        ? await createUserToken(input, options)
        : await createCallToken({ ...input, callId: callId ?? '', ...(role === undefined ? {} : { role }) }, options)
    if (has(args, 'json')) io.out(JSON.stringify({ ...issued, issuedAt: issued.issuedAt.toISOString(), expiresAt: issued.expiresAt.toISOString() }))
    else io.out(issued.token)
    return 0
  } catch (error) {
    if (!isCallTokenError(error)) throw error
    throw new UsageError(error.message)
  }
}

/** webhook verify: a captured delivery (--body-file, --header "Name: value"…, --url, --secret) → 0 valid, 1 not. */
export async function webhookVerify(args: Args, io: Io): Promise<number> {
  const id = providerFlag(args)
  const bodyFile = flag(args, 'body-file')
  if (!bodyFile) throw new UsageError('--body-file is required (the raw body as it was received)')
  const rawBody = new Uint8Array(await readFile(bodyFile))
  const headers: Record<string, string> = {}
  for (const line of args.flags.get('header') ?? []) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw new UsageError(`--header "${line}" is not "Name: value"`)
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const url = flag(args, 'url')
  const secret = flag(args, 'secret') ?? io.env.CALLTOKEN_WEBHOOK_SECRET
  // Signed with another key (Twilio, Agora, Zoom, Daily): the adapter's own credentials are not needed.
  const provider = webhookOf(readerFor(id))?.secret.from === 'options' ? readerFor(id) : providerFor(id, args.flags, io.env)
  try {
    const event = await verifyWebhook(provider, { rawBody, headers, ...(url === undefined ? {} : { url }) }, { ...(secret === undefined ? {} : { secret }), now: () => io.nowMs })
    if (has(args, 'json')) io.out(JSON.stringify({ valid: true, ...event }))
    else {
      io.out(green(io, `valid ${id} delivery: ${event.type}${event.id === undefined ? '' : ` (id ${event.id})`}`))
      io.out(`${bold(io, 'payload')}  ${JSON.stringify(event.payload)}`)
    }
    return 0
  } catch (error) {
    if (!isCallTokenError(error)) throw error
    if (error.code === 'ERR_CALLTOKEN_INVALID_CONFIG') throw new UsageError(error.message)
    if (has(args, 'json')) io.out(JSON.stringify({ valid: false, code: error.code, error: error.message }))
    else io.out(red(io, `invalid: ${error.message}`))
    return 1
  }
}
