import {
  OpenApiBuilder,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
} from 'openapi3-ts/oas31'
import type { CallbackRequest } from '../engine/provider.js'
import type { Delivery, DeliveryAttempt } from '../engine/callbacks.js'
import { Journal, type JournalEntry } from '../engine/journal.js'
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

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` })
const tick = (s: string | number) => `\`${s}\``
const list = (items: readonly string[]) => items.map(tick).join(', ')

const TRANSITION_SOURCES = {
  request: 'the synchronous answer to the provider request (initial status and `after: 0s` steps)',
  timeline: 'a scheduled step of the scenario timeline',
  admin: '`POST /_sandbox/transactions/{id}/transition` or `sandbox.transactions.transition()`',
  page: 'a button on a hosted payment page',
  expiry: "the provider's own timeout",
} satisfies Record<TransitionSource, string>

const DELIVERY_STATES = {
  scheduled: 'waiting for `dueAt` (the first attempt or a retry)',
  acknowledged: "the merchant's answer met the provider's acknowledgement rule",
  failed: "every attempt of the provider's retry schedule went unacknowledged",
  refused: "loop guard: the URL points back at this sandbox's own provider or admin paths, so it was not called",
} satisfies Record<Delivery['state'], string>

const JOURNAL_KINDS = {
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

const providerIds = () => PROVIDERS.map((p) => p.id)
const kindOf = (v: unknown) =>
  Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v

function merchantSettingsTable(): string {
  const rows = PROVIDERS.flatMap((p) =>
    p.merchants.flatMap((m) =>
      Object.entries(m)
        .filter(([k]) => k !== 'provider' && k !== 'id')
        .map(([k, v]) => `| ${p.id} | ${tick(m.id)} | ${tick(k)} | ${kindOf(v)} | ${tick(JSON.stringify(v))} |`),
    ),
  )
  return ['| Provider | Merchant | Setting | Type | Default |', '|---|---|---|---|---|', ...rows].join('\n')
}

function statusNamesText(): string {
  return PROVIDERS.map((p) => `- ${p.id}: ${list(Object.keys(p.nativeStatuses))}`).join('\n')
}

function description(): string {
  const journal = new Journal()
  return `The admin API of psp-sandbox, under \`/_sandbox\` on the same port as the providers (and, through the msw handlers, under each provider's intercepted host). It inspects and drives the sandbox: merchants and their settings, transactions and their status changes, callback deliveries, scenario rules, the clock, the journal.

## Stable shapes
These follow the sandbox contract and will not change: \`GET /health\` → 200 \`{"status":"ok"}\` once state is loaded, 503 before; \`GET /merchants\` and \`PATCH /merchants/{provider}/{id}\` → 200 with the merchant's settings; \`GET /transactions?provider=&reference=\` → a JSON array, newest first, each with \`id\`, \`provider\`, \`merchant\`, \`reference\`, \`providerRef\`, \`status\`, \`history\`; \`POST /transactions/{id}/transition\` \`{"status":…}\` → 200 with the transaction; \`GET /callbacks?provider=&reference=\` → delivery log entries with their attempts; \`POST /clock/advance\` \`{"by":"90s"}\` → 200 \`{"now":…}\` with a virtual clock, 409 with a real one. Everything else here may grow.

## Conventions
- Request bodies are JSON objects (\`PUT /scenarios\`: an object or a list of them), at most 1 MiB, nesting at most 64 levels; \`PUT /scenarios\` also takes YAML when \`Content-Type\` contains \`yaml\`. An empty body counts as \`{}\`. A request that changes state and carries a body must say \`Content-Type: application/json\` (or YAML): no web page can send one without a CORS preflight, which the sandbox does not grant.
- Access (see docs/security.md): the \`Host\` must be a loopback name or one of \`--allowed-hosts\`; a browser request from another origin (\`Origin\`, \`Sec-Fetch-Site\`) is refused; when the sandbox has an admin token (required to bind a non-loopback address), every route but \`GET /health\` needs \`Authorization: Bearer <token>\` (or the \`psp-sandbox-admin-token\` cookie).
- Errors are \`{"error": "<what is wrong, in plain words>", "details"?: [...]}\` with 400 (bad input: not JSON, null, a list, too deep, a YAML alias bomb, a bad value), 401 (admin token missing or wrong), 403 (foreign Host or Origin), 404 (no such thing), 409 (the clock is real), 413 (body over 1 MiB), 415 (not a JSON content type); a path under \`/_sandbox\` that is not listed here answers 404 with the same shape. A failure of the sandbox itself answers 500 \`{"error": "the sandbox failed: …"}\`.
- Times (\`at\`, \`createdAt\`, \`updatedAt\`, \`dueAt\`, \`now\`) are milliseconds since the epoch on the sandbox clock; the journal's \`at\` is ISO 8601. Durations are written \`500ms\`, \`2s\`, \`5m\`, \`1h\`, \`14d\`, \`1m30s\`, or a number of milliseconds.
- Lists are newest first and return at most \`limit\` entries (default 100).
- Providers served: ${list(providerIds())}. Each provider's own API is described at \`/_sandbox/openapi/{provider}.json\`.

## Merchants
Every provider's default test accounts are provisioned on every fresh start; the config file's \`merchants\` section changes them or adds more. \`PATCH /merchants/{provider}/{id}\` changes settings at runtime (persisted; \`POST /reset\` forgets the changes). Its rules:
- the body is a JSON object of settings to change; other settings keep their values;
- only settings the merchant already has can be set (a typo is refused, not ignored), and \`id\` and \`provider\` cannot change;
- a setting keeps its type (text, number, true/false, list, object); \`null\` is accepted for any setting;
- an object or list setting is replaced whole (send the complete object).

Settings of the default merchants:

${merchantSettingsTable()}

## Statuses
Transactions carry a provider-neutral \`status\` (${list(NEUTRAL_STATUSES)}); scenario files and \`POST /transactions/{id}/transition\` also take each provider's native names, which then show in \`nativeStatus\`:

${statusNamesText()}

## Journal
Every request to a provider path (with the answer, the scenario rule that decided it, the authentication verdict with an explanation, and notes), every callback attempt, every status change and admin change. Kept in memory, bounded: the newest ${journal.maxEntries} entries and ${journal.maxBytes} bytes, bodies cut at ${journal.maxBodyBytes} bytes.
`
}

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

// ---------------------------------------------------------------------------------------------
// Operations

const errorResponse = (description: string, example?: string): ResponseObject => ({
  description,
  content: { 'application/json': { schema: ref('Error'), ...(example ? { example: { error: example } } : {}) } },
})

const ok = (description: string, schema: SchemaObject | ReferenceObject, example?: unknown): ResponseObject => ({
  description,
  content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
})

const query = (name: string, description: string, schema: SchemaObject = { type: 'string' }): ParameterObject => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
})
const path = (
  name: string,
  description: string,
  schema: SchemaObject = { type: 'string' },
  example?: string,
): ParameterObject => ({ name, in: 'path', required: true, description, schema, ...(example ? { example } : {}) })
const limit = query('limit', 'At most this many entries (default 100).', { type: 'integer', minimum: 1, default: 100 })
const providerQuery = query('provider', 'Only this provider.', { type: 'string', enum: providerIds() })
const jsonBody = (schema: SchemaObject | ReferenceObject, example: unknown) => ({
  required: true,
  content: { 'application/json': { schema, example } },
})

