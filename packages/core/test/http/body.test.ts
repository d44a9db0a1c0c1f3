import { describe, expect, it } from 'vitest'
import { parseJsonBody } from '../../src/http/body'

const json = { 'content-type': 'application/json' }
const failure = (raw: string | Uint8Array, headers: Record<string, string> = json) => {
  try {
    parseJsonBody(raw, headers)
  } catch (error) {
    return { status: (error as { status: number }).status, message: (error as Error).message }
  }
  throw new Error('expected a refusal')
}

describe('parseJsonBody', () => {
  it('parses JSON and leaves prototypes alone', () => {
    expect(parseJsonBody('{"userId":"alice","n":[1,2]}', json)).toEqual({ userId: 'alice', n: [1, 2] })
    expect(parseJsonBody(Buffer.from('{"a":"ü"}'), json)).toEqual({ a: 'ü' })
    expect(parseJsonBody('', {})).toEqual({})
  })

  it.each([
    ['{"__proto__":{"x":1}}', '__proto__'],
    ['{"a":{"constructor":{"prototype":{"x":1}}}}', 'prototype'],
    ['{"\\u005f_proto__":{"x":1}}', '__proto__'],
    ['{"constr\\u0075ctor":{}}', 'constructor'],
  ])('refuses a forbidden key, escaped or not: %s', (raw, key) => {
    expect(failure(raw)).toEqual({ status: 400, message: `Malformed JSON body: "${key}" keys are not allowed` })
  })

  it('refuses malformed JSON, bad UTF-8, a wrong type and a body over 16 KiB without echoing it', () => {
    expect(failure('{"secret-ish": ')).toEqual({ status: 400, message: 'Malformed JSON body' })
    expect(failure('{"a":"\\u00e9", ')).toEqual({ status: 400, message: 'Malformed JSON body' })
    expect(failure(new Uint8Array([0x7b, 0xff, 0x7d]))).toEqual({ status: 400, message: 'Malformed JSON body: not UTF-8' })
    expect(failure('{}', { 'content-type': 'text/plain' })).toEqual({ status: 415, message: 'Content-Type must be application/json' })
    expect(failure(`{"a":"${'x'.repeat(16_384)}"}`).status).toBe(413)
  })
})

describe('parseJsonBody on blank bodies', () => {
  it('reads a whitespace-only JSON body as {}', () => {
    expect(parseJsonBody('  \n', { 'content-type': 'application/json' })).toEqual({})
  })
})
