import { describe, expect, it } from 'vitest'
import { CONNECX, connecxPayment, disposables, seedPayIn, seedPayOut } from '../helpers.js'
import { ruleOf } from '../../src/engine/transactions.js'

/** Transactions and their timelines, through the sandbox's public surface (Connecx as provider). */
const B = 'http://localhost:8080'
const use = disposables({ providers: ['connecx'] })

async function pay(
  sandbox: ReturnType<typeof use.sandbox>,
  paymentRef: string,
  kind: 'bdpayin' | 'bdpayout' = 'bdpayin',
) {
  const body = kind === 'bdpayin' ? seedPayIn() : seedPayOut()
  const res = await sandbox.fetch(connecxPayment(B, kind, { ...body, paymentRef }))
  expect(res.status).toBe(200)
  return sandbox.transactions.list({ reference: paymentRef })[0]
}

describe('timelines', () => {
  it("an expired outcome without steps expires after the provider's customer timeout, with its callback", async () => {
    const seen: string[] = []
    const sandbox = use.sandbox({ onCallback: (cb) => void seen.push(JSON.parse(cb.body).status) })
    sandbox.scenarios.use({ provider: 'connecx', rules: [{ match: { reference: 'EXP' }, outcome: 'expired' }] })
    const tx = await pay(sandbox, 'EXP')
    expect(sandbox.engine.transactions.jobs(tx.id)).toEqual([
      expect.objectContaining({
        transactionId: tx.id,
        status: 'expired',
        at: tx.createdAt + 30 * 60_000,
        source: 'timeline',
      }),
    ])
    await sandbox.clock.advance(30 * 60_000 - 1)
    expect(sandbox.transactions.get(tx.id)!.status).toBe('pending')
    await sandbox.clock.advance(1)
    expect(sandbox.transactions.get(tx.id)!.status).toBe('expired')
    expect(sandbox.engine.transactions.jobs(tx.id)).toEqual([])
    expect(seen).toHaveLength(1)
  })

  it('steps at 0 apply in the request; later steps in order; a step after a final status is skipped and the journal says so', async () => {
    const seen: string[] = []
    const sandbox = use.sandbox({ onCallback: (cb) => void seen.push(JSON.parse(cb.body).status) })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        {
          name: 'three steps',
          match: { reference: 'STEPS' },
          timeline: [
            { after: 0, status: 'processing', callback: false },
            { after: '5s', status: 'DECLINED' },
            { after: '10s', status: 'approved' },
          ],
        },
      ],
    })
    const tx = await pay(sandbox, 'STEPS')
    expect(tx.status).toBe('processing')
    expect(tx.history.map((h) => [h.status, h.source])).toEqual([
      ['pending', 'request'],
      ['processing', 'request'],
    ])
    await sandbox.clock.advance('5s')
    expect(sandbox.transactions.get(tx.id)).toMatchObject({ status: 'declined', nativeStatus: 'DECLINED' })
    await sandbox.clock.advance('5s')
    const after = sandbox.transactions.get(tx.id)!
    expect(after.status).toBe('declined')
    expect(after.history.map((h) => h.status)).toEqual(['pending', 'processing', 'declined'])
    expect(after.history[2]).toMatchObject({ source: 'timeline', nativeStatus: 'DECLINED' })
    expect(ruleOf(after, after.history[2])).toContain('three steps')
    expect(seen).toEqual(['FAILED'])
    const notes = sandbox.journal.list({ kind: 'timeline', transactionId: tx.id }).map((e) => e.notes.join(' '))
    expect(notes[0]).toBe(`${tx.id} (STEPS): step "approved" skipped, the transaction is already declined`)
    expect(notes[1]).toMatch(
      new RegExp(`^${tx.id} \\(STEPS\\) processing → declined \\(DECLINED\\) by timeline; callback cb-\\d+ scheduled$`),
    )
  })

  it('transition(): neutral or native names, the callback it implies, and an unknown name refused with the known ones', async () => {
    const seen: string[] = []
    const sandbox = use.sandbox({ onCallback: (cb) => void seen.push(JSON.parse(cb.body).status) })
    sandbox.scenarios.use({ provider: 'connecx', rules: [{ match: { reference: 'MOVE' }, outcome: 'pending' }] })
    const tx = await pay(sandbox, 'MOVE')
    await sandbox.transactions.transition(tx.id, 'INPROCESS')
    expect(sandbox.transactions.get(tx.id)).toMatchObject({ status: 'processing', nativeStatus: 'INPROCESS' })
    await sandbox.transactions.transition(tx.id, 'approved')
    const moved = sandbox.transactions.get(tx.id)!
    expect(moved).toMatchObject({ status: 'approved' })
    expect(moved.nativeStatus).toBeUndefined()
    expect(moved.history.at(-1)!.source).toBe('admin')
    await expect(sandbox.transactions.transition(tx.id, 'paid')).rejects.toThrow(
      /^"paid" is not a status of connecx; use a neutral status \(pending, processing, approved, declined, failed, expired, cancelled, refunded\) or one of COMPLETED, SUCCESS, FORAUTHZ/,
    )
    await expect(sandbox.transactions.transition('connecx-999', 'approved')).rejects.toThrow(
      'no transaction "connecx-999"',
    )
    await sandbox.clock.advance(0)
    await sandbox.callbacks.idle()
    expect(seen.length).toBeGreaterThanOrEqual(1)
  })
})

