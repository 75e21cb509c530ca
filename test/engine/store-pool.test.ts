import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LowdbStore } from '../../src/engine/store-lowdb.js'
import { StringPool } from '../../src/engine/store-pool.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('StringPool', () => {
  it('keeps a record as it was: same object, equal values, same key order', () => {
    const pool = new StringPool()
    const record = {
      id: 't1',
      merchant: 'm-1',
      history: [{ status: 'pending' }, 'x'],
      data: { origin: 'http://localhost', n: 1 },
    }
    const copy = structuredClone(record)
    expect(pool.record(record)).toBe(record)
    expect(record).toEqual(copy)
    expect(JSON.stringify(record)).toBe(JSON.stringify(copy))
  })

  it('hands back the string it already holds, however many records bring a copy', () => {
    const pool = new StringPool(4)
    const first = pool.intern(['http://', 'localhost'].join(''))
    expect(pool.intern('http://localhost')).toBe(first)
    expect(pool.intern('a')).toBe('a')
  })

  it('stays bounded: starts again once full, and leaves long strings alone', () => {
    const pool = new StringPool(2, 8)
    for (const s of ['a', 'b', 'c', 'a']) expect(pool.intern(s)).toBe(s)
    expect(pool.intern('x'.repeat(9))).toBe('x'.repeat(9))
  })

  it('leaves frozen objects (shared constants) as they are', () => {
    const shared = Object.freeze({ signature: 'valid' })
    const record = { callback: shared }
    expect(() => new StringPool().record(record)).not.toThrow()
    expect(record.callback).toBe(shared)
  })
})

describe('LowdbStore with compactGrowth', () => {
  const folder = () => {
    const d = mkdtempSync(join(tmpdir(), 'store-pool-'))
    dirs.push(d)
    return d
  }

  it('folds the log once it passes the snapshot size (compactGrowth 1), not at every compactBytes', async () => {
    const file = join(folder(), 'db.json')
    const big = 'x'.repeat(20_000)
    // A snapshot of about 100 kB: 2 kB of compactBytes would otherwise fold after every few commits.
    writeFileSync(
      file,
      `{\n"transactions":{\n${Array.from({ length: 5 }, (_, i) => `"old${i}":{"pad":"${big}"}`).join(',\n')}\n},\n"state":{\n}\n}\n`,
    )
    const s = new LowdbStore({ file, compactBytes: 2000 })
    await s.load()
    for (let i = 0; i < 20; i++) {
      s.put('transactions', `t${i}`, { id: `t${i}`, pad: 'y'.repeat(1000) })
      await s.commit()
    }
    await s.compacted()
    expect(s.compactionStats.count).toBe(0)
    expect(statSync(`${file}.log`).size).toBeGreaterThan(20_000)
    for (let i = 20; i < 120; i++) {
      s.put('transactions', `t${i}`, { id: `t${i}`, pad: 'y'.repeat(1000) })
      await s.commit()
    }
    await s.compacted()
    expect(s.compactionStats.count).toBe(1)
    await s.close()
    const r = new LowdbStore({ file })
    await r.load()
    expect(r.count('transactions')).toBe(125)
    await r.close()
  })

  it('compactGrowth scales the threshold: at 0.5 the log folds once it is half the snapshot', async () => {
    const file = join(folder(), 'db.json')
    const big = 'x'.repeat(20_000)
    writeFileSync(
      file,
      `{\n"transactions":{\n${Array.from({ length: 5 }, (_, i) => `"old${i}":{"pad":"${big}"}`).join(',\n')}\n},\n"state":{\n}\n}\n`,
    )
    const s = new LowdbStore({ file, compactBytes: 2000, compactGrowth: 0.5 })
    await s.load()
    const put = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        s.put('transactions', `t${i}`, { id: `t${i}`, pad: 'y'.repeat(1000) })
        await s.commit()
      }
      await s.compacted()
    }
    await put(0, 40) // about 42 kB of log against a 100 kB snapshot
    expect(s.compactionStats.count).toBe(0)
    await put(40, 60) // about 63 kB: past half
    expect(s.compactionStats.count).toBe(1)
    await s.close()
  })
})
