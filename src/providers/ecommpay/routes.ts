import {
  clarificationInputs,
  clarificationOf,
  customerParams,
  FIELD_LABELS,
  missingCustomerFields,
  pageAnswers,
  readClarificationAnswer,
} from './clarification.js'
import { customerMode } from '../seed-rules.js'
import { Hono, type Context } from 'hono'
import { html } from 'hono/html'
import type { SandboxEnv } from '../../engine/env.js'
import { Refusal } from '../kit/refusal.js'
import type { Decision } from '../../engine/scenarios.js'
import type { NeutralStatus } from '../../engine/types.js'
import { FINAL_STATUSES } from '../../engine/types.js'
import { actions, facts, page } from '../../ui/page.js'
import { callbackUrlOf } from './callbacks.js'
import { parsePaymentPageQuery, signCallback, verifyGateRequest, verifyPaymentPageQuery } from './crypto.js'
import {
  BANKS,
  CODES,
  CURRENCY,
  METHOD_CODE,
  OPERATION_ID_BASE,
  PAYOUT_MAX,
  PAYOUT_MIN,
  acceptedBody,
  bankName,
  bankPageUrl,
  dataOf,
  ecpDate,
  errorBody,
  money,
  nativeState,
  nextWorkingTime,
  renderOperation,
  renderPayment,
  requestId,
  type EcommpayMerchant,
  type EcommpayPort,
  type EcommpayTransaction,
  type EcommpayTxData,
  type GateErrorCode,
} from './wire.js'
import { parseJson } from '../../wire/limits.js'

const PROVIDER = 'ecommpay'
type C = Context<SandboxEnv>
type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** What a Gate error reply echoes. */
interface Ids {
  requestId: string
  projectId: number | null
  paymentId: string | null
}

/** HTTP 400 (or `status`) with ECommPay's error envelope; the reason goes to the journal. Not signed. */
export function refuse(c: C, code: GateErrorCode, why: string, ids: Ids, status: 400 | 404 | 500 = 400): Response {
  c.var.journal?.notes.push(`${code} ${CODES[code]}: ${why}`)
  return c.body(errorBody(code, ids), status, { 'Content-Type': 'application/json' })
}

function json(c: C, text: string): Response {
  return c.body(text, 200, { 'Content-Type': 'application/json' })
}

// ---------------------------------------------------------------------------------------------
// Field readers: each throws a Refusal naming the field.

function object(parent: Obj, name: string, path: string): Obj {
  const v = parent[name]
  if (v === undefined || v === null) throw new Refusal('2004', `the "${path}" object is required`)
  if (!isObj(v)) throw new Refusal('502', `"${path}" must be a JSON object, got ${describe(v)}`)
  return v
}

function optionalObject(parent: Obj, name: string, path: string): Obj | undefined {
  const v = parent[name]
  if (v === undefined || v === null) return undefined
  if (!isObj(v)) throw new Refusal('502', `"${path}" must be a JSON object, got ${describe(v)}`)
  return v
}

/** A text field; an integer is accepted and written as its digits (the signature reads it the same). */
function text(parent: Obj, name: string, path: string, required: true, max?: number): string
function text(parent: Obj, name: string, path: string, required: false, max?: number): string | undefined
function text(parent: Obj, name: string, path: string, required: boolean, max = 2048): string | undefined {
  const v = parent[name]
  if (v === undefined || v === null || v === '') {
    if (required) throw new Refusal('2004', `"${path}" is required${v === '' ? ' and must not be empty' : ''}`)
    return undefined
  }
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v)
  if (typeof v !== 'string') throw new Refusal('502', `"${path}" must be a string, got ${describe(v)}`)
  if (v.length > max)
    throw new Refusal('502', `"${path}" is ${v.length} characters long; the sandbox accepts at most ${max}`)
  return v
}

