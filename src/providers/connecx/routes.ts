import { Hono, type Context } from 'hono'
import { html } from 'hono/html'
import type { Engine } from '../../engine/engine.js'
import { decide, respond, type SandboxEnv } from '../../engine/http.js'
import { reserveReference } from '../../engine/reservations.js'
import type { Merchant, Transaction } from '../../engine/types.js'
import { FINAL_STATUSES } from '../../engine/types.js'
import { actions, facts, page } from '../../ui/page.js'
import { bankCodesBody, CHANNELS, SEED_RULES } from './channels.js'
import { customerMode, enforced, refusedBySeedRule } from '../seed-rules.js'
import { DEFAULT_RECIPES, verifyToken, type RecipeName } from './crypto.js'
import { balanceBody, hasFunds } from './balance.js'
import {
  errorBody,
  isRefusal,
  nativeState,
  renderTxn,
  validatePayment,
  type ConnecxTxnData,
  type ErrorCode,
} from './wire.js'
import { parseJson } from '../../wire/limits.js'

const PROVIDER = 'connecx'
/** txnIds look like the seed's sample (12 digits) and never repeat. */
const TXN_ID_BASE = 176272727440

type C = Context<SandboxEnv>

/** `422 {"msgCode","msgText"}`, with the reason in the journal. */
export function refuse(c: C, code: ErrorCode, why: string, status: 404 | 422 | 500 = 422): Response {
  c.var.journal?.notes.push(`${code}: ${why}`)
  return c.body(errorBody(code), status, { 'Content-Type': 'application/json' })
}

function json(c: C, body: unknown): Response {
  return c.body(JSON.stringify(body), 200, { 'Content-Type': 'application/json' })
}

/**
 * Connecx routes at their real paths under `/mxapi`: pay-in, pay-out, the five query APIs and
 * the hosted `authzUrl` page.
 */
