import { basename } from 'node:path'
import { nodeFiles, type StoreFiles } from '../../src/engine/store-files.js'

/**
 * The real file layer with a switch that makes it fail as a sick disk does: `ENOSPC` (the write
 * gets half its bytes out, then the disk is full), `EIO` (fsync reports an I/O error) or `EROFS`
 * (the file system turned read-only: opens and writes fail). Everything else is real `node:fs`.
 *
 * @example
 * const disk = faultyFiles()
 * createSandbox({ data, store: { files: disk.files } })
 * disk.fail('ENOSPC') … disk.heal()
 */
export function faultyFiles() {
  let code: 'ENOSPC' | 'EIO' | 'EROFS' | undefined
  const ops: string[] = []
  const error = (what: string) =>
    Object.assign(new Error(`${code}: ${what} (injected)`), { code, errno: code === 'ENOSPC' ? -28 : -5 })
  const files: StoreFiles = {
    async openForWrite(path, options) {
      if (code === 'EROFS') throw error(`open ${basename(path)}`)
      const handle = await nodeFiles.openForWrite(path, options)
      return {
        async write(buffer, offset, length, position) {
          if (code === 'EROFS') throw error('write')
          if (code === 'ENOSPC') {
            // A short write first (what the kernel does at the edge), then nothing fits.
            if (length > 1 && !(buffer as Buffer & { torn?: boolean }).torn) {
              ;(buffer as Buffer & { torn?: boolean }).torn = true
              return handle.write(buffer, offset, Math.floor(length / 2), position)
            }
            throw error('write')
          }
          return handle.write(buffer, offset, length, position)
        },
        async datasync() {
          if (code === 'EIO' || code === 'EROFS') throw error('fsync')
          ops.push(`datasync ${basename(path)}`)
          return handle.datasync()
        },
        truncate: (length) => handle.truncate(length),
        size: () => handle.size(),
        close: () => handle.close(),
      }
    },
    async rename(from, to) {
      if (code) throw error('rename')
      ops.push(`rename ${basename(from)} ${basename(to)}`)
      return nodeFiles.rename(from, to)
    },
    async unlink(path) {
      if (code === 'EROFS' || code === 'EIO') throw error('unlink')
      ops.push(`unlink ${basename(path)}`)
      return nodeFiles.unlink(path)
    },
    list: (dir) => nodeFiles.list(dir),
    async syncDir(dir) {
      if (code === 'EIO' || code === 'EROFS') throw error('fsync dir')
      ops.push('syncDir')
      return nodeFiles.syncDir(dir)
    },
  }
  return {
    files,
    /** File operations done so far, in order (`datasync db.json.tmp`, `rename …`, `syncDir`, `unlink …`). */
    ops,
    fail(next: 'ENOSPC' | 'EIO' | 'EROFS') {
      code = next
    },
    heal() {
      code = undefined
    },
  }
}
