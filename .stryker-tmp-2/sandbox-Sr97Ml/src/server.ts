// @ts-nocheck
import { serve as serveNode, type ServerType } from '@hono/node-server'
import type { Sandbox } from './sandbox.js'

export interface ListenOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1 (use 0.0.0.0 inside a container). */
  host?: string
}

export interface RunningServer {
  /** Base URL to point an integration at, e.g. `http://127.0.0.1:8080`. */
  url: string
  port: number
  /** Stops accepting connections, ends held-open ones, then closes the sandbox. */
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
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serveNode({ fetch: sandbox.app.fetch, port: options.port ?? 8080, hostname: host }, () => resolve(s))
    s.once('error', reject)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080)
  for (const h of [host, 'localhost', '127.0.0.1', '[::1]', '0.0.0.0']) sandbox.engine.selfHosts.add(`${h}:${port}`)
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
      })
      await sandbox.close()
    },
  }
}
