import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { LowdbStore } from '../../src/engine/store-lowdb.js'
import { faultyFiles } from './faulty-files.js'
import { storeContract } from './store-contract.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

storeContract('lowdb with a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-contract-'))
  dirs.push(dir)
  const file = join(dir, 'db.json')
  const disk = faultyFiles()
  return {
    open: () => new LowdbStore({ file, files: disk.files, compactBytes: 4096 }),
    reopen: () => new LowdbStore({ file }),
    fail: () => disk.fail('ENOSPC'),
    heal: () => disk.heal(),
  }
})

storeContract('lowdb in memory', () => ({ open: () => new LowdbStore() }))
