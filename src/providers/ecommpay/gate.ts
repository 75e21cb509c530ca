import { clarificationOf, missingCustomerFields, readClarificationAnswer } from './clarification.js'
import { customerMode } from '../seed-rules.js'
import { Hono } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import { Refusal } from '../kit/refusal.js'
import { FINAL_STATUSES } from '../../engine/types.js'
import { signCallback } from './crypto.js'
import {
  BANKS,
  PAYOUT_MAX,
  PAYOUT_MIN,
  acceptedBody,
  bankName,
  bankPageUrl,
  dataOf,
  ecpDate,
  money,
  nativeState,
  nextWorkingTime,
  renderOperation,
  renderPayment,
  type EcommpayPort,
  type EcommpayTxData,
} from './wire.js'
import { type Obj, json, object, optionalObject, text, integer, currency, bankId, type Shared } from './shared.js'

/** The Gate (`/v2/…`): purchase, payout, refund, bank lists, payment status, clarification. */
export function gateRoutes(port: EcommpayPort, shared: Shared): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()
  const { openOperation, newOperationId, gateRoute, paymentOf, reservePayment, refundsOf, callbackSettings, openSale } =
    shared

  // --- Gate: purchase -----------------------------------------------------------------------
  app.post(
    '/v2/payment/banks/india/sale',
    gateRoute(async (c, { body, general, merchant, projectId, paymentId, ids }) => {
      const customer = object(body, 'customer', 'customer')
      const customerId = text(customer, 'id', 'customer.id', true, 255)
      text(customer, 'ip_address', 'customer.ip_address', true, 64)
      const phone = text(customer, 'phone', 'customer.phone', false, 64)
      const payment = object(body, 'payment', 'payment')
      const amount = integer(payment, 'amount', 'payment.amount', true)
      const cur = currency(payment, 'payment.currency')
      const description = text(payment, 'description', 'payment.description', false) ?? ''
      const returnUrl = object(body, 'return_url', 'return_url')
      const returnUrls = {
        success: text(returnUrl, 'success', 'return_url.success', true),
        decline: text(returnUrl, 'decline', 'return_url.decline', false),
        return: text(returnUrl, 'return', 'return_url.return', false),
      }
      const account = optionalObject(body, 'account', 'account')
      const bank =
        account && account.bank_id !== undefined && account.bank_id !== null
          ? bankId(account.bank_id, 'account.bank_id')
          : undefined
      const callback = callbackSettings(general, body)
      if (!(await reservePayment(c, String(projectId), paymentId)))
        throw new Refusal(
          '3041',
          `payment_id "${paymentId}" was already used in project ${projectId}; payment ids are unique within a project`,
        )

      const missing = missingCustomerFields(merchant, customer)
      const decision = port.decide(c, {
        operation: 'sale',
        merchant: String(projectId),
        reference: paymentId,
        amount,
        currency: cur,
        customer: customerMode(merchant),
        request: body,
      })
      return port.respond(c, decision, async () => {
        const tx = await openSale(c, merchant, decision, {
          paymentId,
          amount,
          currency: cur,
          data: {
            channel: 'gate',
            description,
            customer: phone !== undefined ? { id: customerId, phone } : { id: customerId },
            bankId: bank,
            returnUrls,
            ...callback,
            requestId: ids.requestId,
            ...(missing.length ? { clarification: { fields: missing, awaiting: true } } : {}),
          },
        })
        if (missing.length && tx.status === 'pending')
          c.get('journal')?.notes.push(
            `customer.${missing.join(', customer.')} missing (the project's clarificationFields): the clarification callback lists them; answer with POST /v2/payment/clarification {"general":…,"additional_data":{"customer":{…}}}`,
          )
        c.get('journal')?.notes.push(
          `the customer is sent to ${bankPageUrl(tx)} by the redirect_data callback${bank ? ` (bank ${bank} ${bankName(bank)})` : ' (no account.bank_id: the page asks for the bank first)'}`,
        )
        return json(c, acceptedBody(ids.requestId, projectId, paymentId))
      })
    }),
  )

  // --- Gate: payout -------------------------------------------------------------------------
  app.post(
    '/v2/payment/banks/india/payout',
    gateRoute(async (c, { body, general, merchant, projectId, paymentId, ids }) => {
      const payment = object(body, 'payment', 'payment')
      const amount = integer(payment, 'amount', 'payment.amount', true)
      const cur = currency(payment, 'payment.currency')
      const description = text(payment, 'description', 'payment.description', false) ?? ''
      const customer = object(body, 'customer', 'customer')
      const customerId = text(customer, 'id', 'customer.id', true, 255)
      text(customer, 'ip_address', 'customer.ip_address', true, 64)
      const phone = text(customer, 'phone', 'customer.phone', false, 64)
      const account = object(body, 'account', 'account')
      const number = text(account, 'number', 'account.number', true, 64)
      text(account, 'bank_code', 'account.bank_code', true, 64)
      text(account, 'customer_name', 'account.customer_name', true, 255)
      if (account.bank_id === undefined || account.bank_id === null || account.bank_id === '')
        throw new Refusal(
          '2004',
          '"account.bank_id" is required (POST /v2/info/banks/india/payout/list lists the banks)',
        )
      const bank = bankId(account.bank_id, 'account.bank_id')
      if (amount < PAYOUT_MIN)
        throw new Refusal(
          '3358',
          `payment.amount ${amount} (${money(amount, cur)}) is below the Banks of India payout minimum ${money(PAYOUT_MIN, cur)} (amounts are in minor units)`,
        )
      if (amount > PAYOUT_MAX)
        throw new Refusal(
          '2642',
          `payment.amount ${amount} (${money(amount, cur)}) is above the Banks of India payout maximum ${money(PAYOUT_MAX, cur)}`,
        )
      const callback = callbackSettings(general, body)
      if (!(await reservePayment(c, String(projectId), paymentId)))
        throw new Refusal(
          '3041',
          `payment_id "${paymentId}" was already used in project ${projectId}; payment ids are unique within a project`,
        )

      let decision = port.decide(c, {
        operation: 'payout',
        merchant: String(projectId),
        reference: paymentId,
        amount,
        currency: cur,
        request: body,
      })
      return port.respond(c, decision, async () => {
        const now = port.clock.now()
        let heldUntil: number | undefined
        if (merchant.payoutWorkingHours === true || decision.native.working_hours === true) {
          const opens = nextWorkingTime(now)
          if (opens > now) {
            heldUntil = opens
            decision = {
              ...decision,
              timeline: decision.timeline.map((s) => ({ ...s, after: s.after + (opens - now) })),
            }
            c.get('journal')?.notes.push(
              `working hours are on and it is outside Monday–Friday 10:30–19:00 GMT+8: the payout waits until ${new Date(opens).toISOString()} before it is processed`,
            )
          }
        }
        const operationId = newOperationId()
        const data: EcommpayTxData = {
          channel: 'gate',
          operationId,
          requestId: ids.requestId,
          description,
          customer: phone !== undefined ? { id: customerId, phone } : { id: customerId },
          accountNumber: number,
          bankId: bank,
          returnUrls: {},
          origin: new URL(c.req.url).origin,
          heldUntil,
          ...callback,
        }
        await openOperation(c, merchant, decision, data, {
          kind: 'payout',
          reference: paymentId,
          operationId,
          amount: amount,
          currency: cur,
          initial: 'processing',
        })
        return json(c, acceptedBody(ids.requestId, projectId, paymentId))
      })
    }),
  )

  // --- Gate: refund -------------------------------------------------------------------------
  app.post(
    '/v2/payment/banks/india/refund',
    gateRoute(async (c, { body, general, merchant, projectId, paymentId, ids }) => {
      const payment = object(body, 'payment', 'payment')
      const description = text(payment, 'description', 'payment.description', true)
      const amount = integer(payment, 'amount', 'payment.amount', false)
      const refundCurrency = text(payment, 'currency', 'payment.currency', false, 16)
      const merchantRefundId = text(payment, 'merchant_refund_id', 'payment.merchant_refund_id', false, 255)
      const callback = callbackSettings(general, body)
      const sale = paymentOf(String(projectId), paymentId)
      if (!sale)
        throw new Refusal(
          '3061',
          `project ${projectId} has no payment "${paymentId}" (a refund names the purchase's own payment_id)`,
        )
      if (sale.kind !== 'sale')
        throw new Refusal('3060', `payment "${paymentId}" is a payout; only purchases can be refunded`)
      if (sale.status !== 'approved')
        throw new Refusal(
          '3060',
          `payment "${paymentId}" is "${nativeState(sale).paymentStatus}"; only a successful purchase can be refunded`,
        )
      const refunds = refundsOf(String(projectId), paymentId)
      const blocking = refunds.find((r) => r.status === 'approved' || !FINAL_STATUSES.has(r.status))
      if (blocking)
        throw new Refusal(
          '3060',
          `payment "${paymentId}" ${blocking.status === 'approved' ? 'is already refunded' : 'has a refund in progress'}; Banks of India allows one full refund`,
        )
      if (!(await port.reserve(c, { merchant: String(projectId), reference: paymentId, scope: 'refund' }, () => false)))
        throw new Refusal(
          '3060',
          `payment "${paymentId}" has a refund in progress; Banks of India allows one full refund`,
        )
      if (
        merchantRefundId &&
        port.transactions.list({ merchant: merchant.id, kind: 'refund', data: { merchantRefundId } }).length
      )
        throw new Refusal('3230', `merchant_refund_id "${merchantRefundId}" was already used in project ${projectId}`)
      if (refundCurrency !== undefined && refundCurrency !== sale.currency)
        throw new Refusal('3284', `payment.currency is "${refundCurrency}" but the purchase was in ${sale.currency}`)
      if (amount !== undefined && amount < sale.amount)
        throw new Refusal(
          '3609',
          `payment.amount ${amount} is less than the purchase's ${sale.amount}: Banks of India supports full refunds only (leave amount out, or send the full amount)`,
        )

      let decision = port.decide(c, {
        operation: 'refund',
        merchant: String(projectId),
        reference: paymentId,
        amount: amount ?? sale.amount,
        currency: sale.currency,
        request: body,
      })
      if (amount !== undefined && amount > sale.amount) {
        c.get('journal')?.notes.push(
          `payment.amount ${amount} is more than the purchase's ${sale.amount}: accepted, then declined by callback with code 3283, as in the seed's declined refund example`,
        )
        decision = {
          ...decision,
          rule: 'refund amount more than the purchase amount (seed: declined refund callback, code 3283)',
          outcome: 'declined',
          native: { code: '3283' },
          timeline: [{ after: 2000, status: 'declined', callback: { copies: 1, signature: 'valid', delay: 0 } }],
        }
      }
      return port.respond(c, decision, async () => {
        const operationId = newOperationId()
        const saleData = dataOf(sale)
        const data: EcommpayTxData = {
          channel: 'gate',
          operationId,
          requestId: ids.requestId,
          description,
          customer: saleData.customer,
          bankId: saleData.bankId,
          returnUrls: {},
          origin: new URL(c.req.url).origin,
          sale: {
            transactionId: sale.id,
            operationId: saleData.operationId,
            amount: sale.amount,
            requestId: saleData.requestId,
          },
          merchantRefundId,
          ...callback,
        }
        await openOperation(c, merchant, decision, data, {
          kind: 'refund',
          reference: paymentId,
          operationId,
          amount: amount ?? sale.amount,
          currency: sale.currency,
          initial: 'processing',
        })
        return json(c, acceptedBody(ids.requestId, projectId, paymentId))
      })
    }),
  )

  // --- Gate: bank lists ---------------------------------------------------------------------
  const bankList = (operation: 'sale' | 'payout') =>
    gateRoute(async (c, { body }) => {
      const payment = object(body, 'payment', 'payment')
      const amount = integer(payment, 'amount', 'payment.amount', true)
      currency(payment, 'payment.currency')
      if (operation === 'payout' && (amount < PAYOUT_MIN || amount > PAYOUT_MAX))
        c.get('journal')?.notes.push(
          `payment.amount ${amount} is outside the payout limits ${PAYOUT_MIN}–${PAYOUT_MAX}; the list is answered anyway (a payout of that amount would be refused)`,
        )
      if (c.get('journal')) c.get('journal').operation = `${operation} bank list`
      return json(c, JSON.stringify(BANKS.map((b) => ({ id: b.id, name: b.name }))))
    })
  app.post('/v2/info/banks/india/sale/list', bankList('sale'))
  app.post('/v2/info/banks/india/payout/list', bankList('payout'))

  // --- Gate: payment status -----------------------------------------------------------------
  app.post(
    '/v2/payment/status',
    gateRoute(async (c, { merchant, projectId, paymentId }) => {
      if (c.get('journal')) c.get('journal').operation = 'status'
      const main = paymentOf(String(projectId), paymentId)
      if (!main)
        throw new Refusal(
          '3061',
          `project ${projectId} has no payment "${paymentId}" (a Payment Page that was opened but where no bank was chosen has no payment yet)`,
        )
      if (c.get('journal')) c.get('journal').transactionId = main.id
      const refunds = refundsOf(String(projectId), paymentId)
      const payment = renderPayment(main)
      const refunded = refunds.find((r) => r.status === 'approved')
      if (refunded)
        Object.assign(payment, {
          status: 'refunded',
          date: ecpDate(refunded.updatedAt),
          sum: { amount: 0, currency: main.currency },
        })
      const body: Obj = { project_id: projectId, payment }
      const d = dataOf(main)
      if (main.kind === 'payout') body.account = { number: d.accountNumber ?? '' }
      body.customer =
        d.customer.phone !== undefined ? { id: d.customer.id, phone: d.customer.phone } : { id: d.customer.id }
      body.operations = [renderOperation(main), ...refunds.map(renderOperation)]
      return json(c, JSON.stringify(signCallback(body, String(merchant.secretKey))))
    }),
  )

  // --- Gate: additional payment information (the answer to a clarification callback) ----------
  app.post(
    '/v2/payment/clarification',
    gateRoute(async (c, { body, projectId, paymentId, ids }) => {
      if (c.get('journal')) c.get('journal').operation = 'clarification'
      const tx = paymentOf(String(projectId), paymentId)
      if (!tx) throw new Refusal('3061', `project ${projectId} has no payment "${paymentId}"`)
      if (c.get('journal')) c.get('journal').transactionId = tx.id
      const asked = clarificationOf(tx)
      if (tx.kind !== 'sale' || tx.status !== 'pending' || !asked?.awaiting)
        throw new Refusal(
          '3060',
          `payment "${paymentId}" is not awaiting clarification (it is ${nativeState(tx).paymentStatus}); send additional_data only after a callback with status "awaiting clarification"`,
        )
      const read = readClarificationAnswer(body, asked.fields)
      if ('problem' in read) throw new Refusal(read.code, read.problem)
      asked.awaiting = false
      asked.answers = read.answers
      port.transactions.save(tx)
      // The follow-on callback: the Gate continues as without clarification (redirect_data).
      port.callbacks.send(tx)
      await port.commit()
      c.get('journal')?.notes.push(
        `clarification answered (${asked.fields.join(', ')}): the redirect_data callback follows`,
      )
      return json(c, acceptedBody(ids.requestId, projectId, paymentId))
    }),
  )

  return app
}
