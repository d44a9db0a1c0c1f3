const IPV4_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/
const HEX_GROUP = /^[0-9a-f]{1,4}$/i

/**
 * The rate-limit key of a client address, so one client cannot multiply its budget by varying its address:
 * IPv4 as is; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, as dual-stack servers report IPv4 clients) as its IPv4;
 * any other IPv6 address as its /56 prefix in canonical form (RFC 5952), a zone id (`%eth0`) and brackets dropped,
 * since one subscriber usually holds a whole /56 (the same grouping as express-rate-limit's `ipKeyGenerator`).
 * No address → `'unknown'` (all such clients share one budget). Anything else that is not an IPv6 address is
 * returned unchanged. Pure string work: no `node:net`, so it runs on edge runtimes.
 *
 * @example
 * ```ts
 * clientIpKey('203.0.113.7')                   // '203.0.113.7'
 * clientIpKey('::ffff:203.0.113.7')            // '203.0.113.7'
 * clientIpKey('2001:DB8:1234:56ab:1::42')      // '2001:db8:1234:5600::/56'
 * clientIpKey('fe80::1%eth0')                  // 'fe80::/56'
 * clientIpKey(undefined)                       // 'unknown'
 * ```
 */
export function clientIpKey(ip: string | undefined): string {
  if (ip === undefined || ip === '') return 'unknown'
  if (!ip.includes(':')) return ip
  const groups = parseIpv6(ip)
  if (groups === undefined) return ip
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number]
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) {
    return `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`
  }
  return `${formatIpv6([g0, g1, g2, g3 & 0xff00, 0, 0, 0, 0])}/56`
}

/** The eight 16-bit groups of an IPv6 address, or undefined when `text` is not one. */
function parseIpv6(text: string): number[] | undefined {
  let address = text
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1)
  const zone = address.indexOf('%')
  if (zone !== -1) {
    if (zone === address.length - 1) return undefined // "%" with no zone id
    address = address.slice(0, zone)
  }
  // An IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) stands for the last two groups.
  const lastColon = address.lastIndexOf(':')
  const tail = address.slice(lastColon + 1)
  if (tail.includes('.')) {
    const octets = tail.split('.')
    if (octets.length !== 4 || !octets.every((octet) => IPV4_OCTET.test(octet))) return undefined
    const [a, b, c, d] = octets.map(Number) as [number, number, number, number]
    address = `${address.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const halves = address.split('::')
  if (halves.length > 2) return undefined
  const head = groupsOf(halves[0]!)
  const rest = halves.length === 2 ? groupsOf(halves[1]!) : []
  if (head === undefined || rest === undefined) return undefined
  if (halves.length === 1) return head.length === 8 ? head : undefined
  // "::" stands for one group at least.
  if (head.length + rest.length > 7) return undefined
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest]
}

function groupsOf(part: string): number[] | undefined {
  if (part === '') return []
  const groups: number[] = []
  for (const group of part.split(':')) {
    if (!HEX_GROUP.test(group)) return undefined
    groups.push(parseInt(group, 16))
  }
  return groups
}

/** RFC 5952: lower-case hex without leading zeros, the longest run (first on a tie) of two or more zero groups as "::". */
function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let end = i
    while (end < groups.length && groups[end] === 0) end++
    if (end - i > bestLength) {
      bestStart = i
      bestLength = end - i
    }
    i = end
  }
  const hex = groups.map((group) => group.toString(16))
  if (bestStart === -1) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}
