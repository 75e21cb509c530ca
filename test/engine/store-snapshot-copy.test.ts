import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nodeFiles } from '../../src/engine/store-files.js'
import { LowdbStore } from '../../src/engine/store-lowdb.js'
import { PreviousSnapshot, readSnapshot, SnapshotFile } from '../../src/engine/store-snapshot.js'
import { COLLECTIONS, emptyMaps, type CollectionName, type StoreMaps } from '../../src/engine/store.js'
import { tempDirs } from '../support/temp.js'

/**
 * A compaction copies the lines of records unchanged since the previous snapshot instead of
 * serialising them again. What it copies must be exactly what serialising would write: these
 * tests compare the files byte for byte, and what a restart reads with what was stored.
 */
const temp = tempDirs('psp-snapshot-copy-')

/** A snapshot as the store writes it, of `records` (collection → [id, value] in order). */
async function written(records: Partial<Record<CollectionName, Array<[string, unknown]>>>): Promise<string> {
  const file = join(temp(), 'db.json')
  const maps = emptyMaps()
  for (const [c, entries] of Object.entries(records)) maps[c as CollectionName] = new Map(entries)
  await new SnapshotFile(file, nodeFiles).write(maps)
  return file
}

/** The same state serialised whole, without copying: the bytes a copy must reproduce. */
async function serialisedWhole(data: StoreMaps): Promise<string> {
  const file = join(temp(), 'whole.json')
  await new SnapshotFile(file, nodeFiles).write(data)
  return readFileSync(file, 'utf8')
}

/** Commits, and waits for the compaction that commit may have started (it starts once the write is answered). */
async function folded(store: LowdbStore): Promise<void> {
  await store.commit()
  await new Promise((resolve) => setTimeout(resolve, 10))
  await store.compacted()
}

/** The line `take` found, as text; undefined when it found none. */
function taken(
  previous: PreviousSnapshot | undefined,
  c: CollectionName,
  id: string,
  passOver: (id: string) => boolean,
): string | undefined {
  if (!previous?.take(c, id, passOver)) return undefined
  return previous.line.buf.toString('utf8', previous.line.start, previous.line.end)
}

const tx = (id: string, status = 'pending', extra = '') => ({ id, status, note: extra })

describe('PreviousSnapshot', () => {
  it('hands out unchanged records in order, passing over changed and removed ones', async () => {
    const file = await written({
      transactions: [
        ['t1', tx('t1')],
        ['t2', tx('t2')],
        ['t3', tx('t3')],
      ],
      jobs: [['j1', { id: 'j1' }]],
    })
    const previous = PreviousSnapshot.open(file)!
    const changed = new Set(['t2'])
    const passOver = (id: string) => changed.has(id)
    expect(taken(previous, 'transactions', 't1', passOver)).toBe(`"t1":${JSON.stringify(tx('t1'))}`)
    expect(taken(previous, 'transactions', 't3', passOver)).toBe(`"t3":${JSON.stringify(tx('t3'))}`)
    expect(taken(previous, 'jobs', 'j1', passOver)).toBe('"j1":{"id":"j1"}')
    expect(taken(previous, 'jobs', 'j2', passOver)).toBeUndefined()
    previous.close()
  })

  it('copies nothing it would have to skip an unchanged record for: that record is asked for later', async () => {
    const file = await written({
      transactions: [
        ['t1', tx('t1')],
        ['t2', tx('t2')],
      ],
    })
    const previous = PreviousSnapshot.open(file)!
    // t2 first (the map's order differs from the file's): t1 stands before it and is not to be passed over.
    expect(taken(previous, 'transactions', 't2', () => false)).toBeUndefined()
    expect(taken(previous, 'transactions', 't1', () => false)).toBe(`"t1":${JSON.stringify(tx('t1'))}`)
    previous.close()
  })

  it('skips collections already written, and stops at one not yet reached', async () => {
    const file = await written({ transactions: [['t1', tx('t1')]], jobs: [['j1', { id: 'j1' }]] })
    const previous = PreviousSnapshot.open(file)!
    expect(taken(previous, 'jobs', 'j1', () => false)).toBe('"j1":{"id":"j1"}')
    expect(taken(previous, 'transactions', 't1', () => false)).toBeUndefined()
    previous.close()
  })

  it('does not copy a record whose id is written with escapes, nor a value that is not an object', async () => {
    const file = await written({
      transactions: [['t"1', tx('t"1')]],
      counters: [['c', 1]],
    })
    const previous = PreviousSnapshot.open(file)!
    expect(taken(previous, 'transactions', 't"1', () => false)).toBeUndefined()
    expect(taken(previous, 'counters', 'c', () => false)).toBeUndefined()
    previous.close()
  })

  it('reads ids outside ASCII, and records longer than one read of the file', async () => {
    const long = tx('ü-1', 'pending', 'x'.repeat(600 * 1024))
    const file = await written({
      transactions: [
        ['ü-1', long],
        ['t2', tx('t2')],
      ],
    })
    const previous = PreviousSnapshot.open(file)!
    expect(taken(previous, 'transactions', 'ü-1', () => false)).toBe(`"ü-1":${JSON.stringify(long)}`)
    expect(taken(previous, 'transactions', 't2', () => false)).toBe(`"t2":${JSON.stringify(tx('t2'))}`)
    previous.close()
  })

  it('is not used for a missing snapshot or one laid out otherwise (lowdb pretty-printed, one line)', () => {
    const dir = temp()
    expect(PreviousSnapshot.open(join(dir, 'missing.json'))).toBeUndefined()
    const pretty = join(dir, 'pretty.json')
    writeFileSync(pretty, JSON.stringify({ transactions: { t1: tx('t1') } }, null, 2))
    const previous = PreviousSnapshot.open(pretty)
    // Pretty-printed JSON opens with "{" too, but its lines are not records: nothing is copied.
    expect(taken(previous, 'transactions', 't1', () => false)).toBeUndefined()
    previous?.close()
    const oneLine = join(dir, 'one.json')
    writeFileSync(oneLine, JSON.stringify({ transactions: { t1: tx('t1') } }))
    expect(PreviousSnapshot.open(oneLine)).toBeUndefined()
  })
})

