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

/** Stream / Twilio user ids and call ids. */
export const users = Array.from({ length: SIZE }, (_, i) => `user-${(i * 7919 + 1000).toString(36)}-${i}`)
export const calls = Array.from({ length: SIZE }, (_, i) => `call-${(i * 104729 + 5000).toString(36)}-${i}`)

/** Agora: numeric uids (as numbers for agora-token, as decimal strings for our adapter) and channel names. */
export const agoraUids = Array.from({ length: SIZE }, (_, i) => 100000 + i * 37)
export const agoraUserIds = agoraUids.map(String)
export const channels = calls

/** The validity every case uses, in seconds (the SDKs' default and our policy's default). */
export const VALIDITY = 3600
