import { basename } from 'node:path'
import { parseDuration } from './duration.js'
import { ONE_CALLBACK } from './types.js'
import { type ProviderLookup, validateScenarioFile, factsOf } from './scenario-file.js'
import {
  LAYERS,
  ScenarioError,
  type CompiledRespond,
  type CompiledStep,
  type Condition,
  type Decision,
  type RequestFacts,
  type ScenarioFile,
  type ScenarioLayer,
  type ScenarioRule,
  type TimelineStep,
} from './scenario-types.js'

// The scenario engine: compiles files into rules and decides requests. Its types live in
// scenario-types.ts and file reading/validation in scenario-file.ts; both are re-exported here so
// `engine/scenarios.js` stays the one module callers import.
export * from './scenario-types.js'
export * from './scenario-file.js'

interface CompiledRule {
  label: string
  match: Array<[string, Condition]>
  regexes: Map<string, RegExp>
  outcome: string
  native: Record<string, unknown>
  timeline?: CompiledStep[]
  respond?: CompiledRespond
  times?: number
  hits: number
}

interface CompiledFile {
  provider: string
  source: string
  layer: ScenarioLayer
  rules: CompiledRule[]
  file: ScenarioFile
}

/**
 * The scenario rules in force, layered: per-test overrides, then runtime (admin API), then user
 * files, then built-in defaults. Within a layer, a provider's own files come before `"*"` files.
 * The first rule that matches decides.
 *
 * @example
 * scenarios.use({ provider: 'connecx', rules: [{ match: { amount: { gte: 500 } }, outcome: 'declined' }] })
 * scenarios.decide('connecx', { operation: 'payin', reference: 'A1', amount: 900 }) // → declined
 * scenarios.resetOverrides()
 */
export class Scenarios {
  private files: CompiledFile[] = []
  /** The files tried for each provider, in order; rebuilt after any change to `files`. */
  private order = new Map<string, CompiledFile[]>()

  constructor(private readonly providers: ProviderLookup = () => []) {}

  /** Validates and adds a file to a layer. Throws `ScenarioError` naming `source`. */
  add(layer: ScenarioLayer, file: unknown, source = `${layer} scenario`): void {
    const problems = validateScenarioFile(file, this.providers)
    if (problems.length) throw new ScenarioError(source, problems)
    const f = file as ScenarioFile
    this.order.clear()
    this.files.push({
      provider: f.provider,
      source,
      layer,
      file: f,
      rules: f.rules.map((rule, i) => compileRule(rule, `${rule.name ?? `rule ${i + 1}`} (${source}, rule ${i + 1})`)),
    })
  }

  /** Per-test overrides, tried before everything else until `resetOverrides()`. */
  use(...files: ScenarioFile[]): void {
    for (const f of files) this.add('override', f, 'override')
  }

  resetOverrides(): void {
    this.clearLayer('override')
  }

  /** Replaces the runtime layer's files for the providers the new files name. */
  replaceRuntime(files: ScenarioFile[]): void {
    files.forEach((f, i) => {
      const problems = validateScenarioFile(f, this.providers)
      if (problems.length) throw new ScenarioError(`scenario ${i + 1} of the request`, problems)
    })
    const providers = new Set(files.map((f) => f.provider))
    this.files = this.files.filter((f) => !(f.layer === 'runtime' && providers.has(f.provider)))
    this.order.clear()
    for (const f of files) this.add('runtime', f, `runtime scenario for ${f.provider}`)
  }

  clearLayer(layer: ScenarioLayer): void {
    this.files = this.files.filter((f) => f.layer !== layer)
    this.order.clear()
  }

  /** The files of a layer, as given. */
  layer(layer: ScenarioLayer): ScenarioFile[] {
    return this.files.filter((f) => f.layer === layer).map((f) => f.file)
  }

  /** Resets every rule's `times` count. */
  resetCounts(): void {
    for (const f of this.files) for (const r of f.rules) r.hits = 0
  }

  /** The rules in the order they are tried for `provider`, with source and hit count. */
  effective(provider: string): Array<{ rule: string; layer: ScenarioLayer; hits: number; times?: number }> {
    return this.ordered(provider).flatMap((f) =>
      f.rules.map((r) => ({ rule: r.label, layer: f.layer, hits: r.hits, times: r.times })),
    )
  }

  /**
   * Finds the first matching rule for a request and counts the hit. With no match, the default
   * is `approved` 2 s after acceptance with a callback.
   */
  decide(provider: string, request: RequestFacts): Decision {
    const facts = this.inMajorUnits(provider, request)
    for (const file of this.ordered(provider)) {
      for (const rule of file.rules) {
        if (rule.times !== undefined && rule.hits >= rule.times) continue
        if (!matches(rule, facts)) continue
        rule.hits++
        return {
          rule: rule.label,
          outcome: rule.outcome,
          native: rule.native,
          timeline: rule.timeline ?? defaultTimeline(rule.outcome),
          respond: rule.respond,
        }
      }
    }
    return {
      rule: 'default (no rule matched): approved after 2s',
      outcome: 'approved',
      native: {},
      timeline: defaultTimeline('approved'),
    }
  }

