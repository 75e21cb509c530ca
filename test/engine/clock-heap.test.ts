import { describe, expect, it } from 'vitest'
import { createClock } from '../../src/engine/clock.js'

describe('the real clock runs all due work from one timer heap', () => {
  it('runs 10,000 timers in due order (ties in scheduling order), skipping cancelled ones', async () => {
    const clock = createClock('real')
    const start = clock.now() + 30
    const ran: number[] = []
    const handles = []
    // Scheduled in reverse, with ties: order must come from due time, then scheduling order.
    for (let i = 9_999; i >= 0; i--) handles[i] = clock.schedule(start + Math.floor(i / 10), () => ran.push(i))
    for (let i = 0; i < 10_000; i += 7) handles[i].cancel()
    await new Promise<void>((resolve) => clock.schedule(start + 1_000, resolve))
    const expected: number[] = []
    for (let slot = 0; slot < 1000; slot++)
      for (let i = slot * 10 + 9; i >= slot * 10; i--) if (i % 7 !== 0) expected.push(i)
    expect(ran).toEqual(expected)
    clock.stop()
  })

  it('a timer scheduled earlier than the armed one fires first', async () => {
    const clock = createClock('real')
    const ran: string[] = []
    clock.schedule(clock.now() + 300, () => ran.push('late'))
    clock.schedule(clock.now() + 20, () => ran.push('early'))
    await clock.sleep(1000)
    expect(ran).toEqual(['early', 'late'])
    clock.stop()
  })

  it('stop() cancels every pending timer', async () => {
    const clock = createClock('real')
    const ran: string[] = []
    clock.schedule(clock.now() + 20, () => ran.push('cancelled'))
    clock.stop()
    await new Promise((r) => setTimeout(r, 150))
    expect(ran).toEqual([])
  })
})

describe('the virtual clock', () => {
  it('runs timers in due order as time advances, including ones they schedule', async () => {
    const clock = createClock('virtual', 0)
    const ran: string[] = []
    clock.schedule(2000, () => ran.push('b'))
    clock.schedule(1000, () => {
      ran.push('a')
      clock.schedule(1500, () => ran.push('a+500'))
    })
    const cancelled = clock.schedule(1200, () => ran.push('never'))
    cancelled.cancel()
    expect(await clock.advance('3s')).toBe(3000)
    expect(ran).toEqual(['a', 'a+500', 'b'])
  })
})
