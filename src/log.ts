import { createRequire } from 'node:module'
import type { DestinationStream, Level, Logger } from 'pino'
import type { Engine } from './engine/engine.js'
import type { JournalEntry } from './engine/journal.js'

export const LOG_FORMATS = ['pretty', 'json', 'silent'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface ServerLogOptions {
  /** `pretty` (one coloured line per event, for a terminal), `json` (one JSON object per line), or `silent`. */
  format: LogFormat
  /** Lowest level written: `debug` adds status changes and admin changes; default `info`. */
  level?: LogLevel
  /** Where lines go (default stdout). */
  destination?: DestinationStream
  /** Colours in `pretty` (default: when stdout is a terminal). */
  color?: boolean
}

export interface ServerLog {
  /** A pino logger writing to the same place (loaded on first read in `json` format); none when `silent`. */
  logger?: Logger
  /** Writes one line at `level` as the log's other lines are written (`json` fields and message). */
  write(level: Level, fields: Record<string, unknown>, message: string): void
  /** Writes out what is buffered now (e.g. the line saying the server listens). */
  flush(): void
  /** Stops listening and writes out what is buffered. */
  close(): void
}

/**
 * The server log: one line per provider request (provider, operation, reference, status, rule,
 * ms) and per callback attempt (target, status, acknowledged or why not), read from the journal
 * entry the engine records anyway — logging adds no work to the request path beyond one
 * listener call. Status changes and admin changes are `debug`. The writers are loaded on the
 * first call, so importing the package costs nothing for those who do not log; `json` lines are
 * written as pino writes them without loading pino.
 *
 * Secrets never reach the log: no bodies, headers, query strings or auth explanations (those
 * quote the strings a token was hashed from); the journal keeps them for the admin API.
 *
 * @example
 * const log = await attachServerLog(sandbox.engine, { format: process.stdout.isTTY ? 'pretty' : 'json' })
 * // INFO: connecx payin POST /mxapi/3568224497743/bdpayin ref=ORDER-1 → 200 (4 ms) rule="default (no rule matched): approved after 2s"
 * log.close()
 */
export async function attachServerLog(engine: Engine, options: ServerLogOptions): Promise<ServerLog> {
  if (options.format === 'silent') return { write: () => {}, flush: () => {}, close: () => {} }
  const level = options.level ?? 'info'
  const loggerOn = (stream: DestinationStream): Logger => {
    const { pino } = requireHere('pino') as typeof import('pino')
    return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, stream)
  }
  if (options.format === 'pretty') {
    const { PinoPretty } = await import('pino-pretty')
    const stream = PinoPretty({
      colorize: options.color ?? (!options.destination && process.stdout.isTTY === true),
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      hideObject: true,
      sync: true,
      destination: options.destination ?? 1,
    })
    const logger = loggerOn(stream)
    const write = (l: Level, fields: Record<string, unknown>, message: string) => logger[l](fields, message)
    return listening(engine, { logger, write, flush: () => flushSync(stream) }, level)
  }
  // JSON lines are written by hand, as pino writes them (level, time, fields, msg): pino's own
  // serialiser was the largest part of a request's logging cost, and loading it of start-up's.
  const out = options.destination ?? stdoutWriter()
  const stream: DestinationStream = options.destination ? out : new LineBatch(out)
  const minimum = LEVEL_VALUES[level]
  let logger: Logger | undefined
  const log: Omit<ServerLog, 'close'> = {
    get logger() {
      return (logger ??= loggerOn(stream))
    },
    write: (l, fields, message) => {
      if (LEVEL_VALUES[l] >= minimum) stream.write(jsonLine({ level: l, fields, message }))
    },
    flush: () => {
      if (stream instanceof LineBatch) stream.flush()
      flushSync(out)
    },
  }
  return listening(engine, log, level, stream instanceof LineBatch)
}

/** Writes each journal entry's line until closed; with `buffered`, also what is left at exit. */
function listening(engine: Engine, log: Omit<ServerLog, 'close'>, level: Level, buffered = false): ServerLog {
  const debug = LEVEL_VALUES[level] <= LEVEL_VALUES.debug
  const stop = engine.events.listen((event) => {
    if (event.type !== 'journal') return
    // Status changes and admin notes are `debug`: unless that level is on, no line is built.
    const kind = event.entry.kind
    if ((kind === 'timeline' || kind === 'admin') && !debug) return
    const line = logLine(event.entry)
    if (line) log.write(line.level, line.fields, line.message)
  })
  const onExit = () => log.flush()
  if (buffered) process.once('exit', onExit)
  return Object.assign(log, {
    close: () => {
      stop()
      process.off('exit', onExit)
      log.flush()
    },
  })
}

function flushSync(stream: DestinationStream): void {
  try {
    ;(stream as { flushSync?: () => void }).flushSync?.()
  } catch {
    /* nothing buffered, or stdout already closed */
  }
}

/**
 * stdout through sonic-boom, the writer behind `pino.destination()` (asynchronous writes), loaded
 * on first use; a closed pipe (EPIPE) ends the log quietly, as pino's does.
 */
