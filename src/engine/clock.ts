import { parseDuration } from './duration.js'

/**
 * The sandbox's sense of time. Every delay, retry, expiry and working-hours rule reads it.
 *
 * - `real`: wall-clock time; timers fire by themselves.
 * - `virtual`: starts at the wall-clock time (or `start`) and moves only when `advance()` is
 *   called, firing every timer that falls due, in order, and waiting for each to finish.
 *
 * @example
 * const clock = createClock('virtual')
 * clock.schedule(clock.now() + 2000, () => console.log('two seconds later'))
 * await clock.advance('2s')
 */
export interface Clock {
  readonly mode: 'real' | 'virtual'
  /** Milliseconds since the epoch, as this clock sees it. */
  now(): number
  /** Runs `task` once the clock reaches `at` (ms since epoch). Returns a handle to cancel it. */
  schedule(at: number, task: () => unknown): TimerHandle
  /** Resolves once `duration` has passed on this clock. */
  sleep(duration: string | number): Promise<void>
  /**
   * Virtual clocks only: moves time forward by `duration`, running every timer due on the way
   * (including timers those timers schedule), and resolves once they have all finished.
   * A real clock throws `ClockError`.
   */
  advance(duration: string | number): Promise<number>
  /** Cancels every pending timer (used on close). */
  stop(): void
}

export interface TimerHandle {
  cancel(): void
}

export class ClockError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ClockError'
  }
}

/** Creates a real or virtual clock. `start` sets a virtual clock's initial time. */
// Stryker disable next-line StringLiteral: any default but 'virtual' makes the same real clock
export function createClock(mode: 'real' | 'virtual' = 'real', start?: number): Clock {
  return mode === 'virtual' ? new VirtualClock(start ?? Date.now()) : new RealClock()
}

/** setTimeout cannot wait longer than 2^31-1 ms; longer waits are re-armed. */
const MAX_TIMEOUT = 2_147_483_647
/** Due tasks started per event-loop turn, so a burst of due work never starves requests. */
const TASKS_PER_TURN = 256

/**
 * One pending task in a {@link TimerHeap}; it is its own cancel handle (no closure per timer: a
 * sandbox holding 100,000 pending steps keeps 100,000 of these, so each byte counts).
 */
class Timer implements TimerHandle {
  cancelled = false
  constructor(
    readonly at: number,
    readonly seq: number,
    readonly task: () => unknown,
    private readonly heap: TimerHeap,
  ) {}

  cancel(): void {
    this.heap.cancel(this)
  }
}

/**
 * A binary min-heap of timers ordered by due time, then by scheduling order. Cancelled timers
 * stay in the heap until they reach the top (or a compaction when most of the heap is cancelled),
 * so `schedule` and `cancel` cost O(log n) and O(1) whatever the number pending. Exported for its
 * tests (the memory it holds is not visible through a clock).
 *
 * @example
 * const heap = new TimerHeap()
 * heap.push(Date.now(), () => console.log('due')).cancel()
 * heap.size // 0 live timers; heap.slots // 1 (kept until it reaches the top or a compaction)
 */
export class TimerHeap {
  private items: Timer[] = []
  private cancelled = 0
  private seq = 0

  /** Live (not cancelled, not yet taken) timers. */
  get size(): number {
    return this.items.length - this.cancelled
  }

  /** Timers held, cancelled ones included: the memory the heap holds. */
  get slots(): number {
    return this.items.length
  }

  push(at: number, task: () => unknown): Timer {
    const timer = new Timer(at, this.seq++, task, this)
    this.items.push(timer)
    this.up(this.items.length - 1)
    return timer
  }

  cancel(timer: Timer): void {
    if (timer.cancelled) return
    timer.cancelled = true
    this.cancelled++
    if (this.cancelled > 1024 && this.cancelled * 2 > this.items.length) this.compact()
  }

  /** The earliest live timer, without removing it. */
  peek(): Timer | undefined {
    while (this.items.length && this.items[0].cancelled) {
      this.pop()
      this.cancelled--
    }
    return this.items[0]
  }

  /** Removes and returns the earliest live timer if it is due by `now`. */
  takeDue(now: number): Timer | undefined {
    const top = this.peek()
    if (!top || top.at > now) return undefined
    this.pop()
    top.cancelled = true
    return top
  }

  clear(): void {
    for (const t of this.items) t.cancelled = true
    this.items = []
    this.cancelled = 0
  }

  private pop(): void {
    const last = this.items.pop()!
    if (this.items.length) {
      this.items[0] = last
      this.down(0)
    }
  }

  private compact(): void {
    this.items = this.items.filter((t) => !t.cancelled)
    this.cancelled = 0
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i)
  }

  private before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq)
  }

  private up(i: number): void {
    const { items } = this
    const t = items[i]
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(t, items[parent])) break
      items[i] = items[parent]
      i = parent
    }
    items[i] = t
  }

  private down(i: number): void {
    const { items } = this
    const n = items.length
    const t = items[i]
    for (;;) {
      let child = 2 * i + 1
      if (child >= n) break
      if (child + 1 < n && this.before(items[child + 1], items[child])) child++
      if (!this.before(items[child], t)) break
      items[i] = items[child]
      i = child
    }
    items[i] = t
  }
}

