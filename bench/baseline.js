// The bare Hono baseline of `npm run bench`: a Hono + @hono/node-server app that reads the same
// requests' bodies the way a route would (JSON, form or text) and answers a fixed small JSON body.
// It is the ceiling for any Hono app on this machine; the bench prints the sandbox as a ratio to it.
// Prints `listening on http://127.0.0.1:PORT` once it accepts connections (port 0 picks one).
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
const ANSWER = { status: 'ok', txnId: 176272727441, message: null }
app.get('/_sandbox/health', (c) => c.json({ status: 'ok' }))
app.get('*', (c) => c.json(ANSWER))
app.post('*', async (c) => {
  const type = c.req.header('content-type') ?? ''
  if (type.startsWith('application/json')) await c.req.json()
  else if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded'))
    await c.req.parseBody()
  else await c.req.text()
  return c.json(ANSWER)
})

const port = Number(process.argv[2] ?? 0)
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
