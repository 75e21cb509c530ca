import {
  closeSync,
  linkSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'

/**
 * Another running process holds the lock of a `--data` file. Two processes appending to the same
 * change log would each overwrite the other's writes, so the second one refuses to start.
 */
export class StoreLockedError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly pid: number,
  ) {
    super(message)
    this.name = 'StoreLockedError'
  }
}

/** What a lock file holds: who took it, from which machine, and when. */
interface LockOwner {
  pid: number
  host: string
  since: string
  /** Tells two stores of one process apart, so that each releases only its own lock. */
  token?: string
}

/**
 * An exclusive lock on a state file: `<file>.lock` holding the owner's pid, host name and start
 * time. Taken with an atomic `link` (it fails when the lock exists), so of two processes starting
 * at once exactly one wins. A lock whose process no longer exists (left by `kill -9` or a crash)
 * is stale and taken over; a lock held by this very process (an earlier store on the same file
 * that was never closed) is taken over too. The owner touches the file every 10 s: a lock from
 * another host (a container since replaced) is stale once untouched for a minute.
 *
 * @example
 * const lock = FileLock.acquire('.psp-sandbox/db.json') // throws StoreLockedError when held
 * …
 * lock.release()
 */
/** The owner touches its lock this often, so another host can tell a live lock from one left behind. */
const HEARTBEAT_MS = 10_000
/** A lock from another host untouched for this long is stale (its owner stopped without releasing it). */
const FOREIGN_STALE_MS = 60_000

export class FileLock {
  private released = false
  private readonly onExit = () => this.release()
  private readonly heartbeat: NodeJS.Timeout

  private constructor(
    readonly path: string,
    private readonly token: string,
    /** The stale owner this lock was taken over from, if any (for the start-up message). */
    readonly tookOverFrom?: LockOwner,
  ) {
    process.once('exit', this.onExit)
    this.heartbeat = setInterval(() => {
      try {
        const now = new Date()
        utimesSync(path, now, now)
      } catch {
        /* a failing disk: the store reports it; the lock only looks older */
      }
    }, HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  /** Takes the lock of `file` or throws {@link StoreLockedError} naming the process that holds it. */
  static acquire(file: string): FileLock {
    const path = `${file}.lock`
    const token = randomBytes(8).toString('hex')
    const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token }
    let stale: LockOwner | undefined
    // Something other than a file where the lock goes (a folder, say) would be moved aside and
    // then fail to unlink with a bare EISDIR: refuse it in plain words instead.
    const there = lstatSync(path, { throwIfNoEntry: false })
    if (there && !there.isFile())
      throw new StoreLockedError(
        `the sandbox keeps the lock of its state ${file} in ${path}, but that is a ${there.isDirectory() ? 'folder' : there.isSymbolicLink() ? 'symbolic link' : 'special file'}, not a lock file. Remove it (nothing of the sandbox's is in it), or give this process another --data path.`,
        file,
        -1,
      )
    for (let attempt = 0; attempt < 5; attempt++) {
      if (tryCreate(path, me)) return new FileLock(path, token, stale)
      const owner = readOwner(path)
      if (owner === 'gone') continue // released between our two steps: try again
      if (owner && isAlive(owner, path)) {
        throw new StoreLockedError(
          `the sandbox state ${file} is in use by another psp-sandbox process (pid ${owner.pid} on ${owner.host}, since ${owner.since}; lock file ${path}). Two processes on the same file would lose each other's writes. Stop the other process, or give this one another --data path (or --data memory).`,
          file,
          owner.pid,
        )
      }
      // Stale (its process is gone) or unreadable: move it aside, and remove it only if it is
      // still the one we judged stale (another starter may have taken over meanwhile).
      const aside = `${path}.stale-${process.pid}`
      try {
        renameSync(path, aside)
      } catch {
        continue
      }
      const moved = readOwner(aside)
      const same = moved !== 'gone' && (moved?.pid ?? -1) === (owner ? owner.pid : -1)
      if (same) {
        stale = owner ?? undefined
        unlinkSync(aside)
      } else {
        // We moved a fresh lock: put it back where it was (link fails if yet another one exists).
        try {
          linkSync(aside, path)
        } catch {
          /* a newer lock exists: it wins */
        }
        unlinkSync(aside)
      }
    }
    throw new StoreLockedError(
      `could not take the lock ${path} of the sandbox state ${file}: other processes keep taking it. Stop them, or give this one another --data path.`,
      file,
      -1,
    )
  }

  /** Removes the lock file (only if it is still ours). Called by `close()` and at process exit. */
  release(): void {
    if (this.released) return
    this.released = true
    clearInterval(this.heartbeat)
    process.removeListener('exit', this.onExit)
    const owner = readOwner(this.path)
    if (owner && owner !== 'gone' && owner.token === this.token) {
      try {
        unlinkSync(this.path)
      } catch {
        /* already gone */
      }
    }
  }
}

/** Writes the owner to a private file, then links it to `path`: atomic, and fails when `path` exists. */
function tryCreate(path: string, me: LockOwner): boolean {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`
  const fd = openSync(tmp, 'wx', 0o644)
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`)
  } finally {
    closeSync(fd)
  }
  try {
    linkSync(tmp, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    unlinkSync(tmp)
  }
}

/** The owner written in a lock file; `undefined` when unreadable, `'gone'` when there is no file. */
function readOwner(path: string): LockOwner | undefined | 'gone' {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined
  }
  try {
    const owner = JSON.parse(text) as LockOwner
    return Number.isInteger(owner?.pid) ? owner : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether the lock's owner may still be running. A lock of this process, or of a process that
 * no longer exists, is stale. A lock written on another host (another container on a shared
 * volume) is held while its owner keeps touching it, and stale once untouched for a minute.
 */
function isAlive(owner: LockOwner, path: string): boolean {
  if (owner.host !== hostname()) {
    try {
      return Date.now() - statSync(path).mtimeMs < FOREIGN_STALE_MS
    } catch {
      return false
    }
  }
  if (owner.pid === process.pid) return false
  try {
    process.kill(owner.pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return !isZombie(owner.pid)
}

/** A process killed but not yet reaped by its parent still answers `kill(pid, 0)` (Linux: state Z). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z'
  } catch {
    return false
  }
}
