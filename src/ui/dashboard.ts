import { Hono, type Context } from 'hono'
import { html, raw } from 'hono/html'
import type { Delivery } from '../engine/callbacks.js'
import type { Engine } from '../engine/engine.js'
import { isRefusal, type JournalEntry } from '../engine/journal.js'
import { ScenarioError, type ScenarioFile } from '../engine/scenarios.js'
import { NEUTRAL_STATUSES, type Transaction } from '../engine/types.js'
import { yaml } from '../engine/yaml.js'
import { checkJsonLimits } from '../wire/limits.js'
import { DASHBOARD_CSS, DASHBOARD_JS } from './assets.js'
import { badge, body, facts, json, relative, screen, select, table, textInput, when } from './layout.js'

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

function transactionDetail(engine: Engine, tx: Transaction) {
  const provider = engine.provider(tx.provider)
  const deliveries = engine.callbacks.list({ transactionId: tx.id })
  const scheduled = engine.transactions.jobs(tx.id)
  const exchange = engine.journal
    .list({ transactionId: tx.id, limit: 500 })
    .filter((e) => e.kind === 'request')
    .reverse()
  const now = engine.clock.now()
  return html`<div class="card">
      ${facts([
        ['Status', html`<span id="tx-status">${statusBadge(tx)}</span>`],
        ['Provider', `${provider.title} (${tx.provider})`],
        ['Merchant', tx.merchant],
        ['Kind', tx.kind],
        ['Reference', html`<span class="mono">${tx.reference}</span>`],
        ["Provider's id", html`<span class="mono">${tx.providerRef}</span>`],
        ['Amount', `${tx.amount} ${tx.currency}`],
        ['Decided by', tx.rule],
        ['Callback URL', tx.callbackUrl ? html`<span class="mono">${tx.callbackUrl}</span>` : undefined],
        ['Created', `${when(tx.createdAt)} · updated ${when(tx.updatedAt)}`],
      ])}
    </div>
    <h2>History</h2>
    ${table(
      ['At', 'Status', 'By', 'Rule'],
      tx.history.map((h) => [
        html`<span class="mono small t">${when(h.at)}</span>`,
        html`${badge(h.status)} ${h.nativeStatus ? html`<span class="mono small">${h.nativeStatus}</span>` : ''}`,
        h.source,
        h.rule ?? '',
      ]),
      'No history.',
    )}
    ${
      scheduled.length
        ? html`<h3>Still to come</h3>
            ${table(
              ['Due', 'In', 'Status', 'Rule'],
              scheduled
                .sort((a, b) => a.at - b.at)
                .map((j) => [
                  html`<span class="mono small t">${when(j.at)}</span>`,
                  relative(j.at, now),
                  badge(j.status),
                  j.rule ?? '',
                ]),
              '',
            )}`
        : ''
    }
    <h2>Callbacks (${deliveries.length})</h2>
    <div id="callbacks">
      ${
        deliveries.length
          ? deliveries.map((d) => deliveryCard(d, now))
          : html`<div class="card empty">No callback for this transaction (yet).</div>`
      }
    </div>
    <h2>Wire exchange (${exchange.length})</h2>
    <div class="card" id="exchange">
      ${
        exchange.length
          ? exchange.map((e) => journalEntry(e, true))
          : html`<div class="empty">
              No request in the journal names this transaction (the journal keeps the latest entries only).
            </div>`
      }
    </div>
    <p class="small">
      <a href="/_sandbox/ui/journal?transaction=${tx.id}">Everything the journal has about ${tx.id} →</a>
    </p>`
}

