// Fake credentials, well-formed: the quickstart's demo values (examples/quickstart/src/demo-credentials.ts). The
// Agora pair is Agora's own published AccessToken2 test App ID and certificate. No real project accepts any of them.
// Shared by the mint script (every runtime) and the Node-side re-check.
export const CREDENTIALS = {
  stream: { apiKey: 'calltokendemo', apiSecret: 'calltoken-demo-secret-NOT-FOR-PRODUCTION' },
  agora: { appId: '970CA35de60c44645bbae8a215061b33', appCertificate: '5CFd2fd1755d40ecb72977518be15d3b' },
  twilio: {
    accountSid: 'ACc0ffee00c0ffee00c0ffee00c0ffee00',
    apiKeySid: 'SKdec0de00dec0de00dec0de00dec0de00',
    apiKeySecret: 'calltoken-demo-twilio-secret-NOT-FOR-PRODUCTION',
  },
  livekit: { apiKey: 'APIcalltokendemo', apiSecret: 'calltoken-demo-livekit-secret-NOT-FOR-PRODUCTION' },
  zoom: { sdkKey: 'calltokendemozoomsdkkey', sdkSecret: 'calltoken-demo-zoom-secret-NOT-FOR-PRODUCTION' },
  daily: { apiKey: 'c0ffee00'.repeat(8), domainId: 'c0ffee00-0000-4000-8000-00000000da11' },
}

/** What every runtime mints: a user token for USER_ID and a call token for USER_ID in CALL_ID with ROLE. */
export const USER_ID = 'alice'
export const CALL_ID = 'runtime-matrix'
export const ROLE = 'moderator'
export const PROVIDERS = ['stream', 'agora', 'twilio', 'livekit', 'zoom', 'daily']
