import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { bankconnect as bankconnectClient } from '../../src/providers/bankconnect/client.js'
import { connpay as connpayClient } from '../../src/providers/connpay/client.js'
import { ecommpay as ecommpayClient } from '../../src/providers/ecommpay/client.js'
import type { Sandbox } from '../../src/sandbox.js'
import { connecxPayment, seedPayIn } from '../helpers.js'

const B = 'http://localhost:8080'
const phpVectors = JSON.parse(
  readFileSync(new URL('../vectors/php-bankconnect-payatom.json', import.meta.url), 'utf8'),
) as { bankconnect: Array<{ plaintext: string; wire: string }> }

/** Every built-in scenario file (the default rule: approved 2 s after acceptance, with its callback). */
export const BUILT_IN = fileURLToPath(new URL('../../scenarios/', import.meta.url))

/** Where the callbacks of these tests claim to go (delivered in-process through `onCallback`). */
export const MERCHANT_URL = 'https://merchant.example/psp-callback'

/**
 * Per provider: sends one accepted request through the provider's public surface whose default
 * scenario approves it 2 s later and sends a callback to `MERCHANT_URL`. Resolves with the
 * transaction's reference. Pay-ins are only a vehicle here: the merchant opts in to
 * `customer: auto` (by default a pay-in waits for the customer), and replays of the seeds' own
 * examples relax the seed rules those examples break.
 */
export const TRIGGERS: Record<string, (sandbox: Sandbox, reference: string) => Promise<void>> = {
  async connecx(sandbox, reference) {
    await sandbox.merchants.patch('connecx', '3568224497743', { customer: 'auto' })
    const res = await sandbox.fetch(
      connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: reference, callbackUrl: MERCHANT_URL }),
    )
    if (res.status !== 200) throw new Error(`connecx pay-in refused: ${res.status} ${await res.text()}`)
  },
  async bankconnect(sandbox, reference) {
    await sandbox.merchants.patch('bankconnect', '0035', { relaxedRules: ['address-max-length'] })
    const payout = { ...(JSON.parse(phpVectors.bankconnect[0]!.plaintext) as object[])[0], order_id: reference }
    const form = new FormData()
    form.set('end_point_url', MERCHANT_URL)
    form.set('enc_payout_json', bankconnectClient.encrypt(JSON.stringify([payout])))
    const res = await sandbox.fetch(
      new Request(`${B}/apisecure/payoutTransactionSecureIV`, {
        method: 'POST',
        headers: bankconnectClient.headers(),
        body: form,
      }),
    )
    if (res.status !== 200) throw new Error(`bankconnect payout refused: ${res.status} ${await res.text()}`)
  },
  async payatom(sandbox, reference) {
    await sandbox.merchants.patch('payatom', '000000000000', {
      webhookUrl: MERCHANT_URL,
      customer: 'auto',
      relaxedRules: ['order_id-min-length'],
    })
    const res = await sandbox.fetch(
      new Request(`${B}/api/request.php`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          pid: '000000000000',
          order_id: reference,
          amount: '100',
          upi_id: 'customer@upi',
          name: 'Anushk',
          email: 'anushk@gmail.com',
          phone: '9000000000',
        }),
      }),
    )
    if (res.status !== 200) throw new Error(`payatom pay-in refused: ${res.status} ${await res.text()}`)
  },
  async connpay(sandbox, reference) {
    const res = await sandbox.fetch(
      connpayClient.payoutRequest(B, {
        client_orderid: reference,
        amount: '10.42',
        currency: 'USD',
        account_number: '1234567890',
        server_callback_url: MERCHANT_URL,
      }),
    )
    if (res.status !== 200) throw new Error(`connpay payout refused: ${res.status} ${await res.text()}`)
  },
  async ecommpay(sandbox, reference) {
    const res = await sandbox.fetch(
      ecommpayClient.gateRequest(B, '/v2/payment/banks/india/payout', {
        general: { project_id: 112, payment_id: reference, merchant_callback_url: MERCHANT_URL },
        payment: { amount: 150000, currency: 'INR', description: 'description' },
        customer: { id: '24900', ip_address: '1.2.3.4' },
        account: { customer_name: 'John Waynen', bank_code: 'SBIN0000001', bank_id: 403, number: '5588994446666' },
      }),
    )
    if (res.status !== 200) throw new Error(`ecommpay payout refused: ${res.status} ${await res.text()}`)
  },
}
