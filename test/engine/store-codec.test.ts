import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RecordCodec } from '../../src/engine/store-codec.js'
import { LowdbStore } from '../../src/engine/store-lowdb.js'
import { tempDirs } from '../support/temp.js'

const temp = tempDirs('psp-codec-')
const tempFile = () => join(temp(), 'db.json')

/** A stored Connecx pay-in as the engine keeps it. */
const payIn = (n: number) => ({
  id: `connecx-${n}`,
  provider: 'connecx',
  merchant: '3568224497743',
  kind: 'payin',
  reference: `ref-${n}`,
  providerRef: String(176272727441 + n),
  amount: 10.5,
  currency: 'USD',
  status: 'pending',
  native: undefined,
  callbackUrl: 'http://127.0.0.1:9/cb',
  createdAt: 1795729909758 + n,
  updatedAt: 1795729909758 + n,
  history: [{ at: 1795729909758 + n, status: 'pending', source: 'request' }],
  rule: 'pay-in — waits for the customer at authzUrl (built-in scenarios/connecx.yaml, rule 11)',
  data: { txnAmount: 10.5, resultUrl: 'https://result.example/r', origin: 'http://127.0.0.1:3000' },
})

/** A full garbage collection, here in a worker started without `--expose-gc`. */
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
/** A turn of the event loop: a `WeakRef`'s target is kept at least until the current job ends. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** What a restart reads back: the record's JSON, parsed. */
const asStored = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown

