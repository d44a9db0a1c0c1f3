// What each zlib backend provides. Both deflate with the plain-JavaScript deflater (so a token is the same bytes on
// every runtime); node.ts inflates with node:zlib and encodes base64 with Buffer, web.ts uses the plain-JavaScript
// inflater and btoa/atob. package.json's "imports" map picks one for "#zlib" by condition. Both inflate as strictly
// (a test holds them to the same answers).

export interface ZlibBackend {
  /** `data` as one zlib stream. */
  deflate(data: Uint8Array): Uint8Array
  /**
   * The bytes of one zlib stream that fills `compressed` exactly, with zero padding bits (either would give a second
   * spelling of the same signed token); throws otherwise, or past `maxOutputLength` bytes (the reason is the message).
   */
  inflate(compressed: Uint8Array, maxOutputLength: number): Uint8Array
  /** Padded standard base64. */
  base64(bytes: Uint8Array): string
  /** The bytes of a base64 string the caller has checked is canonical. */
  bytesFromBase64(text: string): Uint8Array
}
