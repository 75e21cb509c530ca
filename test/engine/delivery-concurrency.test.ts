import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { describe, expect, it } from 'vitest'
import { configProblems } from '../../src/config.js'
import { httpDeliver } from '../../src/engine/delivery.js'
import { PROVIDERS } from '../../src/providers/index.js'

// Callback attempts to one merchant host are bounded (`callbackConcurrency`, default 32): the
// rest wait their turn. A real HTTP server holds every request until the test lets it answer.

describe('callback attempts in flight per merchant host', () => {
  it('never more than the setting at once; the rest are sent as slots free up', async () => {
    const held: Array<ServerResponse<IncomingMessage>> = []
    let arrived = 0
    let waiter: (() => void) | undefined
    const server = createServer((req, res) => {
      req.resume()
      arrived++
      held.push(res)
      waiter?.()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const deliver = httpDeliver({ timeoutMs: 10_000, maxPerHost: 2 })
    const arrivals = (n: number) =>
      new Promise<void>((resolve) => {
        waiter = () => arrived >= n && resolve()
        waiter()
      })
    try {
      const attempts = Array.from({ length: 5 }, (_, i) =>
        deliver({ url: `http://127.0.0.1:${port}/cb`, method: 'POST', headers: {}, body: `{"n":${i}}`, event: 'e' }),
      )
      await arrivals(2)
      // Give a third attempt every chance to arrive if it were (wrongly) sent.
      await new Promise((r) => setTimeout(r, 100))
      expect(arrived).toBe(2)
      for (let answered = 0; answered < 5; answered++) {
        await arrivals(Math.min(5, answered + 2))
        expect(arrived - answered).toBeLessThanOrEqual(2)
        held[answered].end('OK')
      }
      const answers = await Promise.all(attempts)
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200])
    } finally {
      deliver.close()
      await new Promise((r) => server.close(r))
    }
  })

  it('a finished attempt gives its slot back: after a burst, later attempts go out at once', async () => {
    const server = createServer((req, res) => req.resume().on('end', () => res.end('OK')))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const deliver = httpDeliver({ timeoutMs: 2_000, maxPerHost: 1 })
    const attempt = (i: number) =>
      deliver({ url: `http://127.0.0.1:${port}/cb`, method: 'POST', headers: {}, body: `{"n":${i}}`, event: 'e' })
    /** The attempt's status, or 'stuck' when it has not even started within 2 s (no slot came free). */
    const within = (p: Promise<{ status: number }>) =>
      Promise.race([p.then((a) => a.status), new Promise((r) => setTimeout(() => r('stuck'), 2_000))])
    try {
      expect(await Promise.all([0, 1, 2].map((i) => within(attempt(i))))).toEqual([200, 200, 200])
      for (let i = 3; i < 6; i++) expect(await within(attempt(i))).toBe(200)
    } finally {
      deliver.close()
      await new Promise((r) => server.close(r))
    }
  })

  it('the bound holds through every turn: after a wait, after a slot freed with nobody waiting, and after a burst', async () => {
    const held: Array<ServerResponse<IncomingMessage>> = []
    let waiter: (() => void) | undefined
    const server = createServer((req, res) => {
      req.resume()
      held.push(res)
      waiter?.()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const deliver = httpDeliver({ timeoutMs: 10_000, maxPerHost: 2 })
    const attempt = (i: number) =>
      deliver({ url: `http://127.0.0.1:${port}/cb`, method: 'POST', headers: {}, body: `{"n":${i}}`, event: 'e' })
    /** Resolves when `n` attempts in all have reached the server. */
    const arrivals = (n: number) =>
      new Promise<void>((resolve) => {
        waiter = () => held.length >= n && resolve()
        waiter()
      })
    /** Gives an attempt that should wait every chance to arrive if it were (wrongly) sent. */
    const settle = () => new Promise((r) => setTimeout(r, 100))
    try {
      const answers = [attempt(0), attempt(1), attempt(2)]
      await arrivals(2)
      await settle()
      expect(held.length).toBe(2)
      held[0].end('OK') // the waiting third takes the freed slot
      await arrivals(3)
      held[1].end('OK') // frees a slot with nobody waiting: one of two stays in use
      await answers[1]
      answers.push(attempt(3), attempt(4))
      await arrivals(4)
      await settle()
      expect(held.length).toBe(4)
      held[2].end('OK')
      await arrivals(5)
      held[3].end('OK')
      held[4].end('OK')
      await Promise.all(answers)
      // Every slot is back: a new burst again gets exactly two at once.
      answers.push(attempt(5), attempt(6), attempt(7))
      await arrivals(7)
      await settle()
      expect(held.length).toBe(7)
      for (let i = 5; i < 8; i++) {
        held[i].end('OK')
        await arrivals(Math.min(8, i + 3))
      }
      expect((await Promise.all(answers)).map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200])
    } finally {
      deliver.close()
      await new Promise((r) => server.close(r))
    }
  })

  it('callbackConcurrency in a config file is a whole number of at least 1', () => {
    expect(configProblems({ callbackConcurrency: 8 }, PROVIDERS)).toEqual([])
    for (const bad of [0, 2.5, '32'])
      expect(configProblems({ callbackConcurrency: bad }, PROVIDERS)[0].message).toMatch(
        /`callbackConcurrency` must be a whole number of at least 1/,
      )
  })
})
