import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { Low, Memory } from 'lowdb'
import { nodeFiles, readLinesSync, writeFully, type StoreFileHandle, type StoreFiles } from './store-files.js'
import { FileLock, type StoreLockedError } from './store-lock.js'
import { readSnapshot, SnapshotFile, validRecord, type Dropped } from './store-snapshot.js'
import { StringPool } from './store-pool.js'
import { RecordCodec } from './store-codec.js'
import {
  COLLECTIONS,
  describeWriteError,
  emptyMaps,
  StoreCorruptError,
  StoreWriteError,
  type CollectionName,
  type RolledBack,
  type Store,
  type StoreMaps,
  type StoreHealth,
} from './store.js'

export interface LowdbStoreOptions {
  /** Path of the lowdb JSON snapshot; its change log sits beside it as `<path>.log`. Omit for memory only. */
  file?: string
  /**
   * Fold the change log into a new snapshot once it grows past this many bytes, and past
   * `compactGrowth` times the snapshot's size. Default 8 MiB.
   */
  compactBytes?: number
  /**
   * How large the log may grow against the snapshot before it is folded in. Default 1: a snapshot
   * of 60 MB (100,000 pending pay-ins) is rewritten after 60 MB of changes, not after every 8 MiB, so
   * writing snapshots costs at most about as much as writing the log, however much is stored
   * (Redis rewrites its append-only file on the same rule). 0 folds at `compactBytes` whatever the size.
   */
  compactGrowth?: number
  /** The file layer (tests inject faults here). Default `node:fs`. */
  files?: StoreFiles
  /**
   * Start even when the state on disk cannot be trusted: drop what is damaged and keep a copy of
   * the original files (and a list of what was dropped) in `<path>.repair-<time>/`.
   */
  repair?: boolean
  /** While failing, try a small write this often to notice a recovered disk (ms). Default 1000. */
  probeEveryMs?: number
}

type Change = { c: CollectionName; id: string; d?: 1 }
type Waiter = { resolve: () => void; reject: (error: Error) => void }

/**
 * Collections kept in the compact encoded form between changes (see {@link RecordCodec}): the
 * ones that grow with traffic. Their records are always objects, so a string in their maps is an
 * encoded record.
 */
const ENCODED: ReadonlySet<CollectionName> = new Set(['transactions', 'jobs', 'deliveries'])
/** Collections whose records share strings enough to pool them (the encoded ones share words instead). */
const POOLED: readonly CollectionName[] = ['merchants']
/** Records `scan` visits between two turns of the event loop (about 1 ms of decoding). */
const SCAN_CHUNK = 500
/** The live-object table is swept of records nobody holds any more once it has grown this much. */
const LIVE_SWEEP_MIN = 1024

/**
 * The log is opened `O_DSYNC`: each batch is one write that returns once it is on disk. A write
 * and a separate fsync took about 30% more CPU per batch on this project's 2-core test machine
 * (two trips to the thread pool), and each batch waited longer for its answer.
 */
const DURABLE = { durable: true }

const key = (c: CollectionName, id: string) => `${c}\u0000${id}`

/**
 * State in memory, made durable with a lowdb snapshot plus an append-only change log.
 *
 * Writers change records with `put`/`remove`, then `await commit()`: the promise resolves once
 * the change is on disk (every byte written to the `O_DSYNC` log, short writes retried).
 * Concurrent commits share one write (group commit), and a record changed several times before a
 * write is written once, so the cost of a write follows the size of the change, not the number of
 * stored transactions. Each write ends with a `{"commit":n}` line, so a write torn by a crash is
 * recognised and ignored as a whole.
 *
 * A failed write (disk full, I/O error, read-only file system) rejects the commits that waited on
 * it with {@link StoreWriteError}, cuts the log back to its last good byte, and rolls the records
 * it carried back to their durable values (read from disk), so nothing unacknowledged stays
 * visible. `health()` fails until a write succeeds again; a small probe write every second
 * notices a recovered disk without a restart.
 *
 * When the log passes `compactBytes` and `compactGrowth` times the snapshot size, it is set aside
 * (renamed) and a fresh one started; the snapshot is then streamed record by record to
 * `<path>.tmp` in small chunks (the event loop is never held for long, memory stays flat),
 * fsynced, renamed over the snapshot, the folder fsynced, and only then is the old log deleted.
 *
 * `load()` first takes `<path>.lock` (pid and host of the owner): a second process on the same
 * files refuses to start with {@link StoreLockedError}; a lock left by a process that no longer
 * runs (`kill -9`) is taken over. `close()` releases it.
 *
 * On `load()`, the snapshot is read and the logs replayed; anything that cannot be trusted stops
 * start-up with {@link StoreCorruptError} naming the file and line (or, with `repair`, is dropped
 * and kept aside).
 *
 * @example
 * const store = new LowdbStore({ file: '.psp-sandbox/db.json' })
 * await store.load()
 * store.put('transactions', tx.id, tx)
 * await store.commit()   // durable from here on
 */