/** A positive whole number (minor units, ids): a JSON integer, or a string of digits. */
function integer(parent: Obj, name: string, path: string, required: true): number
function integer(parent: Obj, name: string, path: string, required: false): number | undefined
function integer(parent: Obj, name: string, path: string, required: boolean): number | undefined {
  const v = parent[name]
  if (v === undefined || v === null || v === '') {
    if (required) throw new Refusal('2004', `"${path}" is required`)
    return undefined
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : NaN
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Refusal(
      '502',
      `"${path}" must be a positive whole number (amounts in minor units: 1500 = 15.00 INR), got ${describe(v)}`,
    )
  return n
}

function currency(parent: Obj, path: string): string {
  const v = text(parent, 'currency', path, true, 16)
  if (!/^[A-Z]{3}$/.test(v)) throw new Refusal('3121', `"${path}" is "${v}": not an ISO-4217 alpha-3 code (INR)`)
  if (v !== CURRENCY) throw new Refusal('3023', `"${path}" is ${v}; Banks of India accepts INR only`)
  return v
}

function bankId(value: unknown, path: string): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,6}$/.test(value.trim())
        ? Number(value)
        : NaN
  if (!BANKS.some((b) => b.id === n))
    throw new Refusal(
      '2801',
      `${path} ${describe(value)} is not a bank of Banks of India; the banks are ${BANKS.map((b) => `${b.id} ${b.name}`).join(', ')}`,
    )
  return n
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)
  return `${typeof v} ${String(v)}`
}

/** A Gate request after transport, JSON, project and signature checks. */
interface GateRequest {
  body: Obj
  general: Obj
  merchant: EcommpayMerchant
  projectId: number
  paymentId: string
  ids: Ids
}

/**
 * ECommPay Gate (`/v2/…`) and Payment Page (`/payment`) routes, with the bank page the customer
 * approves, declines or abandons a purchase on.
 */
