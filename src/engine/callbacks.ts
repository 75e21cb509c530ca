import { parseDuration } from './duration.js'
import { DueClaims } from './claims.js'
import type { AnyProvider, CallbackRequest, CallbackResponse } from './provider.js'
import type { Delivery, DeliveryAttempt } from './types.js'

export type { Delivery, DeliveryAttempt } from './types.js'
import type { Clock, TimerHandle } from './clock.js'
import type { EngineEvents } from './events.js'
import type { Journal } from './journal.js'
import type { Transactions } from './transactions.js'
import type { Merchants } from './merchants.js'
import type { Store } from './store.js'
import type { CallbackOptions, Transaction } from './types.js'

export type { CallbackOptions } from './types.js'

/** What `Callbacks` uses of the engine. */
export interface CallbacksDeps {
  store: Store
  clock: Pick<Clock, 'now' | 'schedule'>
  journal: Pick<Journal, 'record' | 'draft' | 'note'>
  events: Pick<EngineEvents, 'emit'>
  merchants: Pick<Merchants, 'get'>
  transactions: Pick<Transactions, 'get'>
  provider(id: string): AnyProvider
  /** Why a URL must not be called (it loops back into the sandbox), or undefined. */
  loopGuard(url: string): Promise<string | undefined>
}

/** Sends one callback and returns what came back. Replace it to deliver in-process. */
export type Deliver = (request: CallbackRequest) => Promise<CallbackResponse>

/**
 * The callback delivery queue: delay, the provider's acknowledgement rule, retries on the
 * provider's schedule (read from the sandbox clock), persistence across restarts, redelivery, a
 * delivery log, and a loop guard that never calls the sandbox's own provider paths.
 *
 * @example
 * await sandbox.clock.advance('2s')
 * sandbox.callbacks.list({ reference: 'abc123XYZ' })[0].state // 'acknowledged'
 */
export class Callbacks {
  private timers = new Map<string, TimerHandle>()
  private inFlight = new Map<string, Promise<Delivery>>()
  private readonly claims: DueClaims

  constructor(
    private readonly engine: CallbacksDeps,
    private readonly deliver: Deliver,
  ) {
    this.claims = new DueClaims(engine.store)
  }

  /** Builds the callback the transaction's current status implies and schedules its copies. */
  enqueue(tx: Transaction, options: CallbackOptions): Delivery[] {
    const provider = this.engine.provider(tx.provider)
    const merchant = this.engine.merchants.get(tx.provider, tx.merchant)
    if (!merchant) return []
    const request = provider.callbacks.build(tx, merchant, { signature: options.signature })
    if (!request) return []
    const now = this.engine.clock.now()
    const out: Delivery[] = []
    for (let i = 0; i < options.copies; i++) {
      const delivery: Delivery = {
        id: `cb-${this.engine.store.nextCounter('delivery')}`,
        provider: tx.provider,
        merchant: tx.merchant,
        transactionId: tx.id,
        reference: tx.reference,
        event: request.event,
        signature: options.signature,
        request,
        createdAt: now,
        dueAt: now + options.delay,
        state: 'scheduled',
        attempts: [],
        failures: 0,
      }
      this.engine.store.put('deliveries', delivery.id, delivery)
      this.arm(delivery)
      out.push(delivery)
    }
    for (const delivery of out) this.engine.events.emit({ type: 'delivery', delivery })
    return out
  }

