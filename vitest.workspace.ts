// The single list of test projects; vitest.config.ts feeds it to `test.projects` (vitest 4 ignores this file on its own).
export default ['packages/*', 'examples/*', 'docs', 'runtimes', 'reliability', 'vitest.web-backends.config.ts'] as const