export function connecxRoutes(engine: Engine): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()

  /** Path merchant → merchant, or the native refusal. */
  const merchantOf = (c: C): Merchant | Response => {
    const id = c.req.param('merchantId') ?? ''
    if (c.var.journal) c.var.journal.merchant = id
    if (!/^\d+$/.test(id)) return refuse(c, 'E0042', `merchantId "${id}" in the path is not numeric`)
    const merchant = engine.merchants.get(PROVIDER, id)
    if (!merchant)
      return refuse(
        c,
        'E1000',
        `no Connecx merchant "${id}"; the default test merchant is 3568224497743 (GET /_sandbox/merchants)`,
      )
    if (merchant.active === false)
      return refuse(
        c,
        'E1001',
        `merchant ${id} is set inactive (PATCH /_sandbox/merchants/connecx/${id} {"active":true})`,
      )
    return merchant
  }

  /** The token header, or the E2005 refusal. Pay-out also accepts the seed's `X-paypath-authz`. */
  const tokenOf = (c: C, alsoPaypath = false): string | Response => {
    const token = c.req.header('X-paymesh-authz') ?? (alsoPaypath ? c.req.header('X-paypath-authz') : undefined)
    if (!token) {
      c.var.journal.auth = {
        ok: false,
        explanation: `no X-paymesh-authz header${alsoPaypath ? ' (nor X-paypath-authz)' : ''}: send the hex SHA-256 token`,
      }
      return refuse(c, 'E2005', 'the token header is missing')
    }
    return token
  }

  /** Checks a token against the merchant's recipe for this API. */
  const authorise = (
    c: C,
    merchant: Merchant,
    token: string,
    recipe: RecipeName,
    values: Record<string, unknown>,
  ): Response | undefined => {
    const recipes = { ...DEFAULT_RECIPES, ...((merchant.tokenRecipes as object) ?? {}) } as Record<
      RecipeName,
      readonly string[]
    >
    const exact = enforced(merchant, 'token-exact')
    const all = { ...values, merchantId: merchant.id, apiKey: merchant.apiKey }
    const verdict = verifyToken(token, recipes[recipe], all, { exact })
    c.var.journal.auth = { ok: verdict.ok, explanation: verdict.explanation }
    if (!verdict.ok && exact && verifyToken(token, recipes[recipe], all, { exact: false }).ok)
      refusedBySeedRule(
        c,
        PROVIDER,
        merchant,
        'token-exact',
        SEED_RULES['token-exact'],
        'the token differs only in case or spaces',
      )
    return verdict.ok
      ? undefined
      : refuse(c, 'E2004', 'the token does not match (the journal entry shows the string the sandbox hashed)')
  }

  /**
   * A query API: merchant, token header and recipe checked in that order, then `answer` runs with
   * the values the token was checked against.
   */
  const query =
    <V extends Record<string, unknown>>(
      recipe: RecipeName,
      valuesOf: (c: C) => V,
      answer: (c: C, merchant: Merchant, values: V) => Response,
    ) =>
    async (c: C) => {
      const merchant = merchantOf(c)
      if (merchant instanceof Response) return merchant
      const token = tokenOf(c)
      if (token instanceof Response) return token
      const values = valuesOf(c)
      return authorise(c, merchant, token, recipe, values) ?? answer(c, merchant, values)
    }

  /** The merchant's channel by code, or the E9998 refusal. */
  const channelOf = (c: C, merchant: Merchant, channelCode: string) => {
    const channel = (merchant.channels as string[]).includes(channelCode) ? CHANNELS[channelCode] : undefined
    return channel ?? refuse(c, 'E9998', `channelCode "${channelCode}" is not assigned to merchant ${merchant.id}`)
  }

  const payment = (kind: 'payin' | 'payout') => async (c: C) => {
    const merchant = merchantOf(c)
    if (merchant instanceof Response) return merchant
    const token = tokenOf(c, kind === 'payout')
    if (token instanceof Response) return token
    let body: unknown
    try {
      body = parseJson(await c.req.text())
    } catch (e) {
      return refuse(
        c,
        'E3000',
        `the body is not JSON (${(e as Error).message}); send Content-Type: application/json with a JSON object`,
      )
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return refuse(c, 'E3000', 'the body must be a JSON object')
    const fields = body as Record<string, unknown>
    if (c.var.journal && typeof fields.paymentRef === 'string') c.var.journal.reference = fields.paymentRef
    const denied = authorise(c, merchant, token, 'payment', fields)
    if (denied) return denied
    const request = validatePayment(fields, merchant, kind)
    if (isRefusal(request)) {
      if (request.rule) refusedBySeedRule(c, PROVIDER, merchant, request.rule, SEED_RULES[request.rule], request.why)
      return refuse(c, request.code, request.why)
    }
    const claim = { provider: PROVIDER, merchant: merchant.id, reference: request.paymentRef }
    if (request.dupCheck && !reserveReference(c, engine, claim))
      return refuse(
        c,
        'E2046',
        `paymentRef "${request.paymentRef}" was already used by this merchant and dupCheck is true`,
      )

    const decision = decide(c, engine, PROVIDER, {
      operation: kind,
      merchant: merchant.id,
      reference: request.paymentRef,
      amount: request.txnAmount,
      currency: request.txnCurrency,
      customer: customerMode(merchant),
      request: fields,
    })
    return respond(c, engine, decision, async () => {
      const data: ConnecxTxnData = {
        txnAmount: request.txnAmount,
        merchantTraceData: request.merchantTraceData,
        resultUrl: request.resultUrl,
        origin: new URL(c.req.url).origin,
        request: fields,
      }
      let verdict = decision
      if (kind === 'payout' && !hasFunds(engine, merchant, request.txnCurrency, request.txnAmount)) {
        c.var.journal.notes.push(
          `available ${request.txnCurrency} balance is below ${request.txnAmount}: the pay-out fails with INSUFFICENT_FUNDS (PATCH the merchant's balances to change it)`,
        )
        verdict = {
          ...decision,
          rule: 'insufficient balance',
          outcome: 'INSUFFICENT_FUNDS',
          native: {},
          timeline: [{ after: 0, status: 'INSUFFICENT_FUNDS', callback: { copies: 1, signature: 'valid', delay: 0 } }],
        }
      }
      const tx = await engine.transactions.open(
        {
          provider: PROVIDER,
          merchant: merchant.id,
          kind,
          reference: request.paymentRef,
          providerRef: String(TXN_ID_BASE + engine.store.nextCounter('connecx.txnId')),
          amount: request.txnAmount,
          currency: request.txnCurrency,
          callbackUrl: request.callbackUrl,
          initial: kind === 'payin' ? 'pending' : 'processing',
          data: data as unknown as Record<string, unknown>,
        },
        verdict,
      )
      c.var.journal.transactionId = tx.id
      return json(c, renderTxn(tx, merchant))
    })
  }

  app.post('/mxapi/:merchantId/bdpayin', payment('payin'))
  app.post('/mxapi/:merchantId/bdpayout', payment('payout'))

  app.get(
    '/mxapi/:merchantId/txn/payref/:paymentRef',
    query(
      'payref',
      (c) => ({ paymentRef: c.req.param('paymentRef') ?? '' }),
      (c, merchant, { paymentRef }) => {
        c.var.journal.reference = paymentRef
        const found = engine.transactions.byReference(PROVIDER, merchant.id, paymentRef)
        if (!found.length)
          return refuse(c, 'E2029', `no transaction of merchant ${merchant.id} has paymentRef "${paymentRef}"`)
        return json(
          c,
          found.map((tx) => renderTxn(tx, merchant)),
        )
      },
    ),
  )

  app.get(
    '/mxapi/:merchantId/txn/:txnId',
    query(
      'txn',
      (c) => ({ txnId: c.req.param('txnId') ?? '' }),
      (c, merchant, { txnId }) => {
        const tx = engine.transactions.byProviderRef(PROVIDER, txnId)
        if (!tx || tx.merchant !== merchant.id)
          return refuse(c, 'E2029', `no transaction ${txnId} for merchant ${merchant.id}`)
        c.var.journal.reference = tx.reference
        c.var.journal.transactionId = tx.id
        return json(c, renderTxn(tx, merchant))
      },
    ),
  )

  app.get(
    '/mxapi/:merchantId/bankcodes/:channelCode',
    query(
      'bankcodes',
      (c) => ({ channelCode: c.req.param('channelCode') ?? '', requestSalt: c.req.query('requestSalt') }),
      (c, merchant, { channelCode }) => {
        const channel = channelOf(c, merchant, channelCode)
        if (channel instanceof Response) return channel
        return json(c, bankCodesBody(channel))
      },
    ),
  )

  app.get(
    '/mxapi/:merchantId/balance/:currency',
    query(
      'balance',
      (c) => ({ currency: c.req.param('currency') ?? '', requestSalt: c.req.query('requestSalt') ?? '' }),
      (c, merchant, { currency }) => {
        const body = balanceBody(engine, merchant, currency)
        if (!body)
          return refuse(
            c,
            'E2022',
            `merchant ${merchant.id} holds no ${currency} balance; it holds ${Object.keys(merchant.balances as object).join(', ')}`,
          )
        return c.body(body, 200, { 'Content-Type': 'application/json' })
      },
    ),
  )

  app.get(
    '/mxapi/:merchantId/channelspecs/:channelCode',
    query(
      'channelspecs',
      (c) => ({ channelCode: c.req.param('channelCode') ?? '', requestSalt: c.req.query('requestSalt') ?? '' }),
      (c, merchant, { channelCode }) => {
        const channel = channelOf(c, merchant, channelCode)
        if (channel instanceof Response) return channel
        return json(c, {
          channelCode: channel.channelCode,
          currency: channel.currency,
          payinSpecs: channel.payinSpecs,
          payoutSpecs: channel.payoutSpecs,
        })
      },
    ),
  )

  // The hosted page behind authzUrl: the customer approves or declines the pay-in.
  const authzPage = (c: C, tx: Transaction, notice?: string) => {
    const state = nativeState(tx)
    const open = !FINAL_STATUSES.has(tx.status)
    return c.html(
      page(
        open ? 'Authorize payment' : 'Payment finished',
        html`${facts([
            ['Merchant', tx.merchant],
            ['Payment reference', tx.reference],
            ['Amount', `${(tx.data as unknown as ConnecxTxnData).txnAmount.toFixed(2)} ${tx.currency}`],
            ['Transaction', tx.providerRef],
          ])}
          <p class="status" id="status">Status: ${state.status} (${state.txnResultCode})</p>
          ${notice ? html`<p>${notice}</p>` : ''}
          ${
            open
              ? actions([
                  { value: 'approve', label: 'Approve', kind: 'primary' },
                  { value: 'decline', label: 'Decline', kind: 'danger' },
                ])
              : ''
          }`,
        'Connecx',
      ),
      open || !notice ? 200 : 409,
    )
  }

  app.get('/mxapi/authz/:txnId', (c) => {
    const tx = engine.transactions.byProviderRef(PROVIDER, c.req.param('txnId'))
    if (!tx || tx.kind !== 'payin')
      return c.html(
        page('Payment not found', html`<p>No pay-in ${c.req.param('txnId')} is waiting here.</p>`, 'Connecx'),
        404,
      )
    return authzPage(c, tx)
  })

  app.post('/mxapi/authz/:txnId', async (c) => {
    const tx = engine.transactions.byProviderRef(PROVIDER, c.req.param('txnId'))
    if (!tx || tx.kind !== 'payin')
      return c.html(
        page('Payment not found', html`<p>No pay-in ${c.req.param('txnId')} is waiting here.</p>`, 'Connecx'),
        404,
      )
    c.var.journal.transactionId = tx.id
    c.var.journal.reference = tx.reference
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const action = form.action
    if (action !== 'approve' && action !== 'decline') return authzPage(c, tx, 'Choose Approve or Decline.')
    if (FINAL_STATUSES.has(tx.status)) return authzPage(c, tx, `This payment is already ${nativeState(tx).status}.`)
    await engine.transactions.transition(tx, action === 'approve' ? 'approved' : 'declined', { source: 'page' })
    c.var.journal.notes.push(`the customer pressed ${action} on the hosted page`)
    const resultUrl = (tx.data as unknown as ConnecxTxnData).resultUrl
    return resultUrl ? c.redirect(resultUrl, 303) : authzPage(c, tx)
  })

  return app
}
