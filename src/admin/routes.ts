import { Hono, type Context } from 'hono'
import { html } from 'hono/html'
import { parse as parseYaml, YAMLError } from 'yaml'
import type { Engine } from '../engine/engine.js'
import { ClockError } from '../engine/clock.js'
import { DurationError } from '../engine/duration.js'
import { MerchantSettingsError } from '../engine/merchants.js'
import { LAYERS, ScenarioError, type ScenarioFile } from '../engine/scenarios.js'
import { UnknownStatusError } from '../engine/transactions.js'
import { StoreWriteError } from '../engine/store.js'
import type { JournalEntry } from '../engine/journal.js'
import type { Delivery } from '../engine/callbacks.js'
import { page } from '../ui/page.js'

type C = Context

const problem = (c: C, status: 400 | 404 | 409 | 503, error: string, details?: unknown) =>
  c.json(details === undefined ? { error } : { error, details }, status)

async function readJson(c: C): Promise<unknown> {
  const text = await c.req.text()
  if (!text.trim()) return {}
  const type = c.req.header('content-type') ?? ''
  return type.includes('yaml') ? parseYaml(text) : JSON.parse(text)
}

/**
 * The admin API under `/_sandbox`: health, merchants, transactions, callbacks, scenarios, clock,
 * journal, reset, and the OpenAPI documents. Errors are `{"error": "…"}` with 400, 404 or 409.
 */
