import type { Clock } from './clock.js'
import type { EngineEvents } from './events.js'
import type { Journal } from './journal.js'
import type { ProviderPort } from './port.js'
import type { AnyProvider } from './provider.js'
import type { CompiledStep, Decision } from './scenarios.js'
import type { Store } from './store.js'
import { parseDuration } from './duration.js'
import { DueClaims } from './claims.js'
import { StepQueue } from './step-queue.js'
import {
  FINAL_STATUSES,
  isNeutralStatus,
  ONE_CALLBACK,
  type CallbackOptions,
  type HistoryEntry,
  type NeutralStatus,
  type OpenTransaction,
  type Transaction,
  type TransitionSource,
} from './types.js'

export type { OpenTransaction } from './types.js'

/** What `Transactions` uses of the engine. */
export interface TransactionsDeps {
  store: Store
  clock: Pick<Clock, 'now' | 'schedule' | 'mode'>
  journal: Pick<Journal, 'note'>
  events: Pick<EngineEvents, 'emit'>
  provider(id: string): AnyProvider
  /** The port a provider's `onStatusChange` hook receives. */
  port(id: string): ProviderPort
  /** Schedules the callbacks a status change implies (the engine's callback queue). */
  enqueueCallbacks(tx: Transaction, options: CallbackOptions): Array<{ id: string }>
}

/**
 * A scheduled status change (a timeline step), persisted so it survives a restart. Stored lean
 * (100,000 may wait): `callback` and `rule` are left out when they are the default callback and
 * the transaction's own rule; {@link Transactions.jobs} fills both in.
 */
export interface TimelineJob {
  id: string
  transactionId: string
  at: number
  status: string
  /** How the step's callback is sent; absent: one callback, correctly signed, at once (`ONE_CALLBACK`). */
  callback?: CompiledStep['callback']
  source: TransitionSource
  /** The rule behind the step when it is not the transaction's own (`Transaction.rule`). */
  rule?: string
}

/** A status name the provider does not know. */
export class UnknownStatusError extends Error {
  constructor(provider: string, name: string, known: string[]) {
    super(
      `"${name}" is not a status of ${provider}; use a neutral status (pending, processing, approved, declined, failed, expired, cancelled, refunded) or one of ${known.join(', ')}`,
    )
    this.name = 'UnknownStatusError'
  }
}

/**
 * Transactions and their timelines. State is per transaction: each carries the rule that decided
 * it and its own scheduled steps, so two payments in flight never share scenario state.
 *
 * @example
 * const tx = await engine.transactions.open({ provider: 'connecx', ..., initial: 'pending' }, decision)
 * await engine.transactions.transition(tx, 'approved', { source: 'admin' })
 */
export class Transactions {
  /** When the pending steps fall due (one clock timer for all of them). */
  private readonly steps: StepQueue
  /**
   * Lookup indexes: provider → providerRef → id, and provider → reference → id (the merchant is
   * checked on lookup). Keyed by a hash of the string (see `KeyIndex`), so an index entry costs
   * one map slot and no string. Built from the store on the first lookup
   * after `reindex()`, so loading state does no work proportional to the stored transactions
   * before the server listens; a lookup never sees a partial index.
   */
  private refs: { byProviderRef: KeyIndex; byReference: KeyIndex } | undefined = newIndexes()

  private readonly claims: DueClaims
  private readonly timeouts = new Map<string, number>()

  constructor(private readonly engine: TransactionsDeps) {
    this.claims = new DueClaims(engine.store)
    this.steps = new StepQueue(engine.clock, (id, at) => this.run(id, at))
  }

  /** Drops the lookup indexes (after load, reset and rollback); the next lookup rebuilds them. */
  reindex(): void {
    this.refs = undefined
  }

  /** The lookup indexes, built from the store when they were dropped. */
  private indexes(): { byProviderRef: KeyIndex; byReference: KeyIndex } {
    if (this.refs) return this.refs
    this.refs = newIndexes()
    const all = this.engine.store
      .values<Transaction>('transactions')
      .sort((a, b) => a.createdAt - b.createdAt || seq(a.id) - seq(b.id))
    for (const tx of all) this.index(tx)
    return this.refs
  }

  /** Adds a stored transaction to the indexes (when they are not built, the build will find it). */
  private index(tx: Transaction): void {
    if (!this.refs) return
    this.refs.byProviderRef.add(tx.provider, tx.providerRef, tx.id)
    this.refs.byReference.add(tx.provider, tx.reference, tx.id)
  }

