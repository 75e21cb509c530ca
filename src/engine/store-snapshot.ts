import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Adapter } from 'lowdb'
import { readLinesSync, writeFully, type StoreFileHandle, type StoreFiles } from './store-files.js'
import { COLLECTIONS, emptyMaps, StoreCorruptError, type CollectionName, type StoreMaps } from './store.js'

/** Something `--repair` dropped: where it was, its text, and why it could not be trusted. */
export interface Dropped {
  file: string
  line?: number
  text: string
  why: string
}

/**
 * Streamed snapshots are written in pieces of about this many characters, yielding between them.
 * A piece of stored pay-ins takes about 0.4 ms of CPU to serialise (2 ms at 128 KiB); 100,000 of
 * them make some 2,800 pieces.
 */
const CHUNK = 32 * 1024
/** Bytes copied from the previous snapshot per write: copying 1 MiB of lines takes about 1 ms. */
const COPY_CHUNK = 1024 * 1024

/**
 * The lowdb adapter of the snapshot file. The file is ordinary JSON (lowdb's `JSONFile` reads
 * it), laid out one record per line so that it can be written as a stream and a damaged record
 * named by its line:
 *
 * ```
 * {
 * "transactions":{
 * "connecx-1":{"id":"connecx-1",…},
 * "connecx-2":{"id":"connecx-2",…}
 * },
 * …
 * "state":{
 * "clock.now":1767225600000
 * }
 * }
 * ```
 *
 * `write` streams the records in chunks to `<file>.tmp`, fsyncs it, waits for `gate` (the store
 * makes everything it streamed durable in its log), renames it over the snapshot and fsyncs the
 * folder, so a crash at any point leaves either the old or the new snapshot whole. Records the
 * store says are `unchanged` since the snapshot on disk was written are copied from it as bytes
 * instead of being serialised again (see {@link PreviousSnapshot}).
 *
 * @example
 * const db = new Low(new SnapshotFile('db.json', nodeFiles), emptyMaps())
 * await db.read()
 */
export class SnapshotFile implements Adapter<StoreMaps> {
  /**
   * @param json a record's JSON text (the store keeps some records in a compact form of its own;
   *   the file always holds their JSON). Default `JSON.stringify` of the value.
   */
  constructor(
    private readonly file: string,
    private readonly files: StoreFiles,
    private readonly json: (c: CollectionName, id: string, value: unknown) => string = (_c, _id, value) =>
      JSON.stringify(value),
  ) {}

  async read(): Promise<StoreMaps | null> {
    const snapshot = readSnapshot(this.file)
    return snapshot.existed ? snapshot.data : null
  }

  /** The longest the last `write` held the event loop between two of its awaits (ms). */
  longestSliceMs = 0
  /**
   * The most CPU time (ms, user + system, the whole process) one of those slices took: on a busy
   * machine a slice waits for a core, and its wall time says more about the machine than the code.
   */
  longestSliceCpuMs = 0
  /** Size of the last snapshot written (bytes). */
  bytes = 0
  /** Records the last `write` copied from the previous snapshot instead of serialising them. */
  copied = 0

