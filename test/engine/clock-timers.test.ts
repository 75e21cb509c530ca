import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClock, TimerHeap } from '../../src/engine/clock.js'

/**
 * What the real clock costs the process: one `setTimeout` for all pending work, armed for the
 * earliest task, re-armed only when an earlier task arrives, never keeping the process alive.
 * Observed through the global timer functions the clock calls.
 */
type Timeout = ReturnType<typeof setTimeout>

// The clock's timers and the test's own waits go through the timer functions as they were before any spy.
const realSetTimeout = globalThis.setTimeout
const tick = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms))
/** Polls until `check` is true (generous: the machine may be loaded). */
async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`not true after ${ms} ms`)
    await tick(5)
  }
}

function watchTimers() {
  const armed: Array<{ delay: number; timeout: Timeout }> = []
  const cleared: unknown[] = []
  const realClearTimeout = globalThis.clearTimeout
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, delay?: number) => {
    const timeout = realSetTimeout(fn, delay)
    armed.push({ delay: delay ?? 0, timeout })
    return timeout
  }) as typeof setTimeout)
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((t: Timeout) => {
    cleared.push(t)
    realClearTimeout(t)
  }) as typeof clearTimeout)
  return { armed, cleared }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the real clock arms one timer for all pending work', () => {
  it('arms one unref’d timer for the earliest task, and none for tasks due later', () => {
    const { armed, cleared } = watchTimers()
    const clock = createClock('real')
    const now = Date.now()
    clock.schedule(now + 60_000, () => {})
    expect(armed).toHaveLength(1)
    // the wait is the time until the task is due, not zero and not the 24.8-day cap
    expect(armed[0]!.delay).toBeGreaterThan(59_000)
    expect(armed[0]!.delay).toBeLessThanOrEqual(60_000)
    // it does not keep the process alive (a CLI with only pending retries still exits on SIGTERM)
    expect(armed[0]!.timeout.hasRef()).toBe(false)
    for (let i = 1; i <= 50; i++) clock.schedule(now + 60_000 + i, () => {})
    clock.schedule(now + 60_000, () => {}) // same due time as the armed one: nothing to re-arm
    expect(armed).toHaveLength(1)
    expect(cleared).toHaveLength(0)
    clock.stop()
  })

  it('re-arms (clearing the old timer) when an earlier task arrives, and stop() clears the timer', () => {
    const { armed, cleared } = watchTimers()
    const clock = createClock('real')
    const now = Date.now()
    clock.schedule(now + 60_000, () => {})
    clock.schedule(now + 30_000, () => {})
    expect(armed).toHaveLength(2)
    expect(armed[1]!.delay).toBeGreaterThan(29_000)
    expect(armed[1]!.delay).toBeLessThanOrEqual(30_000)
    expect(armed[1]!.timeout.hasRef()).toBe(false)
    expect(cleared).toEqual([armed[0]!.timeout])
    clock.stop()
    expect(cleared).toEqual([armed[0]!.timeout, armed[1]!.timeout])
    clock.stop() // nothing armed: nothing more to clear
    expect(cleared).toHaveLength(2)
  })

  it('after stop() the clock starts afresh: a later task is armed and runs', async () => {
    const { armed } = watchTimers()
    const clock = createClock('real')
    clock.schedule(Date.now() + 10, () => {})
    clock.stop()
    const ran: string[] = []
    clock.schedule(Date.now() + 60_000, () => {})
    expect(armed).toHaveLength(2)
    clock.stop()
    clock.schedule(Date.now() + 20, () => ran.push('after stop'))
    await eventually(() => ran.length > 0)
    expect(ran).toEqual(['after stop'])
    clock.stop()
  })

  it('exactly one turn’s worth of due work (256 tasks) runs, and then the clock is idle', async () => {
    const { armed } = watchTimers()
    const failures: unknown[] = []
    const onFailure = (error: unknown) => failures.push(error)
    process.prependListener('uncaughtException', onFailure)
    const clock = createClock('real')
    const ran: number[] = []
    const due = Date.now() - 1
    for (let i = 0; i < 256; i++) clock.schedule(due, () => ran.push(i))
    await eventually(() => ran.length === 256)
    await tick(20)
    process.removeListener('uncaughtException', onFailure)
    expect(failures).toEqual([]) // the clock's own timer callback did not throw
    expect(ran).toEqual(Array.from({ length: 256 }, (_, i) => i))
    // work already due starts after pending I/O (setImmediate): no timeout armed for it, nor after
    expect(armed).toHaveLength(0)
    clock.stop()
  })

  it('a burst longer than a turn continues on the next turn without arming timers for it', async () => {
    const { armed } = watchTimers()
    const clock = createClock('real')
    const ran: number[] = []
    const due = Date.now() - 1
    for (let i = 0; i < 600; i++)
      clock.schedule(due, () => {
        // work that arrives while the burst is being run waits for its turn, with no timer of its own
        if (i === 0) clock.schedule(due, () => ran.push(600))
        ran.push(i)
      })
    expect(armed).toHaveLength(0)
    await eventually(() => ran.length === 601)
    expect(ran).toEqual(Array.from({ length: 601 }, (_, i) => i))
    expect(armed).toHaveLength(0)
    clock.stop()
  })
})

