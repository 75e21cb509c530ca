import { describe, expect, it, vi } from 'vitest'
import { ClockError, createClock } from '../../src/engine/clock.js'

/** The virtual clock, which every test of the sandbox leans on, on its own. */
const T0 = Date.UTC(2026, 0, 1)

describe('virtual clock', () => {
  it('starts at the given time (or now) and moves only with advance(), which returns the new time', async () => {
    const clock = createClock('virtual', T0)
    expect(clock.mode).toBe('virtual')
    expect(clock.now()).toBe(T0)
    expect(await clock.advance('1m30s')).toBe(T0 + 90_000)
    expect(clock.now()).toBe(T0 + 90_000)
    expect(await clock.advance(0)).toBe(T0 + 90_000)
    const wall = createClock('virtual')
    expect(Math.abs(wall.now() - Date.now())).toBeLessThan(5_000)
  })

  it('runs due timers in time order, ties in the order scheduled, each seeing its own time', async () => {
    const clock = createClock('virtual', T0)
    const seen: string[] = []
    const at = (label: string) => () => void seen.push(`${label}@${clock.now() - T0}`)
    clock.schedule(T0 + 300, at('c'))
    clock.schedule(T0 + 100, at('a'))
    clock.schedule(T0 + 200, at('b1'))
    clock.schedule(T0 + 200, at('b2'))
    clock.schedule(T0 + 1000, at('later'))
    await clock.advance(300)
    expect(seen).toEqual(['a@100', 'b1@200', 'b2@200', 'c@300'])
    expect(clock.now()).toBe(T0 + 300)
    await clock.advance(699)
    expect(seen).toHaveLength(4)
    await clock.advance(1)
    expect(seen.at(-1)).toBe('later@1000')
  })

  it('a timer scheduled by a timer runs in the same advance when it falls inside it, not when it falls after', async () => {
    const clock = createClock('virtual', T0)
    const seen: number[] = []
    clock.schedule(T0 + 10, () => {
      seen.push(clock.now() - T0)
      clock.schedule(clock.now() + 10, () => seen.push(clock.now() - T0))
      clock.schedule(clock.now() + 1000, () => seen.push(clock.now() - T0))
    })
    await clock.advance(100)
    expect(seen).toEqual([10, 20])
    await clock.advance(910)
    expect(seen).toEqual([10, 20, 1010])
  })

  it('waits for an async timer task before running the next one', async () => {
    const clock = createClock('virtual', T0)
    const seen: string[] = []
    clock.schedule(T0 + 1, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      seen.push('slow')
    })
    clock.schedule(T0 + 2, () => void seen.push('next'))
    await clock.advance(5)
    expect(seen).toEqual(['slow', 'next'])
  })

  it('a failing task does not stop time or the timers after it', async () => {
    const clock = createClock('virtual', T0)
    const seen: string[] = []
    clock.schedule(T0 + 1, () => {
      throw new Error('task failed')
    })
    clock.schedule(T0 + 2, () => Promise.reject(new Error('async task failed')))
    clock.schedule(T0 + 3, () => void seen.push('ran'))
    expect(await clock.advance(10)).toBe(T0 + 10)
    expect(seen).toEqual(['ran'])
  })

  it('concurrent advances add up instead of racing', async () => {
    const clock = createClock('virtual', T0)
    const seen: number[] = []
    clock.schedule(T0 + 1500, () => void seen.push(clock.now() - T0))
    const [a, b] = await Promise.all([clock.advance(1000), clock.advance(1000)])
    expect([a - T0, b - T0]).toEqual([1000, 2000])
    expect(seen).toEqual([1500])
  })

  it('a timer due now (or overdue) runs by itself, without an advance, also after earlier advances', async () => {
    const clock = createClock('virtual', T0)
    const seen: number[] = []
    const tick = () => new Promise((resolve) => setTimeout(resolve, 20))
    clock.schedule(T0 - 5000, () => void seen.push(clock.now() - T0))
    await tick()
    expect(seen).toEqual([0]) // time never goes back
    clock.schedule(T0, () => void seen.push(1)) // due exactly now
    await tick()
    expect(seen).toEqual([0, 1])
    await clock.advance('1s')
    clock.schedule(clock.now(), () => void seen.push(2))
    await tick()
    expect(seen).toEqual([0, 1, 2])
    clock.schedule(clock.now() + 1, () => void seen.push(3)) // not due: waits for an advance
    await tick()
    expect(seen).toEqual([0, 1, 2])
  })

  it('work a task starts without awaiting gets to schedule its follow-up before the advance moves on', async () => {
    const clock = createClock('virtual', T0)
    const seen: number[] = []
    clock.schedule(T0 + 10, () => {
      // e.g. a delivery whose answer arrives on a later turn of the event loop
      setImmediate(() => clock.schedule(clock.now() + 10, () => void seen.push(clock.now() - T0)))
    })
    await clock.advance(100)
    expect(seen).toEqual([20])
  })

  it('cancel() and stop() keep timers from running; sleep() resolves on the clock', async () => {
    const clock = createClock('virtual', T0)
    const seen: string[] = []
    clock.schedule(T0 + 10, () => void seen.push('cancelled')).cancel()
    clock.schedule(T0 + 20, () => void seen.push('kept'))
    let slept = false
    void clock.sleep('30ms').then(() => (slept = true))
    await clock.advance(25)
    expect(seen).toEqual(['kept'])
    expect(slept).toBe(false)
    await clock.advance(5)
    expect(slept).toBe(true)
    clock.schedule(T0 + 100, () => void seen.push('stopped'))
    clock.stop()
    await clock.advance(1000)
    expect(seen).toEqual(['kept'])
  })

  it('refuses a duration it cannot read', async () => {
    const clock = createClock('virtual', T0)
    expect(() => clock.advance('soon')).toThrow(/not a duration/)
    expect(() => clock.advance(-1)).toThrow(/not a duration/)
    expect(clock.now()).toBe(T0)
  })
})

