import { readFileSync, readdirSync, statSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import isSafeRegex from 'safe-regex2'
import { parseDuration } from './duration.js'
import { NEUTRAL_STATUSES, ONE_CALLBACK, type CompiledCallback } from './types.js'
import { didYouMean, formatProblems, readDataFile, type Problem } from './validation.js'

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
  /** The amount in the unit the provider declares (`Provider.amountUnit`); scenarios see major units. */
  amount?: number
  /** Set by the engine: the amount in minor units (paise, cents). */
  amountMinor?: number
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
  callback: CompiledCallback
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

const FACT_KEYS = ['operation', 'merchant', 'reference', 'amount', 'amountMinor', 'currency', 'customer']
const OPERATORS = ['regex', 'in', 'gte', 'lte', 'gt', 'lt', 'contains', 'exists', 'not', 'equals']
const RULE_KEYS = ['name', 'description', 'match', 'outcome', 'native', 'timeline', 'times', 'once', 'respond']
const STEP_KEYS = ['after', 'status', 'callback']
const CALLBACK_KEYS = ['copies', 'signature', 'delay']
const RESPOND_KEYS = ['fault', 'latency', 'processed']
const DEFAULT_SETTLE_MS = 2000

/** What scenario validation needs to know about one provider. */
export interface ProviderFacts {
  /** Native status names besides the neutral ones. */
  statuses: readonly string[]
  /** Operation names the provider reports (`match.operation`). */
  operations: readonly string[]
  /** The unit of the amount the provider reports; scenarios use major units. Default `major`. */
  amountUnit?: 'major' | 'minor'
}

/**
 * Tells the validator what a provider knows (`undefined` for an unknown provider id). A lookup
 * that returns a plain list is read as native status names only (operations then go unchecked).
 */
export type ProviderLookup = {
  (provider: string): ProviderFacts | readonly string[] | undefined
  /** Every provider id, for suggestions and `provider: "*"` files. */
  ids?: readonly string[]
}
/** @deprecated the old name of `ProviderLookup`. */
export type NativeStatusLookup = ProviderLookup

/** A lookup over provider modules (or anything with `id`, `nativeStatuses`, `operations`). */
export function providerLookup(
  providers: ReadonlyArray<{
    id: string
    nativeStatuses: Record<string, unknown>
    operations?: readonly string[]
    amountUnit?: 'major' | 'minor'
  }>,
): ProviderLookup {
  const byId = new Map(
    providers.map((p) => [
      p.id,
      { statuses: Object.keys(p.nativeStatuses), operations: p.operations ?? [], amountUnit: p.amountUnit },
    ]),
  )
  const lookup = ((id: string) => byId.get(id)) as ProviderLookup
  lookup.ids = providers.map((p) => p.id)
  return lookup
}

function factsOf(lookup: ProviderLookup, id: string): ProviderFacts | undefined {
  const found = lookup(id)
  if (found === undefined) return undefined
  return Array.isArray(found) ? { statuses: found as string[], operations: [] } : (found as ProviderFacts)
}

/**
 * Validates a parsed scenario file. Returns the problems found (empty when valid), each naming
 * the rule and field.
 */
export function validateScenarioFile(input: unknown, providers: ProviderLookup = () => []): string[] {
  return scenarioProblems(input, providers).map((p) => p.message)
}

/**
 * Validates a parsed scenario file: each problem with its path in the document (for a line
 * number) and a message naming the rule and field, with a suggestion for a likely typo.
 */
export function scenarioProblems(input: unknown, providers: ProviderLookup = () => []): Problem[] {
  const problems: Problem[] = []
  const add = (path: Array<string | number>, message: string) => void problems.push({ path, message })
  if (!isObject(input)) return [{ path: [], message: 'the file must be an object with `provider` and `rules`' }]
  const provider = input.provider
  const ids = providers.ids ?? []
  if (typeof provider !== 'string' || !provider)
    add(['provider'], '`provider` must name a provider id (e.g. connecx) or "*" for all providers')
  const facts = typeof provider === 'string' && provider !== '*' ? factsOf(providers, provider) : undefined
  if (typeof provider === 'string' && provider !== '*' && facts === undefined)
    add(
      ['provider'],
      `\`provider\`: unknown provider "${provider}"${didYouMean(provider, ids)}${ids.length ? `; known: ${ids.join(', ')}, or "*" for all` : ''}`,
    )
  const all = provider === '*' ? ids.map((id) => factsOf(providers, id)!).filter(Boolean) : facts ? [facts] : []
  const statusNames = new Set<string>([...NEUTRAL_STATUSES, ...all.flatMap((f) => f.statuses)])
  const operations = [...new Set(all.flatMap((f) => f.operations))]
  for (const key of Object.keys(input))
    if (!['provider', 'description', 'rules', '$schema'].includes(key))
      add(
        [key],
        `unknown top-level field \`${key}\`${didYouMean(key, ['provider', 'description', 'rules'])} (allowed: provider, description, rules)`,
      )
  if (!Array.isArray(input.rules)) {
    add(['rules'], '`rules` must be a list of rules')
    return problems
  }
  input.rules.forEach((rule: unknown, index: number) => {
    const at = (...rest: Array<string | number>) => ['rules', index, ...rest]
    const where = `rule ${index + 1}${isObject(rule) && typeof rule.name === 'string' ? ` ("${rule.name}")` : ''}`
    if (!isObject(rule)) return add(at(), `${where}: must be an object`)
    for (const key of Object.keys(rule))
      if (!RULE_KEYS.includes(key))
        add(
          at(key),
          `${where}: unknown field \`${key}\`${didYouMean(key, RULE_KEYS)} (allowed: ${RULE_KEYS.join(', ')})`,
        )
    if (rule.name !== undefined && typeof rule.name !== 'string') add(at('name'), `${where}: \`name\` must be text`)
    if (rule.match !== undefined) {
      if (!isObject(rule.match)) add(at('match'), `${where}: \`match\` must be an object of fact: condition`)
      else
        for (const [key, cond] of Object.entries(rule.match)) {
          checkCondition(problems, at('match', key), `${where}: match.${key}`, key, cond)
          if (key === 'operation' && operations.length)
            checkOperation(problems, at('match', key), where, cond, operations)
        }
    }
    const checkStatus = (path: Array<string | number>, field: string, value: unknown) => {
      if (typeof value !== 'string' || !statusNames.has(value))
        add(
          path,
          `${where}: \`${field}\` is ${JSON.stringify(value)}${typeof value === 'string' ? didYouMean(value, [...statusNames]) : ''}; use one of ${[...statusNames].join(', ')}`,
        )
    }
    if (rule.outcome !== undefined) checkStatus(at('outcome'), 'outcome', rule.outcome)
    if (rule.native !== undefined && !isObject(rule.native))
      add(at('native'), `${where}: \`native\` must be an object of provider field: value`)
    if (rule.times !== undefined && !(Number.isInteger(rule.times) && (rule.times as number) > 0))
      add(at('times'), `${where}: \`times\` must be a positive whole number`)
    if (rule.once !== undefined && typeof rule.once !== 'boolean')
      add(at('once'), `${where}: \`once\` must be true or false`)
    if (rule.timeline !== undefined) {
      if (!Array.isArray(rule.timeline)) add(at('timeline'), `${where}: \`timeline\` must be a list of steps`)
      else
        rule.timeline.forEach((step: unknown, i: number) => {
          const stepAt = (...rest: Array<string | number>) => at('timeline', i, ...rest)
          const label = `${where}: timeline[${i}]`
          if (!isObject(step)) return add(stepAt(), `${label} must be an object { after, status, callback }`)
          for (const key of Object.keys(step))
            if (!STEP_KEYS.includes(key))
              add(stepAt(key), `${label}: unknown field \`${key}\`${didYouMean(key, STEP_KEYS)}`)
          checkDuration(problems, stepAt('after'), `${label}.after`, step.after, true)
          checkStatus(stepAt('status'), `timeline[${i}].status`, step.status)
          const cb = step.callback
          if (cb !== undefined && typeof cb !== 'boolean') {
            if (!isObject(cb))
              add(stepAt('callback'), `${label}.callback must be true, false or { copies, signature, delay }`)
            else {
              for (const key of Object.keys(cb))
                if (!CALLBACK_KEYS.includes(key))
                  add(
                    stepAt('callback', key),
                    `${label}.callback: unknown field \`${key}\`${didYouMean(key, CALLBACK_KEYS)}`,
                  )
              if (
                cb.copies !== undefined &&
                !(Number.isInteger(cb.copies) && (cb.copies as number) >= 1 && (cb.copies as number) <= 100)
              )
                add(stepAt('callback', 'copies'), `${label}.callback.copies must be a whole number from 1 to 100`)
              if (cb.signature !== undefined && !['valid', 'invalid'].includes(cb.signature as string))
                add(stepAt('callback', 'signature'), `${label}.callback.signature must be "valid" or "invalid"`)
              if (cb.delay !== undefined)
                checkDuration(problems, stepAt('callback', 'delay'), `${label}.callback.delay`, cb.delay, false)
            }
          }
        })
    }
    if (rule.respond !== undefined) {
      const r = rule.respond
      if (!isObject(r)) add(at('respond'), `${where}: \`respond\` must be an object { fault, latency, processed }`)
      else {
        for (const key of Object.keys(r))
          if (!RESPOND_KEYS.includes(key))
            add(at('respond', key), `${where}: respond: unknown field \`${key}\`${didYouMean(key, RESPOND_KEYS)}`)
        if (r.fault !== undefined && !(FAULTS as readonly string[]).includes(r.fault as string))
          add(
            at('respond', 'fault'),
            `${where}: respond.fault is ${JSON.stringify(r.fault)}${typeof r.fault === 'string' ? didYouMean(r.fault, FAULTS) : ''}; use one of ${FAULTS.join(', ')}`,
          )
        if (r.latency !== undefined)
          checkDuration(problems, at('respond', 'latency'), `${where}: respond.latency`, r.latency, false)
        if (r.processed !== undefined && typeof r.processed !== 'boolean')
          add(at('respond', 'processed'), `${where}: respond.processed must be true or false`)
      }
    }
  })
  return problems
}

/** `match.operation` must be able to match one of the provider's operations. */
function checkOperation(
  problems: Problem[],
  path: Array<string | number>,
  where: string,
  cond: unknown,
  operations: string[],
): void {
  const known = `the operations are ${operations.join(', ')}`
  const literal = (value: unknown, at: Array<string | number>) => {
    if (typeof value === 'string' && !operations.includes(value))
      problems.push({
        path: at,
        message: `${where}: match.operation "${value}" is not an operation of this provider${didYouMean(value, operations)}; ${known}`,
      })
  }
  if (!isObject(cond)) return literal(cond, path)
  if (typeof cond.equals === 'string') literal(cond.equals, [...path, 'equals'])
  if (Array.isArray(cond.in)) cond.in.forEach((v, i) => literal(v, [...path, 'in', i]))
  if (typeof cond.contains === 'string' && !operations.some((o) => o.includes(cond.contains as string)))
    problems.push({
      path: [...path, 'contains'],
      message: `${where}: match.operation contains "${cond.contains}" matches no operation; ${known}`,
    })
  if (typeof cond.regex === 'string') {
    let re: RegExp | undefined
    try {
      re = new RegExp(cond.regex)
    } catch {
      return // reported by checkCondition
    }
    if (!operations.some((o) => re.test(o)))
      problems.push({
        path: [...path, 'regex'],
        message: `${where}: match.operation regex "${cond.regex}" matches no operation; ${known}`,
      })
  }
}

function checkCondition(
  problems: Problem[],
  path: Array<string | number>,
  where: string,
  key: string,
  cond: unknown,
): void {
  const add = (message: string, at = path) => void problems.push({ path: at, message })
  if (!FACT_KEYS.includes(key) && !key.startsWith('request.'))
    add(
      `${where}: unknown fact \`${key}\`${didYouMean(key, FACT_KEYS)} (use ${FACT_KEYS.join(', ')} or request.<field path>)`,
    )
  if (cond === null || ['string', 'number', 'boolean'].includes(typeof cond)) return
  if (!isObject(cond)) return add(`${where}: a condition is a value or an object with ${OPERATORS.join(', ')}`)
  for (const [op, arg] of Object.entries(cond)) {
    const at = [...path, op]
    if (!OPERATORS.includes(op))
      add(`${where}: unknown operator \`${op}\`${didYouMean(op, OPERATORS)} (allowed: ${OPERATORS.join(', ')})`, at)
    else if (op === 'regex') {
      if (typeof arg !== 'string') add(`${where}.regex must be text`, at)
      else
        try {
          new RegExp(arg)
          if (!isSafeRegex(arg))
            add(
              `${where}.regex ${JSON.stringify(arg)} can backtrack catastrophically (a repetition inside a repetition, e.g. (a+)+): one long value would block the whole sandbox. Rewrite it without the nested repetition, e.g. ^a+$ instead of ^(a+)+$`,
              at,
            )
        } catch (e) {
          add(`${where}.regex is not a valid regular expression: ${(e as Error).message}`, at)
        }
    } else if (op === 'in' && !Array.isArray(arg)) add(`${where}.in must be a list`, at)
    else if (['gte', 'lte', 'gt', 'lt'].includes(op) && typeof arg !== 'number')
      add(`${where}.${op} must be a number`, at)
    else if (op === 'contains' && typeof arg !== 'string') add(`${where}.contains must be text`, at)
    else if (op === 'exists' && typeof arg !== 'boolean') add(`${where}.exists must be true or false`, at)
    else if (op === 'not') checkCondition(problems, at, `${where}.not`, key, arg)
  }
}

function checkDuration(
  problems: Problem[],
  path: Array<string | number>,
  where: string,
  value: unknown,
  required: boolean,
): void {
  if (value === undefined) {
    if (required) problems.push({ path, message: `${where} is required (e.g. 2s)` })
    return
  }
  try {
    parseDuration(value as string | number)
  } catch (e) {
    problems.push({ path, message: `${where}: ${(e as Error).message}` })
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
  const file = readDataFile(path)
  if ('error' in file) throw new ScenarioError(path, [file.error])
  return file.parsed
}

/**
 * Validates a parsed scenario file read from `path`. Throws `ScenarioError`, whose problems read
 * `file:line: rule 2 ("name"): …` (the file is read again for line numbers only when invalid).
 */
export function checkScenarioFile(parsed: unknown, path: string, providers?: ProviderLookup): ScenarioFile {
  const problems = scenarioProblems(parsed, providers)
  if (problems.length) {
    let text: string | undefined
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      text = undefined
    }
    throw new ScenarioError(path, formatProblems(path, text, problems))
  }
  return parsed as ScenarioFile
}

/** Reads a YAML or JSON scenario file from disk and validates it. Throws `ScenarioError`. */
export function readScenarioFile(path: string, providers?: ProviderLookup): ScenarioFile {
  return checkScenarioFile(parseScenarioFile(path), path, providers)
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
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
export function currencyExponent(currency: string | undefined): number {
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
