/**
 * Provider-neutral statuses. Each provider maps them to its native statuses and codes; scenario
 * files and the admin API accept either.
 */
export const NEUTRAL_STATUSES = [
  'pending',
  'processing',
  'approved',
  'declined',
  'failed',
  'expired',
  'cancelled',
  'refunded',
] as const
export type NeutralStatus = (typeof NEUTRAL_STATUSES)[number]

/** Statuses after which timeline steps no longer move a transaction. */
export const FINAL_STATUSES: ReadonlySet<NeutralStatus> = new Set([
  'approved',
  'declined',
  'failed',
  'expired',
  'cancelled',
  'refunded',
])

export function isNeutralStatus(name: string): name is NeutralStatus {
  return (NEUTRAL_STATUSES as readonly string[]).includes(name)
}

/** Who or what moved a transaction. */
export type TransitionSource = 'request' | 'timeline' | 'admin' | 'page' | 'expiry'

export interface HistoryEntry {
  at: number
  status: NeutralStatus
  /** The provider's own status name when a scenario or page named one. */
  nativeStatus?: string
  source: TransitionSource
  /**
   * The rule that made this change, when it is not the transaction's own `rule` (absent entries
   * from a request or timeline step point at `Transaction.rule`; `ruleOf()` resolves either).
   */
  rule?: string
}

/**
 * One payment, payout or refund. The core is provider-neutral; `data` belongs to the provider
 * (its request fields, native codes, anything its wire format needs to render it again), typed by
 * the provider's `Data`.
 *
 * @example
 * const tx: Transaction<ConnecxTxnData> = port.transactions.byProviderRef('176272727441')!
 * tx.data.txnAmount // a number, no cast
 */
export interface Transaction<Data = Record<string, unknown>> {
  /** The sandbox's own id, `<provider>-<n>`: used by the admin API. */
  id: string
  provider: string
  merchant: string
  /** The provider's operation kind, e.g. `payin`, `payout`, `refund`. */
  kind: string
  /** The merchant's reference (order id, paymentRef, client_orderid, …). */
  reference: string
  /** The provider's id for it (txnId, orderid, payment id, …). */
  providerRef: string
  amount: number
  currency: string
  status: NeutralStatus
  nativeStatus?: string
  /** Native fields a scenario rule asked for (e.g. a result code); the provider renders them. */
  native?: Record<string, unknown>
  callbackUrl?: string
  createdAt: number
  updatedAt: number
  history: HistoryEntry[]
  /** The rule that decided this transaction, for the journal and admin views. */
  rule?: string
  data: Data
}

/**
 * A merchant account with its provider-specific settings (keys, URLs, token recipes, …), typed by
 * the provider's `Settings`; without it, an open record of settings.
 *
 * @example
 * const m: Merchant<{ apiKey: string }> = { provider: 'connecx', id: '3568224497743', apiKey: 'k' }
 */
export type Merchant<Settings = Record<string, unknown>> = { provider: string; id: string } & Settings

/** Every merchant may override its provider's callback retry schedule (e.g. `["1m","5m"]`). */
export interface CommonSettings {
  callbackRetrySchedule?: string[]
  /** `wait` (default): flows that need a customer wait for one; `auto`: approved 2 s after acceptance. */
  customer?: 'wait' | 'auto'
  /** Seed rules the sandbox stops enforcing for this merchant (see `src/providers/seed-rules.ts`). */
  relaxedRules?: string[]
}

/** How the callback a status change implies is sent: copies, signature and delay. */
export interface CallbackOptions {
  copies: number
  signature: 'valid' | 'invalid'
  delay: number
}

/** One callback, correctly signed, sent at once: what a status change sends unless a rule says otherwise. */
export const ONE_CALLBACK: Readonly<CallbackOptions> = Object.freeze({ copies: 1, signature: 'valid', delay: 0 })

/** A timeline step's callback: none, or how to send it. */
export type CompiledCallback = false | CallbackOptions

/** What a provider knows when it accepts a request. */
export type OpenTransaction<Data = Record<string, unknown>> = Pick<
  Transaction<Data>,
  'provider' | 'merchant' | 'kind' | 'reference' | 'providerRef' | 'amount' | 'currency' | 'callbackUrl'
> & {
  /** Status in the synchronous answer before any step applies (e.g. `pending`, `processing`). */
  initial: NeutralStatus
  data?: Data
}

/** One try at delivering a callback. */
export interface DeliveryAttempt {
  at: number
  /** HTTP status received, absent when no answer came. */
  status?: number
  acknowledged: boolean
  /** What went wrong, in plain words (connection refused, timed out, not acknowledged, …). */
  error?: string
  responseBody?: string
  durationMs: number
}

/**
 * A callback and its delivery history. Persisted, so a restart resumes pending deliveries.
 * `state`: `scheduled` (waiting for `dueAt`), `acknowledged`, `failed` (gave up after the retry
 * schedule), `refused` (loop guard).
 */
export interface Delivery {
  id: string
  provider: string
  merchant: string
  transactionId: string
  reference: string
  event: string
  signature: 'valid' | 'invalid'
  request: CallbackRequest
  createdAt: number
  dueAt: number
  state: 'scheduled' | 'acknowledged' | 'failed' | 'refused'
  attempts: DeliveryAttempt[]
  /** Failed attempts since the schedule (re)started; a redelivery restarts it. */
  failures: number
}

/** A callback the provider wants delivered, fully built and signed. */
export interface CallbackRequest {
  url: string
  method: 'POST' | 'GET'
  headers: Record<string, string>
  /** Exact body bytes as text (empty for GET). */
  body: string
  /** What event this is, for the delivery log (e.g. the native status). */
  event: string
}

/** What a callback attempt got back, as the provider's acknowledgement rule sees it. */
export interface CallbackResponse {
  status: number
  body: string
}
