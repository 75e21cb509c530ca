import { existsSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Adapter } from 'lowdb'
import { readLinesSync, writeFully, type StoreFiles } from './store-files.js'
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
 * folder, so a crash at any point leaves either the old or the new snapshot whole.
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

  async write(data: StoreMaps, gate?: () => Promise<void>): Promise<void> {
    const tmp = `${this.file}.tmp`
    const handle = await this.files.openForWrite(tmp)
    let position = 0
    let text = '{\n'
    this.longestSliceMs = 0
    this.longestSliceCpuMs = 0
    let sliceStart = performance.now()
    let sliceCpu = process.cpuUsage()
    const flush = async () => {
      const bytes = Buffer.from(text)
      text = ''
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
        text += `${JSON.stringify(c)}:{`
        let first = true
        // A live iteration: records changed meanwhile are written as they are when reached (a
        // change made after the log was set aside is also in the new log, which replays over it).
        for (const [id, value] of data[c]) {
          if (value === undefined) continue
          text += `${first ? '\n' : ',\n'}${JSON.stringify(id)}:${this.json(c, id, value)}`
          first = false
          if (text.length >= CHUNK) await flush()
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
    }
    await handle.close()
    if (gate) await gate()
    await this.files.rename(tmp, this.file)
    await this.files.syncDir(dirname(this.file))
  }
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
