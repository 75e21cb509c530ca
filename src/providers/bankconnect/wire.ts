/**
 * Bankconnect wire format (seed `000_f1a373677fb21da2.txt`, CONTRACT "bankconnect"): the payout
 * entry `{"status","order_id","payment_code","message","utr"}` written as PHP's `json_encode`
 * writes it, the request-level refusals, and the field table of a payout object.
 *
 * @module
 */

import type { ProviderPort } from '../../engine/port.js'
import type { CommonSettings, Merchant, NeutralStatus, Transaction } from '../../engine/types.js'
import { phpJsonEncode } from '../../wire/php.js'

export const PROVIDER = 'bankconnect'

/** Content type of every JSON answer (CodeIgniter's `set_content_type('application/json', 'utf-8')`). */
export const JSON_TYPE = 'application/json; charset=utf-8'
/** Content type of the encrypted payout answer: PHP's default for echoed text. */
export const ENCRYPTED_TYPE = 'text/html; charset=UTF-8'

/** Status codes of the seed's table, with their descriptions verbatim. */
export const PAYMENT_CODES = {
  SUCC200: 'Transaction has been submitted successfully.',
  SUCC201: 'Transaction is being Processed',
  SUCC202: 'Transaction is Failed',
  ERR411: 'Duplicate Order ID',
} as const
export type PaymentCode = keyof typeof PAYMENT_CODES

/** Native names a scenario or the admin API may use, with the neutral status each means. */
export const NATIVE_STATUSES: Record<string, NeutralStatus> = {
  SUCC200: 'approved',
  SUCC201: 'processing',
  SUCC202: 'failed',
}

/** One entry of a payout answer, a status answer or (plus amount and checksum) a callback. Key order as the seed. */
export interface PayoutEntry {
  status: 'SUCCESS' | 'PENDING' | 'FAILED'
  order_id: string
  payment_code: PaymentCode
  message: string
  utr: string
}

/** What the sandbox keeps of a payout to render it again. */
export interface BankconnectTxnData {
  /** `amount` exactly as the merchant sent it (string or number): echoed in callbacks and hashed as PHP prints it. */
  amount: string | number
  utr: string
  endPointUrl: string
  customerOrderId?: string
  trxType: string
}

/** Messages of the entries the sandbox writes for a transaction's state. */
const MESSAGES = {
  success: '',
  processing: PAYMENT_CODES.SUCC201,
  failed: PAYMENT_CODES.SUCC202,
} as const

/** The entry a transaction shows now (status API, callbacks): SUCC201 while processing, SUCC200 once paid, SUCC202 once failed. */
export function statusEntry(tx: BankconnectTransaction): PayoutEntry {
  const data = tx.data
  const native = tx.native ?? {}
  switch (tx.status) {
    case 'pending':
    case 'processing':
      return {
        status: 'PENDING',
        order_id: tx.reference,
        payment_code: 'SUCC201',
        message: MESSAGES.processing,
        utr: data.utr,
      }
    case 'approved':
      return {
        status: 'SUCCESS',
        order_id: tx.reference,
        payment_code: 'SUCC200',
        message: typeof native.message === 'string' ? native.message : MESSAGES.success,
        utr: data.utr,
      }
    default:
      return {
        status: 'FAILED',
        order_id: tx.reference,
        payment_code: 'SUCC202',
        message: typeof native.message === 'string' ? native.message : MESSAGES.failed,
        utr: data.utr,
      }
  }
}

/**
 * The entry of the synchronous payout answer: the seed's `SUCCESS`/`SUCC200` ("submitted
 * successfully") unless the transaction already failed before the answer (a scenario step at 0 s).
 */
export function submittedEntry(tx: BankconnectTransaction): PayoutEntry {
  const now = statusEntry(tx)
  if (now.status === 'FAILED') return now
  return { status: 'SUCCESS', order_id: tx.reference, payment_code: 'SUCC200', message: '', utr: now.utr }
}

/** A refused payout object: `FAILED` with SUCC202 (validation) or ERR411 (duplicate), no UTR. */
export function refusedEntry(orderId: string, code: 'SUCC202' | 'ERR411', message: string): PayoutEntry {
  return { status: 'FAILED', order_id: orderId, payment_code: code, message, utr: '' }
}

/** `json_encode($entries)` */
export function renderEntries(entries: PayoutEntry[]): string {
  return phpJsonEncode(entries)
}