const htmlPage: Record<string, ResponseObject> = {
  '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
}
const asset: Record<string, ResponseObject> = {
  '200': {
    description: 'The file.',
    content: { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } } },
  },
  '404': errorResponse('No asset by that name.'),
}

function op(
  tag: string,
  operationId: string,
  summary: string,
  description: string,
  responses: Record<string, ResponseObject>,
  extra: Partial<OperationObject> = {},
): OperationObject {
  return { operationId, tags: [tag], summary, description, ...extra, responses }
}

const scenarioExample: ScenarioFile = {
  provider: 'connecx',
  rules: [
    { name: 'big pay-outs are declined', match: { operation: 'payout', amount: { gte: 500 } }, outcome: 'declined' },
    {
      name: 'first two FLAKY requests time out',
      times: 2,
      match: { reference: { regex: '^FLAKY' } },
      respond: { fault: 'timeout' },
    },
    {
      name: 'late duplicated callback with a bad token',
      match: { reference: { contains: 'LATE' } },
      timeline: [{ after: '30s', status: 'approved', callback: { copies: 2, signature: 'invalid' } }],
    },
  ],
}

/**
 * The admin API's OpenAPI 3.1 document: every route `routes.ts` serves under `/_sandbox`, with
 * the merchant settings rules, the Delivery shape and the scenario file schema.
 */
