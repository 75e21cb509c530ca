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

export type StoreData = Record<CollectionName, Record<string, unknown>>

export const emptyData = (): StoreData => ({
  transactions: {},
  deliveries: {},
  jobs: {},
  merchants: {},
  counters: {},
  state: {},
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
 * The embedded {@link LowdbStore} keeps everything in memory and appends to a change log; a server
 * database (PostgreSQL, a later issue) keeps the same shape: one table per collection with a jsonb
 * record, `commit()` as one database transaction, references unique by constraint, and due work
 * claimed with `FOR UPDATE SKIP LOCKED` plus a lease.
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
  /** All records of a collection (the live objects: treat them as read-only). */
  values<T>(collection: CollectionName): T[]
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
