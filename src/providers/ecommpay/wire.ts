import { clarificationFieldsBody } from './clarification.js'
import { createHash } from 'node:crypto'
import type { ProviderPort } from '../../engine/port.js'
import type { CommonSettings, Merchant, NeutralStatus, Transaction } from '../../engine/types.js'

/** The seed's Table 1 "List of banks", in the table's order (ids 401–416). */
export const BANKS: ReadonlyArray<{ id: number; name: string }> = [
  { id: 401, name: 'Axis Bank' },
  { id: 416, name: 'Bank of Baroda' },
  { id: 408, name: 'Bank of India' },
  { id: 405, name: 'Canara Bank' },
  { id: 414, name: 'Central Bank of India' },
  { id: 412, name: 'HDFC Bank' },
  { id: 406, name: 'ICICI Bank' },
  { id: 409, name: 'IDBI Bank' },
  { id: 402, name: 'Indian Bank' },
  { id: 411, name: 'Karnataka Bank' },
  { id: 404, name: 'Kotak Mahindra Bank' },
  { id: 407, name: 'Punjab National Bank' },
  { id: 410, name: 'Standard Charter Bank' },
  { id: 403, name: 'State Bank of India' },
  { id: 415, name: 'Union Bank of India' },
  { id: 413, name: 'Yes Bank' },
]

export const bankName = (id: number | undefined) => BANKS.find((b) => b.id === id)?.name

/** The only currency of the method (seed: "Payment currencies INR"). */
export const CURRENCY = 'INR'
/** Payout limits in minor units (seed: 1,000.00 – 500,000.00 INR). */
export const PAYOUT_MIN = 100_000
export const PAYOUT_MAX = 50_000_000
/** The Payment Page code of the method (seed: `force_payment_method=online-indian-banks`). */
export const METHOD_CODE = 'online-indian-banks'
/** `payment.method` in callbacks, as in the seed's examples. */
const METHOD_NAME = 'India banks'
/** `operation.provider.id` in callbacks, as in the seed's examples. */
const PROVIDER_ID = 2080
/** Operation ids look like the seed's refund example (90266010010271) and stay below 2^53. */
export const OPERATION_ID_BASE = 90_266_010_010_000

/**
 * Request-level codes (research §3.4) the Gate answers with, and their messages, plus the result
 * codes the sandbox puts in `operation.code` of callbacks.
 */
export const CODES: Record<string, string> = {
  '0': 'Success',
  '501': 'Internal error',
  '502': 'Validation error',
  '702': 'Malformed request',
  '2003': 'Invalid JSON string',
  '2004': 'Required field not provided',
  '2442': 'Project ID not found',
  '2541': 'Unknown Payment Method',
  '2642': 'Operation amount is greater than limit',
  '2801': 'Bank ID not found',
  '3023': 'Provided currency disabled for Project ID',
  '3041': 'Payment ID already exists',
  '3060': 'Current payment or operation status does not allow this action',
  '3061': 'Transaction not found',
  '3121': 'Invalid currency',
  '3191': 'Need clarification',
  '3230': 'The operation with such merchant_refund_id already exists',
  '3261': 'Invalid signature',
  '3262': 'Empty signature',
  '3283': 'Refund amount more than init amount',
  '3284': 'Refund currency mismatched or empty',
  '3358': 'Operation amount is less than limit',
  '3609': 'Operation amount must be equal to the initial amount',
  '9999': 'Awaiting processing',
  '20000': 'General decline',
  '20100': 'Declined by external provider',
  '20101': 'Decline due to amount or frequency limit',
  '20102': 'Incorrect account data entered',
  '20103': 'Incorrect login or password',
  '20105': 'Insufficient funds on customer account',
  '20106': 'Customer account is no longer available',
  '20201': 'Restrictions for the customer account',
  '20202': 'PSP system is unavailable',
  '20301': 'Account owner cancelled operation',
  '20401': 'Declined by PSP risk system',
  '20602': 'Time-out',
}

/** Codes a Gate request can be refused with (synchronous HTTP 400 error reply). */
export type GateErrorCode =
  | '501'
  | '502'
  | '702'
  | '2003'
  | '2004'
  | '2442'
  | '2541'
  | '2642'
  | '2801'
  | '3023'
  | '3041'
  | '3060'
  | '3061'
  | '3121'
  | '3230'
  | '3261'
  | '3262'
  | '3284'
  | '3358'
  | '3609'

