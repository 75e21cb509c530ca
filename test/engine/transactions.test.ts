import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONNECX, connecxPayment, disposables, seedPayIn, seedPayOut } from '../helpers.js'
import { TRIGGERS } from '../support/callbacks.js'
import { LowdbStore } from '../../src/engine/store-lowdb.js'
import { ruleOf } from '../../src/engine/transactions.js'
import { createSandbox } from '../../src/sandbox.js'
import type { Transaction } from '../../src/engine/types.js'

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

describe('what a status change leaves behind', () => {
  it('listeners hear every change: the creation, each timeline step and each transition, as it happens', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    const heard: string[] = []
    sandbox.engine.events.listen((e) => {
      if (e.type === 'transaction') heard.push(`${e.transaction.reference} ${e.transaction.status}`)
    })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: { reference: 'HEARD' }, timeline: [{ after: '5s', status: 'processing' }] }],
    })
    const tx = await pay(sandbox, 'HEARD')
    expect(heard).toEqual(['HEARD pending'])
    await sandbox.clock.advance('5s')
    expect(heard).toEqual(['HEARD pending', 'HEARD processing'])
    await sandbox.transactions.transition(tx.id, 'declined')
    expect(heard).toEqual(['HEARD pending', 'HEARD processing', 'HEARD declined'])
  })

  it('history entries name a rule only when it is not the transaction’s own; ruleOf falls back to it for request and timeline', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ name: 'own rule', match: { reference: 'RULES' }, timeline: [{ after: '1s', status: 'processing' }] }],
    })
    const tx = await pay(sandbox, 'RULES')
    await sandbox.clock.advance('1s')
    const moves = sandbox.engine.transactions
    await moves.transition(tx, 'INPROCESS', { source: 'admin', rule: tx.rule })
    await moves.transition(tx, 'approved', { source: 'admin', rule: 'manual override' })
    await moves.transition(tx, 'declined', { source: 'page' })
    const at = tx.createdAt
    expect(tx.history).toStrictEqual([
      { at, status: 'pending', source: 'request' },
      { at: at + 1000, status: 'processing', source: 'timeline' },
      { at: at + 1000, status: 'processing', nativeStatus: 'INPROCESS', source: 'admin' },
      { at: at + 1000, status: 'approved', source: 'admin', rule: 'manual override' },
      { at: at + 1000, status: 'declined', source: 'page' },
    ])
    expect(tx.rule).toContain('own rule')
    expect(tx.history.map((h) => ruleOf(tx, h))).toEqual([tx.rule, tx.rule, undefined, 'manual override', undefined])
    expect(ruleOf(tx, { at, status: 'expired', source: 'expiry' })).toBeUndefined()
  })

  it('the callback a change implies: one by default or with `true`, none with `false`, copies as asked; the journal names them', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        { match: { reference: 'QUIET' }, timeline: [{ after: '1s', status: 'approved', callback: false }] },
        { match: { reference: 'TWO' }, timeline: [{ after: '1s', status: 'approved', callback: { copies: 2 } }] },
        { match: { reference: 'ADMIN' }, outcome: 'pending' },
      ],
    })
    const quiet = await pay(sandbox, 'QUIET')
    const two = await pay(sandbox, 'TWO')
    const admin = await pay(sandbox, 'ADMIN')
    await sandbox.clock.advance('1s')
    const sent = (tx: { id: string }) => sandbox.engine.callbacks.list({ transactionId: tx.id }).map((d) => d.id)
    expect(sent(quiet)).toEqual([])
    expect(sent(two)).toHaveLength(2)
    const moves = sandbox.engine.transactions
    await moves.transition(admin, 'INPROCESS', { source: 'admin', callback: false })
    expect(sent(admin)).toEqual([])
    await moves.transition(admin, 'declined', { source: 'admin', callback: true })
    expect(sent(admin)).toHaveLength(1)
    await moves.transition(admin, 'approved', { source: 'admin' })
    expect(sent(admin)).toHaveLength(2)
    const note = (tx: { id: string }) =>
      sandbox.journal.list({ kind: 'timeline', transactionId: tx.id }).map((e) => e.notes.join(' '))
    expect(note(quiet)).toEqual([`${quiet.id} (QUIET) pending → approved by timeline`])
    const [b, a] = sent(two)
    expect(note(two)).toEqual([`${two.id} (TWO) pending → approved by timeline; callback ${a}, ${b} scheduled`])
    expect(note(admin)[2]).toBe(`${admin.id} (ADMIN) pending → processing (INPROCESS) by admin`)
  })

  it('an expired outcome with its own steps keeps them; pending and declined outcomes get no expiry step', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        { match: { reference: 'EXP-5M' }, outcome: 'expired', timeline: [{ after: '5m', status: 'expired' }] },
        { match: { reference: 'STAYS' }, outcome: 'pending' },
        { match: { reference: 'NO' }, outcome: 'declined', timeline: [{ after: 0, status: 'declined' }] },
      ],
    })
    const exp = await pay(sandbox, 'EXP-5M')
    const stays = await pay(sandbox, 'STAYS')
    const no = await pay(sandbox, 'NO')
    expect(sandbox.engine.transactions.jobs(exp.id).map((j) => j.at - exp.createdAt)).toEqual([5 * 60_000])
    expect(sandbox.engine.transactions.jobs(stays.id)).toEqual([])
    expect(sandbox.engine.transactions.jobs(no.id)).toEqual([])
    await sandbox.clock.advance('1h')
    expect(sandbox.transactions.get(exp.id)!.status).toBe('expired')
    expect(sandbox.transactions.get(stays.id)!.status).toBe('pending')
    expect(sandbox.transactions.get(no.id)!.status).toBe('declined')
  })

  it('a provider without an onStatusChange hook (ConnPay) opens and moves transactions all the same', async () => {
    const sandbox = use.sandbox({ providers: ['connpay'], onCallback: () => {} })
    await sandbox.ready
    await TRIGGERS.connpay(sandbox, 'NO-HOOK')
    const [tx] = sandbox.transactions.list({ reference: 'NO-HOOK' })
    expect(tx.status).not.toBe('approved')
    await sandbox.clock.advance('2s')
    expect(sandbox.transactions.get(tx.id)!.status).toBe('approved')
    expect(sandbox.callbacks.list({ reference: 'NO-HOOK' }).map((d) => d.state)).toEqual(['acknowledged'])
  })

  it('keeps what the provider stored with the transaction (Connecx: the amount, trace data and result URL it was sent)', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    const tx = await pay(sandbox, 'DATA')
    expect(tx.data).toMatchObject({
      txnAmount: 100,
      merchantTraceData: 'merchant trace data',
      resultUrl: 'https://result.url/result',
    })
  })

  it('an unknown status is refused with an UnknownStatusError', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    const tx = await pay(sandbox, 'UNKNOWN')
    await expect(sandbox.transactions.transition(tx.id, 'paid')).rejects.toMatchObject({ name: 'UnknownStatusError' })
  })

  it('jobs() lists the pending steps of that transaction only', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        {
          match: {},
          timeline: [
            { after: '1m', status: 'processing' },
            { after: '2m', status: 'approved' },
          ],
        },
      ],
    })
    const a = await pay(sandbox, 'JOBS-A')
    const b = await pay(sandbox, 'JOBS-B')
    expect(sandbox.engine.transactions.jobs(a.id).map((j) => [j.transactionId, j.status])).toEqual([
      [a.id, 'processing'],
      [a.id, 'approved'],
    ])
    await sandbox.clock.advance('1m')
    expect(sandbox.engine.transactions.jobs(b.id).map((j) => [j.transactionId, j.status])).toEqual([[b.id, 'approved']])
  })
})