describe('the real clock after a turn of work', () => {
  it('holds no timer once its work is done: stop() has nothing to clear', async () => {
    const { armed, cleared } = watchTimers()
    const clock = createClock('real')
    const ran: string[] = []
    clock.schedule(Date.now() + 5, () => ran.push('done'))
    await eventually(() => ran.length === 1)
    // One timer, or two when the first fired a millisecond early: Node counts a timeout from the
    // event loop's cached time, which lags Date.now() after a long turn (a loaded machine), and a
    // clock woken before its task is due arms again for it.
    expect(armed.length).toBeGreaterThanOrEqual(1)
    expect(armed.length).toBeLessThanOrEqual(2)
    clock.stop()
    expect(cleared).toEqual([])
  })
})

describe('the timer heap holds cancelled timers only until most of it is cancelled', () => {
  const noop = () => {}

  it('counts each timer once, however often it is cancelled, and none that already ran', () => {
    const heap = new TimerHeap()
    const first = heap.push(1, noop)
    const second = heap.push(2, noop)
    const third = heap.push(3, noop)
    expect([heap.size, heap.slots]).toEqual([3, 3])
    second.cancel()
    second.cancel()
    expect([heap.size, heap.slots]).toEqual([2, 3])
    expect(heap.takeDue(1)).toBe(first)
    first.cancel() // it already ran
    expect([heap.size, heap.slots]).toEqual([1, 2])
    expect(heap.takeDue(2)).toBeUndefined() // the cancelled second is dropped on the way, the third is not due
    expect([heap.size, heap.slots]).toEqual([1, 1])
    heap.clear()
    expect([heap.size, heap.slots]).toEqual([0, 0])
    third.cancel() // cleared: no longer the heap's to count
    second.cancel()
    first.cancel()
    expect(heap.size).toBe(0)
  })

  it('compacts when more than 1,024 and more than half of the timers are cancelled, keeping due order', () => {
    const heap = new TimerHeap()
    const timers = Array.from({ length: 3000 }, (_, i) => heap.push(3000 - i, noop))
    // the earliest (at 1, the heap's top) among them: the compacted heap must find its new top
    for (let i = 0; i < 1500; i++) timers[i * 2 + 1]!.cancel()
    expect([heap.size, heap.slots]).toEqual([1500, 3000]) // exactly half: kept
    timers[0]!.cancel()
    expect([heap.size, heap.slots]).toEqual([1499, 1499])
    const order: number[] = []
    for (let t = heap.takeDue(Infinity); t; t = heap.takeDue(Infinity)) order.push(t.at)
    expect(order).toEqual(Array.from({ length: 1499 }, (_, k) => 2 * k + 2))
    expect([heap.size, heap.slots]).toEqual([0, 0])

    const small = new TimerHeap()
    const some = Array.from({ length: 2000 }, (_, i) => small.push(i, noop))
    for (let i = 0; i < 1024; i++) some[i]!.cancel()
    expect(small.slots).toBe(2000) // more than half, but not more than 1,024
    some[1024]!.cancel()
    expect([small.size, small.slots]).toEqual([975, 975])
    expect(small.takeDue(Infinity)?.at).toBe(1025)
  })

  it('after a compaction of timers pushed in no particular order, they still come out in due order', () => {
    // 3,000 distinct due times in scrambled orders (3001 is prime), the earliest ones cancelled last
    for (const step of [7919, 13, 1500, 2999]) {
      const heap = new TimerHeap()
      const timers = Array.from({ length: 3000 }, (_, i) => heap.push(((i + 1) * step) % 3001, noop))
      for (const t of [...timers].reverse()) if (t.at % 2 === 1 || t.at < 10) t.cancel()
      expect(heap.slots).toBeLessThan(3000)
      const order: number[] = []
      for (let t = heap.takeDue(Infinity); t; t = heap.takeDue(Infinity)) order.push(t.at)
      const expected = timers.map((t) => t.at).filter((at) => at % 2 === 0 && at >= 10)
      expect(order, `step ${step}`).toEqual(expected.sort((a, b) => a - b))
    }
  })

  it('compacts down to two timers, then to none when every timer is cancelled, and works on afterwards', () => {
    const heap = new TimerHeap()
    const timers = Array.from({ length: 1027 }, (_, i) => heap.push(i, noop))
    for (const t of timers.slice(0, 1025)) t.cancel()
    expect([heap.size, heap.slots]).toEqual([2, 2])
    for (const t of timers.slice(1025)) t.cancel()
    expect([heap.size, heap.slots]).toEqual([0, 2])
    heap.push(5, noop)
    heap.push(4, noop)
    expect(heap.takeDue(10)?.at).toBe(4)
    expect(heap.takeDue(10)?.at).toBe(5)
    expect(heap.takeDue(10)).toBeUndefined()
    expect([heap.size, heap.slots]).toEqual([0, 0])
  })
})

describe('work due now on a quiet server', () => {
  it('runs at once, not when the next packet or timer wakes the event loop', async () => {
    // A process of its own (this worker's event loop is never quiet): a listening server, no
    // timers, and one task due now. An unref'd immediate let the loop block in its wait for I/O.
    const clock = fileURLToPath(new URL('../../dist/engine/clock.js', import.meta.url))
    const script = `
      const { createClock } = await import(${JSON.stringify(clock)})
      const server = (await import('node:net')).createServer().listen(0)
      setTimeout(() => {
        const t0 = Date.now()
        createClock('real').schedule(t0, () => { console.log(Date.now() - t0); server.close() })
      }, 20)`
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      timeout: 5_000,
    })
    expect(Number(stdout.trim())).toBeLessThan(50)
  })
})