/** Native status names a scenario or the admin API may use, with the neutral status each means. */
export const NATIVE_STATUSES: Record<string, NeutralStatus> = {
  success: 'approved',
  decline: 'declined',
  'awaiting redirect result': 'pending',
  'awaiting clarification': 'pending',
  processing: 'processing',
  error: 'failed',
  'external error': 'failed',
  'internal error': 'failed',
  expired: 'expired',
  cancelled: 'cancelled',
  refunded: 'refunded',
}

/** What the sandbox keeps of a sale, payout or refund to render it again. */
export interface EcommpayTxData {
  /** `gate` (Gate request) or `page` (Payment Page). */
  channel: 'gate' | 'page'
  operationId: number
  requestId: string
  description: string
  customer: { id: string; phone?: string }
  /** Payouts: the recipient account number (callbacks show `account.number`). */
  accountNumber?: string
  /** The bank chosen (sale: optional until the customer picks one; payout: required). */
  bankId?: number
  /** `general.merchant_callback_url` / `merchant_callback_url`; else the project's `callbackUrl`. */
  callbackUrl?: string
  /** `callback.force_disable: 1` in a Gate request. */
  callbackDisabled?: boolean
  /** Where the bank page sends the customer back. */
  returnUrls: { success?: string; decline?: string; return?: string }
  /** Base URL the request came to; `redirect_data.url` points there. */
  origin: string
  /** Refunds: the sale they refund. */
  sale?: { transactionId: string; operationId: number; amount: number; requestId: string }
  merchantRefundId?: string
  /** Payouts accepted outside working hours: when processing starts (clock ms). */
  heldUntil?: number
  /** `operation.provider.id`; default {@link PROVIDER_ID} (the seed's refund example shows 1751). */
  providerId?: number
  /** `operation.provider.payment_id` once successful; generated when absent. */
  providerPaymentId?: string
  /** Sales: the customer fields the project needed and the request lacked (see clarification.ts). */
  clarification?: { fields: string[]; awaiting: boolean; answers?: Record<string, string> }
}

/** An ECommPay project's settings (the merchant id is the project id). */
export interface EcommpaySettings {
  name: string
  /** Key of the HMAC-SHA512 signatures of requests, answers and callbacks. */
  secretKey: string
  /** Where callbacks go when a request names no `callback_url`; empty for none. */
  callbackUrl: string
  /** Hold payouts accepted outside India's banking hours until they open. */
  payoutWorkingHours: boolean
  /** Customer fields a sale must carry, else the Gate asks for them (clarification). */
  clarificationFields: string[]
}

export type EcommpayMerchant = Merchant<EcommpaySettings & CommonSettings>
export type EcommpayTransaction = Transaction<EcommpayTxData>
export type EcommpayPort = ProviderPort<EcommpayTxData, EcommpaySettings & CommonSettings>

/** The provider's data of a transaction (typed: `tx.data` itself). */
export const dataOf = (tx: EcommpayTransaction) => tx.data