describe('RecordCodec', () => {
  it('gives back what JSON would: same values, same key order, undefined keys dropped', () => {
    const codec = new RecordCodec()
    for (let n = 1; n <= 200; n++) {
      const record = payIn(n)
      const decoded = codec.decode(codec.encode(record, record.id), record.id)
      expect(JSON.stringify(decoded)).toBe(JSON.stringify(record))
      expect(decoded).toEqual(asStored(record))
    }
  })

  it('keeps the JSON edge cases: toJSON, non-finite numbers, holes, nested arrays, odd keys and strings', () => {
    const codec = new RecordCodec()
    const record = {
      when: new Date(Date.UTC(2026, 10, 26)),
      nan: NaN,
      inf: -Infinity,
      zero: -0,
      list: [1, undefined, () => 1, 'x', [[], {}], null, true, false],
      fn: () => 1,
      '': 'empty key',
      '\u007f': '\u007f',
      marked: '\u007fstarts with the marker',
      twice: '\u007f\u007f',
      unicode: 'Zürich — 東京 \ud83d\ude00',
      escapes: 'quote " backslash \\ newline \n tab \t nul \u0000',
      nested: { a: { b: { c: [{ d: 'deep' }] } } },
      self: 'rec-1',
      10: 'an index-like key',
    }
    const text = codec.encode(record, 'rec-1')
    const decoded = codec.decode(text, 'rec-1')
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(record))
    expect(codec.json(text, 'rec-1')).toBe(JSON.stringify(record))
  })

  it('writes the JSON of an encoded record without decoding it: the same text JSON.stringify gives', () => {
    const codec = new RecordCodec()
    for (let n = 1; n <= 200; n++) {
      const record = payIn(n)
      expect(codec.json(codec.encode(record, record.id), record.id)).toBe(JSON.stringify(record))
    }
    // Past the shape limit (keys written out) and for a __proto__ key.
    for (let n = 0; n < 4100; n++) codec.encode({ [`key-${n}`]: n }, 'x')
    const odd = JSON.parse('{"__proto__":{"a":["\u007f",1.5e300,-0]},"key-x":"x"}') as unknown
    expect(codec.json(codec.encode(odd, 'x'), 'x')).toBe(JSON.stringify(odd))
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (value, id) => {
        const text = codec.encode(value, id)
        expect(codec.json(text, id)).toBe(JSON.stringify(codec.decode(text, id)))
        expect(codec.json(text, id)).toBe(JSON.stringify(value))
      }),
      { numRuns: 500 },
    )
  })

  it('keeps a __proto__ key as an own property, as JSON.parse does', () => {
    const codec = new RecordCodec()
    const record = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>
    const decoded = codec.decode(codec.encode(record, 'x'), 'x') as Record<string, unknown>
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
    expect(Object.keys(decoded)).toEqual(['__proto__', 'a'])
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(record))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('writes a shared string once as a word and the record id as a mark: a pay-in takes under a third of its JSON', () => {
    const codec = new RecordCodec()
    for (let n = 1; n < 100; n++) codec.encode(payIn(n), `connecx-${n}`)
    const record = payIn(100)
    const text = codec.encode(record, record.id)
    expect(text.length).toBeLessThan(JSON.stringify(record).length / 3)
    expect(text).not.toContain('connecx-100')
    expect(text).not.toContain('USD')
    expect(text).toContain('ref-100')
  })

  it('stays bounded: a field that differs in every record stops adding words and is written out', () => {
    const codec = new RecordCodec()
    for (let n = 0; n < 5000; n++) codec.encode({ reference: `ref-${n}`, currency: 'USD' }, `t-${n}`)
    expect(codec.size.words).toBeLessThanOrEqual(65)
    expect(codec.size.shapes).toBe(1)
    expect(codec.encode({ reference: 'ref-4999', currency: 'USD' }, 't')).toContain('ref-4999')
  })

  it('past its shape limit writes keys out in full, still giving back the same record', () => {
    const codec = new RecordCodec()
    let last = ''
    for (let n = 0; n < 4200; n++) last = codec.encode({ [`key-${n}`]: n }, 'x')
    expect(codec.size.shapes).toBe(4096)
    expect(last).toContain('key-4199')
    expect(codec.decode(last, 'x')).toEqual({ 'key-4199': 4199 })
    // Nothing more is kept for key lists past the limit, however many arrive.
    const nodes = codec.size.shapeNodes
    for (let n = 0; n < 1000; n++) codec.encode({ shared: 1, [`late-${n}`]: { [`deeper-${n}`]: n } }, 'x')
    expect(codec.size.shapeNodes).toBe(nodes)
    // A known shape is still found, and a prefix of one is not taken for it.
    expect(codec.encode({ 'key-7': 1 }, 'x')).toBe('[7,1]')
    const prefix = { 'key-7': 1, more: 2 }
    expect(codec.decode(codec.encode(prefix, 'x'), 'x')).toEqual(prefix)
  })

  it('tells apart key lists that would read the same joined: {} and {"": 1}, ["a\\u0000b"] and ["a", "b"]', () => {
    const codec = new RecordCodec()
    const records = [{}, { '': 1 }, { 'a\u0000b': 1 }, { a: 1, b: 2 }, { '': { '': [] } }, { '': {} }]
    for (const order of [records, [...records].reverse()]) {
      const fresh = new RecordCodec()
      for (const record of order) expect(fresh.decode(fresh.encode(record, 'x'), 'x')).toEqual(record)
    }
    for (const record of records) expect(codec.json(codec.encode(record, 'x'), 'x')).toBe(JSON.stringify(record))
  })

  it('refuses a BigInt as JSON.stringify does', () => {
    expect(() => new RecordCodec().encode({ n: 1n }, 'x')).toThrow(/BigInt/)
  })
})

