// @ts-nocheck
import { describe, expect, it } from 'vitest'
import type { Provider } from '../src/engine/provider.js'
import { PROVIDERS } from '../src/providers/index.js'
import { disposables } from './helpers.js'
import { TRIGGERS } from './support/callbacks.js'

/**
 * Each provider's answer when the sandbox itself fails inside a handler. The failure is made
 * through the provider module's public hook `onStatusChange` (a provider passed to
 * createSandbox), which runs inside the request while the transaction is opened: no engine
 * internals are replaced. The answer is the provider's own error format, without a stack trace,
 * the journal keeps the stack for the developer, and nothing half-made is stored.
 */
const use = disposables()

const failing = (id: string): Provider => {
  const provider = PROVIDERS.find((p) => p.id === id)!
  return {
    ...provider,
    onStatusChange() {
      throw new Error('injected failure in onStatusChange')
    },
  }
}

/** Each provider's documented error shape, literally (status, content type, body). */
const EXPECTED: Record<string, { status: number; contentType: string; body: string | RegExp }> = {
  // Seed appendix: E9999 System Error, in the error envelope of the 422 sample.
  connecx: { status: 500, contentType: 'application/json', body: '{"msgCode":"E9999","msgText":"System Error"}' },
  bankconnect: {
    status: 500,
    contentType: 'application/json',
    body: '{"status":false,"error":"Internal Server Error"}',
  },
  payatom: {
    status: 500,
    contentType: 'application/json',
    body: '{"status":"error","message":"Internal Server Error"}',
  },
  // Seed: "type … error: error-message and error-code parameters contain error details".
  connpay: { status: 500, contentType: 'text/html', body: 'type=error\n&error-message=Internal+error\n&error-code=8' },
  ecommpay: {
    status: 500,
    contentType: 'application/json',
    body: /^\{"status":"error","request_id":"[0-9a-f]{40}-\d{8}","project_id":null,"payment_id":null,"code":"501","message":"Internal error"\}$/,
  },
}

describe("each provider's internal-error answer", () => {
  for (const [id, expected] of Object.entries(EXPECTED)) {
    it(`${id}: HTTP ${expected.status} in its own format, no stack trace; the journal has the stack`, async () => {
      const sandbox = use.sandbox({ providers: [failing(id)], onCallback: () => {} })
      await sandbox.ready
      const answers: Response[] = []
      const fetch = sandbox.fetch
      sandbox.fetch = async (request) => {
        const res = await fetch(request)
        answers.push(res.clone())
        return res
      }
      await TRIGGERS[id](sandbox, '5003').catch(() => {})
      const res = answers.at(-1)!
      const text = await res.text()
      expect(res.status, text).toBe(expected.status)
      expect(res.headers.get('content-type')).toContain(expected.contentType)
      if (typeof expected.body === 'string') expect(text).toBe(expected.body)
      else expect(text).toMatch(expected.body)
      expect(text).not.toMatch(/injected failure|at .*\.(ts|js):\d+|Error:/)
      const entry = sandbox.journal.list({ provider: id }).find((e) => e.status === expected.status)!
      expect(entry.notes.join('\n')).toMatch(/the sandbox failed: Error: injected failure in onStatusChange\n\s+at /)
      // The failed request left nothing that a later request or callback would act on.
      await sandbox.clock.advance('1h')
      expect(sandbox.callbacks.list()).toEqual([])
    })
  }
})