  /** Indexes a transaction another replica created (a shared store); known ones are left as they are. */
  track(tx: Transaction): void {
    // Not built yet: the build reads the store, which holds it.
    if (this.refs && !this.refs.byReference.ids(tx.provider, tx.reference).includes(tx.id)) this.index(tx)
  }

  /** Drops a removed transaction from the lookup indexes (retention). */
  forget(tx: Transaction): void {
    if (!this.refs) return
    this.refs.byProviderRef.delete(tx.provider, tx.providerRef, tx.id)
    this.refs.byReference.delete(tx.provider, tx.reference, tx.id)
  }

  /** Transactions under ids (oldest first), newest first. */
  private lookup(ids: readonly string[]): Transaction[] {
    const found: Transaction[] = []
    for (let i = ids.length - 1; i >= 0; i--) {
      const tx = this.get(ids[i])
      if (tx) found.push(tx)
    }
    return found
  }

  /** A merchant's transactions with this reference, newest first (indexed). */
  byReference(provider: string, merchant: string, reference: string): Transaction[] {
    return this.lookup(this.indexes().byReference.ids(provider, reference)).filter(
      (tx) => tx.merchant === merchant && tx.reference === reference,
    )
  }

  get(id: string): Transaction | undefined {
    return this.engine.store.get<Transaction>('transactions', id)
  }

  /** Transactions matching every given field, newest first. */
  list(
    filter: {
      provider?: string
      merchant?: string
      reference?: string
      providerRef?: string
      status?: string
      kind?: string
      /** Fields of the transaction's `data` that must equal these strings. */
      data?: Readonly<Record<string, string>>
    } = {},
  ): Transaction[] {
    // The store's hint takes `undefined` for "any" (an empty string here means any as well). The
    // data fields go first: they are the rarest strings (a UTR, a refund id).
    const { provider, merchant, reference, providerRef, kind, data = {} } = filter
    const where: Record<string, string | undefined> = {}
    for (const [k, v] of Object.entries(data)) where[`data.${k}`] = v
    Object.assign(where, {
      provider: provider || undefined,
      merchant: merchant || undefined,
      reference: reference || undefined,
      providerRef: providerRef || undefined,
      kind: kind || undefined,
    })
    return this.engine.store
      .values<Transaction>('transactions', where)
      .filter(
        (t) =>
          Object.entries(data).every(([k, v]) => (t.data as Record<string, unknown> | undefined)?.[k] === v) &&
          (!filter.provider || t.provider === filter.provider) &&
          (!filter.merchant || t.merchant === filter.merchant) &&
          (!filter.reference || t.reference === filter.reference) &&
          (!filter.providerRef || t.providerRef === filter.providerRef) &&
          (!filter.kind || t.kind === filter.kind) &&
          (!filter.status || t.status === filter.status || t.nativeStatus === filter.status),
      )
      .sort((a, b) => b.createdAt - a.createdAt || seq(b.id) - seq(a.id))
  }

  /** The transaction a provider knows by its own id. */
  byProviderRef(provider: string, providerRef: string): Transaction | undefined {
    return this.lookup(this.indexes().byProviderRef.ids(provider, providerRef)).find(
      (tx) => tx.providerRef === providerRef,
    )
  }

  /**
   * Creates a transaction as a scenario decided: applies the steps due at once (`after: 0`),
   * schedules the rest, and resolves once all of it is durable.
   */
  async open(input: OpenTransaction, decision: Decision): Promise<Transaction> {
    const { engine } = this
    const now = engine.clock.now()
    const tx: Transaction = {
      id: `${input.provider}-${engine.store.nextCounter(`transactions.${input.provider}`)}`,
      provider: input.provider,
      merchant: input.merchant,
      kind: input.kind,
      reference: input.reference,
      providerRef: input.providerRef,
      amount: input.amount,
      currency: input.currency,
      status: input.initial,
      native: Object.keys(decision.native).length ? decision.native : undefined,
      callbackUrl: input.callbackUrl,
      createdAt: now,
      updatedAt: now,
      history: [{ at: now, status: input.initial, source: 'request' }],
      rule: decision.rule,
      data: input.data ?? {},
    }
    engine.store.put('transactions', tx.id, tx)
    this.index(tx)
    engine.provider(tx.provider).onStatusChange?.(engine.port(tx.provider), tx, undefined)
    let steps = decision.timeline
    if (decision.outcome === 'expired' && steps.length === 0) {
      const timeout = this.customerTimeoutMs(tx.provider)
      // The frozen default, shared: not a copy per pending expiry (100,000 may wait).
      steps = [{ after: timeout, status: 'expired', callback: ONE_CALLBACK }]
    }
    for (const step of steps) {
      if (step.after === 0)
        this.apply(tx, step.status, { source: 'request', callback: step.callback, rule: decision.rule })
      else
        this.schedule({
          id: '',
          transactionId: tx.id,
          at: now + step.after,
          status: step.status,
          callback: isOneCallback(step.callback) ? undefined : step.callback,
          source: 'timeline',
          rule: decision.rule === tx.rule ? undefined : decision.rule,
        })
    }
    await engine.store.commit()
    engine.events.emit({ type: 'transaction', transaction: tx })
    return tx
  }

