import type { JournalEntry } from './journal.js'

/** Node-server bindings when served over a real socket; absent in msw and `app.request()`. */
export interface NodeBindings {
  incoming?: { socket?: { destroy(): void } }
}

/**
 * Hono environment of every sandbox route: `c.get('journal')` is the request's journal entry; a
 * provider's guard middleware adds `c.get('merchant')` (see `src/providers/kit/guard.ts`).
 */
export type SandboxEnv = {
  Bindings: NodeBindings
  Variables: { journal: JournalEntry }
}
