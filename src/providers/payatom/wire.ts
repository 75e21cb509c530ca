import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import type { ProviderPort } from '../../engine/port.js'
import type { CommonSettings, Merchant, NeutralStatus, Transaction } from '../../engine/types.js'
import { Refusal, type RefusalFormat } from '../kit/refusal.js'
import { fake } from '../../engine/fake.js'
import { BodyLimitError, checkFormLimits, checkJsonLimits } from '../../wire/limits.js'
import {
  isPhpFloat,
  phpJsonDecode,
  phpJsonEncode,
  phpToString,
  PhpJsonError,
  type PhpScalar,
  type PhpValue,
} from '../../wire/php.js'

/**
 * PayAtom's wire habits (seed 001, research §A): JSON written by PHP `json_encode` (`\/`,
 * `\uXXXX`), answers `{"status":"error","message":…}` with HTTP 200 unless a document gives
 * another code, amounts printed and hashed as PHP prints them, dates as PHP's
 * `date('F j, Y, g:i a')` in India time.
 */

/** Content type of every JSON answer (the seed's PHP sets `application/json;charset=utf-8`). */
export const JSON_TYPE = 'application/json; charset=utf-8'

/** Native status names with the neutral status each means. */
export const NATIVE_STATUSES: Record<string, NeutralStatus> = {
  Pending: 'pending',
  Approved: 'approved',
  'Late Approved': 'approved',
  'Amount Mismatch': 'approved',
  Declined: 'declined',
  Failed: 'failed',
  Cancelled: 'cancelled',
  'User Timed Out': 'expired',
  'No Matching Payment for UTR': 'expired',
  'Refund Initiated': 'processing',
  'Refund Completed': 'refunded',
}

/** The operations a request can be (the `operation` fact in scenario files). */
export type PayatomOperation =
  'payin-hosted' | 'payin-upi' | 'payin-imps' | 'payin-wallet' | 'payin-pakistan' | 'payout' | 'refund'

/** What the sandbox keeps of each transaction to render it again. */
export interface PayatomTxData {
  operation: PayatomOperation
  version: 1 | 2
  /** The amount as PHP prints the value sent (`"1"`, `100`, `100.0` → `1`, `100`, `100`). */
  amountText: string
  name?: string
  email?: string
  phone?: string
  /** The customer's VPA (seamless UPI) or UPI payout target. */
  upiId?: string
  walletType?: string
  pakWallet?: string
  accountNumber?: string
  accountHolder?: string
  bank?: string
  ifsc?: string
  paymentMode?: string
  redirectUrl?: string
  /** Base URL the request came to: hosted links point there. */
  origin: string
  /** UTR submitted by the merchant (collection_utr) or assigned on approval. */
  utr?: string
  /** Refunds: the pay-in refunded, its id, notes, and the refund amount. */
  parentId?: string
  refundNotes?: string
  /** Refunds: the pay-in as it was when the refund opened. */
  parent?: ParentSnapshot
  /** Pay-ins: the latest refund of it, as its webhooks and polling show it. */
  refund?: RefundSnapshot
}

/** A PayAtom merchant's settings. */
export interface PayatomSettings {
  name: string
  /** Key of md5 `hash`/`post_hash` and the v2 signature. */
  secretKey: string
  /** v2 `X-Api-Key`. */
  apiKey: string
  token: string
  opsApiKey: string
  operatorName: string
  operatorEmail: string
  operatorPassword: string
  operatorActive: boolean
  webhookUrl: string | null
  payoutWebhookUrl: string | null
  displayName: string
  collectionUpi: string
  balances: { payin: number; payout: number; payinMatured: number }
  wallets: Wallets
}

/** The collection accounts a merchant shows customers. */
export interface Wallets {
  upi: Array<Record<string, string | boolean>>
  imps_upi: Array<Record<string, string | boolean>>
  wallet: Array<Record<string, string | boolean>>
}