  /**
   * Schedules a new delivery of a callback already built: an identical `duplicate` (same bytes,
   * as a provider that sends twice), or a copy with a deliberately `invalid` signature (the
   * provider re-signs it wrongly; without a re-signer, the callback the transaction's current
   * status implies is built with a bad signature). It goes out at once, with its own retries.
   *
   * @example
   * await engine.callbacks.copy('cb-1', 'invalid') // the merchant must refuse this one
   */
  async copy(id: string, kind: 'duplicate' | 'invalid'): Promise<Delivery | undefined> {
    const original = this.get(id)
    if (!original) return undefined
    const { engine } = this
    let request = original.request
    if (kind === 'invalid') {
      const provider = engine.provider(original.provider)
      const merchant = engine.merchants.get(original.provider, original.merchant)
      const tx = engine.transactions.get(original.transactionId)
      if (!merchant) throw new Error(`merchant ${original.provider}/${original.merchant} no longer exists`)
      const resigned = provider.callbacks.resign
        ? provider.callbacks.resign(request, merchant, { signature: 'invalid' })
        : tx && provider.callbacks.build(tx, merchant, { signature: 'invalid' })
      if (!resigned) throw new Error(`${original.provider} sends no callback for the current status of ${tx?.id}`)
      request = resigned
    }
    const now = engine.clock.now()
    const delivery: Delivery = {
      ...original,
      id: `cb-${engine.store.nextCounter('delivery')}`,
      signature: kind === 'invalid' ? 'invalid' : original.signature,
      request,
      createdAt: now,
      dueAt: now,
      state: 'scheduled',
      attempts: [],
      failures: 0,
    }
    engine.store.put('deliveries', delivery.id, delivery)
    engine.journal.note(
      'admin',
      `${delivery.id}: ${kind === 'invalid' ? 'a badly signed copy' : 'a duplicate'} of ${id} scheduled`,
      {
        provider: delivery.provider,
        merchant: delivery.merchant,
        reference: delivery.reference,
        transactionId: delivery.transactionId,
      },
    )
    await engine.store.commit()
    engine.events.emit({ type: 'delivery', delivery })
    return this.attempt(delivery.id)
  }

  /** Arms the timer of a scheduled delivery (also used to resume after a restart). */
  arm(delivery: Delivery): void {
    this.timers.get(delivery.id)?.cancel()
    if (delivery.state !== 'scheduled') return
    this.timers.set(
      delivery.id,
      this.engine.clock.schedule(delivery.dueAt, () => this.attempt(delivery.id)),
    )
  }

  /** Delivers now, whatever its state; the retry schedule starts again if this attempt fails. */
  async redeliver(id: string): Promise<Delivery | undefined> {
    const delivery = this.get(id)
    if (!delivery) return undefined
    await this.inFlight.get(id)
    delivery.state = 'scheduled'
    delivery.failures = 0
    delivery.dueAt = this.engine.clock.now()
    this.engine.store.put('deliveries', id, delivery)
    this.timers.get(id)?.cancel()
    return this.attempt(id)
  }

  get(id: string): Delivery | undefined {
    return this.engine.store.get<Delivery>('deliveries', id)
  }

  /** Delivery log, newest first. */
  list(
    filter: { provider?: string; reference?: string; transactionId?: string; state?: Delivery['state'] } = {},
  ): Delivery[] {
    // The store's hint takes `undefined` for "any" (an empty string here means any as well).
    const { provider, reference, transactionId, state } = filter
    return this.engine.store
      .values<Delivery>('deliveries', {
        provider: provider || undefined,
        reference: reference || undefined,
        transactionId: transactionId || undefined,
        state: state || undefined,
      })
      .filter(
        (d) =>
          (!filter.provider || d.provider === filter.provider) &&
          (!filter.reference || d.reference === filter.reference) &&
          (!filter.transactionId || d.transactionId === filter.transactionId) &&
          (!filter.state || d.state === filter.state),
      )
      .sort((a, b) => b.createdAt - a.createdAt || Number(b.id.slice(3)) - Number(a.id.slice(3)))
  }

  /** Cancels every timer (reset and close). */
  cancelAll(): void {
    for (const t of this.timers.values()) t.cancel()
    this.timers.clear()
    this.claims.cancelAll()
  }

