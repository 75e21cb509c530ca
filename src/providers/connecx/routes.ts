import type { Context } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import type { ProviderPort } from '../../engine/port.js'
import { FINAL_STATUSES, ONE_CALLBACK } from '../../engine/types.js'
import { guard, admit, type AuthVerdict } from '../kit/guard.js'
import { errorPage, hostedPage, servePage } from '../kit/hosted-page.js'
import { providerApp, Refusal, type RefusalFormat } from '../kit/refusal.js'
import { bankCodesBody, CHANNELS, SEED_RULES } from './channels.js'
import { customerMode, enforced, refusedBySeedRule } from '../seed-rules.js'
import { parseJson } from '../../wire/limits.js'
import { DEFAULT_RECIPES, verifyToken, type RecipeName } from './crypto.js'
import { balanceBody, hasFunds } from './balance.js'
import {
  errorBody,
  nativeState,
  renderTxn,
  validatePayment,
  type ConnecxMerchant,
  type ConnecxRefusal,
  type ConnecxSettings,
  type ConnecxTransaction,
  type ConnecxTxnData,
} from './wire.js'

const PROVIDER = 'connecx'
/** txnIds look like the seed's sample (12 digits) and never repeat. */
const TXN_ID_BASE = 176272727440

type C = Context<SandboxEnv>
type Port = ProviderPort<ConnecxTxnData, ConnecxSettings>

/** Every Connecx refusal: `422 {"msgCode","msgText"}` (or its `status`), the reason in the journal. */
export const connecxErrors: RefusalFormat<ConnecxRefusal> = {
  render: (c, r) =>
    c.body(errorBody(r.code), (r.status ?? 422) as 404 | 422 | 500, { 'Content-Type': 'application/json' }),
}

function json(c: Context, body: unknown): Response {
  return c.body(JSON.stringify(body), 200, { 'Content-Type': 'application/json' })
}

/**
 * Connecx routes at their real paths under `/mxapi`: pay-in, pay-out, the five query APIs and
 * the hosted `authzUrl` page.
 */
