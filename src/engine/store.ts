/** Collections the store keeps. Each is a map from id to a JSON-serialisable record. */
export type CollectionName = 'transactions' | 'deliveries' | 'jobs' | 'merchants' | 'counters' | 'state'

export const COLLECTIONS: readonly CollectionName[] = [
  'transactions',
  'deliveries',
  'jobs',
  'merchants',
  'counters',
  'state',
]

/** Records of each collection, as plain objects (the PostgreSQL store's working set). */
export type StoreData = Record<CollectionName, Record<string, unknown>>

export const emptyData = (): StoreData => ({
  transactions: {},
  deliveries: {},
  jobs: {},
  merchants: {},
  counters: {},
  state: {},
})

/**
 * The embedded store's state in memory: one `Map` per collection. A Map, not a plain object: with
 * 100,000 records an object is a dictionary whose key listing (`Object.keys`, `for…in`) costs
 * 100–200 ms in one go, while a Map iterates lazily (a streamed snapshot never holds the event
 * loop for long) and knows its size.
 */
export type StoreMaps = Record<CollectionName, Map<string, unknown>>

export const emptyMaps = (): StoreMaps => ({
  transactions: new Map(),
  deliveries: new Map(),
  jobs: new Map(),
  merchants: new Map(),
  counters: new Map(),
  state: new Map(),
})

/** What `/_sandbox/health` reports about the store. */
export interface StoreHealth {
  ok: boolean
  /** Why the store is failing, in plain words (the last write error and what to do). */
  reason?: string
  /** When the failure began (wall-clock ms). */
  since?: number
}

/** Records whose last change was rolled back after a failed write: `collection` → ids. */
export type RolledBack = Map<CollectionName, Set<string>>

/**
 * The engine's state: a working set read synchronously, changed with `put`/`remove`, made durable
 * with `await commit()`.
 *
 * Guarantees every implementation keeps (the contract tests in `test/engine/store-contract.ts`
 * check them for each):
 * - `commit()` resolves only once every change made before the call is durable; it rejects with
 *   {@link StoreWriteError} when the write carrying them failed. Concurrent commits may share one
 *   write.
 * - After a failed write the changes it carried are rolled back in memory (the listeners given to
 *   `onRollback` hear which records) and `health()` is failing until a later write succeeds.
 * - Nothing is ever acknowledged that a restart does not show.
 *
 * The embedded {@link LowdbStore} keeps everything in memory and appends to a change log; the
 * `PostgresStore` keeps the same working set in memory per replica, `commit()` as one database
 * transaction plus a change feed the other replicas pull (`shared.sync()`), references claimed by
 * a unique key, and due work claimed with a lease (`shared`, see {@link SharedState}).
 *
 * @example
 * const store: Store = new LowdbStore({ file: '.psp-sandbox/db.json' })
 * await store.load()
 * store.put('transactions', tx.id, tx)
 * await store.commit()   // durable from here on
 */
export interface Store {
  /** Where the state lives (a file path, or `memory`). */
  readonly location: string
  /** Reads durable state. Call once, before anything else; throws {@link StoreCorruptError}. */
  load(): Promise<void>
  get<T>(collection: CollectionName, id: string): T | undefined
  /**
   * All records of a collection (the live objects: treat them as read-only).
   *
   * `where` is a hint, not a filter: the caller wants only records whose string field `k` (a
   * path, `data.utr` for a nested one) equals `where[k]` (for each key whose value is not
   * `undefined`) and filters the result itself. A store
   * may use it to skip records it can tell cannot match without reading them (the embedded store
   * keeps most records encoded, and decoding is the cost of a listing); it may also ignore it.
   *
   * @example
   * store.values<Delivery>('deliveries', { transactionId: tx.id }).filter((d) => d.transactionId === tx.id)
   */
  values<T>(collection: CollectionName, where?: Readonly<Record<string, string | undefined>>): T[]
  /**
   * Optional: visits every record of a collection, a few hundred at a time with a turn of the
   * event loop in between, for sweeps over everything (retention). A record visited may be a
   * decoded copy: read it, do not keep or change it (`get` gives the live object). Where a store
   * has none, use `values`.
   */
  scan?<T>(collection: CollectionName, visit: (record: T, id: string) => void): Promise<void>
  /** Number of records in a collection. */
  count(collection: CollectionName): number
  /** Stores `value` under `id`; durable after the next `commit()`. */
  put<T>(collection: CollectionName, id: string, value: T): T
  remove(collection: CollectionName, id: string): void
  /** Empties collections (all by default); durable after the next `commit()`. */
  clear(...collections: CollectionName[]): void
  /** Next value of a named counter (persisted), starting at 1. */
  nextCounter(name: string): number
  /** Resolves once every change made so far is durable; rejects with {@link StoreWriteError}. */
  commit(): Promise<void>
  health(): StoreHealth
  /** Called after a failed write rolled records back, so indexes and timers can follow. */
  onRollback(listener: (records: RolledBack) => void): void
  /** Writes what is pending and releases files. */
  close(): Promise<void>
  /**
   * Present when several sandbox replicas share this state (the PostgreSQL store); absent for the
   * embedded store, whose callers then skip every step below at no cost.
   */
  readonly shared?: SharedState
}

