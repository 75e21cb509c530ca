import { parseDuration } from './duration.js'
import type { Clock } from './clock.js'
import type { Journal } from './journal.js'
import type { Store } from './store.js'
import type { Delivery } from './callbacks.js'
import type { TimelineJob, Transactions } from './transactions.js'
import { FINAL_STATUSES, type Transaction } from './types.js'

/**
 * How long finished transactions are kept: by age (clock time since their last change) and/or by
 * count (the newest N finished ones). A transaction still moving (not final, or with a step or a
 * callback still due) is never pruned.
 */
export interface RetentionPolicy {
  maxAgeMs?: number
  maxCount?: number
}

/** The default of long-running instances (`psp-sandbox start` outside CI): a week, at most 100,000. */
export const LONG_RUNNING_RETENTION = '7d,100000'

/** A `--retain` value the sandbox does not understand. */
export class RetentionError extends Error {
  constructor(text: string) {
    super(`--retain "${text}" is not a retention: give an age (7d, 12h), a count (100000), both (7d,100000), or off`)
    this.name = 'RetentionError'
  }
}

/**
 * Reads a `--retain` value: an age, a count, both separated by a comma, or `off` (undefined).
 *
 * @example
 * parseRetention('7d,100000') // { maxAgeMs: 604800000, maxCount: 100000 }
 * parseRetention('off')       // undefined
 */
export function parseRetention(text: string): RetentionPolicy | undefined {
  const trimmed = text.trim()
  if (trimmed === 'off' || trimmed === 'false' || trimmed === 'none') return undefined
  const policy: RetentionPolicy = {}
  for (const part of trimmed.split(',').map((p) => p.trim())) {
    if (/^\d+$/.test(part)) {
      if (policy.maxCount !== undefined) throw new RetentionError(text)
      policy.maxCount = Number(part)
      continue
    }
    if (policy.maxAgeMs !== undefined) throw new RetentionError(text)
    try {
      policy.maxAgeMs = parseDuration(part)
    } catch {
      throw new RetentionError(text)
    }
  }
  // Every part set one of the two or threw: `split` gives at least one part.
  return policy
}

/** Removals per commit while pruning; the event loop gets a turn between them. */
const BATCH = 500

/**
 * Prunes finished transactions with their deliveries and steps, as the policy says: once at
 * start, then every `everyMs` of real time. Works in batches of 500 removals per commit, so a
 * large prune never holds the server up.
 *
 * @example
 * const retention = new Retention(engine, { maxAgeMs: parseDuration('7d') })
 * await retention.prune() // number of transactions removed
 */
/** What retention uses of the engine (a narrow view, so this module does not import the engine). */
export interface RetentionHost {
  store: Store
  clock: Pick<Clock, 'now'>
  transactions: Pick<Transactions, 'forget'>
  journal: Pick<Journal, 'note'>
}

export class Retention {
  private timer?: NodeJS.Timeout
  private running?: Promise<number>

  constructor(
    private readonly engine: RetentionHost,
    readonly policy: RetentionPolicy,
    private readonly everyMs = 60_000,
  ) {}

  start(): void {
    void this.prune().catch(() => {})
    this.timer = setInterval(() => void this.prune().catch(() => {}), this.everyMs)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  /** Removes what the policy no longer keeps; resolves with how many transactions went. */
  prune(): Promise<number> {
    this.running ??= this.pruneOnce().finally(() => (this.running = undefined))
    return this.running
  }

  private async pruneOnce(): Promise<number> {
    const { store } = this.engine
    // Everything is read with `scan` where the store has it: in pieces (the event loop gets turns),
    // and keeping ids and numbers, not the records (an encoded store decodes a copy of each).
    const scan = async <T>(c: 'deliveries' | 'jobs' | 'transactions', visit: (record: T) => void) => {
      if (store.scan) await store.scan<T>(c, visit)
      else for (const record of store.values<T>(c)) visit(record)
    }
    const busy = new Set<string>()
    const deliveries = new Map<string, string[]>()
    await scan<Delivery>('deliveries', (d) => {
      if (d.state === 'scheduled') busy.add(d.transactionId)
      const ids = deliveries.get(d.transactionId)
      if (ids) ids.push(d.id)
      else deliveries.set(d.transactionId, [d.id])
    })
    // A step still due keeps its transaction: a pruned transaction never has a job left.
    await scan<TimelineJob>('jobs', (j) => busy.add(j.transactionId))
    const finished: Array<{ id: string; updatedAt: number }> = []
    await scan<Transaction>('transactions', (t) => {
      if (FINAL_STATUSES.has(t.status) && !busy.has(t.id)) finished.push({ id: t.id, updatedAt: t.updatedAt })
    })
    const doomed: Array<{ id: string; updatedAt: number }> = []
    const { maxAgeMs, maxCount } = this.policy
    if (maxAgeMs !== undefined) {
      const before = this.engine.clock.now() - maxAgeMs
      for (const t of finished) if (t.updatedAt < before) doomed.push(t)
    }
    if (maxCount !== undefined && finished.length > maxCount) {
      const gone = new Set(doomed)
      const keep = finished.filter((t) => !gone.has(t)).sort((a, b) => b.updatedAt - a.updatedAt)
      doomed.push(...keep.slice(maxCount))
    }
    for (let i = 0; i < doomed.length; i += BATCH) {
      for (const { id, updatedAt } of doomed.slice(i, i + BATCH)) {
        const tx = store.get<Transaction>('transactions', id)
        // Changed since it was read (the read yields): left for the next prune.
        if (!tx || tx.updatedAt !== updatedAt) continue
        store.remove('transactions', id)
        for (const d of deliveries.get(id) ?? []) store.remove('deliveries', d)
        this.engine.transactions.forget(tx)
      }
      await store.commit()
    }
    if (doomed.length)
      this.engine.journal.note(
        'system',
        `retention: ${doomed.length} finished transaction(s) and their callbacks removed (${describePolicy(this.policy)})`,
      )
    return doomed.length
  }
}

/** `7 days and 100000 transactions`, for logs and the start-up line. */
export function describePolicy(policy: RetentionPolicy | undefined): string {
  if (!policy) return 'off: every transaction is kept'
  const parts: string[] = []
  if (policy.maxAgeMs !== undefined) parts.push(`finished transactions older than ${formatAge(policy.maxAgeMs)}`)
  if (policy.maxCount !== undefined) parts.push(`finished transactions beyond the newest ${policy.maxCount}`)
  return `removes ${parts.join(' and ')}`
}

function formatAge(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ]
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`
  return `${ms}ms`
}
