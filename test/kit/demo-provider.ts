/**
 * A sixth provider built by following docs/adding-a-provider.md: one folder's worth of code, the
 * kit for refusals, authentication and the hosted page, the engine only through its port. The
 * test beside it proves the page is enough to add one.
 */
import { createHash } from 'node:crypto'
import { OpenApiBuilder } from 'openapi3-ts/oas31'
import { defineProvider, type ProviderCallbacks } from '../../src/index.js'
import type { ProviderPort } from '../../src/engine/port.js'
import type { Merchant, Transaction } from '../../src/engine/types.js'
import { guard } from '../../src/providers/kit/guard.js'
import { hostedPage } from '../../src/providers/kit/hosted-page.js'
import { answerRefusal, providerApp, Refusal, type RefusalFormat } from '../../src/providers/kit/refusal.js'

/** What the provider keeps of each payment. */
export interface DemoData {
  description: string
  origin: string
}
/** A demo merchant's settings. */
export interface DemoSettings {
  apiKey: string
}
type DemoPort = ProviderPort<DemoData, DemoSettings>
type DemoMerchant = Merchant<DemoSettings>

export const signatureOf = (body: string, apiKey: string) =>
  createHash('sha256')
    .update(body + apiKey)
    .digest('hex')

/** wire: `{"error":{"code","message"}}`, HTTP 400 unless the refusal says otherwise. */
const demoErrors: RefusalFormat = {
  render: (c, r) => c.json({ error: { code: r.code, message: r.why } }, (r.status ?? 400) as 400),
}

const status = (tx: Transaction<DemoData>) => tx.nativeStatus ?? tx.status.toUpperCase()

function demoRoutes(port: DemoPort) {
  const app = providerApp(demoErrors)
  const authenticated = guard<DemoSettings>(async (c) => {
    const merchant: DemoMerchant | undefined = port.merchants.get(c.req.param('merchant') ?? '')
    if (!merchant)
      throw new Refusal('UNKNOWN_MERCHANT', `no demo merchant "${c.req.param('merchant')}"`, { status: 404 })
    const expected = signatureOf(await c.req.text(), merchant.apiKey)
    return c.req.header('X-Signature') === expected
      ? { ok: true, merchant, explanation: 'X-Signature = sha256(body + apiKey) matches' }
      : {
          ok: false,
          merchant,
          explanation: `X-Signature must be sha256(body + apiKey) = ${expected}`,
          refusal: new Refusal('BAD_SIGNATURE', 'the X-Signature header does not match', { status: 401 }),
        }
  })

  app.post('/demo/:merchant/payments', authenticated, async (c) => {
    const body = JSON.parse(await c.req.text()) as Record<string, unknown>
    if (typeof body.reference !== 'string') throw new Refusal('MISSING_REFERENCE', 'reference must be a string')
    if (typeof body.amount !== 'number') throw new Refusal('BAD_AMOUNT', 'amount must be a number')
    const merchant = c.var.merchant
    const decision = port.decide(c, {
      operation: 'payment',
      merchant: merchant.id,
      reference: body.reference,
      amount: body.amount,
      currency: 'USD',
      request: body,
    })
    return port.respond(c, decision, async () => {
      const tx = await port.transactions.open(
        {
          merchant: merchant.id,
          kind: 'payment',
          reference: body.reference as string,
          providerRef: `demo-${port.counters.next('demo.payment')}`,
          amount: body.amount as number,
          currency: 'USD',
          callbackUrl: typeof body.callbackUrl === 'string' ? body.callbackUrl : undefined,
          initial: 'pending',
          data: { description: String(body.description ?? ''), origin: new URL(c.req.url).origin },
        },
        decision,
      )
      return c.json({ id: tx.providerRef, status: status(tx), pageUrl: `${tx.data.origin}/demo/pay/${tx.providerRef}` })
    })
  })

  const page = (tx: Transaction<DemoData>, notice?: string) =>
    hostedPage({
      brand: 'Demo',
      title: 'Pay',
      facts: [
        ['Reference', tx.reference],
        ['Amount', `${tx.amount} ${tx.currency}`],
        ['Description', tx.data.description],
      ],
      status: status(tx),
      notice,
      actions: tx.status === 'pending' ? ['approve', 'decline'] : [],
    })
  app.get('/demo/pay/:id', (c) => {
    const tx = port.transactions.byProviderRef(c.req.param('id'))
    if (!tx) throw new Refusal('NOT_FOUND', 'no such payment', { status: 404 })
    return c.html(page(tx))
  })
  app.post('/demo/pay/:id', async (c) => {
    const tx = port.transactions.byProviderRef(c.req.param('id'))
    if (!tx) throw new Refusal('NOT_FOUND', 'no such payment', { status: 404 })
    const { action } = await c.req.parseBody()
    if (tx.status === 'pending' && (action === 'approve' || action === 'decline'))
      await port.transactions.transition(tx, action === 'approve' ? 'approved' : 'declined', { source: 'page' })
    return c.html(page(tx))
  })
  return app
}

const demoCallbacks: ProviderCallbacks<DemoData, DemoSettings> = {
  build(tx, merchant, { signature }) {
    if (!tx.callbackUrl || tx.status === 'pending') return null
    const body = JSON.stringify({ id: tx.providerRef, reference: tx.reference, status: status(tx) })
    const key = signature === 'invalid' ? `${merchant.apiKey}-wrong` : merchant.apiKey
    return {
      url: tx.callbackUrl,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Signature': signatureOf(body, key) },
      body,
      event: status(tx),
    }
  },
  ackRule: 'any HTTP 2xx answer',
  isAcknowledged: (r) => r.status >= 200 && r.status < 300,
  retrySchedule: ['1m', '5m'],
}

export const demo = defineProvider<DemoData, DemoSettings>({
  id: 'demo',
  title: 'Demo PSP',
  seed: '(none: a test fixture)',
  pathPrefixes: ['/demo'],
  hosts: ['https://demo.test'],
  merchants: [{ provider: 'demo', id: 'm1', apiKey: 'demo-key' }],
  nativeStatuses: { APPROVED: 'approved', DECLINED: 'declined', PENDING: 'pending' },
  operations: ['payment'],
  customerTimeout: '10m',
  routes: demoRoutes,
  callbacks: demoCallbacks,
  problem: (c, problem) =>
    answerRefusal(
      c,
      demoErrors,
      new Refusal(problem.toUpperCase(), `the sandbox answered ${problem}`, {
        status: problem === 'internal-error' ? 500 : 404,
      }),
    ),
  openapi: async () => new OpenApiBuilder().addTitle('Demo PSP').addVersion('1').getSpec(),
})
