import { readFileSync, readdirSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import isSafeRegex from 'safe-regex2'
import { parseDuration } from './duration.js'
import { NEUTRAL_STATUSES } from './types.js'
import { didYouMean, formatProblems, readDataFile, type Problem } from './validation.js'
import { FAULTS, ScenarioError, type ScenarioFile } from './scenario-types.js'

// Scenario files: reading them from disk, and validating them with problems that name the file,
// the rule and the field.

const FACT_KEYS = ['operation', 'merchant', 'reference', 'amount', 'amountMinor', 'currency', 'customer']
const OPERATORS = ['regex', 'in', 'gte', 'lte', 'gt', 'lt', 'contains', 'exists', 'not', 'equals']
const RULE_KEYS = ['name', 'description', 'match', 'outcome', 'native', 'timeline', 'times', 'once', 'respond']
const STEP_KEYS = ['after', 'status', 'callback']
const CALLBACK_KEYS = ['copies', 'signature', 'delay']
const RESPOND_KEYS = ['fault', 'latency', 'processed']

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

export function factsOf(lookup: ProviderLookup, id: string): ProviderFacts | undefined {
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