/**
 * Wall-clock time. All pending work shares one heap and one `setTimeout`, armed for the earliest
 * due timer: scheduling 10,000 callbacks costs 10,000 heap entries, not 10,000 timers. Work due
 * already (a callback scheduled by the status change that implies it) runs after pending I/O
 * (`setImmediate`) instead of re-arming that timeout, which also spares it the timeout's 1 ms
 * minimum. Due tasks start in order, at most `TASKS_PER_TURN` per event-loop turn.
 */
class RealClock implements Clock {
  readonly mode = 'real' as const
  private heap = new TimerHeap()
  private wakeup?: NodeJS.Timeout
  private wakeupAt = Infinity
  /** A drain is queued with `setImmediate`. */
  private soon?: NodeJS.Immediate

  now(): number {
    return Date.now()
  }

  schedule(at: number, task: () => unknown): TimerHandle {
    const timer = this.heap.push(at, task)
    // Tasks start on a later microtask, never inside drain(); a queued drain arms what comes next.
    if (this.soon) return timer
    if (at <= Date.now()) this.drainSoon()
    else if (at < this.wakeupAt) this.arm()
    return timer
  }

  sleep(duration: string | number): Promise<void> {
    return new Promise((resolve) => this.schedule(this.now() + parseDuration(duration), resolve))
  }

  advance(): Promise<number> {
    throw new ClockError(
      'the clock is real: it cannot be advanced. Start the sandbox with --clock virtual (or createSandbox({ clock: "virtual" })) to control time.',
    )
  }

  stop(): void {
    this.heap.clear()
    if (this.wakeup) clearTimeout(this.wakeup)
    if (this.soon) clearImmediate(this.soon)
    this.wakeup = undefined
    this.soon = undefined
    this.wakeupAt = Infinity
  }

  /** Arms the one timeout for the earliest pending task (or none); kept when it is armed for that already. */
  private arm(): void {
    const next = this.heap.peek()
    const at = next ? next.at : Infinity
    if (this.wakeup && at === this.wakeupAt) return
    if (this.wakeup) clearTimeout(this.wakeup)
    this.wakeup = undefined
    this.wakeupAt = at
    if (!next) return
    this.wakeup = setTimeout(
      () => {
        this.wakeup = undefined
        this.wakeupAt = Infinity
        this.drain()
      },
      Math.min(Math.max(0, at - Date.now()), MAX_TIMEOUT),
    )
    // Stryker disable next-line OptionalChaining: Node's timers always have unref (a browser's setTimeout returns a number)
    this.wakeup.unref?.()
  }

  private drainSoon(): void {
    // Not unref'd: Node lets the event loop block waiting for I/O while only unref'd immediates
    // are queued, so work due now waited for the next packet or timer (up to the log's 100 ms
    // flush, or for ever on a quiet server). A queued immediate keeps the process for one turn.
    this.soon ??= setImmediate(() => {
      this.soon = undefined
      this.drain()
    })
  }

  private drain(): void {
    let started = 0
    let timer: Timer | undefined
    while (started < TASKS_PER_TURN && (timer = this.heap.takeDue(Date.now()))) {
      started++
      const task = timer.task
      void Promise.resolve()
        .then(task)
        .catch(() => {})
    }
    // More due at once than one turn starts: continue after pending I/O.
    const next = this.heap.peek()
    if (next && next.at <= Date.now()) this.drainSoon()
    else this.arm()
  }
}

/**
 * Time that moves only when told. Timers sit in the same heap as the real clock's; `advance`
 * runs them one at a time in due order, waiting for each.
 */
class VirtualClock implements Clock {
  readonly mode = 'virtual' as const
  private current: number
  private heap = new TimerHeap()
  private advancing: Promise<unknown> = Promise.resolve()
  private running = false

  constructor(start: number) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  schedule(at: number, task: () => unknown): TimerHandle {
    const timer = this.heap.push(at, task)
    // Due now and no advance running: an advance by zero runs it (and can be awaited by the next advance).
    // A running advance takes it anyway; an extra advance(0) behind it would find nothing to run.
    // Stryker disable next-line LogicalOperator: the running check only saves that extra advance
    if (at <= this.current && !this.running) void this.advance(0).catch(() => {})
    return timer
  }

  sleep(duration: string | number): Promise<void> {
    return new Promise((resolve) => this.schedule(this.current + parseDuration(duration), resolve))
  }

  advance(duration: string | number): Promise<number> {
    const by = parseDuration(duration)
    // Advances run one after another, so two concurrent calls add up instead of racing.
    const run = this.advancing.then(() => this.runUntil(this.current + by))
    this.advancing = run.catch(() => {})
    return run
  }

  private async runUntil(target: number): Promise<number> {
    // Stryker disable next-line BooleanLiteral: see schedule(): without the flag each due timer scheduled mid-advance queues an advance(0) that finds nothing
    this.running = true
    try {
      return await this.runTimers(target)
    } finally {
      this.running = false
    }
  }

  private async runTimers(target: number): Promise<number> {
    for (;;) {
      // Let work started by earlier timers (deliveries, writes) schedule its follow-ups first.
      await settle()
      const next = this.heap.takeDue(target)
      if (!next) break
      this.current = Math.max(this.current, next.at)
      try {
        await next.task()
      } catch {
        /* a failing timer task must not stop time */
      }
    }
    this.current = Math.max(this.current, target)
    return this.current
  }

  stop(): void {
    this.heap.clear()
  }
}

/** Yields to pending promise callbacks and I/O so in-flight work can register its timers. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
