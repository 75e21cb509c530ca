import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeFiles, type StoreFiles } from '../../src/engine/store-files.js'
import { LowdbStore } from '../../src/engine/store-lowdb.js'
import { SnapshotFile } from '../../src/engine/store-snapshot.js'
import { emptyMaps, StoreWriteError } from '../../src/engine/store.js'

/**
 * The embedded store recovering: a compaction whose snapshot or rename fails (nothing is lost, the
 * set-aside logs are folded in later), repeated failures and recoveries noticed by the probe
 * alone, a rollback that cannot read the disk, a refused start that leaves no lock, and the
 * files a repair and a legacy snapshot leave behind.
 */
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function dataFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'store-recovery-'))
  dirs.push(d)
  return join(d, 'db.json')
}
const folder = (file: string) => readdirSync(join(file, '..')).sort()

/** The real file layer; `broken` decides which operations fail (by name and file), with EIO. */
function selectiveFiles(broken: (op: string, name: string) => boolean) {
  const fail = (op: string, name: string) => {
    if (broken(op, name)) throw Object.assign(new Error(`EIO: ${op} ${name} (injected)`), { code: 'EIO' })
  }
  const files: StoreFiles = {
    async openForWrite(path, options) {
      fail('open', basename(path))
      const handle = await nodeFiles.openForWrite(path, options)
      return {
        ...handle,
        async write(buffer, offset, length, position) {
          fail('write', basename(path))
          return handle.write(buffer, offset, length, position)
        },
      }
    },
    async rename(from, to) {
      fail('rename', basename(from))
      return nodeFiles.rename(from, to)
    },
    unlink: (path) => nodeFiles.unlink(path),
    list: (dir) => nodeFiles.list(dir),
    syncDir: (dir) => nodeFiles.syncDir(dir),
  }
  return files
}

async function fill(store: LowdbStore, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    store.put('transactions', `t${i}`, { id: `t${i}`, pad: 'x'.repeat(100) })
    await store.commit()
  }
}

describe('compaction that fails', () => {
  it('a snapshot that cannot be written leaves the set-aside log, and the next compaction folds both in', async () => {
    const file = dataFile()
    let snapshotBroken = false
    const store = new LowdbStore({
      file,
      compactBytes: 2000,
      files: selectiveFiles((op, name) => snapshotBroken && name === 'db.json.tmp'),
    })
    await store.load()
    snapshotBroken = true
    await fill(store, 0, 20)
    await store.compacted()
    expect(store.compactionStats.count).toBe(0)
    expect(folder(file)).toContain('db.json.log.1')
    snapshotBroken = false
    await fill(store, 20, 40)
    await store.compacted()
    expect(store.compactionStats.count).toBeGreaterThanOrEqual(1)
    expect(folder(file).filter((n) => /^db\.json\.log\.\d+$/.test(n))).toEqual([])
    expect(JSON.parse(readFileSync(file, 'utf8')).transactions.t19).toEqual({ id: 't19', pad: 'x'.repeat(100) })
    await store.close()
    const again = new LowdbStore({ file })
    await again.load()
    expect(again.count('transactions')).toBe(40)
    await again.close()
  })

  it('a log that cannot be set aside stays where it is; writes go on, and a restart has everything', async () => {
    const file = dataFile()
    let renameBroken = false
    const store = new LowdbStore({
      file,
      compactBytes: 2000,
      files: selectiveFiles((op) => renameBroken && op === 'rename'),
    })
    await store.load()
    renameBroken = true
    await fill(store, 0, 30)
    await store.compacted()
    expect(store.compactionStats.count).toBe(0)
    expect(store.health()).toEqual({ ok: true })
    expect(folder(file)).toEqual(['db.json', 'db.json.lock', 'db.json.log'])
    // A second store on the same files, as after a crash.
    const again = new LowdbStore({ file })
    await again.load()
    expect(again.count('transactions')).toBe(30)
    await again.close()
    await store.close()
  })

  it('a compaction in progress is finished by close(), and counted', async () => {
    const file = dataFile()
    const store = new LowdbStore({ file, compactBytes: 2000 })
    await store.load()
    await fill(store, 0, 20)
    await store.close()
    expect(store.compacting).toBe(false)
    expect(store.compactionStats.count).toBeGreaterThanOrEqual(1)
    expect(folder(file)).toEqual(['db.json', 'db.json.log'])
  })
})

