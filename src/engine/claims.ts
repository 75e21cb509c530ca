import type { Store } from './store.js'

/**
 * Due work on a shared store runs on one replica at a time: before a timeline step or callback
 * attempt runs, its replica claims it for a lease and catches up with the others' commits; a
 * claim held elsewhere is tried again when its lease ends (the holder may have died), by which
 * time the work is usually done and the retry finds nothing to do. With the embedded store
 * (`store.shared` absent) nothing here is ever called.
 *
 * A claim is renewed every third of its lease while its work runs, so an attempt slower than the
 * lease (a slow merchant, a loaded machine) is not taken over and sent twice; a replica that dies
 * stops renewing, and another takes the work once the lease ends.
 *
 * @example
 * const release = await claims.take('deliveries', id, () => this.attempt(id))
 * if (!release) return          // another replica has it; retried after its lease
 * try { await deliver() } finally { release() }
 */
export class DueClaims {
  private retries = new Set<NodeJS.Timeout>()

  constructor(private readonly store: Store) {}

  /** Claims the work and syncs; returns the release, or undefined (then `retry` runs later). */
  async take(kind: 'jobs' | 'deliveries', id: string, retry: () => unknown): Promise<(() => void) | undefined> {
    const shared = this.store.shared!
    let waitMs: number
    try {
      const claim = await shared.claim(kind, id)
      if (claim.claimed) {
        const renewal = setInterval(() => void shared.claim(kind, id).catch(() => {}), shared.leaseMs / 3)
        renewal.unref()
        const release = () => {
          clearInterval(renewal)
          shared.release(kind, id)
        }
        try {
          await shared.sync()
          return release
        } catch {
          release()
          waitMs = 1000
        }
      } else waitMs = claim.retryInMs
    } catch {
      waitMs = 1000 // the database does not answer: try again shortly
    }
    const timer = setTimeout(() => {
      this.retries.delete(timer)
      void Promise.resolve()
        .then(retry)
        .catch(() => {})
    }, waitMs)
    timer.unref()
    this.retries.add(timer)
    return undefined
  }

  cancelAll(): void {
    for (const t of this.retries) clearTimeout(t)
    this.retries.clear()
  }
}
