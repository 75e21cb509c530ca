import { OpenApiBuilder, type ReferenceObject, type SchemaObject } from 'openapi3-ts/oas31'
import type { CallbackRequest } from '../engine/provider.js'
import type { Delivery, DeliveryAttempt } from '../engine/callbacks.js'
import { type JournalEntry } from '../engine/journal.js'
import {
  FAULTS,
  LAYERS,
  type CallbackSpec,
  type Condition,
  type RequestFacts,
  type RespondSpec,
  type ScenarioFile,
  type ScenarioLayer,
  type ScenarioRule,
  type TimelineStep,
} from '../engine/scenarios.js'
import type { TimelineJob } from '../engine/transactions.js'
import type { DueWork } from '../engine/engine.js'
import { NEUTRAL_STATUSES, type HistoryEntry, type Transaction, type TransitionSource } from '../engine/types.js'
import { PROVIDERS } from '../providers/index.js'

/** The admin API's schemas: each documents a type of the engine, and the compiler checks the keys. */

/** A schema per key of `T`: the compiler refuses a key left undocumented or one that does not exist. */
type Props<T> = { [K in keyof Required<T>]: SchemaObject | ReferenceObject }

function object<T>(
  description: string,
  properties: Props<T>,
  required: Array<keyof T & string>,
  additionalProperties: boolean | SchemaObject = false,
): SchemaObject {
  return {
    type: 'object',
    description,
    required,
    properties: properties as Record<string, SchemaObject | ReferenceObject>,
    additionalProperties,
  }
}

export const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` })
export const tick = (s: string | number) => `\`${s}\``
export const list = (items: readonly string[]) => items.map(tick).join(', ')

const TRANSITION_SOURCES = {
  request: 'the synchronous answer to the provider request (initial status and `after: 0s` steps)',
  timeline: 'a scheduled step of the scenario timeline',
  admin: '`POST /_sandbox/transactions/{id}/transition` or `sandbox.transactions.transition()`',
  page: 'a button on a hosted payment page',
  expiry: "the provider's own timeout",
} satisfies Record<TransitionSource, string>

export const DELIVERY_STATES = {
  scheduled: 'waiting for `dueAt` (the first attempt or a retry)',
  acknowledged: "the merchant's answer met the provider's acknowledgement rule",
  failed: "every attempt of the provider's retry schedule went unacknowledged",
  refused: "loop guard: the URL points back at this sandbox's own provider or admin paths, so it was not called",
} satisfies Record<Delivery['state'], string>

export const JOURNAL_KINDS = {
  request: 'an HTTP request to a provider path, with the answer and the decision taken',
  callback: 'one callback delivery attempt',
  timeline: 'a status change of a transaction (by request, timeline, admin, page or expiry)',
  admin: 'a change made through the admin API',
  system: 'a failure of the sandbox itself',
} satisfies Record<JournalEntry['kind'], string>

const LAYER_TEXT = {
  override: 'per-test rules from `sandbox.scenarios.use()`, cleared by `sandbox.scenarios.reset()`',
  runtime: '`PUT /_sandbox/scenarios` (persisted across restarts)',
  user: '`--scenarios` files and folders',
  'built-in': 'the shipped `scenarios/*.yaml`',
} satisfies Record<ScenarioLayer, string>

const FACTS = {
  operation: `the provider's operation name: ${PROVIDERS.map((p) => `${p.id}: ${p.operations.join(', ')}`).join('; ')}`,
  merchant: 'the merchant id',
  reference: "the merchant's reference (order id, `paymentRef`, `payment_id`, `client_orderid`)",
  amount: "the amount in the currency's major units (rupees, dollars), for every provider",
  amountMinor: 'the amount in minor units (paise, cents)',
  currency: 'the currency code',
  customer:
    "for flows that need a customer: `wait` (default) or `auto`, from the merchant's `customer` setting; built-in rules keep such flows open when it is `wait`",
  request: 'the decoded request: match keys `request.<field path>` (dots between levels) read it',
} satisfies Record<keyof RequestFacts, string>

type Operators = Exclude<Condition, string | number | boolean | null>

