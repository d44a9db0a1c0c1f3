import { createHmac } from 'node:crypto'

/** Crockford base32: no I, L, O or U, so an id read aloud or copied by hand stays unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

export type PublicIdOf = (userId: number | string) => string

/**
 * The masked public id ("OTO#…") that logs and analytics use instead of the internal user id.
 * A keyed hash: stable per user, not reversible, and not computable without the server's secret
 * (a plain hash of a small integer id could be reversed by trying every id).
 */
export function publicIdOf(secret: string): PublicIdOf {
  return (userId) => {
    const digest = createHmac('sha256', secret).update(`user:${userId}`).digest()
    // 60 bits → 12 characters: collisions stay negligible for hundreds of millions of users.
    let bits = digest.readBigUInt64BE(0) >> 4n
    let out = ''
    for (let i = 0; i < 12; i++) {
      out = ALPHABET[Number(bits & 31n)] + out
      bits >>= 5n
    }
    return `OTO#${out}`
  }
}
