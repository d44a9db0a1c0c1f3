// --help for each command, with examples. Credentials come from the environment variables each adapter's README names.

export const HELP: Record<string, string> = {
  main: `calltoken: decode, verify and mint video-call tokens (Stream, Agora, Twilio, LiveKit, Zoom, Daily), and check webhooks

Usage: calltoken <command> [options]

Commands:
  decode <token>           what a token says, with the mistakes it shows (no key needed)
  verify <token>           its signature and expiry, with the credentials from the environment
  mint --provider <p> ...  a token from the credentials in the environment
  webhook verify ...       a captured webhook delivery

Every command takes --json (for scripts) and --help. A token may also come on stdin.`,
  decode: `Usage: calltoken decode <token> [--json]

Detects the provider (Agora's 007…, or the claims of a Stream, Twilio, LiveKit, Zoom or Daily JWT; any other JWT is
shown raw) and prints the user, the call, the role, the issue and expiry times, and warnings: expired, a lifetime over
the provider's maximum (or under Zoom's minimum), no exp, Twilio's missing cty, an issue time in the future, Agora's
uid/account ambiguity and privileges ending before the token.
Exit: 0 when it could read the token (warnings included), 1 when it could not, 2 on a usage error.

Examples:
  calltoken decode eyJhbGciOi...
  pbpaste | calltoken decode --json`,
  verify: `Usage: calltoken verify <token> [--provider <p>] [--json]

Checks the signature and the expiry with the credentials from the environment: STREAM_API_KEY, STREAM_API_SECRET;
AGORA_APP_ID, AGORA_APP_CERTIFICATE; TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET; LIVEKIT_API_KEY,
LIVEKIT_API_SECRET; ZOOM_VIDEO_SDK_KEY, ZOOM_VIDEO_SDK_SECRET; DAILY_API_KEY, DAILY_DOMAIN_ID (or the same as flags:
--api-key, --api-secret, --app-id, ...).
Exit: 0 valid, 1 invalid or expired, 2 on a usage error (no token, missing credentials).

Example:
  STREAM_API_KEY=... STREAM_API_SECRET=... calltoken verify eyJhbGciOi...`,
  mint: `Usage: calltoken mint --provider <p> --user <id> [--call <id>] [--role <role>] [--ttl <duration>] [--kind user] [--json]

A call token when --call or --role is given (Stream: --call <type>:<id>), else a user token; --kind user makes a user
token for the call. Durations: seconds or 90m, 2h, 1d. Credentials as for verify. Prints the token (never a secret).

Examples:
  calltoken mint --provider stream --user alice --call default:123 --role moderator --ttl 2h
  calltoken mint --provider livekit --user alice --call standup --json`,
  webhook: `Usage: calltoken webhook verify --provider <p> --body-file <file> --header "Name: value" ... [--url <url>] [--secret <key>] [--json]

Checks a captured delivery: the body's exact bytes from --body-file, each header with --header, the URL the provider
called (Twilio signs it), and the webhook key where it is not the adapter's credentials (Twilio's Auth Token, Agora's
NCS secret, Zoom's Secret Token, Daily's hmac; or CALLTOKEN_WEBHOOK_SECRET). Stream and LiveKit use the API secret from
the environment.
Exit: 0 valid, 1 not the provider's, 2 on a usage error.

Example:
  calltoken webhook verify --provider stream --body-file body.json --header "X-Signature: 8cdb4e..."`,
}