  /**
   * Scenario amounts are in the currency's major units (rupees, dollars) whatever the provider's
   * wire uses; `amountMinor` is the same amount in minor units (paise, cents).
   */
  private inMajorUnits(provider: string, facts: RequestFacts): RequestFacts {
    if (typeof facts.amount !== 'number') return facts
    const unit = factsOf(this.providers, provider)?.amountUnit ?? 'major'
    const scale = 10 ** currencyExponent(facts.currency)
    return unit === 'minor'
      ? { ...facts, amount: facts.amount / scale, amountMinor: facts.amount }
      : { ...facts, amountMinor: Math.round(facts.amount * scale) }
  }

  private ordered(provider: string): CompiledFile[] {
    const known = this.order.get(provider)
    if (known) return known
    const out: CompiledFile[] = []
    for (const layer of LAYERS) {
      for (const f of this.files) if (f.layer === layer && f.provider === provider) out.push(f)
      for (const f of this.files) if (f.layer === layer && f.provider === '*') out.push(f)
    }
    this.order.set(provider, out)
    return out
  }
}

const DEFAULT_SETTLE_MS = 2000

/** `pending` never moves; `expired` is timed by the provider; anything else settles after 2 s. */
function defaultTimeline(outcome: string): CompiledStep[] {
  if (outcome === 'pending' || outcome === 'expired') return []
  return [{ after: DEFAULT_SETTLE_MS, status: outcome, callback: { ...ONE_CALLBACK } }]
}

function compileRule(rule: ScenarioRule, label: string): CompiledRule {
  const match = Object.entries(rule.match ?? {})
  const regexes = new Map<string, RegExp>()
  const collect = (key: string, cond: Condition) => {
    if (cond && typeof cond === 'object') {
      if (cond.regex !== undefined) regexes.set(cond.regex, new RegExp(cond.regex))
      if (cond.not !== undefined) collect(key, cond.not)
    }
  }
  for (const [key, cond] of match) collect(key, cond)
  const outcome = rule.outcome ?? (rule.timeline?.length ? rule.timeline[rule.timeline.length - 1].status : 'approved')
  return {
    label,
    match,
    regexes,
    outcome,
    native: rule.native ?? {},
    timeline: rule.timeline
      ?.map((s) => ({ after: parseDuration(s.after), status: s.status, callback: compileCallback(s.callback) }))
      .sort((a, b) => a.after - b.after),
    respond: rule.respond && {
      fault: rule.respond.fault,
      latency: rule.respond.latency === undefined ? 0 : parseDuration(rule.respond.latency),
      processed: rule.respond.processed ?? false,
    },
    times: rule.once ? 1 : rule.times,
    hits: 0,
  }
}

function compileCallback(spec: TimelineStep['callback']): CompiledStep['callback'] {
  if (spec === false) return false
  const s = typeof spec === 'object' ? spec : {}
  return {
    copies: s.copies ?? 1,
    signature: s.signature ?? 'valid',
    delay: s.delay === undefined ? 0 : parseDuration(s.delay),
  }
}

function matches(rule: CompiledRule, facts: RequestFacts): boolean {
  for (const [key, cond] of rule.match) {
    const value = key.startsWith('request.')
      ? pathValue(facts.request, key.slice(8))
      : (facts as unknown as Record<string, unknown>)[key]
    if (!test(cond, value, rule.regexes)) return false
  }
  return true
}

function test(cond: Condition, value: unknown, regexes: Map<string, RegExp>): boolean {
  if (cond === null || typeof cond !== 'object') return same(cond, value)
  if (cond.exists !== undefined && (value !== undefined && value !== null) !== cond.exists) return false
  if (cond.equals !== undefined && !same(cond.equals, value)) return false
  if (
    cond.regex !== undefined &&
    (value === undefined || value === null || !regexes.get(cond.regex)!.test(String(value)))
  )
    return false
  if (cond.contains !== undefined && (typeof value !== 'string' || !value.includes(cond.contains))) return false
  if (cond.in !== undefined && !cond.in.some((c) => same(c, value))) return false
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  if (cond.gte !== undefined && !(n >= cond.gte)) return false
  if (cond.lte !== undefined && !(n <= cond.lte)) return false
  if (cond.gt !== undefined && !(n > cond.gt)) return false
  if (cond.lt !== undefined && !(n < cond.lt)) return false
  if (cond.not !== undefined && test(cond.not, value, regexes)) return false
  return true
}

function same(expected: unknown, value: unknown): boolean {
  if (expected === value) return true
  if (expected === null || value === null || value === undefined) return false
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
  return scalar(expected) && scalar(value) && String(expected) === String(value)
}

function pathValue(root: unknown, path: string): unknown {
  let node = root
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}

/** Label for a file on disk: `scenarios/connecx.yaml`. */
export function sourceLabel(path: string, kind: 'built-in' | 'user'): string {
  return `${kind} ${kind === 'built-in' ? `scenarios/${basename(path)}` : path}`
}

/**
 * Digits after the decimal point of a currency (ISO 4217): 2 for INR and USD, 0 for JPY, 3 for
 * BHD. Unknown or missing currencies count as 2.
 *
 * @example
 * currencyExponent('INR') // 2
 */
function currencyExponent(currency: string | undefined): number {
  if (!currency) return 2
  const cached = EXPONENTS.get(currency)
  if (cached !== undefined) return cached
  let digits = 2
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    // not an ISO 4217 code: keep 2
  }
  EXPONENTS.set(currency, digits)
  return digits
}
const EXPONENTS = new Map<string, number>()
