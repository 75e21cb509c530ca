import type { Context } from 'hono'
import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>

/** Header a live refresh sends: answer with the `[data-live]` region's content only. */
const LIVE_HEADER = 'x-psp-live'

const SECTIONS = [
  ['transactions', 'Transactions', '/_sandbox/ui'],
  ['journal', 'Journal', '/_sandbox/ui/journal'],
  ['clock', 'Clock', '/_sandbox/ui/clock'],
  ['merchants', 'Merchants', '/_sandbox/ui/merchants'],
  ['scenarios', 'Scenarios', '/_sandbox/ui/scenarios'],
  ['docs', 'API docs', '/_sandbox/docs'],
] as const
export type Section = (typeof SECTIONS)[number][0]

export interface Screen {
  title: string
  section: Section
  /** Above the live region: filters, action forms (kept while the region refreshes). */
  before?: Html | string
  /** The region re-rendered when `/_sandbox/events` reports a change. */
  live?: Html | string
  /** Below the live region. */
  after?: Html | string
  /** Extra stylesheets and scripts (served from the package). */
  head?: Html | string
}

/**
 * Answers a dashboard screen: the whole page, or only its live region when the dashboard script
 * asks for a refresh (`x-psp-live: 1`).
 *
 * @example
 * return screen(c, { title: 'Clock', section: 'clock', live: html`<p>${now}</p>` })
 */
export function screen(c: Context, s: Screen, status: 200 | 404 = 200): Response | Promise<Response> {
  if (c.req.header(LIVE_HEADER)) return c.html(s.live ?? '', status)
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>${s.title} · psp-sandbox</title>
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href="/_sandbox/ui/assets/dashboard.css" />
          <script src="/_sandbox/ui/assets/dashboard.js" defer></script>
          ${s.head ?? ''}
        </head>
        <body>
          <header class="top">
            <a class="brand" href="/_sandbox/ui">psp-sandbox</a>
            <nav>
              ${SECTIONS.map(
                ([id, label, href]) =>
                  html`<a href="${href}" class="${id === s.section ? 'here' : ''}" id="nav-${id}">${label}</a>`,
              )}
            </nav>
            <span id="live-state">${s.live === undefined ? '' : '○ connecting'}</span>
          </header>
          <main>
            <h1>${s.title}</h1>
            ${s.before ?? ''} ${s.live === undefined ? '' : html`<div id="live" data-live>${s.live}</div>`}
            ${s.after ?? ''}
          </main>
          <div id="flash" role="status" aria-live="polite"></div>
        </body>
      </html>`,
    status,
  )
}

/** `2026-11-26 13:45:12` (UTC, the clock's time). */
export function when(ms: number | undefined): string {
  if (ms === undefined) return ''
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19)
}

/** `in 2m 5s`, `3s ago`. */
export function relative(ms: number, now: number): string {
  const d = Math.round((ms - now) / 1000)
  const abs = Math.abs(d)
  const text =
    abs < 60
      ? `${abs}s`
      : abs < 3600
        ? `${Math.floor(abs / 60)}m ${abs % 60}s`
        : abs < 86400
          ? `${Math.floor(abs / 3600)}h ${Math.floor((abs % 3600) / 60)}m`
          : `${Math.floor(abs / 86400)}d ${Math.floor((abs % 86400) / 3600)}h`
  return d === 0 ? 'now' : d > 0 ? `in ${text}` : `${text} ago`
}

/** A coloured status label. */
export function badge(text: string | number | undefined, kind: string = String(text)) {
  return html`<span class="badge ${kind}">${text}</span>`
}

/** A definition list of label/value pairs; empty values are left out. */
export function facts(rows: Array<[string, Html | string | number | undefined]>) {
  return html`<dl class="facts">
    ${rows
      .filter(([, v]) => v !== undefined && v !== '')
      .map(
        ([k, v]) =>
          html`<dt>${k}</dt>
            <dd>${typeof v === 'number' ? String(v) : v}</dd>`,
      )}
  </dl>`
}

/** A table that turns into stacked cards on a narrow screen (each cell labelled). */
export function table(headers: string[], rows: Array<Array<Html | string | number | undefined>>, empty: string) {
  if (rows.length === 0) return html`<div class="card empty">${empty}</div>`
  return html`<div class="table">
    <table class="cards">
      <thead>
        <tr>
          ${headers.map((h) => html`<th>${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (cells) =>
            html`<tr>
              ${cells.map((cell, i) => html`<td data-label="${headers[i]}">${cell ?? ''}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`
}

/** A `<select>` with an empty "any" choice. */
export function select(name: string, label: string, options: readonly string[], current: string | undefined) {
  return html`<label
    >${label}
    <select name="${name}" id="filter-${name}">
      <option value="">any</option>
      ${options.map((o) => html`<option value="${o}" ${o === current ? raw('selected') : ''}>${o}</option>`)}
    </select></label
  >`
}

/** A text filter field. */
export function textInput(name: string, label: string, current: string | undefined, size = 14) {
  return html`<label
    >${label} <input name="${name}" id="filter-${name}" value="${current ?? ''}" size="${size}" autocomplete="off"
  /></label>`
}

/** A body exactly as it crossed the wire (wrapped, never reformatted: the bytes are the point). */
export function body(text: string | undefined) {
  if (text === undefined || text === '') return html`<span class="muted small">(empty)</span>`
  return html`<pre class="wire">${text}</pre>`
}

/** A JSON attribute value for `data-body`. */
export const json = (value: unknown) => JSON.stringify(value)
