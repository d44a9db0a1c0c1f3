// One signed webhook delivery per provider, as each provider signs it, for the matrix to verify in every runtime
// (test/webhook-deliveries.test.ts signs them again with node:crypto and checks these are those bytes). The clock of
// every check is pinned to WEBHOOK_NOW_MS, so the signed timestamps (Zoom, Daily) and LiveKit's JWT stay valid.
export const WEBHOOK_NOW_MS = 1796040000_000

/** @type {Record<string, { body: string, headers: Record<string, string>, url?: string, secret?: string }>} */
export const WEBHOOK_DELIVERIES = {
  "stream": {
    "body": "{\"type\":\"call.session_started\",\"call_cid\":\"default:runtime-matrix\"}",
    "headers": {
      "x-signature": "8cdb4ee753965b5bf51457f5ebb728dd23c3bfe31023cba868955f78bb3f0f95",
      "x-webhook-id": "wh-matrix"
    }
  },
  "agora": {
    "body": "{\"noticeId\":\"n-matrix\",\"productId\":1,\"eventType\":101,\"notifyMs\":1796040000000,\"payload\":{\"channelName\":\"runtime-matrix\"}}",
    "headers": {
      "agora-signature-v2": "8bef35bb2b2b5018e9d2635e34447e6378b1b480cff183530f4a5feb94f9a44a"
    },
    "secret": "runtime-matrix-ncs-secret"
  },
  "twilio": {
    "body": "RoomName=runtime-matrix&StatusCallbackEvent=room-ended",
    "url": "https://hooks.example.com/twilio/room-status?site=matrix",
    "headers": {
      "x-twilio-signature": "MxKKJ7C+CtciVX3m0643Cf90FdI="
    },
    "secret": "runtime-matrix-twilio-auth-token"
  },
  "livekit": {
    "body": "{\"event\":\"room_finished\",\"id\":\"EV_matrix\",\"room\":{\"name\":\"runtime-matrix\"}}",
    "headers": {
      "authorization": "eyJhbGciOiJIUzI1NiJ9.eyJzaGEyNTYiOiJsYUpoYitNTFdUbUhLVGtWZmJmcDIyU0VNeFJxeE9nMksydkdDVGdZRG5zPSIsImlzcyI6IkFQSWNhbGx0b2tlbmRlbW8iLCJleHAiOjE3OTYwNDAzMDAsIm5iZiI6MTc5NjA0MDAwMH0.AFplXXr5wusvQLHYUWThZyS5T7w9e4MyRVzpoufCfNQ"
    }
  },
  "zoom": {
    "body": "{\"event\":\"session.ended\",\"payload\":{\"object\":{\"session_name\":\"runtime-matrix\"}}}",
    "headers": {
      "x-zm-signature": "v0=7a16d50874ef0ff18bb969c25d5fcb6a1e18ecfc6034fa4f84f24dbb133066fc",
      "x-zm-request-timestamp": "1796040000"
    },
    "secret": "runtime-matrix-zoom-secret-token"
  },
  "daily": {
    "body": "{\"version\":\"1.0.0\",\"type\":\"meeting.ended\",\"id\":\"mtg-matrix\",\"payload\":{\"room\":\"runtime-matrix\"}}",
    "headers": {
      "x-webhook-signature": "vBRBzoDe+mXw5TUdbLN8EqefX1ewBG8tvr4WBvw4cRw=",
      "x-webhook-timestamp": "1796040000"
    },
    "secret": "cnVudGltZS1tYXRyaXgtZGFpbHktaG1hYw=="
  }
}
