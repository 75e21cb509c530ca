import { expect } from 'vitest'
import { connecx } from '../../src/client.js'
import { bankconnect } from '../../src/providers/bankconnect/client.js'
import { connpay } from '../../src/providers/connpay/client.js'
import { ecommpay } from '../../src/providers/ecommpay/client.js'
import { CONNECX } from '../helpers.js'

/** One state-changing request per provider, with a unique merchant reference, and how its native internal error looks. */
export interface Case {
  provider: string
  request(base: string, reference: string): Request
  ok(res: Response): void
  /** Status, content type and body of the provider's own internal-error answer. */
  failure: { status: number; type: string; body: RegExp }
}

export const cases: Case[] = [
  {
    provider: 'connecx',
    request: (base, ref) => {
      const body = {
        channelCode: 'USDMOCK-001',
        accountId: '1000000001',
        requestSalt: `salt-${ref}`,
        txnAmount: 10,
        txnCurrency: 'USD',
        paymentRef: ref,
        callbackUrl: 'http://127.0.0.1:9/cb',
        resultUrl: 'https://result.example/r',
        endUserInfo: { ipAddress: '10.0.0.1', firstName: 'A', lastName: 'B', phoneNumber: '1', emailAddress: 'a@b.c' },
      }
      return new Request(`${base}/mxapi/${CONNECX.merchantId}/bdpayin`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-paymesh-authz': connecx.tokenFor('payment', { ...CONNECX, ...body }),
        },
        body: JSON.stringify(body),
      })
    },
    ok: (res) => expect(res.status).toBe(200),
    failure: { status: 500, type: 'application/json', body: /"E9999"/ },
  },
  {
    provider: 'payatom',
    request: (base, ref) =>
      new Request(`${base}/pay/request.php`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          pid: '000000000000',
          amount: '1',
          order_id: ref,
          phone: '9000000000',
          email: 'a@b.c',
          name: 'A',
        }),
      }),
    ok: (res) => expect(res.status).toBe(200),
    failure: { status: 500, type: 'application/json', body: /Internal Server Error/ },
  },
  {
    provider: 'ecommpay',
    request: (base, ref) =>
      ecommpay.gateRequest(base, '/v2/payment/banks/india/sale', {
        general: { project_id: 112, payment_id: ref },
        customer: {
          id: 'c1',
          ip_address: '1.2.3.4',
          email: 'a@b.c',
          first_name: 'A',
          last_name: 'B',
          phone: '123456789',
        },
        payment: { amount: 1500, currency: 'INR' },
        return_url: { success: 'https://www.example.com' },
      }),
    ok: (res) => expect(res.status).toBe(200),
    failure: { status: 500, type: 'application/json', body: /"code":"501"/ },
  },
  {
    provider: 'connpay',
    request: (base, ref) =>
      connpay.payoutRequest(base, {
        client_orderid: ref,
        amount: '10.42',
        currency: 'USD',
        account_number: '1234567890',
      }),
    ok: (res) => expect(res.status).toBe(200),
    failure: { status: 500, type: 'text/html', body: /type=error/ },
  },
  {
    provider: 'bankconnect',
    request: (base, ref) => {
      const form = new FormData()
      form.set('end_point_url', 'http://127.0.0.1:9/payout-callback')
      form.set(
        'enc_payout_json',
        bankconnect.encrypt(
          JSON.stringify([
            {
              order_id: ref,
              bank: '0',
              trx_type: 'NEFT',
              payeename: 'Test',
              bnf_nick_name: 'test',
              amount: '1.00',
              account_no: '893338378373',
              ifsc: 'SBINXXXXXXX',
              address1: 'madanpur',
              city: 'sarita',
              state: 'delhi',
              pincode: '110076',
              email: 'm@gmail.com',
              phone: '9821593611',
            },
          ]),
        ),
      )
      return new Request(`${base}/apisecure/payoutTransactionSecureIV`, {
        method: 'POST',
        headers: {
          'X-API-KEY': 'BANKCONNECT_1890',
          Authorization: 'Basic YmFua2Nvbm5lY3RfMS4yXzE4OTA6Y29ubmVjdGJhbmtfMS4yXzE4OTA=',
          'User-token': 'MDAzNTo6MzVramZraDQ1',
        },
        body: form,
      })
    },
    ok: (res) => expect(res.status).toBe(200),
    failure: { status: 500, type: 'application/json', body: /Internal Server Error/ },
  },
]