  /**
   * @param gate awaited after the new snapshot is written and fsynced, before it replaces the old
   * @param unchanged whether the snapshot on disk holds a record as it was when the log was set
   *   aside (a change after that is in the new log, which replays over the new snapshot); such
   *   records are copied from it. Omit to serialise every record.
   */
  async write(
    data: StoreMaps,
    gate?: () => Promise<void>,
    unchanged?: (c: CollectionName, id: string) => boolean,
  ): Promise<void> {
    const tmp = `${this.file}.tmp`
    const previous = unchanged && this.wrote ? PreviousSnapshot.open(this.file, this.wrote) : undefined
    let handle: StoreFileHandle
    try {
      handle = await this.files.openForWrite(tmp)
    } catch (error) {
      previous?.close()
      throw error
    }
    let position = 0
    let text = '{\n'
    /** Bytes ready to write before `run` and `text`: copied lines, and text that came before them. */
    const pieces: Buffer[] = []
    let pieceBytes = 0
    /** Lines copied one after another from one read of the previous snapshot: `run.buf[start, end)`. */
    const run = { buf: undefined as Buffer | undefined, start: 0, end: 0 }
    const endRun = () => {
      if (!run.buf) return
      pieces.push(run.buf.subarray(run.start, run.end))
      run.buf = undefined
    }
    const copy = (line: { buf: Buffer; start: number; end: number }) => {
      pieceBytes += line.end - line.start
      // Lines that follow one another in the previous snapshot stay one piece: only ",\n" lies between.
      if (text === ',\n' && run.buf === line.buf && run.end + 2 === line.start) {
        run.end = line.end
        pieceBytes += 2
        text = ''
        return
      }
      endRun()
      if (text) {
        const bytes = Buffer.from(text)
        pieces.push(bytes)
        pieceBytes += bytes.length
        text = ''
      }
      Object.assign(run, line)
    }
    this.longestSliceMs = 0
    this.longestSliceCpuMs = 0
    this.copied = 0
    let sliceStart = performance.now()
    let sliceCpu = process.cpuUsage()
    const flush = async () => {
      endRun()
      if (text) pieces.push(Buffer.from(text))
      const bytes = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces)
      text = ''
      pieces.length = 0
      pieceBytes = 0
      this.longestSliceMs = Math.max(this.longestSliceMs, performance.now() - sliceStart)
      const cpu = process.cpuUsage(sliceCpu)
      this.longestSliceCpuMs = Math.max(this.longestSliceCpuMs, (cpu.user + cpu.system) / 1000)
      await writeFully(handle, bytes, position)
      sliceStart = performance.now()
      sliceCpu = process.cpuUsage()
      position += bytes.length
    }
    try {
      await handle.truncate(0)
      sliceStart = performance.now()
      sliceCpu = process.cpuUsage()
      for (let i = 0; i < COLLECTIONS.length; i++) {
        const c = COLLECTIONS[i]
        const records = data[c]
        // Unchanged records the previous snapshot did not have where expected: written here, passed over there.
        const misplaced = new Set<string>()
        const passOver = (id: string) => !records.has(id) || !unchanged!(c, id) || misplaced.has(id)
        text += `${JSON.stringify(c)}:{`
        let first = true
        // A live iteration: records changed meanwhile are written as they are when reached (a
        // change made after the log was set aside is also in the new log, which replays over it).
        for (const [id, value] of records) {
          if (value === undefined) continue
          text += first ? '\n' : ',\n'
          first = false
          const same = previous !== undefined && unchanged!(c, id)
          if (same && previous.take(c, id, passOver)) {
            copy(previous.line)
            this.copied++
          } else {
            if (same) misplaced.add(id)
            text += `${JSON.stringify(id)}:${this.json(c, id, value)}`
          }
          if (text.length >= CHUNK || pieceBytes >= COPY_CHUNK) await flush()
        }
        text += i === COLLECTIONS.length - 1 ? '\n}\n}\n' : '\n},\n'
      }
      await flush()
      await handle.datasync()
      this.bytes = position
    } catch (error) {
      await handle.close().catch(() => {})
      await this.files.unlink(tmp).catch(() => {})
      throw error
    } finally {
      previous?.close()
    }
    await handle.close()
    if (gate) await gate()
    this.wrote = undefined
    await this.files.rename(tmp, this.file)
    await this.files.syncDir(dirname(this.file))
    this.wrote = identity(statSync(this.file))
  }

  /**
   * The snapshot file as the last `write` left it. A compaction copies from the file on disk only
   * while it is still that file: one edited or replaced meanwhile (by hand, say) holds lines the
   * store never had, so then every record is serialised from memory, as before.
   */
  private wrote?: FileIdentity
}

/** What tells one version of a file from another without reading it. */
interface FileIdentity {
  ino: number
  size: number
  mtimeMs: number
}

const identity = (s: FileIdentity): FileIdentity => ({ ino: s.ino, size: s.size, mtimeMs: s.mtimeMs })