export function ecommpayRoutes(port: EcommpayPort): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()

  /** Opens a sale, refund or payout the scenario decided, and notes it and its callback target in the journal. */
  const openOperation = async (
    c: C,
    merchant: EcommpayMerchant,
    decision: Decision,
    data: EcommpayTxData,
    op: {
      kind: string
      reference: string
      operationId: number
      amount: number
      currency: string
      initial: NeutralStatus
    },
  ): Promise<EcommpayTransaction> => {
    const tx = await port.transactions.open(
      {
        merchant: merchant.id,
        kind: op.kind,
        reference: op.reference,
        providerRef: String(op.operationId),
        amount: op.amount,
        currency: op.currency,
        callbackUrl: callbackUrlOf(data, merchant),
        initial: op.initial,
        data: data,
      },
      decision,
    )
    if (c.var.journal) c.var.journal.transactionId = tx.id
    noteCallbackTarget(c, tx, merchant)
    return tx
  }
  const newRequestId = (projectId: string, paymentId: string) =>
    requestId(projectId, paymentId, port.counters.next('ecommpay.request'))
  const newOperationId = () => OPERATION_ID_BASE + port.counters.next('ecommpay.operation')

  /** Transport, JSON, `general`, project and signature; every failure answered in the Gate's envelope. */
  const readGate = async (c: C): Promise<GateRequest | Response> => {
    const early: Ids = { requestId: newRequestId('', ''), projectId: null, paymentId: null }
    const type = c.req.header('content-type')
    if (type !== undefined && !/^\s*application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type))
      return refuse(
        c,
        '702',
        `Content-Type is "${type}"; Gate requests are JSON: send Content-Type: application/json`,
        early,
      )
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    let textBody: string
    try {
      textBody = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      return refuse(c, '2003', 'the body is not valid UTF-8 text; Gate requests are UTF-8 JSON', early)
    }
    if (!textBody.trim()) return refuse(c, '2003', 'the body is empty; send the request as a JSON object', early)
    let body: unknown
    try {
      body = parseJson(textBody)
    } catch (e) {
      return refuse(c, '2003', `the body is not JSON (${(e as Error).message})`, early)
    }
    if (!isObj(body))
      return refuse(
        c,
        '702',
        `the body is ${describe(body)}; a Gate request is a JSON object with "general" and the operation's objects`,
        early,
      )
    const general = body.general
    if (!isObj(general))
      return refuse(
        c,
        general === undefined || general === null ? '2004' : '502',
        'the "general" object (project_id, payment_id, signature) is required',
        early,
      )
    const paymentIdRaw = general.payment_id
    const paymentIdGuess =
      typeof paymentIdRaw === 'string' ? paymentIdRaw : typeof paymentIdRaw === 'number' ? String(paymentIdRaw) : null
    const rawProject = general.project_id
    const projectId =
      typeof rawProject === 'number'
        ? rawProject
        : typeof rawProject === 'string' && /^\d{1,15}$/.test(rawProject)
          ? Number(rawProject)
          : NaN
    const ids: Ids = {
      requestId: early.requestId,
      projectId: Number.isSafeInteger(projectId) ? projectId : null,
      paymentId: paymentIdGuess,
    }
    if (c.var.journal && paymentIdGuess) c.var.journal.reference = paymentIdGuess
    if (rawProject === undefined || rawProject === null)
      return refuse(c, '2004', '"general.project_id" is required (the default test project is 112)', ids)
    if (!Number.isSafeInteger(projectId) || projectId <= 0)
      return refuse(c, '502', `"general.project_id" must be a whole number, got ${describe(rawProject)}`, ids)
    if (c.var.journal) c.var.journal.merchant = String(projectId)
    const merchant = port.merchants.get(String(projectId))
    if (!merchant)
      return refuse(
        c,
        '2442',
        `no ECommPay project ${projectId} in the sandbox; the default test project is 112 (GET /_sandbox/merchants)`,
        ids,
      )
    const verdict = verifyGateRequest(body, String(merchant.secretKey), { secretLabel: `project ${projectId}` })
    if (c.var.journal) c.var.journal.auth = { ok: verdict.valid, explanation: verdict.explanation }
    if (!verdict.valid) {
      const code: GateErrorCode = verdict.code === '3262' ? '3262' : verdict.code === '3261' ? '3261' : '702'
      return refuse(
        c,
        code,
        "the signature check failed (the journal entry's auth explanation shows the expected signature base string)",
        ids,
      )
    }
    let paymentId: string
    try {
      paymentId = text(general, 'payment_id', 'general.payment_id', true, 255)
    } catch (e) {
      if (e instanceof Refusal) return refuse(c, e.code, e.why, ids)
      throw e
    }
    return {
      body,
      general,
      merchant,
      projectId,
      paymentId,
      ids: { ...ids, requestId: newRequestId(String(projectId), paymentId) },
    }
  }

  /** Runs a Gate handler: readGate, then `handle`, turning a thrown Refusal into the error reply. */
  const gateRoute = (handle: (c: C, r: GateRequest) => Promise<Response>) => async (c: C) => {
    const r = await readGate(c)
    if (r instanceof Response) return r
    try {
      return await handle(c, r)
    } catch (e) {
      if (e instanceof Refusal) return refuse(c, e.code, e.why, r.ids)
      throw e
    }
  }

  /** The merchant's sale or payout with this payment_id (refunds share it), newest first. */
  const paymentOf = (projectId: string, paymentId: string) =>
    port.transactions.byReference(projectId, paymentId).find((t) => t.kind !== 'refund')
  /** Claims a sale's or payout's payment_id for this request; false when a payment holds it already. */
  const reservePayment = (c: C, projectId: string, paymentId: string) =>
    port.reserve(c, { merchant: projectId, reference: paymentId }, (t) => t.kind !== 'refund')
  const refundsOf = (projectId: string, paymentId: string) =>
    port.transactions
      .byReference(projectId, paymentId)
      .filter((t) => t.kind === 'refund')
      .reverse()

  const noteCallbackTarget = (c: C, tx: EcommpayTransaction, merchant: EcommpayMerchant) => {
    if (dataOf(tx).callbackDisabled)
      c.var.journal?.notes.push('callback.force_disable is set: no callbacks will be sent for this payment')
    else if (!callbackUrlOf(tx, merchant))
      c.var.journal?.notes.push(
        `no callback URL: send general.merchant_callback_url, or set the project's callbackUrl (PATCH /_sandbox/merchants/ecommpay/${merchant.id} {"callbackUrl":"http://localhost:4000/cb"}); no callbacks will be sent`,
      )
  }

  const callbackSettings = (general: Obj, body: Obj): Pick<EcommpayTxData, 'callbackUrl' | 'callbackDisabled'> => {
    const url = text(general, 'merchant_callback_url', 'general.merchant_callback_url', false)
    const cb = optionalObject(body, 'callback', 'callback')
    const disabled = cb ? cb.force_disable === 1 || cb.force_disable === true || cb.force_disable === '1' : false
    return { callbackUrl: url, callbackDisabled: disabled || undefined }
  }

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
      if (!reservePayment(c, String(projectId), paymentId))
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
          c.var.journal?.notes.push(
            `customer.${missing.join(', customer.')} missing (the project's clarificationFields): the clarification callback lists them; answer with POST /v2/payment/clarification {"general":…,"additional_data":{"customer":{…}}}`,
          )
        c.var.journal?.notes.push(
          `the customer is sent to ${bankPageUrl(tx)} by the redirect_data callback${bank ? ` (bank ${bank} ${bankName(bank)})` : ' (no account.bank_id: the page asks for the bank first)'}`,
        )
        return json(c, acceptedBody(ids.requestId, projectId, paymentId))
      })
    }),
  )

  /** Opens a sale (Gate or Payment Page) and sends the Gate's redirect callback. */
  const openSale = async (
    c: C,
    merchant: EcommpayMerchant,
    decision: Decision,
    input: {
      paymentId: string
      amount: number
      currency: string
      data: Omit<EcommpayTxData, 'operationId' | 'origin'>
    },
  ): Promise<EcommpayTransaction> => {
    const operationId = newOperationId()
    const data: EcommpayTxData = { ...input.data, operationId, origin: new URL(c.req.url).origin }
    const tx = await openOperation(c, merchant, decision, data, {
      kind: 'sale',
      reference: input.paymentId,
      operationId,
      amount: input.amount,
      currency: input.currency,
      initial: 'pending',
    })
    if (data.channel === 'gate' && tx.status === 'pending') {
      port.callbacks.send(tx)
      await port.commit()
    }
    return tx
  }

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
      if (!reservePayment(c, String(projectId), paymentId))
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
            c.var.journal?.notes.push(
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
        const tx = await openOperation(c, merchant, decision, data, {
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
      if (!port.reserve(c, { merchant: String(projectId), reference: paymentId, scope: 'refund' }, () => false))
        throw new Refusal(
          '3060',
          `payment "${paymentId}" has a refund in progress; Banks of India allows one full refund`,
        )
      if (
        merchantRefundId &&
        port.transactions
          .list({ merchant: merchant.id, kind: 'refund' })
          .some((r) => dataOf(r).merchantRefundId === merchantRefundId)
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
        c.var.journal?.notes.push(
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
        const tx = await openOperation(c, merchant, decision, data, {
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
        c.var.journal?.notes.push(
          `payment.amount ${amount} is outside the payout limits ${PAYOUT_MIN}–${PAYOUT_MAX}; the list is answered anyway (a payout of that amount would be refused)`,
        )
      if (c.var.journal) c.var.journal.operation = `${operation} bank list`
      return json(c, JSON.stringify(BANKS.map((b) => ({ id: b.id, name: b.name }))))
    })
  app.post('/v2/info/banks/india/sale/list', bankList('sale'))
  app.post('/v2/info/banks/india/payout/list', bankList('payout'))

  // --- Gate: payment status -----------------------------------------------------------------
  app.post(
    '/v2/payment/status',
    gateRoute(async (c, { merchant, projectId, paymentId }) => {
      if (c.var.journal) c.var.journal.operation = 'status'
      const main = paymentOf(String(projectId), paymentId)
      if (!main)
        throw new Refusal(
          '3061',
          `project ${projectId} has no payment "${paymentId}" (a Payment Page that was opened but where no bank was chosen has no payment yet)`,
        )
      if (c.var.journal) c.var.journal.transactionId = main.id
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
      if (c.var.journal) c.var.journal.operation = 'clarification'
      const tx = paymentOf(String(projectId), paymentId)
      if (!tx) throw new Refusal('3061', `project ${projectId} has no payment "${paymentId}"`)
      if (c.var.journal) c.var.journal.transactionId = tx.id
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
      c.var.journal?.notes.push(
        `clarification answered (${asked.fields.join(', ')}): the redirect_data callback follows`,
      )
      return json(c, acceptedBody(ids.requestId, projectId, paymentId))
    }),
  )

  // --- Payment Page -------------------------------------------------------------------------
  app.get('/payment', (c) => paymentPage(c))
  app.post('/payment', (c) => paymentPage(c))

  const paymentPage = async (c: C): Promise<Response> => {
    const url = new URL(c.req.url)
    const params = parsePaymentPageQuery(url)
    const fail = (code: string, why: string, status: 400 | 404 | 409 = 400) => errorPage(c, code, why, status)
    if (c.var.journal) {
      c.var.journal.operation = 'payment page'
      if (params.payment_id) c.var.journal.reference = params.payment_id
    }
    const projectText = params.project_id
    if (!projectText) return fail('2004', 'the project_id parameter is required (the default test project is 112)')
    if (c.var.journal) c.var.journal.merchant = projectText
    const merchant = /^\d{1,15}$/.test(projectText) ? port.merchants.get(projectText) : undefined
    if (!merchant)
      return fail('2442', `no ECommPay project "${projectText}" in the sandbox; the default test project is 112`)
    const verdict = verifyPaymentPageQuery(url, String(merchant.secretKey), { secretLabel: `project ${merchant.id}` })
    if (c.var.journal) c.var.journal.auth = { ok: verdict.valid, explanation: verdict.explanation }
    if (!verdict.valid) return fail(verdict.code ?? '702', verdict.explanation)
    const missing = ['payment_id', 'payment_amount', 'payment_currency', 'customer_id'].filter((k) => !params[k])
    if (missing.length) return fail('2004', `required parameters missing: ${missing.join(', ')}`)
    const paymentId = params.payment_id
    if (paymentId.length > 255) return fail('502', 'payment_id is longer than 255 characters')
    if (!/^\d{1,15}$/.test(params.payment_amount) || Number(params.payment_amount) <= 0)
      return fail(
        '502',
        `payment_amount "${params.payment_amount.slice(0, 40)}" is not a positive whole number of minor units (200000 = 2000.00 INR)`,
      )
    const amount = Number(params.payment_amount)
    if (!/^[A-Z]{3}$/.test(params.payment_currency))
      return fail('3121', `payment_currency "${params.payment_currency.slice(0, 40)}" is not an ISO-4217 alpha-3 code`)
    if (params.payment_currency !== CURRENCY)
      return fail('3023', `payment_currency is ${params.payment_currency}; Banks of India accepts INR only`)
    const force = params.force_payment_method
    if (force !== undefined && force !== METHOD_CODE)
      return fail(
        '2541',
        `force_payment_method is "${force.slice(0, 60)}"; the sandbox emulates the Banks of India method only (force_payment_method=${METHOD_CODE})`,
      )
    let split = false
    let ids: number[] | undefined
    if (params.payment_methods_options !== undefined) {
      let options: unknown
      try {
        options = parseJson(params.payment_methods_options)
      } catch {
        return fail('502', `payment_methods_options is not JSON: ${params.payment_methods_options.slice(0, 80)}`)
      }
      const banksOptions = isObj(options) ? options.online_indian_banks : undefined
      if (!isObj(options) || (banksOptions !== undefined && !isObj(banksOptions)))
        return fail(
          '502',
          'payment_methods_options must be a JSON object such as {"online_indian_banks": {"split_banks": true, "banks_id": [416, 415]}}',
        )
      if (banksOptions) {
        split =
          banksOptions.split_banks === true || banksOptions.split_banks === 1 || banksOptions.split_banks === 'true'
        const raw = banksOptions.banks_id
        if (raw !== undefined && raw !== null) {
          const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw]
          try {
            ids = list.map((v, i) =>
              bankId(
                typeof v === 'string' ? v.trim() : v,
                `payment_methods_options online_indian_banks.banks_id[${i}]`,
              ),
            )
          } catch (e) {
            if (e instanceof Refusal) return fail(e.code, e.why)
            throw e
          }
        }
      }
    }
    const banks = ids ? BANKS.filter((b) => ids!.includes(b.id)) : [...BANKS]

    const existing = paymentOf(merchant.id, paymentId)
    if (existing) {
      if (existing.kind === 'sale' && dataOf(existing).channel === 'page' && existing.status === 'pending')
        return c.redirect(`/payment/bank/${dataOf(existing).operationId}`, 303)
      return fail(
        '3041',
        `payment_id "${paymentId}" was already used in project ${merchant.id}; payment ids are unique within a project`,
        409,
      )
    }
    if (!reservePayment(c, merchant.id, paymentId))
      return fail('3041', `payment_id "${paymentId}" is being opened by another request in project ${merchant.id}`, 409)

    const open = (bank: number | undefined) => {
      const request = {
        general: { project_id: Number(merchant.id), payment_id: paymentId },
        payment: { amount, currency: CURRENCY, description: params.payment_description ?? '' },
        customer: { id: params.customer_id, phone: params.customer_phone },
        account: bank ? { bank_id: bank } : undefined,
        page: params,
      }
      const decision = port.decide(c, {
        operation: 'sale',
        merchant: merchant.id,
        reference: paymentId,
        amount,
        currency: CURRENCY,
        customer: customerMode(merchant),
        request,
      })
      return port.respond(c, decision, async () => {
        const tx = await openSale(c, merchant, decision, {
          paymentId,
          amount,
          currency: CURRENCY,
          data: {
            channel: 'page',
            requestId: newRequestId(merchant.id, paymentId),
            description: params.payment_description ?? '',
            customer: params.customer_phone
              ? { id: params.customer_id, phone: params.customer_phone }
              : { id: params.customer_id },
            bankId: bank,
            returnUrls: {
              success: params.redirect_success_url || params.merchant_success_url || undefined,
              decline: params.redirect_fail_url || params.merchant_fail_url || undefined,
              return: params.merchant_return_url || undefined,
            },
            callbackUrl: params.merchant_callback_url || undefined,
            ...(pageMissing.length ? { clarification: { fields: pageMissing, awaiting: false, answers } } : {}),
          },
        })
        return c.redirect(`/payment/bank/${dataOf(tx).operationId}`, 303)
      })
    }

    // Clarification on the page: the project's clarificationFields the query lacks are asked of
    // the customer in input fields, sent with the bank choice (seed 002 l.201).
    const pageMissing = missingCustomerFields(merchant, customerParams(params))
    const form: Record<string, unknown> =
      c.req.method === 'POST' ? await c.req.parseBody().catch(() => ({}) as Record<string, unknown>) : {}
    const answers = pageAnswers(pageMissing, form)
    const stillMissing = pageMissing.filter((f) => !answers[f])
    if (c.req.method === 'POST' && stillMissing.length) {
      c.var.journal?.notes.push(
        `the page asked the customer for ${stillMissing.map((f) => `customer_${f}`).join(', ')} (clarificationFields) and the form lacks them`,
      )
      return choicePage(`Fill in ${stillMissing.map((f) => FIELD_LABELS[f] ?? f).join(', ')}.`, 400)
    }
    if (c.req.method === 'POST') {
      const chosen = form.bank_id
      if (chosen === undefined || chosen === '') return open(ids && ids.length === 1 ? ids[0] : undefined)
      try {
        const bank = bankId(chosen, 'bank_id')
        if (!banks.some((b) => b.id === bank))
          throw new Refusal('2801', `bank ${bank} is not offered on this page (banks_id)`)
        return open(bank)
      } catch (e) {
        if (e instanceof Refusal) return fail(e.code, e.why)
        throw e
      }
    }
    if (force === METHOD_CODE && ids && banks.length === 1 && pageMissing.length === 0) {
      c.var.journal?.notes.push(
        `force_payment_method=${METHOD_CODE} with one bank in banks_id: the customer goes straight to bank ${banks[0].id} (${banks[0].name})`,
      )
      return open(banks[0].id)
    }

    return choicePage()

    function choicePage(notice?: string, status: 200 | 400 = 200) {
      const eachBank = force === METHOD_CODE || split || ids !== undefined
      const title = force === METHOD_CODE ? 'Choose your bank' : 'Choose a payment method'
      return c.html(
        page(
          title,
          html`${facts([
              ['Project', merchant!.id],
              ['Payment ID', paymentId],
              ['Amount', money(amount, CURRENCY)],
              ['Description', params.payment_description],
            ])}
            ${notice ? html`<p id="notice">${notice}</p>` : ''}
            <form method="post" action="${url.pathname + url.search}">
              ${clarificationInputs(pageMissing, answers)}
              ${
                eachBank
                  ? banks.map(
                      (b) =>
                        html`<button type="submit" name="bank_id" value="${b.id}" id="bank-${b.id}" class="plain">
                          ${b.name}
                        </button> `,
                    )
                  : html`<button type="submit" name="bank_id" value="" id="method-${METHOD_CODE}" class="primary">
                      Banks of India
                    </button>`
              }
            </form>`,
          'ECommPay Payment Page',
        ),
        status,
      )
    }
  }

  // --- Bank page (redirect target of Gate sales and Payment Page purchases) -----------------
  const findSale = (c: C): EcommpayTransaction | undefined => {
    const tx = port.transactions.byProviderRef(c.req.param('operationId') ?? '')
    if (!tx || tx.kind !== 'sale') return undefined
    if (c.var.journal) {
      c.var.journal.transactionId = tx.id
      c.var.journal.reference = tx.reference
      c.var.journal.merchant = tx.merchant
      c.var.journal.operation = 'bank page'
    }
    return tx
  }

  const bankPage = (c: C, tx: EcommpayTransaction, notice?: string, status: 200 | 400 | 409 = 200) => {
    const d = dataOf(tx)
    const final = FINAL_STATUSES.has(tx.status)
    const state = nativeState(tx)
    const body = html`${facts([
        ['Project', tx.merchant],
        ['Payment ID', tx.reference],
        ['Amount', money(tx.amount, tx.currency)],
        ['Bank', d.bankId ? `${bankName(d.bankId)} (${d.bankId})` : undefined],
      ])}
      <p class="status" id="status">
        Status: ${state.paymentStatus}${final ? ` (code ${state.code}: ${state.message})` : ''}
      </p>
      ${notice ? html`<p id="notice">${notice}</p>` : ''}
      ${
        final
          ? ''
          : d.bankId === undefined
            ? html`<form method="post">
                ${BANKS.map((b) => html`<button type="submit" name="bank_id" value="${b.id}" id="bank-${b.id}" class="plain">${b.name}</button> `)}
              </form>`
            : actions([
                { value: 'approve', label: 'Approve', kind: 'primary' },
                { value: 'decline', label: 'Decline', kind: 'danger' },
                { value: 'abandon', label: 'Abandon' },
              ])
      }`
    const title = final
      ? 'Payment finished'
      : d.bankId === undefined
        ? 'Choose your bank'
        : `${bankName(d.bankId)}: confirm the payment`
    return c.html(page(title, body, 'ECommPay · Banks of India'), status)
  }

  const notFoundPage = (c: C) =>
    c.html(
      page(
        'Payment not found',
        html`<p id="notice">No Banks of India purchase ${c.req.param('operationId')} is waiting here.</p>`,
        'ECommPay · Banks of India',
      ),
      404,
    )

  app.get('/payment/bank/:operationId', (c) => {
    const tx = findSale(c)
    return tx ? bankPage(c, tx) : notFoundPage(c)
  })

  app.post('/payment/bank/:operationId', async (c) => {
    const tx = findSale(c)
    if (!tx) return notFoundPage(c)
    const d = dataOf(tx)
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    if (FINAL_STATUSES.has(tx.status))
      return bankPage(c, tx, `This payment is already ${nativeState(tx).paymentStatus}.`, 409)
    if (clarificationOf(tx)?.awaiting)
      return bankPage(c, tx, 'This payment is awaiting additional information from the merchant.', 409)
    if (form.bank_id !== undefined && d.bankId === undefined) {
      try {
        d.bankId = bankId(form.bank_id, 'bank_id')
      } catch (e) {
        if (e instanceof Refusal) return bankPage(c, tx, `Choose one of the listed banks (${e.why}).`, 400)
        throw e
      }
      port.transactions.save(tx)
      await port.commit()
      c.var.journal?.notes.push(`the customer chose bank ${d.bankId} (${bankName(d.bankId)})`)
      return c.redirect(`/payment/bank/${d.operationId}`, 303)
    }
    const action = form.action
    if (d.bankId === undefined) return bankPage(c, tx, 'Choose your bank first.', 400)
    if (action !== 'approve' && action !== 'decline' && action !== 'abandon')
      return bankPage(c, tx, 'Choose Approve, Decline or Abandon.', 400)
    c.var.journal?.notes.push(`the customer pressed ${action} on the bank page`)
    if (action === 'abandon') {
      c.var.journal?.notes.push(
        'the payment stays "awaiting redirect result" and is declined at the 60-minute threshold unless the page or the admin API decides it first',
      )
      return d.returnUrls.return
        ? c.redirect(d.returnUrls.return, 303)
        : bankPage(
            c,
            tx,
            'You left the bank page. The payment is declined automatically when its 60-minute threshold passes.',
          )
    }
    await port.transactions.transition(tx, action === 'approve' ? 'approved' : 'declined', { source: 'page' })
    const target = action === 'approve' ? d.returnUrls.success : (d.returnUrls.decline ?? d.returnUrls.return)
    return target ? c.redirect(target, 303) : bankPage(c, tx)
  })

  return app
}

/** A Payment Page error: HTML with the code, its message and the plain-words reason. */
export function errorPage(
  c: C,
  code: string,
  why: string,
  status: 400 | 404 | 409 | 500 = 400,
): Response | Promise<Response> {
  c.var.journal?.notes.push(`${code} ${CODES[code] ?? ''}: ${why}`)
  return c.html(
    page(
      'Payment cannot be processed',
      html`<p class="status" id="error">
          Error <span id="code">${code}</span>: <span id="message">${CODES[code] ?? 'Error'}</span>
        </p>
        <pre style="white-space:pre-wrap;font-size:.85rem">${why}</pre>`,
      'ECommPay Payment Page',
    ),
    status,
  )
}