/** A claim on due work: granted, or held by another replica (try again after `retryInMs`). */
export type WorkClaim = { claimed: true } | { claimed: false; retryInMs: number }

/**
 * What a store shared by several replicas adds to {@link Store}: catching up with the others'
 * commits, and claims so that due work runs on one replica at a time and a merchant reference is
 * taken once across all of them.
 *
 * @example
 * await store.shared?.sync()                        // before serving a request: others' commits are visible
 * const claim = await store.shared?.claim('deliveries', 'cb-7')
 * if (claim?.claimed === false) retryLater(claim.retryInMs)
 */
export interface SharedState {
  /** Which replica this is (host, process and a random part), as leases name their owner. */
  readonly replica: string
  /** Applies every change other replicas committed before the call; concurrent calls share queries. */
  sync(): Promise<void>
  /** Called with the records another replica changed (or removed) after `sync` applied them. */
  onSync(listener: (records: RolledBack) => void): void
  /** How long a claim holds when it is not renewed (`PSP_SANDBOX_LEASE`). */
  readonly leaseMs: number
  /**
   * Claims a due step (`jobs`) or callback attempt (`deliveries`) for this replica for the lease;
   * the holder claiming again renews it.
   */
  claim(kind: 'jobs' | 'deliveries', id: string): Promise<WorkClaim>
  /** Gives a claim back once its work is committed. */
  release(kind: 'jobs' | 'deliveries', id: string): void
  /** Claims a merchant reference across replicas (a unique key in the database); false when taken. */
  claimReference(key: string): Promise<boolean>
  releaseReference(key: string): void
  /** Asks the database now (readiness): ok, or failing with the reason. */
  check(): Promise<StoreHealth>
}

/**
 * A write to the store failed (disk full, I/O error, read-only file system): the requests that
 * waited on it were not made durable. Routes let it propagate; every provider answers it with its
 * own internal-error response, and `/_sandbox/health` answers 503 until a write succeeds again.
 */
export class StoreWriteError extends Error {
  /** The file system's error code (`ENOSPC`, `EIO`, `EROFS`, …) when there is one. */
  readonly code?: string
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'StoreWriteError'
    this.code = options.code
  }
}

/**
 * Start-up found state it cannot trust. The message names the file, the line and what to do; the
 * store never drops a committed change silently.
 */
export class StoreCorruptError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message)
    this.name = 'StoreCorruptError'
  }
}

/** Plain words for a file-system error code. */
export function describeWriteError(error: unknown, file: string): { message: string; code?: string } {
  const code = (error as { code?: string })?.code
  const text = (error as Error)?.message ?? String(error)
  const what: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exhausted',
    EIO: 'the disk reported an I/O error',
    EROFS: 'the file system is read-only',
    EACCES: 'the sandbox may not write there',
    EPERM: 'the sandbox may not write there',
  }
  const words = (code && what[code]) ?? 'the write failed'
  return {
    code,
    message: `could not write the sandbox state to ${file}: ${words} (${text}). Changes since the last good write were not saved; free space or fix the disk, and the sandbox recovers by itself.`,
  }
}
