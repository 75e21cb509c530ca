import { Hono, type Context } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'

/**
 * A request the provider refuses: its native error code, the reason in plain words for the
 * journal (what was wrong and what to do), and whatever else the provider's error format needs
 * (`status`, ids to echo). Route code throws it from any depth; the provider renders it in its
 * own error format in one place, the `render` it gives `providerApp()`.
 *
 * @example
 * throw new Refusal('E2045', 'paymentRef is missing or empty')
 * throw new Refusal('1', 'order_id is required', { status: 400, detail: { order_id: null } })
 */
export class Refusal<Code extends string = string, Detail = unknown> extends Error {
  /** The HTTP status the provider answers with, when the code alone does not decide it. */
  readonly status?: number
  /** Provider-specific values the error format echoes (ids, the decoded request, …). */
  readonly detail?: Detail

  constructor(
    readonly code: Code,
    readonly why: string,
    options: { status?: number; detail?: Detail } = {},
  ) {
    super(`${code}: ${why}`)
    this.name = 'Refusal'
    this.status = options.status
    this.detail = options.detail
  }
}

/** How a provider turns a refusal into its native answer, and the journal note that goes with it. */
export interface RefusalFormat<R extends Refusal = Refusal> {
  render(c: Context<SandboxEnv>, refusal: R): Response | Promise<Response>
  /** The journal line (none when empty); default `<code>: <why>`. */
  note?(refusal: R): string
}

/**
 * A provider's Hono app: any `Refusal` thrown by its routes or middleware is noted in the
 * request's journal entry and answered by `format.render`; other errors go on to the sandbox's
 * error handler (the provider's `internal-error` problem).
 *
 * @example
 * const app = providerApp(connecxErrors)
 * app.get('/mxapi/:merchantId/txn/:txnId', () => { throw new Refusal('E2029', 'no such txn') })
 */
export function providerApp<R extends Refusal>(format: RefusalFormat<R>): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()
  app.onError((error, c) => {
    if (!(error instanceof Refusal)) throw error
    return answerRefusal(c, format, error as R)
  })
  return app
}

/** Notes a refusal in the journal and renders it: the one place every refusal passes. */
export function answerRefusal<R extends Refusal>(
  c: Context<SandboxEnv>,
  format: RefusalFormat<R>,
  refusal: R,
): Response | Promise<Response> {
  const note = format.note ? format.note(refusal) : `${refusal.code}: ${refusal.why}`
  if (note) c.get('journal')?.notes.push(note)
  return format.render(c, refusal)
}
