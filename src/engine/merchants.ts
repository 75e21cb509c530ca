import type { JsonType, SettingSchema } from './provider.js'
import type { Store } from './store.js'
import type { Merchant } from './types.js'
import { didYouMean, type Problem } from './validation.js'

/** A merchant settings change the sandbox refuses; the message says which key and why. */
export class MerchantSettingsError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message)
    this.name = 'MerchantSettingsError'
  }
}

/**
 * Merchant accounts: each provider's default test accounts, overlaid with the config file's
 * `merchants` section, overlaid with changes made through `PATCH /_sandbox/merchants/...`
 * (persisted). A setting can change value but not type, and unknown settings are refused, so a
 * typo never silently does nothing.
 *
 * @example
 * merchants.patch('connecx', '3568224497743', { apiKey: 'my-key' })
 * merchants.get('connecx', '3568224497743')?.apiKey // 'my-key'
 */
export class Merchants {
  private base = new Map<string, Merchant>()
  private cache = new Map<string, Merchant>()

  private checks = new Map<string, (m: Merchant) => string[]>()
  private schemas = new Map<string, Record<string, SettingSchema>>()

  constructor(private readonly store: Store) {}

  /** Registers a provider's default and configured merchants (config wins, and may add new ones). */
  register(
    provider: string,
    defaults: Merchant[],
    configured: Array<Partial<Merchant> & { id: string }> = [],
    check?: (m: Merchant) => string[],
    declared?: Record<string, SettingSchema>,
  ): void {
    if (check) this.checks.set(provider, check)
    const template = defaults[0]
    const schema = template ? merchantSettingsSchema(template, declared) : {}
    this.schemas.set(provider, schema)
    for (const m of defaults) this.base.set(key(provider, m.id), { ...m, provider })
    for (const m of configured) {
      const shape = settingProblems(provider, schema, m, { requireId: true })
      if (shape.length)
        throw new MerchantSettingsError(
          `config: ${provider} merchant ${m?.id ?? '(no id)'}: ${shape.map((p) => p.message).join('; ')}`,
        )
      const existing = this.base.get(key(provider, String(m.id)))
      if (!existing && !template)
        throw new MerchantSettingsError(`config: provider ${provider} has no merchant template to add ${m.id} to`)
      const merged = { ...(existing ?? template), ...m, id: String(m.id), provider }
      const problems = check?.(merged) ?? []
      if (problems.length)
        throw new MerchantSettingsError(`config: ${provider} merchant ${merged.id}: ${problems.join('; ')}`)
      this.base.set(key(provider, merged.id), merged)
    }
    this.cache.clear()
  }

  /** The merchant with all overlays applied, or undefined when there is no such merchant. */
  get(provider: string, id: string): Merchant | undefined {
    const k = key(provider, id)
    const cached = this.cache.get(k)
    if (cached) return cached
    const base = this.base.get(k)
    if (!base) return undefined
    const merged = { ...base, ...(this.store.get<Record<string, unknown>>('merchants', k) ?? {}), provider, id }
    this.cache.set(k, merged)
    return merged
  }

  list(provider?: string): Merchant[] {
    return [...this.base.values()]
      .filter((m) => !provider || m.provider === provider)
      .map((m) => this.get(m.provider, m.id)!)
  }

  /** Changes settings (persisted after the next commit). Throws `MerchantSettingsError`. */
  patch(provider: string, id: string, settings: unknown): Merchant {
    const current = this.get(provider, id)
    if (!current)
      throw new MerchantSettingsError(`no ${provider} merchant "${id}": GET /_sandbox/merchants lists them`, 404)
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
      throw new MerchantSettingsError(
        'send a JSON object of settings to change, e.g. {"callbackUrl":"http://localhost:4000/cb"}',
      )
    for (const name of ['id', 'provider'])
      if (name in settings) throw new MerchantSettingsError(`"${name}" cannot be changed`)
    const shape = settingProblems(provider, this.schemas.get(provider) ?? {}, settings as Record<string, unknown>)
    if (shape.length) throw new MerchantSettingsError(shape.map((p) => p.message).join('; '))
    const k = key(provider, id)
    const overrides = { ...(this.store.get<Record<string, unknown>>('merchants', k) ?? {}), ...settings }
    const problems = this.checks.get(provider)?.({ ...current, ...settings, provider, id }) ?? []
    if (problems.length) throw new MerchantSettingsError(problems.join('; '))
    this.store.put('merchants', k, overrides)
    this.cache.delete(k)
    return this.get(provider, id)!
  }

  /** Forgets every runtime change (the store's merchants collection is cleared by the caller). */
  invalidate(): void {
    this.cache.clear()
  }
}

const key = (provider: string, id: string) => `${provider}/${id}`

/**
 * The JSON Schema of a provider's merchant settings: each setting takes the type of the default
 * merchant's value; `declared` adds or replaces settings whose default cannot show their type.
 *
 * @example
 * merchantSettingsSchema({ id: '1', provider: 'x', apiKey: 'k' }) // { name: { type: 'string' }, apiKey: { type: 'string' } }
 */
export function merchantSettingsSchema(
  template: Merchant,
  declared: Record<string, SettingSchema> = {},
): Record<string, SettingSchema> {
  const schema: Record<string, SettingSchema> = { name: { type: 'string' } }
  for (const [name, value] of Object.entries(template)) {
    if (name === 'id' || name === 'provider' || value === null || value === undefined) continue
    const type = jsonType(value)
    schema[name] = { type: type === 'integer' ? 'number' : type }
  }
  return { ...schema, ...declared }
}

/**
 * Problems with merchant settings against a settings schema: unknown settings (with a
 * suggestion) and wrong types. `requireId` for a merchant in a config file, which must name its id.
 */
export function settingProblems(
  provider: string,
  schema: Record<string, SettingSchema>,
  settings: unknown,
  options: { requireId?: boolean } = {},
): Problem[] {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    return [{ path: [], message: `a ${provider} merchant must be an object of settings` }]
  const problems: Problem[] = []
  const entries = Object.entries(settings as Record<string, unknown>)
  if (options.requireId) {
    const id = (settings as Record<string, unknown>).id
    if (id === undefined || id === null || id === '')
      problems.push({ path: ['id'], message: '`id` is required: the merchant id the provider knows it by' })
    else if (typeof id !== 'string' && typeof id !== 'number')
      problems.push({ path: ['id'], message: '`id` must be text (quote numbers with leading zeros)' })
  }
  const names = Object.keys(schema)
  for (const [name, value] of entries) {
    if (name === 'id' || name === 'provider') continue
    const expected = schema[name]
    if (!expected) {
      problems.push({
        path: [name],
        message: `"${name}" is not a ${provider} merchant setting${didYouMean(name, names)}; known settings: ${names.join(', ')}`,
      })
      continue
    }
    const types = [expected.type].flat()
    const actual = jsonType(value)
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number')))
      problems.push({
        path: [name],
        message: `"${name}" must be ${types.map(describe).join(' or ')}, got ${describe(actual)}`,
      })
  }
  return problems
}

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value as JsonType
}

const describe = (type: JsonType) =>
  ({
    string: 'a string',
    number: 'a number',
    integer: 'a number',
    boolean: 'a boolean',
    object: 'an object',
    array: 'a list',
    null: 'null',
  })[type]