describe('failing and recovering', () => {
  it('a failure lasting over several writes keeps its start time; the probe notices each recovery by itself', async () => {
    const file = dataFile()
    let broken = false
    const store = new LowdbStore({ file, probeEveryMs: 20, files: selectiveFiles((op) => broken && op === 'write') })
    await store.load()
    for (let round = 0; round < 2; round++) {
      broken = true
      const before = Date.now()
      store.put('state', 'a', round)
      await expect(store.commit()).rejects.toThrow(StoreWriteError)
      const since = store.health().since!
      expect(since).toBeGreaterThanOrEqual(before)
      expect(since).toBeLessThanOrEqual(Date.now())
      await new Promise((resolve) => setTimeout(resolve, 30))
      store.put('state', 'b', round)
      await expect(store.commit()).rejects.toThrow(StoreWriteError)
      expect(store.health().since).toBe(since)
      broken = false
      await expect.poll(() => store.health().ok, { timeout: 5000 }).toBe(true)
    }
    await store.close()
    // The probe lines in the log are no change of state.
    const again = new LowdbStore({ file })
    await again.load()
    expect(again.values('state')).toEqual([])
    await again.close()
  })

  it('a batch written whole but not fsynced is cut off the log before the next write: a restart never replays it', async () => {
    const file = dataFile()
    let broken = false
    const files = selectiveFiles(() => false)
    const open = files.openForWrite
    files.openForWrite = async (path, options) => {
      const handle = await open(path, options)
      // EIO at fsync after every byte of the batch reached the page cache, as a failing disk does.
      return {
        ...handle,
        datasync: () => (broken ? Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })) : handle.datasync()),
      }
    }
    const store = new LowdbStore({ file, probeEveryMs: 60_000, files })
    await store.load()
    store.put('transactions', 't1', { id: 't1' })
    await store.commit()
    broken = true
    // Longer than what comes next, so leftovers of it would follow the next write in the file.
    store.put('transactions', 't2', { id: 't2', pad: 'x'.repeat(500) })
    await expect(store.commit()).rejects.toThrow(StoreWriteError)
    broken = false
    store.put('transactions', 't3', { id: 't3' })
    await store.commit()
    const log = readFileSync(`${file}.log`, 'utf8')
    expect(log).not.toContain('t2')
    expect(log.endsWith('\n')).toBe(true)
    await store.close()
    const again = new LowdbStore({ file })
    await again.load()
    expect(again.values('transactions')).toEqual([{ id: 't1' }, { id: 't3' }])
    await again.close()
  })

  it('a rollback that cannot read the durable state says so, and what to do', async () => {
    const file = dataFile()
    let broken = false
    const store = new LowdbStore({
      file,
      probeEveryMs: 60_000,
      files: selectiveFiles((op) => broken && op === 'write'),
    })
    await store.load()
    store.put('state', 'a', 1)
    await store.commit()
    writeFileSync(file, '{broken') // the disk damaged the snapshot meanwhile
    broken = true
    store.put('state', 'a', 2)
    await expect(store.commit()).rejects.toThrow(StoreWriteError)
    expect(store.health().reason).toMatch(
      /^could not write the sandbox state to .*\. Rolling back the unsaved changes also failed \(the sandbox state file .* cannot be trusted: .*\); restart the sandbox once the disk is fixed\.$/,
    )
    broken = false
    await store.close()
  })

  it('a start refused for a damaged file leaves no lock behind', async () => {
    const file = dataFile()
    writeFileSync(file, '{broken')
    await expect(new LowdbStore({ file }).load()).rejects.toThrow(/cannot be trusted/)
    expect(existsSync(`${file}.lock`)).toBe(false)
  })
})

