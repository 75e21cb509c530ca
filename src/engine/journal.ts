/**
 * What the sandbox saw and decided, newest last, in plain words. Bounded by entry count and by
 * bytes (bodies are cut to `maxBodyBytes`), so a long-running sandbox never grows without limit.
 * Kept in memory: it explains the present run, it is not state.
 *
 * @example
 * journal.list({ provider: 'connecx', kind: 'request', limit: 20 })
 */
export interface JournalEntry {
  id: number
  at: string
  kind: 'request' | 'callback' | 'timeline' | 'admin' | 'system'
  provider?: string
  method?: string
  path?: string
  /** HTTP status the sandbox answered with (requests) or received (callbacks). */
  status?: number
  operation?: string
  merchant?: string
  reference?: string
  transactionId?: string
  /** Name and source of the scenario rule that decided the outcome. */
  rule?: string
  /** Authentication verdict: `ok` plus a human explanation (on failure, what was expected). */
  auth?: { ok: boolean; explanation: string }
  /** Plain-words notes: validation failures, decode layers, skipped steps. */
  notes: string[]
  requestBody?: string
  responseBody?: string
  durationMs?: number
}

export interface JournalFilter {
  provider?: string
  kind?: JournalEntry['kind']
  reference?: string
  transactionId?: string
  /** Only refused requests: an auth verdict that failed, or an answer of 400 or more. */
  refused?: boolean
  limit?: number
}

export interface JournalOptions {
  maxEntries?: number
  maxBytes?: number
  maxBodyBytes?: number
}

export class Journal {
  private entries: JournalEntry[] = []
  private bytes = 0
  private nextId = 1
  readonly maxEntries: number
  readonly maxBytes: number
  readonly maxBodyBytes: number

  constructor(
    options: JournalOptions = {},
    private readonly now: () => number = Date.now,
    /** Called with each entry once it is recorded (the engine's event stream). */
    private readonly recorded?: (entry: JournalEntry) => void,
  ) {
    this.maxEntries = options.maxEntries ?? 2000
    this.maxBytes = options.maxBytes ?? 8 * 1024 * 1024
    this.maxBodyBytes = options.maxBodyBytes ?? 8 * 1024
  }

  /** Starts an entry; fill it in, then `record()` it. */
  draft(kind: JournalEntry['kind'], fields: Partial<JournalEntry> = {}): JournalEntry {
    return { id: 0, at: this.isoNow(), kind, notes: [], ...fields }
  }

  private lastMs = NaN
  private lastIso = ''

  /** The clock's time as ISO 8601; entries recorded in the same millisecond share one string. */
  private isoNow(): string {
    const ms = this.now()
    if (ms !== this.lastMs) {
      this.lastMs = ms
      this.lastIso = new Date(ms).toISOString()
    }
    return this.lastIso
  }

  /** Adds an entry, evicting the oldest ones beyond the count or byte bound. */
  record(entry: JournalEntry): JournalEntry {
    entry.id = this.nextId++
    if (entry.requestBody !== undefined) entry.requestBody = this.cut(entry.requestBody)
    if (entry.responseBody !== undefined) entry.responseBody = this.cut(entry.responseBody)
    this.entries.push(entry)
    this.bytes += sizeOf(entry)
    while (this.entries.length > this.maxEntries || (this.bytes > this.maxBytes && this.entries.length > 1)) {
      this.bytes -= sizeOf(this.entries.shift()!)
    }
    this.recorded?.(entry)
    return entry
  }

  /** Shorthand for an entry that is not an HTTP exchange. */
  note(kind: JournalEntry['kind'], text: string, fields: Partial<JournalEntry> = {}): JournalEntry {
    return this.record(this.draft(kind, { ...fields, notes: [text] }))
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = []
    const limit = filter.limit ?? 100
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.entries[i]
      if (filter.provider && e.provider !== filter.provider) continue
      if (filter.kind && e.kind !== filter.kind) continue
      if (filter.reference && e.reference !== filter.reference) continue
      if (filter.transactionId && e.transactionId !== filter.transactionId) continue
      if (filter.refused && !isRefusal(e)) continue
      out.push(e)
    }
    return out
  }

  clear(): void {
    this.entries = []
    this.bytes = 0
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.length, bytes: this.bytes }
  }

  private cut(body: string): string {
    if (body.length <= this.maxBodyBytes) return body
    return `${body.slice(0, this.maxBodyBytes)}… [${body.length - this.maxBodyBytes} more characters cut]`
  }
}

/** A request the sandbox refused: its auth verdict failed, or it was answered 400 or more. */
export function isRefusal(entry: JournalEntry): boolean {
  return entry.kind === 'request' && (entry.auth?.ok === false || (entry.status ?? 0) >= 400)
}

function sizeOf(entry: JournalEntry): number {
  return (
    200 +
    (entry.requestBody?.length ?? 0) +
    (entry.responseBody?.length ?? 0) +
    entry.notes.reduce((n, s) => n + s.length, 0)
  )
}
