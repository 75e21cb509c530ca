// @ts-nocheck
import type { Store } from './store.js'
import type { Merchant } from './types.js'

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

  constructor(private readonly store: Store) {}

  /** Registers a provider's default and configured merchants (config wins, and may add new ones). */
  register(
    provider: string,
    defaults: Merchant[],
    configured: Array<Partial<Merchant> & { id: string }> = [],
    check?: (m: Merchant) => string[],
  ): void {
    if (check) this.checks.set(provider, check)
    const template = defaults[0]
    for (const m of defaults) this.base.set(key(provider, m.id), { ...m, provider })
    for (const m of configured) {
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
    for (const [name, value] of Object.entries(settings)) {
      if (name === 'id' || name === 'provider') throw new MerchantSettingsError(`"${name}" cannot be changed`)
      if (!(name in current))
        throw new MerchantSettingsError(
          `"${name}" is not a ${provider} merchant setting; known settings: ${Object.keys(current)
            .filter((k) => k !== 'id' && k !== 'provider')
            .join(', ')}`,
        )
      const was = current[name]
      if (was !== null && was !== undefined && value !== null && kind(was) !== kind(value))
        throw new MerchantSettingsError(`"${name}" must be ${kind(was)}, got ${kind(value)}`)
    }
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
const kind = (v: unknown) =>
  Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`
