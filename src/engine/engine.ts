import { Callbacks, type Deliver } from './callbacks.js'
import { httpDeliver } from './delivery.js'
import { createClock, type Clock } from './clock.js'
import type { Context } from 'hono'
import type { SandboxEnv } from './env.js'
import { decide, respond } from './http.js'
import { EngineEvents } from './events.js'
import { Journal, type JournalOptions } from './journal.js'
import { loopGuard, type SandboxSelf } from './loop-guard.js'
import { Merchants } from './merchants.js'
import type { ProviderPort } from './port.js'
import type { AnyProvider } from './provider.js'
import { declareFakeLocales } from './fake.js'
import { providerLookup, Scenarios, type ScenarioFile } from './scenarios.js'
import { ReferenceReservations, reserveReference } from './reservations.js'
import type { Store } from './store.js'
import { LowdbStore, type LowdbStoreOptions } from './store-lowdb.js'
import { PostgresStore, type PostgresStoreOptions } from './store-postgres.js'
import { Retention, type RetentionPolicy } from './store-retention.js'
import { Transactions, type TimelineJob } from './transactions.js'
import type { Delivery } from './callbacks.js'
import { ONE_CALLBACK, type Merchant, type Transaction } from './types.js'
import type { AdminAccess } from '../admin/guard.js'

/** A timeline step or callback attempt waiting on the clock. */
export interface DueWork {
  /** When it falls due (ms since the epoch, clock time). */
  at: number
  kind: 'step' | 'callback'
  /** Job id (`job-3`) or delivery id (`cb-7`). */
  id: string
  transactionId: string
  /** In words: the status it sets, or the callback it sends. */
  what: string
}

export interface EngineOptions {
  providers: AnyProvider[]
  /** lowdb snapshot path; omit for an in-memory store. */
  dataFile?: string
  clock?: 'real' | 'virtual'
  journal?: JournalOptions
  /** Extra or changed merchants per provider id (the config file's `merchants`). */
  merchants?: Record<string, Array<Partial<Merchant> & { id: string }>>
  /** Scenario files per layer, already read (built-in first, then user). */
  scenarioFiles?: Array<{ layer: 'built-in' | 'user'; source: string; file: unknown }>
  /** Replaces HTTP delivery of callbacks (in-process tests). */
  deliver?: Deliver
  /** Per-attempt callback timeout in ms (real time). Default 10 000. */
  callbackTimeoutMs?: number
  /** Callback attempts in flight per merchant host (default 32). */
  callbackConcurrency?: number
  /** Who may drive the admin API: token and allowed host names. */
  admin?: AdminAccess
  /** Prunes finished transactions (off when absent). */
  retain?: RetentionPolicy
  /** Store settings beyond the file: `repair`, `compactBytes`, an injected file layer (tests). */
  store?: Omit<LowdbStoreOptions, 'file'>
  /**
   * A PostgreSQL database shared by several replicas (`postgres://…`) instead of the lowdb file,
   * with its settings (`leaseMs`, …). See docs/store.md.
   */
  database?: PostgresStoreOptions
}

/**
 * The provider-agnostic core: store, clock, scenarios, transactions, callbacks, merchants and
 * journal. It knows providers only through the `Provider` interface.
 *
 * @example
 * const engine = new Engine({ providers: [connecx], clock: 'virtual' })
 * await engine.start()
 */
export class Engine {
  readonly store: Store
  readonly clock: Clock
  readonly journal: Journal
  readonly scenarios: Scenarios
  readonly merchants: Merchants
  readonly transactions: Transactions
  readonly callbacks: Callbacks
  /** References claimed by requests in flight (duplicate checks that hold under latency). */
  readonly reservations: ReferenceReservations
  /** What changes, as it happens (dashboard, server log). */
  readonly events = new EngineEvents()
  /** `host:port` values that reach this sandbox (loop guard). Surfaces add theirs. */
  readonly selfHosts = new Set<string>()
  /** Ports this sandbox listens on (loop guard: every address of this machine on them is the sandbox). */
  readonly listeningPorts = new Set<number>()
  private readonly providers = new Map<string, AnyProvider>()
  private readonly ports = new Map<string, ProviderPort>()
  private readonly closer = new AbortController()
  /** Aborts when the sandbox closes: requests held open by a `timeout` fault end then. */
  readonly closing: AbortSignal = this.closer.signal
  private started?: Promise<void>
  /** Prunes finished transactions when `retain` is set. */
  readonly retention?: Retention
  private isReady = false
  /** Releases the default delivery's kept-alive connections. */
  private readonly closeDelivery?: () => void

