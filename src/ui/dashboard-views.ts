import { html, raw } from 'hono/html'
import type { Delivery } from '../engine/callbacks.js'
import type { Engine } from '../engine/engine.js'
import { isRefusal, type JournalEntry } from '../engine/journal.js'
import { type Transaction } from '../engine/types.js'
import { badge, body, facts, json, relative, table, when } from './layout.js'

// The dashboard's pieces: a transaction's detail, a delivery card, a journal entry, a merchant
// form, and the small formatters they share.

export function transactionDetail(engine: Engine, tx: Transaction) {
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

export function journalEntry(e: JournalEntry, open = false) {
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

export function merchantForm(provider: string, id: string, settings: Record<string, unknown>) {
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
export function moveButton(transition: string, status: string, label: string, kind: string) {
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

export function statusBadge(t: Pick<Transaction, 'status' | 'nativeStatus'>) {
  return html`${badge(t.status)}${t.nativeStatus && t.nativeStatus !== t.status ? html` <span class="mono small">${t.nativeStatus}</span>` : ''}`
}

export function shorten(text: string): string {
  return text.length > 20 ? `${text.slice(0, 8)}…${text.slice(-8)}` : text
}

function shortPath(path: string | undefined): string {
  if (!path) return ''
  return path.length > 60 ? `${path.slice(0, 57)}…` : path
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`
}