/**
 * A request-level refusal of the Bankconnect application (sandbox contract): HTTP 200,
 * `{"status":"FAILED","payment_code":"SUCC202","message":"…"}`, plain JSON.
 */
export function appErrorBody(message: string): string {
  return phpJsonEncode({ status: 'FAILED', payment_code: 'SUCC202', message })
}

/** The request-level refusal messages, each its own. */
export const APP_ERRORS = {
  userToken: 'Invalid User Token',
  endPointUrlMissing: 'end_point_url is required',
  endPointUrlInvalid: 'Invalid end_point_url',
  customerOrderId: 'Invalid customer_order_id',
  encMissing: 'enc_payout_json is required',
  decrypt: 'Unable to decrypt enc_payout_json',
  json: 'Invalid payout JSON',
  notList: 'enc_payout_json must be a JSON array of payout objects',
  tooMany: 'Too many payouts in one request',
  statusCredentials: 'Invalid merchant credentials',
  statusOrderMissing: 'order_id is required',
  statusNotFound: 'Order ID not found',
} as const

/**
 * CodeIgniter RestServer's refusals (inferred: `X-API-KEY` plus HTTP Basic is that library's
 * pair): `{"status":false,"error":"…"}`.
 */
export function restErrorBody(error: string): string {
  return phpJsonEncode({ status: false, error })
}

/** The text CodeIgniter RestServer writes for a missing or unknown API key (the key is never echoed). */
export const INVALID_API_KEY = 'Invalid API key '
export const UNAUTHORIZED = 'Unauthorized'
export const UNKNOWN_METHOD = 'Unknown method'
/** `WWW-Authenticate` sent with a 401, as RestServer's default `rest_realm`. */
export const REST_REALM = 'Basic realm="REST API"'

/** Largest number of payout objects one request may carry (sandbox contract). */
export const MAX_PAYOUTS_PER_REQUEST = 100

// ---------------------------------------------------------------------------------------------
// Field table

type FieldKind = 'integer' | 'numeric' | 'text'

export interface FieldRule {
  name: string
  /** The seed's TYPE column, verbatim. */
  seedType: string
  kind: FieldKind
  /** The seed's MAX LENGTH column. */
  seedMax: number
  /** What the sandbox enforces. */
  max: number
  required: boolean
  pattern?: RegExp
  /** Plain words for the pattern, for messages and docs. */
  shape?: string
  /**
   * The seed rule holding this field to `seedMax` (enforced by default); a merchant relaxing it
   * in `relaxedRules` gets `max` instead.
   */
  seedRule?: BankconnectSeedRule
}

/** Bankconnect seed rules a merchant may relax (`relaxedRules`), each with where it is stated. */
export const SEED_RULES = {
  'address-max-length':
    "seed 000 l.100–102: address1, city and state at most 10 characters (the seed's own example sends an 11-character city; the rule wins)",
} as const

export type BankconnectSeedRule = keyof typeof SEED_RULES

/** address1, city, state: the seed's 10 characters unless the merchant relaxes `address-max-length` (then 50). */
function addressField(name: string, seedType: string): FieldRule {
  return { name, seedType, kind: 'text', seedMax: 10, max: 50, required: true, seedRule: 'address-max-length' }
}