  /** Resolves when no attempt is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()])
  }

  private attempt(id: string): Promise<Delivery> {
    const running = this.inFlight.get(id)
    if (running) return running
    const work = this.run(id).finally(() => this.inFlight.delete(id))
    this.inFlight.set(id, work)
    return work
  }

  private async run(id: string): Promise<Delivery> {
    this.timers.delete(id)
    if (!this.engine.store.shared || this.get(id)?.state !== 'scheduled') return this.send(id)
    // Shared store: one replica sends it (and sees the others' commits first, so never twice).
    const release = await this.claims.take('deliveries', id, () => {
      const d = this.get(id)
      if (d?.state === 'scheduled') return this.attempt(id)
    })
    if (!release) return this.get(id)!
    try {
      return await this.send(id)
    } finally {
      release()
    }
  }

  private async send(id: string): Promise<Delivery> {
    const delivery = this.get(id)!
    if (!delivery || delivery.state !== 'scheduled') return delivery
    const { engine } = this
    try {
      // Never call out for a change that is not durable yet (a failed write takes the delivery back).
      await engine.store.commit()
    } catch {
      return delivery
    }
    if (this.get(id) !== delivery || delivery.state !== 'scheduled') return delivery
    const provider = engine.provider(delivery.provider)
    const started = engine.clock.now()
    const wall = Date.now()
    const attempt: DeliveryAttempt = { at: started, acknowledged: false, durationMs: 0 }
    if (delivery.attempts.length > 0 && provider.callbacks.resign) {
      const merchant = engine.merchants.get(delivery.provider, delivery.merchant)
      if (merchant)
        delivery.request = provider.callbacks.resign(delivery.request, merchant, { signature: delivery.signature })
    }
    const guard = await engine.loopGuard(delivery.request.url)
    if (guard) {
      attempt.error = guard
      delivery.state = 'refused'
    } else {
      try {
        const response = await this.deliver(delivery.request)
        attempt.status = response.status
        attempt.responseBody = response.body.slice(0, 2048)
        attempt.acknowledged = provider.callbacks.isAcknowledged(response)
        if (!attempt.acknowledged)
          attempt.error = `not acknowledged: ${provider.title} expects ${provider.callbacks.ackRule}; got HTTP ${response.status}${response.body ? ` with body ${JSON.stringify(response.body.slice(0, 200))}` : ' with an empty body'}`
      } catch (error) {
        attempt.error = describeNetworkError(error, delivery.request.url)
      }
    }
    attempt.durationMs = Date.now() - wall
    delivery.attempts.push(attempt)
    if (attempt.acknowledged) delivery.state = 'acknowledged'
    else if (delivery.state === 'scheduled') {
      const merchant = engine.merchants.get(delivery.provider, delivery.merchant)
      const schedule = (merchant?.callbackRetrySchedule as string[] | undefined) ?? provider.callbacks.retrySchedule
      delivery.failures++
      if (delivery.failures <= schedule.length) {
        delivery.dueAt = engine.clock.now() + parseDuration(schedule[delivery.failures - 1])
        this.arm(delivery)
      } else delivery.state = 'failed'
    }
    engine.store.put('deliveries', delivery.id, delivery)
    engine.journal.record(
      engine.journal.draft('callback', {
        provider: delivery.provider,
        method: delivery.request.method,
        path: delivery.request.url,
        status: attempt.status,
        merchant: delivery.merchant,
        reference: delivery.reference,
        transactionId: delivery.transactionId,
        requestBody: delivery.request.body,
        responseBody: attempt.responseBody,
        durationMs: attempt.durationMs,
        notes: [
          `${delivery.id} attempt ${delivery.attempts.length} (${delivery.event}${delivery.signature === 'invalid' ? ', deliberately bad signature' : ''}): ${attempt.acknowledged ? 'acknowledged' : attempt.error}`,
          delivery.state === 'scheduled'
            ? `next attempt at ${new Date(delivery.dueAt).toISOString()}`
            : `delivery ${delivery.state}`,
        ],
      }),
    )
    try {
      await engine.store.commit()
    } catch {
      /* the delivery log is best effort when the disk fails; the request path reports disk errors */
    }
    engine.events.emit({ type: 'delivery', delivery })
    return delivery
  }
}

function describeNetworkError(error: unknown, url: string): string {
  const e = error as Error & { code?: string; cause?: { code?: string; message?: string } }
  const code = e.code ?? e.cause?.code
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return `no answer from ${url} in time (the sandbox gives up on an attempt after its callback timeout)`
  if (code === 'ECONNREFUSED') return `connection refused by ${url}: is the merchant's listener running?`
  if (code === 'ENOTFOUND') return `the host of ${url} does not resolve`
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
    return `the connection to ${url} was reset before an answer came`
  return `${e.message}${e.cause?.message ? ` (${e.cause.message})` : ''}`
}
