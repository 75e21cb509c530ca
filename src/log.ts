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
  logger?: Logger
  /** Writes out what is buffered now (e.g. the line saying the server listens). */
  flush(): void
  /** Stops listening and writes out what is buffered. */
  close(): void
}

/**
 * The server log: one line per provider request (provider, operation, reference, status, rule,
 * ms) and per callback attempt (target, status, acknowledged or why not), read from the journal
 * entry the engine records anyway — logging adds no work to the request path beyond one
 * listener call. Status changes and admin changes are `debug`. pino is loaded on the first call,
 * so importing the package costs nothing for those who do not log.
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
  if (options.format === 'silent') return { flush: () => {}, close: () => {} }
  const { pino } = await import('pino')
  const { PinoPretty } = options.format === 'pretty' ? await import('pino-pretty') : { PinoPretty: undefined }
  const level = options.level ?? 'info'
  const stream: DestinationStream = PinoPretty
    ? PinoPretty({
        colorize: options.color ?? (!options.destination && process.stdout.isTTY === true),
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
        hideObject: true,
        sync: true,
        destination: options.destination ?? 1,
      })
    : // JSON lines are written in batches of 4 KiB, or every 100 ms when fewer arrive: one write
      // system call per line was the largest single cost of a request or callback under load.
      (options.destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 100 }))
  const logger = pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, stream)
  const stop = engine.events.listen((event) => {
    if (event.type !== 'journal') return
    const line = logLine(event.entry)
    if (line) logger[line.level](line.fields, line.message)
  })
  const flush = () => {
    const flushable = stream as { flushSync?: () => void }
    try {
      flushable.flushSync?.()
    } catch {
      /* nothing buffered, or stdout already closed */
    }
  }
  return {
    logger,
    flush,
    close: () => {
      stop()
      flush()
    },
  }
}

/** The level, structured fields and human message for a journal entry (undefined: not logged). */
function logLine(entry: JournalEntry): { level: Level; fields: Record<string, unknown>; message: string } | undefined {
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
