import { describe, expect, it } from 'vitest'
import { createClock } from '../../src/engine/clock.js'

// The real clock under load: many cancelled timers, and a burst of due work.

describe('the real clock', () => {
  it('after most timers are cancelled, the rest still run in due order, each once', async () => {
    const clock = createClock('real')
    const start = clock.now() + 20
    const ran: number[] = []
    const handles = Array.from({ length: 3000 }, (_, i) => clock.schedule(start + (2999 - i) / 100, () => ran.push(i)))
    // 2,000 of 3,000 cancelled (some twice): more than half the heap is dead.
    for (let i = 0; i < 3000; i++) if (i % 3 !== 0) handles[i]!.cancel()
    for (let i = 1; i < 3000; i += 3) handles[i]!.cancel()
    const late = clock.schedule(start + 5, () => ran.push(-1))
    late.cancel()
    await new Promise<void>((resolve) => clock.schedule(start + 200, resolve))
    const expected = Array.from({ length: 1000 }, (_, k) => 2997 - 3 * k)
    expect(ran).toEqual(expected)
    clock.stop()
  })

  it('a burst of due work yields to the event loop instead of starving it, and all of it runs in order', async () => {
    const clock = createClock('real')
    const ran: number[] = []
    let ranBeforeImmediate = -1
    const due = clock.now() - 1
    for (let i = 0; i < 1000; i++)
      clock.schedule(due, () => {
        // the first task to run queues other work on the event loop: it must get a turn mid-burst
        if (i === 0) setImmediate(() => (ranBeforeImmediate = ran.length))
        ran.push(i)
      })
    await new Promise<void>((resolve) => clock.schedule(clock.now() + 100, resolve))
    expect(ran).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    // at most 256 per turn: the clock's own continuation was queued first and starts 256 more
    expect(ranBeforeImmediate).toBe(512)
    clock.stop()
  })

  it('sleep() takes durations as text or milliseconds', async () => {
    const clock = createClock('real')
    const t0 = Date.now()
    await clock.sleep('30ms')
    await clock.sleep(30)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(58)
    clock.stop()
  })
})
