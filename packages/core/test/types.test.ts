import { describe, expect, expectTypeOf, it } from 'vitest'
import { createCallToken, createTokenService, createUserToken, type IssuedCallToken, type IssuedToken, type IssuedUserToken } from '../src/index'
import { defineProvider, type CallTokenProvider } from '../src/provider/index'
import { exampleProvider } from './example-provider'

// Type-level tests: `tsc -p tsconfig.json` (the typecheck step of CI) fails when a type drifts; the runtime part
// mints once so each assertion is about a real call.
type RoomTypes = {
  connect: { user: { kind: 'login' }; userInCall: { room: string }; call: { room: string; moderator: boolean } }
  callType: false
}
const typed: CallTokenProvider<'rooms', RoomTypes> = defineProvider<'rooms', RoomTypes>({
  id: 'rooms',
  limits: { userId: {}, callId: {} },
  secrets: [],
  mapRole: (role) => role,
  sign: (claims) => ({
    token: 't',
    connect: claims.kind === 'call' ? { room: claims.callId, moderator: claims.role !== 'member' } : claims.callId === undefined ? { kind: 'login' } : { room: claims.callId },
  }),
  decode: () => ({ provider: 'rooms', userId: 'a', issuedAt: 0, expiresAt: 1, claims: {} }),
  verifySignature: () => ({ provider: 'rooms', userId: 'a', issuedAt: 0, expiresAt: 1, claims: {} }),
})

describe('result types follow the provider and the kind of token', () => {
  it('a call token has callId and role, and the call connect', async () => {
    const provider = exampleProvider()
    const issued = await createCallToken({ userId: 'alice', callId: 'r1' }, { provider })
    expectTypeOf(issued.callId).toEqualTypeOf<string>()
    expectTypeOf(issued.role).toEqualTypeOf<string>()
    expectTypeOf(issued.kind).toEqualTypeOf<'call'>()
    expectTypeOf<IssuedCallToken<typeof typed>['connect']>().toEqualTypeOf<{ room: string; moderator: boolean }>()
    expectTypeOf<IssuedCallToken<typeof typed>['provider']>().toEqualTypeOf<'rooms'>()
    // No call types: callType can only be absent.
    expectTypeOf<IssuedCallToken<typeof typed>['callType']>().toEqualTypeOf<undefined>()
  })

  it('a user token: connect and callId by whether the input names a call', async () => {
    const options = { provider: typed }
    expect((await createUserToken({ userId: 'a', callId: 'r1' }, options)).connect).toEqual({ room: 'r1' })
    expect((await createUserToken({ userId: 'a' }, options)).connect).toEqual({ kind: 'login' })
    expectTypeOf(createUserToken({ userId: 'a', callId: 'r1' }, options)).resolves.toEqualTypeOf<IssuedUserToken<typeof typed, true>>()
    expectTypeOf(createUserToken({ userId: 'a' }, options)).resolves.toEqualTypeOf<IssuedUserToken<typeof typed, false>>()
    expectTypeOf<IssuedUserToken<typeof typed, true>['connect']>().toEqualTypeOf<{ room: string }>()
    expectTypeOf<IssuedUserToken<typeof typed, true>['callId']>().toEqualTypeOf<string>()
    expectTypeOf<IssuedUserToken<typeof typed, false>['connect']>().toEqualTypeOf<{ kind: 'login' }>()
    expectTypeOf<IssuedUserToken<typeof typed, false>['callId']>().toEqualTypeOf<undefined>()
    expectTypeOf<IssuedUserToken<typeof typed, false>['role']>().toEqualTypeOf<undefined>()
    const input: { userId: string; callId?: string } = { userId: 'a' }
    expectTypeOf(createUserToken(input, options)).resolves.toEqualTypeOf<IssuedUserToken<typeof typed>>()
  })

  it('the service has the same types, and `kind` tells the union apart', () => {
    const service = createTokenService({ provider: typed })
    expect(service.provider.id).toBe('rooms')
    expectTypeOf(service.createCallToken({ userId: 'a', callId: 'r1' })).resolves.toEqualTypeOf<IssuedCallToken<typeof typed>>()
    expectTypeOf(service.createUserToken({ userId: 'a', callId: 'r1' })).resolves.toEqualTypeOf<IssuedUserToken<typeof typed, true>>()
    const narrow = (issued: IssuedToken<typeof typed>) => (issued.kind === 'call' ? issued.connect.moderator : issued.connect)
    expectTypeOf(narrow).returns.toEqualTypeOf<boolean | { kind: 'login' } | { room: string }>()
  })

  it('an adapter definition must return the connect it declares, and inputs are checked for excess fields', () => {
    defineProvider<'rooms', RoomTypes>({
      id: 'rooms',
      limits: { userId: {}, callId: {} },
      secrets: [],
      mapRole: (role) => role,
      // @ts-expect-error -- `{ nope: 1 }` is no connect of RoomTypes
      sign: () => ({ token: 't', connect: { nope: 1 } }),
      decode: () => ({ provider: 'rooms', userId: 'a', issuedAt: 0, expiresAt: 1, claims: {} }),
      verifySignature: () => ({ provider: 'rooms', userId: 'a', issuedAt: 0, expiresAt: 1, claims: {} }),
    })
    // @ts-expect-error -- a misspelt field is a type error, not a default
    void createCallToken({ userId: 'a', callId: 'r1', validitySeconds: 60 }, { provider: typed }).catch(() => {})
  })
})