/**
 * The snapshot a compaction is about to replace, read front to back in pieces of 256 KiB, handing
 * out the lines of records that have not changed since it was written: their bytes are what
 * serialising them again would give, so a compaction copies them. With 100,000 stored pay-ins
 * most records are finished and unchanged, and copying a line costs a small part of writing it
 * (`JSON.stringify` runs at about 100 MB/s).
 *
 * The store's maps keep their order (a changed record keeps its place; only a new one is added
 * at the end), and a snapshot is written in that order, so the records wanted appear in the file
 * in the order they are asked for, with changed or removed ones between them. Anything else (an
 * old or hand-written layout, a line that is not this writer's) is not copied: the record is
 * serialised as before.
 *
 * @example
 * const previous = PreviousSnapshot.open('db.json')
 * if (previous?.take('transactions', 'connecx-1', (id) => changed.has(id)))
 *   write(previous.line.buf.subarray(previous.line.start, previous.line.end))
 * previous?.close()
 */
export class PreviousSnapshot {
  private buf = Buffer.alloc(0)
  /** Start of the next line not yet read in `buf`. */
  private pos = 0
  private eof = false
  /** The collection whose records the next lines hold; undefined between collections. */
  private section?: CollectionName
  private sectionIndex = -1
  /** Where the last line `take` found lies: `buf[start, end)`, `"id":{…}` without the comma. */
  readonly line = { buf: Buffer.alloc(0), start: 0, end: 0 }

  private constructor(private fd: number | undefined) {}

  /**
   * Opens a line-per-record snapshot; undefined when there is none, when it is laid out otherwise,
   * or when it is no longer the file `expected` describes (inode, size, modification time).
   */
  static open(file: string, expected?: FileIdentity): PreviousSnapshot | undefined {
    let fd: number
    try {
      fd = openSync(file, 'r')
    } catch {
      return undefined
    }
    const found = expected && identity(fstatSync(fd))
    if (found && (found.ino !== expected.ino || found.size !== expected.size || found.mtimeMs !== expected.mtimeMs)) {
      closeSync(fd)
      return undefined
    }
    const previous = new PreviousSnapshot(fd)
    const end = previous.nextLineEnd()
    if (end !== 1 || previous.buf[0] !== OPEN) {
      previous.close()
      return undefined
    }
    previous.pos = end + 1
    return previous
  }