export function connecxRoutes(port: Port) {
  const app = providerApp(connecxErrors)

  /** Path merchant → merchant; throws the native refusal. */
  const merchantOf = (c: C): ConnecxMerchant => {
    const id = c.req.param('merchantId') ?? ''
    if (c.get('journal')) c.get('journal').merchant = id
    if (!/^\d+$/.test(id)) throw new Refusal('E0042', `merchantId "${id}" in the path is not numeric`)
    const merchant = port.merchants.get(id)
    if (!merchant)
      throw new Refusal(
        'E1000',
        `no Connecx merchant "${id}"; the default test merchant is 3568224497743 (GET /_sandbox/merchants)`,
      )
    if (merchant.active === false)
      throw new Refusal(
        'E1001',
        `merchant ${id} is set inactive (PATCH /_sandbox/merchants/connecx/${id} {"active":true})`,
      )
    return merchant
  }

  /**
   * Authenticates a request: the path merchant, then the token header (pay-out also accepts the
   * seed's `X-paypath-authz`), then the token against the merchant's recipe for this API over
   * `valuesOf(c)`.
   */
  const authenticate =
    (
      recipe: RecipeName,
      valuesOf: (c: C) => Record<string, unknown> | Promise<Record<string, unknown>>,
      alsoPaypath = false,
    ) =>
    async (c: C): Promise<AuthVerdict<ConnecxSettings>> => {
      const merchant = merchantOf(c)
      const token = c.req.header('X-paymesh-authz') ?? (alsoPaypath ? c.req.header('X-paypath-authz') : undefined)
      if (!token)
        return {
          ok: false,
          explanation: `no X-paymesh-authz header${alsoPaypath ? ' (nor X-paypath-authz)' : ''}: send the hex SHA-256 token`,
          refusal: new Refusal('E2005', 'the token header is missing'),
        }
      const values = await valuesOf(c)
      const own = merchant.tokenRecipes
      const fields = own && Object.hasOwn(own, recipe) ? own[recipe]! : DEFAULT_RECIPES[recipe]
      const exact = enforced(merchant, 'token-exact')
      const all = { ...values, merchantId: merchant.id, apiKey: merchant.apiKey }
      const verdict = verifyToken(token, fields, all, { exact })
      if (!verdict.ok && exact && verifyToken(token, fields, all, { exact: false }).ok)
        refusedBySeedRule(
          c,
          PROVIDER,
          merchant,
          'token-exact',
          SEED_RULES['token-exact'],
          'the token differs only in case or spaces',
        )
      return verdict.ok
        ? { ok: true, merchant, explanation: verdict.explanation }
        : {
            ok: false,
            merchant,
            explanation: verdict.explanation,
            refusal: new Refusal(
              'E2004',
              'the token does not match (the journal entry shows the string the sandbox hashed)',
            ),
          }
    }

  /** The JSON object body of a pay-in/pay-out; throws E3000. */
  const bodyOf = async (c: C): Promise<Record<string, unknown>> => {
    let body: unknown
    try {
      body = parseJson(await c.req.text())
    } catch (e) {
      throw new Refusal(
        'E3000',
        `the body is not JSON (${(e as Error).message}); send Content-Type: application/json with a JSON object`,
      )
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new Refusal('E3000', 'the body must be a JSON object')
    const fields = body as Record<string, unknown>
    if (c.get('journal') && typeof fields.paymentRef === 'string') c.get('journal').reference = fields.paymentRef
    return fields
  }

  /** The merchant's channel by code; throws E9998. */
  const channelOf = (merchant: ConnecxMerchant, channelCode: string) => {
    const channel = merchant.channels.includes(channelCode) ? CHANNELS[channelCode] : undefined
    if (!channel) throw new Refusal('E9998', `channelCode "${channelCode}" is not assigned to merchant ${merchant.id}`)
    return channel
  }

  const payment = (kind: 'payin' | 'payout') => async (c: C) => {
    const fields = await bodyOf(c)
    const merchant = admit(c, await authenticate('payment', () => fields, kind === 'payout')(c))
    let request: ReturnType<typeof validatePayment>
    try {
      request = validatePayment(fields, merchant, kind)
    } catch (e) {
      const rule = e instanceof Refusal ? (e as ConnecxRefusal).detail?.rule : undefined
      if (rule) refusedBySeedRule(c, PROVIDER, merchant, rule, SEED_RULES[rule], (e as ConnecxRefusal).why)
      throw e
    }
    if (request.dupCheck && !(await port.reserve(c, { merchant: merchant.id, reference: request.paymentRef })))
      throw new Refusal(
        'E2046',
        `paymentRef "${request.paymentRef}" was already used by this merchant and dupCheck is true`,
      )

    const decision = port.decide(c, {
      operation: kind,
      merchant: merchant.id,
      reference: request.paymentRef,
      amount: request.txnAmount,
      currency: request.txnCurrency,
      customer: customerMode(merchant),
      request: fields,
    })
    return port.respond(c, decision, async () => {
      const data: ConnecxTxnData = {
        txnAmount: request.txnAmount,
        merchantTraceData: request.merchantTraceData,
        resultUrl: request.resultUrl,
        origin: new URL(c.req.url).origin,
      }
      let verdict = decision
      if (kind === 'payout' && !hasFunds(port, merchant, request.txnCurrency, request.txnAmount)) {
        c.get('journal').notes.push(
          `available ${request.txnCurrency} balance is below ${request.txnAmount}: the pay-out fails with INSUFFICENT_FUNDS (PATCH the merchant's balances to change it)`,
        )
        verdict = {
          ...decision,
          rule: 'insufficient balance',
          outcome: 'INSUFFICENT_FUNDS',
          native: {},
          timeline: [{ after: 0, status: 'INSUFFICENT_FUNDS', callback: { ...ONE_CALLBACK } }],
        }
      }
      const tx = await port.transactions.open(
        {
          merchant: merchant.id,
          kind,
          reference: request.paymentRef,
          providerRef: String(TXN_ID_BASE + port.counters.next('connecx.txnId')),
          amount: request.txnAmount,
          currency: request.txnCurrency,
          callbackUrl: request.callbackUrl,
          initial: kind === 'payin' ? 'pending' : 'processing',
          data,
        },
        verdict,
      )
      c.get('journal').transactionId = tx.id
      return json(c, renderTxn(tx, merchant))
    })
  }

  app.post('/mxapi/:merchantId/bdpayin', payment('payin'))
  app.post('/mxapi/:merchantId/bdpayout', payment('payout'))

  app.get(
    '/mxapi/:merchantId/txn/payref/:paymentRef',
    guard(authenticate('payref', (c) => ({ paymentRef: c.req.param('paymentRef') ?? '' }))),
    (c) => {
      const merchant = c.get('merchant')
      const paymentRef = c.req.param('paymentRef')
      c.get('journal').reference = paymentRef
      const found = port.transactions.byReference(merchant.id, paymentRef)
      if (!found.length)
        throw new Refusal('E2029', `no transaction of merchant ${merchant.id} has paymentRef "${paymentRef}"`)
      return json(
        c,
        found.map((tx) => renderTxn(tx, merchant)),
      )
    },
  )

  app.get(
    '/mxapi/:merchantId/txn/:txnId',
    guard(authenticate('txn', (c) => ({ txnId: c.req.param('txnId') ?? '' }))),
    (c) => {
      const merchant = c.get('merchant')
      const txnId = c.req.param('txnId')
      const tx = port.transactions.byProviderRef(txnId)
      if (!tx || tx.merchant !== merchant.id)
        throw new Refusal('E2029', `no transaction ${txnId} for merchant ${merchant.id}`)
      c.get('journal').reference = tx.reference
      c.get('journal').transactionId = tx.id
      return json(c, renderTxn(tx, merchant))
    },
  )

  app.get(
    '/mxapi/:merchantId/bankcodes/:channelCode',
    guard(
      authenticate('bankcodes', (c) => ({
        channelCode: c.req.param('channelCode') ?? '',
        requestSalt: c.req.query('requestSalt'),
      })),
    ),
    (c) => {
      const channel = channelOf(c.get('merchant'), c.req.param('channelCode'))
      return json(c, bankCodesBody(channel))
    },
  )

  app.get(
    '/mxapi/:merchantId/balance/:currency',
    guard(
      authenticate('balance', (c) => ({
        currency: c.req.param('currency') ?? '',
        requestSalt: c.req.query('requestSalt') ?? '',
      })),
    ),
    (c) => {
      const merchant = c.get('merchant')
      const currency = c.req.param('currency')
      const body = balanceBody(port, merchant, currency)
      if (!body)
        throw new Refusal(
          'E2022',
          `merchant ${merchant.id} holds no ${currency} balance; it holds ${Object.keys(merchant.balances).join(', ')}`,
        )
      return c.body(body, 200, { 'Content-Type': 'application/json' })
    },
  )

  app.get(
    '/mxapi/:merchantId/channelspecs/:channelCode',
    guard(
      authenticate('channelspecs', (c) => ({
        channelCode: c.req.param('channelCode') ?? '',
        requestSalt: c.req.query('requestSalt') ?? '',
      })),
    ),
    (c) => {
      const channel = channelOf(c.get('merchant'), c.req.param('channelCode'))
      return json(c, {
        channelCode: channel.channelCode,
        currency: channel.currency,
        payinSpecs: channel.payinSpecs,
        payoutSpecs: channel.payoutSpecs,
      })
    },
  )

  // The hosted page behind authzUrl: the customer approves or declines the pay-in.
  const authzPage = (c: C, tx: ConnecxTransaction, notice?: string) => {
    const state = nativeState(tx)
    const open = !FINAL_STATUSES.has(tx.status)
    return c.html(
      hostedPage({
        brand: 'Connecx',
        title: open ? 'Authorize payment' : 'Payment finished',
        facts: [
          ['Merchant', tx.merchant],
          ['Payment reference', tx.reference],
          ['Amount', `${tx.data.txnAmount.toFixed(2)} ${tx.currency}`],
          ['Transaction', tx.providerRef],
        ],
        status: `${state.status} (${state.txnResultCode})`,
        notice,
        actions: open ? ['approve', 'decline'] : [],
      }),
      open || !notice ? 200 : 409,
    )
  }

  const payinOf = (c: C) => {
    const tx = port.transactions.byProviderRef(c.req.param('txnId') ?? '')
    return tx?.kind === 'payin' ? tx : undefined
  }
  const notFound = (c: C) =>
    c.html(
      errorPage({
        brand: 'Connecx',
        title: 'Payment not found',
        message: `No pay-in ${c.req.param('txnId')} is waiting here.`,
      }),
      404,
    )

  servePage(app, '/mxapi/authz/:txnId', {
    find: payinOf,
    show: (c, tx) => authzPage(c, tx),
    notFound,
    act: async (c, tx, form) => {
      c.get('journal').transactionId = tx.id
      c.get('journal').reference = tx.reference
      const action = form.action
      if (action !== 'approve' && action !== 'decline') return authzPage(c, tx, 'Choose Approve or Decline.')
      if (FINAL_STATUSES.has(tx.status)) return authzPage(c, tx, `This payment is already ${nativeState(tx).status}.`)
      await port.transactions.transition(tx, action === 'approve' ? 'approved' : 'declined', { source: 'page' })
      c.get('journal').notes.push(`the customer pressed ${action} on the hosted page`)
      const resultUrl = tx.data.resultUrl
      return resultUrl ? c.redirect(resultUrl, 303) : authzPage(c, tx)
    },
  })

  return app
}
