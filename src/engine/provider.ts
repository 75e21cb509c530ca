import type { Context, Hono } from 'hono'
import type { OpenAPIObject } from 'openapi3-ts/oas31'
import type { SandboxEnv } from './env.js'
import type { ProviderPort } from './port.js'
import type {
  CallbackRequest,
  CallbackResponse,
  CommonSettings,
  Merchant,
  NeutralStatus,
  Transaction,
} from './types.js'

export type { CallbackRequest, CallbackResponse } from './types.js'

/** Everything the engine needs from a provider about its callbacks. */
export interface ProviderCallbacks<Data = Record<string, unknown>, Settings = Record<string, unknown>> {
  /**
   * Builds the callback a transaction's change to its current status implies, or null when this
   * status sends none. `signature: 'invalid'` must produce a wrongly signed callback.
   */
  build(
    tx: Transaction<Data>,
    merchant: Merchant<Settings>,
    options: { signature: 'valid' | 'invalid' },
  ): CallbackRequest | null
  /**
   * Signs a stored callback afresh before a retry, for providers whose signature is randomised per
   * send (PayAtom's `post_hash` draws a new IV each time). Without it, retries repeat the bytes.
   */
  resign?(
    request: CallbackRequest,
    merchant: Merchant<Settings>,
    options: { signature: 'valid' | 'invalid' },
  ): CallbackRequest
  /** The acknowledgement rule in words, for the delivery log: `any HTTP 2xx`. */
  ackRule: string
  /** The provider's acknowledgement rule. */
  isAcknowledged(response: CallbackResponse): boolean
  /**
   * Delays between attempts; the number of entries is the number of retries. A merchant setting
   * `callbackRetrySchedule` (same form) overrides it.
   */
  retrySchedule: string[]
}

/** A JSON Schema for one merchant setting (the subset the sandbox checks). */
export interface SettingSchema {
  type: JsonType | JsonType[]
  description?: string
}
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null'

/** Failures that happen before a provider route runs; the provider answers in its own format. */
export type GenericProblem = 'body-too-large' | 'route-not-found' | 'internal-error'

/**
 * A provider module: it owns its wire format and crypto and nothing else. State, time, scenarios
 * and delivery belong to the engine, which it reaches through its `ProviderPort`. `Data` is what
 * it keeps in `Transaction.data`, `Settings` its merchants' settings. Define one with
 * `defineProvider()` so both are inferred; `docs/adding-a-provider.md` walks through one.
 *
 * @example
 * export const connecx = defineProvider<ConnecxTxnData, ConnecxSettings>({
 *   id: 'connecx', title: 'Connecx Unified Payments', pathPrefixes: ['/mxapi'],
 *   hosts: ['https://connecx.test'], merchants: [...], nativeStatuses: {...},
 *   routes: (port) => app, callbacks: {...}, problem: (c, p) => c.json(...), openapi: () => doc,
 * })
 */
export interface Provider<Data = Record<string, unknown>, Settings = Record<string, unknown>> {
  id: string
  title: string
  /** Seed document this module implements. */
  seed: string
  /** Path prefixes it serves (they never collide between providers). */
  pathPrefixes: string[]
  /** Real base URLs the msw handlers intercept by default. */
  hosts: string[]
  /** Default test accounts, provisioned on every fresh start. */
  merchants: Merchant<Settings & CommonSettings>[]
  /** Native status names, each with the neutral status it means. */
  nativeStatuses: Record<string, NeutralStatus>
  /** How long a flow waiting for the customer lives before it expires. */
  customerTimeout: string
  /**
   * Names of the counters its routes draw from (`port.counters.next`): a store shared by several
   * replicas leases values of each before the first request needs one.
   */
  counters?: readonly string[]
  /**
   * The operation names the provider reports to scenarios (`match.operation`), e.g.
   * `['payin', 'payout']`. Scenario files naming another operation are refused.
   */
  operations: readonly string[]
  /**
   * The unit of the amount the provider passes to scenarios: `major` (default, e.g. rupees) or
   * `minor` (e.g. paise, as ECommPay's `payment.amount`). Scenario amounts are always major units;
   * the engine converts with the currency's exponent.
   */
  amountUnit?: 'major' | 'minor'
  /**
   * JSON Schemas of merchant settings whose type the default merchant cannot show (a `null`
   * default). Every other setting takes the type of its default value.
   */
  settingsSchema?: Record<string, SettingSchema>
  /**
   * The faker locale of the provider's customers (e.g. `en_IN`), for made-up names, UPI handles
   * and references (`fake()` in `src/engine/fake.ts`), imported the first time a value is made up.
   */
  fakeLocale?: string
  /** Builds the provider's Hono routes. */
  routes(port: ProviderPort<Data, Settings & CommonSettings>): Hono<SandboxEnv>
  callbacks: ProviderCallbacks<Data, Settings & CommonSettings>
  /** Answers a generic problem in the provider's own error format. */
  problem(c: Context<SandboxEnv>, problem: GenericProblem): Response | Promise<Response>
  /**
   * Problems with a merchant's settings after a change (config file or PATCH), in plain words,
   * e.g. `tokenRecipes.payment must be a list of field names`. Empty when they are fine.
   */
  checkMerchant?(merchant: Merchant): string[]
  /** Side effects of a status change inside the provider's world (e.g. balances). */
  onStatusChange?(
    port: ProviderPort<Data, Settings & CommonSettings>,
    tx: Transaction<Data>,
    previous: NeutralStatus | undefined,
  ): void
  /**
   * The provider's OpenAPI 3.1 document. Asynchronous so its builders load on first use (only
   * `/_sandbox/openapi/<id>.json`, the docs page and `psp-sandbox openapi` need them).
   */
  openapi(): Promise<OpenAPIObject>
  /**
   * The path (with query) of the hosted page where a customer acts on this transaction, when it
   * has one; the dashboard links to it.
   */
  hostedPage?(tx: Transaction<Data>): string | undefined
}

/** A provider of any data and settings, as the engine holds them side by side. */
export type AnyProvider = Provider<any, any>

/**
 * Declares a provider with its own transaction data and merchant settings, so its routes, hooks
 * and callbacks read `tx.data` and merchant settings without casts.
 *
 * @example
 * export const demo = defineProvider<DemoData, DemoSettings>({ id: 'demo', ... })
 */
export function defineProvider<Data, Settings = Record<string, unknown>>(
  provider: Provider<Data, Settings>,
): Provider<Data, Settings> {
  return provider
}
