// One request as raw bytes on its own keep-alive connection, as browsers send them: the status of the answer, or
// 'reset' (the connection ended or failed before a whole answer), or 'timeout'. The connection is dropped once the
// answer is complete (by Content-Length or the last chunk). Header values are written byte for byte (latin1), so
// they may hold anything the generator put in them.
import { connect } from 'node:net'

export function send(port, { method, path, headers, body }, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    const head = [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', ...headers.map(([n, v]) => `${n}: ${v}`)]
    if (body.length > 0 || !['GET', 'HEAD'].includes(method)) head.push(`content-length: ${body.length}`)
    const socket = connect(port, '127.0.0.1')
    let received = Buffer.alloc(0)
    let done = false
    const finish = (outcome) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => finish({ status: 'timeout' }), timeoutMs)
    socket.on('connect', () => {
      socket.write(Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'))
      // No end(): a half-closed request is one Node's server drops unanswered, and no real client sends one.
      socket.write(body)
    })
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      if (received.length > 1_000_000 || complete(received, method)) finish(outcome(received))
    })
    // The server may close once it has answered (an early 413 on a long upload): a status line counts as answered.
    socket.on('error', () => finish(received.length > 0 ? outcome(received) : { status: 'reset' }))
    socket.on('close', () => finish(received.length > 0 ? outcome(received) : { status: 'reset' }))
  })
}

/** True once `bytes` hold a whole answer: its head, and its body by Content-Length or up to the last chunk. */
function complete(bytes, method) {
  const text = bytes.toString('latin1')
  const split = text.indexOf('\r\n\r\n')
  if (split < 0) return false
  const head = text.slice(0, split).toLowerCase()
  if (method === 'HEAD' || /^http\/1\.[01] (1\d\d|204|304)/.test(head)) return true
  const length = /\r\ncontent-length: *(\d+)/.exec(head)
  if (length) return bytes.length - (split + 4) >= Number(length[1])
  if (/\r\ntransfer-encoding: *chunked/.test(head)) return text.endsWith('\r\n0\r\n\r\n')
  return false
}

function outcome(bytes) {
  const text = bytes.toString('latin1')
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text)
  if (!match) return { status: 'reset' }
  const split = text.indexOf('\r\n\r\n')
  return { status: Number(match[1]), head: text.slice(0, split), body: split >= 0 ? text.slice(split + 4, split + 4 + 4000) : '' }
}
