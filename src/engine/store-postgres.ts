import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Sql } from 'postgres'
import { COMMIT_LOCK, migrate } from './store-postgres-schema.js'
import {
  COLLECTIONS,
  emptyData,
  StoreWriteError,
  type CollectionName,
  type RolledBack,
  type SharedState,
  type Store,
  type StoreData,
  type StoreHealth,
  type WorkClaim,
} from './store.js'

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  url: string
  /** How long claimed due work stays with a replica that stops answering (ms). Default 30 000. */
  leaseMs?: number
  /** How long a merchant reference claimed by a request stays claimed at most (ms). Default 300 000. */
  referenceLeaseMs?: number
  /** Change feed rows older than this are pruned (ms). Default 600 000. */
  feedRetentionMs?: number
  /** Counter values leased to a replica at a time. Default 100. */
  counterBlock?: number
  /**
   * Counters the engine and providers use: leased at start. A counter not named here is checked
   * at its first commit instead, which fails if two replicas start using it at the same moment.
   */
  counters?: readonly string[]
}

type Change = { c: CollectionName; id: string; d?: true }
type Waiter = { resolve: () => void; reject: (error: Error) => void }
type Range = { next: number; end: number }
type FeedRow = { seq: string | null; origin: string; collection: CollectionName; id: string; value: unknown }

const key = (c: CollectionName, id: string) => `${c}\u0000${id}`
const NOTIFY_CHANNEL = 'psp_sandbox_changes'

/**
 * State shared by several sandbox replicas in one PostgreSQL database.
 *
 * Each replica keeps the whole state in memory, as the embedded store does, so the engine reads
 * synchronously. `commit()` writes the changed records in one database transaction (concurrent
 * commits share it, as group commit does) under an advisory lock, so commits of all replicas are
 * serialised, and appends them to a change feed whose `seq` is therefore commit order; it then
 * NOTIFYs the other replicas. `shared.sync()` pulls the feed past the last row seen and applies
 * it; the engine awaits it before serving each request and before running due work, so a replica
 * answers with every change another acknowledged (read-your-writes across replicas), and LISTEN
 * wakes idle replicas at once (new due work, a moved virtual clock).
 *
 * Counters are leased in blocks (`psp_sequences`), so ids never repeat across replicas; a counter
 * used for the first time is checked when its commit runs. Due work is claimed with a lease row
 * (`psp_leases`), as are merchant references (a primary key, not a read-then-write).
 *
 * A failed commit rejects its waiters with {@link StoreWriteError}, re-reads the records it carried
 * from the database (once it answers again) and tells `onRollback` listeners.
 *
 * @example
 * const store = new PostgresStore({ url: 'postgres://sandbox@db/sandbox' })
 * await store.load()
 * store.put('transactions', tx.id, tx)
 * await store.commit()             // in the database; other replicas see it on their next sync
 */
export class PostgresStore implements Store {
  readonly shared: SharedState
  readonly replica = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  private sql?: Sql
  private data: StoreData = emptyData()
  private pending = new Map<string, Change>()
  /** Keys of the write in flight. */
  private writingKeys = new Set<string>()
  private waiters: Waiter[] = []
  private writing = false
  private lastSeq = 0
  private syncRunning?: Promise<void>
  private syncNext?: Promise<void>
  private failure?: StoreHealth
  private probeTimer?: NodeJS.Timeout
  private pruneTimer?: NodeJS.Timeout
  private toRestore = new Map<string, Change>()
  private discarded = new WeakSet<object>()
  private ranges = new Map<string, Range[]>()
  /** Counter values handed out without a lease (a name new to this database): checked at commit. */
  private unleased = new Map<string, { base: number; count: number }>()
  private syncListeners: Array<(records: RolledBack) => void> = []
  private rollbackListeners: Array<(records: RolledBack) => void> = []
  private closed = false
  private readonly leaseMs: number
  private readonly block: number

