import { createCallToken, createTokenService, createUserToken, definePolicy } from '@calltoken/core'
import { daily } from '@calltoken/daily'
import { expectCallTokenError, FIXED_NOW_MS, FIXED_NOW_S, fixedClock } from '@calltoken/test-kit'
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { API_KEY, credentials, DOMAIN_ID, joseRead } from './fixtures'

const now = fixedClock()
const at = { currentDate: new Date(FIXED_NOW_MS) }
const policy = definePolicy({ roles: { viewer: ['join-call'] } })

// Daily's self-signing reference: each claim's abbreviation, the property it stands for, and its JSON type.
const DAILY_CLAIMS: Readonly<Record<string, { property: string; type: 'string' | 'boolean' | 'number' }>> = {
  r: { property: 'room_name', type: 'string' },
  d: { property: 'domain_id', type: 'string' },
  ud: { property: 'user_id', type: 'string' },
  u: { property: 'user_name', type: 'string' },
  o: { property: 'is_owner', type: 'boolean' },
  iat: { property: 'iat', type: 'number' },
  nbf: { property: 'nbf', type: 'number' },
  exp: { property: 'exp', type: 'number' },
  ejt: { property: 'eject_at_token_exp', type: 'boolean' },
  eje: { property: 'eject_after_elapsed', type: 'number' },
}