describe('ids and indexes', () => {
  it('ids count per provider: another provider’s transactions do not take numbers', async () => {
    const sandbox = use.sandbox({ providers: ['connecx', 'connpay'], onCallback: () => {} })
    await sandbox.ready
    await TRIGGERS.connecx(sandbox, 'ID-CX-1')
    await TRIGGERS.connpay(sandbox, 'ID-CP-1')
    await TRIGGERS.connecx(sandbox, 'ID-CX-2')
    const id = (ref: string) => sandbox.transactions.list({ reference: ref })[0].id
    expect([id('ID-CX-1'), id('ID-CP-1'), id('ID-CX-2')]).toEqual(['connecx-1', 'connpay-1', 'connecx-2'])
    expect(sandbox.transactions.list({ provider: 'connecx' }).map((t) => t.reference)).toEqual(['ID-CX-2', 'ID-CX-1'])
  })

  it('after reset() a reference used again finds only the new transaction, though it reuses the old id', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    const before = await pay(sandbox, 'AGAIN')
    expect(sandbox.engine.transactions.byReference('connecx', CONNECX.merchantId, 'AGAIN')).toHaveLength(1)
    await sandbox.reset()
    const after = await pay(sandbox, 'AGAIN')
    expect(after.id).toBe(before.id)
    expect(sandbox.engine.transactions.byReference('connecx', CONNECX.merchantId, 'AGAIN')).toEqual([after])
  })

  it('lookups answer newest first by creation time, then by id, whatever order the state file lists them in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tx-order-'))
    use.defer(() => rmSync(dir, { recursive: true, force: true }))
    const data = join(dir, 'db.json')
    const first = createSandbox({ data, providers: ['connecx'], clock: 'virtual', onCallback: () => {} })
    for (let i = 0; i < 4; i++) await pay(first, 'SAME')
    const made = first.transactions.list({ reference: 'SAME' })
    const t0 = made[0].createdAt
    await first.close()

    // Rewrite the state: connecx-1 created last (as a replica that leased its ids later would),
    // connecx-2..4 at the same moment, and the file listing them in no useful order. Folded first
    // (a load writes the snapshot), then written as a whole-JSON snapshot as psp-sandbox 0.1 did.
    const fold = new LowdbStore({ file: data })
    await fold.load()
    await fold.close()
    const state = JSON.parse(readFileSync(data, 'utf8')) as { transactions: Record<string, Transaction> }
    const byId = new Map(made.map((t) => [t.id, { ...t }]))
    byId.get('connecx-1')!.createdAt = t0 + 5000
    state.transactions = Object.fromEntries(
      ['connecx-3', 'connecx-1', 'connecx-4', 'connecx-2'].map((id) => [id, byId.get(id)!]),
    )
    writeFileSync(data, JSON.stringify(state))

    const again = use.sandbox({ data, onCallback: () => {} })
    await again.ready
    const newestFirst = ['connecx-1', 'connecx-4', 'connecx-3', 'connecx-2']
    expect(again.engine.transactions.byReference('connecx', CONNECX.merchantId, 'SAME').map((t) => t.id)).toEqual(
      newestFirst,
    )
    expect(again.transactions.list({ reference: 'SAME' }).map((t) => t.id)).toEqual(newestFirst)
    const two = byId.get('connecx-2')!
    expect(again.engine.transactions.byProviderRef('connecx', two.providerRef)!.id).toBe('connecx-2')
  })
})