export function adminRoutes(engine: Engine): Hono {
  const app = new Hono()

  app.onError((err, c) => {
    if (err instanceof SyntaxError) return problem(c, 400, `the body is not valid JSON: ${err.message}`)
    if (err instanceof YAMLError) return problem(c, 400, `the body is not valid YAML: ${err.message}`)
    if (err instanceof ScenarioError) return problem(c, 400, err.message, err.problems)
    if (err instanceof MerchantSettingsError) return problem(c, err.status, err.message)
    if (err instanceof UnknownStatusError || err instanceof DurationError) return problem(c, 400, err.message)
    if (err instanceof ClockError) return problem(c, 409, err.message)
    if (err instanceof StoreWriteError) return problem(c, 503, err.message)
    throw err
  })

  app.get('/health', (c) => {
    if (!engine.ready) return c.json({ status: 'starting' }, 503)
    const store = engine.store.health()
    if (!store.ok)
      return c.json({ status: 'failing', reason: store.reason, since: new Date(store.since!).toISOString() }, 503)
    return c.json({ status: 'ok' })
  })

  app.get('/merchants', (c) => c.json(engine.merchants.list(c.req.query('provider'))))
  app.get('/merchants/:provider/:id', (c) => {
    const m = engine.merchants.get(c.req.param('provider'), c.req.param('id'))
    return m ? c.json(m) : problem(c, 404, `no ${c.req.param('provider')} merchant "${c.req.param('id')}"`)
  })
  app.patch('/merchants/:provider/:id', async (c) => {
    const merchant = engine.merchants.patch(c.req.param('provider'), c.req.param('id'), await readJson(c))
    await engine.store.commit()
    engine.journal.note('admin', `merchant ${merchant.provider}/${merchant.id} settings changed`, {
      provider: merchant.provider,
      merchant: merchant.id,
    })
    return c.json(merchant)
  })

  app.get('/transactions', (c) => {
    const q = c.req.query()
    const list = engine.transactions.list({
      provider: q.provider,
      reference: q.reference,
      merchant: q.merchant,
      status: q.status,
      kind: q.kind,
    })
    return c.json(list.slice(0, Number(q.limit) > 0 ? Number(q.limit) : 100))
  })
  app.get('/transactions/:id', (c) => {
    const tx = engine.transactions.get(c.req.param('id'))
    if (!tx)
      return problem(
        c,
        404,
        `no transaction "${c.req.param('id')}" (ids look like connecx-1; GET /_sandbox/transactions lists them)`,
      )
    return c.json({
      ...tx,
      scheduled: engine.transactions.jobs(tx.id),
      callbacks: engine.callbacks.list({ transactionId: tx.id }),
    })
  })
  app.post('/transactions/:id/transition', async (c) => {
    const tx = engine.transactions.get(c.req.param('id'))
    if (!tx) return problem(c, 404, `no transaction "${c.req.param('id')}"`)
    const body = (await readJson(c)) as { status?: unknown; callback?: unknown }
    if (typeof body.status !== 'string')
      return problem(c, 400, 'send {"status":"<neutral or native status>"}, e.g. {"status":"approved"}')
    await engine.transactions.transition(tx, body.status, {
      source: 'admin',
      callback: body.callback === false ? false : undefined,
    })
    return c.json(tx)
  })

  app.get('/callbacks', (c) => {
    const q = c.req.query()
    return c.json(
      engine.callbacks
        .list({
          provider: q.provider,
          reference: q.reference,
          transactionId: q.transaction,
          state: q.state as Delivery['state'],
        })
        .slice(0, Number(q.limit) > 0 ? Number(q.limit) : 100),
    )
  })
  app.get('/callbacks/:id', (c) => {
    const d = engine.callbacks.get(c.req.param('id'))
    return d ? c.json(d) : problem(c, 404, `no callback "${c.req.param('id')}"`)
  })
  app.post('/callbacks/:id/redeliver', async (c) => {
    const d = await engine.callbacks.redeliver(c.req.param('id'))
    return d ? c.json(d) : problem(c, 404, `no callback "${c.req.param('id')}"`)
  })

  app.get('/scenarios', (c) => {
    const providers = c.req.query('provider') ? [c.req.query('provider')!] : engine.providerList.map((p) => p.id)
    return c.json({
      layers: Object.fromEntries(LAYERS.map((l) => [l, engine.scenarios.layer(l)])),
      effective: Object.fromEntries(providers.map((p) => [p, engine.scenarios.effective(p)])),
    })
  })
  app.put('/scenarios', async (c) => {
    const body = await readJson(c)
    const files = (Array.isArray(body) ? body : [body]) as ScenarioFile[]
    engine.scenarios.replaceRuntime(files)
    engine.saveRuntimeScenarios()
    await engine.store.commit()
    engine.journal.note('admin', `runtime scenarios replaced for ${files.map((f) => f.provider).join(', ')}`)
    return c.json({ runtime: engine.scenarios.layer('runtime') })
  })
  const resetScenarios = async (c: C) => {
    engine.scenarios.clearLayer('runtime')
    engine.scenarios.resetOverrides()
    engine.scenarios.resetCounts()
    engine.saveRuntimeScenarios()
    await engine.store.commit()
    return c.json({ runtime: [] })
  }
  app.post('/scenarios/reset', resetScenarios)
  app.delete('/scenarios', resetScenarios)

  app.get('/clock', (c) =>
    c.json({ mode: engine.clock.mode, now: engine.clock.now(), iso: new Date(engine.clock.now()).toISOString() }),
  )
  app.post('/clock/advance', async (c) => {
    const body = (await readJson(c)) as { by?: unknown }
    if (typeof body.by !== 'string' && typeof body.by !== 'number')
      return problem(c, 400, 'send {"by":"90s"} (ms, s, m, h or d)')
    if (engine.clock.mode === 'real')
      return problem(c, 409, 'the clock is real and cannot be advanced; start the sandbox with --clock virtual')
    const now = await engine.advanceClock(body.by)
    return c.json({ now, iso: new Date(now).toISOString() })
  })

  app.get('/journal', (c) => {
    const q = c.req.query()
    return c.json(
      engine.journal.list({
        provider: q.provider,
        kind: q.kind as JournalEntry['kind'],
        reference: q.reference,
        transactionId: q.transaction,
        limit: Number(q.limit) > 0 ? Number(q.limit) : 100,
      }),
    )
  })

  app.post('/reset', async (c) => {
    await engine.reset()
    return c.json({ status: 'reset' })
  })

  app.get('/openapi/:file', async (c) => {
    const name = c.req.param('file').replace(/\.json$/, '')
    // Loaded on first use: start-up never pays for the admin document's builders.
    if (name === 'admin') return c.json((await import('./openapi.js')).adminOpenApi())
    const provider = engine.providerList.find((p) => p.id === name)
    return provider
      ? c.json(provider.openapi())
      : problem(
          c,
          404,
          `no OpenAPI document "${name}"; available: admin, ${engine.providerList.map((p) => p.id).join(', ')}`,
        )
  })

  app.get('/docs', (c) =>
    c.html(
      page(
        'psp-sandbox',
        html`<p>Providers served here, at their real paths:</p>
          <ul>
            ${engine.providerList.map((p) => html`<li><strong>${p.title}</strong> (${p.id}) at ${p.pathPrefixes.join(', ')} — <a href="/_sandbox/openapi/${p.id}.json">OpenAPI</a></li>`)}
          </ul>
          <p>
            Admin API: <a href="/_sandbox/openapi/admin.json">OpenAPI</a> ·
            <a href="/_sandbox/merchants">merchants</a> · <a href="/_sandbox/transactions">transactions</a> ·
            <a href="/_sandbox/callbacks">callbacks</a> · <a href="/_sandbox/journal">journal</a> ·
            <a href="/_sandbox/scenarios">scenarios</a> · <a href="/_sandbox/clock">clock</a>
          </p>`,
      ),
    ),
  )

  return app
}
