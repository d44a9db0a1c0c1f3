import { verifyWebhook } from '@calltoken/core'
import { twilio } from '@calltoken/twilio'
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks'
import { describe, expect, it } from 'vitest'
import { parseFormParams, twilioSignature, type TwilioParams } from '../src/twilio/signature'

// The room-status route checks callbacks with the library's verifyWebhook; these tests hold this app's signer
// (twilioSignature, what Twilio does, for the sign-callback script) and that check to the twilio package.
const provider = twilio({ accountSid: `AC${'a1'.repeat(16)}`, apiKeySid: `SK${'b2'.repeat(16)}`, apiKeySecret: 'exampletwiliosecret9a7c3e5b1d0f8a2c4e6b' })
/** The route's check: the form body Twilio would post for `params`, verified against `url` with the Auth Token. */
async function isValid({ authToken, signature, url, params }: { authToken: string; signature: string | undefined; url: string; params: TwilioParams }): Promise<boolean> {
  const pairs = Object.entries(params).flatMap(([name, value]): [string, string][] =>
    value === undefined ? [] : typeof value === 'string' ? [[name, value]] : value.map((one): [string, string] => [name, one]),
  )
  const headers = signature === undefined ? {} : { 'x-twilio-signature': signature }
  return verifyWebhook(provider, { rawBody: new URLSearchParams(pairs).toString(), url, headers }, { secret: authToken }).then(() => true, () => false)
}

// Twilio's own test vector (twilio-node spec/validation.spec.js).
const OFFICIAL = {
  authToken: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  params: { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' },
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
}

/** A small deterministic PRNG so a failure can be replayed. */
function prng(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}
const ALPHABET = 'abcXYZ019 +&=%/?#éü中😀-_.'
function randomString(next: () => number, max = 12): string {
  const length = Math.floor(next() * max)
  let out = ''
  for (let i = 0; i < length; i++) out += [...ALPHABET][Math.floor(next() * [...ALPHABET].length)]
  return out
}
function randomParams(next: () => number): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {}
  const count = Math.floor(next() * 6)
  for (let i = 0; i < count; i++) {
    const name = ['RoomSid', 'roomSid', 'SequenceNumber', 'Timestamp', 'a', 'Z', 'ParticipantIdentity'][Math.floor(next() * 7)]!
    // Some names repeat with duplicate values, which Twilio's code de-duplicates and sorts.
    params[name] = next() < 0.2 ? [randomString(next), randomString(next), 'dup', 'dup'] : randomString(next)
  }
  return params
}

