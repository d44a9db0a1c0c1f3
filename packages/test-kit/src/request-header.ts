/** The request as the suites' header-based `authenticate` reads it: a framework's (a record) or a fetch Request. */
export interface RequestWithSomeHeaders {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null }
}

/** A header of a framework's request (a record with lower-case names) or of a fetch Request (Headers.get). */
export function requestHeader({ headers }: RequestWithSomeHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined
  const value = (headers as Readonly<Record<string, string | readonly string[] | undefined>>)[name]
  return typeof value === 'string' ? value : value?.[0]
}
