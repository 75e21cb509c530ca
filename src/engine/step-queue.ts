import type { Clock, TimerHandle } from './clock.js'

/**
 * When pending timeline steps fall due: a binary min-heap of (due time, id) kept in plain arrays,
 * with one clock timer armed for the earliest. 100,000 pending pay-ins each wait for their expiry
 * step; as clock timers each would cost a timer object, a bound task and a map entry to cancel it
 * (some 190 bytes), here a step costs three array slots (24 bytes).
 *
 * Steps are due in time order, then in the order they were queued. On the real clock every step
 * due when the timer fires starts then, up to {@link STEPS_PER_TURN} per turn of the event loop,
 * as their own timers would have (10,000 steps due at once do not wait for 10,000 turns). On a
 * virtual clock one step runs per clock timer (the next one is armed before it runs), so
 * `advance` still runs and awaits them one by one. Nothing is cancelled: `run` is given the due
 * time the step was queued for and checks that the step still exists and is still due then (a
 * step that ran, or was removed, is skipped).
 *
 * @example
 * const queue = new StepQueue(clock, (id, at) => runStep(id, at))
 * queue.push('job-1', clock.now() + 30 * 60_000)
 */
export class StepQueue {
  private ats: number[] = []
  private seqs: number[] = []
  private ids: string[] = []
  private seq = 0
  private timer?: TimerHandle
  /** When the clock timer is armed for (Infinity: none). */
  private armedAt = Infinity

  constructor(
    private readonly clock: Pick<Clock, 'schedule' | 'now' | 'mode'>,
    private readonly run: (id: string, at: number) => unknown,
  ) {}

  /** Steps queued and not yet run (including ones that will be skipped). */
  get size(): number {
    return this.ids.length
  }

  /** Queues step `id`, due at `at` (ms since the epoch). */
  push(id: string, at: number): void {
    const { ats, seqs } = this
    let i = this.ids.length
    const seq = this.seq++
    this.place(i, at, seq, id)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!(at < ats[parent] || (at === ats[parent] && seq < seqs[parent]))) break
      this.move(parent, i)
      i = parent
    }
    this.place(i, at, seq, id)
    if (at < this.armedAt) this.arm()
  }

  /** Drops every queued step and the clock timer. */
  clear(): void {
    this.timer?.cancel()
    this.timer = undefined
    this.armedAt = Infinity
    this.ats = []
    this.seqs = []
    this.ids = []
  }

  /** Arms the clock timer for the earliest step (cancelling one armed for a later time). */
  private arm(): void {
    this.timer?.cancel()
    this.timer = undefined
    this.armedAt = this.ids.length ? this.ats[0] : Infinity
    if (this.ids.length) this.timer = this.clock.schedule(this.armedAt, this.fire)
  }

  /**
   * The clock timer: on a virtual clock runs the earliest step, after arming the timer for the
   * next one; on the real clock starts every step due by now (up to {@link STEPS_PER_TURN}).
   */
  private readonly fire = (): unknown => {
    this.timer = undefined
    if (!this.ids.length) return undefined
    if (this.clock.mode === 'real') {
      const now = this.clock.now()
      for (let started = 0; started < STEPS_PER_TURN && this.ids.length && this.ats[0] <= now; started++) {
        const id = this.ids[0]
        const at = this.ats[0]
        this.pop()
        // Each on its own microtask, as the clock starts its tasks: one step's failure stops no other.
        void Promise.resolve()
          .then(() => this.run(id, at))
          .catch(() => {})
      }
      this.arm()
      return undefined
    }
    const id = this.ids[0]
    const at = this.ats[0]
    this.pop()
    this.arm()
    return this.run(id, at)
  }

  private pop(): void {
    const { ats, seqs, ids } = this
    const lastAt = ats.pop()!
    const lastSeq = seqs.pop()!
    const lastId = ids.pop()!
    const n = ids.length
    if (n === 0) return
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= n) break
      if (
        child + 1 < n &&
        (ats[child + 1] < ats[child] || (ats[child + 1] === ats[child] && seqs[child + 1] < seqs[child]))
      )
        child++
      if (!(ats[child] < lastAt || (ats[child] === lastAt && seqs[child] < lastSeq))) break
      this.move(child, i)
      i = child
    }
    this.place(i, lastAt, lastSeq, lastId)
  }

  /** Copies the step at `from` to slot `to`. */
  private move(from: number, to: number): void {
    this.place(to, this.ats[from], this.seqs[from], this.ids[from])
  }

  private place(i: number, at: number, seq: number, id: string): void {
    this.ats[i] = at
    this.seqs[i] = seq
    this.ids[i] = id
  }
}

/** Steps the real clock's timer starts in one turn of the event loop (the clock's own bound). */
const STEPS_PER_TURN = 256
