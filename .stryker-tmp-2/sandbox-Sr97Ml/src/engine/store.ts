// @ts-nocheck
import { mkdirSync, readFileSync, existsSync, statSync } from 'node:fs'
import { open, truncate, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Low, Memory } from 'lowdb'
import { JSONFile } from 'lowdb/node'

/** Collections the store keeps. Each is a map from id to a JSON-serialisable record. */
export type CollectionName = 'transactions' | 'deliveries' | 'jobs' | 'merchants' | 'counters' | 'state'

export type StoreData = Record<CollectionName, Record<string, unknown>>

export interface StoreOptions {
  /** Path of the lowdb JSON snapshot; its change log sits beside it as `<path>.log`. Omit for memory only. */
  file?: string
  /** Fold the change log into a new snapshot once it grows past this many bytes. Default 8 MiB. */
  compactBytes?: number
}

const emptyData = (): StoreData => ({
  transactions: {},
  deliveries: {},
  jobs: {},
  merchants: {},
  counters: {},
  state: {},
})

type Change = { c: CollectionName; id: string; d?: 1 }

/**
 * State in memory, made durable with a lowdb snapshot plus an append-only change log.
 *
 * Writers change records with `put`/`remove`, then `await commit()`: the promise resolves once
 * the change is on disk (one append + fsync). Concurrent commits share one write (group commit),
 * and a record changed several times before a write is written once, so the cost of a write
 * follows the size of the change, not the number of stored transactions. On `load()`, the
 * snapshot is read and the log replayed (a torn last line is ignored), then folded into a new
 * snapshot.
 *
 * @example
 * const store = new Store({ file: '.psp-sandbox/db.json' })
 * await store.load()
 * store.put('transactions', tx.id, tx)
 * await store.commit()   // durable from here on
 */
export class Store {
  private data: StoreData = emptyData()
  private db?: Low<StoreData>
  private logPath?: string
  private log?: FileHandle
  private logBytes = 0
  private pending = new Map<string, Change>()
  private flushing: Promise<void> | null = null
  private queued: Promise<void> | null = null
  private readonly compactBytes: number
  private closed = false

  constructor(private readonly options: StoreOptions = {}) {
    this.compactBytes = options.compactBytes ?? 8 * 1024 * 1024
  }

  /** Where the snapshot lives, or `memory`. */
  get location(): string {
    return this.options.file ?? 'memory'
  }

  /** Reads the snapshot and replays the change log. Call once, before anything else. */
  async load(): Promise<void> {
    const file = this.options.file
    if (!file) {
      this.db = new Low(new Memory<StoreData>(), emptyData())
      this.data = this.db.data
      return
    }
    mkdirSync(dirname(file), { recursive: true })
    this.db = new Low(new JSONFile<StoreData>(file), emptyData())
    try {
      await this.db.read()
    } catch (error) {
      throw new Error(
        `the sandbox state file ${file} is not valid JSON (${(error as Error).message}). Move it aside or start with another --data path.`,
      )
    }
    this.data = { ...emptyData(), ...this.db.data }
    this.db.data = this.data
    this.logPath = `${file}.log`
    const replayed = this.replayLog(this.logPath)
    if (replayed > 0 || !existsSync(file)) await this.compact()
    this.log = await open(this.logPath, 'a')
    this.logBytes = statSync(this.logPath).size
  }

  get<T>(collection: CollectionName, id: string): T | undefined {
    return this.data[collection][id] as T | undefined
  }

  /** All records of a collection (the live objects: treat them as read-only). */
  values<T>(collection: CollectionName): T[] {
    return Object.values(this.data[collection]) as T[]
  }

  /** Stores `value` under `id`; durable after the next `commit()`. */
  put<T>(collection: CollectionName, id: string, value: T): T {
    this.data[collection][id] = value
    this.pending.set(`${collection}\u0000${id}`, { c: collection, id })
    return value
  }

  remove(collection: CollectionName, id: string): void {
    delete this.data[collection][id]
    this.pending.set(`${collection}\u0000${id}`, { c: collection, id, d: 1 })
  }

  /** Empties collections (all by default); durable after the next `commit()`. */
  clear(...collections: CollectionName[]): void {
    for (const c of collections.length ? collections : (Object.keys(this.data) as CollectionName[])) {
      for (const id of Object.keys(this.data[c])) this.remove(c, id)
    }
  }

  /** Next value of a named counter (persisted), starting at 1. */
  nextCounter(name: string): number {
    const value = ((this.data.counters[name] as number | undefined) ?? 0) + 1
    this.put('counters', name, value)
    return value
  }

  /**
   * Resolves once every change made so far is durable. Changes made while a write is in
   * progress are written together by the next one.
   */
  commit(): Promise<void> {
    if (!this.log) {
      this.pending.clear()
      return Promise.resolve()
    }
    if (this.queued) return this.queued
    if (!this.flushing) {
      this.flushing = this.flush().finally(() => (this.flushing = null))
      return this.flushing
    }
    this.queued = this.flushing.then(() => {
      this.queued = null
      this.flushing = this.flush().finally(() => (this.flushing = null))
      return this.flushing
    })
    return this.queued
  }

  private async flush(): Promise<void> {
    if (this.pending.size === 0 || !this.log) return
    const changes = [...this.pending.values()]
    this.pending.clear()
    let text = ''
    for (const change of changes) {
      const line = change.d ? change : { ...change, v: this.data[change.c][change.id] }
      text += `${JSON.stringify(line)}\n`
    }
    await this.log.write(text)
    await this.log.datasync()
    this.logBytes += Buffer.byteLength(text)
    if (this.logBytes > this.compactBytes) await this.compact()
  }

  /** Writes the whole state as a new lowdb snapshot and empties the change log. */
  private async compact(): Promise<void> {
    if (!this.db || !this.logPath) return
    await this.db.write()
    if (existsSync(this.logPath)) await truncate(this.logPath, 0)
    this.logBytes = 0
  }

  private replayLog(path: string): number {
    if (!existsSync(path)) return 0
    const lines = readFileSync(path, 'utf8').split('\n')
    let count = 0
    for (const line of lines) {
      if (!line.trim()) continue
      let change: Change & { v?: unknown }
      try {
        change = JSON.parse(line)
      } catch {
        continue // a torn final line from a crash mid-write: its commit was never acknowledged
      }
      const collection = this.data[change.c]
      if (!collection) continue
      if (change.d) delete collection[change.id]
      else collection[change.id] = change.v
      count++
    }
    return count
  }

  /** Writes what is pending and releases the log file. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.commit()
    await this.log?.close()
    this.log = undefined
  }
}