describe('a compaction that copies unchanged records', () => {
  it('writes the bytes serialising would, and copies the records nobody changed', async () => {
    const file = join(temp(), 'db.json')
    const store = new LowdbStore({ file, compactBytes: 4096, compactGrowth: 0 })
    await store.load()
    for (let n = 0; n < 200; n++) {
      store.put('transactions', `t${n}`, tx(`t${n}`))
      store.put('jobs', `j${n}`, { id: `j${n}`, transactionId: `t${n}` })
      if (n % 10 === 9) await folded(store)
    }
    await folded(store)
    // Change a few old records, remove one, re-add one (it moves to the end of the map), add more.
    store.put('transactions', 't5', tx('t5', 'approved'))
    store.remove('transactions', 't6')
    store.remove('jobs', 'j7')
    store.put('jobs', 'j7', { id: 'j7', again: true })
    for (let n = 200; n < 260; n++) store.put('transactions', `t${n}`, tx(`t${n}`))
    await folded(store)
    expect(store.compactionStats.count).toBeGreaterThanOrEqual(2)
    expect(store.compactionStats.copied).toBeGreaterThan(300)
    await store.close()

    const snapshot = readFileSync(file, 'utf8')
    const read = readSnapshot(file).data
    expect(snapshot).toBe(await serialisedWhole(read))
    const reopened = new LowdbStore({ file })
    await reopened.load()
    expect(reopened.get('transactions', 't5')).toEqual(tx('t5', 'approved'))
    expect(reopened.get('transactions', 't6')).toBeUndefined()
    expect(reopened.get('jobs', 'j7')).toEqual({ id: 'j7', again: true })
    expect(reopened.count('transactions')).toBe(259)
    await reopened.close()
  })

  it('copies nothing from a snapshot file edited since the store wrote it: what is in memory is written', async () => {
    const file = join(temp(), 'db.json')
    const store = new LowdbStore({ file, compactBytes: 2048, compactGrowth: 0 })
    await store.load()
    for (let n = 0; n < 40; n++) store.put('transactions', `t${n}`, tx(`t${n}`))
    await folded(store)
    const first = store.compactionStats.count
    expect(first).toBeGreaterThanOrEqual(1)
    const copiedBefore = store.compactionStats.copied
    // By hand, while the sandbox runs: the store never reads it back, so it must not survive.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"t3","status":"pending"', '"t3","status":"edited!"'))
    store.put('transactions', 'pad', tx('pad', 'pending', 'p'.repeat(3000)))
    await folded(store)
    expect(store.compactionStats.count).toBeGreaterThan(first)
    expect(store.compactionStats.copied).toBe(copiedBefore)
    await store.close()
    expect(readSnapshot(file).data.transactions.get('t3')).toEqual(tx('t3'))
  })

  it('after a compaction that failed, copies nothing that changed since the snapshot still on disk', async () => {
    const file = join(temp(), 'db.json')
    let failSnapshot = false
    const files = {
      ...nodeFiles,
      async openForWrite(path: string, options?: { durable?: boolean }) {
        if (failSnapshot && path.endsWith('.tmp'))
          throw Object.assign(new Error('EIO: open (injected)'), { code: 'EIO' })
        return nodeFiles.openForWrite(path, options)
      },
    }
    const store = new LowdbStore({ file, files, compactBytes: 2048, compactGrowth: 0 })
    await store.load()
    for (let n = 0; n < 40; n++) store.put('transactions', `t${n}`, tx(`t${n}`))
    await folded(store)
    const first = store.compactionStats.count
    expect(first).toBeGreaterThanOrEqual(1)
    // Changed while the next compaction fails: the snapshot on disk keeps the old values.
    failSnapshot = true
    store.put('transactions', 't1', tx('t1', 'declined', 'y'.repeat(3000)))
    await folded(store)
    expect(store.compactionStats.count).toBe(first)
    failSnapshot = false
    store.put('transactions', 't2', tx('t2', 'approved', 'z'.repeat(3000)))
    await folded(store)
    expect(store.compactionStats.count).toBeGreaterThan(first)
    await store.close()
    // The snapshot alone (the logs it folded in are gone) holds both changes.
    const read = readSnapshot(file).data
    expect(read.transactions.get('t1')).toEqual(tx('t1', 'declined', 'y'.repeat(3000)))
    expect(read.transactions.get('t2')).toEqual(tx('t2', 'approved', 'z'.repeat(3000)))
    expect(readFileSync(file, 'utf8')).toBe(await serialisedWhole(read))
  })

  it('keeps every change across any mix of writes, removals and compactions (generated)', async () => {
    type Op =
      | { op: 'put'; c: 'transactions' | 'jobs' | 'merchants'; id: number; size: number }
      | { op: 'remove'; c: 'transactions' | 'jobs' | 'merchants'; id: number }
      | { op: 'counter' }
      | { op: 'commit' }
      | { op: 'settle' }
    const collection = fc.constantFrom('transactions' as const, 'jobs' as const, 'merchants' as const)
    const op: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({ op: fc.constant('put' as const), c: collection, id: fc.nat(40), size: fc.nat(400) }),
      },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), c: collection, id: fc.nat(40) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('counter' as const) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('commit' as const) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('settle' as const) }) },
    )
    let copied = 0
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 20, maxLength: 300 }), async (ops) => {
        const file = join(temp(), 'db.json')
        const store = new LowdbStore({ file, compactBytes: 1500, compactGrowth: 0 })
        await store.load()
        // What the store must hold, in the order a Map keeps (a changed record keeps its place).
        const model = emptyMaps()
        let version = 0
        for (const o of ops) {
          if (o.op === 'put') {
            const id = `${o.c[0]}${o.id}${o.id % 7 === 0 ? '-ü' : ''}${o.id % 11 === 0 ? '"q' : ''}`
            const value = { id, v: ++version, pad: 'p'.repeat(o.size) }
            store.put(o.c, id, value)
            model[o.c].set(id, value)
          } else if (o.op === 'remove') {
            const id = [...model[o.c].keys()][o.id % Math.max(1, model[o.c].size)]
            if (id === undefined) continue
            store.remove(o.c, id)
            model[o.c].delete(id)
          } else if (o.op === 'counter') model.counters.set('n', store.nextCounter('n'))
          else if (o.op === 'commit') await store.commit()
          else await folded(store)
        }
        await folded(store)
        copied += store.compactionStats.copied
        await store.close()
        const snapshot = readSnapshot(file).data
        expect(readFileSync(file, 'utf8')).toBe(await serialisedWhole(snapshot))
        const reopened = new LowdbStore({ file })
        await reopened.load()
        for (const c of COLLECTIONS) {
          expect(reopened.count(c), c).toBe(model[c].size)
          for (const [id, value] of model[c]) expect(reopened.get(c, id), `${c}/${id}`).toEqual(value)
        }
        await reopened.close()
      }),
      { numRuns: 40 },
    )
    expect(copied).toBeGreaterThan(0)
  })
})