export const providerIds = () => PROVIDERS.map((p) => p.id)
export const kindOf = (v: unknown) =>
  Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v

// ---------------------------------------------------------------------------------------------
// Schemas

const duration: SchemaObject = {
  oneOf: [
    { type: 'string', examples: ['500ms', '2s', '90s', '5m', '1h', '14d', '1m30s'] },
    { type: 'number', minimum: 0, description: 'milliseconds' },
  ],
  description:
    'A duration: a number with a unit (`ms`, `s`, `m`, `h`, `d`), several combined (`1m30s`), or a plain number of milliseconds.',
}

const history = object<HistoryEntry>(
  'One status change.',
  {
    at: { type: 'integer', description: 'When (ms since the epoch, sandbox clock).' },
    status: ref('NeutralStatus'),
    nativeStatus: { type: 'string', description: "The provider's own status name, when one was given." },
    source: {
      type: 'string',
      enum: Object.keys(TRANSITION_SOURCES),
      description: Object.entries(TRANSITION_SOURCES)
        .map(([k, v]) => `\`${k}\`: ${v}`)
        .join('; '),
    },
    rule: { type: 'string', description: 'The scenario rule behind it, with its source file and position.' },
  },
  ['at', 'status', 'source'],
)

const transaction = object<Transaction>(
  "A payment, payout or refund. The core is provider-neutral; `data` is the provider's own: what it needs to answer later queries and callbacks (the request itself is kept in the journal, not here).",
  {
    id: { type: 'string', description: "The sandbox's id, `<provider>-<n>`.", examples: ['connecx-1'] },
    provider: { type: 'string', enum: providerIds() },
    merchant: { type: 'string', description: 'The merchant id.' },
    kind: { type: 'string', description: "The provider's operation kind, e.g. `payin`, `payout`, `refund`." },
    reference: { type: 'string', description: "The merchant's reference (order id, paymentRef, client_orderid, …)." },
    providerRef: { type: 'string', description: "The provider's id for it (txnId, orderid, payment id, …)." },
    amount: { type: 'number' },
    currency: { type: 'string' },
    status: ref('NeutralStatus'),
    nativeStatus: {
      type: 'string',
      description: "The provider's own status name, when a scenario, page or admin transition named one.",
    },
    native: {
      type: 'object',
      additionalProperties: true,
      description: "Native fields a scenario rule's `native` asked for.",
    },
    callbackUrl: { type: 'string', description: 'Where its callbacks go.' },
    createdAt: { type: 'integer' },
    updatedAt: { type: 'integer', description: 'Time of the latest status change.' },
    history: { type: 'array', items: ref('HistoryEntry'), description: 'Every status change, oldest first.' },
    rule: { type: 'string', description: 'The scenario rule that decided it.' },
    data: { type: 'object', additionalProperties: true, description: 'Provider-specific.' },
  },
  [
    'id',
    'provider',
    'merchant',
    'kind',
    'reference',
    'providerRef',
    'amount',
    'currency',
    'status',
    'createdAt',
    'updatedAt',
    'history',
    'data',
  ],
)

const compiledCallback: SchemaObject = {
  oneOf: [
    { const: false, description: 'No callback.' },
    {
      type: 'object',
      required: ['copies', 'signature', 'delay'],
      properties: {
        copies: { type: 'integer', minimum: 1 },
        signature: { type: 'string', enum: ['valid', 'invalid'] },
        delay: { type: 'integer', description: 'ms' },
      },
    },
  ],
}

const timelineJob = object<TimelineJob>(
  'A scheduled status change (a timeline step still to come). Steps that fall due after the transaction became final are skipped.',
  {
    id: { type: 'string', examples: ['job-1'] },
    transactionId: { type: 'string' },
    at: { type: 'integer', description: 'When it falls due (ms, sandbox clock).' },
    status: { type: 'string', description: 'Neutral or native status name.' },
    callback: compiledCallback,
    source: { type: 'string', enum: Object.keys(TRANSITION_SOURCES) },
    rule: { type: 'string' },
  },
  ['id', 'transactionId', 'at', 'status', 'callback', 'source'],
)

