import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeFiles, type StoreFileHandle, type StoreFiles } from '../../src/engine/store-files.js'
import { LowdbStore } from '../../src/engine/store-lowdb.js'
import { emptyData, StoreCorruptError, StoreWriteError } from '../../src/engine/store.js'

/**
 * The embedded store at its edges, through its public methods and real files: the words a failed
 * write is reported with, writes the disk takes a few bytes at a time, logs bigger than one read,
 * logs left by a compaction that never finished, every kind of damaged log line and snapshot
 * record, and rolling back a record whose durable value lives in the snapshot.
 */
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function dataFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'store-edges-'))
  dirs.push(d)
  return join(d, 'db.json')
}

async function opened(file: string, options: ConstructorParameters<typeof LowdbStore>[0] = {}): Promise<LowdbStore> {
  const store = new LowdbStore({ file, ...options })
  await store.load()
  return store
}

/** The real file layer with every write going through `write` (which gets the real handle's write). */
function withWrites(
  write: (
    real: StoreFileHandle['write'],
    ...args: Parameters<StoreFileHandle['write']>
  ) => ReturnType<StoreFileHandle['write']>,
): StoreFiles {
  return {
    ...nodeFiles,
    async openForWrite(path, options) {
      const handle = await nodeFiles.openForWrite(path, options)
      return { ...handle, write: (...args) => write(handle.write, ...args) }
    },
  }
}

/** The real file layer, except that while `state.code` is set every write throws an error with that code. */
function failingWrites() {
  const state: { code?: string } = {}
  const files = withWrites((real, ...args) => {
    if (state.code) throw Object.assign(new Error(`${state.code} (injected)`), { code: state.code })
    return real(...args)
  })
  return { files, state }
}

describe('a failed write is reported in plain words', () => {
  it.each([
    ['ENOSPC', 'the disk is full'],
    ['EDQUOT', 'the disk quota is exhausted'],
    ['EIO', 'the disk reported an I/O error'],
    ['EROFS', 'the file system is read-only'],
    ['EACCES', 'the sandbox may not write there'],
    ['EPERM', 'the sandbox may not write there'],
    ['EMYSTERY', 'the write failed'],
  ])('%s: %s', async (code, words) => {
    const file = dataFile()
    const disk = failingWrites()
    const store = await opened(file, { files: disk.files, probeEveryMs: 60_000 })
    disk.state.code = code
    store.put('state', 'k', 1)
    const error = await store.commit().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StoreWriteError)
    const expected = `could not write the sandbox state to ${file}.log: ${words} (${code} (injected)). Changes since the last good write were not saved; free space or fix the disk, and the sandbox recovers by itself.`
    expect(error).toMatchObject({ name: 'StoreWriteError', code, message: expected })
    expect((error as Error).cause).toMatchObject({ code })
    expect(store.health()).toEqual({ ok: false, reason: expected, since: expect.any(Number) })
    disk.state.code = undefined
    await store.close()
  })

  it('putting back a record whose creation was not saved is refused, naming the record and why', async () => {
    const file = dataFile()
    const disk = failingWrites()
    const store = await opened(file, { files: disk.files, probeEveryMs: 60_000 })
    disk.state.code = 'ENOSPC'
    const record = store.put('jobs', 'job-1', { id: 'job-1' })
    await expect(store.commit()).rejects.toThrow(StoreWriteError)
    expect(() => store.put('jobs', 'job-1', record)).toThrow(
      /^jobs\/job-1 was created by a change that could not be saved \(could not write the sandbox state to .*: the disk is full/,
    )
    disk.state.code = undefined
    await store.close()
  })

  it('a disk that takes a few bytes per write still gets every byte; one that takes none is full', async () => {
    const file = dataFile()
    let stuck = false
    const files = withWrites((real, buffer, offset, length, position) =>
      stuck ? Promise.resolve({ bytesWritten: 0 }) : real(buffer, offset, Math.min(length, 7), position),
    )
    const store = await opened(file, { files, probeEveryMs: 60_000 })
    store.put('transactions', 't1', { id: 't1', note: 'a record longer than seven bytes' })
    store.put('counters', 'n', 41)
    await store.commit()
    const again = await opened(file)
    expect(again.get('transactions', 't1')).toEqual({ id: 't1', note: 'a record longer than seven bytes' })
    expect(again.get('counters', 'n')).toBe(41)
    await again.close()

    stuck = true
    store.put('counters', 'n', 42)
    await expect(store.commit()).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(store.health().reason).toMatch(
      /: the disk is full \(no space left on device: a write at byte \d+ wrote nothing\)/,
    )
    stuck = false
    await store.close()
  })
})

