import type { Context } from 'hono'
import { html } from 'hono/html'
import type { SandboxEnv } from '../../engine/env.js'
import { Refusal, type RefusalFormat } from '../kit/refusal.js'
import { page } from '../../ui/page.js'
import { CODES, errorBody, requestId, type GateErrorCode } from './wire.js'

/** What a Gate error reply echoes. */
export interface Ids {
  requestId: string
  projectId: number | null
  paymentId: string | null
}

/** An ECommPay refusal: its result code, and the Gate ids to echo when the thrower knows them. */
export type EcommpayRefusal = Refusal<GateErrorCode, { ids?: Ids }>

/** The ids of the Gate request each context is answering, once `readGate` has read them. */
const gateIds = new WeakMap<Context, Ids>()

/** Notes the ids a Gate refusal thrown later in this request echoes. */
export function answeringGateRequest(c: Context, ids: Ids): void {
  gateIds.set(c, ids)
}

/** True for the Payment Page and the bank page, which answer people with HTML. */
function isPagePath(path: string): boolean {
  return path === '/payment' || path.startsWith('/payment/')
}

/**
 * Every ECommPay refusal, answered by the surface it came from: the Payment Page and the bank
 * page show an HTML error page with the code, its message and the reason; the Gate answers its
 * JSON envelope (`status`, `request_id`, `project_id`, `payment_id`, `code`, `message`; not
 * signed) with HTTP 400 unless the refusal says otherwise. The reason goes to the journal.
 *
 * @example
 * throw new Refusal('3061', 'project 112 has no payment "P1"')
 */
export const ecommpayErrors: RefusalFormat<EcommpayRefusal> = {
  render(c, r) {
    if (isPagePath(new URL(c.req.url).pathname)) return errorPage(c, r.code, r.why, r.status)
    const ids = r.detail?.ids ?? gateIds.get(c) ?? { requestId: requestId('', '', 0), projectId: null, paymentId: null }
    return c.body(errorBody(r.code, ids), (r.status ?? 400) as 400, { 'Content-Type': 'application/json' })
  },
  note: (r) => `${r.code} ${CODES[r.code] ?? ''}: ${r.why}`,
}

/** A Payment Page error: HTML with the code, its message and the plain-words reason. */
function errorPage(c: Context<SandboxEnv>, code: string, why: string, status = 400): Response | Promise<Response> {
  return c.html(
    page(
      'Payment cannot be processed',
      html`<p class="status" id="error">
          Error <span id="code">${code}</span>: <span id="message">${CODES[code] ?? 'Error'}</span>
        </p>
        <pre style="white-space:pre-wrap;font-size:.85rem">${why}</pre>`,
      'ECommPay Payment Page',
    ),
    status as 400,
  )
}
