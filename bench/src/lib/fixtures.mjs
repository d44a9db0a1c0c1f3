// Fixed fake credentials and the 1024 distinct users/calls every mint case cycles through.
// The cold-start scripts in ../cold/ repeat the Stream values literally (so they load nothing extra).

export const SIZE = 1024
export const MASK = SIZE - 1

export const STREAM = Object.freeze({
  apiKey: 'k7bench2mq4z',
  apiSecret: 'q8w3ndx7r2bth5vk9mjc4ylp6sfg0ez1ua8oi3hn7kwt2bq5rdx9jmc4vlp6sy0f',
})

// 32 hex digits each, like the Agora console shows them.
export const AGORA = Object.freeze({
  appId: '5f1c9a7e3b2d4c6a8e0f1b3d5a7c9e2f',
  appCertificate: 'a3c5e7f9b1d2046a8c0e2f4b6d8a1c3e',
})

// Twilio: account SID "AC" + 32 hex, API key SID "SK" + 32 hex, API key secret (32 chars).
export const TWILIO = Object.freeze({
  accountSid: 'AC4e2b7d9f1a3c5e7b9d1f3a5c7e9b2d4f',
  apiKeySid: 'SK8a1c3e5f7b9d2f4a6c8e0b2d4f6a8c1e',
  apiKeySecret: 'Zq3vR8mT2kX7pL4nW9cB6hJ1sD5fG0yA',
})

// Shaped like each provider's credentials: a LiveKit Cloud key and secret, a Video SDK key and secret, a Daily
// 64-hex API key and UUID domain id.
export const LIVEKIT = Object.freeze({ apiKey: 'APIb3nch7Qm2Rk9', apiSecret: 'Lq7Vx2Rm9Tk4Wp8Nb3Yc6Zd1Hf5Gs0Ja2Eu7Oi4Xq9' })
export const ZOOM = Object.freeze({ sdkKey: 'b3nchQ7Vx2LmR9tKz4WpN8', sdkSecret: 'R4kT9mQx2Vn7Lr3Pz8Wc5Yb1Jd6Fs0Ga9Eu2O' })
export const DAILY = Object.freeze({ apiKey: '4be7c1d9a2f60835b1c7e9d2f4a6b8c0e3f5a7c9b1d3f5e7a092c4e6b8d0f2a1', domainId: '7d1e8c2a-4b3f-4a9e-8c1d-2f3e4a5b6c7d' })

/** User ids and call ids (Stream, Twilio, LiveKit, Zoom and Daily all accept these). */
export const users = Array.from({ length: SIZE }, (_, i) => `user-${(i * 7919 + 1000).toString(36)}-${i}`)
export const calls = Array.from({ length: SIZE }, (_, i) => `call-${(i * 104729 + 5000).toString(36)}-${i}`)

/** Agora: numeric uids (as numbers for agora-token, as decimal strings for our adapter) and channel names. */
export const agoraUids = Array.from({ length: SIZE }, (_, i) => 100000 + i * 37)
export const agoraUserIds = agoraUids.map(String)
export const channels = calls

/** The validity every case uses, in seconds (the SDKs' default and our policy's default). */
export const VALIDITY = 3600
