import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Hono } from 'hono'
import type { AdminAccess } from './admin/guard.js'
import { createApp } from './app.js'
import type { Delivery, Deliver } from './engine/callbacks.js'
import { parseDuration } from './engine/duration.js'
import { Engine } from './engine/engine.js'
import type { JournalEntry, JournalFilter, JournalOptions } from './engine/journal.js'
import type { SandboxEnv } from './engine/http.js'
import type { AnyProvider, CallbackRequest, CallbackResponse } from './engine/provider.js'
import {
  checkScenarioFile,
  parseScenarioFile,
  providerOf,
  providerLookup,
  readScenarioFile,
  scenarioFilesIn,
  sourceLabel,
  type ScenarioFile,
} from './engine/scenarios.js'
import type { Merchant, Transaction } from './engine/types.js'
import type { LowdbStoreOptions } from './engine/store-lowdb.js'
import { parseRetention } from './engine/store-retention.js'
import { PROVIDERS } from './providers/index.js'
import { BUILT_IN_SCENARIO_CACHE, BUILT_IN_SCENARIOS } from './paths.js'

export { BUILT_IN_SCENARIOS } from './paths.js'

export interface SandboxOptions {
  /** lowdb snapshot path (its change log sits beside it). Omit for in-memory state. */
  data?: string
  /** `virtual` for tests: time moves only with `clock.advance()`. Default `real`. */
  clock?: 'real' | 'virtual'
  /** User scenario files or folders, tried before the built-in ones. */
  scenarios?: string | string[]
  /** Load the built-in `scenarios/` (default true). */
  builtInScenarios?: boolean
  /** Only these providers, by id or as modules (default: every built-in provider). */
  providers?: Array<string | AnyProvider>
  /** Extra or changed merchants per provider id. */
  merchants?: Record<string, Array<Partial<Merchant> & { id: string }>>
  /**
   * Receives callbacks instead of HTTP delivery. Return the merchant's answer (a `Response` or
   * `{ status, body }`); returning nothing counts as HTTP 200 with an empty body.
   */
  onCallback?: (
    callback: CallbackRequest,
  ) => Response | CallbackResponse | void | Promise<Response | CallbackResponse | void>
  /** Per-attempt callback timeout (real time), e.g. `10s`. */
  callbackTimeout?: string
  /**
   * Callback attempts in flight to one merchant host (`host:port`) at a time over kept-alive
   * connections; the rest wait their turn in due order. Default 32.
   */
  callbackConcurrency?: number
  journal?: JournalOptions
  /**
   * Who may drive the admin API: `token` (required to listen on a non-loopback address) and
   * `allowedHosts` (host names besides loopback). See `docs/security.md`.
   */
  admin?: AdminAccess
  /**
   * Prune finished transactions and their callbacks: an age (`7d`), a count (`100000`), both
   * (`7d,100000`), or `off`. Default off (every transaction kept, as tests expect); the CLI turns
   * it on for long-running instances.
   */
  retain?: string
  /** Start even when the state file cannot be trusted: drop the damage, keep a copy aside. */
  repair?: boolean
  /** Store internals for tests and benchmarks: an injected file layer, the compaction threshold. */
  store?: Pick<LowdbStoreOptions, 'files' | 'compactBytes' | 'probeEveryMs'>
  /**
   * `postgres://user:password@host:port/database`: keep the state in PostgreSQL instead of the
   * lowdb file, shared by every replica started with the same URL (see docs/store.md).
   */
  database?: string
  /** How long due work claimed by a replica stays claimed if the replica dies, e.g. `30s` (the default). */
  databaseLease?: string
}

/**
 * A running sandbox, ready to be driven in-process or served over HTTP.
 *
 * @example
 * const sandbox = createSandbox({ clock: 'virtual' })
 * const res = await sandbox.fetch(new Request('http://localhost/mxapi/3568224497743/bdpayin', { method: 'POST', ... }))
 * await sandbox.clock.advance('2s')         // the callback goes out
 * sandbox.callbacks.list()[0].state          // 'acknowledged'
 * await sandbox.close()
 */
export interface Sandbox {
  /** The Hono app serving every provider and the admin API. */
  app: Hono<SandboxEnv>
  /** Handles one request in-process. */
  fetch(request: Request): Promise<Response>
  engine: Engine
  /** Resolves once state is loaded and pending work resumed. */
  ready: Promise<void>
  clock: {
    mode: 'real' | 'virtual'
    now(): number
    /** Virtual clocks only: moves time forward, running what falls due. */
    advance(by: string | number): Promise<number>
  }
  scenarios: {
    /** Per-test rules, tried first until `reset()` (call it in `afterEach`, as msw's `server.resetHandlers()`). */
    use(...files: ScenarioFile[]): void
    reset(): void
  }
  transactions: {
    list(filter?: {
      provider?: string
      reference?: string
      merchant?: string
      kind?: string
      status?: string
    }): Transaction[]
    get(id: string): Transaction | undefined
    /** Moves a transaction (neutral or native status) and sends the callback the change implies. */
    transition(id: string, status: string): Promise<Transaction>
  }
  callbacks: {
    list(filter?: {
      provider?: string
      reference?: string
      transactionId?: string
      state?: Delivery['state']
    }): Delivery[]
    redeliver(id: string): Promise<Delivery | undefined>
    /** Resolves when no callback attempt is in flight. */
    idle(): Promise<void>
  }
  journal: { list(filter?: JournalFilter): JournalEntry[] }
  merchants: {
    list(provider?: string): Merchant[]
    get(provider: string, id: string): Merchant | undefined
    patch(provider: string, id: string, settings: Record<string, unknown>): Promise<Merchant>
  }
  /** Back to a fresh start (transactions, callbacks, runtime scenarios, merchant changes). */
  reset(): Promise<void>
  close(): Promise<void>
}

