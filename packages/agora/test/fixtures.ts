/** Test credentials (not real): 32 hex characters each. */
export const APP_ID = '4f1c2b3a5d6e7f8091a2b3c4d5e6f708'
export const APP_CERTIFICATE = '9b8a7c6d5e4f30211a2b3c4d5e6f7a8b'
export const OTHER_CERTIFICATE = 'c0ffee11d00d22beef33cafe44f00d55'
export const OTHER_APP_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'

/** The inputs shared by every official AccessToken2 vector (agora-token test/AccessToken2Test.js, AgoraIO/Tools). */
export const VECTOR = {
  appId: '970CA35de60c44645bbae8a215061b33',
  appCertificate: '5CFd2fd1755d40ecb72977518be15d3b',
  channel: '7d72365eb983485397e3e3f9d460bdda',
  uid: 2882341273,
  uidStr: '2882341273',
  issueTs: 1111111,
  expire: 600,
  salt: 1,
  rtmUserId: 'test_user',
} as const

/** Agora's 89 characters for channel names and accounts. */
export const AGORA_89 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&()+-:;<=.>?@[]^_{}|~,'
