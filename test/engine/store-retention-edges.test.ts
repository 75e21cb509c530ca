import { describe, expect, it } from 'vitest'
import { describePolicy, parseRetention, Retention } from '../../src/engine/store-retention.js'
import type { Sandbox } from '../../src/sandbox.js'
import { CONNECX, connecxPayment, disposables, seedPayIn } from '../helpers.js'

/**
 * `--retain` at its edges, on the virtual clock: the exact age at which a finished transaction
 * goes, which ones a count keeps (the most recently changed), what keeps a transaction (a step or
 * a callback still due, not a callback that gave up), one prune at a time, the periodic prune,
 * and the words of the start-up line and the journal.
 */
const use = disposables({ providers: ['connecx'] })
const B = 'http://localhost:8080'

async function pay(sandbox: Sandbox, reference: string): Promise<string> {
  const res = await sandbox.fetch(
    connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: reference, callbackUrl: 'https://merchant.example/cb' }),
  )
  expect(res.status, await res.text()).toBe(200)
  return sandbox.transactions.list({ reference })[0].id
}

const references = (sandbox: Sandbox) =>
  sandbox.transactions
    .list()
    .map((t) => t.reference)
    .sort()

describe('retention edges', () => {
  it('by age: a transaction finished exactly the age ago stays, one millisecond more and it goes', async () => {
    const sandbox = use.sandbox({ retain: '10m', onCallback: () => ({ status: 200, body: '' }) })
    await sandbox.ready
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: { reference: 'EDGE' }, timeline: [{ after: '1s', status: 'approved' }] }],
    })
    await pay(sandbox, 'EDGE')
    await sandbox.clock.advance('1s')
    await sandbox.clock.advance('10m')
    expect(await sandbox.engine.retention!.prune()).toBe(0)
    await sandbox.clock.advance(1)
    expect(await sandbox.engine.retention!.prune()).toBe(1)
    expect(sandbox.journal.list({ kind: 'system', limit: 1 })[0].notes).toEqual([
      'retention: 1 finished transaction(s) and their callbacks removed (removes finished transactions older than 10m)',
    ])
  })

  it('by count: the most recently changed finished ones stay, whenever they were created', async () => {
    const sandbox = use.sandbox({ retain: '2', onCallback: () => ({ status: 200, body: '' }) })
    await sandbox.ready
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        { match: { reference: 'FIRST-MADE' }, timeline: [{ after: '30s', status: 'declined' }] },
        { match: { reference: 'SECOND-MADE' }, timeline: [{ after: '10s', status: 'approved' }] },
        { match: { reference: 'THIRD-MADE' }, timeline: [{ after: '20s', status: 'failed' }] },
      ],
    })
    await pay(sandbox, 'FIRST-MADE')
    await pay(sandbox, 'SECOND-MADE')
    await pay(sandbox, 'THIRD-MADE')
    await sandbox.clock.advance('30s')
    expect(await sandbox.engine.retention!.prune()).toBe(1)
    expect(references(sandbox)).toEqual(['FIRST-MADE', 'THIRD-MADE'])
  })

  it('a callback that gave up does not keep its transaction; one still due does', async () => {
    const sandbox = use.sandbox({
      retain: '1m',
      merchants: { connecx: [{ id: CONNECX.merchantId, callbackRetrySchedule: ['10s'] }] },
      onCallback: () => ({ status: 500, body: '' }),
    })
    await sandbox.ready
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        { match: { reference: 'GAVE-UP' }, timeline: [{ after: '1s', status: 'approved' }] },
        {
          match: { reference: 'STILL-DUE' },
          timeline: [{ after: '2h', status: 'approved', callback: { delay: '1d' } }],
        },
      ],
    })
    await pay(sandbox, 'GAVE-UP')
    await pay(sandbox, 'STILL-DUE')
    await sandbox.clock.advance('3h')
    const [gaveUp] = sandbox.callbacks.list({ reference: 'GAVE-UP' })
    expect(gaveUp.state).toBe('failed')
    expect(sandbox.callbacks.list({ reference: 'STILL-DUE' })[0].state).toBe('scheduled')
    expect(await sandbox.engine.retention!.prune()).toBe(1)
    expect(references(sandbox)).toEqual(['STILL-DUE'])
    expect(sandbox.callbacks.list().map((d) => d.reference)).toEqual(['STILL-DUE'])
  })

  it('a transaction goes with every delivery it had: copies, and a duplicate asked for later', async () => {
    const sandbox = use.sandbox({ retain: '1m', onCallback: () => ({ status: 200, body: '' }) })
    await sandbox.ready
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        { match: { reference: 'MANY' }, timeline: [{ after: '1s', status: 'approved', callback: { copies: 3 } }] },
        { match: { reference: 'ONE' }, timeline: [{ after: '1s', status: 'approved' }] },
      ],
    })
    await pay(sandbox, 'MANY')
    await sandbox.clock.advance('1s')
    await sandbox.engine.callbacks.copy(sandbox.callbacks.list({ reference: 'MANY' })[0].id, 'duplicate')
    expect(sandbox.callbacks.list({ reference: 'MANY' })).toHaveLength(4)
    await sandbox.clock.advance('2m')
    await pay(sandbox, 'ONE')
    await sandbox.clock.advance('1s')
    expect(await sandbox.engine.retention!.prune()).toBe(1)
    expect(references(sandbox)).toEqual(['ONE'])
    expect(sandbox.callbacks.list().map((d) => d.reference)).toEqual(['ONE'])
  })

  it('two prunes asked for at once are one prune (both hear its count); the next one starts afresh', async () => {
    const sandbox = use.sandbox({ retain: '1m', onCallback: () => ({ status: 200, body: '' }) })
    await sandbox.ready
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: {}, timeline: [{ after: '1s', status: 'approved' }] }],
    })
    await pay(sandbox, 'ONE')
    await pay(sandbox, 'TWO')
    await sandbox.clock.advance('2m')
    const retention = sandbox.engine.retention!
    expect(await Promise.all([retention.prune(), retention.prune()])).toEqual([2, 2])
    expect(await retention.prune()).toBe(0)
    await pay(sandbox, 'THREE')
    await sandbox.clock.advance('2m')
    expect(await retention.prune()).toBe(1)
  })

  it('start() prunes at once and then every period; stop() ends it', async () => {
    const sandbox = use.sandbox({ onCallback: () => ({ status: 200, body: '' }) })
    await sandbox.ready
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: {}, timeline: [{ after: '1s', status: 'approved' }] }],
    })
    await pay(sandbox, 'AT-START')
    await sandbox.clock.advance('2m')
    const retention = new Retention(sandbox.engine, { maxAgeMs: 60_000 }, 50)
    use.defer(() => retention.stop())
    retention.start()
    await expect.poll(() => references(sandbox), { timeout: 10_000 }).toEqual([])
    await pay(sandbox, 'LATER')
    await sandbox.clock.advance('2m')
    await expect.poll(() => references(sandbox), { timeout: 10_000 }).toEqual([])
    retention.stop()
    await pay(sandbox, 'AFTER-STOP')
    await sandbox.clock.advance('2m')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(references(sandbox)).toEqual(['AFTER-STOP'])
  })
})