export class LowdbStore implements Store {
  private data: StoreMaps = emptyMaps()
  private db?: Low<StoreMaps>
  private readonly files: StoreFiles
  private readonly compactBytes: number
  private readonly compactGrowth: number
  /** Size of the snapshot on disk (bytes), for `compactGrowth`. */
  private snapshotBytes = 0
  private logPath?: string
  private log?: StoreFileHandle
  /** Bytes of the active log known durable; a failed write is cut back to here. */
  private logSize = 0
  /** A write may have left bytes past `logSize`. */
  private logDirty = false
  private pending = new Map<string, Change>()
  private waiters: Waiter[] = []
  private writing = false
  private batchSeq = 0
  private failure?: StoreHealth
  /** Failed writes so far; a compaction that saw one gives up (its snapshot may hold unsaved values). */
  private failures = 0
  private probeTimer?: NodeJS.Timeout
  private probeWanted = false
  private compaction?: Promise<void>
  /** A compaction setting its log aside, before it streams the snapshot (`compaction`). */
  private rotation?: Promise<void>
  private rotatedSeq = 0
  /** Records dropped by a rollback: putting one back would resurrect an unsaved creation. */
  private discarded = new WeakSet<object>()
  private rollbackListeners: Array<(records: RolledBack) => void> = []
  private closed = false
  /** Strings most records share (merchant, currency, URLs, statuses), kept once. */
  private readonly strings = new StringPool()
  /** The compact form of records nobody is working on (transactions, jobs, deliveries). */
  private readonly codec = new RecordCodec()
  /**
   * The live object of each encoded record someone may still hold, by collection and id. While
   * anyone holds it, `get` returns that same object (never a second copy that a concurrent
   * request could change, losing one of the two changes); once nobody does, the garbage
   * collector takes it and the next `get` decodes a fresh one.
   */
  private live = new Map<CollectionName, Map<string, WeakRef<object>>>(
    [...ENCODED].map((c) => [c, new Map<string, WeakRef<object>>()]),
  )
  /** Live entries after the last sweep: the next sweep waits until there are twice as many. */
  private liveAfterSweep = 0
  /**
   * Records whose change was written to the log since the snapshot on disk was begun (when its
   * log was set aside), by collection. Every other record is as that snapshot has it, so the next
   * compaction copies its line from there instead of serialising it again.
   */
  private changed = new Map<CollectionName, Set<string>>()
  /** `<file>.lock`: one process per state file. */
  private lock?: FileLock
  /** The process whose stale lock `load()` took over (it no longer runs), for the start-up message. */
  get staleLock(): { pid: number; since: string } | undefined {
    return this.lock?.tookOverFrom
  }
  /** What `load()` dropped with `repair`, for the start-up message. */
  repaired?: { folder: string; dropped: Dropped[] }

  constructor(private readonly options: LowdbStoreOptions = {}) {
    this.compactBytes = options.compactBytes ?? 8 * 1024 * 1024
    this.compactGrowth = options.compactGrowth ?? 1
    this.files = options.files ?? nodeFiles
  }

  get location(): string {
    return this.options.file ?? 'memory'
  }

