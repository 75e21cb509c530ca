import { describe, expect, it } from 'vitest'
import { createSandbox } from '../../src/sandbox.js'
import type { CallbackRequest } from '../../src/engine/provider.js'
import { demo, signatureOf } from './demo-provider.js'

describe('a sixth provider made with the kit (docs/adding-a-provider.md)', () => {
  it('refuses in its own format, authenticates with the guard, takes a payment, and the hosted page decides it', async () => {
    const received: CallbackRequest[] = []
    const s = createSandbox({
      clock: 'virtual',
      providers: [demo],
      builtInScenarios: false,
      onCallback: (r) => {
        received.push(r)
        return new Response('ok')
      },
    })
    try {
      const body = JSON.stringify({
        reference: 'order-1',
        amount: 10,
        description: 'x'.repeat(300),
        callbackUrl: 'http://merchant.test/cb',
      })
      const post = (signature: string) =>
        s.fetch(
          new Request('http://localhost/demo/m1/payments', {
            method: 'POST',
            body,
            headers: { 'X-Signature': signature },
          }),
        )

      const denied = await post('wrong')
      expect(denied.status).toBe(401)
      expect(await denied.json()).toEqual({
        error: { code: 'BAD_SIGNATURE', message: 'the X-Signature header does not match' },
      })
      const entry = s.journal.list({ kind: 'request', limit: 1 })[0]
      expect(entry.auth?.ok).toBe(false)
      expect(entry.auth?.explanation).toContain('sha256(body + apiKey)')
      expect(entry.notes.join()).toContain('BAD_SIGNATURE')

      const accepted = await post(signatureOf(body, 'demo-key'))
      expect(accepted.status).toBe(200)
      const payment = (await accepted.json()) as { id: string; status: string; pageUrl: string }
      expect(payment.status).toBe('PENDING')

      const page = await s.fetch(new Request(payment.pageUrl))
      const html = await page.text()
      expect(html).toContain('id="approve"')
      expect(html).toContain('id="status"')

      const pressed = await s.fetch(
        new Request(payment.pageUrl, { method: 'POST', body: new URLSearchParams({ action: 'approve' }) }),
      )
      expect(await pressed.text()).toContain('Status: approved'.replace('approved', 'APPROVED'))
      await s.clock.advance('1s')
      await s.callbacks.idle()
      expect(received).toHaveLength(1)
      expect(JSON.parse(received[0].body)).toEqual({ id: payment.id, reference: 'order-1', status: 'APPROVED' })

      const missing = await s.fetch(new Request('http://localhost/demo/nowhere'))
      expect(missing.status).toBe(404)
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('ROUTE-NOT-FOUND')
    } finally {
      await s.close()
    }
  })
})