/** `2020-05-13T09:06:45+0000`, the seed's date format (UTC). */
export function ecpDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+0000`
}

/** A request id like the seed's `7b0f630c3f2f395bba2738cf90866bd4dd50bd3-00000001`. */
export function requestId(projectId: string, paymentId: string, n: number): string {
  return `${createHash('sha1').update(`${projectId}\0${paymentId}\0${n}`).digest('hex')}-${String(n % 100_000_000).padStart(8, '0')}`
}

/** The statuses and result code a transaction shows in callbacks and status replies. */
export interface NativeState {
  paymentStatus: string
  operationStatus: string
  code: string
  message: string
}

/**
 * Neutral (or native) status → ECommPay's payment status, operation status, code and message.
 * Scenario `native.code` / `native.message` override the code of a final decline.
 */
export function nativeState(tx: EcommpayTransaction): NativeState {
  const kind = tx.kind
  const declineMessage = (code: string) =>
    code === '20000'
      ? kind === 'payout'
        ? 'General decline'
        : 'decline'
      : Object.hasOwn(CODES, code)
        ? CODES[code]!
        : 'decline'
  const native = tx.native ?? {}
  const nativeCode =
    typeof native.code === 'string' || typeof native.code === 'number' ? String(native.code) : undefined
  const nativeMessage = typeof native.message === 'string' ? native.message : undefined
  const final = (code: string, fallbackMessage: string) => ({
    code: nativeCode ?? code,
    message: nativeMessage ?? (nativeCode ? declineMessage(nativeCode) : fallbackMessage),
  })
  const saleStatus = kind === 'refund' ? 'success' : undefined
  switch (tx.status) {
    case 'pending':
      if (kind === 'sale' && dataOf(tx).clarification?.awaiting)
        return {
          paymentStatus: 'awaiting clarification',
          operationStatus: 'awaiting clarification',
          code: '3191',
          message: CODES['3191'],
        }
      if (kind === 'sale')
        return {
          paymentStatus: 'awaiting redirect result',
          operationStatus: 'awaiting redirect result',
          code: '9999',
          message: CODES['9999'],
        }
      return {
        paymentStatus: saleStatus ?? 'processing',
        operationStatus: 'processing',
        code: '9999',
        message: CODES['9999'],
      }
    case 'processing':
      return {
        paymentStatus: saleStatus ?? 'processing',
        operationStatus: 'processing',
        code: '9999',
        message: CODES['9999'],
      }
    case 'approved':
      return {
        paymentStatus: kind === 'refund' ? 'refunded' : 'success',
        operationStatus: 'success',
        code: '0',
        message: 'Success',
      }
    case 'declined': {
      const f = final('20000', declineMessage('20000'))
      return { paymentStatus: saleStatus ?? 'decline', operationStatus: 'decline', ...f }
    }
    case 'failed': {
      const f = final('20202', CODES['20202'])
      const op = tx.nativeStatus === 'internal error' ? 'internal error' : 'external error'
      return { paymentStatus: saleStatus ?? 'error', operationStatus: op, ...f }
    }
    case 'expired': {
      if (tx.nativeStatus === 'expired')
        return { paymentStatus: saleStatus ?? 'expired', operationStatus: 'expired', ...final('20602', CODES['20602']) }
      // Seed: "A payment is automatically declined, if its waiting time exceeds the threshold time."
      return { paymentStatus: saleStatus ?? 'decline', operationStatus: 'decline', ...final('20602', CODES['20602']) }
    }
    case 'cancelled':
      return { paymentStatus: saleStatus ?? 'decline', operationStatus: 'decline', ...final('20301', CODES['20301']) }
    case 'refunded':
      return { paymentStatus: 'refunded', operationStatus: 'success', code: '0', message: 'Success' }
  }
}

const sum = (amount: number, currency: string) => ({ amount, currency })

/** `operation.provider`: the bank's payment id once the operation succeeded, else empty. */
function providerBlock(tx: EcommpayTransaction): Record<string, unknown> {
  const d = dataOf(tx)
  const paymentId =
    tx.status === 'approved' || tx.status === 'refunded'
      ? (d.providerPaymentId ?? `15141-${Math.floor(tx.updatedAt / 1000)}-${d.operationId % 1000}`)
      : ''
  return { id: d.providerId ?? PROVIDER_ID, payment_id: paymentId, auth_code: '' }
}

/** The `operation` object, keys in the seed's order. */
export function renderOperation(tx: EcommpayTransaction): Record<string, unknown> {
  const d = dataOf(tx)
  const state = nativeState(tx)
  return {
    id: d.operationId,
    type: tx.kind,
    status: state.operationStatus,
    date: ecpDate(tx.updatedAt),
    created_date: ecpDate(tx.createdAt),
    request_id: d.requestId,
    sum_initial: sum(tx.amount, tx.currency),
    sum_converted: sum(tx.amount, tx.currency),
    code: state.code,
    message: state.message,
    provider: providerBlock(tx),
  }
}

/**
 * The `payment` object. For a refund it describes the refunded purchase: type `purchase`, status
 * `refunded` once it succeeded (else the purchase's `success`), `sum` the remaining balance.
 */
export function renderPayment(tx: EcommpayTransaction, overrideStatus?: string): Record<string, unknown> {
  const d = dataOf(tx)
  const state = nativeState(tx)
  const isRefund = tx.kind === 'refund'
  const out: Record<string, unknown> = {
    id: tx.reference,
    type: tx.kind === 'payout' ? 'payout' : 'purchase',
    status: overrideStatus ?? state.paymentStatus,
    date: ecpDate(tx.updatedAt),
    method: METHOD_NAME,
    sum: isRefund
      ? sum(tx.status === 'approved' ? 0 : (d.sale?.amount ?? tx.amount), tx.currency)
      : sum(tx.amount, tx.currency),
  }
  if (isRefund) out.merchant_refund_id = d.merchantRefundId ?? tx.reference
  out.description = d.description
  return out
}

function renderCustomer(tx: EcommpayTransaction): Record<string, unknown> {
  const { customer } = dataOf(tx)
  return customer.phone !== undefined ? { id: customer.id, phone: customer.phone } : { id: customer.id }
}

/**
 * A callback body in the seed's standard layout, without its signature: `project_id`, `payment`,
 * `account` (payouts), `customer`, `operation`, then `redirect_data` on the redirect callback of a
 * Gate sale, or `clarification_fields` on its clarification callback.
 */
export function renderCallbackBody(
  tx: EcommpayTransaction,
  merchant: Pick<Merchant, 'id' | 'provider'>,
): Record<string, unknown> {
  const d = dataOf(tx)
  const body: Record<string, unknown> = { project_id: Number(merchant.id), payment: renderPayment(tx) }
  if (tx.kind === 'payout') body.account = { number: d.accountNumber ?? '' }
  body.customer = renderCustomer(tx)
  body.operation = renderOperation(tx)
  if (tx.kind === 'sale' && tx.status === 'pending' && d.channel === 'gate') {
    if (d.clarification?.awaiting) body.clarification_fields = clarificationFieldsBody(d.clarification.fields)
    else body.redirect_data = redirectData(tx)
  }
  return body
}

/** Where the Gate sale's customer goes: the sandbox's bank page (or its bank selection step). */
function redirectData(tx: EcommpayTransaction): Record<string, unknown> {
  return { body: [], method: 'GET', url: bankPageUrl(tx), encrypted: [] }
}

export function bankPageUrl(tx: EcommpayTransaction): string {
  return `${dataOf(tx).origin}/payment/bank/${dataOf(tx).operationId}`
}

/** `{"status":"success","request_id":…,"project_id":…,"payment_id":…}` */
export function acceptedBody(requestIdValue: string, projectId: number, paymentId: string): string {
  return JSON.stringify({ status: 'success', request_id: requestIdValue, project_id: projectId, payment_id: paymentId })
}

/** `{"status":"error","request_id":…,"project_id":…,"payment_id":…,"code":"3261","message":"Invalid signature"}` */
export function errorBody(
  code: GateErrorCode,
  ids: { requestId: string; projectId: number | null; paymentId: string | null },
): string {
  return JSON.stringify({
    status: 'error',
    request_id: ids.requestId,
    project_id: ids.projectId,
    payment_id: ids.paymentId,
    code,
    message: CODES[code],
  })
}

/** Amount in minor units as the page shows it: `2000.00 INR`. */
export function money(amount: number, currency: string): string {
  return `${(amount / 100).toFixed(2)} ${currency}`
}

/** The Banks of India working hours: Monday–Friday 10:30–19:00 GMT+8 (02:30–11:00 UTC). */
export function nextWorkingTime(now: number): number {
  const GMT8 = 8 * 3_600_000
  const local = new Date(now + GMT8)
  const day = local.getUTCDay()
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes()
  const open = 10 * 60 + 30
  const close = 19 * 60
  if (day >= 1 && day <= 5 && minutes >= open && minutes < close) return now
  // Start of the next opening (local time), then back to UTC ms.
  const startOfDay = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate())
  let candidate = startOfDay + open * 60_000
  // Stryker disable next-line EqualityOperator: at exactly the opening minute only a Saturday or Sunday gets here (a weekday is open), and from either day both today's and tomorrow's opening roll on to Monday's
  if (minutes >= open) candidate += 86_400_000
  while ([0, 6].includes(new Date(candidate).getUTCDay())) candidate += 86_400_000
  return candidate - GMT8
}