  async load(): Promise<void> {
    const file = this.options.file
    if (!file) {
      this.db = new Low(new Memory<StoreMaps>(), emptyMaps())
      this.data = this.db.data
      return
    }
    mkdirSync(dirname(file), { recursive: true })
    // Before reading anything: another process writing the same files would lose our writes (and we theirs).
    this.lock = FileLock.acquire(file)
    try {
      await this.loadFiles(file)
    } catch (error) {
      this.lock.release()
      throw error
    }
  }

  private async loadFiles(file: string): Promise<void> {
    this.logPath = `${file}.log`
    const dropped: Dropped[] = []
    const repair = this.options.repair ? dropped : undefined
    const snapshot = readSnapshot(file, repair)
    this.data = snapshot.data
    this.db = new Low(new SnapshotFile(file, this.files, this.json), this.data)
    const logs = this.logFiles()
    let replayed = 0
    for (const log of logs) replayed += this.replay(log, repair)
    for (const c of POOLED) for (const record of this.data[c].values()) this.strings.record(record)
    if (dropped.length) this.repaired = { folder: this.keepAside(file, logs, dropped), dropped }
    if (replayed > 0 || logs.length > 0 || !snapshot.existed || dropped.length || snapshot.legacy) {
      await this.db.write()
      for (const log of logs) await this.files.unlink(log)
      await this.files.syncDir(dirname(file))
    }
    for (const c of ENCODED) {
      const records = this.data[c]
      for (const [id, value] of records) records.set(id, this.codec.encode(value, id))
    }
    this.log = await this.files.openForWrite(this.logPath, DURABLE)
    this.logSize = await this.log.size()
    this.snapshotBytes = existsSync(file) ? statSync(file).size : 0
  }

  get<T>(collection: CollectionName, id: string): T | undefined {
    const value = this.data[collection].get(id)
    if (typeof value !== 'string' || !ENCODED.has(collection)) return value as T | undefined
    return this.revive(collection, id, value) as T
  }

  values<T>(collection: CollectionName, where?: Readonly<Record<string, string | undefined>>): T[] {
    if (!ENCODED.has(collection)) return [...this.data[collection].values()] as T[]
    // The hint's strings as the codec writes them: a record whose text holds none of one of them
    // cannot match, and is skipped without being decoded.
    const wanted = where ? Object.values(where).filter((v) => v !== undefined) : []
    const probes = wanted.map((v) => this.codec.probe(v))
    const out: T[] = []
    for (const [id, value] of this.data[collection]) {
      if (typeof value !== 'string') out.push(value as T)
      else if (probes.every((probe, i) => wanted[i] === id || probe.some((p) => value.includes(p))))
        out.push(this.revive(collection, id, value) as T)
    }
    return out
  }