function deliveryCard(d: Delivery, now: number) {
  const base = `/_sandbox/callbacks/${d.id}`
  return html`<div class="card delivery" id="delivery-${d.id}">
    <div class="actions" style="justify-content:space-between">
      <div>
        <strong class="mono">${d.id}</strong> ${badge(d.state)} <span class="mono small">${d.event}</span>
        ${d.signature === 'invalid' ? badge('bad signature', 'bad') : ''}
      </div>
      <div class="actions">
        <button data-post="${base}/redeliver" data-done="Redelivered ${d.id}" class="redeliver">Redeliver</button>
        <button
          data-post="${base}/copy"
          data-body="${json({ kind: 'duplicate' })}"
          data-done="Duplicate sent"
          class="duplicate"
        >
          Send duplicate
        </button>
        <button
          data-post="${base}/copy"
          data-body="${json({ kind: 'invalid' })}"
          data-done="Badly signed copy sent"
          class="bad-copy"
        >
          Send badly signed copy
        </button>
      </div>
    </div>
    <p class="small">
      <span class="mono">${d.request.method} ${d.request.url}</span>
      ${d.state === 'scheduled' ? html`<span class="muted"> · next attempt ${relative(d.dueAt, now)}</span>` : ''}
    </p>
    ${table(
      ['#', 'At', 'Answer', 'Took', 'Result'],
      d.attempts.map((a, i) => [
        String(i + 1),
        html`<span class="mono small t">${when(a.at)}</span>`,
        a.status === undefined
          ? html`<span class="muted">no answer</span>`
          : badge(a.status, a.status < 300 ? 'ok' : 'bad'),
        `${a.durationMs} ms`,
        a.acknowledged
          ? html`${badge('acknowledged')}${a.responseBody ? html` <span class="mono small">${a.responseBody.slice(0, 120)}</span>` : ''}`
          : html`<span class="why">${a.error ?? 'not acknowledged'}</span>`,
      ]),
      'No attempt yet.',
    )}
    <details id="cb-body-${d.id}">
      <summary class="small">What was sent</summary>
      <div class="inner">
        <pre class="wire">
${Object.entries(d.request.headers)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n')}</pre>
        ${body(d.request.body)}
      </div>
    </details>
  </div>`
}

function journalEntry(e: JournalEntry, open = false) {
  const refused = isRefusal(e)
  return html`<details id="j-${e.id}" class="journal-entry ${refused ? 'refused' : ''}" ${open ? raw('open') : ''}>
    <summary>
      <span class="mono small muted">${e.at.replace('T', ' ').slice(0, 23)}</span>
      ${badge(e.kind, 'kind')} ${e.provider ? html`<strong>${e.provider}</strong>` : ''}
      ${e.operation ? html`<span>${e.operation}</span>` : ''}
      ${e.method ? html`<span class="mono small">${e.method} ${shortPath(e.path)}</span>` : ''}
      ${e.status !== undefined ? badge(e.status, e.status < 400 ? 'ok' : 'bad') : ''}
      ${e.auth && !e.auth.ok ? badge('auth refused', 'bad') : ''}
      ${e.durationMs !== undefined ? html`<span class="muted small">${e.durationMs} ms</span>` : ''}
      ${e.reference ? html`<span class="mono small">ref ${e.reference}</span>` : ''}
      ${e.transactionId ? html`<a class="small" href="/_sandbox/ui/transactions/${e.transactionId}">${e.transactionId}</a>` : ''}
      ${e.kind !== 'request' && e.notes[0] ? html`<span class="small">${e.notes[0]}</span>` : ''}
    </summary>
    <div class="inner">
      ${e.rule ? html`<p class="small">Rule: <strong>${e.rule}</strong></p>` : ''}
      ${
        e.auth
          ? html`<div class="verdict ${e.auth.ok ? 'ok' : 'bad'}">
              <strong>${e.auth.ok ? 'Authenticated' : 'Authentication refused'}</strong>: ${e.auth.explanation}
            </div>`
          : ''
      }
      ${
        e.notes.length > (e.kind === 'request' ? 0 : 1)
          ? html`<ul class="small">
              ${e.notes.slice(e.kind === 'request' ? 0 : 1).map((n) => html`<li>${n}</li>`)}
            </ul>`
          : ''
      }
      ${e.path && e.path.length > 60 ? html`<p class="mono small">${e.path}</p>` : ''}
      ${
        e.requestBody !== undefined || e.kind === 'request' || e.kind === 'callback'
          ? html`<div class="grid2">
              <div>
                <h3>${e.kind === 'callback' ? 'Sent' : 'Request'}</h3>
                ${body(e.requestBody)}
              </div>
              <div>
                <h3>
                  ${e.kind === 'callback' ? "Merchant's answer" : 'Answer'}
                  ${e.status !== undefined ? `(HTTP ${e.status})` : ''}
                </h3>
                ${body(e.responseBody)}
              </div>
            </div>`
          : ''
      }
    </div>
  </details>`
}