/** The seed's table of payout object fields, in the seed's order, with what the sandbox enforces. */
export const FIELDS: FieldRule[] = [
  {
    name: 'order_id',
    seedType: 'Integer',
    kind: 'integer',
    seedMax: 20,
    max: 20,
    required: true,
    pattern: /^[0-9]{1,20}$/,
    shape: '1 to 20 digits',
  },
  {
    name: 'bank',
    seedType: 'Integer',
    kind: 'integer',
    seedMax: 0,
    max: 1,
    required: true,
    pattern: /^0$/,
    shape: 'always 0',
  },
  { name: 'payeename', seedType: 'Text', kind: 'text', seedMax: 20, max: 20, required: true },
  { name: 'bnf_nick_name', seedType: 'Text', kind: 'text', seedMax: 20, max: 20, required: true },
  {
    name: 'amount',
    seedType: 'Numeric',
    kind: 'numeric',
    seedMax: 10,
    max: 10,
    required: true,
    pattern: /^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/,
    shape: 'a positive amount in rupees with at most 2 decimals, e.g. "1.00"',
  },
  {
    name: 'account_no',
    seedType: 'Numeric',
    kind: 'numeric',
    seedMax: 18,
    max: 18,
    required: true,
    pattern: /^[0-9]{1,18}$/,
    shape: '1 to 18 digits',
  },
  {
    name: 'ifsc',
    seedType: 'String',
    kind: 'text',
    seedMax: 11,
    max: 11,
    required: true,
    // Stryker disable next-line Regex: the max length (11) is checked first and every match is 11 characters long, so a match is the whole value with or without either anchor
    pattern: /^[A-Z]{4}[A-Z0-9]{7}$/,
    shape: '11 characters: 4 capital letters, then 7 capital letters or digits (e.g. SBIN0001234)',
  },
  {
    name: 'trx_type',
    seedType: 'Text',
    kind: 'text',
    seedMax: 4,
    max: 4,
    required: true,
    // Stryker disable next-line Regex: the max length (4) is checked first and every match is 4 characters long, so a match is the whole value with or without either anchor
    pattern: /^(IMPS|NEFT|RTGS)$/,
    shape: 'IMPS, NEFT or RTGS',
  },
  addressField('address1', 'String'),
  addressField('city', 'Text'),
  addressField('state', 'Text'),
  {
    name: 'pincode',
    seedType: 'Numeric',
    kind: 'numeric',
    seedMax: 6,
    max: 6,
    required: true,
    // Stryker disable next-line Regex: the max length (6) is checked first and every match is 6 characters long, so a match is the whole value with or without either anchor
    pattern: /^[1-9][0-9]{5}$/,
    shape: '6 digits, not starting with 0',
  },
  {
    name: 'phone',
    seedType: 'numeric',
    kind: 'numeric',
    seedMax: 10,
    max: 10,
    required: true,
    // Stryker disable next-line Regex: the max length (10) is checked first and every match is 10 characters long, so a match is the whole value with or without either anchor
    pattern: /^[0-9]{10}$/,
    shape: '10 digits',
  },
  {
    name: 'email',
    seedType: '(not in the table; in the example)',
    kind: 'text',
    seedMax: 100,
    max: 100,
    required: false,
    pattern: /^[^\s@]+@[^\s@]+$/,
    shape: 'an e-mail address',
  },
]

/** A payout object that passed the table. */
export interface ValidPayout {
  orderId: string
  amount: string | number
  amountValue: number
  accountNo: string
  trxType: string
  fields: Record<string, unknown>
  /** Things the real provider may refuse although the sandbox accepts them (journal). */
  warnings: string[]
}

export type PayoutCheck =
  | { ok: true; payout: ValidPayout }
  | { ok: false; orderId: string; message: string; why: string; rule?: BankconnectSeedRule }

/**
 * The field's value as text, when its JSON type fits the seed's TYPE column; else a reason. A JSON
 * number fits an Integer or Numeric field; only the amount may have a fraction. (Null and missing
 * values were refused before.)
 */
function asText(rule: FieldRule, value: unknown): { text: string } | { why: string } {
  if (typeof value === 'string') return { text: value }
  if (typeof value === 'number' && (rule.kind === 'integer' || rule.kind === 'numeric')) {
    if (!Number.isFinite(value)) return { why: 'is not a finite number' }
    if (rule.name !== 'amount' && !Number.isSafeInteger(value))
      return {
        why: `is the JSON number ${value}, which is not a whole number JSON can carry exactly; send it as a string of digits`,
      }
    return { text: String(value) }
  }
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`
  return {
    why: `is ${kind}; the seed's type is ${rule.seedType}${rule.kind === 'text' ? ', send a JSON string' : ', send a string of digits (or a JSON number)'}`,
  }
}

/**
 * Checks one payout object against the seed's table. The first problem answers, with the field's
 * name in `message` (native) and the reason in `why` (journal).
 */