  async scan<T>(collection: CollectionName, visit: (record: T, id: string) => void): Promise<void> {
    const live = this.live.get(collection)
    let n = 0
    // A live iteration: records added meanwhile are visited, removed ones not.
    for (const [id, value] of this.data[collection]) {
      if (typeof value === 'string' && live)
        // Decoded without entering the live table: nobody keeps these copies.
        visit((live.get(id)?.deref() ?? this.codec.decode(value, id)) as T, id)
      else visit(value as T, id)
      if (++n % SCAN_CHUNK === 0) await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }

  /** The one live object of an encoded record: the one someone still holds, or a fresh decoding. */
  private revive(c: CollectionName, id: string, text: string): object {
    const live = this.live.get(c)!
    const held = live.get(id)?.deref()
    if (held) return held
    const value = this.codec.decode(text, id) as object
    live.set(id, new WeakRef(value))
    this.sweepLive()
    return value
  }

  /**
   * Puts a changed record of an encoded collection back in its compact form once its change is
   * written, remembering its object for as long as someone holds it.
   */
  private settle(c: CollectionName, id: string): void {
    const records = this.data[c]
    const value = records.get(id)
    if (typeof value !== 'object' || value === null) return
    records.set(id, this.codec.encode(value, id))
    this.live.get(c)!.set(id, new WeakRef(value))
    this.sweepLive()
  }

  /** Drops live-table entries whose object the garbage collector took, once the table has doubled. */
  private sweepLive(): void {
    let size = 0
    for (const live of this.live.values()) size += live.size
    if (size < Math.max(LIVE_SWEEP_MIN, this.liveAfterSweep * 2)) return
    size = 0
    for (const live of this.live.values()) {
      for (const [id, ref] of live) if (!ref.deref()) live.delete(id)
      size += live.size
    }
    this.liveAfterSweep = size
  }

  /**
   * A record's JSON as the snapshot holds it. An encoded record nobody holds is decoded without
   * entering the live table (a compaction reads every record once).
   */
  private readonly json = (c: CollectionName, id: string, value: unknown): string => {
    if (typeof value !== 'string' || !ENCODED.has(c)) return JSON.stringify(value)
    const held = this.live.get(c)!.get(id)?.deref()
    return held ? JSON.stringify(held) : this.codec.json(value, id)
  }

  count(collection: CollectionName): number {
    return this.data[collection].size
  }

  put<T>(collection: CollectionName, id: string, value: T): T {
    if (typeof value === 'object' && value !== null && this.discarded.has(value))
      throw new StoreWriteError(
        `${collection}/${id} was created by a change that could not be saved (${this.failure?.reason ?? 'a failed write'}); it no longer exists`,
      )
    if (POOLED.includes(collection)) this.strings.record(value)
    this.data[collection].set(id, value)
    if (ENCODED.has(collection)) this.live.get(collection)!.delete(id)
    if (this.logPath || ENCODED.has(collection)) this.pending.set(key(collection, id), { c: collection, id })
    return value
  }

  remove(collection: CollectionName, id: string): void {
    this.data[collection].delete(id)
    this.live.get(collection)?.delete(id)
    if (this.logPath) this.pending.set(key(collection, id), { c: collection, id, d: 1 })
  }

  clear(...collections: CollectionName[]): void {
    for (const c of collections.length ? collections : COLLECTIONS) {
      for (const id of [...this.data[c].keys()]) this.remove(c, id)
    }
  }

  nextCounter(name: string): number {
    const value = ((this.data.counters.get(name) as number | undefined) ?? 0) + 1
    this.put('counters', name, value)
    return value
  }

  commit(): Promise<void> {
    if (!this.logPath) {
      // In memory, a commit is where a change is complete: its records go back to their compact form.
      for (const { c, id } of this.pending.values()) this.settle(c, id)
      this.pending.clear()
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject })
      this.kick()
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
    this.closed = true
    clearInterval(this.probeTimer)
    await this.commit().catch(() => {})
    await this.compacted()
    await this.log?.close().catch(() => {})
    this.log = undefined
    this.lock?.release()
  }

  private kick(): void {
    if (this.writing) return
    this.writing = true
    void this.writeLoop()
  }

  /** Writes batches one after another until no commit waits. */
  private async writeLoop(): Promise<void> {
    for (;;) {
      if (!this.waiters.length && !this.probeWanted) {
        // In the same tick as the last check: a commit() from here on starts a new loop.
        this.writing = false
        return
      }
      const waiters = this.waiters.splice(0)
      const changes = this.pending
      this.pending = new Map()
      const probe = this.probeWanted && !!this.failure
      this.probeWanted = false
      try {
        let text = ''
        for (const change of changes.values()) text += this.logLine(change)
        if (text) text += `{"commit":${++this.batchSeq}}\n`
        else if (probe) text = `{"probe":${Date.now()}}\n`
        if (text) await this.append(text)
      } catch (error) {
        this.fail(error, waiters, changes)
        continue
      }
      this.recovered()
      for (const change of changes.values()) {
        this.markChanged(change.c, change.id)
        // A record changed again since is written by the next batch, and settled then.
        if (!change.d && ENCODED.has(change.c) && !this.pending.has(key(change.c, change.id)))
          this.settle(change.c, change.id)
      }
      for (const w of waiters) w.resolve()
      if (this.logSize > this.compactAt() && !this.compaction && !this.closed) {
        // Set before the waiters' code runs: `compacted()` from there waits for this compaction too.
        this.rotation = this.startCompaction().catch(() => {})
        await this.rotation
        this.rotation = undefined
      }
    }
  }

