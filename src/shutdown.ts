import type { Server } from 'node:http'
import type { Socket } from 'node:net'

/** A socket idle this long while the server drains is closed (a request may be on its way). */
const IDLE_GRACE_MS = 200

/**
 * Graceful shutdown of an HTTP server: tracks its connections from the start and, when `drain()` is
 * called, stops accepting, lets every request in flight finish and answers it with
 * `Connection: close`, closes sockets once they are idle (after a short grace, so a request already
 * on the wire is still read), and cuts whatever is left after `timeoutMs`. Node's own
 * `server.close()` closes "idle" sockets at once, which resets connections whose request has not
 * been parsed yet; this does not.
 *
 * @example
 * const drain = drainable(server)
 * process.on('SIGTERM', () => drain(5000).then(() => process.exit(0)))
 */
export function drainable(server: Server): (timeoutMs: number) => Promise<void> {
  const sockets = new Map<Socket, { active: number; idleSince: number }>()
  let draining = false
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { active: 0, idleSince: Date.now() })
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('request', (req, res) => {
    const state = sockets.get(req.socket)
    if (state) state.active++
    if (draining) res.setHeader('connection', 'close')
    res.once('close', () => {
      if (!state) return
      state.active--
      state.idleSince = Date.now()
    })
  })

  return (timeoutMs) =>
    new Promise<void>((resolve) => {
      draining = true
      // http.Server.close() would close every socket without a parsed request; do it ourselves.
      const http = server as Server & { closeIdleConnections?: () => void }
      http.closeIdleConnections = () => {}
      const deadline = Date.now() + timeoutMs
      const sweep = setInterval(() => {
        const now = Date.now()
        for (const [socket, state] of sockets)
          if (now >= deadline || (state.active === 0 && now - state.idleSince >= IDLE_GRACE_MS)) socket.destroy()
      }, 25)
      server.close(() => {
        clearInterval(sweep)
        resolve()
      })
    })
}