const callbackRequest = object<CallbackRequest>(
  'The callback exactly as it is sent: built and signed by the provider module.',
  {
    url: { type: 'string' },
    method: { type: 'string', enum: ['POST', 'GET'] },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    body: { type: 'string', description: 'The exact body bytes as text (empty for GET).' },
    event: { type: 'string', description: 'What it reports, e.g. the native status.' },
  },
  ['url', 'method', 'headers', 'body', 'event'],
)

const deliveryAttempt = object<DeliveryAttempt>(
  'One try at delivering a callback.',
  {
    at: { type: 'integer' },
    status: { type: 'integer', description: 'HTTP status received; absent when no answer came.' },
    acknowledged: { type: 'boolean' },
    error: {
      type: 'string',
      description:
        'What went wrong, in plain words (connection refused, timed out, not acknowledged and why, loop guard).',
    },
    responseBody: { type: 'string', description: "The merchant's answer (first 2048 characters)." },
    durationMs: { type: 'number' },
  },
  ['at', 'acknowledged', 'durationMs'],
)

const delivery = object<Delivery>(
  'A callback and its delivery history (persisted: a restart resumes scheduled deliveries).',
  {
    id: { type: 'string', examples: ['cb-1'] },
    provider: { type: 'string' },
    merchant: { type: 'string' },
    transactionId: { type: 'string' },
    reference: { type: 'string' },
    event: { type: 'string' },
    signature: {
      type: 'string',
      enum: ['valid', 'invalid'],
      description: '`invalid` when a scenario asked for a deliberately bad signature.',
    },
    request: ref('CallbackRequest'),
    createdAt: { type: 'integer' },
    dueAt: { type: 'integer', description: 'When the next attempt is due (for `scheduled`).' },
    state: {
      type: 'string',
      enum: Object.keys(DELIVERY_STATES),
      description: Object.entries(DELIVERY_STATES)
        .map(([k, v]) => `\`${k}\`: ${v}`)
        .join('; '),
    },
    attempts: { type: 'array', items: ref('DeliveryAttempt') },
    failures: {
      type: 'integer',
      description: 'Failed attempts since the retry schedule (re)started; a redelivery restarts it.',
    },
  },
  [
    'id',
    'provider',
    'merchant',
    'transactionId',
    'reference',
    'event',
    'signature',
    'request',
    'createdAt',
    'dueAt',
    'state',
    'attempts',
    'failures',
  ],
)

const operators = object<Operators>(
  'Operators; several in one object must all hold.',
  {
    regex: { type: 'string', description: 'The value (as text) matches this regular expression.' },
    in: { type: 'array', description: 'The value equals one of these.' },
    gte: { type: 'number' },
    lte: { type: 'number' },
    gt: { type: 'number' },
    lt: { type: 'number', description: 'Numeric comparisons; a numeric string counts as its number.' },
    contains: { type: 'string', description: 'The value is text containing this (case-sensitive).' },
    exists: { type: 'boolean', description: 'The value is present (not absent or null).' },
    not: ref('Condition'),
    equals: { description: 'The value equals this (as `in` with one entry).' },
  },
  [],
)

const factPattern = `^(${(Object.keys(FACTS) as Array<keyof RequestFacts>)
  .filter((k) => k !== 'request')
  .join('|')}|request\\..+)$`

