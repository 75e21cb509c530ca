// The merchant's callback listener for `npm run bench`, in its own process so the load generator
// never delays the moment a callback is seen. Records when each callback arrived (ms since the
// epoch, sub-millisecond: the moment its request head was complete) by its `paymentRef`, answers
// 200 "OK", and sends what it saw over IPC when the parent asks ({ type: 'report' }; { type:
// 'count' } sends only how many, cheap enough to poll while callbacks arrive); { type: 'clear' }
// forgets it.
//
// It reads HTTP/1.1 straight off the socket (request head, then a Content-Length body) instead of
// through node:http: it shares the machine's cores with the sandbox it measures, and node:http's
// server cost it about 0.5 ms of CPU per callback, as much as the sandbox's own work.
import { createServer } from 'node:net'
import { performance } from 'node:perf_hooks'

const ANSWER = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK', 'latin1')
const REF = /"paymentRef":"([^"]*)"/

let arrivals = []
const server = createServer((socket) => {
  socket.setNoDelay(true)
  let buffer = ''
  let at = 0
  socket.setEncoding('latin1')
  socket.on('data', (chunk) => {
    buffer = buffer ? buffer + chunk : chunk
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n')
      if (end < 0) return
      if (!at) at = performance.timeOrigin + performance.now()
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0)
      if (buffer.length < end + 4 + length) return
      const body = buffer.slice(end + 4, end + 4 + length)
      buffer = buffer.slice(end + 4 + length)
      // Not a Connecx callback: recorded without a reference.
      arrivals.push([REF.exec(body)?.[1], at])
      at = 0
      socket.write(ANSWER)
    }
  })
  socket.on('error', () => {})
})
server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port }))
process.on('message', (message) => {
  if (message.type === 'report') process.send({ type: 'report', arrivals })
  if (message.type === 'count') process.send({ type: 'count', count: arrivals.length })
  if (message.type === 'clear') arrivals = []
  if (message.type === 'stop') {
    server.close(() => process.exit(0))
    setTimeout(() => process.exit(0), 1000).unref()
  }
})