  private markChanged(c: CollectionName, id: string): void {
    let ids = this.changed.get(c)
    if (!ids) this.changed.set(c, (ids = new Set()))
    ids.add(id)
  }

  /**
   * A change as its log line: `{"c":…,"id":…,"v":…}` or `{"c":…,"id":…,"d":1}`, the bytes
   * `JSON.stringify` gives the change object, without building that object per change (the
   * collection is one of a fixed set of plain names).
   */
  private logLine(change: Change): string {
    const head = `{"c":"${change.c}","id":${JSON.stringify(change.id)}`
    if (change.d) return `${head},"d":1}\n`
    const value = this.data[change.c].get(change.id)
    return value === undefined ? `${head}}\n` : `${head},"v":${this.json(change.c, change.id, value)}}\n`
  }

  /** The log size past which it is folded into a new snapshot. */
  private compactAt(): number {
    return Math.max(this.compactBytes, this.snapshotBytes * this.compactGrowth)
  }

  /** Appends `text` to the active log, durably; on failure the log is cut back on the next try. */
  private async append(text: string): Promise<void> {
    try {
      this.log ??= await this.files.openForWrite(this.logPath!, DURABLE)
      if (this.logDirty) {
        await this.log.truncate(this.logSize)
        this.logDirty = false
      }
      const bytes = Buffer.from(this.logSize === 0 ? `{"log":2}\n${text}` : text)
      this.logDirty = true
      await writeFully(this.log, bytes, this.logSize)
      await this.log.datasync()
      this.logDirty = false
      this.logSize += bytes.length
    } catch (error) {
      // After a failed fsync the kernel may have dropped dirty pages: start again from a new handle.
      const log = this.log
      this.log = undefined
      await log?.close().catch(() => {})
      throw error
    }
  }

  private fail(error: unknown, waiters: Waiter[], changes: Map<string, Change>): void {
    const { message, code } = describeWriteError(error, this.logPath!)
    const failure = new StoreWriteError(message, { code, cause: error })
    this.failures++
    this.failure = { ok: false, reason: message, since: this.failure?.since ?? Date.now() }
    // Changes made since the batch began were built on the values that failed: they go too.
    for (const [k, change] of this.pending) changes.set(k, change)
    this.pending.clear()
    const later = this.waiters.splice(0)
    for (const w of [...waiters, ...later]) w.reject(failure)
    try {
      this.rollback(changes)
    } catch (error) {
      this.failure.reason += ` Rolling back the unsaved changes also failed (${(error as Error).message}); restart the sandbox once the disk is fixed.`
    }
    if (!this.probeTimer && !this.closed) {
      this.probeTimer = setInterval(() => {
        this.probeWanted = true
        this.kick()
      }, this.options.probeEveryMs ?? 1000)
      this.probeTimer.unref()
    }
  }

  private recovered(): void {
    if (!this.failure) return
    this.failure = undefined
    clearInterval(this.probeTimer)
    this.probeTimer = undefined
  }

  /**
   * Puts the records a failed write carried back to their durable values, read from the snapshot
   * and logs on disk. Objects keep their identity where they still exist, so code holding them
   * sees the durable value; records that never became durable are dropped.
   */
  private rollback(changes: Map<string, Change>): void {
    if (changes.size === 0) return
    const durable = this.readDurable(new Set(changes.keys()))
    const records: RolledBack = new Map()
    for (const { c, id } of changes.values()) {
      const live = this.get(c, id)
      const value = durable.get(key(c, id))
      if (value === undefined) {
        if (typeof live === 'object' && live !== null) this.discarded.add(live)
        this.data[c].delete(id)
        this.live.get(c)?.delete(id)
      } else if (isPlainObject(live) && isPlainObject(value)) {
        for (const k of Object.keys(live)) delete live[k]
        Object.assign(live, value)
        this.data[c].set(id, live)
      } else this.data[c].set(id, value)
      if (ENCODED.has(c)) this.settle(c, id)
      let ids = records.get(c)
      if (!ids) records.set(c, (ids = new Set()))
      ids.add(id)
    }
    for (const listener of this.rollbackListeners) listener(records)
  }

