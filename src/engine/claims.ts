import type { Store } from './store.js'

/**
 * Due work on a shared store runs on one replica at a time: before a timeline step or callback
 * attempt runs, its replica claims it for a lease and catches up with the others' commits; a
 * claim held elsewhere is tried again when its lease ends (the holder may have died), by which
 * time the work is usually done and the retry finds nothing to do. With the embedded store
 * (`store.shared` absent) nothing here is ever called.
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
        try {
          await shared.sync()
          return () => shared.release(kind, id)
        } catch {
          shared.release(kind, id)
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