describe('LowdbStore with encoded records', () => {
  for (const mode of ['memory', 'file'] as const) {
    it(`${mode}: while anyone holds a record, every get returns that one object (two requests never change two copies)`, async () => {
      const store = new LowdbStore(mode === 'file' ? { file: tempFile() } : {})
      await store.load()
      const tx = store.put('transactions', 'connecx-1', payIn(1))
      await store.commit()
      const a = store.get<ReturnType<typeof payIn>>('transactions', 'connecx-1')!
      const b = store.values<ReturnType<typeof payIn>>('transactions')[0]
      expect(a).toBe(tx)
      expect(b).toBe(tx)
      // Two "requests" change the record through what they got; both changes stay.
      a.status = 'approved'
      b.history.push({ at: 1, status: 'approved', source: 'request' })
      store.put('transactions', a.id, a)
      await store.commit()
      const again = store.get<ReturnType<typeof payIn>>('transactions', 'connecx-1')!
      expect(again.status).toBe('approved')
      expect(again.history).toHaveLength(2)
      await store.close()
    })
  }

  it('a record read back after a commit equals what was stored, and a restart reads the same JSON', async () => {
    const file = tempFile()
    const store = new LowdbStore({ file })
    await store.load()
    for (let n = 1; n <= 50; n++) store.put('transactions', `connecx-${n}`, payIn(n))
    store.put('jobs', 'job-1', { id: 'job-1', transactionId: 'connecx-1', at: 5, status: 'expired' })
    await store.commit()
    await store.close()
    const log = readFileSync(`${file}.log`, 'utf8')
    // The log holds plain JSON, as before: a file written by an older sandbox reads the same.
    expect(log).toContain(JSON.stringify(payIn(7)))
    const again = new LowdbStore({ file })
    await again.load()
    expect(again.count('transactions')).toBe(50)
    for (let n = 1; n <= 50; n++) expect(again.get('transactions', `connecx-${n}`)).toEqual(asStored(payIn(n)))
    expect(again.get('jobs', 'job-1')).toEqual({ id: 'job-1', transactionId: 'connecx-1', at: 5, status: 'expired' })
    // The snapshot written at load holds the records' JSON too.
    expect(readFileSync(file, 'utf8')).toContain(`"connecx-7":${JSON.stringify(payIn(7))}`)
    await again.close()
  })

  it('once nobody holds a record, the garbage collector takes its object and the next get decodes an equal one; a held one survives', async () => {
    const store = new LowdbStore({})
    await store.load()
    store.put('transactions', 'connecx-1', payIn(1))
    store.put('transactions', 'connecx-2', payIn(2))
    await store.commit()
    const dropped = new WeakRef(store.get<object>('transactions', 'connecx-1')!)
    const held = store.get<ReturnType<typeof payIn>>('transactions', 'connecx-2')!
    await turn()
    gc()
    expect(dropped.deref()).toBeUndefined()
    expect(store.get('transactions', 'connecx-1')).toEqual(asStored(payIn(1)))
    expect(store.get('transactions', 'connecx-2')).toBe(held)
    expect(store.values('transactions')).toContain(held)
    await store.close()
  })

  it('values with a hint skips records that cannot match without decoding them, and never one that does', async () => {
    const store = new LowdbStore({})
    await store.load()
    const merchants = ['m-a', 'm-b', '\u007fodd', '']
    const refs = (n: number) => (n % 7 === 0 ? 'shared' : `ref-${n}`)
    // 200 records: the first few references become words, the rest are written out.
    for (let n = 1; n <= 200; n++)
      store.put('transactions', `connecx-${n}`, { ...payIn(n), merchant: merchants[n % 4], reference: refs(n) })
    await store.commit()
    const all = store.values<ReturnType<typeof payIn>>('transactions')
    const cases: Array<Record<string, string>> = [
      { merchant: 'm-a' },
      { merchant: '\u007fodd' },
      { merchant: '' },
      { reference: 'shared' },
      { reference: 'ref-150' },
      { reference: 'ref-3', merchant: 'm-b' },
      { reference: 'ref-3', merchant: 'm-a' },
      { id: 'connecx-9' },
      { currency: 'EUR' },
    ]
    for (const where of cases) {
      const matches = (t: Record<string, unknown>) => Object.entries(where).every(([k, v]) => t[k] === v)
      const hinted = store.values<ReturnType<typeof payIn>>('transactions', where)
      expect(hinted.filter(matches), JSON.stringify(where)).toEqual(all.filter(matches))
      if (where.reference === 'ref-150' || where.currency) expect(hinted.length).toBeLessThanOrEqual(1)
    }
    await store.close()
  })
})