  /** Durable values of some records, as a restart would read them. */
  private readDurable(keys: Set<string>): Map<string, unknown> {
    const found = new Map<string, unknown>()
    const file = this.options.file!
    if (existsSync(file)) {
      const snapshot = readSnapshot(file, undefined, (c, id) => keys.has(key(c, id)))
      for (const c of COLLECTIONS) for (const [id, value] of snapshot.data[c]) found.set(key(c, id), value)
    }
    const apply = (change: Change & { v?: unknown }) => {
      const k = key(change.c, change.id)
      if (!keys.has(k)) return
      if (change.d) found.delete(k)
      else found.set(k, change.v)
    }
    for (const log of this.logFiles()) {
      const limit = log === this.logPath ? this.logSize : Infinity
      this.replayLines(log, undefined, apply, limit)
    }
    return found
  }

  /** Rotated logs (oldest first), then the active log, as they exist on disk. */
  private logFiles(): string[] {
    const file = this.options.file!
    const dir = dirname(file)
    const prefix = `${basename(file)}.log.`
    const rotated = readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
      .map((name) => Number(name.slice(prefix.length)))
      .sort((a, b) => a - b)
    this.rotatedSeq = Math.max(this.rotatedSeq, rotated.at(-1) ?? 0)
    const out = rotated.map((n) => join(dir, `${prefix}${n}`))
    if (existsSync(this.logPath!)) out.push(this.logPath!)
    return out
  }

  /** Replays one log into memory; returns the number of changes applied. */
  private replay(path: string, repair?: Dropped[]): number {
    let applied = 0
    this.replayLines(
      path,
      repair,
      (change) => {
        const collection = this.data[change.c]
        if (change.d) collection.delete(change.id)
        else collection.set(change.id, change.v)
        applied++
      },
      Infinity,
    )
    return applied
  }

  /**
   * Reads a log and hands each committed change to `apply`. Changes count only once their
   * `{"commit":n}` line is read, so a write torn by a crash (no commit line, or an unterminated
   * last line) is ignored as a whole. A log without the `{"log":2}` header was written by
   * psp-sandbox 0.1: each complete line was its own commit. A complete line that is not a valid
   * change cannot come from a torn write: it stops start-up (or, with `repair`, is dropped).
   */
  private replayLines(
    path: string,
    repair: Dropped[] | undefined,
    apply: (change: Change & { v?: unknown }) => void,
    limit: number,
  ): void {
    let batch: Array<Change & { v?: unknown }> = []
    let legacy = true
    readLinesSync(
      path,
      (text, line, terminated) => {
        if (!text.trim() || !terminated) return
        let parsed: Record<string, unknown>
        let why: string | undefined
        try {
          parsed = JSON.parse(text)
          why = checkChange(parsed)
        } catch (error) {
          parsed = {}
          why = `is not valid JSON (${(error as Error).message})`
        }
        if (parsed.log === 2 && line === 1) return void (legacy = false)
        if (typeof parsed.commit === 'number') {
          for (const change of batch) apply(change)
          batch = []
          return
        }
        if (typeof parsed.probe === 'number') return
        if (why) {
          if (!repair) throw corruptLog(path, line, `line ${line} ${why}`)
          repair.push({ file: path, line, text, why })
          return
        }
        const change = parsed as Change & { v?: unknown }
        if (legacy) apply(change)
        else batch.push(change)
      },
      limit,
    )
  }

  /** Copies the original files aside before a repair rewrites them, with a list of what was dropped. */
  private keepAside(file: string, logs: string[], dropped: Dropped[]): string {
    const folder = `${file}.repair-${new Date().toISOString().replace(/[:.]/g, '-')}`
    mkdirSync(folder, { recursive: true })
    for (const f of [file, ...logs]) if (existsSync(f)) copyFileSync(f, join(folder, basename(f)))
    writeFileSync(join(folder, 'dropped.jsonl'), dropped.map((d) => JSON.stringify(d)).join('\n') + '\n')
    return folder
  }

