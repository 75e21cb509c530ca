import { Hono, type Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { Engine } from '../engine/engine.js'
import { ClockError } from '../engine/clock.js'
import { DurationError } from '../engine/duration.js'
import { MerchantSettingsError } from '../engine/merchants.js'
import { LAYERS, ScenarioError } from '../engine/scenarios.js'
import { UnknownStatusError } from '../engine/transactions.js'
import { StoreWriteError } from '../engine/store.js'
import { yaml as yamlParser } from '../engine/yaml.js'
import type { JournalEntry } from '../engine/journal.js'
import type { Delivery } from '../engine/callbacks.js'
import { checkJsonLimits, parseJson } from '../wire/limits.js'
import type { SandboxEvent } from '../engine/events.js'

type C = Context

const problem = (c: C, status: 400 | 404 | 409 | 503, error: string, details?: unknown) =>
  c.json(details === undefined ? { error } : { error, details }, status)

/** An admin request body the sandbox will not read; answered 400 with the message. */
class AdminBodyError extends Error {}

/**
 * Reads an admin body (JSON, or YAML when the Content-Type says so) within `BODY_LIMITS`. An empty
 * body reads as `{}`; anything but an object (or, with `arrays`, a list) is an `AdminBodyError`.
 */
async function readJson(c: C, arrays = false): Promise<Record<string, unknown> | unknown[]> {
  const text = await c.req.text()
  if (!text.trim()) return {}
  const yaml = (c.req.header('content-type') ?? '').includes('yaml')
  let value: unknown
  try {
    value = yaml ? yamlParser().parse(text, { maxAliasCount: 100 }) : parseJson(text)
    if (yaml) checkJsonLimits(JSON.stringify(value) ?? '')
  } catch (e) {
    throw new AdminBodyError(`the body is not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message}`)
  }
  const shape = arrays ? 'a JSON object or a list of them' : 'a JSON object'
  if (value === null || typeof value !== 'object')
    throw new AdminBodyError(`the body is ${value === null ? 'null' : `a ${typeof value}`}; send ${shape}`)
  if (Array.isArray(value) && !arrays) throw new AdminBodyError(`the body is a list; send ${shape}`)
  return value as Record<string, unknown> | unknown[]
}

/** What an SSE client of `/_sandbox/events` gets for an event: ids and states, no bodies. */
function eventSummary(event: SandboxEvent): Record<string, unknown> {
  switch (event.type) {
    case 'journal': {
      const e = event.entry
      return { id: e.id, kind: e.kind, provider: e.provider, status: e.status, transactionId: e.transactionId }
    }
    case 'transaction': {
      const t = event.transaction
      return { id: t.id, provider: t.provider, status: t.status, nativeStatus: t.nativeStatus }
    }
    case 'delivery': {
      const d = event.delivery
      return { id: d.id, transactionId: d.transactionId, state: d.state, attempts: d.attempts.length }
    }
    case 'clock':
      return { now: event.now }
    case 'reset':
      return {}
  }
}

/**
 * The admin API under `/_sandbox`: health, merchants, transactions, callbacks, scenarios, clock,
 * journal, reset, and the OpenAPI documents. Errors are `{"error": "…"}` with 400, 404 or 409.
 */
export function adminRoutes(engine: Engine): Hono {
  const app = new Hono()

  app.onError((err, c) => {
    if (err instanceof AdminBodyError) return problem(c, 400, err.message)
    if (err instanceof SyntaxError) return problem(c, 400, `the body is not valid JSON: ${err.message}`)
    if (err instanceof yamlParser().YAMLError) return problem(c, 400, `the body is not valid YAML: ${err.message}`)
    if (err instanceof ScenarioError) return problem(c, 400, err.message, err.problems)
    if (err instanceof MerchantSettingsError) return problem(c, err.status, err.message)
    if (err instanceof UnknownStatusError || err instanceof DurationError) return problem(c, 400, err.message)
    if (err instanceof ClockError) return problem(c, 409, err.message)
    if (err instanceof StoreWriteError) return problem(c, 503, err.message)
    throw err
  })

  app.get('/health', async (c) => {
    if (!engine.ready) return c.json({ status: 'starting' }, 503)
    // A shared database is asked now: readiness follows whether it answers.
    const store = (await engine.store.shared?.check()) ?? engine.store.health()
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
      providerRef: q.providerRef,
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
  app.post('/callbacks/:id/copy', async (c) => {
    const body = (await readJson(c)) as { kind?: unknown }
    if (body.kind !== 'duplicate' && body.kind !== 'invalid')
      return problem(c, 400, 'send {"kind":"duplicate"} (the same bytes again) or {"kind":"invalid"} (a bad signature)')
    const d = await engine.callbacks.copy(c.req.param('id'), body.kind)
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
    return c.json({ runtime: await engine.replaceRuntimeScenarios(await readJson(c, true)) })
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
    c.json({
      mode: engine.clock.mode,
      now: engine.clock.now(),
      iso: new Date(engine.clock.now()).toISOString(),
      due: engine.dueWork(),
    }),
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
        refused: q.refused === 'true',
        limit: Number(q.limit) > 0 ? Number(q.limit) : 100,
      }),
    )
  })

  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      const stop = engine.events.listen((event) => {
        void stream.writeSSE({ event: event.type, data: JSON.stringify(eventSummary(event)) }).catch(() => {})
      })
      const heartbeat = setInterval(() => void stream.writeSSE({ event: 'ping', data: '{}' }).catch(() => {}), 15_000)
      heartbeat.unref?.()
      await stream.writeSSE({ event: 'hello', data: JSON.stringify({ now: engine.clock.now() }), retry: 2000 })
      await new Promise<void>((resolve) => {
        stream.onAbort(resolve)
        if (engine.closing.aborted) resolve()
        engine.closing.addEventListener('abort', () => resolve(), { once: true })
      })
      clearInterval(heartbeat)
      stop()
    }),
  )

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
      ? c.json(await provider.openapi())
      : problem(
          c,
          404,
          `no OpenAPI document "${name}"; available: admin, ${engine.providerList.map((p) => p.id).join(', ')}`,
        )
  })

  return app
}
