/**
 * JSON Schemas (draft-07, the draft editors' YAML and JSON support reads) for config files and
 * scenario files, built from the provider modules: provider ids, operation names, native
 * statuses and merchant settings come from the code, so the schemas cannot drift from it.
 * `psp-sandbox schemas --out schemas` writes them; the package ships them in `schemas/`, and the
 * built-in scenario files reference theirs with `# yaml-language-server: $schema=…`.
 *
 * @example
 * writeFileSync('scenario.schema.json', JSON.stringify(scenarioSchema(PROVIDERS), null, 2))
 */
import { merchantSettingsSchema } from './engine/merchants.js'
import type { Provider } from './engine/provider.js'
import { FAULTS } from './engine/scenarios.js'
import { NEUTRAL_STATUSES } from './engine/types.js'

type Schema = Record<string, unknown>
const DRAFT = 'http://json-schema.org/draft-07/schema#'
const duration: Schema = {
  description: 'a duration: 500ms, 2s, 1m30s, 1h, 1d, or milliseconds as a number',
  anyOf: [
    { type: 'string', pattern: '^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))+)\\s*$' },
    { type: 'number', minimum: 0 },
  ],
}

/** The schema of scenario files (`--scenarios`, `PUT /_sandbox/scenarios`, `scenarios/*.yaml`). */
export function scenarioSchema(providers: readonly Provider[]): Schema {
  const ids = providers.map((p) => p.id)
  const statuses = (p?: Provider) => [...NEUTRAL_STATUSES, ...Object.keys(p?.nativeStatuses ?? {})]
  return {
    $schema: DRAFT,
    $id: 'https://github.com/psp-sandbox/psp-sandbox/schemas/scenario.schema.json',
    title: 'psp-sandbox scenario file',
    description: 'Rules tried in order; the first that matches decides. See docs/scenarios.md.',
    type: 'object',
    required: ['provider', 'rules'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      provider: { description: 'a provider id, or "*" for every provider', enum: [...ids, '*'] },
      description: { type: 'string' },
      rules: { type: 'array', items: { $ref: '#/definitions/rule' } },
    },
    allOf: providers.map((p) => ({
      if: { properties: { provider: { const: p.id } } },
      then: {
        properties: {
          rules: {
            items: {
              properties: {
                match: { properties: { operation: operationCondition(p.operations) } },
                outcome: { enum: statuses(p) },
                timeline: { items: { properties: { status: { enum: statuses(p) } } } },
              },
            },
          },
        },
      },
    })),
    definitions: {
      rule: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          description: { type: 'string' },
          match: {
            description:
              'facts: operation, merchant, reference, amount (major units), amountMinor, currency, customer (wait | auto), request.<path>',
            type: 'object',
            propertyNames: {
              pattern: '^(operation|merchant|reference|amount|amountMinor|currency|customer|request\\..+)$',
            },
            additionalProperties: { $ref: '#/definitions/condition' },
            properties: {
              amount: {
                $ref: '#/definitions/condition',
                description: "the amount in the currency's major units (rupees, dollars), for every provider",
              },
              amountMinor: { $ref: '#/definitions/condition', description: 'the amount in minor units (paise, cents)' },
            },
          },
          outcome: {
            description: 'neutral or native final status',
            type: 'string',
            examples: [...NEUTRAL_STATUSES],
          },
          native: { type: 'object', description: 'provider-native fields to render with the final status' },
          timeline: { type: 'array', items: { $ref: '#/definitions/step' } },
          times: { type: 'integer', minimum: 1 },
          once: { type: 'boolean' },
          respond: {
            type: 'object',
            additionalProperties: false,
            properties: { fault: { enum: [...FAULTS] }, latency: duration, processed: { type: 'boolean' } },
          },
        },
      },
      step: {
        type: 'object',
        required: ['after', 'status'],
        additionalProperties: false,
        properties: {
          after: duration,
          status: { type: 'string' },
          callback: {
            anyOf: [
              { type: 'boolean' },
              {
                type: 'object',
                additionalProperties: false,
                properties: {
                  copies: { type: 'integer', minimum: 1, maximum: 100 },
                  signature: { enum: ['valid', 'invalid'] },
                  delay: duration,
                },
              },
            ],
          },
        },
      },
      condition: {
        anyOf: [
          { type: ['string', 'number', 'boolean', 'null'] },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              regex: { type: 'string' },
              in: { type: 'array' },
              gte: { type: 'number' },
              lte: { type: 'number' },
              gt: { type: 'number' },
              lt: { type: 'number' },
              contains: { type: 'string' },
              exists: { type: 'boolean' },
              not: { $ref: '#/definitions/condition' },
              equals: {},
            },
          },
        ],
      },
    },
  }
}

function operationCondition(operations: readonly string[]): Schema {
  return {
    description: `operations: ${operations.join(', ')}`,
    anyOf: [
      { enum: [...operations] },
      {
        type: 'object',
        properties: { in: { type: 'array', items: { enum: [...operations] } }, equals: { enum: [...operations] } },
      },
    ],
  }
}

/** The schema of config files (`--config FILE`). */
export function configSchema(providers: readonly Provider[]): Schema {
  return {
    $schema: DRAFT,
    $id: 'https://github.com/psp-sandbox/psp-sandbox/schemas/config.schema.json',
    title: 'psp-sandbox config file',
    description: 'psp-sandbox --config FILE; command-line options win. See docs/configuration.md.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      port: { type: 'integer', minimum: 0, maximum: 65535 },
      host: { type: 'string', description: 'address to bind (127.0.0.1, or 0.0.0.0 in containers)' },
      data: { type: 'string', description: 'lowdb state file, or "memory"' },
      scenarios: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      clock: { enum: ['real', 'virtual'] },
      callbackTimeout: duration,
      callbackConcurrency: {
        type: 'integer',
        minimum: 1,
        description:
          'callback attempts in flight per merchant host (host:port); the rest wait in due order. Default 32',
      },
      journal: {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxEntries: { type: 'integer', minimum: 1 },
          maxBytes: { type: 'integer', minimum: 1 },
          maxBodyBytes: { type: 'integer', minimum: 1 },
        },
      },
      admin: {
        type: 'object',
        additionalProperties: false,
        properties: {
          token: { type: 'string', minLength: 8, description: 'admin API token (Authorization: Bearer)' },
          allowedHosts: { type: 'array', items: { type: 'string' } },
        },
      },
      merchants: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          providers.map((p) => {
            const settings = merchantSettingsSchema(p.merchants[0], p.settingsSchema)
            return [
              p.id,
              {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id'],
                  additionalProperties: false,
                  properties: { id: { type: ['string', 'number'] }, ...settings },
                },
              },
            ]
          }),
        ),
      },
    },
  }
}
