/**
 * ConnPay's world as the sandbox models it: the default test merchant, native statuses and how
 * neutral statuses show, the `error-code` catalogue, and the v4 payout request table of the seed
 * (required fields and lengths) with its validation.
 *
 * Sources: seed `003_d7bfa93757572c78.txt` ("3.26 /api/v4/payout"), `research/paynet.md` §2–§5,
 * `specs/CONTRACT.md` (connpay). What none of them states is marked "sandbox contract" here and in
 * the OpenAPI description.
 */
import type { ProviderPort } from '../../engine/port.js'
import type { CommonSettings, Merchant, NeutralStatus, Transaction } from '../../engine/types.js'
import { Refusal } from '../kit/refusal.js'
import { refusal } from './errors.js'

const PROVIDER = 'connpay'

/** ConnPay's real hosts: integration (sandbox) and production. */
export const CONNPAY_HOSTS = ['sandbox.connpay.com', 'gate.connpay.com'] as const

/** The public key of `vectors/connpay-test-merchant.pub.pem` (its private key is the published test key). */
const TEST_MERCHANT_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvJpJDdJsPYQUP23hQzFZ
3MMHF+KyMen2tPqt0EBgzXavUk2/Veb4l5Z+2WQxjPFS8x9DQO0t9xCy8fSj1pjq
wuI7uCPGbZyiEgjO1vZ7myUXigyJuesXi3XPN97t0GQMwjIN5xSidLIW9AmOZX6M
y8mC2AyK7nWj0BWujfgPNLn4DstiLtNafOXbXjbYBG69YmFz4Nzqq0iTlqY40SYf
Jg5uIanufpbckKbNVMklPhsVPo5fNQe0Mtes1MKA4XGTjLrHzIHBNeqv06kZ25ww
GnQVlcEzZVJxITsjD4dGuieiJkPbbK7u08kH2lBEG4W5X+qg8u5NNsbyn5Wq/Dph
UwIDAQAB
-----END PUBLIC KEY-----
`

/**
 * Settings of a ConnPay merchant (the engine's `Merchant` with these keys). The merchant id is the
 * login, which is also the OAuth `oauth_consumer_key`.
 */
export interface ConnPaySettings {
  name: string
  /** Endpoint ids this login may use in `/payout/{ENDPOINTID}` and `/status/{ENDPOINTID}`. */
  endpoints: string[]
  /** Endpoint group ids this login may use in `/…/group/{ID}`. */
  endpointGroups: string[]
  /** The endpoint a group request is routed to (`end-point-id` of the answer). */
  groupEndpoint: string
  /** The merchant's registered RSA public key (PEM). */
  publicKey: string
  /** The merchant control key: v2 status `control` and callback `control`. */
  controlKey: string
  /** Largest accepted |oauth_timestamp − sandbox clock| in seconds; 0 = not checked (default). */
  oauthTimestampWindowSeconds: number
  /** Refuse an `oauth_nonce` seen before with the same timestamp (RFC 5849 §3.3); default false. */
  oauthNonceReplayCheck: boolean
  /** `descriptor` sent in callbacks. */
  descriptor: string
}

export type ConnPayMerchant = Merchant<ConnPaySettings & CommonSettings>
export type ConnPayTransaction = Transaction<ConnPayTxnData>
export type ConnPayPort = ProviderPort<ConnPayTxnData, ConnPaySettings & CommonSettings>

export const DEFAULT_MERCHANT: ConnPayMerchant = {
  provider: PROVIDER,
  id: 'TestMerchant',
  name: 'ConnPay sandbox merchant (doc example login)',
  endpoints: ['39915'],
  endpointGroups: ['777'],
  groupEndpoint: '39915',
  publicKey: TEST_MERCHANT_PUBLIC_KEY,
  controlKey: 'B17F59B4-A7DC-41B4-8FF9-37D986B43D20',
  oauthTimestampWindowSeconds: 0,
  oauthNonceReplayCheck: false,
  descriptor: 'ConnPay sandbox payout',
}

// ---------------------------------------------------------------------------------------------
// Statuses

/**
 * Native status names (research §4.2) a scenario or the admin API may use, with the neutral status
 * each means. `approved`, `declined` and `processing` are also neutral names.
 */
export const NATIVE_STATUSES: Record<string, NeutralStatus> = {
  approved: 'approved',
  declined: 'declined',
  error: 'failed',
  filtered: 'declined',
  processing: 'processing',
  unknown: 'processing',
  chain_declined: 'processing',
}

/** How each neutral status shows on the wire (sandbox contract where the platform has no such status). */
export const NEUTRAL_TO_NATIVE: Record<NeutralStatus, string> = {
  pending: 'processing',
  processing: 'processing',
  approved: 'approved',
  declined: 'declined',
  failed: 'error',
  expired: 'declined',
  cancelled: 'declined',
  refunded: 'declined',
}

/** Statuses after which a callback is sent (research §3: libraries accept only these). */
export const CALLBACK_STATUSES = new Set(['approved', 'declined', 'filtered', 'error'])

/**
 * `error-code` values (sandbox contract: PaynetEasy publishes no catalogue; research §4.3 gives
 * only `1` for a missing parameter).
 */
export const ERROR_CODES = {
  /** `validation-error`: a parameter missing, too long or malformed; an endpoint not this login's. */
  validation: 1,
  /** Status/callback of a declined payout. */
  declined: 2,
  /** Status/callback of a payout in status `error` (PROCESSOR_INTERNAL_ERROR). */
  processor: 3,
  /** Status/callback of a `filtered` payout. */
  filtered: 4,
  /** `error`: the status API finds no such order. */
  notFound: 5,
  /** `error`: v2 status with an unknown login or a wrong `control`. */
  control: 6,
  /** `error`: no ConnPay API at this method and path (HTTP 404). */
  noRoute: 7,
  /** `error`: the sandbox itself failed (HTTP 500). */
  internal: 8,
} as const

/** Default `error-message` / `error-code` of each final non-approved native status. */
export const STATUS_ERRORS: Record<string, { message: string; code: number }> = {
  declined: { message: 'DECLINED', code: ERROR_CODES.declined },
  error: { message: 'PROCESSOR_INTERNAL_ERROR', code: ERROR_CODES.processor },
  filtered: { message: 'FILTERED', code: ERROR_CODES.filtered },
}
/** `error-message` of an expired payout (shown as `declined`). */
export const EXPIRED_MESSAGE = 'TIMEOUT'

/** The provider-specific data a ConnPay transaction carries. */
export interface ConnPayTxnData {
  /** `amount` exactly as the merchant sent it (trimmed), e.g. `10.42`. */
  amount: string
  /** The endpoint that took the payout (for a group: the group's endpoint). */
  endPointId: string
  /** The group id when the payout came through `/payout/group/{ID}`. */
  endPointGroupId?: string
  /** `serial-number`s of requests about this order, with the clock time of each answer. */
  serials: Array<{ serial: string; at: number }>
  merchantData?: string
}

/** The provider's data of a transaction (typed: `tx.data` itself). */
export function dataOf(tx: ConnPayTransaction): ConnPayTxnData {
  return tx.data
}

/** What a transaction shows: native `status`, and `error-message`/`error-code` when not approved. */
export function nativeState(tx: Pick<Transaction, 'status' | 'nativeStatus' | 'native'>): {
  status: string
  errorMessage?: string
  errorCode?: string
} {
  const status = tx.nativeStatus ?? NEUTRAL_TO_NATIVE[tx.status]
  const native = tx.native ?? {}
  const overrideMessage = native['error-message']
  const overrideCode = native['error-code']
  const shown = status
  const defaults =
    tx.status === 'expired' ? { message: EXPIRED_MESSAGE, code: ERROR_CODES.declined } : STATUS_ERRORS[shown]
  if (!defaults) return { status: shown }
  return {
    status: shown,
    errorMessage:
      overrideMessage !== undefined && overrideMessage !== null ? String(overrideMessage) : defaults.message,
    errorCode: overrideCode !== undefined && overrideCode !== null ? String(overrideCode) : String(defaults.code),
  }
}

// ---------------------------------------------------------------------------------------------
// The v4 payout request table (seed)

/** `string`: any text; `digits`: 0-9 only; `decimal`: `123` or `123.45`. */
type FieldType = 'string' | 'digits' | 'decimal'

interface FieldRule {
  type: FieldType
  /** Largest length in characters. */
  max: number
  /** Smallest length, when the seed gives a range (`7-45`, `3-4`). */
  min?: number
  /** Other names the seed says the field "also can be sent as". */
  aliases?: string[]
}

/**
 * Every parameter of the seed's table with its type and length. The seed's "Numeric" fields that
 * real data spells with other characters (birthday, zip code, phone) are checked for length only
 * (sandbox contract).
 */
export const PAYOUT_FIELDS: Record<string, FieldRule> = {
  client_orderid: { type: 'string', max: 128, aliases: ['client-order-id'] },
  amount: { type: 'decimal', max: 10 },
  currency: { type: 'string', max: 3 },
  order_desc: { type: 'string', max: 64 },
  ipaddress: { type: 'string', min: 7, max: 45 },
  purpose: { type: 'string', max: 128 },
  server_callback_url: { type: 'string', max: 128 },
  redirect_url: { type: 'string', max: 128 },
  redirect_success_url: { type: 'string', max: 1024 },
  redirect_fail_url: { type: 'string', max: 1024 },
  credit_card_number: { type: 'digits', max: 20 },
  card_printed_name: { type: 'string', max: 128 },
  expire_month: { type: 'digits', max: 2 },
  expire_year: { type: 'digits', max: 4 },
  cvv2: { type: 'digits', min: 3, max: 4 },
  account_number: { type: 'string', max: 32 },
  account_name: { type: 'string', max: 128 },
  ewallet_type: { type: 'string', max: 64 },
  ewallet_wallet: { type: 'string', max: 128 },
  crypto_wallet_address: { type: 'string', max: 64 },
  bank_name: { type: 'string', max: 255 },
  bank_branch: { type: 'string', max: 255 },
  bank_code: { type: 'string', max: 32 },
  bank_city: { type: 'string', max: 128 },
  bank_address1: { type: 'string', max: 255 },
  bank_zip_code: { type: 'string', max: 255 },
  bank_province: { type: 'string', max: 255 },
  bank_area: { type: 'string', max: 255 },
  routing_number: { type: 'string', max: 16 },
  legal_person_name: { type: 'string', max: 128 },
  legal_person_document_number: { type: 'string', max: 128 },
  receiver_first_name: { type: 'string', max: 128, aliases: ['first_name'] },
  receiver_last_name: { type: 'string', max: 128, aliases: ['last_name'] },
  receiver_birthday: { type: 'string', max: 30, aliases: ['birthday'] },
  receiver_country_code: { type: 'string', max: 3, aliases: ['country'] },
  receiver_state: { type: 'string', max: 4, aliases: ['state'] },
  receiver_city: { type: 'string', max: 128, aliases: ['city'] },
  receiver_zip_code: { type: 'string', max: 32, aliases: ['zip_code'] },
  receiver_address1: { type: 'string', max: 256, aliases: ['address1'] },
  receiver_phone: { type: 'string', max: 128, aliases: ['phone'] },
  receiver_email: { type: 'string', max: 128, aliases: ['email'] },
  receiver_identity_document_id: { type: 'string', max: 128, aliases: ['identity_document_id'] },
  receiver_identity_document_number: { type: 'string', max: 128, aliases: ['identity_document_number'] },
  merchant_data: { type: 'string', max: 65536 },
  bank_bic: { type: 'string', max: 128 },
  receiver_inn: { type: 'string', max: 128 },
  customer_level: { type: 'string', max: 32 },
  customer_id: { type: 'digits', max: 10 },
  merchant_customer_identifier: { type: 'string', max: 64 },
  card_recurring_payment_id: { type: 'digits', max: 19 },
  'recurring-payment-id': { type: 'digits', max: 19 },
}

/** Required by the seed's table. */
export const PAYOUT_REQUIRED = ['client_orderid', 'amount', 'currency'] as const

/** A refused request: `code` is the `error-message`, `why` the reason in words for the journal. */
export type Invalid = Refusal

const invalid = (message: string, why: string): Invalid => new Refusal(message, why)

/** A payout request that passed validation. */
export interface PayoutRequest {
  clientOrderId: string
  amount: string
  amountNumber: number
  currency: string
  callbackUrl?: string
  merchantData?: string
  /** Every field under its table name (aliases resolved), first value of each. */
  fields: Record<string, string>
}

/** The merchant's order id: `client_orderid` or the vendor client's `client-order-id`. */
export function clientOrderIdOf(fields: Readonly<Record<string, string>>): string | Invalid | undefined {
  const a = fields.client_orderid
  const b = fields['client-order-id']
  if (a !== undefined && a !== '' && b !== undefined && b !== '' && a !== b)
    return invalid(
      'Parameters client_orderid and client-order-id differ',
      `the body carries client_orderid "${a}" and client-order-id "${b}"; they are two spellings of the same parameter, send one`,
    )
  return a !== undefined && a !== '' ? a : b !== undefined && b !== '' ? b : undefined
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * Validates a payout body against the seed's table: required fields, types, lengths (in
 * characters), the "not both" rules, URLs. Returns the first problem, as the gateway answers one
 * `validation-error` at a time.
 */
export function validatePayout(input: Readonly<Record<string, string>>, merchantOrderId?: string): PayoutRequest {
  /** Refuses with a `validation-error` answer: `message` is its `error-message`, `why` the journal's reason. */
  const invalid = (message: string, why: string): never => {
    throw refusal('validation-error', message, ERROR_CODES.validation, why, merchantOrderId)
  }
  const fields: Record<string, string> = {}
  for (const [name, rule] of Object.entries(PAYOUT_FIELDS)) {
    const spellings = [name, ...(rule.aliases ?? [])].filter((n) => input[n] !== undefined && input[n] !== '')
    if (spellings.length === 0) continue
    const value = input[spellings[0]]
    fields[name] = value
    for (const spelling of spellings) {
      const v = input[spelling]
      const length = [...v].length
      if (length > rule.max)
        return invalid(
          `Parameter ${spelling} is too long, max length is ${rule.max}`,
          `${spelling} has ${length} characters; the seed's table allows at most ${rule.max}`,
        )
      if (rule.min !== undefined && length < rule.min)
        return invalid(
          `Parameter ${spelling} is too short, min length is ${rule.min}`,
          `${spelling} has ${length} characters; the seed's table asks for at least ${rule.min}`,
        )
      if (rule.type === 'digits' && !/^\d+$/.test(v))
        return invalid(
          `Parameter ${spelling} must be numeric`,
          `${spelling} is "${v.slice(0, 40)}"; it must hold digits only`,
        )
    }
  }
  const orderId = clientOrderIdOf(input)
  if (orderId instanceof Refusal) return invalid(orderId.code, orderId.why)
  for (const name of PAYOUT_REQUIRED) {
    const present = name === 'client_orderid' ? orderId !== undefined : fields[name] !== undefined
    if (!present)
      return invalid(`Parameter ${name} is required`, `${name} is missing or empty; the seed's table marks it Required`)
  }
  const amount = fields.amount
  if (!/^\d+(\.\d+)?$/.test(amount))
    return invalid(
      'Parameter amount has wrong format',
      `amount is "${amount.slice(0, 40)}"; write it in major units with "." as the delimiter, e.g. 10.42`,
    )
  const amountNumber = Number(amount)
  if (!(amountNumber > 0)) return invalid('Parameter amount must be greater than zero', `amount is ${amount}`)
  if (!/^[A-Z]{3}$/.test(fields.currency))
    return invalid(
      'Parameter currency has wrong format',
      `currency is "${fields.currency}"; send a three-letter ISO 4217 code in upper case, e.g. USD`,
    )
  if (
    fields.redirect_url !== undefined &&
    (fields.redirect_success_url !== undefined || fields.redirect_fail_url !== undefined)
  )
    return invalid(
      'Use either redirect_url or redirect_success_url and redirect_fail_url, not both',
      'the seed says: use either redirect_url or the combination of redirect_success_url and redirect_fail_url, not both',
    )
  if (fields.card_recurring_payment_id !== undefined && fields.credit_card_number !== undefined)
    return invalid(
      'Send either card_recurring_payment_id or credit card data, not both',
      'the seed says: send either card_recurring_payment_id or the combination of credit_card_number, card_printed_name, expire_month and expire_year, not all',
    )
  for (const name of ['server_callback_url', 'redirect_url', 'redirect_success_url', 'redirect_fail_url'])
    if (fields[name] !== undefined && !isHttpUrl(fields[name]))
      return invalid(
        `Parameter ${name} has wrong format`,
        `${name} is "${fields[name].slice(0, 60)}"; it must be an absolute http(s) URL`,
      )
  if (fields.expire_month !== undefined && !(Number(fields.expire_month) >= 1 && Number(fields.expire_month) <= 12))
    return invalid(
      'Parameter expire_month has wrong format',
      `expire_month is ${fields.expire_month}; it must be 01 to 12`,
    )
  fields.client_orderid = orderId!
  return {
    clientOrderId: orderId!,
    amount,
    amountNumber,
    currency: fields.currency,
    callbackUrl: fields.server_callback_url,
    merchantData: fields.merchant_data,
    fields,
  }
}