  constructor(readonly options: EngineOptions) {
    for (const p of options.providers) this.providers.set(p.id, p)
    declareFakeLocales(options.providers.flatMap((p) => (p.fakeLocale ? [p.fakeLocale] : [])))
    this.store = options.database
      ? new PostgresStore({
          ...options.database,
          counters: [
            ...options.providers.flatMap((p) => [`transactions.${p.id}`, ...(p.counters ?? [])]),
            'jobs',
            'delivery',
          ],
        })
      : new LowdbStore({ ...options.store, file: options.dataFile })
    this.store.onRollback((records) => this.afterRollback(records))
    this.store.shared?.onSync((records) => this.afterRemoteChanges(records))
    if (options.retain) this.retention = new Retention(this, options.retain)
    this.clock = createClock(options.clock ?? 'real')
    this.journal = new Journal(
      options.journal,
      () => this.clock.now(),
      (entry) => this.events.emit({ type: 'journal', entry }),
    )
    this.scenarios = new Scenarios(providerLookup(options.providers))
    this.merchants = new Merchants(this.store)
    this.transactions = new Transactions({
      store: this.store,
      clock: this.clock,
      journal: this.journal,
      events: this.events,
      provider: (id) => this.provider(id),
      port: (id) => this.port(id),
      enqueueCallbacks: (tx, o) => this.callbacks.enqueue(tx, o),
    })
    this.reservations = new ReferenceReservations(this)
    const deliver =
      options.deliver ??
      httpDeliver({
        timeoutMs: options.callbackTimeoutMs ?? 10_000,
        maxPerHost: options.callbackConcurrency,
      })
    this.closeDelivery = 'close' in deliver ? (deliver.close as () => void) : undefined
    this.callbacks = new Callbacks(
      {
        store: this.store,
        clock: this.clock,
        journal: this.journal,
        events: this.events,
        merchants: this.merchants,
        transactions: this.transactions,
        provider: (id) => this.provider(id),
        loopGuard: (url) => this.loopGuard(url),
      },
      deliver,
    )
    for (const p of options.providers)
      this.merchants.register(p.id, p.merchants, options.merchants?.[p.id], p.checkMerchant?.bind(p), p.settingsSchema)
    for (const f of options.scenarioFiles ?? []) this.scenarios.add(f.layer, f.file, f.source)
  }

  /** Loads state once, resumes scheduled steps and pending callbacks. Safe to call twice. */
  start(): Promise<void> {
    this.started ??= this.load()
    return this.started
  }

  get ready(): boolean {
    return this.isReady
  }

  private async load(): Promise<void> {
    await this.store.load()
    const savedNow = this.store.get<number>('state', 'clock.now')
    if (this.clock.mode === 'virtual' && savedNow && savedNow > this.clock.now())
      await this.clock.advance(savedNow - this.clock.now())
    const runtime = this.store.get<ScenarioFile[]>('state', 'scenarios.runtime')
    if (runtime?.length) this.scenarios.replaceRuntime(runtime)
    this.transactions.reindex()
    this.resume()
    this.retention?.start()
    this.isReady = true
  }

  /**
   * Re-arms persisted steps and callbacks, earliest first: what fell due while the sandbox was down
   * runs at once, in the order it fell due (a real clock runs timers due now in the order armed).
   */
  private resume(): void {
    const work: Array<{ at: number; arm: () => void }> = []
    for (const job of this.store.values<TimelineJob>('jobs'))
      work.push({ at: job.at, arm: () => this.transactions.arm(job) })
    for (const d of this.store.values<Delivery>('deliveries'))
      if (d.state === 'scheduled') work.push({ at: d.dueAt, arm: () => this.callbacks.arm(d) })
    for (const w of work.sort((a, b) => a.at - b.at)) w.arm()
  }

  /**
   * A failed write rolled records back to their durable values: indexes and timers follow them
   * (a job that ran in the failed write is due again, a delivery retries from its saved state).
   */
  private afterRollback(records: Map<string, Set<string>>): void {
    this.transactions.reindex()
    this.merchants.invalidate()
    for (const id of records.get('jobs') ?? []) {
      const job = this.store.get<TimelineJob>('jobs', id)
      if (job) this.transactions.arm(job)
    }
    for (const id of records.get('deliveries') ?? []) {
      const delivery = this.store.get<Delivery>('deliveries', id)
      if (delivery) this.callbacks.arm(delivery)
    }
  }