function merchantForm(provider: string, id: string, settings: Record<string, unknown>) {
  const fields = Object.entries(settings).filter(([k]) => k !== 'provider' && k !== 'id')
  return html`<form
    class="card merchant"
    data-json
    data-changed
    data-method="PATCH"
    action="/_sandbox/merchants/${provider}/${id}"
    data-done="Saved ${provider}/${id}"
    data-reload
    id="merchant-${provider}-${id}"
  >
    <h3 style="margin-top:0"><span class="mono">${id}</span></h3>
    <div class="settings">
      ${fields.map(([name, value]) => {
        const fieldId = `m-${provider}-${id}-${name}`
        const label = html`<label for="${fieldId}" class="mono">${name}</label>`
        if (typeof value === 'boolean')
          return html`${label}<span
              ><input
                type="checkbox"
                id="${fieldId}"
                name="${name}"
                data-initial="${String(value)}"
                ${value ? raw('checked') : ''}
            /></span>`
        if (typeof value === 'number')
          return html`${label}<input
              type="number"
              step="any"
              id="${fieldId}"
              name="${name}"
              data-type="number"
              value="${value}"
              data-initial="${value}"
            />`
        if (typeof value === 'string' && value.includes('\n'))
          return html`${label}<textarea
              id="${fieldId}"
              name="${name}"
              rows="4"
              data-initial="${value}"
              spellcheck="false"
            >
${value}</textarea>`
        if (typeof value === 'string' || value === null || value === undefined)
          return html`${label}<input
              id="${fieldId}"
              name="${name}"
              value="${value ?? ''}"
              data-initial="${value ?? ''}"
              ${value === null || value === undefined ? raw('data-type="nullable" placeholder="(not set)"') : ''}
              autocomplete="off"
              spellcheck="false"
            />`
        const text = JSON.stringify(value, null, 1)
        return html`${label}<textarea
            id="${fieldId}"
            name="${name}"
            data-type="json"
            rows="${Math.min(6, text.split('\n').length)}"
            data-initial="${text}"
            spellcheck="false"
          >
${text}</textarea>`
      })}
    </div>
    <p class="form-error"></p>
    <div class="actions" style="margin-top:.5rem"><button type="submit" class="primary">Save</button></div>
  </form>`
}

/** A button that moves the transaction to a neutral status (with or without its callback). */
function moveButton(transition: string, status: string, label: string, kind: string) {
  return html`<button
    class="${kind}"
    id="move-${status}"
    data-post="${transition}"
    data-body="${json({ status })}"
    data-from="send-callback"
    data-done="${label}d"
  >
    ${label}
  </button>`
}

function statusBadge(t: Pick<Transaction, 'status' | 'nativeStatus'>) {
  return html`${badge(t.status)}${t.nativeStatus && t.nativeStatus !== t.status ? html` <span class="mono small">${t.nativeStatus}</span>` : ''}`
}

function shorten(text: string): string {
  return text.length > 20 ? `${text.slice(0, 8)}…${text.slice(-8)}` : text
}

function shortPath(path: string | undefined): string {
  if (!path) return ''
  return path.length > 60 ? `${path.slice(0, 57)}…` : path
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`
}
