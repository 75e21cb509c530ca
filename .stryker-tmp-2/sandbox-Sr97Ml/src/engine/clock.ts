// @ts-nocheck
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
export function createClock(mode: 'real' | 'virtual' = 'real', start?: number): Clock {
  return mode === 'virtual' ? new VirtualClock(start ?? Date.now()) : new RealClock()
}

/** setTimeout cannot wait longer than 2^31-1 ms; longer waits are chained. */
const MAX_TIMEOUT = 2_147_483_647

class RealClock implements Clock {
  readonly mode = 'real' as const
  private timers = new Set<NodeJS.Timeout>()

  now(): number {
    return Date.now()
  }

  schedule(at: number, task: () => unknown): TimerHandle {
    let handle: NodeJS.Timeout
    let cancelled = false
    const arm = () => {
      const wait = Math.max(0, at - Date.now())
      handle = setTimeout(
        () => {
          this.timers.delete(handle)
          if (cancelled) return
          if (at - Date.now() > 0) return arm()
          void Promise.resolve()
            .then(task)
            .catch(() => {})
        },
        Math.min(wait, MAX_TIMEOUT),
      )
      handle.unref?.()
      this.timers.add(handle)
    }
    arm()
    return {
      cancel: () => {
        cancelled = true
        clearTimeout(handle)
        this.timers.delete(handle)
      },
    }
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
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}

interface VirtualTimer {
  at: number
  seq: number
  task: () => unknown
  cancelled: boolean
}

class VirtualClock implements Clock {
  readonly mode = 'virtual' as const
  private current: number
  private timers: VirtualTimer[] = []
  private seq = 0
  private advancing: Promise<unknown> = Promise.resolve()
  private running = false

  constructor(start: number) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  schedule(at: number, task: () => unknown): TimerHandle {
    const timer: VirtualTimer = { at, seq: this.seq++, task, cancelled: false }
    this.timers.push(timer)
    // Due now and no advance running: an advance by zero runs it (and can be awaited by the next advance).
    if (at <= this.current && !this.running) void this.advance(0).catch(() => {})
    return { cancel: () => void (timer.cancelled = true) }
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
      const next = this.nextDue(target)
      if (!next) break
      this.current = Math.max(this.current, next.at)
      next.cancelled = true
      try {
        await next.task()
      } catch {
        /* a failing timer task must not stop time */
      }
    }
    this.current = target
    this.timers = this.timers.filter((t) => !t.cancelled)
    return this.current
  }

  private nextDue(target: number): VirtualTimer | undefined {
    let best: VirtualTimer | undefined
    for (const t of this.timers) {
      if (t.cancelled || t.at > target) continue
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t
    }
    return best
  }

  stop(): void {
    for (const t of this.timers) t.cancelled = true
    this.timers = []
  }
}

/** Yields to pending promise callbacks and I/O so in-flight work can register its timers. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