export function adminOpenApi(): OpenAPIObject {
  const builder = OpenApiBuilder.create()
    .addTitle('psp-sandbox admin API')
    .addVersion('1.0.0')
    .addDescription(description())
    .addServer({
      url: 'http://127.0.0.1:8080',
      description: 'psp-sandbox started with `npm start` / `npx psp-sandbox` (default port)',
    })
  for (const host of PROVIDERS.flatMap((p) => p.hosts))
    builder.addServer({ url: host, description: 'In-process, through the `psp-sandbox/msw` handlers' })
  for (const [name, description] of [
    ['Health', 'Readiness.'],
    ['Merchants', 'Test accounts and their settings.'],
    ['Transactions', 'Transactions and their status changes.'],
    ['Callbacks', 'The callback delivery log.'],
    ['Scenarios', 'Rules that decide outcomes.'],
    ['Clock', 'The sandbox clock.'],
    ['Journal', 'What the sandbox saw and decided.'],
    ['Sandbox', 'Reset, documents and the live event stream.'],
    [
      'Dashboard',
      'The QA dashboard (HTML pages for people; everything they change goes through the JSON routes above).',
    ],
  ])
    builder.addTag({ name, description })

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

  const notFound = (what: string) => errorResponse(`No such ${what}.`)
  const connecxMerchant = PROVIDERS.find((p) => p.id === 'connecx')?.merchants[0]

  builder
    .addPath('/_sandbox/health', {
      get: op(
        'Health',
        'health',
        'Readiness',
        'Answers before state has loaded (every other request waits for it). Use it as the container health check: it also answers 503 while the disk refuses writes (full, I/O error, read-only) or, with `--store postgres://…`, while the database does not answer, with the reason, and 200 again once a write succeeds (the database answers).',
        {
          '200': ok(
            'State is loaded.',
            { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } },
            { status: 'ok' },
          ),
          '503': ok(
            "Still loading state, or the store is failing: state-changing requests get their provider's internal error until a write succeeds.",
            {
              type: 'object',
              required: ['status'],
              properties: {
                status: { enum: ['starting', 'failing'] },
                reason: { type: 'string', description: 'Why writes fail and what to do (failing only).' },
                since: { type: 'string', format: 'date-time', description: 'When writes began to fail.' },
              },
            },
            { status: 'starting' },
          ),
        },
      ),
    })
    .addPath('/_sandbox/merchants', {
      get: op(
        'Merchants',
        'listMerchants',
        'List merchants',
        'Every merchant with its current settings (defaults, then config file, then runtime changes).',
        {
          '200': ok(
            'The merchants.',
            { type: 'array', items: ref('Merchant') },
            PROVIDERS.flatMap((p) => p.merchants),
          ),
        },
        { parameters: [providerQuery] },
      ),
    })
    .addPath('/_sandbox/merchants/{provider}/{id}', {
      parameters: [
        path('provider', 'Provider id.', { type: 'string', enum: providerIds() }, 'connecx'),
        path('id', "The merchant's id at that provider.", { type: 'string' }, connecxMerchant?.id),
      ],
      get: op('Merchants', 'getMerchant', 'One merchant', 'The merchant with its current settings.', {
        '200': ok('The merchant.', ref('Merchant'), connecxMerchant),
        '404': notFound('merchant'),
      }),
      patch: op(
        'Merchants',
        'patchMerchant',
        'Change settings',
        'Changes the settings given and keeps the others (see Merchants in the description for the rules). Persisted; `POST /_sandbox/reset` forgets it.',
        {
          '200': ok('The merchant with all its settings.', ref('Merchant')),
          '400': errorResponse(
            'Not an object, an unknown setting, `id`/`provider`, a change of type, or a body that is not JSON.',
            '"apiKey" must be a string, got a number',
          ),
          '404': notFound('merchant'),
        },
        {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'object', additionalProperties: true },
                examples: {
                  connecxTokenRecipes: {
                    summary: 'Connecx: another pay-in/pay-out token recipe',
                    value: {
                      tokenRecipes: {
                        payment: ['merchantId', 'requestSalt', 'paymentRef', 'txnAmount', 'txnCurrency', 'apiKey'],
                      },
                    },
                  },
                  connecxMilliseconds: {
                    summary: 'Connecx: statusTimeStamp in milliseconds',
                    value: { statusTimeStampUnit: 'milliseconds' },
                  },
                  connecxInactive: { summary: 'Connecx: an inactive merchant (E1001)', value: { active: false } },
                },
              },
            },
          },
        },
      ),
    })
    .addPath('/_sandbox/transactions', {
      get: op(
        'Transactions',
        'listTransactions',
        'List transactions',
        'Newest first; every filter given must match.',
        { '200': ok('The transactions.', { type: 'array', items: ref('Transaction') }) },
        {
          parameters: [
            providerQuery,
            query('reference', "The merchant's reference, exactly."),
            query('providerRef', "The provider's own id for it (txnId, orderid, payment id, …), exactly."),
            query('merchant', 'The merchant id.'),
            query('status', 'A neutral status, or a native status name (matches `nativeStatus`).'),
            query('kind', 'The operation kind, e.g. `payin`.'),
            limit,
          ],
        },
      ),
    })
    .addPath('/_sandbox/transactions/{id}', {
      get: op(
        'Transactions',
        'getTransaction',
        'One transaction',
        'The transaction with its scheduled steps and its callbacks.',
        { '200': ok('The transaction.', ref('TransactionDetail')), '404': notFound('transaction') },
        {
          parameters: [path('id', "The sandbox's transaction id.", { type: 'string' }, 'connecx-1')],
        },
      ),
    })
    .addPath('/_sandbox/transactions/{id}/transition', {
      post: op(
        'Transactions',
        'transitionTransaction',
        'Move a transaction to a status',
        'Sets the status now (neutral or native name, allowed from any status) and sends the callback the change implies, unless `callback` is false (a provider sends callbacks only for the statuses its API does). Scheduled steps still run later unless the transaction is final by then.',
        {
          '200': ok('The transaction after the change.', ref('Transaction')),
          '400': errorResponse(
            'No `status`, or a name the provider does not know, or a body that is not JSON.',
            'send {"status":"<neutral or native status>"}, e.g. {"status":"approved"}',
          ),
          '404': notFound('transaction'),
        },
        {
          parameters: [path('id', "The sandbox's transaction id.", { type: 'string' }, 'connecx-1')],
          requestBody: jsonBody(
            {
              type: 'object',
              required: ['status'],
              properties: {
                status: { type: 'string', description: 'Neutral or native status name.' },
                callback: {
                  type: 'boolean',
                  default: true,
                  description: '`false`: change the status without sending its callback.',
                },
              },
            },
            { status: 'approved' },
          ),
        },
      ),
    })
    .addPath('/_sandbox/callbacks', {
      get: op(
        'Callbacks',
        'listCallbacks',
        'The delivery log',
        'Callbacks with their attempts, newest first; every filter given must match.',
        { '200': ok('The deliveries.', { type: 'array', items: ref('Delivery') }) },
        {
          parameters: [
            providerQuery,
            query('reference', "The merchant's reference."),
            query('transaction', "The sandbox's transaction id."),
            query('state', 'Delivery state.', { type: 'string', enum: Object.keys(DELIVERY_STATES) }),
            limit,
          ],
        },
      ),
    })
    .addPath('/_sandbox/callbacks/{id}', {
      get: op(
        'Callbacks',
        'getCallback',
        'One delivery',
        'The callback as sent, and every attempt.',
        { '200': ok('The delivery.', ref('Delivery')), '404': notFound('callback') },
        { parameters: [path('id', 'Delivery id.', { type: 'string' }, 'cb-1')] },
      ),
    })
    .addPath('/_sandbox/callbacks/{id}/redeliver', {
      post: op(
        'Callbacks',
        'redeliverCallback',
        'Deliver again now',
        "Sends the same callback (same body and signature) now, whatever its state, and answers once the attempt is done; if it is not acknowledged, the provider's retry schedule starts again.",
        { '200': ok('The delivery, with the new attempt.', ref('Delivery')), '404': notFound('callback') },
        { parameters: [path('id', 'Delivery id.', { type: 'string' }, 'cb-1')] },
      ),
    })
    .addPath('/_sandbox/callbacks/{id}/copy', {
      post: op(
        'Callbacks',
        'copyCallback',
        'Send a duplicate or a badly signed copy',
        "Schedules a new delivery now and answers once its first attempt is done. `duplicate`: the same bytes again (as a provider that sends twice). `invalid`: the callback signed wrongly, which the merchant must refuse (providers that sign each send afresh re-sign it wrongly; the others build the callback of the transaction's current status with a bad signature). The copy has its own id and retries.",
        {
          '200': ok('The new delivery, with its first attempt.', ref('Delivery')),
          '400': errorResponse(
            'No `kind`, or one other than `duplicate` and `invalid`.',
            'send {"kind":"duplicate"} (the same bytes again) or {"kind":"invalid"} (a bad signature)',
          ),
          '404': notFound('callback'),
        },
        {
          parameters: [path('id', 'Delivery id of the callback to copy.', { type: 'string' }, 'cb-1')],
          requestBody: jsonBody(
            {
              type: 'object',
              required: ['kind'],
              properties: { kind: { type: 'string', enum: ['duplicate', 'invalid'] } },
            },
            { kind: 'invalid' },
          ),
        },
      ),
    })
    .addPath('/_sandbox/scenarios', {
      get: op(
        'Scenarios',
        'getScenarios',
        'Rules in force',
        "Each layer's files as given, and per provider every rule in the order it is tried, with hit counts.",
        { '200': ok('The scenarios.', ref('Scenarios')) },
        {
          parameters: [
            query('provider', 'Only this provider in `effective`.', { type: 'string', enum: providerIds() }),
          ],
        },
      ),
      put: op(
        'Scenarios',
        'putScenarios',
        'Replace runtime rules',
        "Replaces the runtime layer's files for the providers named in the body (the runtime files of other providers stay). One file or a list, JSON or YAML. Each file is validated; an invalid one changes nothing. Persisted across restarts.",
        {
          '200': ok('The runtime layer now.', {
            type: 'object',
            required: ['runtime'],
            properties: { runtime: { type: 'array', items: ref('ScenarioFile') } },
          }),
          '400': {
            description: 'A file is not valid (every problem in `details`), or the body is not JSON.',
            content: {
              'application/json': {
                schema: ref('Error'),
                example: {
                  error:
                    'scenario 1 of the request is not a valid scenario file:\n  - rule 1: `outcome` is "aproved"; use one of …',
                  details: ['rule 1: `outcome` is "aproved"; use one of …'],
                },
              },
            },
          },
        },
        {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { oneOf: [ref('ScenarioFile'), { type: 'array', items: ref('ScenarioFile') }] },
                example: scenarioExample,
              },
              'application/yaml': {
                schema: { oneOf: [ref('ScenarioFile'), { type: 'array', items: ref('ScenarioFile') }] },
                example:
                  'provider: connecx\nrules:\n  - name: big pay-outs are declined\n    match: { operation: payout, amount: { gte: 500 } }\n    outcome: declined\n',
              },
            },
          },
        },
      ),
      delete: op('Scenarios', 'deleteScenarios', 'Reset scenarios', 'Same as `POST /_sandbox/scenarios/reset`.', {
        '200': ok(
          'Nothing left at runtime.',
          { type: 'object', required: ['runtime'], properties: { runtime: { type: 'array', maxItems: 0 } } },
          { runtime: [] },
        ),
      }),
    })
    .addPath('/_sandbox/scenarios/reset', {
      post: op(
        'Scenarios',
        'resetScenarios',
        'Reset scenarios',
        "Removes the runtime and per-test override rules and resets every rule's `times` count. Files and built-in rules stay.",
        {
          '200': ok(
            'Nothing left at runtime.',
            { type: 'object', required: ['runtime'], properties: { runtime: { type: 'array', maxItems: 0 } } },
            { runtime: [] },
          ),
        },
      ),
    })
    .addPath('/_sandbox/clock', {
      get: op(
        'Clock',
        'getClock',
        'The clock',
        '`real` follows the wall clock; `virtual` moves only with `POST /_sandbox/clock/advance`.',
        {
          '200': ok(
            'The clock.',
            {
              type: 'object',
              required: ['mode', 'now', 'iso', 'due'],
              properties: {
                mode: { type: 'string', enum: ['real', 'virtual'] },
                now: { type: 'integer' },
                iso: { type: 'string', format: 'date-time' },
                due: { type: 'array', items: ref('DueWork'), description: 'Work waiting on the clock, soonest first.' },
              },
            },
            {
              mode: 'virtual',
              now: 1669868124000,
              iso: '2022-12-01T04:15:24.000Z',
              due: [
                {
                  at: 1669868126000,
                  kind: 'step',
                  id: 'job-1',
                  transactionId: 'connecx-1',
                  what: 'status approved (default — approved 2 s after acceptance)',
                },
              ],
            },
          ),
        },
      ),
    })
    .addPath('/_sandbox/clock/advance', {
      post: op(
        'Clock',
        'advanceClock',
        'Move a virtual clock forward',
        'Moves time forward, running every timeline step and callback attempt that falls due on the way (in order, each finished before the next), and answers once they are all done. The time is remembered across restarts.',
        {
          '200': ok(
            'The new time.',
            {
              type: 'object',
              required: ['now', 'iso'],
              properties: { now: { type: 'integer' }, iso: { type: 'string', format: 'date-time' } },
            },
            { now: 1669868214000, iso: '2022-12-01T04:16:54.000Z' },
          ),
          '400': errorResponse(
            'No `by`, a duration that cannot be read, or a body that is not JSON.',
            'send {"by":"90s"} (ms, s, m, h or d)',
          ),
          '409': errorResponse(
            'The clock is real.',
            'the clock is real and cannot be advanced; start the sandbox with --clock virtual',
          ),
        },
        {
          requestBody: jsonBody(
            { type: 'object', required: ['by'], properties: { by: ref('Duration') } },
            { by: '90s' },
          ),
        },
      ),
    })
    .addPath('/_sandbox/journal', {
      get: op(
        'Journal',
        'listJournal',
        'The journal',
        'Newest first; every filter given must match.',
        { '200': ok('The entries.', { type: 'array', items: ref('JournalEntry') }) },
        {
          parameters: [
            providerQuery,
            query('kind', 'Entry kind.', { type: 'string', enum: Object.keys(JOURNAL_KINDS) }),
            query('reference', "The merchant's reference."),
            query('transaction', "The sandbox's transaction id."),
            query(
              'refused',
              '`true`: only refused requests (an auth verdict that failed, or an answer of 400 or more).',
              {
                type: 'string',
                enum: ['true', 'false'],
              },
            ),
            limit,
          ],
        },
      ),
    })
    .addPath('/_sandbox/reset', {
      post: op(
        'Sandbox',
        'reset',
        'Back to a fresh start',
        'Forgets transactions, scheduled steps, callbacks (pending ones are cancelled), runtime and override scenario rules and their counts, merchant setting changes and provider state (e.g. balances); empties the journal. The clock keeps its time.',
        {
          '200': ok(
            'Done.',
            { type: 'object', required: ['status'], properties: { status: { const: 'reset' } } },
            { status: 'reset' },
          ),
        },
      ),
    })
    .addPath('/_sandbox/openapi/{file}', {
      get: op(
        'Sandbox',
        'getOpenApi',
        'OpenAPI documents',
        "This document (`admin.json`) or a provider's (`<provider>.json`); the `.json` ending is optional.",
        {
          '200': ok('An OpenAPI 3.1 document.', { type: 'object', additionalProperties: true }),
          '404': errorResponse('No document by that name.'),
        },
        {
          parameters: [
            path(
              'file',
              '`admin.json` or `<provider>.json`.',
              { type: 'string', enum: ['admin', ...providerIds()].flatMap((n) => [`${n}.json`, n]) },
              'admin.json',
            ),
          ],
        },
      ),
    })
    .addPath('/_sandbox/events', {
      get: op(
        'Sandbox',
        'events',
        'Live event stream (SSE)',
        'A `text/event-stream` that stays open: one event per change, named `journal` (an entry recorded: `{id, kind, provider, status, transactionId}`), `transaction` (created or moved: `{id, provider, status, nativeStatus}`), `delivery` (a callback scheduled or attempted: `{id, transactionId, state, attempts}`), `clock` (`{now}`) or `reset`; `hello` on connect and `ping` every 15 s. Ids and states only: read the details from the routes above. The dashboard refreshes its live regions from it.',
        {
          '200': {
            description: 'The stream.',
            content: {
              'text/event-stream': {
                schema: { type: 'string' },
                example:
                  'event: hello\ndata: {"now":1669868124000}\nretry: 2000\n\nevent: transaction\ndata: {"id":"connecx-1","provider":"connecx","status":"declined","nativeStatus":"FAILED"}\n\n',
              },
            },
          },
        },
      ),
    })
    .addPath('/_sandbox/docs', {
      get: op(
        'Dashboard',
        'docs',
        'API docs',
        'These documents (admin and every provider) in Swagger UI, served from the package (no network); try-it-out sends requests to this sandbox.',
        htmlPage,
      ),
    })
    .addPath('/_sandbox/docs/assets/{file}', {
      get: op(
        'Dashboard',
        'docsAsset',
        'API docs assets',
        "Swagger UI files from the `swagger-ui-dist` package, and the page's own script.",
        asset,
        {
          parameters: [path('file', 'File name.', { type: 'string' }, 'swagger-ui.css')],
        },
      ),
    })
    .addPath('/_sandbox/ui', {
      get: op(
        'Dashboard',
        'dashboardTransactions',
        'Dashboard: transactions',
        'Transactions, newest first, 25 a page, updated live; filters as `GET /_sandbox/transactions` plus `page`. `GET /` redirects here.',
        htmlPage,
        {
          parameters: [
            providerQuery,
            query('merchant', 'The merchant id.'),
            query('status', 'A neutral or native status.'),
            query('reference', "The merchant's reference."),
            query('providerRef', "The provider's own id."),
            query('page', 'Page number, from 1.', { type: 'integer', minimum: 1 }),
          ],
        },
      ),
    })
    .addPath('/_sandbox/ui/transactions/{id}', {
      get: op(
        'Dashboard',
        'dashboardTransaction',
        'Dashboard: one transaction',
        'Its history with the rule behind each step, the wire exchange from the journal with the auth verdict explained, its callbacks with every attempt, and actions (move to a status, redeliver, duplicate, badly signed copy, hosted page).',
        {
          ...htmlPage,
          '404': {
            description: 'No such transaction (an HTML page).',
            content: { 'text/html': { schema: { type: 'string' } } },
          },
        },
        { parameters: [path('id', "The sandbox's transaction id.", { type: 'string' }, 'connecx-1')] },
      ),
    })
    .addPath('/_sandbox/ui/journal', {
      get: op(
        'Dashboard',
        'dashboardJournal',
        'Dashboard: journal',
        'The journal, live, with its filters (as `GET /_sandbox/journal`; `refused=on`).',
        htmlPage,
        {
          parameters: [
            providerQuery,
            query('kind', 'Entry kind.', { type: 'string', enum: Object.keys(JOURNAL_KINDS) }),
            query('reference', "The merchant's reference."),
            query('transaction', "The sandbox's transaction id."),
            query('refused', 'Only refused requests.'),
          ],
        },
      ),
    })
    .addPath('/_sandbox/ui/clock', {
      get: op(
        'Dashboard',
        'dashboardClock',
        'Dashboard: clock',
        'The time, the mode, an advance form (virtual clock) and the due work.',
        htmlPage,
      ),
    })
    .addPath('/_sandbox/ui/merchants', {
      get: op(
        'Dashboard',
        'dashboardMerchants',
        'Dashboard: merchants',
        "Each merchant's settings in a form that saves through `PATCH /_sandbox/merchants/{provider}/{id}`.",
        htmlPage,
      ),
    })
    .addPath('/_sandbox/ui/scenarios', {
      get: op(
        'Dashboard',
        'dashboardScenarios',
        'Dashboard: scenarios',
        'The rules per provider in the order they are tried, with match counts, and the runtime scenario editor.',
        htmlPage,
      ),
      post: op(
        'Dashboard',
        'dashboardInstallScenario',
        'Install a runtime scenario from text',
        "The scenario editor's target: the text as typed, YAML or JSON (one file or a list), so the browser sends JSON only. Otherwise as `PUT /_sandbox/scenarios`.",
        {
          '200': ok('The runtime layer now.', {
            type: 'object',
            required: ['runtime'],
            properties: { runtime: { type: 'array', items: ref('ScenarioFile') } },
          }),
          '400': errorResponse(
            'No text, text that is not YAML or JSON, or a scenario that does not validate (`details` names rule and field).',
          ),
        },
        {
          requestBody: jsonBody(
            {
              type: 'object',
              required: ['text'],
              properties: { text: { type: 'string', description: 'A scenario file as YAML or JSON.' } },
            },
            { text: 'provider: connecx\nrules:\n  - match: { amount: { gte: 500 } }\n    outcome: declined\n' },
          ),
        },
      ),
    })
    .addPath('/_sandbox/ui/assets/{file}', {
      get: op('Dashboard', 'dashboardAsset', 'Dashboard assets', "The dashboard's stylesheet and script.", asset, {
        parameters: [
          path('file', 'File name.', { type: 'string', enum: ['dashboard.css', 'dashboard.js'] }, 'dashboard.js'),
        ],
      }),
    })

  return builder.getSpec()
}