  /** A provider's `customerTimeout` in ms, parsed once per provider rather than per pay-in. */
  private customerTimeoutMs(provider: string): number {
    let ms = this.timeouts.get(provider)
    if (ms === undefined)
      this.timeouts.set(provider, (ms = parseDuration(this.engine.provider(provider).customerTimeout)))
    return ms
  }

  /**
   * Moves a transaction to a status (neutral or native), sends the callback the change implies
   * (unless `callback: false`), and resolves once it is durable.
   */
  async transition(
    tx: Transaction,
    status: string,
    options: { source: TransitionSource; callback?: CompiledStep['callback'] | boolean; rule?: string },
  ): Promise<Transaction> {
    this.apply(tx, status, options)
    await this.engine.store.commit()
    this.engine.events.emit({ type: 'transaction', transaction: tx })
    return tx
  }

  /** Resolves a neutral or native status name for a provider. Throws `UnknownStatusError`. */
  resolveStatus(provider: string, name: string): { status: NeutralStatus; nativeStatus?: string } {
    if (isNeutralStatus(name)) return { status: name }
    const native = this.engine.provider(provider).nativeStatuses
    if (name in native) return { status: native[name], nativeStatus: name }
    throw new UnknownStatusError(provider, name, Object.keys(native))
  }

  /** Pending timeline steps of a transaction, with their callback and rule filled in (copies). */
  jobs(transactionId: string): TimelineJob[] {
    const rule = this.get(transactionId)?.rule
    return this.engine.store
      .values<TimelineJob>('jobs', { transactionId: transactionId || undefined })
      .filter((j) => j.transactionId === transactionId)
      .map((j) => ({ ...j, callback: j.callback ?? { ...ONE_CALLBACK }, rule: j.rule ?? rule }))
  }

  /**
   * Arms a persisted job: it runs once the clock reaches `job.at` (after a restart, a rollback, or
   * another replica's change). Arming a job twice runs it once (the second finds it gone).
   */
  arm(job: TimelineJob): void {
    // Three array slots per pending step, not a timer each (100,000 may wait).
    this.steps.push(job.id, job.at)
  }

  cancelAll(): void {
    this.steps.clear()
    this.claims.cancelAll()
  }

  private apply(
    tx: Transaction,
    name: string,
    options: { source: TransitionSource; callback?: CompiledStep['callback'] | boolean; rule?: string },
  ): void {
    const { engine } = this
    const { status, nativeStatus } = this.resolveStatus(tx.provider, name)
    const previous = tx.status
    const now = engine.clock.now()
    tx.status = status
    tx.nativeStatus = nativeStatus
    tx.updatedAt = now
    // An entry names its rule only when it is not the transaction's own (`tx.rule`): see `ruleOf`.
    const entry: HistoryEntry = { at: now, status, source: options.source }
    if (nativeStatus) entry.nativeStatus = nativeStatus
    if (options.rule && options.rule !== tx.rule) entry.rule = options.rule
    tx.history.push(entry)
    engine.provider(tx.provider).onStatusChange?.(engine.port(tx.provider), tx, previous)
    engine.store.put('transactions', tx.id, tx)
    const cb = options.callback === undefined || options.callback === true ? ONE_CALLBACK : options.callback
    const deliveries = cb ? engine.enqueueCallbacks(tx, cb) : []
    engine.journal.note(
      'timeline',
      `${tx.id} (${tx.reference}) ${previous} → ${nativeStatus ? `${status} (${nativeStatus})` : status} by ${options.source}${deliveries.length ? `; callback ${deliveries.map((d) => d.id).join(', ')} scheduled` : ''}`,
      {
        provider: tx.provider,
        merchant: tx.merchant,
        reference: tx.reference,
        transactionId: tx.id,
        rule: options.rule,
      },
    )
  }

  private schedule(job: TimelineJob): void {
    job.id = `job-${this.engine.store.nextCounter('jobs')}`
    this.engine.store.put('jobs', job.id, job)
    this.arm(job)
  }