describe('timeline steps across a restart', () => {
  it('a state file that counts its steps under "jobs" continues that numbering: a step scheduled after the restart never replaces one still pending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tx-jobs-'))
    use.defer(() => rmSync(dir, { recursive: true, force: true }))
    const data = join(dir, 'db.json')
    const rules = [{ match: { reference: 'LATER' }, timeline: [{ after: '1h', status: 'approved' }] }]
    const first = createSandbox({ data, providers: ['connecx'], clock: 'virtual', onCallback: () => {} })
    first.scenarios.use({ provider: 'connecx', rules })
    const before = await pay(first, 'LATER')
    await first.close()

    // The state file as the store writes it (folded into one snapshot), its counters as they stand
    // with one transaction and one pending step.
    const fold = new LowdbStore({ file: data })
    await fold.load()
    await fold.close()
    const state = JSON.parse(readFileSync(data, 'utf8')) as { counters: Record<string, number>; jobs: object }
    expect(Object.keys(state.jobs)).toHaveLength(1)
    state.counters = { 'transactions.connecx': 1, jobs: 1 }
    writeFileSync(data, JSON.stringify(state))

    const again = use.sandbox({ data, onCallback: () => {} })
    await again.ready
    again.scenarios.use({ provider: 'connecx', rules })
    await again.clock.advance('30m')
    const after = await pay(again, 'LATER')
    expect(after.id).not.toBe(before.id)
    expect(again.engine.transactions.jobs(before.id)).toHaveLength(1)
    expect(again.engine.transactions.jobs(after.id)).toHaveLength(1)
    await again.clock.advance('30m')
    expect(again.transactions.get(before.id)!.status).toBe('approved')
    expect(again.transactions.get(after.id)!.status).toBe('pending')
    await again.clock.advance('30m')
    expect(again.transactions.get(after.id)!.status).toBe('approved')
  })
  it('a step is stored lean (no default callback, no copy of the rule), shown whole, and one written whole by an older sandbox still runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tx-lean-'))
    use.defer(() => rmSync(dir, { recursive: true, force: true }))
    const data = join(dir, 'db.json')
    const rules = [
      { match: { reference: 'LEAN' }, timeline: [{ after: '1h', status: 'approved' }] },
      { match: { reference: 'TWO' }, timeline: [{ after: '1h', status: 'approved', callback: { copies: 2 } }] },
    ]
    const first = createSandbox({ data, providers: ['connecx'], clock: 'virtual', onCallback: () => {} })
    first.scenarios.use({ provider: 'connecx', rules })
    const lean = await pay(first, 'LEAN')
    const two = await pay(first, 'TWO')
    const shown = first.engine.transactions.jobs(lean.id)
    expect(shown).toEqual([
      {
        id: expect.any(String),
        transactionId: lean.id,
        at: lean.createdAt + 3_600_000,
        status: 'approved',
        callback: { copies: 1, signature: 'valid', delay: 0 },
        source: 'timeline',
        rule: lean.rule,
      },
    ])
    await first.close()
    const log = readFileSync(`${data}.log`, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{"c":"jobs"'))
      .map((line) => (JSON.parse(line) as { v: Record<string, unknown> }).v)
    expect(log).toEqual([
      { id: shown[0].id, transactionId: lean.id, at: shown[0].at, status: 'approved', source: 'timeline' },
      expect.objectContaining({ transactionId: two.id, callback: { copies: 2, signature: 'valid', delay: 0 } }),
    ])
    expect(log[1]).not.toHaveProperty('rule')

    // The same step as an older sandbox wrote it: callback and rule spelled out.
    const fold = new LowdbStore({ file: data })
    await fold.load()
    fold.put('jobs', shown[0].id, { ...log[0], callback: { copies: 1, signature: 'valid', delay: 0 }, rule: lean.rule })
    await fold.commit()
    await fold.close()
    const seen: string[] = []
    const again = use.sandbox({ data, onCallback: (cb) => void seen.push(cb.body) })
    await again.ready
    await again.clock.advance('1h')
    const tx = again.transactions.get(lean.id)!
    expect(tx.status).toBe('approved')
    expect(tx.history.at(-1)).toEqual({ at: tx.updatedAt, status: 'approved', source: 'timeline' })
    expect(ruleOf(tx, tx.history.at(-1)!)).toBe(lean.rule)
    await again.clock.advance('1s')
    expect(seen.filter((body) => body.includes(lean.reference))).toHaveLength(1)
    expect(seen.filter((body) => body.includes(two.reference))).toHaveLength(2)
  })
})

