import { isIP } from 'node:net'
import { describe, expect, it } from 'vitest'
import { clientIpKey } from '../../src/http/client-ip'

describe('clientIpKey', () => {
  it.each([
    // IPv4 as is
    ['203.0.113.7', '203.0.113.7'],
    ['127.0.0.1', '127.0.0.1'],
    // IPv4-mapped IPv6 → the IPv4
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['0:0:0:0:0:ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['0000:0000:0000:0000:0000:FFFF:CB00:7107', '203.0.113.7'],
    ['[::ffff:10.0.0.1]', '10.0.0.1'],
    // IPv6 → /56, canonical
    ['2001:db8:1234:5678:9abc:def0:1234:5678', '2001:db8:1234:5600::/56'],
    ['2001:DB8:1234:56AB:1::42', '2001:db8:1234:5600::/56'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::/56'],
    ['2001:db8::1', '2001:db8::/56'],
    ['2001:db8:0:ff::1', '2001:db8::/56'],
    ['2001:db8:0:1ff::1', '2001:db8:0:100::/56'],
    ['2001:db8:1:0:1::', '2001:db8:1::/56'],
    ['2001:0:0:1::', '2001::/56'],
    ['2001:0:1:0::', '2001:0:1::/56'],
    ['2001:0:0:100::', '2001:0:0:100::/56'],
    ['1:2:3:4:5:6:7:8', '1:2:3::/56'],
    ['1::', '1::/56'],
    ['::1', '::/56'],
    ['::', '::/56'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ff00::/56'],
    ['fe80::1%eth0', 'fe80::/56'],
    ['fe80::abcd:1%25', 'fe80::/56'],
    ['[2001:db8:aa:bb00::1]', '2001:db8:aa:bb00::/56'],
    ['[fe80::1%lo0]', 'fe80::/56'],
    // an IPv4 tail on a non-mapped prefix is an ordinary IPv6 address
    ['64:ff9b::192.0.2.33', '64:ff9b::/56'],
    ['::192.0.2.33', '::/56'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3::/56'],
    // the same /56 however written
    ['2001:db8:abcd:12ff:ffff:ffff:ffff:ffff', '2001:db8:abcd:1200::/56'],
    ['2001:db8:abcd:1200::', '2001:db8:abcd:1200::/56'],
  ])('%s → %s', (ip, key) => {
    expect(clientIpKey(ip)).toBe(key)
  })

  it('no address → "unknown"', () => {
    expect(clientIpKey(undefined)).toBe('unknown')
    expect(clientIpKey('')).toBe('unknown')
  })

  it.each([
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1::2::3',
    ':::',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:',
    '1:2:3:4::5:6:7:8',
    '12345::',
    'g::1',
    '::ffff:1.2.3',
    '::ffff:1.2.3.256',
    '::ffff:01.2.3.4',
    '1.2.3.4::',
    'fe80::1%',
    'not an ip: really',
  ])('returns what is not an IPv6 address unchanged: %s', (text) => {
    expect(isIP(text)).toBe(0) // Node agrees it is no address
    expect(clientIpKey(text)).toBe(text)
  })

  it('agrees with a straightforward expansion for many random addresses in every spelling', () => {
    let seed = 42
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let n = 0; n < 2000; n++) {
      const groups = Array.from({ length: 8 }, () => (random() < 0.35 ? 0 : Math.floor(random() * 0x10000)))
      if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) continue
      const hex = groups.map((g) => g.toString(16))
      const spellings = [hex.join(':'), groups.map((g) => g.toString(16).padStart(4, '0').toUpperCase()).join(':')]
      // every possible "::" over a run of zero groups
      for (let i = 0; i < 8; i++) {
        for (let j = i + 1; j <= 8; j++) {
          if (groups.slice(i, j).every((g) => g === 0)) spellings.push(`${hex.slice(0, i).join(':')}::${hex.slice(j).join(':')}`)
        }
      }
      const v4 = `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`
      spellings.push(`${hex.slice(0, 6).join(':')}:${v4}`)
      const prefix = [...groups.slice(0, 3), groups[3]! & 0xff00]
      const expected = expectedKey(prefix)
      for (const spelling of spellings) {
        expect(isIP(spelling), spelling).toBe(6)
        expect(clientIpKey(spelling), spelling).toBe(expected)
        expect(clientIpKey(`${spelling}%eth0`), spelling).toBe(expected)
      }
    }
  })
})

/** The canonical /56 key, computed differently: the first longest run of 2+ zero groups becomes "::". */
function expectedKey(prefix: number[]): string {
  const groups = [...prefix, 0, 0, 0, 0]
  const text = groups.map((g) => g.toString(16)).join(':')
  const runs = [...`:${text}:`.matchAll(/(?::0)+(?=:)/g)].filter((m) => m[0].length >= 4)
  const longest = runs.reduce<RegExpMatchArray | undefined>((best, run) => (!best || run[0].length > best[0].length ? run : best), undefined)!
  const padded = `:${text}:`
  const compressed = `${padded.slice(0, longest.index)}::${padded.slice(longest.index! + longest[0].length + 1)}`
  return `${compressed.replace(/^:(?!:)/, '').replace(/(?<!:):$/, '')}/56`
}
