import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createClock } from '../../src/engine/clock.js'
import type { CallbackRequest } from '../../src/engine/provider.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import { CONNECX, CONNECX_AUTO, connecxPayment, disposables, seedPayIn } from '../helpers.js'

/**
 * Time as users meet it: the real clock (the CLI's and createSandbox's default) firing timeline
 * steps and callbacks by itself, reset() cancelling what was pending, work that fell due while the
 * sandbox was down, and a virtual clock's time across a restart.
 */
const B = 'http://localhost:8080'
const use = disposables({ providers: ['connecx'], merchants: CONNECX_AUTO })

/** Polls until `check` is true or `ms` of real time passed (generous: the machine may be loaded). */
async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`not true after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const pay = (sandbox: Sandbox, paymentRef: string) =>
  sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef }))

function tempData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'psp-time-'))
  use.defer(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'db.json')
}

describe('the real clock', () => {
  it('runs a scheduled task by itself, not before its time', async () => {
    const clock = createClock('real')
    const fired: number[] = []
    const start = Date.now()
    clock.schedule(start + 150, () => fired.push(Date.now()))
    await eventually(() => fired.length === 1)
    expect(fired[0] - start).toBeGreaterThanOrEqual(150)
    clock.stop()
  })

  it('a cancelled task never runs; stop() cancels every pending task', async () => {
    const clock = createClock('real')
    const fired: string[] = []
    // Same delay as 'ran' and scheduled before it: it would run first if cancel() did nothing.
    clock.schedule(Date.now() + 10, () => fired.push('cancelled')).cancel()
    clock.schedule(Date.now() + 200, () => fired.push('stopped'))
    // Timers fire in due order and a task runs before the next timer, so stop() here is always in time.
    clock.schedule(Date.now() + 10, () => {
      fired.push('ran')
      clock.stop()
    })
    await eventually(() => fired.length === 1)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(fired).toEqual(['ran'])
  })

  it('sleep() resolves after the duration; advance() is refused with a way out', async () => {
    const clock = createClock('real')
    const start = Date.now()
    await clock.sleep('60ms')
    expect(Date.now() - start).toBeGreaterThanOrEqual(59)
    expect(() => clock.advance('1s')).toThrow(/--clock virtual/)
  })

  it('the default sandbox clock fires a timeline step and its callback (short delays)', async () => {
    const seen: Array<{ at: number; cb: CallbackRequest }> = []
    const sandbox = use.sandbox({ clock: undefined, onCallback: (cb) => void seen.push({ at: Date.now(), cb }) })
    expect(sandbox.clock.mode).toBe('real')
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        {
          match: { reference: 'REAL-CLOCK' },
          timeline: [{ after: '150ms', status: 'approved', callback: { delay: '100ms' } }],
        },
      ],
    })
    const start = Date.now()
    expect((await pay(sandbox, 'REAL-CLOCK')).status).toBe(200)
    const [tx] = sandbox.transactions.list({ reference: 'REAL-CLOCK' })
    expect(tx.status).toBe('pending')
    await eventually(() => sandbox.transactions.get(tx.id)!.status === 'approved')
    expect(Date.now() - start).toBeGreaterThanOrEqual(150)
    await eventually(() => seen.length === 1)
    expect(seen[0].at - start).toBeGreaterThanOrEqual(250)
    expect(JSON.parse(seen[0].cb.body)).toMatchObject({ paymentRef: 'REAL-CLOCK', status: 'COMPLETED' })
    await eventually(() => sandbox.callbacks.list()[0]?.state === 'acknowledged')
  })

  it('retries on the real clock too', async () => {
    let n = 0
    const sandbox = use.sandbox({
      clock: 'real',
      merchants: { connecx: [{ id: CONNECX.merchantId, callbackRetrySchedule: ['100ms', '100ms'] }] },
      onCallback: () => ({ status: ++n < 3 ? 503 : 200, body: '' }),
    })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: { reference: 'REAL-RETRY' }, timeline: [{ after: '10ms', status: 'approved' }] }],
    })
    await pay(sandbox, 'REAL-RETRY')
    await eventually(() => sandbox.callbacks.list()[0]?.state === 'acknowledged')
    expect(sandbox.callbacks.list()[0].attempts.map((a) => a.status)).toEqual([503, 503, 200])
  })
})

describe('reset() cancels pending work', () => {
  it('timeline steps and callbacks armed before reset() never act, not even on the new transactions that reuse their ids', async () => {
    const seen: string[] = []
    const sandbox = use.sandbox({ onCallback: (cb) => void seen.push(JSON.parse(cb.body).paymentRef) })
    await pay(sandbox, 'BEFORE-RESET') // default rule: approved 2 s later, callback then
    await sandbox.clock.advance('1s')
    await sandbox.reset()
    expect(sandbox.transactions.list()).toEqual([])
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: { reference: 'AFTER-RESET' }, timeline: [{ after: '1h', status: 'approved' }] }],
    })
    await pay(sandbox, 'AFTER-RESET') // the same transaction and step ids as before the reset
    await sandbox.clock.advance('10m')
    expect(seen).toEqual([])
    expect(sandbox.transactions.list()[0]).toMatchObject({ reference: 'AFTER-RESET', status: 'pending' })
    await sandbox.clock.advance('50m')
    expect(sandbox.transactions.list()[0].status).toBe('approved')
    expect(seen).toEqual(['AFTER-RESET'])
  })

  it('a callback waiting for its retry is not sent after reset()', async () => {
    const seen: string[] = []
    const sandbox = use.sandbox({
      onCallback: (cb) => {
        seen.push(JSON.parse(cb.body).paymentRef)
        return { status: 500, body: '' }
      },
    })
    await pay(sandbox, 'RETRY-BEFORE-RESET')
    await sandbox.clock.advance('2s')
    expect(seen).toHaveLength(1)
    await sandbox.reset()
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: { reference: 'LATE' }, timeline: [{ after: '1h', status: 'approved' }] }],
    })
    await pay(sandbox, 'LATE')
    await sandbox.clock.advance('30m')
    expect(seen).toEqual(['RETRY-BEFORE-RESET'])
    expect(sandbox.callbacks.list()).toEqual([])
  })

  it('on the real clock', async () => {
    const seen: string[] = []
    const sandbox = use.sandbox({ clock: 'real', onCallback: (cb) => void seen.push(cb.body) })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: { reference: 'REAL-RESET' }, timeline: [{ after: '500ms', status: 'approved' }] }],
    })
    await pay(sandbox, 'REAL-RESET')
    await sandbox.reset()
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(seen).toEqual([])
    expect(sandbox.transactions.list()).toEqual([])
  })
})

describe('after a restart', () => {
  it('work that fell due while the sandbox was down runs at once, in the order it fell due', async () => {
    const data = tempData()
    const rules = [
      { match: { reference: 'LATER' }, timeline: [{ after: '400ms', status: 'approved' }] },
      { match: { reference: 'SOONER' }, timeline: [{ after: '200ms', status: 'declined' }] },
      { match: { reference: 'LAST' }, timeline: [{ after: '1h', status: 'approved' }] },
    ]
    // The first run's clock is virtual and never advanced, so nothing can fall due before it is
    // down, however slow the machine; the second run's real clock finds the steps overdue.
    const first = createSandbox({
      data,
      providers: ['connecx'],
      merchants: CONNECX_AUTO,
      clock: 'virtual',
      onCallback: () => {},
    })
    first.scenarios.use({ provider: 'connecx', rules })
    await pay(first, 'LATER')
    await pay(first, 'SOONER')
    await pay(first, 'LAST')
    await first.close()
    await new Promise((resolve) => setTimeout(resolve, 600))

    const seen: string[] = []
    const restarted = Date.now()
    const second = use.sandbox({
      data,
      clock: 'real',
      onCallback: (cb) => void seen.push(JSON.parse(cb.body).paymentRef),
    })
    await second.ready
    await eventually(() => seen.length === 2, 5_000)
    expect(Date.now() - restarted).toBeLessThan(5_000)
    expect(seen).toEqual(['SOONER', 'LATER'])
    const byRef = (ref: string) => second.transactions.list({ reference: ref })[0]
    expect(byRef('SOONER').status).toBe('declined')
    expect(byRef('LATER').status).toBe('approved')
    expect(byRef('LAST').status).toBe('pending')
    expect(byRef('SOONER').history.at(-1)!.at).toBeLessThanOrEqual(byRef('LATER').history.at(-1)!.at)
  })

  it('a virtual clock resumes at the time it had reached, and steps due by then have run', async () => {
    const data = tempData()
    const first = createSandbox({
      data,
      providers: ['connecx'],
      merchants: CONNECX_AUTO,
      clock: 'virtual',
      onCallback: () => {},
    })
    await first.ready
    const t0 = first.clock.now()
    first.scenarios.use({
      provider: 'connecx',
      rules: [{ match: { reference: 'IN-3-DAYS' }, timeline: [{ after: '3d', status: 'approved' }] }],
    })
    await pay(first, 'IN-3-DAYS')
    await first.clock.advance('2d')
    const reached = first.clock.now()
    expect(reached - t0).toBe(2 * 86_400_000)
    await first.close()

    const second = use.sandbox({ data, clock: 'virtual' })
    await second.ready
    expect(second.clock.now()).toBeGreaterThanOrEqual(reached)
    expect(second.clock.now() - reached).toBeLessThan(60_000) // not back at the wall clock, 2 days earlier
    expect(second.transactions.list()[0].status).toBe('pending')
    await second.clock.advance(reached + 86_400_000 - second.clock.now() - 1)
    expect(second.transactions.list()[0].status).toBe('pending')
    await second.clock.advance(1)
    expect(second.transactions.list()[0].status).toBe('approved')
  })
})
