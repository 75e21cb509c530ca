import { Hono } from 'hono'
import { html, raw } from 'hono/html'
import type { Engine } from '../engine/engine.js'
import { type JournalEntry } from '../engine/journal.js'
import { ScenarioError, type ScenarioFile } from '../engine/scenarios.js'
import { NEUTRAL_STATUSES } from '../engine/types.js'
import { yaml } from '../engine/yaml.js'
import { checkJsonLimits } from '../wire/limits.js'
import { DASHBOARD_CSS, DASHBOARD_JS } from './assets.js'
import { badge, facts, json, relative, screen, select, table, textInput, when } from './layout.js'
import {
  shorten,
  statusBadge,
  moveButton,
  transactionDetail,
  kib,
  journalEntry,
  merchantForm,
} from './dashboard-views.js'

const PAGE_SIZE = 25
const JOURNAL_KINDS: Array<JournalEntry['kind']> = ['request', 'callback', 'timeline', 'admin', 'system']

/**
 * The QA dashboard under `/_sandbox/ui`: transactions (live list and one transaction with its
 * history, wire exchange and callbacks, and actions), the journal, the clock, merchants and
 * scenarios. Pages are rendered on the server; every change goes through the admin API (JSON,
 * same origin), and `/_sandbox/events` keeps the live regions current.
 *
 * @example
 * app.route('/_sandbox/ui', dashboardRoutes(engine))
 */