  /**
   * Another replica changed records (a shared store applied them): indexes, timers, merchants,
   * runtime scenarios and the virtual clock follow, and the dashboard hears of the changes.
   */
  private afterRemoteChanges(records: Map<string, Set<string>>): void {
    const txs = records.get('transactions')
    if (txs?.size) {
      const current = [...txs].map((id) => this.transactions.get(id))
      if (current.some((tx) => !tx)) this.transactions.reindex()
      for (const tx of current)
        if (tx) {
          this.transactions.track(tx)
          this.events.emit({ type: 'transaction', transaction: tx })
        }
    }
    for (const id of records.get('jobs') ?? []) {
      const job = this.store.get<TimelineJob>('jobs', id)
      if (job) this.transactions.arm(job)
    }
    for (const id of records.get('deliveries') ?? []) {
      const delivery = this.store.get<Delivery>('deliveries', id)
      if (delivery) {
        this.callbacks.arm(delivery)
        this.events.emit({ type: 'delivery', delivery })
      }
    }
    if (records.has('merchants')) this.merchants.invalidate()
    const state = records.get('state')
    if (state?.has('scenarios.runtime'))
      this.scenarios.replaceRuntime(this.store.get<ScenarioFile[]>('state', 'scenarios.runtime') ?? [])
    const sharedNow = this.store.get<number>('state', 'clock.now')
    if (state?.has('clock.now') && this.clock.mode === 'virtual' && sharedNow && sharedNow > this.clock.now())
      void this.clock.advance(sharedNow - this.clock.now()).then((now) => this.events.emit({ type: 'clock', now }))
  }

  provider(id: string): AnyProvider {
    const p = this.providers.get(id)
    if (!p) throw new Error(`unknown provider "${id}"; known: ${[...this.providers.keys()].join(', ')}`)
    return p
  }

  get providerList(): AnyProvider[] {
    return [...this.providers.values()]
  }

  /**
   * The narrow view of the engine a provider's routes and hooks get, bound to that provider (see
   * `ProviderPort`). One per provider, made on first use.
   */
  port(id: string): ProviderPort {
    let port = this.ports.get(id)
    if (port) return port
    this.provider(id)
    const { transactions, store } = this
    port = {
      provider: id,
      transactions: {
        open: (input, decision) => transactions.open({ ...input, provider: id }, decision),
        transition: (tx, status, options) => transactions.transition(tx, status, options),
        save: (tx) => store.put('transactions', tx.id, tx),
        get: (txId) => {
          const tx = transactions.get(txId)
          return tx?.provider === id ? tx : undefined
        },
        byReference: (merchant, reference) => transactions.byReference(id, merchant, reference),
        byProviderRef: (providerRef) => transactions.byProviderRef(id, providerRef),
        list: (filter = {}) => transactions.list({ ...filter, provider: id }),
      },
      merchants: {
        get: (merchantId) => this.merchants.get(id, merchantId),
        list: () => this.merchants.list(id),
      },
      callbacks: {
        send: (tx, options = ONE_CALLBACK) => void this.callbacks.enqueue(tx, options),
        acknowledged: (txId) => this.callbacks.list({ transactionId: txId }).some((d) => d.state === 'acknowledged'),
      },
      counters: { next: (name) => store.nextCounter(name) },
      state: { get: (key) => this.getState(key), set: (key, value) => this.setState(key, value) },
      clock: { now: () => this.clock.now() },
      reserve: (c, claim, holds) =>
        reserveReference(c, this, { ...claim, provider: id }, holds as (tx: Transaction) => boolean),
      commit: () => store.commit(),
      // A guarded route's context has more variables than SandboxEnv; decide and respond read only the journal.
      decide: (c, facts) => decide(c as unknown as Context<SandboxEnv>, this, id, facts),
      respond: (c, decision, produce) => respond(c as unknown as Context<SandboxEnv>, this, decision, produce),
    }
    this.ports.set(id, port)
    return port
  }

