// The merchant's callback listener for `npm run bench`, in its own process so the load generator
// never delays the moment a callback is seen. Records when each callback arrived (ms since the
// epoch, sub-millisecond) by its `paymentRef`, answers 200, and sends what it saw over IPC when the
// parent asks ({ type: 'report' }; { type: 'count' } sends only how many, cheap enough to poll
// while callbacks arrive); { type: 'clear' } forgets it.
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'

let arrivals = []
const server = createServer((req, res) => {
  const at = performance.timeOrigin + performance.now()
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    let reference
    try {
      reference = JSON.parse(Buffer.concat(chunks).toString('utf8')).paymentRef
    } catch {
      /* not a Connecx callback: recorded without a reference */
    }
    arrivals.push([reference, at])
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 })
    res.end('OK')
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port }))
process.on('message', (message) => {
  if (message.type === 'report') process.send({ type: 'report', arrivals })
  if (message.type === 'count') process.send({ type: 'count', count: arrivals.length })
  if (message.type === 'clear') arrivals = []
  if (message.type === 'stop') server.close(() => process.exit(0))
})
