// `pnpm --filter @calltoken/example-twilio-appointments-express sign-callback '<form body>'`: prints the
// X-Twilio-Signature Twilio would send for that body to this app's status callback URL, to try the route with curl.
import { ConfigError, loadConfig } from '../config'
import { ROOM_STATUS_PATH } from '../twilio/room-status-route'
import { parseFormParams, twilioSignature } from '../twilio/signature'

const body = process.argv[2]
if (process.env.NODE_ENV === 'production') {
  console.error('Refusing to sign callbacks with NODE_ENV=production: only Twilio signs them there.')
  process.exit(1)
}
if (body === undefined) {
  console.error("Usage: sign-callback 'RoomSid=RM…&RoomName=apt-…&StatusCallbackEvent=room-created&SequenceNumber=0'")
  process.exit(1)
}
try {
  const config = loadConfig()
  console.log(twilioSignature(config.twilio.authToken, `${config.publicBaseUrl}${ROOM_STATUS_PATH}`, parseFormParams(body)))
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
}
