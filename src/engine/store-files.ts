import { closeSync, openSync, readSync, constants } from 'node:fs'
import { open, readdir, rename, unlink } from 'node:fs/promises'

/**
 * The few file operations the embedded store performs, as one replaceable layer. The default is
 * `node:fs`; tests wrap it to inject real-looking failures (ENOSPC on the next write, EIO on
 * fsync) without mocking the store itself.
 *
 * @example
 * const files = faultyFiles(nodeFiles)     // a test's wrapper
 * new LowdbStore({ file: 'db.json', files })
 */
export interface StoreFiles {
  /**
   * Opens for reading and writing at explicit positions, creating the file when missing. With
   * `durable`, each write is on disk when it returns (`O_DSYNC`: the write and its fsync in one
   * system call, one trip to the thread pool instead of two) and `datasync` has nothing left to do.
   */
  openForWrite(path: string, options?: { durable?: boolean }): Promise<StoreFileHandle>
  rename(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
  /** Names in a folder. */
  list(dir: string): Promise<string[]>
  /** Makes a rename or unlink in `dir` durable (fsync of the folder). */
  syncDir(dir: string): Promise<void>
}

export interface StoreFileHandle {
  /** Writes `length` bytes of `buffer` from `offset` at `position`; may write fewer (a short write). */
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>
  /** fsync of the data (and the size); for a handle opened `durable`, already done by each write. */
  datasync(): Promise<void>
  truncate(length: number): Promise<void>
  size(): Promise<number>
  close(): Promise<void>
}

const O_DSYNC = typeof constants.O_DSYNC === 'number' ? constants.O_DSYNC : 0

/** The real file system. */
export const nodeFiles: StoreFiles = {
  async openForWrite(path, options) {
    // Where the platform has no O_DSYNC (Windows), each write is followed by a real datasync.
    const durable = options?.durable === true && O_DSYNC !== 0
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT | (durable ? O_DSYNC : 0), 0o644)
    return {
      write: (buffer, offset, length, position) => handle.write(buffer, offset, length, position),
      datasync: durable ? () => Promise.resolve() : () => handle.datasync(),
      truncate: (length) => handle.truncate(length),
      size: async () => (await handle.stat()).size,
      close: () => handle.close(),
    }
  },
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  list: (dir) => readdir(dir),
  async syncDir(dir) {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
}

/**
 * Writes all of `buffer` at `position`, retrying short writes. A write that makes no progress
 * fails with ENOSPC, as the kernel would on the next try.
 */
export async function writeFully(handle: StoreFileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0
  while (done < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, done, buffer.length - done, position + done)
    if (!(bytesWritten > 0))
      throw Object.assign(new Error(`no space left on device: a write at byte ${position + done} wrote nothing`), {
        code: 'ENOSPC',
      })
    done += bytesWritten
  }
}

/**
 * Reads a file line by line (synchronously, 1 MiB at a time, so a large file never sits in
 * memory whole). `visit` gets each line without its `\n`, its 1-based number, and whether the
 * line was terminated by `\n` (only the last line may not be). Returns the number of lines.
 */
export function readLinesSync(
  path: string,
  visit: (line: string, lineNumber: number, terminated: boolean, endOffset: number) => void,
  limit = Infinity,
): number {
  const fd = openSync(path, 'r')
  const chunk = Buffer.allocUnsafe(1024 * 1024)
  let rest = Buffer.alloc(0)
  let lineNumber = 0
  let offset = 0
  try {
    for (;;) {
      const want = Math.min(chunk.length, limit - offset - rest.length)
      const n = want > 0 ? readSync(fd, chunk, 0, want, null) : 0
      const data = rest.length ? Buffer.concat([rest, chunk.subarray(0, n)]) : chunk.subarray(0, n)
      let start = 0
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        offset += nl - start + 1
        visit(data.toString('utf8', start, nl), ++lineNumber, true, offset)
        start = nl + 1
      }
      rest = Buffer.from(data.subarray(start))
      if (n === 0) {
        if (rest.length) visit(rest.toString('utf8'), ++lineNumber, false, offset + rest.length)
        return lineNumber
      }
    }
  } finally {
    closeSync(fd)
  }
}
