import type { JournalEntry } from './journal.js'
import type { Delivery, Transaction } from './types.js'

/**
 * What changed inside the engine, as it happens: a journal entry recorded, a transaction created
 * or moved, a callback scheduled or attempted, the clock advanced, a reset. The dashboard's live
 * views and the server log listen here; nothing in the engine waits for a listener.
 */
export type SandboxEvent =
  | { type: 'journal'; entry: JournalEntry }
  | { type: 'transaction'; transaction: Transaction }
  | { type: 'delivery'; delivery: Delivery }
  | { type: 'clock'; now: number }
  | { type: 'reset' }

export type SandboxEventListener = (event: SandboxEvent) => void

/**
 * A synchronous fan-out of `SandboxEvent`s. Emitting with no listener costs one size check; a
 * listener that throws is cut out of the call (the engine never fails because a view did).
 *
 * @example
 * const stop = engine.events.listen((e) => { if (e.type === 'transaction') console.log(e.transaction.status) })
 * stop()
 */
export class EngineEvents {
  private listeners = new Set<SandboxEventListener>()

  /** Calls `listener` for every event from now on; returns the function that stops it. */
  listen(listener: SandboxEventListener): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  get listening(): boolean {
    return this.listeners.size > 0
  }

  emit(event: SandboxEvent): void {
    if (this.listeners.size === 0) return
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        /* a failing listener must not fail the engine */
      }
    }
  }
}
