// What each zlib backend provides. node.ts uses node:zlib and Buffer (the tokens are then byte for byte agora-token's);
// web.ts uses the plain-JavaScript deflater and btoa/atob. package.json's "imports" map picks one for "#zlib" by
// condition. Reading tokens needs no backend: inflate.ts is plain JavaScript and strict on every runtime.

export interface ZlibBackend {
  /** `data` as one zlib stream. */
  deflate(data: Uint8Array): Uint8Array
  /** Padded standard base64. */
  base64(bytes: Uint8Array): string
  /** The bytes of a base64 string the caller has checked is canonical. */
  bytesFromBase64(text: string): Uint8Array
}
