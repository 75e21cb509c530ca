import type { Context, Hono } from 'hono'
import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { SandboxEnv } from '../../engine/env.js'
import { facts, page } from '../../ui/page.js'

/** What the customer can do on a hosted page; each posts `action=<name>` to the page's own URL. */
export type PageAction = 'approve' | 'decline' | 'timeout' | 'abandon'

const BUTTONS: Record<PageAction, { label: string; kind: 'primary' | 'danger' | 'plain' }> = {
  approve: { label: 'Approve', kind: 'primary' },
  decline: { label: 'Decline', kind: 'danger' },
  timeout: { label: 'Timeout', kind: 'plain' },
  abandon: { label: 'Abandon', kind: 'plain' },
}

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>

/** One hosted page, as a provider configures it. */
export interface HostedPage {
  /** Shown after "psp-sandbox ·" in the banner, e.g. `Connecx`. */
  brand: string
  title: string
  /** Label/value rows (merchant, reference, amount, …); empty values are left out. */
  facts: Array<[string, string | number | undefined]>
  /** Markup between the facts and the status line (a QR code, a payment string). */
  extra?: Markup
  /** The status line's text after "Status: ", in `#status`. */
  status: string
  /** A line for the customer in `#notice` (why the last post did nothing, what happened). */
  notice?: string
  /** The buttons while the payment is open, in this order; none once it is final. */
  actions?: PageAction[]
  /**
   * A choice posted as its own field instead of `action` (e.g. `bank_id`), one button per
   * option with the id `<idPrefix><value>`.
   */
  choice?: { field: string; idPrefix: string; options: Array<{ value: string | number; label: string }> }
  /** Where the form posts; default the page's own URL. */
  formAction?: string
}

/**
 * The hosted page every provider's customer-facing flow uses (Connecx `authzUrl`, PayAtom
 * `connect.php`, ECommPay's bank page): facts, a status line, and plain HTML forms, so a test can
 * drive it with one `POST` of `action=approve` and no browser. Stable element ids: `#status`,
 * `#notice`, one button per action with the action's name as id (`#approve`, `#decline`,
 * `#timeout`, `#abandon`), choice buttons `#<idPrefix><value>`. It reads at 375 px without
 * horizontal scrolling: long values (a UPI payment string, a URL) wrap.
 *
 * @example
 * c.html(hostedPage({ brand: 'Connecx', title: 'Authorize payment', facts: [['Amount', '10.00 USD']],
 *   status: 'FORAUTHZ (PENDING_AUTHZ)', actions: ['approve', 'decline'] }))
 */
export function hostedPage(p: HostedPage) {
  const action = p.formAction === undefined ? '' : html` action="${p.formAction}"`
  return page(
    p.title,
    html`<style>
        ${raw(RESPONSIVE)}
      </style>
      ${facts(p.facts)} ${p.extra ?? ''}
      <p class="status" id="status">Status: ${p.status}</p>
      ${p.notice ? html`<p id="notice">${p.notice}</p>` : ''}
      ${
        p.choice
          ? html`<form method="post" ${action}>
              ${p.choice.options.map(
                (o) =>
                  html`<button
                    type="submit"
                    name="${p.choice!.field}"
                    value="${o.value}"
                    id="${p.choice!.idPrefix}${o.value}"
                    class="plain"
                  >
                    ${o.label}
                  </button> `,
              )}
            </form>`
          : ''
      }
      ${
        p.actions?.length
          ? html`<form method="post" ${action}>
              ${p.actions.map(
                (a) =>
                  html`<button type="submit" name="action" value="${a}" class="${BUTTONS[a].kind}" id="${a}">
                    ${BUTTONS[a].label}
                  </button> `,
              )}
            </form>`
          : ''
      }`,
    p.brand,
  )
}

/**
 * A hosted-page answer when there is nothing to show: an unknown link, a payment that cannot be
 * processed. The message is in `#notice`.
 *
 * @example
 * c.html(errorPage({ brand: 'PayAtom', title: 'Invalid payment link', message: 'No payment is waiting.' }), 404)
 */
export function errorPage(p: { brand: string; title: string; message: string; detail?: Markup }) {
  return page(
    p.title,
    html`<style>
        ${raw(RESPONSIVE)}
      </style>
      <p id="notice">${p.message}</p>
      ${p.detail ?? ''}`,
    p.brand,
  )
}

/** Narrow screens: no horizontal scrolling, long unbroken strings wrap anywhere. */
const RESPONSIVE = `
main{box-sizing:border-box;max-width:min(34rem,calc(100vw - 1rem));padding:1rem}
dl{grid-template-columns:minmax(0,max-content) minmax(0,1fr)}
dd,pre,p,a{overflow-wrap:anywhere;word-break:break-word;min-width:0}
pre{white-space:pre-wrap}
svg{max-width:100%;height:auto}
`

/** How a provider serves one hosted page: which transaction a request is about, and what to answer. */
export interface PageRoutes<T> {
  /** The transaction the request's path or query names, or undefined (the page answers `notFound`). */
  find(c: Context<SandboxEnv>): T | undefined
  /** GET: the page for `tx`. */
  show(c: Context<SandboxEnv>, tx: T): Response | Promise<Response>
  notFound(c: Context<SandboxEnv>): Response | Promise<Response>
  /** POST: what the customer's form (`action=…`, a choice) does to `tx`. */
  act(c: Context<SandboxEnv>, tx: T, form: Record<string, unknown>): Promise<Response>
}

/**
 * Serves a hosted page at `path`: GET shows the transaction `find` names, POST reads the form
 * (an unreadable one counts as empty) and hands it to `act`; both answer `notFound` when there is
 * no such transaction.
 *
 * @example
 * servePage(app, '/mxapi/authz/:txnId', { find: payinOf, show: authzPage, notFound, act: decide })
 */
export function servePage<T>(app: Hono<SandboxEnv>, path: string, page: PageRoutes<T>): void {
  app.get(path, (c) => {
    const tx = page.find(c)
    return tx ? page.show(c, tx) : page.notFound(c)
  })
  app.post(path, async (c) => {
    const tx = page.find(c)
    if (!tx) return page.notFound(c)
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    return page.act(c, tx, form)
  })
}
