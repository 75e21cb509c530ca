import {
  OpenApiBuilder,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
} from 'openapi3-ts/oas31'
import { type ScenarioFile } from '../engine/scenarios.js'
import { PROVIDERS } from '../providers/index.js'
import { ref, providerIds, DELIVERY_STATES, JOURNAL_KINDS } from './openapi-schemas.js'

/** The admin API's JSON routes under `/_sandbox`, and the helpers every path uses. */

// ---------------------------------------------------------------------------------------------
// Operations

export const errorResponse = (description: string, example?: string): ResponseObject => ({
  description,
  content: { 'application/json': { schema: ref('Error'), ...(example ? { example: { error: example } } : {}) } },
})

export const ok = (description: string, schema: SchemaObject | ReferenceObject, example?: unknown): ResponseObject => ({
  description,
  content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
})

export const query = (
  name: string,
  description: string,
  schema: SchemaObject = { type: 'string' },
): ParameterObject => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
})
export const path = (
  name: string,
  description: string,
  schema: SchemaObject = { type: 'string' },
  example?: string,
): ParameterObject => ({ name, in: 'path', required: true, description, schema, ...(example ? { example } : {}) })
const limit = query('limit', 'At most this many entries (default 100).', {
  type: 'integer',
  minimum: 1,
  default: 100,
})
export const providerQuery = query('provider', 'Only this provider.', { type: 'string', enum: providerIds() })
export const jsonBody = (schema: SchemaObject | ReferenceObject, example: unknown) => ({
  required: true,
  content: { 'application/json': { schema, example } },
})

export const htmlPage: Record<string, ResponseObject> = {
  '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
}
export const asset: Record<string, ResponseObject> = {
  '200': {
    description: 'The file.',
    content: { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } } },
  },
  '404': errorResponse('No asset by that name.'),
}

export function op(
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

/** Adds the JSON routes (health, merchants, transactions, callbacks, scenarios, clock, journal, reset, documents, events). */
export function addAdminPaths(builder: OpenApiBuilder): void {
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
}
