import { http, HttpResponse, type HttpHandler } from 'msw'
import { RESET_MARKER } from './engine/http.js'
import { createSandbox, type Sandbox, type SandboxOptions } from './sandbox.js'

export interface HandlerOptions {
  /** Base URLs to intercept per provider id; defaults to each provider's real hosts. */
  hosts?: Record<string, string[]>
}

/**
 * msw handlers that route each provider's real base URLs into a sandbox's Hono app, in-process.
 * Callbacks go out through `node:http`, which msw intercepts too (or pass
 * `onCallback` to `createSandbox`).
 *
 * @example
 * import { setupServer } from 'msw/node'
 * import { createSandbox } from 'psp-sandbox'
 * import { createHandlers } from 'psp-sandbox/msw'
 * const sandbox = createSandbox({ clock: 'virtual' })
 * const server = setupServer(...createHandlers(sandbox))
 */
export function createHandlers(target: Sandbox, options: HandlerOptions = {}): HttpHandler[] {
  const handlers: HttpHandler[] = []
  for (const provider of target.engine.providerList) {
    for (const base of options.hosts?.[provider.id] ?? provider.hosts) {
      const origin = base.replace(/\/+$/, '')
      target.engine.selfHosts.add(new URL(origin).host)
      handlers.push(
        http.all(`${origin}/*`, async ({ request }) => {
          const response = await target.fetch(request)
          return response.headers.get(RESET_MARKER) ? HttpResponse.error() : response
        }),
      )
    }
  }
  return handlers
}

/**
 * A fresh in-memory sandbox with a virtual clock and its handlers at every provider's real hosts.
 * Nothing is built when `psp-sandbox/msw` is imported: call this (once per test file) instead.
 *
 * @example
 * import { setupServer } from 'msw/node'
 * import { sandboxHandlers } from 'psp-sandbox/msw'
 * const { sandbox, handlers } = sandboxHandlers()
 * const server = setupServer(...handlers)
 */
export function sandboxHandlers(options: SandboxOptions = {}): { sandbox: Sandbox; handlers: HttpHandler[] } {
  const sandbox = createSandbox({ clock: 'virtual', ...options })
  return { sandbox, handlers: createHandlers(sandbox) }
}