  constructor(private readonly options: PostgresStoreOptions) {
    this.leaseMs = options.leaseMs ?? 30_000
    this.block = options.counterBlock ?? 100
    this.shared = {
      replica: this.replica,
      sync: () => this.sync(),
      onSync: (listener) => void this.syncListeners.push(listener),
      leaseMs: this.leaseMs,
      claim: (kind, id) => this.claim(kind, id, this.leaseMs),
      release: (kind, id) => this.release(kind, id),
      claimReference: async (ref) => (await this.claim('ref', ref, options.referenceLeaseMs ?? 300_000)).claimed,
      releaseReference: (ref) => this.release('ref', ref),
      check: () => this.check(),
    }
  }

  /** The database, without its password. */
  get location(): string {
    try {
      const url = new URL(this.options.url)
      url.password = url.password ? '***' : ''
      return url.toString()
    } catch {
      return 'postgres'
    }
  }

  async load(): Promise<void> {
    const { default: postgres } = await import('postgres')
    this.sql = postgres(this.options.url, {
      max: 10,
      onnotice: () => {},
      connect_timeout: 10,
      connection: { application_name: 'psp-sandbox' },
    })
    try {
      await migrate(this.sql)
      await this.readAll()
      await this.sql.listen(NOTIFY_CHANNEL, (origin) => {
        if (origin !== this.replica && !this.closed) this.sync().catch(() => {})
      })
      await this.leaseCounters()
    } catch (error) {
      await this.sql.end({ timeout: 1 }).catch(() => {})
      throw new Error(`cannot use the PostgreSQL database ${this.location}: ${(error as Error).message}`, {
        cause: error,
      })
    }
    const every = Math.min(60_000, this.options.feedRetentionMs ?? 600_000)
    this.pruneTimer = setInterval(() => void this.prune().catch(() => {}), every)
    this.pruneTimer.unref()
  }

  get<T>(collection: CollectionName, id: string): T | undefined {
    return this.data[collection][id] as T | undefined
  }

  values<T>(collection: CollectionName): T[] {
    return Object.values(this.data[collection]) as T[]
  }

  count(collection: CollectionName): number {
    let n = 0
    for (const _ in this.data[collection]) n++
    return n
  }

  put<T>(collection: CollectionName, id: string, value: T): T {
    if (typeof value === 'object' && value !== null && this.discarded.has(value))
      throw new StoreWriteError(
        `${collection}/${id} was created by a change that could not be saved; it no longer exists`,
      )
    this.data[collection][id] = value
    this.pending.set(key(collection, id), { c: collection, id })
    return value
  }

  remove(collection: CollectionName, id: string): void {
    delete this.data[collection][id]
    this.pending.set(key(collection, id), { c: collection, id, d: true })
  }

  clear(...collections: CollectionName[]): void {
    for (const c of collections.length ? collections : COLLECTIONS)
      for (const id of Object.keys(this.data[c])) this.remove(c, id)
  }

  /**
   * Next value of a counter, from this replica's leased block. A name the database has never seen
   * continues from the stored value; its commit checks no other replica leased the name meanwhile.
   */
  nextCounter(name: string): number {
    const ranges = this.ranges.get(name)
    let value: number
    const range = ranges?.[0]
    if (range) {
      value = range.next++
      if (range.next > range.end) ranges.shift()
    } else {
      let open = this.unleased.get(name)
      if (!open) this.unleased.set(name, (open = { base: this.lastLeased.get(name) ?? this.used(name), count: 0 }))
      value = open.base + ++open.count
    }
    if (value > this.used(name)) this.put('counters', name, value)
    return value
  }

  /** Counters with a stored value but no lease row (state from before leases): not asked again. */
  private unknownCounters = new Set<string>()
  /** Where each counter's last lease ended (a block used up continues from there). */
  private lastLeased = new Map<string, number>()

  private used(name: string): number {
    return (this.data.counters[name] as number | undefined) ?? 0
  }