describe('retention and the indexes', () => {
  it('a pruned transaction is no longer found; another one with the same reference still is', async () => {
    const sandbox = use.sandbox({ retain: '10m', onCallback: () => {} })
    await sandbox.ready
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        { match: { reference: 'KEEP-OR-GO', amount: 100 }, timeline: [{ after: '1s', status: 'approved' }] },
        { match: { reference: 'KEEP-OR-GO' }, outcome: 'pending' },
      ],
    })
    const old = await pay(sandbox, 'KEEP-OR-GO')
    await sandbox.clock.advance('11m')
    const body = { ...seedPayIn(), paymentRef: 'KEEP-OR-GO', txnAmount: 200 }
    expect((await sandbox.fetch(connecxPayment(B, 'bdpayin', body))).status).toBe(200)
    const kept = sandbox.transactions.list({ reference: 'KEEP-OR-GO' })[0]
    expect(kept.id).not.toBe(old.id)
    const transactions = sandbox.engine.transactions
    // The lookups are built (as by a status query) before the prune, so the prune must update them.
    expect(transactions.byReference('connecx', CONNECX.merchantId, 'KEEP-OR-GO')).toHaveLength(2)
    expect(transactions.byProviderRef('connecx', old.providerRef)!.id).toBe(old.id)
    expect(await sandbox.engine.retention!.prune()).toBe(1)
    expect(transactions.byReference('connecx', CONNECX.merchantId, 'KEEP-OR-GO').map((t) => t.id)).toEqual([kept.id])
    expect(transactions.byProviderRef('connecx', old.providerRef)).toBeUndefined()
    expect(transactions.byProviderRef('connecx', kept.providerRef)!.id).toBe(kept.id)
  })

  it('three transactions under one reference, the oldest pruned: both others are still found, newest first', async () => {
    const sandbox = use.sandbox({ retain: '10m', onCallback: () => {} })
    await sandbox.ready
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        { match: { reference: 'THREE', amount: 100 }, timeline: [{ after: '1s', status: 'approved' }] },
        { match: { reference: 'THREE' }, outcome: 'pending' },
      ],
    })
    const old = await pay(sandbox, 'THREE')
    await sandbox.clock.advance('11m')
    for (const txnAmount of [200, 300])
      expect(
        (await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'THREE', txnAmount }))).status,
      ).toBe(200)
    const [third, second] = sandbox.transactions.list({ reference: 'THREE' })
    const transactions = sandbox.engine.transactions
    expect(transactions.byReference('connecx', CONNECX.merchantId, 'THREE').map((t) => t.id)).toEqual([
      third.id,
      second.id,
      old.id,
    ])
    expect(await sandbox.engine.retention!.prune()).toBe(1)
    expect(transactions.byReference('connecx', CONNECX.merchantId, 'THREE').map((t) => t.id)).toEqual([
      third.id,
      second.id,
    ])
  })

  it('pruning at start, before any lookup, removes and says so; lookups then find what is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tx-retain-'))
    use.defer(() => rmSync(dir, { recursive: true, force: true }))
    const data = join(dir, 'db.json')
    const first = createSandbox({ data, providers: ['connecx'], clock: 'virtual', onCallback: () => {} })
    first.scenarios.use({
      provider: 'connecx',
      rules: [
        { match: { reference: 'GONE' }, timeline: [{ after: '1s', status: 'approved' }] },
        { match: { reference: 'LEFT' }, timeline: [{ after: '2s', status: 'approved' }] },
      ],
    })
    await pay(first, 'GONE')
    await pay(first, 'LEFT')
    await first.clock.advance('2s')
    await first.close()

    const second = use.sandbox({ data, retain: '1', onCallback: () => {} })
    await second.ready
    await expect
      .poll(() => second.journal.list({ kind: 'system' }).map((e) => e.notes.join(' ')))
      .toContainEqual(expect.stringContaining('retention: 1 finished transaction(s)'))
    expect(second.engine.transactions.byReference('connecx', CONNECX.merchantId, 'GONE')).toEqual([])
    expect(second.engine.transactions.byReference('connecx', CONNECX.merchantId, 'LEFT')).toHaveLength(1)
  })
})