describe('reading the files back', () => {
  it('a log bigger than one read (1 MiB), with records across the read boundary, replays whole', async () => {
    const file = dataFile()
    const store = await opened(file, { compactBytes: 64 * 1024 * 1024 })
    const big = (i: number) => ({ id: `t${i}`, pad: String(i).repeat(300_000 + i) })
    for (let i = 1; i <= 5; i++) {
      store.put('transactions', `t${i}`, big(i))
      await store.commit()
    }
    // A second store on the same files, as after a crash (the first is never closed).
    const again = await opened(file)
    expect(again.count('transactions')).toBe(5)
    for (let i = 1; i <= 5; i++) expect(again.get('transactions', `t${i}`)).toEqual(big(i))
    await again.close()
    await store.close()
    // The snapshot the second store wrote (in many pieces) reads back whole.
    const third = await opened(file)
    for (let i = 1; i <= 5; i++) expect(third.get('transactions', `t${i}`)).toEqual(big(i))
    await third.close()
  })

  it('logs set aside by a compaction that never finished replay oldest first (by number, 9 before 10), then the active log', async () => {
    const file = dataFile()
    const log = (lines: string[]) => `{"log":2}\n${lines.join('\n')}\n`
    writeFileSync(
      `${file}.log.9`,
      log([
        '{"c":"state","id":"a","v":"from 9"}',
        '{"c":"state","id":"b","v":"from 9"}',
        '{"c":"state","id":"c","v":"from 9"}',
        '{"commit":1}',
      ]),
    )
    writeFileSync(
      `${file}.log.10`,
      log(['{"c":"state","id":"b","v":"from 10"}', '{"c":"state","id":"c","v":"from 10"}', '{"commit":2}']),
    )
    writeFileSync(`${file}.log`, log(['{"c":"state","id":"c","v":"active"}', '{"commit":3}']))
    writeFileSync(`${file}.log.old`, 'not a log of ours\n')
    const store = await opened(file)
    expect([store.get('state', 'a'), store.get('state', 'b'), store.get('state', 'c')]).toEqual([
      'from 9',
      'from 10',
      'active',
    ])
    await store.close()
    const dir = join(file, '..')
    expect(readdirSync(dir).sort()).toEqual(['db.json', 'db.json.log', 'db.json.log.old'])
    const again = await opened(file)
    expect(again.get('state', 'c')).toBe('active')
    await again.close()
  })

  it('a record whose id needs escaping rolls back to its value in the snapshot', async () => {
    const file = dataFile()
    const first = await opened(file)
    const id = 'tx "quoted" \\ id'
    first.put('transactions', id, { status: 'pending' })
    first.put('transactions', 'plain', { status: 'pending' })
    await first.close()
    const disk = failingWrites()
    const store = await opened(file, { files: disk.files, probeEveryMs: 60_000 }) // folds the log into the snapshot
    const live = store.get<{ status: string }>('transactions', id)!
    const plain = store.get<{ status: string }>('transactions', 'plain')!
    disk.state.code = 'EIO'
    live.status = 'approved'
    plain.status = 'approved'
    store.put('transactions', id, live)
    store.put('transactions', 'plain', plain)
    await expect(store.commit()).rejects.toThrow(StoreWriteError)
    expect(store.get('transactions', id)).toEqual({ status: 'pending' })
    expect(store.get('transactions', 'plain')).toEqual({ status: 'pending' })
    disk.state.code = undefined
    await store.close()
  })
})