describe('twilioSignature', () => {
  it("reproduces Twilio's official test vector", async () => {
    expect(twilioSignature(OFFICIAL.authToken, OFFICIAL.url, OFFICIAL.params)).toBe(OFFICIAL.signature)
    expect(await isValid({ authToken: OFFICIAL.authToken, signature: OFFICIAL.signature, url: OFFICIAL.url, params: OFFICIAL.params })).toBe(true)
    // …and so does the oracle, so the vector is the one the twilio package checks.
    expect(validateRequest(OFFICIAL.authToken, OFFICIAL.signature, OFFICIAL.url, OFFICIAL.params)).toBe(true)
  })

  it('refuses the official request once anything in it changes', async () => {
    const check = (changes: Partial<{ authToken: string; signature: string; url: string; params: TwilioParams }>) =>
      isValid({ authToken: OFFICIAL.authToken, signature: OFFICIAL.signature, url: OFFICIAL.url, params: OFFICIAL.params, ...changes })
    expect(await check({ authToken: '12346' })).toBe(false)
    expect(await check({ url: 'https://mycompany.com/myapp.php?foo=1&bar=3' })).toBe(false)
    expect(await check({ url: 'http://mycompany.com/myapp.php?foo=1&bar=2' })).toBe(false)
    expect(await check({ params: { ...OFFICIAL.params, Digits: '1235' } })).toBe(false)
    expect(await check({ params: { ...OFFICIAL.params, Extra: '' } })).toBe(false)
    expect(await check({ params: { ...OFFICIAL.params, CallSid: undefined as unknown as string } })).toBe(false)
    expect(await check({ signature: OFFICIAL.signature.replace('R', 'r') })).toBe(false)
    expect(await check({ signature: `${OFFICIAL.signature}=` })).toBe(false)
    expect(await check({ signature: '' })).toBe(false)
    expect(await check({ signature: undefined as unknown as string })).toBe(false)
  })

  it('accepts the URL with or without the default port, as Twilio signs either', async () => {
    const params = { RoomSid: 'RM1', StatusCallbackEvent: 'room-created' }
    for (const [signed, received] of [
      ['https://example.com:443/hook', 'https://example.com/hook'],
      ['https://example.com/hook', 'https://example.com:443/hook'],
      ['http://example.com:80/hook?x=1', 'http://example.com/hook?x=1'],
    ] as const) {
      const signature = getExpectedTwilioSignature('token', signed, params)
      expect(await isValid({ authToken: 'token', signature, url: received, params })).toBe(true)
      expect(validateRequest('token', signature, received, params)).toBe(true)
    }
    // A non-default port is part of what was signed.
    const signature = getExpectedTwilioSignature('token', 'https://example.com:8443/hook', params)
    expect(await isValid({ authToken: 'token', signature, url: 'https://example.com/hook', params })).toBe(false)
  })

  it("computes the same signature as the twilio package's getExpectedTwilioSignature (500 random requests)", async () => {
    const next = prng(20261205)
    for (let i = 0; i < 500; i++) {
      const params = randomParams(next)
      const url = `https://host.example/${encodeURIComponent(randomString(next))}?q=${encodeURIComponent(randomString(next))}`
      const token = randomString(next, 40) || 'x'
      expect(twilioSignature(token, url, params), JSON.stringify({ url, params })).toBe(getExpectedTwilioSignature(token, url, params))
    }
  })

  it("agrees with the twilio package's validateRequest on valid and forged signatures", async () => {
    const next = prng(42)
    for (let i = 0; i < 300; i++) {
      const params = randomParams(next)
      const url = 'https://appointments.example.test/api/appointments/twilio/room-status'
      const good = getExpectedTwilioSignature('0dec0de00dec0de00dec0de00dec0de0', url, params)
      const forged = i % 2 === 0 ? getExpectedTwilioSignature('0dec0de00dec0de00dec0de00dec0de1', url, params) : `${good.slice(0, -2)}A=`
      for (const signature of [good, forged]) {
        const ours = await isValid({ authToken: '0dec0de00dec0de00dec0de00dec0de0', signature, url, params })
        expect(ours).toBe(validateRequest('0dec0de00dec0de00dec0de00dec0de0', signature, url, params))
        expect(ours).toBe(signature === good)
      }
    }
  })
})

describe('parseFormParams', () => {
  it('reads a form body into the parameters Twilio signed (decoding +, %xx, repeated names)', async () => {
    const params = parseFormParams('RoomName=apt-1-2-abcdef12&ParticipantIdentity=2-jane.doe%40example.com&Note=a+b%2Bc&Tag=x&Tag=y&Empty=')
    expect(params).toEqual({ RoomName: 'apt-1-2-abcdef12', ParticipantIdentity: '2-jane.doe@example.com', Note: 'a b+c', Tag: ['x', 'y'], Empty: '' })
  })

  it('round-trips: a body encoded from parameters validates with their signature', async () => {
    const original = { RoomSid: 'RM0123', ParticipantIdentity: '2-jane.doe@example.com', Odd: 'a+b & c=d é' }
    const url = 'https://appointments.example.test/hook'
    const signature = getExpectedTwilioSignature('secret-token', url, original)
    const received = parseFormParams(new URLSearchParams(original).toString())
    expect(await isValid({ authToken: 'secret-token', signature, url, params: received })).toBe(true)
  })

  it('does not let a __proto__ parameter reach an object prototype', async () => {
    const params = parseFormParams('__proto__=x&constructor=y')
    expect(Object.keys(params).sort()).toEqual(['__proto__', 'constructor'])
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })
})
