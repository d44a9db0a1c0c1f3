// `express4` is a dev-only npm alias of express 4 (for the Express 4 tests); it ships no types of its own.
// The v5 typings from @types/express describe the part the tests use (app(), use(), json(), error middleware).
declare module 'express4' {
  import express from 'express'
  export default express
}
