import { Hono } from 'hono'
import { guardAdmin } from './admin/guard.js'
import { adminRoutes } from './admin/routes.js'
import type { Engine } from './engine/engine.js'
import { journalRequests, limitBody, type SandboxEnv } from './engine/http.js'
import { PrefixRouter } from './engine/prefix-router.js'
import { releaseReservations } from './engine/reservations.js'
import { dashboardRoutes } from './ui/dashboard.js'
import { docsRoutes } from './ui/docs.js'
import { StoreWriteError } from './engine/store.js'

/**
 * Builds the one Hono app that serves every provider at its real paths, the admin API under
 * `/_sandbox`, and the hosted pages. Every surface (node server, msw, `app.fetch`) drives it.
 */
export function createApp(engine: Engine): Hono<SandboxEnv> {
  // Routes are grouped by first path segment, so the paths Hono's RegExpRouter cannot take
  // (Connecx's, ConnPay's) do not send every other request to the slower TrieRouter.
  const app = new Hono<SandboxEnv>({ router: new PrefixRouter() })

  // Requests wait for state to load; only the health check answers before (503).
  app.use('*', (c, next) =>
    engine.ready || c.req.path === '/_sandbox/health' ? next() : engine.start().then(() => next()),
  )
  // Several replicas on one database: each request first sees what the others committed.
  const shared = engine.store.shared
  if (shared)
    app.use('*', async (c, next) => {
      if (engine.ready && c.req.path !== '/_sandbox/health') await shared.sync()
      await next()
    })

  app.use('/_sandbox/*', ...guardAdmin(engine.options.admin, engine.selfHosts))
  app.route('/_sandbox', adminRoutes(engine))
  app.route('/_sandbox/ui', dashboardRoutes(engine))
  app.route('/_sandbox/docs', docsRoutes(engine))
  for (const provider of engine.providerList) {
    for (const prefix of provider.pathPrefixes)
      app.use(`${prefix}/*`, journalRequests(engine, provider), limitBody(provider), releaseReservations())
    app.route('/', provider.routes(engine.port(provider.id)))
  }
  app.get('/', (c) => c.redirect('/_sandbox/ui'))

  app.notFound((c) => {
    const provider = engine.providerForPath(c.req.path)
    if (provider) return provider.problem(c, 'route-not-found')
    if (c.req.path.startsWith('/_sandbox/'))
      return c.json({ error: `no admin API at ${c.req.method} ${c.req.path}; see /_sandbox/docs` }, 404)
    return c.json(
      {
        error: `nothing is served at ${c.req.method} ${c.req.path}; providers live at their real paths, the admin API under /_sandbox (see /_sandbox/docs)`,
      },
      404,
    )
  })

  app.onError((error, c) => {
    const provider = engine.providerForPath(c.req.path)
    const entry = c.get('journal')
    const text =
      error instanceof StoreWriteError
        ? `the change was not saved, so the sandbox answered with ${provider?.title ?? 'its'} internal error: ${error.message}`
        : `the sandbox failed: ${error.stack ?? error.message}`
    if (entry) entry.notes.push(text)
    else engine.journal.note('system', text, { provider: provider?.id, method: c.req.method, path: c.req.path })
    if (provider) return provider.problem(c, 'internal-error')
    return c.json({ error: `the sandbox failed: ${error.message}` }, 500)
  })

  return app
}
