import { readFileSync, readdirSync, statSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import isSafeRegex from 'safe-regex2'
import { parse as parseYaml } from 'yaml'
import { parseDuration } from './duration.js'
import { NEUTRAL_STATUSES } from './types.js'

/**
 * A condition on one request fact: a literal (exact match; `100` also matches `"100"`), or an
 * operator object. Several operators in one object must all hold.
 *
 * @example
 * { regex: '^FLAKY' }   { in: ['USD', 'EUR'] }   { gte: 1000, lte: 5000 }   { contains: 'DECLINE' }
 */
export type Condition =
  | string
  | number
  | boolean
  | null
  | {
      regex?: string
      in?: unknown[]
      gte?: number
      lte?: number
      gt?: number
      lt?: number
      contains?: string
      exists?: boolean
      not?: Condition
      equals?: unknown
    }

/** What happens to the callback that goes with a timeline step. */
export interface CallbackSpec {
  /** Deliver this many identical copies (default 1). */
  copies?: number
  /** `invalid` signs the callback with a wrong signature/token. */
  signature?: 'valid' | 'invalid'
  /** Extra delay before the first attempt. */
  delay?: string | number
}

export interface TimelineStep {
  /** When, measured from the moment the transaction was accepted. `0s` applies before the answer. */
  after: string | number
  /** Neutral status or the provider's native status name. */
  status: string
  /** Send the callback this change implies (default true). */
  callback?: boolean | CallbackSpec
}

export const FAULTS = ['timeout', 'reset', 'empty', 'malformed', 'http-500', 'http-503'] as const
export type Fault = (typeof FAULTS)[number]

export interface RespondSpec {
  /** How the HTTP answer misbehaves. */
  fault?: Fault
  /** Wait this long (clock time) before answering. */
  latency?: string | number
  /** With a fault: process the request first (the transaction exists), then misbehave. Default false. */
  processed?: boolean
}

export interface ScenarioRule {
  name?: string
  description?: string
  match?: Record<string, Condition>
  /** Final status: neutral (approved, declined, failed, pending, expired, …) or native. */
  outcome?: string
  /** Provider-native fields to render (e.g. a result code or error message). */
  native?: Record<string, unknown>
  timeline?: TimelineStep[]
  /** The rule applies this many times, then is skipped. */
  times?: number
  /** Same as `times: 1`. */
  once?: boolean
  respond?: RespondSpec
}

/** A scenario file: rules for one provider, or for all (`provider: "*"`). */
export interface ScenarioFile {
  provider: string
  description?: string
  rules: ScenarioRule[]
}

/** Where a scenario file came from; earlier layers win. */
export type ScenarioLayer = 'override' | 'runtime' | 'user' | 'built-in'
export const LAYERS: ScenarioLayer[] = ['override', 'runtime', 'user', 'built-in']

/** The facts a provider extracts from a request for matching. */
export interface RequestFacts {
  operation: string
  merchant?: string
  reference?: string
  amount?: number
  currency?: string
  /**
   * For flows that need a customer (hosted page, bank redirect, UPI approval): `wait` (the default)
   * or `auto`, from the merchant's `customer` setting. Built-in rules match `customer: wait` to
   * keep such a flow open for the customer.
   */
  customer?: 'wait' | 'auto'
  /** The decoded request (body fields, or decrypted payload). Match keys `request.<path>` read it. */
  request?: unknown
}

export interface CompiledStep {
  after: number
  status: string
  callback: false | { copies: number; signature: 'valid' | 'invalid'; delay: number }
}

export interface CompiledRespond {
  fault?: Fault
  latency: number
  processed: boolean
}

/** The scenario's verdict for one request. */
export interface Decision {
  /** Human label of the rule, with its source: `DECLINE in paymentRef (built-in scenarios/connecx.yaml, rule 1)`. */
  rule: string
  outcome: string
  native: Record<string, unknown>
  /** Steps in time order. Without an explicit timeline, the outcome 2 s after acceptance. */
  timeline: CompiledStep[]
  respond?: CompiledRespond
}

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

/** A scenario file that does not validate. The message names file, rule and field. */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is not a valid scenario file:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ScenarioError'
  }
}

const FACT_KEYS = ['operation', 'merchant', 'reference', 'amount', 'currency', 'customer']
const OPERATORS = ['regex', 'in', 'gte', 'lte', 'gt', 'lt', 'contains', 'exists', 'not', 'equals']
const RULE_KEYS = ['name', 'description', 'match', 'outcome', 'native', 'timeline', 'times', 'once', 'respond']
const DEFAULT_SETTLE_MS = 2000

/** Tells the validator which status names a provider knows besides the neutral ones. */
export type NativeStatusLookup = (provider: string) => readonly string[] | undefined

/**
 * Validates a parsed scenario file. Returns the problems found (empty when valid), each naming
 * the rule and field.
 */
