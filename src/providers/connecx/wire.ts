import { CHANNELS, SEED_RULES, type Channel, type SeedRule } from './channels.js'
import { checkSeedSettings, enforced } from '../seed-rules.js'
import type { Merchant, NeutralStatus, Transaction } from '../../engine/types.js'
import { Refusal } from '../kit/refusal.js'
import type { RecipeName, TokenRecipe } from './crypto.js'

/** The Connecx appendix error codes the sandbox answers with, and their texts verbatim. */
export const ERRORS = {
  E0042: 'Invalid Merchant ID',
  E1000: 'Invalid merchant',
  E1001: 'Merchant account is not active',
  E1022: 'Invalid account ID',
  E2004: 'Invalid transaction authorization',
  E2005: 'Missing transaction authorization',
  E2020: 'Invalid transaction amount',
  E2022: 'Unsupported currency',
  E2029: 'Transaction not found',
  E2045: 'Payment reference is required',
  E2046: 'Duplicate payment reference',
  E3000: 'Bad Request Error',
  E9998: 'Validation Errors',
  E9999: 'System Error',
} as const

export type ErrorCode = keyof typeof ERRORS

/** A Connecx merchant's settings. */
export interface ConnecxSettings {
  name: string
  apiKey: string
  /** The 10-digit account id pay-ins and pay-outs must name. */
  accountId: string
  active: boolean
  /** Channel codes assigned to the merchant. */
  channels: string[]
  /** Opening balance per currency. */
  balances: Record<string, number>
  /** Fields hashed into each API's token, overriding `DEFAULT_RECIPES`. */
  tokenRecipes: Partial<Record<RecipeName, TokenRecipe>>
  statusTimeStampUnit: 'seconds' | 'milliseconds'
}

export type ConnecxMerchant = Merchant<ConnecxSettings>
export type ConnecxTransaction = Transaction<ConnecxTxnData>

/**
 * A request Connecx refuses: its appendix code, HTTP 422 unless `status` says otherwise, and the
 * seed rule that refused it, when one did (the merchant may relax it).
 */
export type ConnecxRefusal = Refusal<ErrorCode, { rule?: SeedRule }>

/** `{"msgCode":"E2046","msgText":"Duplicate payment reference"}` */
export function errorBody(code: ErrorCode): string {
  return JSON.stringify({ msgCode: code, msgText: ERRORS[code] })
}

/** Native names a scenario or the admin API may use, with the neutral status each means. */
export const NATIVE_STATUSES: Record<string, NeutralStatus> = {
  COMPLETED: 'approved',
  SUCCESS: 'approved',
  FORAUTHZ: 'pending',
  PENDING: 'pending',
  PENDING_SUBMIT: 'pending',
  PENDING_AUTHZ: 'pending',
  INPROCESS: 'processing',
  CANCELLED: 'cancelled',
  TIMED_OUT: 'expired',
  FAILED: 'failed',
  SYSERR: 'failed',
  DECLINED: 'declined',
  INSUFFICENT_FUNDS: 'declined',
  POSSIBLE_FRAUD: 'declined',
}

/**
 * `status` words of the document a scenario's native status sets as the status; the other native
 * names are `txnResultCode` values. FAILED and CANCELLED are both: they set the result code.
 */
const STATUS_WORDS = new Set(['COMPLETED', 'FORAUTHZ', 'INPROCESS', 'PENDING'])

export const RESULT_MESSAGES: Record<string, string> = {
  SUCCESS: 'successful',
  PENDING_SUBMIT: 'pending submission',
  PENDING_AUTHZ: 'pending authorization',
  INPROCESS: 'in process',
  TIMED_OUT: 'timed out',
  CANCELLED: 'cancelled',
  INSUFFICENT_FUNDS: 'insufficient funds',
  POSSIBLE_FRAUD: 'possible fraud',
  DECLINED: 'declined',
  FAILED: 'failed',
  SYSERR: 'system error',
}

/** Neutral status → [status, txnResultCode] per transaction kind. */
function nativeFor(status: NeutralStatus, kind: string): [string, string] {
  switch (status) {
    case 'pending':
      // A pay-in waits for the customer at authzUrl; a pay-out waits for the bank.
      return kind === 'payin' ? ['FORAUTHZ', 'PENDING_AUTHZ'] : ['INPROCESS', 'SUCCESS']
    case 'processing':
      // The pay-out sample answers INPROCESS with txnResultCode SUCCESS ("initiated").
      return kind === 'payin' ? ['INPROCESS', 'INPROCESS'] : ['INPROCESS', 'SUCCESS']
    case 'approved':
      return ['COMPLETED', 'SUCCESS']
    case 'declined':
      return ['FAILED', 'DECLINED']
    case 'failed':
      return ['FAILED', 'FAILED']
    case 'expired':
      return ['CANCELLED', 'TIMED_OUT']
    case 'cancelled':
    case 'refunded':
      return ['CANCELLED', 'CANCELLED']
  }
}

