import { describe, expect, it } from 'vitest'
import { createClock } from '../../src/engine/clock.js'
import { StepQueue } from '../../src/engine/step-queue.js'

describe('StepQueue', () => {
  it('runs steps in due-time order, ties in the order queued, each with the time it was queued for', async () => {
    const clock = createClock('virtual', 1_000)
    const ran: string[] = []
    const queue = new StepQueue(clock, (id, at) => void ran.push(`${id}@${at}`))
    const due = [5_000, 3_000, 9_000, 3_000, 4_000, 1_500, 9_000, 2_000]
    due.forEach((at, i) => queue.push(`s${i}`, at))
    expect(queue.size).toBe(8)
    await clock.advance(1_500) // to 2,500
    expect(ran).toEqual(['s5@1500', 's7@2000'])
    await clock.advance(10_000)
    expect(ran).toEqual(['s5@1500', 's7@2000', 's1@3000', 's3@3000', 's4@4000', 's0@5000', 's2@9000', 's6@9000'])
    expect(queue.size).toBe(0)
  })

  it('a step queued earlier than the armed one runs first; one queued during a run is picked up', async () => {
    const clock = createClock('virtual', 0)
    const ran: string[] = []
    const queue = new StepQueue(clock, (id) => {
      ran.push(id)
      if (id === 'b') queue.push('c', clock.now() + 10)
    })
    queue.push('late', 1_000)
    queue.push('b', 100)
    await clock.advance(500)
    expect(ran).toEqual(['b', 'c'])
    await clock.advance(500)
    expect(ran).toEqual(['b', 'c', 'late'])
  })

  it('a virtual clock awaits each step before the next (as with a timer per step)', async () => {
    const clock = createClock('virtual', 0)
    const log: string[] = []
    const queue = new StepQueue(clock, async (id) => {
      log.push(`start ${id}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
      log.push(`end ${id}`)
    })
    queue.push('a', 10)
    queue.push('b', 10)
    await clock.advance(10)
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b'])
  })

  it('clear drops every step and the timer', async () => {
    const clock = createClock('virtual', 0)
    const ran: string[] = []
    const queue = new StepQueue(clock, (id) => void ran.push(id))
    for (let i = 0; i < 100; i++) queue.push(`s${i}`, 10 + i)
    queue.clear()
    await clock.advance(1_000)
    expect(ran).toEqual([])
    queue.push('again', 1_500)
    await clock.advance(1_000)
    expect(ran).toEqual(['again'])
  })

  it('orders 10,000 random steps like a sort by (time, order queued)', async () => {
    const clock = createClock('virtual', 0)
    const ran: number[] = []
    const queue = new StepQueue(clock, (id) => void ran.push(Number(id)))
    const due: number[] = []
    let seed = 7
    for (let i = 0; i < 10_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      due.push(1 + (seed % 500))
      queue.push(String(i), due[i])
    }
    await clock.advance(1_000)
    const expected = due.map((at, i) => ({ at, i })).sort((a, b) => a.at - b.at || a.i - b.i)
    expect(ran).toEqual(expected.map((x) => x.i))
  })

  it('on the real clock, steps due together start together (up to 256 a turn), not one per turn of the event loop', async () => {
    const clock = createClock('real')
    const ran: string[] = []
    const failing = new Set(['s1'])
    const queue = new StepQueue(clock, (id) => {
      ran.push(id)
      if (failing.has(id)) throw new Error('a step that fails stops no other')
    })
    const at = Date.now() + 20
    for (let i = 0; i < 1_000; i++) queue.push(`s${i}`, at)
    queue.push('later', at + 60_000)
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
    while (!ran.length) await turn()
    let turns = 0
    while (ran.length < 1_000 && turns < 100) {
      await turn()
      turns++
    }
    expect(ran).toHaveLength(1_000)
    expect(ran.slice(0, 3)).toEqual(['s0', 's1', 's2'])
    // 1,000 steps at 256 a turn: four turns, and a little slack for the timers phase.
    expect(turns).toBeLessThanOrEqual(6)
    expect(queue.size).toBe(1)
    clock.stop()
    queue.clear()
  })
})