export function validateScenarioFile(input: unknown, nativeStatuses: NativeStatusLookup = () => []): string[] {
  const problems: string[] = []
  if (!isObject(input)) return ['the file must be an object with `provider` and `rules`']
  const provider = input.provider
  if (typeof provider !== 'string' || !provider)
    problems.push('`provider` must name a provider id (e.g. connecx) or "*" for all providers')
  const known = typeof provider === 'string' && provider !== '*' ? nativeStatuses(provider) : []
  if (typeof provider === 'string' && provider !== '*' && known === undefined)
    problems.push(`\`provider\`: unknown provider "${provider}"`)
  const statusNames = new Set<string>([...NEUTRAL_STATUSES, ...(known ?? [])])
  for (const key of Object.keys(input))
    if (!['provider', 'description', 'rules'].includes(key))
      problems.push(`unknown top-level field \`${key}\` (allowed: provider, description, rules)`)
  if (!Array.isArray(input.rules)) {
    problems.push('`rules` must be a list of rules')
    return problems
  }
  input.rules.forEach((rule: unknown, index: number) => {
    const where = `rule ${index + 1}${isObject(rule) && typeof rule.name === 'string' ? ` ("${rule.name}")` : ''}`
    if (!isObject(rule)) return void problems.push(`${where}: must be an object`)
    for (const key of Object.keys(rule))
      if (!RULE_KEYS.includes(key))
        problems.push(`${where}: unknown field \`${key}\` (allowed: ${RULE_KEYS.join(', ')})`)
    if (rule.name !== undefined && typeof rule.name !== 'string') problems.push(`${where}: \`name\` must be text`)
    if (rule.match !== undefined) {
      if (!isObject(rule.match)) problems.push(`${where}: \`match\` must be an object of fact: condition`)
      else
        for (const [key, cond] of Object.entries(rule.match))
          checkCondition(problems, `${where}: match.${key}`, key, cond)
    }
    const checkStatus = (field: string, value: unknown) => {
      if (typeof value !== 'string' || !statusNames.has(value))
        problems.push(`${where}: \`${field}\` is ${JSON.stringify(value)}; use one of ${[...statusNames].join(', ')}`)
    }
    if (rule.outcome !== undefined) checkStatus('outcome', rule.outcome)
    if (rule.native !== undefined && !isObject(rule.native))
      problems.push(`${where}: \`native\` must be an object of provider field: value`)
    if (rule.times !== undefined && !(Number.isInteger(rule.times) && (rule.times as number) > 0))
      problems.push(`${where}: \`times\` must be a positive whole number`)
    if (rule.once !== undefined && typeof rule.once !== 'boolean')
      problems.push(`${where}: \`once\` must be true or false`)
    if (rule.timeline !== undefined) {
      if (!Array.isArray(rule.timeline)) problems.push(`${where}: \`timeline\` must be a list of steps`)
      else
        rule.timeline.forEach((step: unknown, i: number) => {
          const at = `${where}: timeline[${i}]`
          if (!isObject(step)) return void problems.push(`${at} must be an object { after, status, callback }`)
          for (const key of Object.keys(step))
            if (!['after', 'status', 'callback'].includes(key)) problems.push(`${at}: unknown field \`${key}\``)
          checkDuration(problems, `${at}.after`, step.after, true)
          checkStatus(`timeline[${i}].status`, step.status)
          const cb = step.callback
          if (cb !== undefined && typeof cb !== 'boolean') {
            if (!isObject(cb)) problems.push(`${at}.callback must be true, false or { copies, signature, delay }`)
            else {
              for (const key of Object.keys(cb))
                if (!['copies', 'signature', 'delay'].includes(key))
                  problems.push(`${at}.callback: unknown field \`${key}\``)
              if (
                cb.copies !== undefined &&
                !(Number.isInteger(cb.copies) && (cb.copies as number) >= 1 && (cb.copies as number) <= 100)
              )
                problems.push(`${at}.callback.copies must be a whole number from 1 to 100`)
              if (cb.signature !== undefined && !['valid', 'invalid'].includes(cb.signature as string))
                problems.push(`${at}.callback.signature must be "valid" or "invalid"`)
              if (cb.delay !== undefined) checkDuration(problems, `${at}.callback.delay`, cb.delay, false)
            }
          }
        })
    }
    if (rule.respond !== undefined) {
      const r = rule.respond
      if (!isObject(r)) problems.push(`${where}: \`respond\` must be an object { fault, latency, processed }`)
      else {
        for (const key of Object.keys(r))
          if (!['fault', 'latency', 'processed'].includes(key))
            problems.push(`${where}: respond: unknown field \`${key}\``)
        if (r.fault !== undefined && !(FAULTS as readonly string[]).includes(r.fault as string))
          problems.push(`${where}: respond.fault is ${JSON.stringify(r.fault)}; use one of ${FAULTS.join(', ')}`)
        if (r.latency !== undefined) checkDuration(problems, `${where}: respond.latency`, r.latency, false)
        if (r.processed !== undefined && typeof r.processed !== 'boolean')
          problems.push(`${where}: respond.processed must be true or false`)
      }
    }
  })
  return problems
}

