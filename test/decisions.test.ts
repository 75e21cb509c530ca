import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PROVIDERS } from '../src/providers/index.js'
import { BANKCONNECT_DECISIONS } from '../src/providers/bankconnect/decisions.js'
import { CONNECX_DECISIONS } from '../src/providers/connecx/decisions.js'
import { CONNPAY_DECISIONS } from '../src/providers/connpay/decisions.js'
import { ECOMMPAY_DECISIONS } from '../src/providers/ecommpay/decisions.js'
import { PAYATOM_DECISIONS } from '../src/providers/payatom/decisions.js'
import { decisionText, type SandboxDecision } from '../src/providers/sandbox-decisions.js'

/** Every sandbox decision is marked where users read it: the OpenAPI operation and the provider's docs page. */
const DECISIONS: Record<string, SandboxDecision[]> = {
  bankconnect: BANKCONNECT_DECISIONS,
  connecx: CONNECX_DECISIONS,
  connpay: CONNPAY_DECISIONS,
  ecommpay: ECOMMPAY_DECISIONS,
  payatom: PAYATOM_DECISIONS,
}

describe.each(Object.entries(DECISIONS))('%s sandbox decisions', (id, decisions) => {
  const page = readFileSync(new URL(`../docs/providers/${id}.md`, import.meta.url), 'utf8')

  it('has a Quick start and a Sandbox decisions section in docs/providers', () => {
    expect(page).toMatch(/^## Quick start$/m)
    expect(page).toMatch(/^## Sandbox decisions$/m)
    expect(decisions.length).toBeGreaterThan(0)
  })

  it('lists every decision, with what real providers may do instead', () => {
    for (const d of decisions) {
      expect(page).toContain(d.decision)
      expect(page).toContain(d.realProviders)
    }
  })

  it('marks x-sandbox-decision on every operation a decision concerns', async () => {
    const doc = await PROVIDERS.find((p) => p.id === id)!.openapi()
    for (const d of decisions)
      for (const key of d.operations) {
        const [method, path] = key.split(' ')
        const op = (doc.paths![path] as Record<string, Record<string, unknown>>)[method]
        expect(op['x-sandbox-decision'], key).toContain(decisionText(d))
      }
  })
})