describe('lookups', () => {
  it('list() filters by every field (status also by native name), newest first; byReference and byProviderRef find them', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    const a = await pay(sandbox, 'L-1')
    await sandbox.clock.advance('1s')
    const b = await pay(sandbox, 'L-2', 'bdpayout')
    const c = await pay(sandbox, 'L-1', 'bdpayout')
    expect(sandbox.transactions.list().map((t) => t.id)).toEqual([c.id, b.id, a.id])
    expect(sandbox.engine.transactions.list({ kind: 'payout' }).map((t) => t.id)).toEqual([c.id, b.id])
    expect(sandbox.transactions.list({ reference: 'L-1' }).map((t) => t.id)).toEqual([c.id, a.id])
    expect(sandbox.transactions.list({ merchant: CONNECX.merchantId })).toHaveLength(3)
    expect(sandbox.transactions.list({ merchant: 'other' })).toHaveLength(0)
    expect(sandbox.transactions.list({ provider: 'payatom' })).toHaveLength(0)
    expect(sandbox.engine.transactions.list({ providerRef: b.providerRef }).map((t) => t.id)).toEqual([b.id])
    expect(sandbox.transactions.list({ status: 'pending' }).map((t) => t.id)).toEqual([a.id])
    expect(sandbox.transactions.list({ status: 'processing' }).map((t) => t.id)).toEqual([c.id, b.id])
    await sandbox.transactions.transition(a.id, 'FORAUTHZ')
    expect(sandbox.transactions.list({ status: 'FORAUTHZ' }).map((t) => t.id)).toEqual([a.id])
    expect(sandbox.engine.transactions.byReference('connecx', CONNECX.merchantId, 'L-1').map((t) => t.id)).toEqual([
      c.id,
      a.id,
    ])
    expect(sandbox.engine.transactions.byReference('connecx', 'other', 'L-1')).toEqual([])
    expect(sandbox.engine.transactions.byProviderRef('connecx', b.providerRef)!.id).toBe(b.id)
    expect(sandbox.engine.transactions.byProviderRef('connecx', 'nope')).toBeUndefined()
    expect(sandbox.transactions.get('connecx-404')).toBeUndefined()
  })

  it('ids count per provider from 1; after reset() the indexes are empty', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    const a = await pay(sandbox, 'ID-1')
    const b = await pay(sandbox, 'ID-2')
    expect([a.id, b.id]).toEqual(['connecx-1', 'connecx-2'])
    await sandbox.reset()
    expect(sandbox.engine.transactions.byReference('connecx', CONNECX.merchantId, 'ID-1')).toEqual([])
    expect(sandbox.engine.transactions.byProviderRef('connecx', a.providerRef)).toBeUndefined()
  })
})
