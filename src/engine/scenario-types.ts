import type { CompiledCallback } from './types.js'

// What a scenario file holds, what a request tells the scenarios, and what they decide.

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
