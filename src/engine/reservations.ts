import type { Context, Env, MiddlewareHandler } from 'hono'
import type { Store } from './store.js'
import type { Transactions } from './transactions.js'
import type { Transaction } from './types.js'

/**
 * A merchant's reference as a duplicate check sees it. `scope` separates references a provider
 * keeps apart (PayAtom's pay-in and payout `order_id`s, ECommPay's payments and refunds).
 */
export interface ReferenceClaim {
  provider: string
  merchant: string
  reference: string
  scope?: string
}

/**
 * References claimed by requests in flight. A duplicate check claims its reference before any
 * scenario latency or fault, so a second request with the same reference is refused even while
 * the first one waits; the claim ends with the request, by which time its transaction (if any) is
 * stored and indexed and holds the reference itself. Claims live in memory only: after a restart
 * the stored transactions hold their references.
 *
 * @example
 * const release = engine.reservations.claim({ provider: 'connecx', merchant: '3568224497743', reference: 'abc' })
 * if (!release) return refuse('E2046')   // stored, or claimed by a request in flight
 * try { await process() } finally { release() }
 */
export class ReferenceReservations {
  private held = new Map<string, symbol>()

  constructor(private readonly engine: { transactions: Pick<Transactions, 'byReference'> }) {}

  /**
   * Claims a reference atomically (check and claim happen in one synchronous step). Returns the
   * function that releases the claim, or undefined when the reference is taken: a stored
   * transaction of the merchant with this reference `holds` it (default: any), or a request in
   * flight claimed it.
   */
  claim(claim: ReferenceClaim, holds: (tx: Transaction) => boolean = () => true): (() => void) | undefined {
    const key = [claim.provider, claim.merchant, claim.reference, claim.scope ?? ''].join('\0')
    if (this.held.has(key)) return undefined
    if (this.engine.transactions.byReference(claim.provider, claim.merchant, claim.reference).some(holds))
      return undefined
    const token = Symbol(key)
    this.held.set(key, token)
    return () => {
      if (this.held.get(key) === token) this.held.delete(key)
    }
  }

  /** Number of references claimed by requests in flight (tests, health). */
  get size(): number {
    return this.held.size
  }
}

/**
 * Claims of each request in flight, kept on its Hono context (the request object may be replaced
 * on the way): a property rather than a WeakMap entry, which cost more per request.
 */
const RELEASES = Symbol('psp-sandbox.releases')
type WithReleases = { [RELEASES]?: Array<() => void> }

/**
 * Middleware of every provider path: claims made with `reserveReference` during a request are
 * released when the request ends, whatever happened (answer, refusal, fault, error).
 */
export function releaseReservations(): MiddlewareHandler {
  return async (c, next) => {
    const releases: Array<() => void> = []
    ;(c as WithReleases)[RELEASES] = releases
    try {
      await next()
    } finally {
      for (const release of releases) release()
      ;(c as WithReleases)[RELEASES] = undefined
    }
  }
}

/**
 * The duplicate check of a provider route: claims `claim` for the rest of this request. False
 * when the reference is already taken (stored or claimed by a request in flight): answer the
 * provider's duplicate error then. With a store shared by several replicas the claim is also
 * taken in the database (a unique key, so of concurrent duplicates on different replicas one
 * wins), then the replica catches up with the others' commits and checks the stored
 * transactions again.
 *
 * @example
 * if (!(await reserveReference(c, engine, { provider: PROVIDER, merchant: merchant.id, reference: paymentRef })))
 *   return refuse(c, 'E2046', `paymentRef "${paymentRef}" was already used`)
 */
export async function reserveReference<E extends Env>(
  c: Context<E>,
  engine: {
    reservations: ReferenceReservations
    store: Pick<Store, 'shared'>
    transactions: Pick<Transactions, 'byReference'>
  },
  claim: ReferenceClaim,
  holds: (tx: Transaction) => boolean = () => true,
): Promise<boolean> {
  const releases = (c as WithReleases)[RELEASES]
  if (!releases)
    throw new Error(
      `reserveReference called outside a provider path (${c.req.path}): mount releaseReservations() in front of the route`,
    )
  const release = engine.reservations.claim(claim, holds)
  if (!release) return false
  releases.push(release)
  const shared = engine.store.shared
  if (!shared) return true
  const key = JSON.stringify([claim.provider, claim.merchant, claim.reference, claim.scope ?? ''])
  if (!(await shared.claimReference(key))) return false
  releases.push(() => shared.releaseReference(key))
  // Whoever held the claim before committed its transaction before letting go: it is visible now.
  await shared.sync()
  return !engine.transactions.byReference(claim.provider, claim.merchant, claim.reference).some(holds)
}
