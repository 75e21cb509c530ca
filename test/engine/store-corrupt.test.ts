import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { StoreCorruptError } from '../../src/engine/store.js'
import { LowdbStore } from '../../src/engine/store-lowdb.js'
import { faultyFiles } from './faulty-files.js'

/** Start-up with state it cannot trust: refused with file, line and what to do, or repaired with a copy kept. */

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'store-corrupt-'))
  dirs.push(d)
  return d
}

/** A state with three committed transactions, closed without compaction (all in the log). */
async function threeCommits(): Promise<string> {
  const file = join(folder(), 'db.json')
  const s = new LowdbStore({ file })
  await s.load()
  for (const [id, status] of [
    ['t1', 'pending'],
    ['t2', 'pending'],
    ['t1', 'approved'],
  ]) {
    s.put('transactions', id!, { id, status })
    await s.commit()
  }
  await s.close()
  return file
}

async function refusal(file: string): Promise<StoreCorruptError> {
  const error = await new LowdbStore({ file }).load().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StoreCorruptError)
  return error as StoreCorruptError
}

const lines = (path: string) => readFileSync(path, 'utf8').split('\n')

describe('the change log', () => {
  it('a damaged line in the middle stops start-up naming file and line; nothing is emptied', async () => {
    const file = await threeCommits()
    const log = lines(`${file}.log`)
    const damaged = log.findIndex((l) => l.includes('"t2"'))
    log[damaged] = log[damaged]!.slice(0, 20) + '#' + log[damaged]!.slice(21)
    writeFileSync(`${file}.log`, log.join('\n'))
    const error = await refusal(file)
    expect(error.file).toBe(`${file}.log`)
    expect(error.line).toBe(damaged + 1)
    expect(error.message).toContain(`${file}.log is damaged: line ${damaged + 1} is not valid JSON`)
    expect(error.message).toMatch(/Move the file aside .* --repair/)
    expect(lines(`${file}.log`)).toEqual(log) // the evidence is kept
  })

  it('--repair drops the damaged line, keeps every other committed change, and copies the originals aside', async () => {
    const file = await threeCommits()
    const log = lines(`${file}.log`)
    const damaged = log.findIndex((l) => l.includes('"t2"'))
    log[damaged] = '{"c":"transactions","id":"t2","v":{"id":"t2",'
    writeFileSync(`${file}.log`, log.join('\n'))
    const s = new LowdbStore({ file, repair: true })
    await s.load()
    expect(s.get('transactions', 't1')).toEqual({ id: 't1', status: 'approved' }) // a later commit survives
    expect(s.get('transactions', 't2')).toBeUndefined()
    expect(s.repaired!.dropped).toEqual([
      expect.objectContaining({ file: `${file}.log`, line: damaged + 1, text: log[damaged] }),
    ])
    const kept = readdirSync(s.repaired!.folder).sort()
    expect(kept).toEqual(['db.json', 'db.json.log', 'dropped.jsonl'])
    expect(readFileSync(join(s.repaired!.folder, 'db.json.log'), 'utf8')).toContain(log[damaged])
    await s.close()
    // Repaired state is clean: a plain start accepts it.
    const again = new LowdbStore({ file })
    await again.load()
    expect(again.get('transactions', 't1')).toEqual({ id: 't1', status: 'approved' })
    await again.close()
  })

  it('a line with "v":null stops start-up with what it sets', async () => {
    const file = await threeCommits()
    appendFileSync(`${file}.log`, '{"c":"transactions","id":"t3","v":null}\n{"commit":99}\n')
    const error = await refusal(file)
    expect(error.message).toContain('sets transactions/t3 to null')
    expect(error.line).toBe(lines(`${file}.log`).length - 2)
  })

  it('a write torn by a crash (unterminated line, or lines without their commit line) is ignored whole', async () => {
    const file = await threeCommits()
    appendFileSync(
      `${file}.log`,
      '{"c":"transactions","id":"t9","v":{"id":"t9"}}\n{"c":"transactions","id":"t1","v":{"id":"t1","st',
    )
    const s = new LowdbStore({ file })
    await s.load()
    expect(s.get('transactions', 't9')).toBeUndefined()
    expect(s.get('transactions', 't1')).toEqual({ id: 't1', status: 'approved' })
    await s.close()
  })

  it('a log written by psp-sandbox 0.1 (no header, no commit lines) is replayed line by line', async () => {
    const file = join(folder(), 'db.json')
    writeFileSync(
      `${file}.log`,
      '{"c":"transactions","id":"old","v":{"id":"old"}}\n{"c":"counters","id":"x","v":4}\n{"c":"transactions","id":"torn","v":{',
    )
    const s = new LowdbStore({ file })
    await s.load()
    expect(s.get('transactions', 'old')).toEqual({ id: 'old' })
    expect(s.get('counters', 'x')).toBe(4)
    expect(s.get('transactions', 'torn')).toBeUndefined()
    await s.close()
  })
})

