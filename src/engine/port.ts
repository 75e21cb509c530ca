import type { Context } from 'hono'
import type { SandboxEnv } from './env.js'
import type { Decision, RequestFacts } from './scenarios.js'
import type {
  CallbackOptions,
  Merchant,
  OpenTransaction,
  Transaction,
  TransitionSource,
  CompiledCallback,
} from './types.js'

/**
 * What a provider's routes and hooks may ask of the engine, bound to that provider: its own
 * transactions, merchants, counters and state, the clock, durable commits, scenario decisions
 * and the faults a decision asks for. Nothing else of the engine is reachable from a provider, so
 * the engine can change how it stores, schedules or delivers without touching five providers.
 *
 * `Data` and `Settings` are the provider's own transaction data and merchant settings: the port
 * hands them back typed (the engine stores what the provider gave it, so the types hold).
 *
 * @example
 * export const routes = (port: ProviderPort<ConnecxTxnData, ConnecxSettings>) => {
 *   const tx = port.transactions.byProviderRef('176272727441')
 *   tx?.data.txnAmount // number
 * }
 */
export interface ProviderPort<Data = Record<string, unknown>, Settings = Record<string, unknown>> {
  /** The provider's id, e.g. `connecx`. */
  readonly provider: string
  readonly transactions: {
    /**
     * Creates a transaction as a scenario decided: applies the steps due at once, schedules the
     * rest, and resolves once all of it is durable.
     */
    open(input: Omit<OpenTransaction<Data>, 'provider'>, decision: Decision): Promise<Transaction<Data>>
    /** Moves a transaction to a neutral or native status; resolves once durable. */
    transition(
      tx: Transaction<Data>,
      status: string,
      options: { source: TransitionSource; callback?: CompiledCallback | boolean; rule?: string },
    ): Promise<Transaction<Data>>
    /** Keeps a change to a transaction's `data`; it is written with the next `commit()`. */
    save(tx: Transaction<Data>): void
    get(id: string): Transaction<Data> | undefined
    /** A merchant's transactions with this reference, newest first. */
    byReference(merchant: string, reference: string): Transaction<Data>[]
    /** The transaction the provider knows by its own id. */
    byProviderRef(providerRef: string): Transaction<Data> | undefined
    /**
     * The provider's transactions matching every given field, newest first. `data` names fields of
     * the transaction's `data` that must equal the strings given: say them here rather than filter
     * the whole list afterwards (the store can then skip most records unread).
     *
     * @example
     * port.transactions.list({ merchant: m.id, kind: 'payin', data: { utr } })[0]
     */
    list(filter?: { merchant?: string; kind?: string; data?: Readonly<Record<string, string>> }): Transaction<Data>[]
  }
  readonly merchants: {
    get(id: string): Merchant<Settings> | undefined
    list(): Merchant<Settings>[]
  }
  readonly callbacks: {
    /** Sends the callback the transaction's current status implies (written with the next commit). */
    send(tx: Transaction<Data>, options?: CallbackOptions): void
    /** Whether any callback about this transaction was acknowledged by the merchant. */
    acknowledged(transactionId: string): boolean
  }
  /** Named counters that never repeat across restarts (provider ids, sequence numbers). */
  readonly counters: { next(name: string): number }
  /** Provider-owned state kept in the store (balances); written with the next commit. */
  readonly state: {
    get<T>(key: string): T | undefined
    set<T>(key: string, value: T): void
  }
  readonly clock: { now(): number }
  /**
   * Claims a merchant's reference for this request (duplicate checks that hold while requests
   * are in flight); false when a transaction or another request in flight holds it. Released when
   * the request ends. Several replicas on one database: the claim holds across all of them.
   */
  reserve<E extends SandboxEnv>(
    c: Context<E>,
    claim: { merchant: string; reference: string; scope?: string },
    holds?: (tx: Transaction<Data>) => boolean,
  ): Promise<boolean>
  /** Makes every change so far durable; resolves when it is. */
  commit(): Promise<void>
  /** Asks the scenarios what to do with a request; notes the rule in the request's journal entry. */
  decide<E extends SandboxEnv>(c: Context<E>, facts: RequestFacts): Decision
  /**
   * Produces the answer a decision asks for: latency, then the normal answer or a fault.
   *
   * @example
   * return port.respond(c, decision, async () => c.json(await accept()))
   */
  respond<E extends SandboxEnv>(c: Context<E>, decision: Decision, produce: () => Promise<Response>): Promise<Response>
}