  commit(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject })
      if (!this.writing) {
        this.writing = true
        void this.writeLoop()
      }
    })
  }

  health(): StoreHealth {
    return this.failure ?? { ok: true }
  }

  onRollback(listener: (records: RolledBack) => void): void {
    this.rollbackListeners.push(listener)
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.commit().catch(() => {})
    this.closed = true
    clearInterval(this.probeTimer)
    clearInterval(this.pruneTimer)
    await this.sql?.end({ timeout: 2 }).catch(() => {})
  }

  private async writeLoop(): Promise<void> {
    for (;;) {
      if (!this.waiters.length) {
        this.writing = false
        return
      }
      const waiters = this.waiters.splice(0)
      const changes = this.pending
      this.pending = new Map()
      // Counters new to this database: lease a block now (checked in the write), so later values
      // continue from it while the write is in flight.
      const leases = [...this.unleased].map(([name, { base, count }]) => ({
        name,
        base,
        end: base + count + this.block,
      }))
      this.unleased = new Map()
      for (const l of leases) {
        this.ranges.set(l.name, [{ next: l.end - this.block + 1, end: l.end }])
        this.lastLeased.set(l.name, l.end)
      }
      for (const k of changes.keys()) this.writingKeys.add(k)
      try {
        if (changes.size || leases.length) await this.write(changes, leases)
      } catch (error) {
        this.writingKeys.clear()
        for (const l of leases) {
          this.ranges.delete(l.name)
          this.lastLeased.delete(l.name)
        }
        await this.fail(error, waiters, changes)
        continue
      }
      this.writingKeys.clear()
      if (this.failure && !this.toRestore.size) this.recovered()
      for (const w of waiters) w.resolve()
    }
  }

  /** One database transaction: new counters checked, records written, the change feed appended, NOTIFY. */
  private async write(changes: Map<string, Change>, leases: Array<{ name: string; base: number; end: number }>) {
    const rows = [...changes.values()].map((ch) => ({
      c: ch.c,
      id: ch.id,
      d: !!ch.d,
      v: ch.d ? null : (this.data[ch.c][ch.id] ?? null),
    }))
    await this.sql!.begin(async (tx) => {
      const locked = tx.unsafe('SELECT pg_advisory_xact_lock($1)', [COMMIT_LOCK])
      if (leases.length) await locked
      for (const { name, base, end } of leases) {
        const got = await tx.unsafe(
          `INSERT INTO psp_sequences AS s (name, value) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE s.value <= $3 RETURNING value`,
          [name, end, base],
        )
        if (!got.length)
          throw new StoreWriteError(
            `two replicas used the new counter "${name}" at the same moment; this change was not saved. Send the request again.`,
          )
      }
      // Sent together (pipelined): one round trip; the server runs them in order, the lock first.
      const written = rows.length
        ? tx.unsafe(
            `WITH x AS (SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS x(c text, id text, d boolean, v jsonb)),
           up AS (INSERT INTO psp_records (collection, id, value) SELECT c, id, v FROM x WHERE NOT d
                  ON CONFLICT (collection, id) DO UPDATE SET value = excluded.value),
           del AS (DELETE FROM psp_records r USING x WHERE x.d AND r.collection = x.c AND r.id = x.id)
           INSERT INTO psp_changes (origin, collection, id, value) SELECT $2, c, id, CASE WHEN d THEN NULL ELSE v END FROM x`,
            [JSON.stringify(rows), this.replica],
          )
        : undefined
      const notified = tx.unsafe('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, this.replica])
      await Promise.all([locked, written, notified])
    })
  }

  /**
   * A write failed: its records go back to their values in the database (when it answers) before
   * the requests that waited on it are failed, so a refused change is never seen as if it happened;
   * health fails until a write succeeds again.
   */
  private async fail(error: unknown, waiters: Waiter[], changes: Map<string, Change>): Promise<void> {
    const failure =
      error instanceof StoreWriteError
        ? error
        : new StoreWriteError(
            `could not write the sandbox state to the PostgreSQL database ${this.location}: ${(error as Error).message}. The change was not saved; the sandbox retries and recovers by itself once the database answers.`,
            { code: (error as { code?: string }).code, cause: error },
          )
    this.failure = { ok: false, reason: failure.message, since: this.failure?.since ?? Date.now() }
    for (const [k, change] of this.pending) changes.set(k, change)
    this.pending.clear()
    const failed = [...waiters, ...this.waiters.splice(0)]
    for (const [k, change] of changes) this.toRestore.set(k, change)
    await this.restore()
    for (const w of failed) w.reject(failure)
    if (!this.probeTimer && !this.closed) {
      this.probeTimer = setInterval(() => void this.restore(), 1000)
      this.probeTimer.unref()
    }
  }

  /** Puts records a failed write carried back to their values in the database (once it answers). */
  private async restore(): Promise<void> {
    const changes = new Map(this.toRestore)
    if (!changes.size) {
      if (this.failure && (await this.probeWrite())) this.recovered()
      return
    }
    let rows: Array<{ collection: CollectionName; id: string; value: unknown }>
    try {
      const wanted = [...changes.values()].map(({ c, id }) => ({ c, id }))
      rows = (await this.sql!.unsafe(
        `SELECT r.collection, r.id, r.value FROM psp_records r
         JOIN jsonb_to_recordset($1::text::jsonb) AS x(c text, id text) ON r.collection = x.c AND r.id = x.id`,
        [JSON.stringify(wanted)],
      )) as unknown as typeof rows
    } catch {
      return
    }
    const durable = new Map(rows.map((r) => [key(r.collection, r.id), r.value]))
    const records: RolledBack = new Map()
    for (const [k, { c, id }] of changes) {
      this.toRestore.delete(k)
      if (this.pending.has(k)) continue
      const live = this.data[c][id]
      const value = durable.get(k)
      if (value === undefined) {
        if (typeof live === 'object' && live !== null) this.discarded.add(live)
        delete this.data[c][id]
      } else this.assign(c, id, value)
      if (c === 'counters') this.ranges.delete(id)
      ;(records.get(c) ?? records.set(c, new Set()).get(c)!).add(id)
    }
    for (const listener of this.rollbackListeners) listener(records)
  }

  /** After a failure: whether the database takes a write again (a read answering is not enough). */
  private async probeWrite(): Promise<boolean> {
    try {
      await this.sql!.unsafe(
        `INSERT INTO psp_meta (key, value) VALUES ('probe', 1) ON CONFLICT (key) DO UPDATE SET value = psp_meta.value + 1`,
      )
      return true
    } catch {
      return false
    }
  }

  private recovered(): void {
    this.failure = undefined
    clearInterval(this.probeTimer)
    this.probeTimer = undefined
  }

  /** Replaces a record's value, keeping the object's identity where both are plain objects. */
  private assign(c: CollectionName, id: string, value: unknown): void {
    const live = this.data[c][id]
    if (isPlainObject(live) && isPlainObject(value)) {
      for (const k of Object.keys(live)) if (!(k in value)) delete live[k]
      Object.assign(live, value)
    } else this.data[c][id] = value
  }

  /** Reads every record and the feed position in one snapshot (start-up, and a replica left behind). */
  private async readAll(): Promise<RolledBack> {
    const { records, seq } = await this.sql!.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
      const [{ seq }] = await tx.unsafe('SELECT coalesce(max(seq), 0)::int8 AS seq FROM psp_changes')
      const records = await tx.unsafe('SELECT collection, id, value FROM psp_records')
      return { records, seq }
    })
    const fresh = emptyData()
    for (const r of records as unknown as Array<{ collection: CollectionName; id: string; value: unknown }>)
      if (fresh[r.collection]) fresh[r.collection][r.id] = r.value
    const changed: RolledBack = new Map()
    for (const c of COLLECTIONS) {
      for (const id of new Set([...Object.keys(this.data[c]), ...Object.keys(fresh[c])])) {
        const k = key(c, id)
        if (this.pending.has(k) || this.writingKeys.has(k)) continue
        if (id in fresh[c]) this.assign(c, id, fresh[c][id])
        else delete this.data[c][id]
        ;(changed.get(c) ?? changed.set(c, new Set()).get(c)!).add(id)
      }
    }
    this.lastSeq = Number(seq)
    return changed
  }

  /** Pulls the change feed; callers arriving while a pull runs share the next one. */
  private sync(): Promise<void> {
    if (!this.syncRunning) return this.startSync()
    this.syncNext ??= this.syncRunning
      .catch(() => {})
      .then(() => {
        this.syncNext = undefined
        return this.startSync()
      })
    return this.syncNext
  }

  private startSync(): Promise<void> {
    const run = this.pull().finally(() => {
      if (this.syncRunning === run) this.syncRunning = undefined
    })
    this.syncRunning = run
    return run
  }

  private async pull(): Promise<void> {
    if (this.closed) return
    let rows: FeedRow[]
    let pruned: number
    try {
      rows = (await this.sql!.unsafe(
        `SELECT coalesce((SELECT value FROM psp_meta WHERE key = 'pruned'), 0)::int8 AS pruned,
                c.seq, c.origin, c.collection, c.id, c.value
         FROM (SELECT 1) one LEFT JOIN psp_changes c ON c.seq > $1 ORDER BY c.seq`,
        [this.lastSeq],
      )) as unknown as FeedRow[]
      pruned = Number((rows[0] as unknown as { pruned: string }).pruned)
      if (pruned > this.lastSeq) {
        this.emitSync(await this.readAll())
        return
      }
    } catch (error) {
      const reason = `the PostgreSQL database ${this.location} does not answer: ${(error as Error).message}. Requests fail until it answers again.`
      this.failure = { ok: false, reason, since: this.failure?.since ?? Date.now() }
      if (!this.probeTimer && !this.closed) {
        this.probeTimer = setInterval(() => void this.restore(), 1000)
        this.probeTimer.unref()
      }
      throw new StoreWriteError(reason, { cause: error })
    }
    const latest = new Map<string, { row: FeedRow; ownBefore: boolean }>()
    for (const row of rows) {
      if (row.seq === null) continue
      const k = key(row.collection, row.id)
      const prev = latest.get(k)
      latest.set(k, { row, ownBefore: !!prev && (prev.ownBefore || prev.row.origin === this.replica) })
      this.lastSeq = Math.max(this.lastSeq, Number(row.seq))
    }
    const changed: RolledBack = new Map()
    for (const [k, { row, ownBefore }] of latest) {
      if (row.origin === this.replica || this.pending.has(k)) continue
      // Our write of this record is still in flight: it lands after this row unless it already did.
      if (this.writingKeys.has(k) && !ownBefore) continue
      const c = row.collection
      if (!COLLECTIONS.includes(c)) continue
      if (row.value === null) delete this.data[c][row.id]
      else if (c === 'counters') this.data.counters[row.id] = Math.max(Number(row.value), this.used(row.id))
      else this.assign(c, row.id, row.value)
      ;(changed.get(c) ?? changed.set(c, new Set()).get(c)!).add(row.id)
    }
    await this.refillCounters()
    if (changed.size) this.emitSync(changed)
  }

  private emitSync(changed: RolledBack): void {
    for (const listener of this.syncListeners) listener(changed)
  }

  /** At start: a block of every counter the database knows or the engine names. */
  private async leaseCounters(): Promise<void> {
    const got = (await this.sql!.unsafe(
      `INSERT INTO psp_sequences AS s (name, value)
       SELECT name, $1 FROM (SELECT unnest($2::text[]) AS name UNION SELECT name FROM psp_sequences) n
       ON CONFLICT (name) DO UPDATE SET value = s.value + $1 RETURNING name, value::int8`,
      [this.block, [...(this.options.counters ?? [])]],
    )) as unknown as Array<{ name: string; value: string }>
    this.addRanges(got)
  }

  /** Leases a new block for every counter running low, so `nextCounter` stays synchronous. */
  private async refillCounters(): Promise<void> {
    const names = [
      ...[...this.ranges]
        .filter(([, r]) => r.reduce((n, x) => n + x.end - x.next + 1, 0) < this.block / 2)
        .map(([name]) => name),
      // Counters another replica started using since: lease before this replica needs one.
      ...Object.keys(this.data.counters).filter(
        (name) => !this.ranges.has(name) && !this.unleased.has(name) && !this.unknownCounters.has(name),
      ),
    ]
    if (!names.length) return
    const got = (await this.sql!.unsafe(
      `UPDATE psp_sequences SET value = value + $1 WHERE name = ANY($2::text[]) RETURNING name, value::int8`,
      [this.block, names],
    )) as unknown as Array<{ name: string; value: string }>
    for (const name of names) if (!got.some((g) => g.name === name)) this.unknownCounters.add(name)
    this.addRanges(got)
  }

  private addRanges(leased: Array<{ name: string; value: string }>): void {
    for (const { name, value } of leased) {
      const end = Number(value)
      const list = this.ranges.get(name) ?? this.ranges.set(name, []).get(name)!
      list.push({ next: end - this.block + 1, end })
      this.lastLeased.set(name, end)
    }
  }

  private async claim(kind: string, id: string, leaseMs: number): Promise<WorkClaim> {
    const [row] = await this.sql!.unsafe(
      `INSERT INTO psp_leases AS l (kind, id, owner, until) VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
       ON CONFLICT (kind, id) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE l.until < now() OR l.owner = excluded.owner
       RETURNING true AS claimed`,
      [kind, id, this.replica, leaseMs],
    )
    if (row) return { claimed: true }
    const [held] = await this.sql!.unsafe(
      `SELECT greatest(0, extract(epoch FROM until - now()) * 1000)::int8 AS ms FROM psp_leases WHERE kind = $1 AND id = $2`,
      [kind, id],
    )
    return { claimed: false, retryInMs: Number(held?.ms ?? 0) + 50 }
  }

  private release(kind: string, id: string): void {
    if (this.closed) return
    this.sql!.unsafe('DELETE FROM psp_leases WHERE kind = $1 AND id = $2 AND owner = $3', [
      kind,
      id,
      this.replica,
    ]).catch(() => {})
  }

  private async check(): Promise<StoreHealth> {
    try {
      await Promise.race([
        this.sql!.unsafe('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 2 s')), 2000).unref()),
      ])
      return this.failure ?? { ok: true }
    } catch (error) {
      return {
        ok: false,
        reason: `the PostgreSQL database ${this.location} does not answer: ${(error as Error).message}`,
        since: this.failure?.since ?? Date.now(),
      }
    }
  }

  /** Drops change feed rows every replica has had time to read; a replica further behind reloads. */
  private async prune(): Promise<void> {
    const ms = this.options.feedRetentionMs ?? 600_000
    await this.sql!.unsafe(
      `WITH h AS (SELECT max(seq) AS seq FROM psp_changes WHERE at < now() - $1 * interval '1 millisecond'),
       gone AS (DELETE FROM psp_changes WHERE seq <= (SELECT seq FROM h))
       INSERT INTO psp_meta (key, value) SELECT 'pruned', seq FROM h WHERE seq IS NOT NULL
       ON CONFLICT (key) DO UPDATE SET value = greatest(psp_meta.value, excluded.value)`,
      [ms],
    )
  }

  /** Prunes the change feed now (tests). */
  pruneNow(): Promise<void> {
    return this.prune()
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
