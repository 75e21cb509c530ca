import { OpenApiBuilder } from 'openapi3-ts/oas31'
import { op, htmlPage, asset, providerQuery, query, errorResponse, jsonBody, ok, path } from './openapi-paths.js'
import { JOURNAL_KINDS, ref } from './openapi-schemas.js'

/** The HTML routes of the admin surface: the API docs page and the QA dashboard. */

/** Adds the docs page and the dashboard's pages and assets. */
export function addDashboardPaths(builder: OpenApiBuilder): void {
  builder
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
}
