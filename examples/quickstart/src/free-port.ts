import { createServer, type AddressInfo } from 'node:net'

/**
 * A port that is free on `host` right now (the OS picks it). Another process may still take it before the app
 * listens; run-app.ts retries with a new port when that happens.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
