import { fileURLToPath } from 'node:url'
import { agora } from '@calltoken/agora'
import type { CallTokenProvider } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { twilio } from '@calltoken/twilio'
import { DEMO } from './demo-credentials'
import type { HttpClient } from './http'

/** A token one app served over HTTP, and whom it must be for according to the app's own answers. */
export interface ServedToken {
  /** The route that answered with the token, e.g. `POST /api/tokens/call`. */
  readonly route: string
  readonly token: string
  readonly expected: { readonly userId: string; readonly callId: string }
}

/** One example app: how to start it on its embedded defaults and how to get a token from it, as its README shows. */
export interface DemoApp {
  /** The folder under examples/. */
  readonly name: string
  readonly packageName: string
  /** What it is, for the printout. */
  readonly title: string
  /** Absolute path of the app's folder (its scripts run there, as `pnpm --filter … start` would). */
  readonly dir: string
  /** What its `start` script runs (`tsx src/main.ts`). */
  readonly entry: string
  readonly healthPath: string
  /** The variable naming its PGlite data directory. */
  readonly pgliteDirVariable: string
  /** Its demo session-JWT helper (what `pnpm --filter … token <args>` runs). */
  readonly session: { readonly script: string; readonly args: readonly string[] }
  /** The matching adapter, to decode the token it serves (decode reads claims; it needs no secret to match). */
  readonly provider: CallTokenProvider
  getToken(http: HttpClient, sessionJwt: string): Promise<ServedToken>
}

const appDir = (name: string) => fileURLToPath(new URL(`../../${name}/`, import.meta.url))

/** Stream token API: alice (a demo admin) asks the call token route for a moderator token, as the in-process demo does. */
const streamExpress: DemoApp = {
  name: 'stream-express',
  packageName: '@calltoken/example-stream-express',
  title: 'Stream token API on Express',
  dir: appDir('stream-express'),
  entry: 'src/main.ts',
  healthPath: '/api/health',
  pgliteDirVariable: 'PGLITE_DATA_DIR',
  session: { script: 'src/scripts/token.ts', args: ['alice'] },
  provider: stream(DEMO.stream),
  async getToken(http, sessionJwt) {
    const callId = 'team-meeting-123'
    const answer = await http.json<{ data: { token: string; userId: string; callId: string } }>('POST', '/api/tokens/call', {
      bearer: sessionJwt,
      body: { callId, role: 'moderator', validityInSeconds: 7200 },
    })
    return { route: 'POST /api/tokens/call', token: answer.data.token, expected: { userId: 'alice', callId } }
  },
}

/** Agora calling API: member 456 creates a call, joins it, and gets the Agora RTC token for its channel. */
const agoraCallingFastify: DemoApp = {
  name: 'agora-calling-fastify',
  packageName: '@calltoken/example-agora-calling-fastify',
  title: 'Agora calling API on Fastify',
  dir: appDir('agora-calling-fastify'),
  entry: 'src/main.ts',
  healthPath: '/api/health',
  pgliteDirVariable: 'PGLITE_DIR',
  session: { script: 'src/token-cli.ts', args: ['456'] },
  provider: agora(DEMO.agora),
  async getToken(http, sessionJwt) {
    const call = await http.json<{ callId: number; channelName: string }>('POST', '/api/calling/create', {
      bearer: sessionJwt,
      body: { title: 'Quickstart demo call', maxParticipants: 2 },
    })
    await http.json('POST', `/api/calling/${call.callId}/join`, { bearer: sessionJwt })
    const answer = await http.json<{ token: string; uid: number; channelName: string }>('POST', '/api/calling/token', {
      bearer: sessionJwt,
      body: { channelName: call.channelName, uid: 456 },
    })
    return { route: 'POST /api/calling/token', token: answer.token, expected: { userId: '456', callId: call.channelName } }
  },
}

/** Appointment video rooms: Jane Doe (patient, user 2) opens appointment 47's room, then gets her Twilio Video token for it. */
const twilioAppointmentsExpress: DemoApp = {
  name: 'twilio-appointments-express',
  packageName: '@calltoken/example-twilio-appointments-express',
  title: 'Twilio video rooms for appointments on Express',
  dir: appDir('twilio-appointments-express'),
  entry: 'src/main.ts',
  healthPath: '/healthz',
  pgliteDirVariable: 'PGLITE_DIR',
  session: { script: 'src/scripts/token.ts', args: ['2'] },
  provider: twilio(DEMO.twilio),
  async getToken(http, sessionJwt) {
    const room = await http.json<{ room_name: string }>('POST', '/api/appointments/video-room/47/', { bearer: sessionJwt })
    const answer = await http.json<{ access_token: string; user_identity: string }>('GET', '/api/appointments/video-token/47/', { bearer: sessionJwt })
    return {
      route: 'GET /api/appointments/video-token/47/',
      token: answer.access_token,
      expected: { userId: '2-jane.doe@example.com', callId: room.room_name },
    }
  },
}

export const DEMO_APPS: readonly DemoApp[] = [streamExpress, agoraCallingFastify, twilioAppointmentsExpress]
