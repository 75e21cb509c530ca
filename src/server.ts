import { serve as serveNode, type ServerType } from '@hono/node-server'
import { isLoopbackHost } from './admin/guard.js'
import type { Sandbox } from './sandbox.js'
import { drainable } from './shutdown.js'
import type { Server } from 'node:http'

export interface ListenOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1 (use 0.0.0.0 inside a container: then an admin token is required). */
  host?: string
  /** How long `close()` lets requests in flight finish before it cuts them (ms). Default 5000. */
  drainTimeoutMs?: number
}

export interface RunningServer {
  /** Base URL to point an integration at, e.g. `http://127.0.0.1:8080`. */
  url: string
  /** The address actually bound, as a URL: `http://0.0.0.0:8080` when listening on every interface. */
  boundUrl: string
  port: number
  /**
   * Stops accepting connections, lets requests in flight finish (up to `drainTimeoutMs`; requests
   * held open by a `timeout` fault end at once), closes idle keep-alive connections, then closes
   * the sandbox (pending work is on disk).
   */
  close(): Promise<void>
}

/**
 * Serves a sandbox over a real HTTP socket.
 *
 * @example
 * const server = await listen(createSandbox({ data: '.psp-sandbox/db.json' }), { port: 8080 })
 * console.log(server.url)
 */
export async function listen(sandbox: Sandbox, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopbackHost(host) && !sandbox.engine.options.admin?.token)
    throw new Error(
      `binding ${host} would open the admin API (/_sandbox: reset, merchant secrets, scenarios) to the network; set an admin token with --admin-token <token> or the environment variable PSP_SANDBOX_ADMIN_TOKEN (admin calls then send Authorization: Bearer <token>), or bind 127.0.0.1`,
    )
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serveNode({ fetch: sandbox.app.fetch, port: options.port ?? 8080, hostname: host }, () => resolve(s))
    s.once('error', reject)
  })
  const drain = drainable(server as Server)
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080)
  for (const h of [host, 'localhost', '127.0.0.1', '[::1]', '0.0.0.0']) sandbox.engine.selfHosts.add(`${h}:${port}`)
  sandbox.engine.listeningPorts.add(port)
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  const bound = typeof address === 'object' && address ? address.address : host
  const asUrl = (h: string) => `http://${h.includes(':') ? `[${h}]` : h}:${port}`
  return {
    url: asUrl(shownHost),
    boundUrl: asUrl(bound),
    port,
    close: async () => {
      sandbox.engine.endHeldRequests()
      await drain(options.drainTimeoutMs ?? 5000)
      await sandbox.close()
    },
  }
}