  /** The provider serving a path, if any. */
  providerForPath(path: string): AnyProvider | undefined {
    return this.providerList.find((p) =>
      p.pathPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)),
    )
  }

  /**
   * Why a callback URL must not be called (it reaches this sandbox itself, which would loop), or
   * undefined when it may be. See `loopGuard` for what counts as this sandbox.
   */
  loopGuard(url: string): Promise<string | undefined> {
    this.self ??= this.describeSelf()
    return loopGuard(url, this.self)
  }

  private self?: SandboxSelf

  /**
   * What the loop guard knows of this sandbox, made on first use: the providers' msw hosts are
   * fixed, and the surfaces' `selfHosts` and `listeningPorts` are read as they are at each call.
   */
  private describeSelf(): SandboxSelf {
    const msw = new Set(
      this.providerList
        .flatMap((p) => p.hosts.map(safeHost))
        .filter((h): h is string => !!h)
        .map((h) => h.toLowerCase()),
    )
    return {
      ports: this.listeningPorts,
      hosts: {
        has: (host: string) => msw.has(host) || [...this.selfHosts].some((h) => h.toLowerCase() === host),
      },
      isSandboxPath: (path: string) =>
        path === '/_sandbox' || path.startsWith('/_sandbox/') || !!this.providerForPath(path),
    }
  }

  /** Moves a virtual clock forward, running what falls due, and remembers the time across restarts. */
  async advanceClock(by: string | number): Promise<number> {
    const now = await this.clock.advance(by)
    this.store.put('state', 'clock.now', now)
    await this.store.commit()
    this.events.emit({ type: 'clock', now })
    return now
  }

  /** Provider-owned state (balances, counters) kept in the store. */
  getState<T>(key: string): T | undefined {
    return this.store.get<T>('state', key)
  }

  setState<T>(key: string, value: T): void {
    this.store.put('state', key, value)
  }

  /**
   * Validates and installs runtime scenario files (one file or a list) for the providers they
   * name, persists them and notes the change in the journal. Throws `ScenarioError` naming the
   * file, rule and field at fault; nothing changes then.
   *
   * @example
   * await engine.replaceRuntimeScenarios({ provider: 'connecx', rules: [{ outcome: 'declined' }] })
   */
  async replaceRuntimeScenarios(body: unknown): Promise<ScenarioFile[]> {
    const files = (Array.isArray(body) ? body : [body]) as ScenarioFile[]
    this.scenarios.replaceRuntime(files)
    this.saveRuntimeScenarios()
    await this.store.commit()
    this.journal.note('admin', `runtime scenarios replaced for ${files.map((f) => f.provider).join(', ')}`)
    return this.scenarios.layer('runtime')
  }

  /** Persists the runtime scenario layer (admin API changes survive a restart). */
  saveRuntimeScenarios(): void {
    this.store.put('state', 'scenarios.runtime', this.scenarios.layer('runtime'))
  }

  /**
   * Back to a fresh start: no transactions, callbacks, steps, runtime scenarios, merchant changes
   * or provider state; the journal emptied. The clock keeps its time.
   */
  async reset(): Promise<void> {
    this.transactions.cancelAll()
    this.callbacks.cancelAll()
    await this.callbacks.idle()
    const clockNow = this.store.get<number>('state', 'clock.now')
    this.store.clear()
    if (clockNow) this.store.put('state', 'clock.now', clockNow)
    this.merchants.invalidate()
    this.scenarios.clearLayer('runtime')
    this.scenarios.clearLayer('override')
    this.scenarios.resetCounts()
    this.transactions.reindex()
    this.journal.clear()
    await this.store.commit()
    this.events.emit({ type: 'reset' })
  }

  /**
   * Work waiting on the clock, soonest first: scheduled timeline steps and callbacks waiting for
   * their first attempt or a retry.
   *
   * @example
   * engine.dueWork()[0] // { at: 1669868126000, kind: 'step', id: 'job-1', transactionId: 'connecx-1', what: 'approved' }
   */
  dueWork(): DueWork[] {
    const steps: DueWork[] = this.store.values<TimelineJob>('jobs').map((j) => {
      // A step names its rule only when it is not its transaction's (see TimelineJob).
      const rule = j.rule ?? this.transactions.get(j.transactionId)?.rule
      return {
        at: j.at,
        kind: 'step',
        id: j.id,
        transactionId: j.transactionId,
        what: `status ${j.status}${rule ? ` (${rule})` : ''}`,
      }
    })
    const deliveries: DueWork[] = this.callbacks.list({ state: 'scheduled' }).map((d) => ({
      at: d.dueAt,
      kind: 'callback',
      id: d.id,
      transactionId: d.transactionId,
      what: `${d.event} callback, attempt ${d.attempts.length + 1}, to ${d.request.url}`,
    }))
    return [...steps, ...deliveries].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))
  }

  /** Ends requests held open by a `timeout` fault (a server shutting down calls it first). */
  endHeldRequests(): void {
    this.closer.abort()
  }

  /** Stops timers, waits for callbacks in flight, writes what is pending. */
  async close(): Promise<void> {
    this.closer.abort()
    this.retention?.stop()
    this.transactions.cancelAll()
    this.callbacks.cancelAll()
    await this.callbacks.idle()
    this.closeDelivery?.()
    this.clock.stop()
    await this.store.close()
  }
}

function safeHost(base: string): string | undefined {
  try {
    return new URL(base).host
  } catch {
    return undefined
  }
}