export type PayatomMerchant = Merchant<PayatomSettings & CommonSettings>
export type PayatomTransaction = Transaction<PayatomTxData>
export type PayatomPort = ProviderPort<PayatomTxData, PayatomSettings & CommonSettings>

/** The provider's data of a transaction (typed: `tx.data` itself). */
export const dataOf = (tx: PayatomTransaction) => tx.data

/**
 * The native status a transaction shows. A scenario or page that named one wins; otherwise the
 * neutral status is written PayAtom's way (refunds: Refund Initiated / Refund Completed).
 */
export function nativeStatus(tx: PayatomTransaction): string {
  if (tx.nativeStatus) return tx.nativeStatus
  if (tx.kind === 'refund') {
    if (tx.status === 'pending' || tx.status === 'processing') return 'Refund Initiated'
    if (tx.status === 'approved' || tx.status === 'refunded') return 'Refund Completed'
    return 'Refund Failed'
  }
  switch (tx.status) {
    case 'pending':
    case 'processing':
      return 'Pending'
    case 'approved':
      return 'Approved'
    case 'declined':
      return 'Declined'
    case 'failed':
      return 'Failed'
    case 'expired':
      return 'User Timed Out'
    case 'cancelled':
      return 'Cancelled'
    case 'refunded':
      return 'Refund Completed'
  }
}

/** Every PayAtom refusal: `{"status":"error","message":<code>}`, HTTP 200 unless `status` says otherwise. */
export const payatomErrors: RefusalFormat = {
  render: (c, r) =>
    c.body(phpJsonEncode({ status: 'error', message: r.code }), (r.status ?? 200) as 200, {
      'Content-Type': JSON_TYPE,
    }),
  note: (r) => (r.why ? `${r.code}: ${r.why}` : r.code),
}

type ErrorStatus = 200 | 400 | 401 | 403 | 404 | 405 | 413 | 500

/** A refusal answered `{"status":"error","message":…}`; `why` goes to the journal. */
export function refusal(message: string, why?: string, status?: ErrorStatus): Refusal {
  return new Refusal(message, why ?? '', { status })
}

/** Refuses with `{"status":"error","message":…}`; `why` goes to the journal. */
export function fail(message: string, why?: string, status?: ErrorStatus): never {
  throw refusal(message, why, status)
}

/** A JSON answer as PHP's `json_encode` writes it. */
export function ok<E extends SandboxEnv>(c: Context<E>, body: unknown, status: 200 = 200): Response {
  return c.body(phpJsonEncode(body), status, { 'Content-Type': JSON_TYPE })
}

/** A request body's fields (first level), PHP-typed, or why it could not be read. */
export type Fields = Record<string, PhpValue>

/**
 * Reads a request body as PHP's `json_decode(file_get_contents('php://input'), true)` would,
 * whatever the Content-Type says (PHP ignores it). With `allowForm`, a form-urlencoded body is
 * read as `$_POST` (the 2023 status polling). Returns the fields or a plain-words reason.
 */