describe('Daily self-signed meeting tokens, read by jose', () => {
  it("every claim is one of Daily's documented abbreviations with its documented type; r, d, ud, iat, nbf and exp are always set", async () => {
    for (const role of ['admin', 'moderator', 'member', 'viewer']) {
      const extras = { userName: 'Alice Example', ejectAtExpiry: true, ejectAfterSeconds: 5400 }
      const issued = await createCallToken({ userId: 'alice', callId: 'standup', role, extras }, { provider: daily(credentials), policy, now })
      const claims = await joseRead(issued.token, at)
      expect(claims).toMatchObject({ u: 'Alice Example', ejt: true, eje: 5400 })
      for (const [name, value] of Object.entries(claims)) {
        expect(DAILY_CLAIMS[name], `undocumented claim ${name}`).toBeDefined()
        expect(typeof value, `${name} (${DAILY_CLAIMS[name]!.property})`).toBe(DAILY_CLAIMS[name]!.type)
      }
      for (const required of ['r', 'd', 'ud', 'iat', 'nbf', 'exp']) expect(claims).toHaveProperty(required)
    }
  })

  it('extras: userName, ejectAtExpiry and ejectAfterSeconds become u, ejt and eje; anything else is refused', async () => {
    const provider = daily(credentials)
    const plain = await joseRead((await createUserToken({ userId: 'bob', callId: 'standup' }, { provider, now })).token, at)
    expect(Object.keys(plain)).toEqual(['r', 'd', 'ud', 'iat', 'nbf', 'exp'])
    const named = await joseRead((await createUserToken({ userId: 'bob', callId: 'standup', extras: { userName: 'Bob', ejectAtExpiry: false } }, { provider, now })).token, at)
    expect(Object.keys(named)).toEqual(['r', 'd', 'ud', 'u', 'iat', 'nbf', 'exp', 'ejt'])
    expect(named).toMatchObject({ u: 'Bob', ejt: false })
    const refusals: [Record<string, unknown>, string][] = [
      [{ userName: '' }, 'extras.userName must not be empty'],
      [{ ejectAtExpiry: 'yes' }, 'extras.ejectAtExpiry must be true or false'],
      [{ ejectAfterSeconds: 1.5 }, 'extras.ejectAfterSeconds must be a whole, positive number of seconds'],
      [{ permissions: { canSend: false } }, 'permissions is not a known field'],
    ]
    for (const [extras, message] of refusals) {
      await expect(createCallToken({ userId: 'bob', callId: 'standup', extras } as never, { provider, now })).rejects.toMatchObject({ issues: [{ message }] })
    }
  })

  it('a call token: the room, the domain, the user, o only for a role that may end the call, nbf = iat backdated 5 s', async () => {
    const admin = await joseRead((await createCallToken({ userId: 'alice', callId: 'standup', role: 'admin', validityInSeconds: 5400 }, { provider: daily(credentials), policy, now })).token, at)
    expect(admin).toEqual({ r: 'standup', d: DOMAIN_ID, ud: 'alice', o: true, iat: FIXED_NOW_S - 5, nbf: FIXED_NOW_S - 5, exp: FIXED_NOW_S + 5400 })
    for (const role of ['moderator', 'member', 'viewer']) {
      const claims = await joseRead((await createCallToken({ userId: 'bob', callId: 'standup', role }, { provider: daily(credentials), policy, now })).token, at)
      expect(claims).not.toHaveProperty('o')
    }
    const ownerModerators = daily({ ...credentials, roleMap: { moderator: 'owner' } })
    expect((await joseRead((await createCallToken({ userId: 'm', callId: 's', role: 'moderator' }, { provider: ownerModerators, now })).token, at)).o).toBe(true)
  })

  it('a user token is for one room too (a participant), and is refused without a callId', async () => {
    const issued = await createUserToken({ userId: 'carol', callId: 'standup' }, { provider: daily(credentials), now })
    expect(await joseRead(issued.token, at)).toEqual({ r: 'standup', d: DOMAIN_ID, ud: 'carol', iat: FIXED_NOW_S - 5, nbf: FIXED_NOW_S - 5, exp: FIXED_NOW_S + 3600 })
    const error = await expectCallTokenError(() => createUserToken({ userId: 'carol' }, { provider: daily(credentials) }), 'ERR_CALLTOKEN_INVALID_INPUT')
    expect(error.issues).toEqual([{ path: 'callId', message: 'callId is required: every daily token is for one call' }])
  })

  it('connect gives the room URL when the domain name is known; never the key', async () => {
    const issued = await createCallToken({ userId: 'alice', callId: 'standup' }, { provider: daily({ ...credentials, domainName: 'https://Acme.daily.co' }), now })
    expect(issued.connect).toEqual({ roomName: 'standup', userId: 'alice', roomUrl: 'https://acme.daily.co/standup' })
    expect((await createCallToken({ userId: 'a', callId: 'r' }, { provider: daily(credentials), now })).connect).toEqual({ roomName: 'r', userId: 'a' })
    expect(JSON.stringify(issued)).not.toContain(API_KEY)
  })

  it("reads a token self-signed as Daily's guide does it (jsonwebtoken-style HS256 with the API key), and refuses one without exp or r", async () => {
    const service = createTokenService({ provider: daily(credentials), now })
    const key = new TextEncoder().encode(API_KEY)
    const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key)
    const theirs = await sign({ r: 'test', iat: FIXED_NOW_S, d: DOMAIN_ID, ud: 'dan', o: true, exp: FIXED_NOW_S + 600 })
    expect(await service.verifyToken(theirs)).toMatchObject({ provider: 'daily', userId: 'dan', callId: 'test', providerRole: 'owner', expiresAt: FIXED_NOW_S + 600 })
    const forever = await sign({ r: 'test', iat: FIXED_NOW_S, d: DOMAIN_ID, ud: 'dan' })
    expect(() => daily(credentials).decode(forever)).toThrow(/exp is missing: such a token never expires/)
    await expectCallTokenError(() => service.verifyToken(forever), 'ERR_CALLTOKEN_INVALID_TOKEN')
    const everyRoom = await sign({ iat: FIXED_NOW_S, d: DOMAIN_ID, ud: 'dan', exp: FIXED_NOW_S + 600 })
    expect(() => daily(credentials).decode(everyRoom)).toThrow(/r \(the room\) is missing/)
    const otherDomain = await sign({ r: 'test', iat: FIXED_NOW_S, d: '11111111-2222-4333-8444-555555555555', ud: 'dan', exp: FIXED_NOW_S + 600 })
    await expectCallTokenError(() => service.verifyToken(otherDomain), 'ERR_CALLTOKEN_INVALID_TOKEN')
  })
})
