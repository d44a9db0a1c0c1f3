// What the fuzz aims at: each binding with all six providers, and each example app, started as its own process on
// 127.0.0.1. A target says how to start it, when it is ready, its routes, a valid Authorization value, and the
// secrets that must never appear in its logs or answers.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { hs256 } from './hostile.mjs'
import { SECRETS, SESSION_SECRET } from './fixtures.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const exampleDir = (name) => here(`../../examples/${name}`)
const session = (sub, secret) => () => `Bearer ${hs256({ sub, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 }, secret)}`

/** Every string literal of 16+ characters in an example's demo-credentials.ts: its secrets and keys. */
function demoSecrets(name) {
  const text = readFileSync(`${exampleDir(name)}/src/demo-credentials.ts`, 'utf8')
  return [...text.matchAll(/'([^'\n]{16,})'/g)].map(([, value]) => value).filter((value) => !/\s/.test(value))
}

const PROVIDERS = ['stream', 'agora', 'twilio', 'livekit', 'zoom', 'daily']

const binding = (framework) => ({
  name: `${framework} × 6 providers`,
  command: [process.execPath, [here('./binding-server.mjs'), framework]],
  cwd: here('..'),
  ready: 'stdout',
  routes: PROVIDERS.flatMap((p) => [
    { kind: 'token', method: 'POST', path: `/${p}/tokens/user` },
    { kind: 'token', method: 'POST', path: `/${p}/tokens/call` },
    { kind: 'token', method: 'POST', path: `/${p}/tokens/refresh` },
    { kind: 'webhook', method: 'POST', path: `/${p}/webhooks` },
  ]),
  auth: session('alice', SESSION_SECRET),
  secret: SESSION_SECRET,
  secrets: SECRETS,
})

const example = (name, { env, health, routes, auth, secret }) => ({
  name: `examples/${name}`,
  command: [process.execPath, ['--import', 'tsx', 'src/main.ts']],
  cwd: exampleDir(name),
  env: { NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
  ready: health,
  routes,
  auth,
  secret,
  secrets: demoSecrets(name),
})

export function targets(dataDir) {
  const streamSecret = 'calltoken-demo-session-jwt-secret-NOT-FOR-PRODUCTION'
  const twilioSecret = 'calltoken-demo-session-secret-NOT-FOR-PRODUCTION'
  const agoraSecret = 'demo-jwt-secret-agora-calling-NOT-FOR-PRODUCTION'
  return [
    binding('express'),
    binding('fastify'),
    binding('fetch'),
    example('stream-express', {
      env: { PGLITE_DATA_DIR: `${dataDir}/stream`, RATE_LIMIT_MAX: '1000000' },
      health: '/api/health',
      routes: [
        { kind: 'token', method: 'POST', path: '/api/tokens/user' },
        { kind: 'token', method: 'POST', path: '/api/tokens/call' },
        { kind: 'token', method: 'POST', path: '/api/tokens/refresh' },
        { kind: 'token', method: 'POST', path: '/api/v1/stream/token' },
        { kind: 'webhook', method: 'POST', path: '/webhooks/stream' },
        { kind: 'token', method: 'GET', path: '/api/calls/default/:id/status' },
        { kind: 'token', method: 'POST', path: '/demo/session' },
        { kind: 'token', method: 'GET', path: '/api/openapi.json' },
      ],
      auth: session('bob', streamSecret),
      secret: streamSecret,
    }),
    example('twilio-appointments-express', {
      env: { PGLITE_DIR: `${dataDir}/twilio`, RATE_LIMIT_PER_MINUTE: '1000000' },
      health: '/healthz',
      routes: [
        { kind: 'token', method: 'POST', path: '/api/appointments/video-token/:id' },
        { kind: 'token', method: 'POST', path: '/api/appointments/video-token-refresh/:id' },
        { kind: 'token', method: 'POST', path: '/api/appointments/video-room/:id' },
        { kind: 'token', method: 'GET', path: '/api/appointments/video-status/:id' },
        { kind: 'webhook', method: 'POST', path: '/api/appointments/twilio/room-status' },
      ],
      auth: session('1', twilioSecret),
      secret: twilioSecret,
    }),
    example('agora-calling-fastify', {
      env: { PGLITE_DIR: `${dataDir}/agora` },
      health: '/api/health',
      routes: [
        { kind: 'token', method: 'POST', path: '/api/calling/token' },
        { kind: 'token', method: 'POST', path: '/api/calling/create' },
        { kind: 'token', method: 'POST', path: '/api/calling/:id/join' },
        { kind: 'token', method: 'POST', path: '/api/calling/:id/leave' },
        { kind: 'token', method: 'POST', path: '/api/calling/:id/invite' },
        { kind: 'token', method: 'GET', path: '/api/calling/my-calls' },
        { kind: 'token', method: 'PUT', path: '/api/calling/preferences' },
        { kind: 'token', method: 'POST', path: '/api/calling/admin/:id/end' },
      ],
      auth: session('1', agoraSecret),
      secret: agoraSecret,
    }),
  ]
}
