import { appendFileSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LowdbStore as Store } from '../../src/engine/store-lowdb.js'
import { tempDirs } from '../support/temp.js'

const temp = tempDirs('store-')
const file = () => join(temp(), 'db.json')

describe('Store', () => {
  it('makes a change durable before commit() resolves: a second store (no close) sees it', async () => {
    const path = file()
    const a = new Store({ file: path })
    await a.load()
    a.put('transactions', 't1', { id: 't1', n: 1 })
    await a.commit()
    const b = new Store({ file: path })
    await b.load()
    expect(b.get('transactions', 't1')).toEqual({ id: 't1', n: 1 })
  })

  it('group commit: 100 concurrent commits share a few log writes, one line per record', async () => {
    const path = file()
    const s = new Store({ file: path })
    await s.load()
    const commits = []
    for (let i = 0; i < 100; i++) {
      s.put('transactions', `t${i}`, { i })
      s.put('counters', 'c', i) // the same record changed 100 times
      commits.push(s.commit())
    }
    await Promise.all(commits)
    const lines = readFileSync(`${path}.log`, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.includes('"c":'))
    // first write carries t0 and c; the second carries everything queued meanwhile
    expect(lines.length).toBeLessThanOrEqual(102)
    expect(lines.filter((l) => l.includes('"counters"')).length).toBeLessThanOrEqual(2)
    const reloaded = new Store({ file: path })
    await reloaded.load()
    expect(reloaded.values('transactions')).toHaveLength(100)
    expect(reloaded.get('counters', 'c')).toBe(99)
  })

  it('ignores a torn last line (a crash mid-write) and replays the rest', async () => {
    const path = file()
    const s = new Store({ file: path })
    await s.load()
    s.put('transactions', 'ok', { fine: true })
    s.remove('transactions', 'gone')
    await s.commit()
    appendFileSync(`${path}.log`, '{"c":"transactions","id":"torn","v":{"ha')
    const r = new Store({ file: path })
    await r.load()
    expect(r.get('transactions', 'ok')).toEqual({ fine: true })
    expect(r.get('transactions', 'torn')).toBeUndefined()
  })

  it('folds the log into the lowdb snapshot on load and when it grows past compactBytes', async () => {
    const path = file()
    const s = new Store({ file: path, compactBytes: 2000 })
    await s.load()
    for (let i = 0; i < 50; i++) {
      s.put('transactions', `t${i}`, { i, pad: 'x'.repeat(50) })
      await s.commit()
    }
    expect(statSync(`${path}.log`).size).toBeLessThan(2000)
    const snapshot = JSON.parse(readFileSync(path, 'utf8'))
    expect(Object.keys(snapshot.transactions).length).toBeGreaterThan(20)
    await s.close()
    const r = new Store({ file: path })
    await r.load()
    expect(r.values('transactions')).toHaveLength(50)
    expect(statSync(`${path}.log`).size).toBe(0)
  })

  it('explains an unreadable state file', async () => {
    const path = file()
    appendFileSync(path, '{broken')
    await expect(new Store({ file: path }).load()).rejects.toThrow(/not valid JSON.*--data/)
  })

  it('in memory: commit resolves at once and nothing is written', async () => {
    const s = new Store()
    await s.load()
    s.put('state', 'k', 1)
    await s.commit()
    expect(s.get('state', 'k')).toBe(1)
    expect(s.location).toBe('memory')
  })
})