describe('the snapshot', () => {
  it.each([
    ['null', 'null', /holds null, not the sandbox's collections/],
    ['an array', '[1,2,3]', /holds \[1,2,3\], not the sandbox's collections/],
    ['a null collection', '{"transactions":null}', /holds null as "transactions", not an object of records/],
    ['a null record', '{"transactions":{"t1":null}}', /sets transactions\/t1 to null/],
    ['broken JSON', '{broken', /is not valid JSON/],
    ['an empty file', '', /is empty/],
    ['a number', '42', /holds 42, not the sandbox's collections/],
    ['a string', '"db"', /holds "db", not the sandbox's collections/],
    ['an unknown collection', '{"ledgers":{}}', /holds an unknown collection "ledgers"/],
    ['a collection that is an array', '{"transactions":[]}', /holds \[\] as "transactions", not an object of records/],
    ['a collection that is text', '{"jobs":"x"}', /holds "x" as "jobs", not an object of records/],
    ['a record that is an array', '{"deliveries":{"cb-1":[1]}}', /sets deliveries\/cb-1 to \[1\]/],
    ['a counter that is text', '{"counters":{"delivery":"7"}}', /sets counters\/delivery to "7"/],
  ])('%s stops start-up naming the file, the line and what to do', async (_, text, why) => {
    const file = join(folder(), 'db.json')
    writeFileSync(file, text)
    const error = await refusal(file)
    expect(error.file).toBe(file)
    expect(error.message).toMatch(why)
    expect(error.message).toContain(`the sandbox state file ${file} cannot be trusted: line 1`)
    expect(error.message).toMatch(/Move it aside .*--data.* --repair/)
    expect(readFileSync(file, 'utf8')).toBe(text)
  })

  it('a damaged record line in a streamed snapshot is named by its line; --repair drops only that record', async () => {
    const file = join(folder(), 'db.json')
    const s = new LowdbStore({ file })
    await s.load()
    for (let i = 1; i <= 3; i++) s.put('transactions', `t${i}`, { id: `t${i}` })
    await s.commit()
    await s.close()
    await new LowdbStore({ file }).load().then((x) => x) // folds the log into the snapshot
    const text = lines(file)
    const at = text.findIndex((l) => l.startsWith('"t2"'))
    text[at] = '"t2":{"id":'
    writeFileSync(file, text.join('\n'))
    const error = await refusal(file)
    expect(error.line).toBe(at + 1)
    expect(error.message).toContain(`line ${at + 1} is not a valid record`)
    const r = new LowdbStore({ file, repair: true })
    await r.load()
    expect(r.values('transactions')).toEqual([{ id: 't1' }, { id: 't3' }])
    expect(existsSync(join(r.repaired!.folder, 'db.json'))).toBe(true)
    await r.close()
  })

  it('a snapshot cut short (not written completely) is refused', async () => {
    const file = join(folder(), 'db.json')
    writeFileSync(file, '{\n"transactions":{\n"t1":{"id":"t1"},\n')
    expect((await refusal(file)).message).toContain('ends before the snapshot does')
  })

  it('--repair of a snapshot that holds null starts empty, replays the log and keeps the original', async () => {
    const file = await threeCommits()
    writeFileSync(file, 'null')
    const s = new LowdbStore({ file, repair: true })
    await s.load()
    expect(s.get('transactions', 't1')).toEqual({ id: 't1', status: 'approved' })
    expect(readFileSync(join(s.repaired!.folder, 'db.json'), 'utf8')).toBe('null')
    await s.close()
  })

  it('--repair of a whole-JSON snapshot drops each bad part, keeps every good record, and lists what it dropped', async () => {
    const file = join(folder(), 'db.json')
    const text = JSON.stringify({
      ledgers: {},
      transactions: { t1: { id: 't1' }, t2: null, t3: { id: 't3' } },
      jobs: [],
      counters: { delivery: 4, bad: 'x' },
    })
    writeFileSync(file, text)
    const s = new LowdbStore({ file, repair: true })
    await s.load()
    expect(s.values('transactions')).toEqual([{ id: 't1' }, { id: 't3' }])
    expect(s.get('counters', 'delivery')).toBe(4)
    expect(s.get('counters', 'bad')).toBeUndefined()
    expect(s.repaired!.dropped).toEqual([
      { file, line: 1, text, why: 'holds an unknown collection "ledgers"' },
      { file, line: 1, text, why: 'sets transactions/t2 to null' },
      { file, line: 1, text, why: 'holds [] as "jobs", not an object of records' },
      { file, line: 1, text, why: 'sets counters/bad to "x"' },
    ])
    await s.close()
  })

  it("a pretty-printed snapshot from lowdb's JSONFile (psp-sandbox 0.1) still loads", async () => {
    const file = join(folder(), 'db.json')
    const data = { transactions: { t1: { id: 't1', history: [{ at: 1 }] } }, counters: { x: 2 }, state: {} }
    writeFileSync(file, JSON.stringify(data, null, 2))
    const s = new LowdbStore({ file })
    await s.load()
    expect(s.get('transactions', 't1')).toEqual(data.transactions.t1)
    expect(s.get('counters', 'x')).toBe(2)
    await s.close()
    expect(JSON.parse(readFileSync(file, 'utf8')).transactions.t1).toEqual(data.transactions.t1) // rewritten, still JSON
  })

  it('compaction makes the new snapshot durable before the log goes: fsync, rename, folder fsync, then unlink', async () => {
    const file = join(folder(), 'db.json')
    const disk = faultyFiles()
    const s = new LowdbStore({ file, files: disk.files, compactBytes: 2000 })
    await s.load()
    disk.ops.length = 0
    for (let i = 0; i < 40; i++) {
      s.put('transactions', `t${i}`, { id: `t${i}`, pad: 'x'.repeat(60) })
      await s.commit()
    }
    await s.compacted()
    const ops = disk.ops.filter((o) => !o.startsWith('datasync db.json.log'))
    const tmpSync = ops.indexOf('datasync db.json.tmp')
    const rename = ops.indexOf('rename db.json.tmp db.json')
    const unlink = ops.findIndex((o) => /^unlink db\.json\.log\.\d+$/.test(o))
    expect(tmpSync).toBeGreaterThan(-1)
    expect(rename).toBeGreaterThan(tmpSync)
    expect(ops[rename + 1]).toBe('syncDir')
    expect(unlink).toBeGreaterThan(rename + 1)
    await s.close()
    const r = new LowdbStore({ file })
    await r.load()
    expect(r.count('transactions')).toBe(40)
    await r.close()
  })
})