describe('a change log line that is complete but wrong stops start-up, saying what is wrong', () => {
  it.each([
    ['[1,2]', 'is not a change record'],
    ['42', 'is not a change record'],
    ['{"c":"state","v":1}', 'has no record id'],
    ['{"c":"state","id":7,"v":1}', 'has no record id'],
    ['{"c":"counters","id":"n","v":"7"}', 'sets counters/n to "7"'],
    ['{"c":"state","id":"s"}', 'sets state/s to undefined'],
    ['{"c":"jobs","id":"j","v":[1]}', 'sets jobs/j to [1]'],
    ['{"c":"merchants","id":"m","v":"x"}', 'sets merchants/m to "x"'],
  ])('%s: %s', async (line, why) => {
    const file = dataFile()
    writeFileSync(`${file}.log`, `{"log":2}\n{"c":"state","id":"ok","v":1}\n${line}\n{"commit":1}\n`)
    const error = await opened(file).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StoreCorruptError)
    expect(error).toMatchObject({ name: 'StoreCorruptError', file: `${file}.log`, line: 3 })
    expect((error as Error).message).toContain(`${file}.log is damaged: line 3 ${why}. It is a complete line`)
  })

  it('what every collection may hold: a deletion, any state value (null too), finite counters, objects', async () => {
    const file = dataFile()
    writeFileSync(
      `${file}.log`,
      [
        '{"log":2}',
        '{"c":"state","id":"nothing","v":null}',
        '{"c":"state","id":"list","v":[1,2]}',
        '{"c":"counters","id":"n","v":3}',
        '{"c":"jobs","id":"j","v":{"at":1}}',
        '{"c":"jobs","id":"gone","v":{"at":2}}',
        '{"c":"jobs","id":"gone","d":1}',
        '{"commit":1}',
        '',
      ].join('\n'),
    )
    const store = await opened(file)
    expect(store.get('state', 'nothing')).toBeNull()
    expect(store.get('state', 'list')).toEqual([1, 2])
    expect(store.get('counters', 'n')).toBe(3)
    expect(store.values('jobs')).toEqual([{ at: 1 }])
    await store.close()
  })

  it('a header line anywhere but first is not a header; a log without one is an old one (every line its own commit)', async () => {
    const file = dataFile()
    writeFileSync(`${file}.log`, '{"c":"state","id":"a","v":1}\n{"log":2}\n{"c":"state","id":"b","v":2}\n')
    const error = await opened(file).then(
      () => undefined,
      (e: unknown) => e,
    )
    // `{"log":2}` on line 2 is no change record of any collection.
    expect(error).toMatchObject({ line: 2 })
    expect((error as Error).message).toContain('line 2 names an unknown collection undefined')
  })
})

describe('a snapshot that cannot be trusted names its line', () => {
  const snapshot = (...lines: string[]) => `${lines.join('\n')}\n`
  it.each([
    [
      'a repeated collection',
      snapshot('{', '"state":{', '"a":1', '},', '"state":{', '"b":2', '}', '}'),
      5,
      'names a repeated collection "state"',
    ],
    [
      'an unknown collection',
      snapshot('{', '"ledgers":{', '"a":{}', '}', '}'),
      2,
      'names an unknown collection "ledgers"',
    ],
    ['text after the end', snapshot('{', '"state":{', '"a":1', '}', '}', '{'), 6, 'follows the end of the snapshot'],
    ['a counter that is text', snapshot('{', '"counters":{', '"n":"1"', '}', '}'), 3, 'sets counters/n to "1"'],
    ['a job that is a list', snapshot('{', '"jobs":{', '"j":[1]', '}', '}'), 3, 'sets jobs/j to [1]'],
  ])('%s', async (_, text, line, why) => {
    const file = dataFile()
    writeFileSync(file, text)
    const error = await opened(file).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ name: 'StoreCorruptError', file, line })
    expect((error as Error).message).toContain(`the sandbox state file ${file} cannot be trusted: line ${line} ${why}.`)
    expect(readFileSync(file, 'utf8')).toBe(text)
  })

  it('--repair keeps the rest of a snapshot with a repeated collection and lists what it dropped', async () => {
    const file = dataFile()
    writeFileSync(file, '{\n"state":{\n"a":1\n},\n"state":{\n"b":2\n}\n}\n')
    const store = await opened(file, { repair: true })
    expect(store.get('state', 'a')).toBe(1)
    expect(store.repaired!.dropped).toEqual([
      { file, line: 5, text: '"state":{', why: 'names a repeated collection "state"' },
    ])
    const dropped = readFileSync(join(store.repaired!.folder, 'dropped.jsonl'), 'utf8')
    expect(dropped).toBe(`${JSON.stringify(store.repaired!.dropped[0])}\n`)
    await store.close()
  })

  it('a state value of null is kept in a snapshot (a state entry may hold anything but nothing)', async () => {
    const file = dataFile()
    writeFileSync(file, '{\n"state":{\n"nothing":null,\n"n":0\n}\n}\n')
    const store = await opened(file)
    expect(store.get('state', 'nothing')).toBeNull()
    expect(store.get('state', 'n')).toBe(0)
    await store.close()
  })
})

describe('emptyData', () => {
  it('has every collection, empty', () => {
    expect(emptyData()).toEqual({ transactions: {}, deliveries: {}, jobs: {}, merchants: {}, counters: {}, state: {} })
  })
})
