/**
 * A small JSON Schema walk for the subset `openApiDocument` emits, so response bodies can be checked against the
 * document without a validator dependency. It refuses keywords it does not know rather than ignoring them: a schema
 * that grows a new keyword makes the tests fail loudly instead of passing unchecked.
 */
export type JsonSchema = Readonly<Record<string, unknown>>

const KNOWN = new Set([
  '$ref',
  'type',
  'const',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'dependentRequired',
  'items',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'format',
  // annotations
  'default',
  'description',
  'examples',
])

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function typeMatches(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'object':
      return isObject(value)
    case 'array':
      return Array.isArray(value)
    case 'null':
      return value === null
    default:
      throw new Error(`json-schema walk: unknown type "${type}"`)
  }
}

/** Follows a local `#/…` reference in `document`. */
export function resolveRef(document: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#/')) throw new Error(`json-schema walk: only local references are supported, got ${ref}`)
  let node: unknown = document
  for (const part of ref.slice(2).split('/')) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~')
    if (!isObject(node) || !(key in node)) throw new Error(`json-schema walk: ${ref} does not resolve`)
    node = node[key]
  }
  if (!isObject(node)) throw new Error(`json-schema walk: ${ref} is not a schema`)
  return node
}

/** Every way `value` breaks `schema` (empty when it conforms); `document` resolves `$ref`s. */
export function violations(value: unknown, schema: JsonSchema, document: JsonSchema, at = '$'): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword)) throw new Error(`json-schema walk: unsupported keyword "${keyword}" at ${at}`)
  }
  if (typeof schema.$ref === 'string') {
    if (Object.keys(schema).length > 1) throw new Error(`json-schema walk: $ref with siblings at ${at}`)
    return violations(value, resolveRef(document, schema.$ref), document, at)
  }

  const found: string[] = []
  const fail = (message: string) => found.push(`${at}: ${message}`)

  if ('const' in schema && !Object.is(value, schema.const) && JSON.stringify(value) !== JSON.stringify(schema.const)) {
    fail(`must be ${JSON.stringify(schema.const)}, is ${JSON.stringify(value)}`)
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    fail(`must be one of ${JSON.stringify(schema.enum)}, is ${JSON.stringify(value)}`)
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]
    if (!types.some((type) => typeMatches(value, type))) {
      fail(`must be of type ${types.join(' or ')}, is ${JSON.stringify(value)}`)
      return found // the remaining keywords assume the type
    }
  }

  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) fail(`must be at least ${schema.minLength} characters`)
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) fail(`must be at most ${schema.maxLength} characters`)
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) fail(`must match ${schema.pattern}`)
    if (schema.format === 'date-time' && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) fail('must be an RFC 3339 date-time')
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail(`must be ≥ ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail(`must be ≤ ${schema.maximum}`)
  }
  if (Array.isArray(value) && isObject(schema.items)) {
    value.forEach((item, index) => found.push(...violations(item, schema.items as JsonSchema, document, `${at}[${index}]`)))
  }
  if (isObject(value)) {
    const properties = isObject(schema.properties) ? schema.properties : {}
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (!(name in value)) fail(`is missing required property "${name}"`)
    }
    if (isObject(schema.dependentRequired)) {
      for (const [name, needs] of Object.entries(schema.dependentRequired)) {
        if (name in value) for (const need of needs as string[]) if (!(need in value)) fail(`"${name}" needs "${need}"`)
      }
    }
    for (const [name, property] of Object.entries(value)) {
      const path = `${at}.${name}`
      if (name in properties) found.push(...violations(property, properties[name] as JsonSchema, document, path))
      else if (schema.additionalProperties === false) fail(`has unknown property "${name}"`)
      else if (isObject(schema.additionalProperties)) found.push(...violations(property, schema.additionalProperties, document, path))
    }
  }
  return found
}