/** The status, result code and message a transaction shows, scenario overrides included. */
export function nativeState(tx: Transaction<unknown>): {
  status: string
  txnResultCode: string
  txnResultMessage: string
} {
  let [status, code] = nativeFor(tx.status, tx.kind)
  if (tx.nativeStatus) {
    if (STATUS_WORDS.has(tx.nativeStatus)) status = tx.nativeStatus
    else code = tx.nativeStatus
  }
  const final = tx.status !== 'pending' && tx.status !== 'processing'
  const native = final ? (tx.native ?? {}) : {}
  if (typeof native.txnResultCode === 'string') code = native.txnResultCode
  if (typeof native.status === 'string') status = native.status
  const message =
    typeof native.txnResultMessage === 'string'
      ? native.txnResultMessage
      : (RESULT_MESSAGES[code] ?? code.toLowerCase())
  return { status, txnResultCode: code, txnResultMessage: message }
}

/** What the sandbox keeps of a pay-in/pay-out request to render it again. */
export interface ConnecxTxnData {
  /** The amount exactly as the merchant sent it (number), echoed back. */
  txnAmount: number
  merchantTraceData?: string
  resultUrl?: string
  /** Base URL the request came to; `authzUrl` points there. */
  origin: string
}

/**
 * The pay-in/pay-out result object, key order as the seed's samples: the same object is the
 * synchronous answer, the callback body and each entry of the query answers.
 */
export function renderTxn(tx: ConnecxTransaction, merchant: ConnecxMerchant): Record<string, unknown> {
  const data = tx.data
  const state = nativeState(tx)
  const unit = merchant.statusTimeStampUnit === 'milliseconds' ? 1 : 1000
  const out: Record<string, unknown> = {
    txnType: tx.kind === 'payin' ? 'PAY-IN' : 'PAY-OUT',
    txnId: Number(tx.providerRef),
    status: state.status,
    statusTimeStamp: Math.floor(tx.updatedAt / unit),
    paymentRef: tx.reference,
    txnResultCode: state.txnResultCode,
    txnResultMessage: state.txnResultMessage,
    amount: data.txnAmount,
  }
  out.processedAmount = tx.status === 'approved' ? data.txnAmount : 0
  out.currency = tx.currency
  if (tx.kind === 'payin') {
    out.authzUrl = authzUrl(tx)
    out.authzRef = authzRef(tx)
  }
  if (data.merchantTraceData !== undefined) out.merchantTraceData = data.merchantTraceData
  if (data.resultUrl !== undefined) out.resultUrl = data.resultUrl
  return out
}

/** The hosted page where the customer approves or declines a pay-in. */
function authzUrl(tx: ConnecxTransaction): string {
  return `${tx.data.origin}/mxapi/authz/${tx.providerRef}`
}

/**
 * The pay-in's authorisation reference (sandbox decision: the seed names `authzRef` "Reference
 * number" without a format): `AZ` and the txnId.
 */
function authzRef(tx: ConnecxTransaction): string {
  return `AZ${tx.providerRef}`
}

/** A Java double as Jackson writes it: `0.0`, `1198.0`, `12.5`. */
export function double(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n)
}

/** A pay-in/pay-out request after validation. */
export interface PaymentRequest {
  channelCode: string
  accountId: string
  requestSalt: string
  txnAmount: number
  txnCurrency: string
  paymentRef: string
  paymentDesc?: string
  dupCheck: boolean
  merchantTraceData?: string
  resultUrl: string
  callbackUrl: string
  payInfo: Record<string, unknown>
  endUserInfo: Record<string, unknown>
}

const END_USER_REQUIRED = ['ipAddress', 'firstName', 'lastName', 'phoneNumber', 'emailAddress']
const ADDRESS_REQUIRED = ['addressLine1', 'cityTown', 'stateProv', 'country', 'postalCode']

/**
 * Validates a pay-in/pay-out body against the seed's tables and the merchant's channels, in the
 * order a merchant would fix them. Returns the request; throws the first refusal.
 */
