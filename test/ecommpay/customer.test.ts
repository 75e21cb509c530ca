import { afterEach, describe, expect, it } from 'vitest'
import { ecommpay } from '../../src/providers/ecommpay/client.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import { SANDBOX_OPTIONS } from './support.js'

const B = 'http://localhost:8080'
let sandbox: Sandbox
afterEach(() => sandbox.close())

const sale = (paymentId: string) => ({
  general: { project_id: 112, payment_id: paymentId },
  customer: { id: 'customer1', ip_address: '1.2.3.4' },
  payment: { amount: 1500, currency: 'INR' },
  return_url: { success: 'https://shop.example/ok' },
})

describe('a purchase waits for the customer', () => {
  it('by default: still awaiting redirect result after 59 minutes, declined (20602) at 60', async () => {
    sandbox = createSandbox(SANDBOX_OPTIONS)
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('W-1')))
    await sandbox.clock.advance('59m')
    expect(sandbox.transactions.list()[0].status).toBe('pending')
    await sandbox.clock.advance('1m')
    expect(sandbox.transactions.list()[0].status).toBe('expired')
  })

  it('with the project setting customer: auto, it succeeds 2 s after acceptance', async () => {
    sandbox = createSandbox({ ...SANDBOX_OPTIONS, merchants: { ecommpay: [{ id: '112', customer: 'auto' }] } })
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('W-2')))
    await sandbox.clock.advance('2s')
    expect(sandbox.transactions.list()[0].status).toBe('approved')
  })
})