  /**
   * Sets the active log aside (renamed `<path>.log.<n>`) and starts a fresh one, then streams a
   * new snapshot in the background. Runs between two writes, so no write is in flight.
   */
  private async startCompaction(): Promise<void> {
    const file = this.options.file!
    const rotated = `${this.logPath}.${++this.rotatedSeq}`
    try {
      await this.log?.close()
      this.log = undefined
      await this.files.rename(this.logPath!, rotated)
      this.log = await this.files.openForWrite(this.logPath!, DURABLE)
      await this.files.syncDir(dirname(file))
      this.logSize = 0
      this.logDirty = false
    } catch {
      // The log stays where it is (or a new one is opened by the next write); compaction waits.
      this.log = undefined
      return
    }
    const epoch = this.failures
    const snapshot = this.db!.adapter as SnapshotFile
    const gate = async () => {
      // Every value streamed out must be durable in the log before the snapshot replaces the old one.
      await this.commit()
      if (this.failures !== epoch) throw new Error('a write failed during compaction')
    }
    // Records logged from here on go in the next compaction's set: this one's is complete.
    const changed = this.changed
    this.changed = new Map()
    const unchanged = (c: CollectionName, id: string) => !changed.get(c)?.has(id)
    this.compaction = snapshot
      .write(this.data, gate, unchanged)
      .then(async () => {
        this.compactionStats.count++
        this.compactionStats.copied += snapshot.copied
        this.snapshotBytes = snapshot.bytes
        this.compactionStats.longestSliceMs = Math.max(this.compactionStats.longestSliceMs, snapshot.longestSliceMs)
        this.compactionStats.longestSliceCpuMs = Math.max(
          this.compactionStats.longestSliceCpuMs,
          snapshot.longestSliceCpuMs,
        )
        for (const log of this.logFiles()) if (log !== this.logPath) await this.files.unlink(log)
        await this.files.syncDir(dirname(file))
      })
      .catch(() => {
        // The rotated log stays and is replayed on start; the next compaction folds it in. The
        // snapshot on disk may still be the old one: what changed since it stays changed.
        for (const [c, ids] of changed) for (const id of ids) this.markChanged(c, id)
      })
      .finally(() => (this.compaction = undefined))
  }

  /**
   * Compactions finished so far, the records they copied from the previous snapshot instead of
   * serialising them, and the longest time one of them held the event loop in one go (serialising
   * one chunk of records between two writes), as wall time and as CPU time, for benchmarks.
   */
  readonly compactionStats = { count: 0, copied: 0, longestSliceMs: 0, longestSliceCpuMs: 0 }

  /** A compaction is streaming a snapshot right now (benchmarks watch the event loop meanwhile). */
  get compacting(): boolean {
    return this.compaction !== undefined
  }

  /** Waits for a background compaction, one being started included (tests and benchmarks). */
  async compacted(): Promise<void> {
    await this.rotation
    await this.compaction
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function checkChange(parsed: unknown): string | undefined {
  if (!isPlainObject(parsed)) return 'is not a change record'
  const c = parsed.c as CollectionName
  if (!COLLECTIONS.includes(c)) return `names an unknown collection ${JSON.stringify(parsed.c)}`
  if (typeof parsed.id !== 'string') return 'has no record id'
  if (parsed.d === 1) return undefined
  return validRecord(c, parsed.v) ? undefined : `sets ${c}/${parsed.id} to ${JSON.stringify(parsed.v)}`
}

function corruptLog(path: string, line: number, why: string): StoreCorruptError {
  return new StoreCorruptError(
    `the sandbox change log ${path} is damaged: ${why}. It is a complete line, not a write torn by a crash, so the state cannot be trusted. Move the file aside (the sandbox then starts from the last snapshot), or start with --repair to drop the damaged line and keep a copy of the original files.`,
    path,
    line,
  )
}