export function validatePayment(
  body: Record<string, unknown>,
  merchant: ConnecxMerchant,
  kind: 'payin' | 'payout',
): PaymentRequest {
  const refuse = (code: ErrorCode, why: string, rule?: SeedRule): never => {
    throw new Refusal(code, why, rule ? { detail: { rule } } : {})
  }
  const text = (name: string, value: unknown) =>
    typeof value === 'string'
      ? undefined
      : value === undefined || value === null
        ? `${name} is required`
        : `${name} must be a string, got ${typeof value}`

  if (body.paymentRef === undefined || body.paymentRef === null || body.paymentRef === '')
    return refuse('E2045', 'paymentRef is missing or empty')
  if (typeof body.paymentRef !== 'string')
    return refuse('E9998', `paymentRef must be a string, got ${typeof body.paymentRef}`)
  for (const name of ['requestSalt', 'channelCode', 'txnCurrency', 'callbackUrl', 'resultUrl']) {
    const problem = text(name, body[name])
    if (problem) return refuse('E9998', problem)
  }
  const accountId = typeof body.accountId === 'number' ? String(body.accountId) : body.accountId
  if (typeof accountId !== 'string' || !accountId)
    return refuse('E9998', 'accountId is required (the 10-digit account id assigned to you)')
  if (!/^\d{10}$/.test(accountId) || accountId !== merchant.accountId)
    return refuse('E1022', `accountId "${accountId}" is not this merchant's account (${merchant.accountId})`)

  const channelCode = body.channelCode as string
  const channels = merchant.channels
  const channel: Channel | undefined = channels.includes(channelCode) ? CHANNELS[channelCode] : undefined
  if (!channel)
    return refuse(
      'E9998',
      `channelCode "${channelCode}" is not assigned to this merchant; assigned: ${channels.join(', ')}`,
    )
  const side = kind === 'payin' ? channel.payinSpecs : channel.payoutSpecs
  if (!side.enabled)
    return refuse('E9998', `${kind === 'payin' ? 'pay-in' : 'pay-out'} is not enabled on ${channelCode}`)

  const currency = body.txnCurrency as string
  const sampleOnly = channel.sampleCurrencies?.includes(currency)
  if (!channel.currencies.includes(currency) && !(sampleOnly && !enforced(merchant, 'channel-currency')))
    return refuse(
      'E2022',
      `${channelCode} does not accept ${currency}; its specs say ${channel.currencies.join(', ')}`,
      sampleOnly ? 'channel-currency' : undefined,
    )

  const rawAmount = body.txnAmount
  if (rawAmount === undefined || rawAmount === null) return refuse('E9998', 'txnAmount is required')
  const amount =
    typeof rawAmount === 'number'
      ? rawAmount
      : typeof rawAmount === 'string' && /^\d+(\.\d+)?$/.test(rawAmount.trim())
        ? Number(rawAmount)
        : NaN
  if (!Number.isFinite(amount) || amount <= 0)
    return refuse('E2020', `txnAmount ${JSON.stringify(rawAmount)} is not a positive number`)
  if (Math.abs(amount * 100 - Math.round(amount * 100)) > 1e-6)
    return refuse('E2020', `txnAmount ${amount} has more than 2 decimal places`)
  if (amount < side.minTxnAmount || amount > side.maxTxnAmount)
    return refuse(
      'E2020',
      `txnAmount ${amount} is outside ${channelCode}'s ${kind} limits ${side.minTxnAmount}–${side.maxTxnAmount}`,
    )

  for (const name of ['paymentDesc', 'merchantTraceData']) {
    if (body[name] !== undefined && body[name] !== null && typeof body[name] !== 'string')
      return refuse('E9998', `${name} must be a string, got ${typeof body[name]}`)
  }
  let dupCheck = false
  if (body.dupCheck !== undefined && body.dupCheck !== null) {
    if (body.dupCheck === true || body.dupCheck === 'true') dupCheck = true
    else if (body.dupCheck !== false && body.dupCheck !== 'false')
      return refuse('E9998', `dupCheck must be true or false, got ${JSON.stringify(body.dupCheck)}`)
  }
  for (const name of ['callbackUrl', 'resultUrl']) {
    if (!/^https?:\/\/[^\s]+$/i.test(body[name] as string))
      return refuse('E9998', `${name} "${body[name]}" is not an absolute http(s) URL`)
  }

  const user = body.endUserInfo
  if (typeof user !== 'object' || user === null || Array.isArray(user))
    return refuse('E9998', 'endUserInfo is required and must be an object')
  const userInfo = user as Record<string, unknown>
  for (const name of END_USER_REQUIRED) {
    const problem = text(`endUserInfo.${name}`, userInfo[name])
    if (problem || userInfo[name] === '') return refuse('E9998', problem ?? `endUserInfo.${name} is empty`)
  }
  if (userInfo.identifier !== undefined && userInfo.identifier !== null && typeof userInfo.identifier !== 'string')
    return refuse('E9998', 'endUserInfo.identifier must be a string')
  if (userInfo.address !== undefined && userInfo.address !== null) {
    const address = userInfo.address as Record<string, unknown>
    if (typeof address !== 'object' || Array.isArray(address))
      return refuse('E9998', 'endUserInfo.address must be an object')
    for (const name of ADDRESS_REQUIRED) {
      const problem = text(`endUserInfo.address.${name}`, address[name])
      if (problem) return refuse('E9998', problem)
    }
    if (!/^[A-Za-z]{2}$/.test(address.country as string))
      return refuse('E9998', `endUserInfo.address.country "${address.country}" is not a 2-letter country code`)
  }

  const payInfo = body.payInfo ?? {}
  if (typeof payInfo !== 'object' || Array.isArray(payInfo))
    return refuse('E9998', 'payInfo must be an object of key-value pairs')
  const pay = payInfo as Record<string, unknown>
  const strictPayInfo = enforced(merchant, 'required-pay-info')
  for (const { fieldName } of side.requiredPayInfo ?? []) {
    if (!strictPayInfo && !(fieldName === 'bankCode' && side.bankCodeRequired)) continue
    if (pay[fieldName] === undefined || pay[fieldName] === null || pay[fieldName] === '')
      return refuse(
        'E9998',
        `payInfo.${fieldName} is required on ${channelCode} (see GET /mxapi/{merchantId}/channelspecs/${channelCode})`,
        'required-pay-info',
      )
  }
  if (side.validateBankCode && pay.bankCode !== undefined && !channel.banks.some((b) => b.bankCode === pay.bankCode))
    return refuse(
      'E9998',
      `payInfo.bankCode "${pay.bankCode}" is not a bank of ${channelCode}; valid: ${channel.banks.map((b) => b.bankCode).join(', ')}`,
    )

  return {
    channelCode,
    accountId,
    requestSalt: body.requestSalt as string,
    txnAmount: amount,
    txnCurrency: currency,
    paymentRef: body.paymentRef,
    paymentDesc: body.paymentDesc as string | undefined,
    dupCheck,
    merchantTraceData: body.merchantTraceData as string | undefined,
    resultUrl: body.resultUrl as string,
    callbackUrl: body.callbackUrl as string,
    payInfo: pay,
    endUserInfo: userInfo,
  }
}

