import { describe, expect, it } from 'vitest'
import { DEFAULT_ROLES, definePolicy, isCallTokenError, type PolicyOptions } from '../src/index'

describe('definePolicy', () => {
  it('defaults: 3600 s in 60..86400, rejecting outside, 5 s skew, member by default', () => {
    const policy = definePolicy()
    expect(policy.validity).toEqual({ defaultSeconds: 3600, minSeconds: 60, maxSeconds: 86_400, clamp: false })
    expect(policy.clockSkewSeconds).toBe(5)
    expect(policy.defaultRole).toBe('member')
    expect(policy.roles).toEqual(['admin', 'moderator', 'member'])
  })

  it('gives each default role its documented capabilities', () => {
    const policy = definePolicy()
    for (const c of ['end-call', 'update-call-settings', 'mute-others', 'remove-participants', 'join-call', 'publish-audio', 'publish-video']) {
      expect(policy.can('admin', c)).toBe(true)
    }
    expect(policy.can('moderator', 'mute-others')).toBe(true)
    expect(policy.can('moderator', 'remove-participants')).toBe(true)
    expect(policy.can('moderator', 'end-call')).toBe(false)
    expect(policy.can('moderator', 'update-call-settings')).toBe(false)
    expect(policy.can('member', 'join-call')).toBe(true)
    expect(policy.can('member', 'publish-video')).toBe(true)
    expect(policy.can('member', 'mute-others')).toBe(false)
    expect(policy.can('nobody', 'join-call')).toBe(false)
    expect([...policy.capabilitiesOf('member')]).toEqual([...DEFAULT_ROLES.member])
  })

  it('adds, replaces and removes roles', () => {
    const policy = definePolicy({ roles: { host: ['join-call', 'publish-video', 'end-call'], viewer: ['join-call'], moderator: null } })
    expect(policy.roles).toEqual(['admin', 'member', 'host', 'viewer'])
    expect(policy.can('host', 'end-call')).toBe(true)
    expect(policy.can('viewer', 'publish-audio')).toBe(false)
    expect(policy.can('moderator', 'mute-others')).toBe(false)
    expect(definePolicy({ roles: { member: ['join-call'] } }).can('member', 'publish-audio')).toBe(false)
  })

  it('is frozen and does not keep a reference to the options', () => {
    const options: PolicyOptions = { validity: { defaultSeconds: 600 }, roles: { viewer: ['join-call'] } }
    const policy = definePolicy(options)
    options.validity!.defaultSeconds = 5
    ;(options.roles!.viewer as string[]).push('end-call')
    expect(policy.validity.defaultSeconds).toBe(600)
    expect(policy.can('viewer', 'end-call')).toBe(false)
    expect(Object.isFrozen(policy)).toBe(true)
    expect(Object.isFrozen(policy.validity)).toBe(true)
  })

  const invalid: [string, unknown][] = [
    ['min above max', { validity: { minSeconds: 600, maxSeconds: 60 } }],
    ['default below min', { validity: { defaultSeconds: 30 } }],
    ['default above max', { validity: { defaultSeconds: 90_000 } }],
    ['fractional seconds', { validity: { maxSeconds: 100.5 } }],
    ['string seconds', { validity: { maxSeconds: '3600' } }],
    ['zero min', { validity: { minSeconds: 0 } }],
    ['negative skew', { clockSkewSeconds: -1 }],
    ['huge skew', { clockSkewSeconds: 3600 }],
    ['unknown option', { ttl: 60 }],
    ['bad role name', { roles: { 'has space': ['join-call'] } }],
    ['default role missing', { defaultRole: 'guest' }],
    ['default role removed', { roles: { member: null } }],
    ['no roles left', { roles: { admin: null, moderator: null, member: null } }],
    ['capabilities not a list', { roles: { host: 'end-call' } }],
    ['an empty capability name', { roles: { host: [''] } }],
    ['clamp not a boolean', { validity: { clamp: 'yes' } }],
    ['unknown validity option', { validity: { ttl: 60 } }],
    ['not an object', 'strict'],
  ]
  it.each(invalid)('rejects %s with ERR_CALLTOKEN_INVALID_CONFIG at creation', (_, options) => {
    let thrown: unknown
    try {
      definePolicy(options as PolicyOptions)
    } catch (error) {
      thrown = error
    }
    expect(isCallTokenError(thrown)).toBe(true)
    expect(thrown).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', status: 500 })
    expect((thrown as Error).message).toMatch(/^Invalid policy: /)
  })
})