describe('real clock', () => {
  it('is the default, reads the wall clock, and cannot be advanced', () => {
    const clock = createClock()
    expect(clock.mode).toBe('real')
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50)
    expect(() => clock.advance('1s')).toThrow(ClockError)
    try {
      clock.advance('1s')
    } catch (error) {
      expect((error as Error).name).toBe('ClockError')
      expect((error as Error).message).toContain('createSandbox({ clock: "virtual" })')
    }
  })

  it('a task due in the past runs at once; a task far in the future (past setTimeout’s limit) does not', async () => {
    const clock = createClock('real')
    const seen: string[] = []
    clock.schedule(Date.now() - 1000, () => void seen.push('overdue'))
    clock.schedule(Date.now() + 30 * 86_400_000, () => void seen.push('in 30 days'))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(seen).toEqual(['overdue'])
    clock.stop()
  })

  it('waits past setTimeout’s 24.8-day limit by chaining, and runs the task only when it is due', async () => {
    vi.useFakeTimers()
    try {
      const start = Date.now()
      const clock = createClock('real')
      const seen: number[] = []
      clock.schedule(start + 30 * 86_400_000, () => void seen.push(Date.now() - start))
      await vi.advanceTimersByTimeAsync(2_147_483_647 + 1000)
      expect(seen).toEqual([])
      await vi.advanceTimersByTimeAsync(30 * 86_400_000 - 2_147_483_647 - 1001)
      expect(seen).toEqual([])
      await vi.advanceTimersByTimeAsync(1)
      expect(seen).toEqual([30 * 86_400_000])
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })

  it('an async task that fails does not break the clock', async () => {
    const clock = createClock('real')
    const seen: string[] = []
    clock.schedule(Date.now(), () => Promise.reject(new Error('failed')))
    clock.schedule(Date.now() + 5, () => {
      throw new Error('failed too')
    })
    clock.schedule(Date.now() + 10, () => void seen.push('ran'))
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(seen).toEqual(['ran'])
  })
})