  /**
   * Finds record `c`/`id` (then at {@link line}), when it is the next record of the file once
   * lines of collections already written and records `passOver` accepts are skipped. False
   * otherwise, and nothing is skipped but those lines.
   */
  take(c: CollectionName, id: string, passOver: (id: string) => boolean): boolean {
    const wanted = COLLECTIONS.indexOf(c)
    for (;;) {
      const end = this.nextLineEnd()
      if (end === -1) return false
      const start = this.pos
      const b = this.buf
      if (this.section === undefined) {
        // A collection's opening line (`"transactions":{`), or the file's closing brace.
        if (b[start] === QUOTE && b[end - 1] === OPEN && b[end - 2] === COLON) {
          const name = b.toString('latin1', start + 1, end - 3) as CollectionName
          this.sectionIndex = COLLECTIONS.indexOf(name)
          if (this.sectionIndex === -1) return this.fail()
          this.section = name
        } else if (b[start] !== CLOSE) return this.fail()
        this.pos = end + 1
        continue
      }
      if (b[start] === CLOSE) {
        this.section = undefined
        this.pos = end + 1
        continue
      }
      if (this.sectionIndex < wanted) {
        this.pos = end + 1
        continue
      }
      if (this.sectionIndex > wanted) return false
      const bodyEnd = b[end - 1] === COMMA ? end - 1 : end
      const quote = keyEnd(b, start, bodyEnd)
      if (quote !== -1 && sameKey(b, start + 1, quote, id)) {
        this.pos = end + 1
        if (b[bodyEnd - 1] !== CLOSE) return false
        this.line.buf = b
        this.line.start = start
        this.line.end = bodyEnd
        return true
      }
      if (quote !== -1 && !passOver(b.toString('utf8', start + 1, quote))) return false
      this.pos = end + 1
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
    this.buf = Buffer.alloc(0)
  }

  /** Stops copying: the file is not laid out as this writer writes. */
  private fail(): false {
    this.close()
    this.eof = true
    return false
  }

  /** Where the line at `pos` ends (its `\n`), reading more of the file as needed; -1 at the end. */
  private nextLineEnd(): number {
    for (;;) {
      const nl = this.buf.indexOf(NEWLINE, this.pos)
      if (nl !== -1) return nl
      if (this.eof || this.fd === undefined) return -1
      const rest = this.buf.subarray(this.pos)
      // A new buffer each time: lines already copied keep pointing into the one they came from.
      const next = Buffer.allocUnsafe(Math.max(READ_CHUNK, rest.length * 2))
      rest.copy(next)
      let n: number
      try {
        n = readSync(this.fd, next, rest.length, next.length - rest.length, null)
      } catch {
        this.fail()
        return -1
      }
      if (n === 0) this.eof = true
      this.buf = next.subarray(0, rest.length + n)
      this.pos = 0
    }
  }
}

const READ_CHUNK = 256 * 1024
const NEWLINE = 0x0a
const QUOTE = 0x22
const COMMA = 0x2c
const COLON = 0x3a
const BACKSLASH = 0x5c
const OPEN = 0x7b
const CLOSE = 0x7d

/** The index of the quote closing the id a record line opens with, or -1 (an id written with escapes, or none). */
function keyEnd(b: Buffer, start: number, end: number): number {
  if (b[start] !== QUOTE) return -1
  for (let i = start + 1; i < end; i++) {
    if (b[i] === BACKSLASH) return -1
    if (b[i] === QUOTE) return b[i + 1] === COLON ? i : -1
  }
  return -1
}

/** Whether `b[from, to)` is `id` in UTF-8, compared byte by byte while both are ASCII (no string made). */
function sameKey(b: Buffer, from: number, to: number, id: string): boolean {
  const n = to - from
  if (n < id.length) return false // UTF-8 never takes fewer bytes than UTF-16 takes code units
  if (n === id.length) {
    let i = 0
    for (; i < n; i++) {
      const x = b[from + i]
      if (x >= 0x80) break
      if (x !== id.charCodeAt(i)) return false
    }
    if (i === n) return true
  }
  return b.toString('utf8', from, to) === id
}

/** A record value a collection can hold. */
export function validRecord(c: CollectionName, value: unknown): boolean {
  if (c === 'counters') return typeof value === 'number' && Number.isFinite(value)
  if (c === 'state') return value !== undefined
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Reads and checks a snapshot. Without `repair`, anything that cannot be trusted throws
 * {@link StoreCorruptError} naming the file and line; with it, the damage is dropped and listed.
 * `only` reads just the records it accepts (the store's rollback reads a few records this way).
 */
export function readSnapshot(
  file: string,
  repair?: Dropped[],
  only?: (c: CollectionName, id: string) => boolean,
): { data: StoreMaps; existed: boolean; legacy: boolean } {
  const data = emptyMaps()
  if (!existsSync(file)) return { data, existed: false, legacy: false }
  let state = 'start' as 'start' | 'top' | 'records' | 'end'
  let collection: CollectionName = 'transactions'
  let seen = new Set<string>()
  let problem: { line: number; why: string; text: string } | undefined
  const dropped: Dropped[] = []
  try {
    readLinesSync(file, (raw, line) => {
      if (problem) return
      const text = raw.trim()
      if (!text) return
      const bad = (why: string) => void (problem = { line, why, text: raw })
      switch (state) {
        case 'start':
          if (text !== '{') throw NOT_LINES
          state = 'top'
          return
        case 'top': {
          if (text === '}') return void (state = 'end')
          const header = /^"(\w+)"\s*:\s*\{$/.exec(text)
          if (!header) throw NOT_LINES
          if (!COLLECTIONS.includes(header[1] as CollectionName) || seen.has(header[1]))
            return bad(`names ${seen.has(header[1]) ? 'a repeated' : 'an unknown'} collection "${header[1]}"`)
          collection = header[1] as CollectionName
          seen.add(collection)
          state = 'records'
          return
        }
        case 'records': {
          if (text === '}' || text === '},') return void (state = 'top')
          const body = text.endsWith(',') ? text.slice(0, -1) : text
          const id = quickKey(body)
          if (only && id !== undefined && !only(collection, id)) return
          let record: Record<string, unknown>
          try {
            record = JSON.parse(`{${body}}`)
          } catch (error) {
            if (body.endsWith('{') || body.endsWith('[')) throw NOT_LINES // a pretty-printed lowdb file
            const why = `is not a valid record (${(error as Error).message})`
            if (!repair) return bad(why)
            return void dropped.push({ file, line, text: raw, why })
          }
          const [[recordId, value]] = Object.entries(record)
          if (only && !only(collection, recordId)) return
          if (!validRecord(collection, value)) {
            const why = `sets ${collection}/${recordId} to ${JSON.stringify(value)}`
            if (!repair) return bad(why)
            return void dropped.push({ file, line, text: raw, why })
          }
          data[collection].set(recordId, value)
          return
        }
        case 'end':
          return bad('follows the end of the snapshot')
      }
    })
  } catch (error) {
    if (error !== NOT_LINES) throw error
    return readWholeSnapshot(file, repair)
  }
  if (!problem && state !== 'end' && state !== 'start')
    problem = { line: 0, why: 'ends before the snapshot does (it was not written completely)', text: '' }
  if (state === 'start' && !problem) return readWholeSnapshot(file, repair)
  if (problem) {
    if (!repair) throw corruptSnapshot(file, problem.line || undefined, problem.why)
    dropped.push({ file, line: problem.line || undefined, text: problem.text, why: problem.why })
  }
  repair?.push(...dropped)
  return { data, existed: true, legacy: false }
}

const NOT_LINES = new Error('not a line-per-record snapshot')

/** A snapshot written whole by lowdb's JSONFile (psp-sandbox 0.1) or damaged beyond line reading. */
function readWholeSnapshot(file: string, repair?: Dropped[]): { data: StoreMaps; existed: boolean; legacy: boolean } {
  const text = readFileSync(file, 'utf8')
  const data = emptyMaps()
  const oneLine = !text.trim().includes('\n')
  const drop = (why: string, line = oneLine ? 1 : undefined) => {
    if (!repair) throw corruptSnapshot(file, line, why)
    repair.push({ file, line, text: text.slice(0, 2000), why })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const position = /position (\d+)/.exec(message)
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined
    drop(`${text.trim() ? 'is not valid JSON' : 'is empty'} (${message})`, line)
    return { data, existed: true, legacy: true }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    drop(`holds ${JSON.stringify(parsed).slice(0, 60)}, not the sandbox's collections (an object)`)
    return { data, existed: true, legacy: true }
  }
  for (const [name, records] of Object.entries(parsed)) {
    if (!COLLECTIONS.includes(name as CollectionName)) {
      drop(`holds an unknown collection "${name}"`)
      continue
    }
    const c = name as CollectionName
    if (typeof records !== 'object' || records === null || Array.isArray(records)) {
      drop(`holds ${JSON.stringify(records)} as "${c}", not an object of records`)
      continue
    }
    for (const [id, value] of Object.entries(records as Record<string, unknown>)) {
      if (validRecord(c, value)) data[c].set(id, value)
      else drop(`sets ${c}/${id} to ${JSON.stringify(value)}`)
    }
  }
  return { data, existed: true, legacy: true }
}

/** The id of a record line without parsing the record, when it has no escapes. */
function quickKey(body: string): string | undefined {
  if (body[0] !== '"') return undefined
  const end = body.indexOf('":')
  if (end < 1) return undefined
  const id = body.slice(1, end)
  return id.includes('\\') ? undefined : id
}

function corruptSnapshot(file: string, line: number | undefined, why: string): StoreCorruptError {
  return new StoreCorruptError(
    `the sandbox state file ${file} cannot be trusted: ${line ? `line ${line}` : 'it'} ${why}. Move it aside (or start with another --data path) to begin from an empty state, or start with --repair to drop what is damaged and keep a copy of the original files.`,
    file,
    line,
  )
}
