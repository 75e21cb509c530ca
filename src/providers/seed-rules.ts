import type { Context } from 'hono'
import type { SandboxEnv } from '../engine/env.js'
import type { CommonSettings, Merchant } from '../engine/types.js'

/** What the seed rules read of any provider's merchant. */
type SeedMerchant = Pick<Merchant<CommonSettings>, 'id' | 'customer' | 'relaxedRules'>

/**
 * Two merchant settings every provider shares, for fidelity with the real provider:
 *
 * - `customer`: `"wait"` (default) keeps a flow that needs a customer (hosted page, bank redirect,
 *   `authzUrl`, UPI approval) open until the customer acts on the page, the admin API moves it,
 *   or the provider's own timeout expires it. `"auto"` approves such flows 2 s after acceptance,
 *   as a sandbox that completes without the customer would; the real provider never does.
 * - `relaxedRules`: ids of seed rules the sandbox stops enforcing for this merchant (each
 *   provider lists its ids in `docs/providers/<id>.md`). By default every rule a seed states is
 *   enforced, in the provider's own error format.
 *
 * @example
 * // PATCH /_sandbox/merchants/payatom/000000000000  {"relaxedRules":["order_id-min-length"],"customer":"auto"}
 * if (enforced(merchant, 'order_id-min-length') && orderId.length < 10) refuse(...)
 */
export const SEED_SETTINGS = { customer: 'wait', relaxedRules: [] as string[] }

/** `wait` unless the merchant asked for `customer: "auto"`. Scenario rules match it as the `customer` fact. */
export function customerMode(merchant: SeedMerchant): 'wait' | 'auto' {
  return merchant.customer === 'auto' ? 'auto' : 'wait'
}

/** Whether a seed rule is enforced for this merchant (it is, unless listed in `relaxedRules`). */
export function enforced(merchant: SeedMerchant, rule: string): boolean {
  return !(Array.isArray(merchant.relaxedRules) && merchant.relaxedRules.includes(rule))
}

/**
 * Records in the journal which seed rule refused the request and how to relax it. The caller
 * then answers in the provider's own error format.
 *
 * @example
 * refusedBySeedRule(c, 'payatom', merchant, 'order_id-min-length', 'seed 001: order_id at least 10 characters', 'order_id "A1" has 2')
 */
export function refusedBySeedRule<E extends SandboxEnv>(
  c: Context<E>,
  provider: string,
  merchant: SeedMerchant,
  rule: string,
  statement: string,
  why: string,
): void {
  const entry = c.get('journal')
  if (!entry) return
  entry.rule = `seed rule ${rule} (${statement})`
  entry.notes.push(
    `refused by seed rule "${rule}": ${why}. The real provider refuses it too; to accept it in the sandbox only, PATCH /_sandbox/merchants/${provider}/${merchant.id} {"relaxedRules":["${rule}"]}`,
  )
}

/** Problems with `customer` / `relaxedRules`, for a provider's `checkMerchant`. */
export function checkSeedSettings(merchant: Merchant, rules: readonly string[]): string[] {
  const problems: string[] = []
  if (merchant.customer !== undefined && merchant.customer !== 'wait' && merchant.customer !== 'auto')
    problems.push('customer must be "wait" (flows wait for the customer) or "auto" (approved 2 s after acceptance)')
  const relaxed = merchant.relaxedRules
  if (relaxed !== undefined) {
    if (!Array.isArray(relaxed)) problems.push(`relaxedRules must be a list of rule ids: ${rules.join(', ')}`)
    else
      for (const r of relaxed)
        if (!rules.includes(r as string))
          problems.push(`relaxedRules: "${r}" is not a ${merchant.provider} seed rule; known: ${rules.join(', ')}`)
  }
  return problems
}
