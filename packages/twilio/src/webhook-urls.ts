// The URLs twilio-node's validateRequest tries for one request, in its order: the URL as received without and with
// the default port, then the WHATWG-normalised URL the same two ways and with its query re-encoded as Node's legacy
// querystring module writes it. Twilio may have signed any of them, depending on how the webhook URL was written.

interface UrlParts {
  readonly scheme: string
  readonly userInfo: string
  readonly host: string
  readonly port: string
  readonly rest: string
}

/** The URL split into parts without normalising it, so the path and query keep the characters Twilio signed. */
function splitUrl(url: string): UrlParts | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url)
  if (!match) return undefined
  const [prefix, scheme, authority] = match as unknown as [string, string, string]
  const userInfoEnd = authority.lastIndexOf('@')
  const hostAndPort = authority.slice(userInfoEnd + 1)
  // A colon starts the port only after an IPv6 literal's closing bracket.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1)
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  }
}

function withPort(url: string): string {
  const parts = splitUrl(url)
  if (!parts || parts.port) return url
  return parts.scheme + parts.userInfo + parts.host + (parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80') + parts.rest
}

function withoutPort(url: string): string {
  const parts = splitUrl(url)
  return parts ? parts.scheme + parts.userInfo + parts.host + parts.rest : url
}

/** Node's querystring.unescape: decodeURIComponent, or byte-wise for a malformed sequence (left as it is). */
function unescapeLegacy(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    const bytes: number[] = []
    const encoder = new TextEncoder()
    for (let i = 0; i < text.length; i++) {
      const hex = text.slice(i + 1, i + 3)
      if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16))
        i += 2
      } else {
        bytes.push(...encoder.encode(text[i]!))
      }
    }
    return new TextDecoder().decode(new Uint8Array(bytes))
  }
}

/** The query re-encoded as Node's querystring.stringify(querystring.parse(query)) writes it: keys grouped in first-seen order. */
function withLegacyQuerystring(url: string): string {
  const queryStart = url.indexOf('?')
  if (queryStart === -1 || queryStart === url.length - 1) return url
  const grouped = new Map<string, string[]>()
  for (const pair of url.slice(queryStart + 1).split('&')) {
    if (pair === '') continue
    const equals = pair.indexOf('=')
    const [rawKey, rawValue] = equals === -1 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)]
    const key = unescapeLegacy(rawKey.replace(/\+/g, ' '))
    const values = grouped.get(key) ?? []
    values.push(unescapeLegacy(rawValue.replace(/\+/g, ' ')))
    grouped.set(key, values)
  }
  const query = [...grouped].flatMap(([key, values]) => values.map((value) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)).join('&')
  return `${url.slice(0, queryStart)}?${query}`
}

/** Every URL Twilio may have signed for `url`; undefined when `url` does not parse as a URL. */
export function candidateUrls(url: string): string[] | undefined {
  let normalized: string
  try {
    normalized = new URL(url).toString()
  } catch {
    return undefined
  }
  const candidates = [withoutPort(url), withPort(url), withoutPort(normalized), withPort(normalized)]
  for (const base of [withoutPort(normalized), withPort(normalized)]) {
    try {
      candidates.push(withLegacyQuerystring(base))
    } catch {
      // A lone surrogate in the query: Node's querystring throws there, so this variant does not exist.
    }
  }
  return candidates
}