function stdoutWriter(): DestinationStream {
  const SonicBoom = requireHere('sonic-boom') as SonicBoomClass
  const out = new SonicBoom({ fd: 1, sync: false, maxWrite: 4 * BATCH_CHARS })
  const broken = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') return
    out.write = () => true
    out.flushSync = () => {}
  }
  out.on('error', broken)
  return out
}

const requireHere = createRequire(import.meta.url)
type SonicBoomClass = new (options: { fd: number; sync: boolean; maxWrite: number }) => DestinationStream & {
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown
  write(data: string): boolean
  flushSync(): void
}

const LEVEL_VALUES: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }

interface LogLine {
  level: Level
  fields: Record<string, unknown>
  message: string
}

/** A line as pino writes it with `base: undefined` and ISO time: `{"level":30,"time":"…",…fields,"msg":"…"}`. */
function jsonLine(line: LogLine): string {
  const fields = JSON.stringify(line.fields)
  return `{"level":${LEVEL_VALUES[line.level]},"time":"${new Date().toISOString()}",${fields.length > 2 ? `${fields.slice(1, -1)},` : ''}"msg":${JSON.stringify(line.message)}}\n`
}

/**
 * Lines gathered in memory and handed to stdout's writer in batches of about 32 KiB, or every
 * 100 ms when fewer arrive: one write system call per line was the largest single cost of a
 * request or callback under load, and so was the writer's own per-line bookkeeping.
 */
class LineBatch {
  private lines = ''
  private timer?: NodeJS.Timeout

  constructor(readonly target: DestinationStream) {}

  write(line: string): void {
    this.lines += line
    if (this.lines.length >= BATCH_CHARS) this.flush()
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), BATCH_MS)
      this.timer.unref()
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (!this.lines) return
    const lines = this.lines
    this.lines = ''
    this.target.write(lines)
  }
}
const BATCH_CHARS = 32_768
const BATCH_MS = 100

/** The level, structured fields and human message for a journal entry (undefined: not logged). */
function logLine(entry: JournalEntry): LogLine | undefined {
  switch (entry.kind) {
    case 'request': {
      const path = withoutQuery(entry.path)
      const status = entry.status
      const fields = {
        event: 'request',
        provider: entry.provider,
        operation: entry.operation,
        method: entry.method,
        path,
        reference: entry.reference,
        transaction: entry.transactionId,
        status,
        auth: entry.auth ? (entry.auth.ok ? 'ok' : 'refused') : undefined,
        rule: entry.rule,
        ms: entry.durationMs,
      }
      const level: Level =
        (status ?? 0) >= 500 ? 'error' : (status ?? 0) >= 400 || entry.auth?.ok === false ? 'warn' : 'info'
      const message = [
        entry.provider,
        entry.operation ?? '-',
        `${entry.method} ${path}`,
        entry.reference ? `ref=${entry.reference}` : undefined,
        `→ ${status ?? 'no answer'} (${entry.durationMs ?? 0} ms)`,
        entry.auth?.ok === false ? 'auth refused' : undefined,
        entry.rule ? `rule="${entry.rule}"` : undefined,
      ]
        .filter(Boolean)
        .join(' ')
      return { level, fields, message }
    }
    case 'callback': {
      const target = withoutQuery(entry.path)
      const first = entry.notes[0] ?? ''
      const verdict = first.slice(first.indexOf('): ') + 3)
      const acknowledged = verdict === 'acknowledged'
      const reason = acknowledged ? undefined : entry.path ? verdict.split(entry.path).join(target) : verdict
      const fields = {
        event: 'callback',
        provider: entry.provider,
        reference: entry.reference,
        transaction: entry.transactionId,
        delivery: first.split(' ')[0] || undefined,
        method: entry.method,
        target,
        status: entry.status,
        acknowledged,
        reason,
        next: entry.notes[1],
        ms: entry.durationMs,
      }
      const message = [
        entry.provider,
        'callback',
        fields.delivery,
        `${entry.method} ${target}`,
        entry.reference ? `ref=${entry.reference}` : undefined,
        `→ ${entry.status ?? 'no answer'} (${entry.durationMs ?? 0} ms)`,
        acknowledged ? 'acknowledged' : reason,
        entry.notes[1] && !acknowledged ? `; ${entry.notes[1]}` : undefined,
      ]
        .filter(Boolean)
        .join(' ')
      return { level: acknowledged ? 'info' : 'warn', fields, message }
    }
    case 'timeline':
    case 'admin':
      return {
        level: 'debug',
        fields: { event: entry.kind, provider: entry.provider, transaction: entry.transactionId, rule: entry.rule },
        message: entry.notes.join('; '),
      }
    case 'system':
      return {
        level: 'error',
        fields: { event: 'system', provider: entry.provider, method: entry.method, path: withoutQuery(entry.path) },
        message: entry.notes[0]?.split('\n')[0] ?? 'the sandbox failed',
      }
  }
}

/** A path or URL without its query string (query strings carry signatures and codes). */
function withoutQuery(path: string | undefined): string | undefined {
  if (!path) return path
  const cut = path.indexOf('?')
  return cut === -1 ? path : `${path.slice(0, cut)}?…`
}