/**
 * The built-in scenario files as `npm run build` parsed them (`dist/built-in-scenarios.json`, made
 * by `scripts/built-in-scenarios.mjs`): a lookup by path giving the parsed file, or undefined when
 * there is no cache or the file's text changed since the build (then it is parsed as YAML).
 */
function builtInScenarioCache(): (path: string) => unknown {
  let cache: Record<string, { sha256: string; parsed: unknown } | undefined>
  try {
    cache = JSON.parse(readFileSync(BUILT_IN_SCENARIO_CACHE, 'utf8'))
  } catch {
    return () => undefined
  }
  return (path) => {
    const entry = cache[basename(path)]
    if (!entry) return undefined
    const text = readFileSync(path, 'utf8')
    return createHash('sha256').update(text).digest('hex') === entry.sha256 ? entry.parsed : undefined
  }
}

/** Builds a sandbox: engine, providers, scenarios, app. State starts loading at once. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const providers = selectProviders(options.providers)
  const known = providerLookup(providers)
  const scenarioFiles: Array<{ layer: 'built-in' | 'user'; source: string; file: unknown }> = []
  if (options.builtInScenarios !== false && existsSync(BUILT_IN_SCENARIOS)) {
    const parsedAtBuild = builtInScenarioCache()
    for (const path of scenarioFilesIn(BUILT_IN_SCENARIOS)) {
      // Built-in files of providers not served here are skipped, not validated. Each file is parsed once.
      let parsed: unknown
      try {
        parsed = parsedAtBuild(path) ?? parseScenarioFile(path)
      } catch {
        parsed = undefined
      }
      const provider = providerOf(parsed)
      if (provider !== '*' && !providers.some((p) => p.id === provider)) continue
      scenarioFiles.push({
        layer: 'built-in',
        source: sourceLabel(path, 'built-in'),
        file: checkScenarioFile(parsed, path, known),
      })
    }
  }
  for (const entry of [options.scenarios ?? []].flat()) {
    for (const path of scenarioFilesIn(entry))
      scenarioFiles.push({ layer: 'user', source: sourceLabel(path, 'user'), file: readScenarioFile(path, known) })
  }
  const engine = new Engine({
    providers,
    dataFile: options.data,
    clock: options.clock,
    journal: options.journal,
    merchants: options.merchants,
    scenarioFiles,
    deliver: options.onCallback ? hookDeliver(options.onCallback) : undefined,
    callbackTimeoutMs: options.callbackTimeout ? parseDuration(options.callbackTimeout) : undefined,
    callbackConcurrency: options.callbackConcurrency,
    admin: options.admin,
    retain: options.retain ? parseRetention(options.retain) : undefined,
    store: { ...options.store, repair: options.repair },
    database: options.database
      ? {
          url: options.database,
          leaseMs: options.databaseLease ? parseDuration(options.databaseLease) : undefined,
        }
      : undefined,
  })
  const app = createApp(engine)
  const ready = engine.start()
  ready.catch(() => {})
  return {
    app,
    fetch: (request) => Promise.resolve(app.fetch(request)),
    engine,
    ready,
    clock: { mode: engine.clock.mode, now: () => engine.clock.now(), advance: (by) => engine.advanceClock(by) },
    scenarios: { use: (...files) => engine.scenarios.use(...files), reset: () => engine.scenarios.resetOverrides() },
    transactions: {
      list: (filter) => engine.transactions.list(filter),
      get: (id) => engine.transactions.get(id),
      transition: async (id, status) => {
        const tx = engine.transactions.get(id)
        if (!tx) throw new Error(`no transaction "${id}"`)
        return engine.transactions.transition(tx, status, { source: 'admin' })
      },
    },
    callbacks: {
      list: (filter) => engine.callbacks.list(filter),
      redeliver: (id) => engine.callbacks.redeliver(id),
      idle: () => engine.callbacks.idle(),
    },
    journal: { list: (filter) => engine.journal.list(filter) },
    merchants: {
      list: (provider) => engine.merchants.list(provider),
      get: (provider, id) => engine.merchants.get(provider, id),
      patch: async (provider, id, settings) => {
        const m = engine.merchants.patch(provider, id, settings)
        await engine.store.commit()
        return m
      },
    },
    reset: () => engine.reset(),
    close: async () => {
      await ready.catch(() => {})
      await engine.close()
    },
  }
}

function selectProviders(ids?: Array<string | AnyProvider>): AnyProvider[] {
  if (!ids) return PROVIDERS
  return ids.map((id) => {
    if (typeof id !== 'string') return id
    const p = PROVIDERS.find((x) => x.id === id)
    if (!p) throw new Error(`unknown provider "${id}"; known: ${PROVIDERS.map((x) => x.id).join(', ')}`)
    return p
  })
}

function hookDeliver(hook: NonNullable<SandboxOptions['onCallback']>): Deliver {
  return async (request) => {
    const answer = await hook(request)
    if (!answer) return { status: 200, body: '' }
    if (answer instanceof Response) return { status: answer.status, body: await answer.text() }
    return answer
  }
}
