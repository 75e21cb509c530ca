/**
 * psp-sandbox: five payment providers' APIs on localhost, byte for byte.
 *
 * @example
 * import { createSandbox, listen } from 'psp-sandbox'
 * const server = await listen(createSandbox(), { port: 8080 })
 */
export { createSandbox, BUILT_IN_SCENARIOS, type Sandbox, type SandboxOptions } from './sandbox.js'
export { listen, type ListenOptions, type RunningServer } from './server.js'
export { createApp } from './app.js'
export { Engine, type EngineOptions } from './engine/engine.js'
export { defineProvider } from './engine/provider.js'
export type { Provider, AnyProvider, CallbackRequest, CallbackResponse, ProviderCallbacks } from './engine/provider.js'
export type { ProviderPort } from './engine/port.js'
export type { Transaction, Merchant, NeutralStatus, HistoryEntry } from './engine/types.js'
export type { Delivery, DeliveryAttempt } from './engine/callbacks.js'
export type { JournalEntry, JournalFilter } from './engine/journal.js'
export {
  ScenarioError,
  validateScenarioFile,
  type ScenarioFile,
  type ScenarioRule,
  type Condition,
  type TimelineStep,
  type RespondSpec,
} from './engine/scenarios.js'
export { parseDuration, formatDuration } from './engine/duration.js'
export { PROVIDERS } from './providers/index.js'
export { attachServerLog, type ServerLog, type ServerLogOptions, type LogFormat, type LogLevel } from './log.js'
