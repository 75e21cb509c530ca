// @ts-nocheck
import { describe, expect, it } from 'vitest'
import { Journal } from '../../src/engine/journal.js'

describe('Journal', () => {
  it('keeps at most maxEntries, dropping the oldest', () => {
    const j = new Journal({ maxEntries: 3 })
    for (let i = 1; i <= 5; i++) j.note('system', `n${i}`)
    expect(j.list().map((e) => e.notes[0])).toEqual(['n5', 'n4', 'n3'])
  })

  it('keeps its size under maxBytes and cuts bodies at maxBodyBytes', () => {
    const j = new Journal({ maxBytes: 10_000, maxBodyBytes: 1000 })
    for (let i = 0; i < 50; i++) j.record(j.draft('request', { requestBody: 'x'.repeat(5000) }))
    expect(j.size.bytes).toBeLessThanOrEqual(10_000)
    expect(j.size.entries).toBeLessThan(50)
    const [newest] = j.list({ limit: 1 })
    expect(newest.requestBody).toHaveLength(1000 + '… [4000 more characters cut]'.length)
  })

  it('filters by provider, kind, reference and transaction, newest first', () => {
    const j = new Journal()
    j.note('request', 'a', { provider: 'connecx', reference: 'r1' })
    j.note('callback', 'b', { provider: 'connecx', reference: 'r1', transactionId: 'connecx-1' })
    j.note('request', 'c', { provider: 'payatom', reference: 'r1' })
    expect(j.list({ provider: 'connecx' }).map((e) => e.notes[0])).toEqual(['b', 'a'])
    expect(j.list({ kind: 'request', reference: 'r1' }).map((e) => e.notes[0])).toEqual(['c', 'a'])
    expect(j.list({ transactionId: 'connecx-1' })).toHaveLength(1)
  })
})
