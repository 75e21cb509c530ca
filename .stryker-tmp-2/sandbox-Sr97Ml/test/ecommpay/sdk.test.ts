// @ts-nocheck
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { listen } from '../../src/server.js'
import { disposables } from '../helpers.js'
import { SANDBOX_OPTIONS } from './support.js'

// ECommPay's own JS SDK (npm `ecommpay` 0.1.7), as merchants use it: its Payment class builds the
// Payment Page URL and its Callback class verifies callbacks (it throws on a bad signature).
const require = createRequire(import.meta.url)
const { Payment, Callback } = require('ecommpay') as {
  Payment: new (
    projectId: string,
    salt: string,
    obj?: Record<string, unknown>,
    url?: string,
  ) => Record<string, unknown> & { getUrl(): string }
  Callback: new (secret: string, data: unknown) => { isPaymentSuccess(): boolean; getPaymentId(): string }
}
const PROJECT = '112'
const SECRET = 'kHRhsQHHhOUHeD+rt4kgH7OZiwE='
const use = disposables(SANDBOX_OPTIONS)

describe('the official ecommpay SDK against the sandbox', () => {
  it('its Payment Page URL is accepted, and its Callback class verifies the success callback', async () => {
    const merchant = await use.listener()
    const sandbox = use.sandbox()
    const server = await listen(sandbox, { port: 0 })
    use.defer(() => server.close())

    const payment = new Payment(PROJECT, SECRET, {}, server.url)
    payment.paymentAmount = 150000
    payment.paymentId = 'SDK-ORDER-1'
    payment.paymentCurrency = 'INR'
    payment.customerId = 'customer-7'
    payment.merchantCallbackUrl = `${merchant.url}/ecommpay/callback`
    payment.merchantSuccessUrl = `${merchant.url}/ok`
    payment.forcePaymentMethod = 'online-indian-banks'
    const url = payment.getUrl()
    expect(url.startsWith(`${server.url}/payment?`)).toBe(true)

    const pageRes = await fetch(url)
    expect(pageRes.status).toBe(200)
    expect(await pageRes.text()).toContain('id="bank-412"')
    // choose a bank, then approve on the bank page (what the browser test does with clicks)
    const post = (target: string, fields: Record<string, string>) =>
      fetch(target, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      })
    const chosen = await post(url, { bank_id: '412' })
    expect(chosen.status).toBe(303)
    const bankPage = new URL(chosen.headers.get('location')!, server.url).toString()
    const approved = await post(bankPage, { action: 'approve' })
    expect(approved.headers.get('location')).toBe(`${merchant.url}/ok`)

    await sandbox.clock.advance(0)
    await sandbox.callbacks.idle()
    const received = merchant.received.filter((r) => r.url === '/ecommpay/callback')
    expect(received).toHaveLength(1)
    const callback = new Callback(SECRET, received[0].body) // throws on an invalid signature
    expect(callback.isPaymentSuccess()).toBe(true)
    expect(callback.getPaymentId()).toBe('SDK-ORDER-1')
    expect(() => new Callback('another-secret', received[0].body)).toThrow('Invalid signature')
  })

  it('a URL the SDK signed with another secret is refused with code 3261', async () => {
    const sandbox = use.sandbox()
    const payment = new Payment(PROJECT, 'not-the-secret', {}, 'http://localhost:8080')
    payment.paymentAmount = 1000
    payment.paymentId = 'SDK-ORDER-2'
    payment.paymentCurrency = 'INR'
    const res = await sandbox.fetch(new Request(payment.getUrl()))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('<span id="code">3261</span>')
  })
})
