import {
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeFiles, readLinesSync, writeFully } from '../../src/engine/store-files.js'

/**
 * The store's file layer on real files: how the log and snapshot are read back line by line (the
 * offsets recovery cuts a damaged tail at), and how a write that the disk takes only in part is
 * finished or fails.
 */
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function file(content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-files-'))
  dirs.push(dir)
  const path = join(dir, 'db.log')
  writeFileSync(path, content)
  return path
}
type Line = [line: string, number: number, terminated: boolean, endOffset: number]
function lines(path: string, limit?: number): { seen: Line[]; count: number } {
  const seen: Line[] = []
  const count = readLinesSync(path, (...line) => void seen.push(line), limit)
  return { seen, count }
}

describe('readLinesSync', () => {
  it('gives each line without its \\n, its number, whether it ended with \\n, and the byte offset after it', () => {
    expect(lines(file('a\nbb\n\nccc'))).toEqual({
      seen: [
        ['a', 1, true, 2],
        ['bb', 2, true, 5],
        ['', 3, true, 6],
        ['ccc', 4, false, 9],
      ],
      count: 4,
    })
    expect(lines(file('a\nbb\n'))).toEqual({
      seen: [
        ['a', 1, true, 2],
        ['bb', 2, true, 5],
      ],
      count: 2,
    })
    expect(lines(file(''))).toEqual({ seen: [], count: 0 })
  })

  it('counts offsets in bytes, not characters', () => {
    expect(lines(file('{"n":"é€"}\nx\n')).seen).toEqual([
      ['{"n":"é€"}', 1, true, 14],
      ['x', 2, true, 16],
    ])
  })

  it('reads a line that spans its 1 MiB reads whole, and the lines after it', () => {
    const long = 'x'.repeat(1024 * 1024 + 10)
    const { seen, count } = lines(file(`a\n${long}\nb\nc`))
    expect(count).toBe(4)
    expect(seen.map(([line, n, terminated, end]) => [line.length, n, terminated, end])).toEqual([
      [1, 1, true, 2],
      [long.length, 2, true, 2 + long.length + 1],
      [1, 3, true, 2 + long.length + 3],
      [1, 4, false, 2 + long.length + 4],
    ])
    expect(seen[1][0]).toBe(long)
  })

  it('stops at `limit` bytes: a line cut by the limit comes last, unterminated', () => {
    const path = file('a\nbb\nccc\n')
    expect(lines(path, 5)).toEqual({
      seen: [
        ['a', 1, true, 2],
        ['bb', 2, true, 5],
      ],
      count: 2,
    })
    expect(lines(path, 4)).toEqual({
      seen: [
        ['a', 1, true, 2],
        ['bb', 2, false, 4],
      ],
      count: 2,
    })
    expect(lines(path, 0)).toEqual({ seen: [], count: 0 })
  })
})

describe('writeFully', () => {
  /** A real file whose writes the "disk" takes at most `max` bytes at a time (0: none at all). */
  async function shortWrites(max: number) {
    const path = file('')
    const handle = await nodeFiles.openForWrite(path)
    const calls: Array<[offset: number, length: number, position: number]> = []
    return {
      path,
      calls,
      handle: {
        ...handle,
        write: (buffer: Buffer, offset: number, length: number, position: number) => {
          calls.push([offset, length, position])
          return handle.write(buffer, offset, Math.min(length, max), position)
        },
      },
      close: () => handle.close(),
    }
  }

  it('finishes a write the disk takes in short pieces, each piece at its place', async () => {
    const disk = await shortWrites(4)
    await writeFully(disk.handle, Buffer.from('0123456789'), 3)
    await disk.close()
    expect(readFileSync(disk.path, 'latin1')).toBe('\0\0\x000123456789')
    expect(disk.calls).toEqual([
      [0, 10, 3],
      [4, 6, 7],
      [8, 2, 11],
    ])
  })

  it('fails with ENOSPC, naming the byte, when a write makes no progress', async () => {
    const disk = await shortWrites(0)
    await expect(writeFully(disk.handle, Buffer.from('abc'), 7)).rejects.toMatchObject({
      code: 'ENOSPC',
      message: 'no space left on device: a write at byte 7 wrote nothing',
    })
    await disk.close()
    const half = await shortWrites(2)
    const write = half.handle.write
    let first = true
    half.handle.write = (buffer, offset, length, position) => {
      if (first) return ((first = false), write(buffer, offset, length, position))
      return Promise.resolve({ bytesWritten: 0 })
    }
    await expect(writeFully(half.handle, Buffer.from('abcdef'), 10)).rejects.toThrow(
      'no space left on device: a write at byte 12 wrote nothing',
    )
    await half.close()
  })
})

describe('openForWrite', () => {
  /** The open flags (octal, as Linux reports them in /proc) of this process's descriptor of `path`. */
  function flagsOf(path: string): number | undefined {
    for (const fd of readdirSync('/proc/self/fd')) {
      let target: string
      try {
        target = readlinkSync(`/proc/self/fd/${fd}`)
      } catch {
        continue
      }
      if (target !== realpathSync(path)) continue
      const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))
      return flags ? parseInt(flags[1], 8) : undefined
    }
    return undefined
  }

  it.runIf(process.platform === 'linux')(
    'opens the log O_DSYNC when asked to (each write on disk when it returns), and other files without',
    async () => {
      const durablePath = file('')
      const durable = await nodeFiles.openForWrite(durablePath, { durable: true })
      const plainPath = join(durablePath, '..', 'db.json.tmp')
      const plain = await nodeFiles.openForWrite(plainPath)
      try {
        expect(flagsOf(durablePath)! & constants.O_DSYNC).toBe(constants.O_DSYNC)
        expect(flagsOf(plainPath)! & constants.O_DSYNC).toBe(0)
        await writeFully(durable, Buffer.from('line\n'), 0)
        await durable.datasync()
        expect(readFileSync(durablePath, 'utf8')).toBe('line\n')
      } finally {
        await durable.close()
        await plain.close()
      }
    },
  )
})