const rule = object<ScenarioRule>(
  'A rule. Rules are tried in order, the first that matches decides; unknown fields are refused.',
  {
    name: { type: 'string', description: 'Shown in the journal and the admin views.' },
    description: { type: 'string' },
    match: {
      type: 'object',
      description: `Conditions on the request's facts, all of which must hold (no \`match\`: every request). Facts: ${Object.entries(
        FACTS,
      )
        .map(([k, v]) => `\`${k}\` (${v})`)
        .join(', ')}.`,
      propertyNames: { pattern: factPattern },
      additionalProperties: ref('Condition'),
    },
    outcome: {
      type: 'string',
      description:
        "The final status: neutral or a native name of the provider (see Statuses in the description). Without a `timeline` it is reached 2 s after acceptance with its callback; `pending` never moves; `expired` happens on the provider's own timeout. Default: the last timeline step's status, or `approved`.",
    },
    native: {
      type: 'object',
      additionalProperties: true,
      description:
        "Provider-native fields to render (e.g. a result code or error message); see the provider's document.",
    },
    timeline: {
      type: 'array',
      items: ref('TimelineStep'),
      description: 'Status changes after the synchronous answer (replaces the default 2 s step).',
    },
    times: {
      type: 'integer',
      minimum: 1,
      description:
        'The rule applies this many times, then is skipped (counts reset with `POST /_sandbox/scenarios/reset`).',
    },
    once: { type: 'boolean', description: 'Same as `times: 1`.' },
    respond: ref('RespondSpec'),
  },
  [],
)

const timelineStep = object<TimelineStep>(
  'A status change at a time after acceptance.',
  {
    after: { ...duration, description: 'Measured from acceptance; `0s` applies before the synchronous answer.' },
    status: { type: 'string', description: 'Neutral or native status name.' },
    callback: {
      oneOf: [{ type: 'boolean' }, ref('CallbackSpec')],
      default: true,
      description: 'Send the callback this change implies (default true).',
    },
  },
  ['after', 'status'],
)

const callbackSpec = object<CallbackSpec>(
  'How the callback of a timeline step misbehaves.',
  {
    copies: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 1,
      description: 'Deliver this many identical copies.',
    },
    signature: {
      type: 'string',
      enum: ['valid', 'invalid'],
      default: 'valid',
      description: '`invalid` signs it wrongly.',
    },
    delay: { ...duration, description: 'Extra delay before the first attempt.' },
  },
  [],
)

const respondSpec = object<RespondSpec>(
  'How the HTTP answer misbehaves.',
  {
    fault: {
      type: 'string',
      enum: [...FAULTS],
      description:
        '`timeout`: the answer never comes; `reset`: the connection is dropped; `empty`: an empty body; `malformed`: the body cut in half; `http-500`/`http-503`: a gateway error page. `timeout`, `reset` and `http-5xx` happen before processing (nothing is stored) unless `processed: true`; `empty` and `malformed` always process first.',
    },
    latency: { ...duration, description: 'Wait this long (sandbox clock) before answering.' },
    processed: {
      type: 'boolean',
      default: false,
      description: 'With a fault: process the request first (the transaction exists), then misbehave.',
    },
  },
  [],
)

const scenarioFile = object<ScenarioFile>(
  'A scenario file (YAML or JSON): rules for one provider, or for all (`"*"`). Within a layer, a provider\'s own files are tried before `"*"` files.',
  {
    provider: { type: 'string', enum: ['*', ...providerIds()] },
    description: { type: 'string' },
    rules: { type: 'array', items: ref('ScenarioRule') },
  },
  ['provider', 'rules'],
)

const journalEntry = object<JournalEntry>(
  'What the sandbox saw and decided, in plain words.',
  {
    id: { type: 'integer' },
    at: { type: 'string', format: 'date-time', description: 'Sandbox clock.' },
    kind: {
      type: 'string',
      enum: Object.keys(JOURNAL_KINDS),
      description: Object.entries(JOURNAL_KINDS)
        .map(([k, v]) => `\`${k}\`: ${v}`)
        .join('; '),
    },
    provider: { type: 'string' },
    method: { type: 'string' },
    path: { type: 'string', description: 'Path and query (requests) or URL (callbacks).' },
    status: { type: 'integer', description: 'HTTP status answered (requests) or received (callbacks).' },
    operation: { type: 'string' },
    merchant: { type: 'string' },
    reference: { type: 'string' },
    transactionId: { type: 'string' },
    rule: { type: 'string', description: 'The scenario rule that decided the outcome, with its source.' },
    auth: {
      type: 'object',
      required: ['ok', 'explanation'],
      properties: {
        ok: { type: 'boolean' },
        explanation: { type: 'string', description: 'On failure: what the sandbox expected and why.' },
      },
    },
    notes: {
      type: 'array',
      items: { type: 'string' },
      description: 'Validation failures, decode layers, skipped steps, faults.',
    },
    requestBody: { type: 'string' },
    responseBody: { type: 'string' },
    durationMs: { type: 'number' },
  },
  ['id', 'at', 'kind', 'notes'],
)