function checkCondition(problems: string[], where: string, key: string, cond: unknown): void {
  if (!FACT_KEYS.includes(key) && !key.startsWith('request.'))
    problems.push(`${where}: unknown fact \`${key}\` (use ${FACT_KEYS.join(', ')} or request.<field path>)`)
  if (cond === null || ['string', 'number', 'boolean'].includes(typeof cond)) return
  if (!isObject(cond))
    return void problems.push(`${where}: a condition is a value or an object with ${OPERATORS.join(', ')}`)
  for (const [op, arg] of Object.entries(cond)) {
    if (!OPERATORS.includes(op))
      problems.push(`${where}: unknown operator \`${op}\` (allowed: ${OPERATORS.join(', ')})`)
    else if (op === 'regex') {
      if (typeof arg !== 'string') problems.push(`${where}.regex must be text`)
      else
        try {
          new RegExp(arg)
          if (!isSafeRegex(arg))
            problems.push(
              `${where}.regex ${JSON.stringify(arg)} can backtrack catastrophically (a repetition inside a repetition, e.g. (a+)+): one long value would block the whole sandbox. Rewrite it without the nested repetition, e.g. ^a+$ instead of ^(a+)+$`,
            )
        } catch (e) {
          problems.push(`${where}.regex is not a valid regular expression: ${(e as Error).message}`)
        }
    } else if (op === 'in' && !Array.isArray(arg)) problems.push(`${where}.in must be a list`)
    else if (['gte', 'lte', 'gt', 'lt'].includes(op) && typeof arg !== 'number')
      problems.push(`${where}.${op} must be a number`)
    else if (op === 'contains' && typeof arg !== 'string') problems.push(`${where}.contains must be text`)
    else if (op === 'exists' && typeof arg !== 'boolean') problems.push(`${where}.exists must be true or false`)
    else if (op === 'not') checkCondition(problems, `${where}.not`, key, arg)
  }
}

function checkDuration(problems: string[], where: string, value: unknown, required: boolean): void {
  if (value === undefined) {
    if (required) problems.push(`${where} is required (e.g. 2s)`)
    return
  }
  try {
    parseDuration(value as string | number)
  } catch (e) {
    problems.push(`${where}: ${(e as Error).message}`)
  }
}

/** The `provider` a scenario file names, without validating the rest (undefined when unreadable). */
export function scenarioFileProvider(path: string): string | undefined {
  try {
    return providerOf(parseScenarioFile(path))
  } catch {
    return undefined
  }
}

/** The `provider` field of a parsed scenario file, if it has one. */
export function providerOf(parsed: unknown): string | undefined {
  const provider = (parsed as { provider?: unknown } | null)?.provider
  return typeof provider === 'string' ? provider : undefined
}

/** Reads and parses a YAML or JSON scenario file without validating it. Throws `ScenarioError`. */
export function parseScenarioFile(path: string): unknown {
  try {
    const text = readFileSync(path, 'utf8')
    return extname(path) === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (e) {
    throw new ScenarioError(path, [`cannot be read or parsed: ${(e as Error).message}`])
  }
}

/** Validates a parsed scenario file read from `path`. Throws `ScenarioError`. */
export function checkScenarioFile(parsed: unknown, path: string, nativeStatuses?: NativeStatusLookup): ScenarioFile {
  const problems = validateScenarioFile(parsed, nativeStatuses)
  if (problems.length) throw new ScenarioError(path, problems)
  return parsed as ScenarioFile
}

/** Reads a YAML or JSON scenario file from disk and validates it. Throws `ScenarioError`. */
export function readScenarioFile(path: string, nativeStatuses?: NativeStatusLookup): ScenarioFile {
  return checkScenarioFile(parseScenarioFile(path), path, nativeStatuses)
}

/** Every `.yaml`, `.yml` and `.json` file in a folder (or the one file named), sorted by name. */
export function scenarioFilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path)
    .filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f)))
    .sort()
    .map((f) => join(path, f))
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

  constructor(private readonly nativeStatuses: NativeStatusLookup = () => []) {}

  /** Validates and adds a file to a layer. Throws `ScenarioError` naming `source`. */
  add(layer: ScenarioLayer, file: unknown, source = `${layer} scenario`): void {
    const problems = validateScenarioFile(file, this.nativeStatuses)
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
      const problems = validateScenarioFile(f, this.nativeStatuses)
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
  decide(provider: string, facts: RequestFacts): Decision {
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

/** `pending` never moves; `expired` is timed by the provider; anything else settles after 2 s. */
function defaultTimeline(outcome: string): CompiledStep[] {
  if (outcome === 'pending' || outcome === 'expired') return []
  return [{ after: DEFAULT_SETTLE_MS, status: outcome, callback: { copies: 1, signature: 'valid', delay: 0 } }]
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Label for a file on disk: `scenarios/connecx.yaml`. */
export function sourceLabel(path: string, kind: 'built-in' | 'user'): string {
  return `${kind} ${kind === 'built-in' ? `scenarios/${basename(path)}` : path}`
}