describe('files left behind', () => {
  it('a repair keeps the originals in db.json.repair-<time>/', async () => {
    const file = dataFile()
    writeFileSync(file, 'null')
    const store = new LowdbStore({ file, repair: true })
    await store.load()
    expect(basename(store.repaired!.folder)).toMatch(/^db\.json\.repair-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/)
    expect(store.repaired!.dropped).toEqual([
      { file, line: 1, text: 'null', why: "holds null, not the sandbox's collections (an object)" },
    ])
    await store.close()
  })

  it('a repair with no snapshot yet keeps the log it repaired and a dropped.jsonl of what went, one JSON per line', async () => {
    const file = dataFile()
    const damaged = '{"c":"transactions","id":"t2","v":{"id":'
    writeFileSync(
      `${file}.log`,
      [
        '{"log":2}',
        '{"c":"transactions","id":"t1","v":{"id":"t1"}}',
        '{"commit":1}',
        damaged,
        '{"commit":2}',
        '{"c":"transactions","id":"t3","v":{"id":"t3"}}',
        '{"commit":3}',
        '{"c":"jobs",',
        '{"commit":4}',
        '',
      ].join('\n'),
    )
    const original = readFileSync(`${file}.log`, 'utf8')
    const store = new LowdbStore({ file, repair: true })
    await store.load()
    expect(store.values('transactions')).toEqual([{ id: 't1' }, { id: 't3' }])
    const kept = store.repaired!.folder
    expect(readdirSync(kept).sort()).toEqual(['db.json.log', 'dropped.jsonl'])
    expect(readFileSync(join(kept, 'db.json.log'), 'utf8')).toBe(original)
    const dropped = readFileSync(join(kept, 'dropped.jsonl'), 'utf8')
    expect(dropped.endsWith('\n')).toBe(true)
    expect(
      dropped
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(store.repaired!.dropped)
    expect(store.repaired!.dropped).toHaveLength(2)
    expect(store.repaired!.dropped[0]).toMatchObject({ file: `${file}.log`, line: 4, text: damaged })
    expect(store.repaired!.dropped[1]).toMatchObject({ file: `${file}.log`, line: 8, text: '{"c":"jobs",' })
    await store.close()
  })

  it('only <file>.log.<number> is a rotated log: a copy named otherwise beside it is neither replayed nor removed', async () => {
    const file = dataFile()
    const log = (id: string) => `{"log":2}\n{"c":"transactions","id":"${id}","v":{"id":"${id}"}}\n{"commit":1}\n`
    writeFileSync(`${file}.log.2`, log('t2'))
    writeFileSync(`${file}.log.2.bak`, log('from-bak'))
    writeFileSync(`${file}.log.old3`, log('from-old'))
    const store = new LowdbStore({ file })
    await store.load()
    expect(store.values('transactions')).toEqual([{ id: 't2' }])
    await store.close()
    expect(folder(file)).toEqual(['db.json', 'db.json.log', 'db.json.log.2.bak', 'db.json.log.old3'])
  })

  it('a pretty-printed snapshot damaged on line 3 is named by that line', async () => {
    const file = dataFile()
    writeFileSync(file, '{\n"state": {"a": 1}\n"b": 2\n}')
    await expect(new LowdbStore({ file }).load()).rejects.toMatchObject({ line: 3 })
  })

  it('a legacy snapshot is rewritten one record per line on load', async () => {
    const file = dataFile()
    writeFileSync(file, JSON.stringify({ state: { a: 1, b: { c: 2 } } }, null, 2))
    const store = new LowdbStore({ file })
    await store.load()
    await store.close()
    expect(readFileSync(file, 'utf8')).toBe(
      '{\n"transactions":{\n},\n"deliveries":{\n},\n"jobs":{\n},\n"merchants":{\n},\n"counters":{\n},\n"state":{\n"a":1,\n"b":{"c":2}\n}\n}\n',
    )
  })

  it('the snapshot adapter reads what it wrote, and nothing when there is no file', async () => {
    const file = dataFile()
    const adapter = new SnapshotFile(file, nodeFiles)
    expect(await adapter.read()).toBeNull()
    const data = emptyMaps()
    data.counters.set('n', 3)
    data.state.set('gone', undefined)
    await adapter.write(data)
    const read = (await adapter.read())!
    expect([...read.counters]).toEqual([['n', 3]])
    expect([...read.state]).toEqual([])
    expect(existsSync(`${file}.tmp`)).toBe(false)
  })
})