/** Adds every schema of the admin API to `builder`. */
export function addAdminSchemas(builder: OpenApiBuilder): void {
  builder
    .addSchema('Error', {
      type: 'object',
      required: ['error'],
      properties: {
        error: { type: 'string', description: 'What is wrong, in plain words.' },
        details: {
          type: 'array',
          items: { type: 'string' },
          description: 'For invalid scenario files: one entry per problem, naming the rule and field.',
        },
      },
    })
    .addSchema('NeutralStatus', { type: 'string', enum: [...NEUTRAL_STATUSES] })
    .addSchema('Merchant', {
      type: 'object',
      description:
        'A merchant account with its settings (keys, URLs, token recipes, …); which settings exist depends on the provider (see Merchants in the description).',
      required: ['provider', 'id'],
      properties: { provider: { type: 'string', enum: providerIds() }, id: { type: 'string' } },
      additionalProperties: true,
    })
    .addSchema('HistoryEntry', history)
    .addSchema('Transaction', transaction)
    .addSchema('TimelineJob', timelineJob)
    .addSchema('TransactionDetail', {
      ...transaction,
      description: 'A transaction with its scheduled steps and its callbacks.',
      required: [...(transaction.required ?? []), 'scheduled', 'callbacks'],
      properties: {
        ...transaction.properties,
        scheduled: { type: 'array', items: ref('TimelineJob'), description: 'Timeline steps still to come.' },
        callbacks: { type: 'array', items: ref('Delivery'), description: 'Its callbacks, newest first.' },
      },
    })
    .addSchema('CallbackRequest', callbackRequest)
    .addSchema('DeliveryAttempt', deliveryAttempt)
    .addSchema('Delivery', delivery)
    .addSchema('Duration', duration)
    .addSchema('Condition', {
      description: 'A literal (exact match; `100` also matches `"100"`) or an object of operators.',
      oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }, ref('ConditionOperators')],
    })
    .addSchema('ConditionOperators', operators)
    .addSchema('CallbackSpec', callbackSpec)
    .addSchema('TimelineStep', timelineStep)
    .addSchema('RespondSpec', respondSpec)
    .addSchema('ScenarioRule', rule)
    .addSchema('ScenarioFile', scenarioFile)
    .addSchema('EffectiveRule', {
      type: 'object',
      required: ['rule', 'layer', 'hits'],
      properties: {
        rule: { type: 'string', description: 'Name, source file and position.' },
        layer: { type: 'string', enum: [...LAYERS] },
        hits: { type: 'integer', description: 'Requests it has decided since the last count reset.' },
        times: { type: 'integer', description: 'Its `times` limit, if any.' },
      },
    })
    .addSchema('Scenarios', {
      type: 'object',
      required: ['layers', 'effective'],
      properties: {
        layers: {
          type: 'object',
          description: `The files of each layer as given, in the order layers are tried: ${LAYERS.map((l) => `\`${l}\` (${LAYER_TEXT[l]})`).join(', ')}.`,
          required: [...LAYERS],
          properties: Object.fromEntries(LAYERS.map((l) => [l, { type: 'array', items: ref('ScenarioFile') }])),
        },
        effective: {
          type: 'object',
          description: 'Per provider: every rule in the order it is tried.',
          additionalProperties: { type: 'array', items: ref('EffectiveRule') },
        },
      },
    })
    .addSchema('JournalEntry', journalEntry)
    .addSchema(
      'DueWork',
      object<DueWork>(
        'A timeline step or callback attempt waiting on the clock.',
        {
          at: { type: 'integer', description: 'When it falls due (ms since the epoch, clock time).' },
          kind: { type: 'string', enum: ['step', 'callback'] },
          id: { type: 'string', description: 'Job id (`job-3`) or delivery id (`cb-7`).' },
          transactionId: { type: 'string' },
          what: { type: 'string', description: 'In words: the status it sets, or the callback it sends.' },
        },
        ['at', 'kind', 'id', 'transactionId', 'what'],
      ),
    )
}