export function validatePayout(
  input: unknown,
  index: number,
  enforced: (rule: BankconnectSeedRule) => boolean = () => true,
): PayoutCheck {
  const at = `payout object ${index + 1}`
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      orderId: '',
      message: 'Invalid payout object',
      why: `${at} is ${input === null ? 'null' : Array.isArray(input) ? 'an array' : `a ${typeof input}`}, not a JSON object with order_id, bank, trx_type, …`,
    }
  }
  const fields = input as Record<string, unknown>
  const rawOrder = fields.order_id
  const orderId =
    typeof rawOrder === 'string' ? rawOrder.slice(0, 64) : Number.isSafeInteger(rawOrder) ? String(rawOrder) : ''
  const warnings: string[] = []
  const texts: Record<string, string> = {}
  for (const rule of FIELDS) {
    const value = fields[rule.name]
    if (value === undefined || value === '' || value === null) {
      if (!rule.required) continue
      return {
        ok: false,
        orderId,
        message: `${rule.name} is required`,
        why: `${at}: ${rule.name} is ${value === undefined ? 'missing' : value === null ? 'null' : 'empty'}; the seed's table lists it (${rule.seedType}, max ${rule.seedMax})`,
      }
    }
    const text = asText(rule, value)
    if ('why' in text)
      return { ok: false, orderId, message: `Invalid ${rule.name}`, why: `${at}: ${rule.name} ${text.why}` }
    const length = [...text.text].length
    const strict = rule.seedRule !== undefined && enforced(rule.seedRule)
    const max = strict ? rule.seedMax : rule.max
    if (length > max) {
      return {
        ok: false,
        orderId,
        message: `${rule.name} must be at most ${max} characters`,
        why: `${at}: ${rule.name} has ${length} characters, more than ${max}`,
        ...(strict ? { rule: rule.seedRule } : {}),
      }
    }
    if (rule.pattern && !rule.pattern.test(text.text)) {
      return {
        ok: false,
        orderId,
        message: `Invalid ${rule.name}`,
        why: `${at}: ${rule.name} is ${JSON.stringify(text.text)}; it must be ${rule.shape}`,
      }
    }
    // Past the seed's length (and within the sandbox's, or it was refused above): only a relaxed
    // rule lets that through. `bank` is the exception: the seed's 0 means "always 0", one digit.
    if (rule.name !== 'bank' && length > rule.seedMax) {
      warnings.push(
        `${at}: ${rule.name} has ${length} characters; the seed's table allows ${rule.seedMax}. The merchant relaxed "${rule.seedRule}", so the sandbox accepts up to ${max}, but the real provider may cut or refuse it`,
      )
    }
    texts[rule.name] = text.text
  }
  const amountValue = Number(texts.amount)
  if (!(amountValue > 0))
    return {
      ok: false,
      orderId,
      message: 'Invalid amount',
      why: `${at}: amount is ${JSON.stringify(texts.amount)}; it must be greater than 0`,
    }
  if (texts.ifsc!.charAt(4) !== '0')
    warnings.push(
      `${at}: ifsc ${texts.ifsc} has "${texts.ifsc!.charAt(4)}" as its fifth character; real IFSC codes have 0 there (the seed's example SBINXXXXXXX is a placeholder), so a real payout would fail at the bank`,
    )
  // As sent: the JSON number, or the string (which is its text).
  const amount = fields.amount as string | number
  return {
    ok: true,
    payout: {
      orderId: texts.order_id!,
      amount,
      amountValue,
      accountNo: texts.account_no!,
      trxType: texts.trx_type!,
      fields,
      warnings,
    },
  }
}

/** A Bankconnect merchant's settings (the merchant id is its merchant_no). */
export interface BankconnectSettings {
  name: string
  /** AES-128-CTR key of enc_payout_json and the User-token secret. */
  secretkey: string
  iv: string
  apiKey: string
  basicUser: string
  basicPassword: string
}

export type BankconnectMerchant = Merchant<BankconnectSettings & CommonSettings>
export type BankconnectTransaction = Transaction<BankconnectTxnData>
export type BankconnectPort = ProviderPort<BankconnectTxnData, BankconnectSettings & CommonSettings>

/** The default test account of the CONTRACT, provisioned on every fresh start. */
export const DEFAULT_MERCHANT: BankconnectMerchant = {
  provider: PROVIDER,
  id: '0035',
  name: 'Bankconnect sandbox merchant',
  secretkey: '35kjfkh45',
  iv: 'a1b2c3d4e5f6g7h8',
  apiKey: 'BANKCONNECT_1890',
  basicUser: 'bankconnect_1.2_1890',
  basicPassword: 'connectbank_1.2_1890',
  relaxedRules: [],
}

/** The settings of a merchant, typed. */
export function settings(m: BankconnectMerchant): {
  merchantNo: string
  secret: string
  iv: string
  apiKey: string
  basicUser: string
  basicPassword: string
} {
  return {
    merchantNo: m.id,
    secret: m.secretkey,
    iv: m.iv,
    apiKey: m.apiKey,
    basicUser: m.basicUser,
    basicPassword: m.basicPassword,
  }
}