  /** Runs step `jobId`, queued as due at `at`: unless it is gone, or now due at another time. */
  private async run(jobId: string, at: number): Promise<void> {
    const { engine } = this
    if (engine.store.get<TimelineJob>('jobs', jobId)?.at !== at) return
    if (!engine.store.shared) return this.runStep(jobId)
    // Shared store: one replica runs the step (and sees the others' commits first).
    const release = await this.claims.take('jobs', jobId, () => this.run(jobId, at))
    if (!release) return
    try {
      await this.runStep(jobId)
    } finally {
      release()
    }
  }

  private async runStep(jobId: string): Promise<void> {
    const { engine } = this
    const job = engine.store.get<TimelineJob>('jobs', jobId)
    if (!job) return
    engine.store.remove('jobs', jobId)
    const tx = this.get(job.transactionId)
    if (!tx) return void (await engine.store.commit())
    if (FINAL_STATUSES.has(tx.status)) {
      engine.journal.note(
        'timeline',
        `${tx.id} (${tx.reference}): step "${job.status}" skipped, the transaction is already ${tx.status}`,
        {
          provider: tx.provider,
          reference: tx.reference,
          transactionId: tx.id,
          rule: job.rule ?? tx.rule,
        },
      )
      return void (await engine.store.commit())
    }
    this.apply(tx, job.status, { source: job.source, callback: job.callback, rule: job.rule ?? tx.rule })
    await engine.store.commit()
    engine.events.emit({ type: 'transaction', transaction: tx })
  }
}

/**
 * The rule behind a history entry: its own when it names one, otherwise the transaction's (most
 * entries point at the rule that decided the transaction instead of repeating its name).
 *
 * @example
 * ruleOf(tx, tx.history[0]) // 'documented test account — approved (built-in connecx.yaml #1)'
 */
export function ruleOf(tx: Transaction, entry: HistoryEntry): string | undefined {
  if (entry.rule) return entry.rule
  return entry.source === 'request' || entry.source === 'timeline' ? tx.rule : undefined
}

const seq = (id: string) => Number(id.slice(id.lastIndexOf('-') + 1))

/** Transaction ids under one hash, oldest first: the id itself, or an array once the hash repeats. */
type Ids = string | string[]

/**
 * Transaction ids by provider and one of their own strings (a providerRef or a reference), keyed
 * by a 30-bit hash of the string (a small integer: the index holds no string of its own, and the
 * transactions themselves are kept encoded). Different strings may share a hash: `ids` gives
 * candidates, and the caller checks the transaction's own field. The ids are the strings the
 * store keys the transactions by, so an entry adds no string either.
 */
class KeyIndex {
  private readonly byProvider = new Map<string, Map<number, Ids>>()

  add(provider: string, key: string, id: string): void {
    let keys = this.byProvider.get(provider)
    if (!keys) this.byProvider.set(provider, (keys = new Map()))
    const h = hash(key)
    const ids = keys.get(h)
    if (ids === undefined) keys.set(h, id)
    else if (typeof ids === 'string') keys.set(h, [ids, id])
    else ids.push(id)
  }

  delete(provider: string, key: string, id: string): void {
    const keys = this.byProvider.get(provider)
    const h = hash(key)
    const ids = keys?.get(h)
    if (ids === undefined) return
    if (typeof ids === 'string') {
      if (ids === id) keys!.delete(h)
      return
    }
    const rest = ids.filter((other) => other !== id)
    if (rest.length === 0) keys!.delete(h)
    else keys!.set(h, rest.length === 1 ? rest[0] : rest)
  }

  /** The ids whose string may be `key` (same hash), oldest first. */
  ids(provider: string, key: string): readonly string[] {
    const ids = this.byProvider.get(provider)?.get(hash(key))
    return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids
  }
}

/** FNV-1a of a string's UTF-16 code units, cut to 30 bits (a small integer in V8). */
function hash(key: string | undefined): number {
  const s = String(key)
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h & 0x3fffffff
}

const newIndexes = () => ({ byProviderRef: new KeyIndex(), byReference: new KeyIndex() })

/** The default callback (one, correctly signed, at once), whichever object holds it. */
function isOneCallback(callback: CompiledStep['callback']): boolean {
  if (callback === ONE_CALLBACK) return true
  if (!callback) return false
  const keys = Object.keys(callback)
  return (
    keys.length === 3 &&
    callback.copies === ONE_CALLBACK.copies &&
    callback.signature === ONE_CALLBACK.signature &&
    callback.delay === ONE_CALLBACK.delay
  )
}