export async function readFields<E extends SandboxEnv>(
  c: Context<E>,
  allowForm = false,
): Promise<{ fields: Fields; raw: string; form: boolean } | { error: string }> {
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  let raw: string
  try {
    raw = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { error: 'the body is not valid UTF-8 text; send a JSON object encoded as UTF-8' }
  }
  const looksForm =
    type.startsWith('application/x-www-form-urlencoded') ||
    (allowForm && !raw.startsWith('{') && /^[^=&\s]+=/.test(raw))
  if (allowForm && looksForm) {
    const fields: Fields = {}
    const form = new URLSearchParams(raw)
    try {
      checkFormLimits(form)
    } catch (e) {
      return { error: (e as Error).message }
    }
    for (const [k, v] of form) fields[k] = v
    return { fields, raw, form: true }
  }
  if (raw.trim() === '')
    return { error: `the body is empty; send a JSON object${type ? '' : ' with Content-Type: application/json'}` }
  let decoded: PhpValue
  try {
    checkJsonLimits(raw)
    decoded = phpJsonDecode(raw)
  } catch (e) {
    // checkJsonLimits throws BodyLimitError, phpJsonDecode PhpJsonError (nesting is bounded first).
    const why = (e as PhpJsonError | BodyLimitError).message
    const hint =
      type.startsWith('multipart/') || type.startsWith('application/x-www-form-urlencoded')
        ? ` (the Content-Type is ${type.split(';')[0]}; this API reads a JSON body)`
        : ''
    return { error: `the body is not JSON PHP can decode: ${why}${hint}` }
  }
  if (!(decoded instanceof Map))
    return { error: 'the body must be a JSON object of fields, e.g. {"pid":"000000000000",…}' }
  const fields: Fields = {}
  for (const [k, v] of decoded) fields[String(k)] = v
  if (type && !type.startsWith('application/json'))
    c.get('journal')?.notes.push(
      `Content-Type is "${type}", not application/json; PayAtom's PHP reads the body as JSON anyway, and so does the sandbox`,
    )
  return { fields, raw, form: false }
}

/** A field as text if it is a scalar PHP would print, else undefined. */
export function text(value: PhpValue | undefined): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || isPhpFloat(value))
    return phpToString(value as PhpScalar)
  return undefined
}

/** PHP's `empty()`: missing, null, '', '0', 0, 0.0, false, empty array. */
export function isEmpty(value: PhpValue | undefined): boolean {
  if (value === undefined || value === null || value === '' || value === '0' || value === 0 || value === false)
    return true
  if (isPhpFloat(value)) return value.value === 0
  if (Array.isArray(value)) return value.length === 0
  // Stryker disable next-line ConditionalExpression: any other value here (a non-empty string, a non-zero number, bigint or float, true) has no size, so `.size === 0` is false for it too
  if (value instanceof Map) return value.size === 0
  return false
}

/** Plain-JS view of the fields (for scenario matching and storage). */
export function plain(fields: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) out[k] = toPlain(v)
  return out
}

function toPlain(v: PhpValue): unknown {
  if (isPhpFloat(v)) return v.value
  if (typeof v === 'bigint') return v.toString()
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), toPlain(x)]))
  if (Array.isArray(v)) return v.map(toPlain)
  return v
}

/**
 * An amount as sent: a positive number or numeric string with at most 2 decimals. Returns the
 * number and the text PHP prints (the text that is echoed and hashed), or undefined.
 */
export function parseAmount(value: PhpValue | undefined): { amount: number; text: string } | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim()
    if (!/^\d{1,12}(\.\d{1,2})?$/.test(trimmed)) return undefined
    const amount = Number(trimmed)
    return amount > 0 ? { amount, text: trimmed } : undefined
  }
  const n = typeof value === 'number' ? value : isPhpFloat(value) ? value.value : NaN
  if (!Number.isFinite(n) || n <= 0 || n > 1e12 || Math.abs(n * 100 - Math.round(n * 100)) > 1e-6) return undefined
  return { amount: n, text: phpToString(value as PhpScalar) }
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
/** India Standard Time offset: PayAtom's documents show Indian local times. */
const IST_MS = 5.5 * 3600_000

