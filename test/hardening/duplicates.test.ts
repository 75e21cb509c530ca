import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setupServer } from 'msw/node'
import { afterEach, describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/msw.js'
import { createSandbox } from '../../src/sandbox.js'
import { connecxPayment, seedPayIn } from '../helpers.js'
import { payatom } from '../../src/providers/payatom/client.js'
import { CREATORS, jsonPost, served, slowRule, until } from './support.js'

/**
 * Finding 1: a duplicate check that ran before `respond.latency` let every concurrent request
 * with the same reference through. The reference is now claimed before any latency or fault.
 */
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

describe('duplicate references under latency (real socket)', () => {
  for (const creator of CREATORS) {
    it(`${creator.name}: 10 concurrent requests with one reference and a 5 s latency store one transaction`, async () => {
      const { sandbox, server } = await served()
      cleanups.push(() => server.close())
      sandbox.scenarios.use(slowRule(creator.provider))
      const ref = `DUPREF${creator.provider.toUpperCase()}0001`
      const answers: Array<{ status: number; body: string }> = []
      const all = Array.from({ length: 10 }, () =>
        fetch(creator.request(server.url, ref)).then(async (r) =>
          answers.push({ status: r.status, body: await r.text() }),
        ),
      )
      await until(() => answers.length === 9) // the duplicates are refused at once, while the first waits
      expect(sandbox.engine.reservations.size).toBe(1)
      await sandbox.clock.advance('5s')
      await Promise.all(all)
      expect(sandbox.transactions.list({ provider: creator.provider, reference: ref })).toHaveLength(1)
      expect(sandbox.engine.reservations.size).toBe(0)
      for (const a of answers) expect(a.status).toBeLessThan(500)
      // Once stored, the transaction itself holds the reference.
      const again = fetch(creator.request(server.url, ref))
      await sandbox.clock.advance('5s')
      expect((await again).status).toBeLessThan(500)
      expect(sandbox.transactions.list({ provider: creator.provider, reference: ref })).toHaveLength(1)
    })
  }

  it('a reference is released when nothing was stored (a fault before processing), so a retry is accepted', async () => {
    const { sandbox, server } = await served()
    cleanups.push(() => server.close())
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: { reference: 'RETRY1' }, once: true, respond: { latency: '1s', fault: 'http-503' } }],
    })
    const first = fetch(connecxPayment(server.url, 'bdpayin', { ...seedPayIn(), paymentRef: 'RETRY1', dupCheck: true }))
    await until(() => sandbox.engine.reservations.size === 1)
    await sandbox.clock.advance('1s')
    expect((await first).status).toBe(503)
    expect(sandbox.engine.reservations.size).toBe(0)
    const retry = await fetch(
      connecxPayment(server.url, 'bdpayin', { ...seedPayIn(), paymentRef: 'RETRY1', dupCheck: true }),
    )
    expect(retry.status).toBe(200)
    expect(sandbox.transactions.list({ reference: 'RETRY1' })).toHaveLength(1)
  })
})

describe('duplicate references over msw', () => {
  it('Connecx: 10 concurrent intercepted requests with a latency store one transaction', async () => {
    const sandbox = createSandbox({ clock: 'virtual' })
    const mock = setupServer(...createHandlers(sandbox))
    mock.listen({ onUnhandledRequest: 'error' })
    cleanups.push(
      () => sandbox.close(),
      () => mock.close(),
    )
    sandbox.scenarios.use(slowRule('connecx'))
    const statuses: number[] = []
    const all = Array.from({ length: 10 }, () =>
      fetch(
        connecxPayment('https://connecx.test', 'bdpayin', { ...seedPayIn(), paymentRef: 'MSWDUP', dupCheck: true }),
      ).then((r) => statuses.push(r.status)),
    )
    await until(() => statuses.length === 9)
    expect(statuses).toEqual(Array(9).fill(422))
    await sandbox.clock.advance('5s')
    await Promise.all(all)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(sandbox.transactions.list({ reference: 'MSWDUP' })).toHaveLength(1)
  })
})

describe('duplicate references across a restart', () => {
  it('a reference stored before a restart is refused after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'psp-dup-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const data = join(dir, 'db.json')
    const request = () =>
      connecxPayment('http://localhost', 'bdpayin', { ...seedPayIn(), paymentRef: 'RESTART1', dupCheck: true })
    const first = createSandbox({ clock: 'virtual', data })
    expect((await first.fetch(request())).status).toBe(200)
    await first.close()
    const second = createSandbox({ clock: 'virtual', data })
    cleanups.push(() => second.close())
    const again = await second.fetch(request())
    expect(again.status).toBe(422)
    expect(await again.text()).toBe('{"msgCode":"E2046","msgText":"Duplicate payment reference"}')
    expect(second.transactions.list({ reference: 'RESTART1' })).toHaveLength(1)
  })
})

describe('concurrent refunds under latency', () => {
  it('PayAtom: 5 concurrent refunds of one pay-in with a 5 s latency open one refund', async () => {
    // The pay-in is a vehicle: its customer approves at once (customer: auto).
    const sandbox = createSandbox({
      clock: 'virtual',
      merchants: { payatom: [{ id: '000000000000', customer: 'auto' }] },
    })
    cleanups.push(() => sandbox.close())
    const created = await sandbox.fetch(CREATORS[2]!.request('http://localhost', 'REFUND0001'))
    const { ref_code: refCode } = (await created.json()) as { ref_code: string }
    await sandbox.clock.advance('2s')
    expect(sandbox.transactions.list({ reference: 'REFUND0001' })[0]!.status).toBe('approved')
    sandbox.scenarios.use({
      provider: 'payatom',
      rules: [{ match: { operation: 'refund' }, respond: { latency: '5s' } }],
    })
    const refund = () =>
      sandbox.fetch(
        jsonPost(
          'http://localhost/api/refund_request.php',
          payatom.pollingRequest({ pid: '000000000000', refCode, secretKey: 'mysecretpassword' }),
        ),
      )
    const bodies: string[] = []
    const all = Array.from({ length: 5 }, () => refund().then(async (r) => bodies.push(await r.text())))
    await until(() => bodies.length === 4)
    expect(bodies).toEqual(Array(4).fill('{"status":"error","message":"Refund already requested for this order_id"}'))
    await sandbox.clock.advance('5s')
    await Promise.all(all)
    expect(sandbox.engine.transactions.list({ provider: 'payatom', kind: 'refund' })).toHaveLength(1)
  })
})
