import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ecommpay } from '../../src/providers/ecommpay/client.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import { SANDBOX_OPTIONS } from './support.js'

/**
 * Clarification (seed 002 l.193–201, l.447–458): the Gate's `awaiting clarification` callback
 * listing the missing customer fields, the answer at POST /v2/payment/clarification and the
 * follow-on callbacks; the Payment Page's extra input fields.
 */
const B = 'http://localhost:8080'
const CB = 'http://merchant.test/cb'
let sandbox: Sandbox
let seen: string[]
beforeEach(() => {
  seen = []
  sandbox = createSandbox({
    ...SANDBOX_OPTIONS,
    merchants: { ecommpay: [{ id: '112', clarificationFields: ['first_name', 'last_name', 'zip'] }] },
    onCallback: (cb) => void seen.push(cb.body),
  })
})
afterEach(() => sandbox.close())

const settle = async () => {
  await sandbox.clock.advance(0)
  await sandbox.callbacks.idle()
}
const lastEntry = () => sandbox.journal.list({ kind: 'request', limit: 1 })[0]

const sale = (paymentId: string, customer: Record<string, unknown> = {}) => ({
  general: { project_id: 112, payment_id: paymentId, merchant_callback_url: CB },
  customer: { id: 'customer1', ip_address: '1.2.3.4', first_name: 'John', ...customer },
  payment: { amount: 1500, currency: 'INR', description: 'Order 1' },
  return_url: { success: 'https://shop.example/ok' },
  account: { bank_id: 403 },
})
const answer = (paymentId: string, additional: unknown) =>
  sandbox.fetch(
    ecommpay.gateRequest(B, '/v2/payment/clarification', {
      general: { project_id: 112, payment_id: paymentId },
      additional_data: additional,
    } as never),
  )

describe('Gate clarification', () => {
  it('sends a signed "awaiting clarification" callback in the standard layout listing the missing fields', async () => {
    const res = await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('CL-1')))
    expect(res.status).toBe(200)
    await settle()
    expect(seen).toHaveLength(1)
    const body = JSON.parse(seen[0])
    expect(Object.keys(body)).toEqual([
      'project_id',
      'payment',
      'customer',
      'operation',
      'clarification_fields',
      'signature',
    ])
    expect(body.payment).toMatchObject({ id: 'CL-1', type: 'purchase', status: 'awaiting clarification' })
    expect(body.operation).toMatchObject({
      type: 'sale',
      status: 'awaiting clarification',
      code: '3191',
      message: 'Need clarification',
    })
    expect(JSON.stringify(body.clarification_fields)).toBe(
      '{"customer":{"type":"object","properties":{"last_name":{"type":"string"},"zip":{"type":"string"}},"required":["last_name","zip"]}}',
    )
    expect(ecommpay.verifyCallback(seen[0])).toBe(true)
    const [tx] = sandbox.transactions.list({ reference: 'CL-1' })
    expect(tx.status).toBe('pending')
  })

  it('takes the answer at POST /v2/payment/clarification, then sends the redirect_data callback; the bank page finishes it', async () => {
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('CL-2')))
    await settle()
    const res = await answer('CL-2', { customer: { last_name: 'Waynen', zip: '400009' } })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(Object.keys(JSON.parse(text))).toEqual(['status', 'request_id', 'project_id', 'payment_id'])
    expect(JSON.parse(text)).toMatchObject({ status: 'success', project_id: 112, payment_id: 'CL-2' })
    await settle()
    expect(seen).toHaveLength(2)
    const redirect = JSON.parse(seen[1])
    expect(Object.keys(redirect)).toEqual([
      'project_id',
      'payment',
      'customer',
      'operation',
      'redirect_data',
      'signature',
    ])
    expect(redirect.payment.status).toBe('awaiting redirect result')
    const press = await sandbox.fetch(
      new Request(redirect.redirect_data.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'action=approve',
      }),
    )
    expect(press.status).toBe(303)
    await settle()
    expect(JSON.parse(seen[2])).toMatchObject({ payment: { status: 'success' }, operation: { status: 'success' } })
  })

  it('refuses an incomplete answer (2004), an answer nobody asked for (3060) and an unknown payment (3061)', async () => {
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('CL-3')))
    const incomplete = await answer('CL-3', { customer: { last_name: 'Waynen' } })
    expect(incomplete.status).toBe(400)
    expect(await incomplete.json()).toMatchObject({ status: 'error', code: '2004' })
    expect(lastEntry().notes.join('\n')).toContain('additional_data.customer.zip')
    const complete = await sandbox.fetch(
      ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('CL-4', { last_name: 'Waynen', zip: '400009' })),
    )
    expect(complete.status).toBe(200)
    const notAsked = await answer('CL-4', { customer: { last_name: 'x' } })
    expect(await notAsked.json()).toMatchObject({ code: '3060' })
    expect(await (await answer('CL-NONE', { customer: {} })).json()).toMatchObject({ code: '3061' })
    // a complete request goes straight to the redirect_data callback
    await settle()
    expect(seen.map((b) => JSON.parse(b).payment.status)).toEqual([
      'awaiting clarification',
      'awaiting redirect result',
    ])
  })
})

describe('Payment Page clarification', () => {
  const pageUrl = (paymentId: string, extra: Record<string, string | number> = {}) =>
    ecommpay.paymentPageUrl(
      {
        project_id: 112,
        payment_id: paymentId,
        payment_amount: 200000,
        payment_currency: 'INR',
        customer_id: 'c1',
        customer_first_name: 'John',
        ...extra,
      },
      undefined,
      { baseUrl: B },
    )

  it('shows input fields for the missing customer fields and opens the bank page once they are sent', async () => {
    const url = pageUrl('PP-CL-1')
    const html = await (await sandbox.fetch(new Request(url))).text()
    expect(html).toContain('name="customer_last_name"')
    expect(html).toContain('name="customer_zip"')
    expect(html).not.toContain('name="customer_first_name"')
    const post = (body: string) =>
      sandbox.fetch(
        new Request(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        }),
      )
    const missing = await post('bank_id=403&customer_last_name=Smith')
    expect(missing.status).toBe(400)
    expect(await missing.text()).toContain('Fill in Postal code.')
    expect(sandbox.transactions.list()).toHaveLength(0)
    const ok = await post('bank_id=403&customer_last_name=Smith&customer_zip=400009')
    expect(ok.status).toBe(303)
    const [tx] = sandbox.transactions.list({ reference: 'PP-CL-1' })
    expect(tx.data.clarification).toEqual({
      fields: ['last_name', 'zip'],
      awaiting: false,
      answers: { last_name: 'Smith', zip: '400009' },
    })
  })

  it('asks nothing when the request carries every field', async () => {
    const html = await (
      await sandbox.fetch(new Request(pageUrl('PP-CL-2', { customer_last_name: 'Smith', customer_zip: '400009' })))
    ).text()
    expect(html).not.toContain('id="clarification"')
  })
})