/**
 * Problems with a Connecx merchant's settings, so a bad PATCH is refused instead of breaking
 * every later request.
 */
export function checkConnecxMerchant(m: Merchant): string[] {
  const problems: string[] = []
  const isList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0)
  const recipes = m.tokenRecipes as Record<string, unknown> | undefined
  if (typeof recipes !== 'object' || recipes === null || Array.isArray(recipes))
    problems.push('tokenRecipes must be an object of recipe name → list of field names')
  else
    for (const [name, recipe] of Object.entries(recipes)) {
      if (!['payment', 'callback', 'txn', 'payref', 'bankcodes', 'balance', 'channelspecs'].includes(name))
        problems.push(
          `tokenRecipes.${name} is not a recipe (payment, callback, txn, payref, bankcodes, balance, channelspecs)`,
        )
      else if (!isList(recipe))
        problems.push(
          `tokenRecipes.${name} must be a list of field names, e.g. ["merchantId","requestSalt","paymentRef","apiKey"]`,
        )
    }
  if (m.statusTimeStampUnit !== 'seconds' && m.statusTimeStampUnit !== 'milliseconds')
    problems.push('statusTimeStampUnit must be "seconds" or "milliseconds"')
  if (!isList(m.channels) || !(m.channels as string[]).every((c) => c in CHANNELS))
    problems.push(`channels must be a list of ${Object.keys(CHANNELS).join(', ')}`)
  const balances = m.balances as Record<string, unknown>
  if (typeof balances !== 'object' || balances === null || !Object.values(balances).every((v) => Number.isFinite(v)))
    problems.push('balances must be an object of currency → number, e.g. {"USD":10000}')
  if (!/^\d{10}$/.test(String(m.accountId))) problems.push('accountId must be 10 digits')
  if (typeof m.apiKey !== 'string' || !m.apiKey) problems.push('apiKey must be a non-empty string')
  problems.push(...checkSeedSettings(m, Object.keys(SEED_RULES)))
  if (m.callbackRetrySchedule !== undefined && !isList(m.callbackRetrySchedule))
    problems.push('callbackRetrySchedule must be a list of durations, e.g. ["1m","5m"]')
  return problems
}
