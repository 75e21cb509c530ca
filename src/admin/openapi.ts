import { OpenApiBuilder, type OpenAPIObject } from 'openapi3-ts/oas31'
import { Journal } from '../engine/journal.js'
import { NEUTRAL_STATUSES } from '../engine/types.js'
import { PROVIDERS } from '../providers/index.js'
import { addDashboardPaths } from './openapi-dashboard.js'
import { addAdminPaths } from './openapi-paths.js'
import { tick, kindOf, list, providerIds, addAdminSchemas } from './openapi-schemas.js'

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

  addAdminSchemas(builder)
  addAdminPaths(builder)
  addDashboardPaths(builder)
  return builder.getSpec()
}
