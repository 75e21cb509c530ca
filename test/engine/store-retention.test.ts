import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LONG_RUNNING_RETENTION, parseRetention, RetentionError } from '../../src/engine/store-retention.js'
import type { Delivery } from '../../src/engine/types.js'
import type { TimelineJob } from '../../src/engine/transactions.js'
import type { Sandbox } from '../../src/sandbox.js'
import { CONNECX, connecxPayment, disposables, seedPayIn } from '../helpers.js'

/**
 * `--retain` on a real lowdb file: finished transactions go with their deliveries and steps, by
 * age and by count; anything still moving (not final, a step or a callback still due) stays; what
 * was pruned stays pruned after a restart.
 */
const use = disposables()
const B = 'http://localhost:8080'
const CALLBACK = 'https://merchant.example/cb'

function dataFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-retention-'))
  use.defer(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'db.json')
}

/** A sandbox on `file` whose merchant answers every callback 200, except for references starting with FAILING. */
function open(file: string, retain?: string): Sandbox {
  return use.sandbox({
    data: file,
    retain,
    onCallback: (cb) => (cb.body.includes('"FAILING') ? { status: 500, body: 'down' } : { status: 200, body: 'OK' }),
  })
}

async function payIn(sandbox: Sandbox, reference: string, customer: 'auto' | 'wait'): Promise<void> {
  // auto: approved 2 s after acceptance; wait: waits for the customer (30 min), still pending.
  await sandbox.merchants.patch('connecx', CONNECX.merchantId, { customer, callbackRetrySchedule: ['1h'] })
  const res = await sandbox.fetch(
    connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: reference, callbackUrl: CALLBACK }),
  )
  expect(res.status, await res.text()).toBe(200)
}

function stored(sandbox: Sandbox) {
  const store = sandbox.engine.store
  const transactions = store.values<{ id: string; reference: string; status: string }>('transactions')
  const ref = new Map(transactions.map((t) => [t.id, t.reference]))
  return {
    transactions: transactions.map((t) => t.reference).sort(),
    deliveries: store
      .values<Delivery>('deliveries')
      .map((d) => ref.get(d.transactionId) ?? `orphan ${d.transactionId}`)
      .sort(),
    jobs: store
      .values<TimelineJob>('jobs')
      .map((j) => ref.get(j.transactionId) ?? `orphan ${j.transactionId}`)
      .sort(),
  }
}

describe('--retain', () => {
  it('by age: finished transactions older than the age go with their deliveries; pending ones and due callbacks stay; durable after a restart', async () => {
    const file = dataFile()
    const sandbox = open(file, '10m')
    await sandbox.ready
    await payIn(sandbox, 'OLD-1', 'auto')
    await payIn(sandbox, 'OLD-2', 'auto')
    await payIn(sandbox, 'FAILING-1', 'auto') // approved, but its callback is still due (retry in 1 h)
    await sandbox.clock.advance('2s')
    await payIn(sandbox, 'WAITING-1', 'wait') // still pending, its expiry step due in 30 min
    await sandbox.clock.advance('11m')
    await payIn(sandbox, 'RECENT-1', 'auto')
    await sandbox.clock.advance('2s')
    expect(stored(sandbox).transactions).toEqual(['FAILING-1', 'OLD-1', 'OLD-2', 'RECENT-1', 'WAITING-1'])
    expect(stored(sandbox).deliveries).toEqual(['FAILING-1', 'OLD-1', 'OLD-2', 'RECENT-1'])

    expect(await sandbox.engine.retention!.prune()).toBe(2)
    const after = {
      transactions: ['FAILING-1', 'RECENT-1', 'WAITING-1'],
      deliveries: ['FAILING-1', 'RECENT-1'],
      jobs: ['WAITING-1'],
    }
    expect(stored(sandbox)).toEqual(after)
    // The indexes follow: a query by reference no longer finds a pruned transaction.
    expect(sandbox.engine.transactions.byReference('connecx', CONNECX.merchantId, 'OLD-1')).toEqual([])
    expect(sandbox.engine.journal.list({ kind: 'system', limit: 1 })[0].notes[0]).toContain(
      'retention: 2 finished transaction(s) and their callbacks removed',
    )
    await sandbox.close()

    const again = open(file) // retention off: what is on disk is exactly what was kept
    await again.ready
    expect(stored(again)).toEqual(after)
  })

  it('by count: keeps the newest N finished transactions; pending ones do not count and stay', async () => {
    const file = dataFile()
    const sandbox = open(file, '2')
    await sandbox.ready
    for (const ref of ['A', 'B', 'C', 'D']) {
      await payIn(sandbox, ref, 'auto')
      await sandbox.clock.advance('3s') // approved (2 s), each one later than the one before
    }
    await payIn(sandbox, 'WAITING-1', 'wait')
    expect(await sandbox.engine.retention!.prune()).toBe(2)
    expect(stored(sandbox)).toEqual({
      transactions: ['C', 'D', 'WAITING-1'],
      deliveries: ['C', 'D'],
      jobs: ['WAITING-1'],
    })
    expect(await sandbox.engine.retention!.prune()).toBe(0)
    await sandbox.close()
    const again = open(file)
    await again.ready
    expect(stored(again).transactions).toEqual(['C', 'D', 'WAITING-1'])
  })

  it('age and count together: either one prunes', async () => {
    const file = dataFile()
    const sandbox = open(file, '1h,2')
    await sandbox.ready
    await payIn(sandbox, 'ANCIENT', 'auto')
    await sandbox.clock.advance('2h')
    for (const ref of ['A', 'B', 'C']) {
      await payIn(sandbox, ref, 'auto')
      await sandbox.clock.advance('3s')
    }
    expect(await sandbox.engine.retention!.prune()).toBe(2) // ANCIENT by age, A by count
    expect(stored(sandbox).transactions).toEqual(['B', 'C'])
  })

  it('runs at start: a restart with --retain prunes what the policy no longer keeps', async () => {
    const file = dataFile()
    const first = open(file)
    await first.ready
    await payIn(first, 'A', 'auto')
    await payIn(first, 'B', 'auto')
    await first.clock.advance('3s')
    await first.close()
    const second = open(file, '1')
    await second.ready
    await expect.poll(() => stored(second).transactions).toHaveLength(1)
  })

  it('is off in-process unless asked for (a test must never find its transaction pruned)', async () => {
    const sandbox = open(dataFile())
    await sandbox.ready
    expect(sandbox.engine.retention).toBeUndefined()
    expect(open(dataFile(), 'off').engine.retention).toBeUndefined()
  })
})

describe('parseRetention', () => {
  it('reads an age, a count, both, or off', () => {
    expect(parseRetention(LONG_RUNNING_RETENTION)).toEqual({ maxAgeMs: 7 * 86_400_000, maxCount: 100_000 })
    expect(parseRetention('12h')).toEqual({ maxAgeMs: 12 * 3_600_000 })
    expect(parseRetention('500')).toEqual({ maxCount: 500 })
    expect(parseRetention(' 100000 , 7d ')).toEqual({ maxAgeMs: 7 * 86_400_000, maxCount: 100_000 })
    expect(parseRetention('off')).toBeUndefined()
  })

  it('refuses anything else, saying what it accepts', () => {
    for (const bad of ['', 'soon', '7d,8d', '5,6', '7d,100000,1'])
      expect(() => parseRetention(bad), bad).toThrow(RetentionError)
    expect(() => parseRetention('soon')).toThrow(
      '--retain "soon" is not a retention: give an age (7d, 12h), a count (100000), both (7d,100000), or off',
    )
  })
})