describe('describePolicy (the start-up line)', () => {
  it('names the age in its largest whole unit, and the count', () => {
    expect(describePolicy(undefined)).toBe('off: every transaction is kept')
    expect(describePolicy({ maxAgeMs: 7 * 86_400_000, maxCount: 100_000 })).toBe(
      'removes finished transactions older than 7d and finished transactions beyond the newest 100000',
    )
    expect(describePolicy({ maxAgeMs: 36 * 3_600_000 })).toBe('removes finished transactions older than 36h')
    expect(describePolicy({ maxAgeMs: 90 * 60_000 })).toBe('removes finished transactions older than 90m')
    expect(describePolicy({ maxAgeMs: 61_000 })).toBe('removes finished transactions older than 61s')
    expect(describePolicy({ maxAgeMs: 1500 })).toBe('removes finished transactions older than 1500ms')
    expect(describePolicy({ maxCount: 5 })).toBe('removes finished transactions beyond the newest 5')
  })
})

describe('parseRetention at its edges', () => {
  it('off, false and none (spaces around too) turn retention off', () => {
    for (const off of ['off', 'false', 'none', ' off ']) expect(parseRetention(off), off).toBeUndefined()
  })

  it('a count is digits only; an age that does not parse is refused even beside a good count', () => {
    for (const bad of ['x5', '5x', '5,soon', 'soon,5', '', '  ', ',', '5,', ',7d'])
      expect(() => parseRetention(bad), bad).toThrow(
        expect.objectContaining({ name: 'RetentionError', message: expect.stringContaining(`--retain "${bad}"`) }),
      )
  })

  it('a prune that removes nothing writes no journal line', async () => {
    const sandbox = use.sandbox({ retain: '1h' })
    await sandbox.ready
    await pay(sandbox, 'YOUNG')
    expect(await sandbox.engine.retention!.prune()).toBe(0)
    expect(sandbox.journal.list({ kind: 'system' }).filter((e) => e.notes.join(' ').includes('retention'))).toEqual([])
  })
})