export function dashboardRoutes(engine: Engine): Hono {
  const app = new Hono()
  const providers = () => engine.providerList.map((p) => p.id)

  app.get('/assets/:file', (c) => {
    const file = c.req.param('file')
    const [text, type] =
      file === 'dashboard.css'
        ? [DASHBOARD_CSS, 'text/css; charset=utf-8']
        : file === 'dashboard.js'
          ? [DASHBOARD_JS, 'text/javascript; charset=utf-8']
          : []
    if (!text) return c.json({ error: `no dashboard asset "${file}"; there are dashboard.css and dashboard.js` }, 404)
    return c.body(text, 200, { 'content-type': type!, 'cache-control': 'no-cache' })
  })

  // ---- Transactions -----------------------------------------------------------------------------

  app.get('/', (c) => {
    const q = c.req.query()
    const filter = {
      provider: q.provider || undefined,
      merchant: q.merchant || undefined,
      status: q.status || undefined,
      reference: q.reference || undefined,
      providerRef: q.providerRef || undefined,
    }
    const all = engine.transactions.list(filter)
    const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE))
    const pageNo = Math.min(pages, Math.max(1, Number(q.page) || 1))
    const shown = all.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE)
    const statuses = [
      ...NEUTRAL_STATUSES,
      ...new Set(engine.providerList.flatMap((p) => Object.keys(p.nativeStatuses))),
    ]
    const link = (n: number) => {
      const params = new URLSearchParams(Object.entries({ ...q, page: String(n) }).filter(([, v]) => v))
      return `/_sandbox/ui?${params}`
    }
    return screen(c, {
      title: 'Transactions',
      section: 'transactions',
      before: html`<form class="filters" method="get" action="/_sandbox/ui">
        ${select('provider', 'Provider', providers(), filter.provider)}
        ${textInput('merchant', 'Merchant', filter.merchant, 12)} ${select('status', 'Status', statuses, filter.status)}
        ${textInput('reference', 'Reference', filter.reference)}
        ${textInput('providerRef', "Provider's id", filter.providerRef)}
        <button type="submit" class="primary">Filter</button>
        <a class="button" href="/_sandbox/ui">Clear</a>
      </form>`,
      live: html`${table(
          ['Created', 'Transaction', 'Provider', 'Merchant', 'Kind', 'Reference', "Provider's id", 'Amount', 'Status'],
          shown.map((t) => [
            html`<span class="mono small t">${when(t.createdAt)}</span>`,
            html`<a href="/_sandbox/ui/transactions/${t.id}" class="tx-link">${t.id}</a>`,
            t.provider,
            t.merchant,
            badge(t.kind, 'kind'),
            html`<span class="mono">${t.reference}</span>`,
            html`<span class="mono small">${shorten(t.providerRef)}</span>`,
            html`<span class="mono">${t.amount} ${t.currency}</span>`,
            statusBadge(t),
          ]),
          all.length === 0 && !Object.values(filter).some(Boolean)
            ? 'No transactions yet. Send a request to a provider path and it appears here.'
            : 'No transaction matches these filters.',
        )}
        <div class="pager small">
          ${pageNo > 1 ? html`<a href="${link(pageNo - 1)}" id="newer">← newer</a>` : ''}
          <span class="muted"
            >page ${pageNo} of ${pages} · ${all.length} transaction${all.length === 1 ? '' : 's'}</span
          >
          ${pageNo < pages ? html`<a href="${link(pageNo + 1)}" id="older">older →</a>` : ''}
        </div>`,
    })
  })

  app.get('/transactions/:id', (c) => {
    const tx = engine.transactions.get(c.req.param('id'))
    if (!tx)
      return screen(
        c,
        {
          title: 'No such transaction',
          section: 'transactions',
          live: html`<p class="card">
            No transaction "${c.req.param('id')}". <a href="/_sandbox/ui">All transactions</a>
          </p>`,
        },
        404,
      )
    const provider = engine.provider(tx.provider)
    const hosted = provider.hostedPage?.(tx)
    const natives = Object.entries(provider.nativeStatuses)
    const transition = `/_sandbox/transactions/${tx.id}/transition`
    return screen(c, {
      title: `${tx.id} · ${provider.title}`,
      section: 'transactions',
      before: html`<div class="card" id="actions">
        <div class="actions">
          ${moveButton(transition, 'approved', 'Approve', 'ok')}
          ${moveButton(transition, 'declined', 'Decline', 'danger')}
          <label class="inline"
            ><select id="native-status" name="status">
              ${natives.map(([name, neutral]) => html`<option value="${name}">${name} (${neutral})</option>`)}
            </select></label
          >
          <button id="move-native" data-post="${transition}" data-from="native-status,send-callback" data-done="Moved">
            Move to status
          </button>
          <label class="inline"
            ><input type="checkbox" id="send-callback" name="callback" checked /> send its callback</label
          >
          ${hosted ? html`<a class="button" id="hosted-page" href="${hosted}" target="_blank" rel="noopener">Open hosted page ↗</a>` : ''}
        </div>
      </div>`,
      live: transactionDetail(engine, tx),
    })
  })

  // ---- Journal ----------------------------------------------------------------------------------

  app.get('/journal', (c) => {
    const q = c.req.query()
    const entries = engine.journal.list({
      provider: q.provider || undefined,
      kind: (q.kind || undefined) as JournalEntry['kind'] | undefined,
      reference: q.reference || undefined,
      transactionId: q.transaction || undefined,
      refused: q.refused === 'on' || q.refused === 'true',
      limit: 200,
    })
    return screen(c, {
      title: 'Journal',
      section: 'journal',
      before: html`<form class="filters" method="get" action="/_sandbox/ui/journal">
        ${select('provider', 'Provider', providers(), q.provider)} ${select('kind', 'Kind', JOURNAL_KINDS, q.kind)}
        ${textInput('reference', 'Reference', q.reference)}
        ${textInput('transaction', 'Transaction', q.transaction, 12)}
        <label class="inline"
          ><input type="checkbox" name="refused" id="filter-refused" ${q.refused ? raw('checked') : ''} /> refused
          only</label
        >
        <button type="submit" class="primary">Filter</button>
        <a class="button" href="/_sandbox/ui/journal">Clear</a>
      </form>`,
      live: html`<p class="muted small">
          Newest first, at most 200 shown of ${engine.journal.size.entries} kept (${kib(engine.journal.size.bytes)}).
          ${engine.store.shared ? 'This replica’s journal only: each replica of a shared deployment keeps its own.' : ''}
        </p>
        <div class="card">
          ${entries.length ? entries.map((e) => journalEntry(e)) : html`<div class="empty">Nothing in the journal matches.</div>`}
        </div>`,
    })
  })

  // ---- Clock ------------------------------------------------------------------------------------

  app.get('/clock', (c) => {
    const now = engine.clock.now()
    const virtual = engine.clock.mode === 'virtual'
    const due = engine.dueWork()
    return screen(c, {
      title: 'Clock',
      section: 'clock',
      before: virtual
        ? html`<form class="card" data-json action="/_sandbox/clock/advance" data-done="Clock advanced" id="advance">
            <div class="actions">
              ${['1s', '2s', '30s', '1m', '15m', '1h', '1d'].map(
                (by) =>
                  html`<button
                    type="button"
                    data-post="/_sandbox/clock/advance"
                    data-body="${json({ by })}"
                    data-done="Advanced ${by}"
                    id="advance-${by}"
                  >
                    +${by}
                  </button>`,
              )}
              <label class="inline">by <input name="by" id="advance-by" value="90s" size="7" /></label>
              <button type="submit" class="primary">Advance</button>
            </div>
            <p class="form-error"></p>
          </form>`
        : html`<p class="card muted">
            The clock is real: time passes by itself. Start the sandbox with <code>--clock virtual</code> to move it by
            hand.
          </p>`,
      live: html`<div class="card">
          ${facts([
            [
              'Now',
              html`<strong class="mono big" id="clock-now">${when(now)}</strong>
                <span class="muted small">UTC · ${now}</span>`,
            ],
            ['Mode', badge(engine.clock.mode, 'kind')],
          ])}
        </div>
        <h2>Due work (${due.length})</h2>
        ${table(
          ['Due', 'In', 'Kind', 'What', 'Transaction'],
          due.map((d) => [
            html`<span class="mono small t">${when(d.at)}</span>`,
            relative(d.at, now),
            badge(d.kind === 'step' ? 'timeline step' : 'callback', 'kind'),
            html`<span class="mono small">${d.id}</span> ${d.what}`,
            html`<a href="/_sandbox/ui/transactions/${d.transactionId}">${d.transactionId}</a>`,
          ]),
          'Nothing is waiting on the clock.',
        )}`,
    })
  })

  // ---- Merchants --------------------------------------------------------------------------------

  app.get('/merchants', (c) =>
    screen(c, {
      title: 'Merchants',
      section: 'merchants',
      before: html`<p class="muted small">
          Settings of each merchant (defaults, then the config file, then changes made here). Saving sends only the
          fields you changed; the provider checks them and refuses what it cannot use.
          <code>POST /_sandbox/reset</code> restores the defaults.
        </p>
        ${engine.providerList.map(
          (p) =>
            html`<h2>${p.title} <span class="muted small">${p.id}</span></h2>
              <div class="grid2">${engine.merchants.list(p.id).map((m) => merchantForm(m.provider, m.id, m))}</div>`,
        )}`,
    }),
  )

  // ---- Scenarios --------------------------------------------------------------------------------

  app.get('/scenarios', (c) => {
    const runtime = engine.scenarios.layer('runtime')
    const example: ScenarioFile = {
      provider: 'connecx',
      rules: [{ name: 'decline big pay-ins', match: { amount: { gte: 500 } }, outcome: 'declined' }],
    }
    return screen(c, {
      title: 'Scenarios',
      section: 'scenarios',
      before: html`<form
        class="card"
        data-json
        action="/_sandbox/ui/scenarios"
        data-done="Runtime scenario installed"
        data-reload
        id="scenario-form"
      >
        <h2 style="margin-top:0">Runtime scenario</h2>
        <p class="muted small">
          YAML or JSON: one scenario file (<code>provider</code>, <code>rules</code>) or a list. It replaces the runtime
          rules of the providers it names, is tried before user and built-in files, and survives a restart.
        </p>
        <textarea name="text" id="scenario-text" rows="12" spellcheck="false">
${yaml().stringify(runtime.length === 1 ? runtime[0] : runtime.length ? runtime : example)}</textarea>
        <label class="inline small"
          >Load from a file <input type="file" id="scenario-file" accept=".yaml,.yml,.json" data-into="scenario-text"
        /></label>
        <p class="form-error" id="scenario-error"></p>
        <div class="actions">
          <button type="submit" class="primary" id="scenario-save">Install</button>
          <button
            type="button"
            data-post="/_sandbox/scenarios/reset"
            data-done="Runtime rules dropped, counts reset"
            data-reload
            id="scenario-reset"
          >
            Reset runtime rules and counts
          </button>
        </div>
      </form>`,
      live: html`${engine.providerList.map((p) => {
        const rules = engine.scenarios.effective(p.id)
        return html`<h2>
            ${p.title} <span class="muted small">${p.id} · tried in this order, first match decides</span>
          </h2>
          ${table(
            ['#', 'Rule', 'Layer', 'Matched', 'Limit'],
            rules.map((r, i) => [
              String(i + 1),
              r.rule,
              badge(r.layer, r.layer === 'runtime' || r.layer === 'override' ? 'pending' : 'kind'),
              html`<strong>${r.hits}</strong>`,
              r.times === undefined ? '' : `${r.times} time${r.times === 1 ? '' : 's'}`,
            ]),
            'No rules: every request is approved 2 s after acceptance.',
          )}`
      })}`,
    })
  })

  /** The scenario editor's target: the text as typed (YAML or JSON), so the browser sends JSON only. */
  app.post('/scenarios', async (c) => {
    const body: unknown = await c.req.json().catch(() => ({}))
    const input = (typeof body === 'object' && body !== null ? body : {}) as { text?: unknown }
    if (typeof input.text !== 'string' || !input.text.trim())
      return c.json({ error: 'send {"text":"<a scenario file as YAML or JSON>"}' }, 400)
    let parsed: unknown
    try {
      parsed = yaml().parse(input.text, { maxAliasCount: 100 })
      checkJsonLimits(JSON.stringify(parsed) ?? '')
    } catch (e) {
      return c.json({ error: `the scenario is not valid YAML or JSON: ${(e as Error).message}` }, 400)
    }
    try {
      return c.json({ runtime: await engine.replaceRuntimeScenarios(parsed) })
    } catch (e) {
      if (e instanceof ScenarioError) return c.json({ error: e.message.split('\n')[0], details: e.problems }, 400)
      throw e
    }
  })

  return app
}