/** PHP `date('F j, Y, g:i a')` in India time: `February 11, 2023, 4:34 pm`. */
export function phpDate(ms: number): string {
  const d = new Date(ms + IST_MS)
  const h = d.getUTCHours()
  const hour12 = h % 12 === 0 ? 12 : h % 12
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hour12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'am' : 'pm'}`
}

/** The India-time calendar day of an instant as `DD-MM-YYYY`. */
export function istDay(ms: number): string {
  const d = new Date(ms + IST_MS)
  return `${String(d.getUTCDate()).padStart(2, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${d.getUTCFullYear()}`
}

/** Whether `date` is a real calendar day written `DD-MM-YYYY`. */
export function isDayText(date: string): boolean {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(date)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1])))
  // A day past the month's end (or 00) rolls into another month, and so does a month past 12.
  return d.getUTCMonth() === Number(m[2]) - 1
}

/** A 64-hex reference code (`ref_code`, also the hosted page `code`), unique per transaction. */
export function refCode(seed: string): string {
  return createHash('sha256').update(`payatom-sandbox:${seed}`).digest('hex')
}

/** A 12-digit bank UTR, the same for a transaction in every run. */
function utrFor(tx: PayatomTransaction): string {
  return fake('en_IN', `payatom:${tx.providerRef}`).digits(12)
}

/** `received_amount`: the amount for Approved/Late Approved, the scenario's or half for Amount Mismatch, `0` otherwise. */
function receivedAmount(tx: PayatomTransaction): string {
  const status = nativeStatus(tx)
  const d = dataOf(tx)
  if (status === 'Amount Mismatch') {
    const n = tx.native?.received_amount
    return n !== undefined && n !== null ? String(n) : String(Math.max(1, Math.floor(tx.amount / 2)))
  }
  if (tx.status === 'approved' || status === 'Refund Initiated' || status === 'Refund Completed') return d.amountText
  return '0'
}

/** The merchant's secret key. */
export const secretOf = (m: PayatomMerchant) => String(m.secretKey)

/** A pay-in's refund as its polling answer and webhooks show it (kept on the pay-in). */
export interface RefundSnapshot {
  refundId: string
  refCode: string
  amountText: string
  /** Refund Initiated, Refund Completed or Refund Failed. */
  status: string
  initiatedAt: number
  completedAt?: number
  notes: string
  upi: string
}

/** The pay-in fields a refund's webhook repeats (copied when the refund is opened). */
export interface ParentSnapshot {
  orderId: string
  refCode: string
  amountText: string
  receivedAmount: string
  bankRef: string
  senderUpi: string
  upiId: string
  status: string
}

/** `sender_upi`: the VPA the customer paid from (the one sent on seamless UPI; made up on approval otherwise). */
function senderUpi(tx: PayatomTransaction): string {
  const d = dataOf(tx)
  if (d.upiId) return d.upiId
  if (tx.status !== 'approved') return ''
  const phone = (d.phone ?? '').replace(/\D/g, '')
  return phone ? `${phone}@upi` : fake('en_IN', `payatom:${tx.providerRef}`).upiHandle()
}

/** `bank_ref`: the UTR submitted by the merchant, or the one assigned when money arrived. */
export function bankRef(tx: PayatomTransaction): string {
  const d = dataOf(tx)
  if (d.utr) return d.utr
  return tx.status === 'approved' ? utrFor(tx) : ''
}

/** The collection VPA shown to the customer. */
export const collectionUpi = (m: PayatomMerchant) => String(m.collectionUpi ?? 'payatom.sandbox@upi')

/** What a pay-in shows now: its own status, or the status of its refund. */
export function payinView(tx: PayatomTransaction): ParentSnapshot & { refundInfo: Record<string, string> | [] } {
  const d = dataOf(tx)
  const refund = d.refund
  const own = nativeStatus(tx)
  const status = refund && refund.status !== 'Refund Failed' ? refund.status : own
  return {
    orderId: tx.reference,
    refCode: tx.providerRef,
    amountText: d.amountText,
    receivedAmount: receivedAmount(tx),
    bankRef: bankRef(tx),
    senderUpi: senderUpi(tx),
    upiId: d.upiId ? d.upiId : '',
    status,
    refundInfo: refund ? refundInfo(refund) : [],
  }
}

/** `refund_info` with the seed's six keys, in the seed's order; all values strings. */
export function refundInfo(r: RefundSnapshot): Record<string, string> {
  return {
    refunded_upi: r.upi,
    refund_amount: r.amountText,
    refund_initiated_time: phpDate(r.initiatedAt),
    refund_completed_time: r.completedAt ? phpDate(r.completedAt) : '',
    refund_status: r.status,
    refund_notes: r.notes,
  }
}
