// The requests `npm run bench` sends: one generator per scenario, each giving a fresh, correctly
// signed request per call (fresh references, so writes never hit a duplicate check). Signing uses
// the package's own merchant-side helpers (`psp-sandbox/client`), proven by the test vectors.
import { createHash, randomBytes } from 'node:crypto'
import { connpay, bankconnect, ecommpay, payatom } from '../dist/client.js'

const CONNECX_MERCHANT = '3568224497743'
const CONNECX_KEY = 'sandbox-api-key-0001'
const JSON_TYPE = 'application/json'
const run = randomBytes(3).toString('hex')

/** Connecx pay-in with a fresh paymentRef and its X-paymesh-authz token. */
export function connecxPayIn(prefix = 'bench', callbackUrl = 'http://127.0.0.1:9/cb') {
  let seq = 0
  return () => {
    const n = seq++
    const body = {
      channelCode: 'USDMOCK-001',
      accountId: '1000000001',
      requestSalt: `s${n}`,
      txnAmount: 10,
      txnCurrency: 'USD',
      paymentRef: `${prefix}-${run}-${n}`,
      callbackUrl,
      resultUrl: 'https://result.example/r',
      endUserInfo: { ipAddress: '10.0.0.1', firstName: 'A', lastName: 'B', phoneNumber: '1', emailAddress: 'a@b.c' },
    }
    const token = createHash('sha256')
      .update(CONNECX_MERCHANT + body.requestSalt + body.paymentRef + CONNECX_KEY)
      .digest('hex')
    return {
      method: 'POST',
      path: `/mxapi/${CONNECX_MERCHANT}/bdpayin`,
      headers: { 'Content-Type': JSON_TYPE, 'X-paymesh-authz': token },
      body: JSON.stringify(body),
    }
  }
}

/** Connecx bank codes (a read with a token). */
export function connecxBankCodes() {
  let seq = 0
  return () => {
    const salt = `s${seq++}`
    const token = createHash('sha256')
      .update(CONNECX_MERCHANT + 'USDMOCK-001' + CONNECX_KEY)
      .digest('hex')
    return {
      method: 'GET',
      path: `/mxapi/${CONNECX_MERCHANT}/bankcodes/USDMOCK-001?requestSalt=${salt}`,
      headers: { 'X-paymesh-authz': token },
    }
  }
}

/** PayAtom v1 status polling of one pay-in: `post_hash` (md5 + AES-256-CBC + HMAC) both ways. */
export function payatomPolling(refCode) {
  return () => ({
    method: 'POST',
    path: '/api/status_polling.php',
    headers: { 'Content-Type': JSON_TYPE },
    body: JSON.stringify(payatom.pollingRequest({ pid: '000000000000', refCode, secretKey: 'mysecretpassword' })),
  })
}

/** The PayAtom hosted pay-in that `payatomPolling` then polls. */
export function payatomHostedPayIn() {
  return {
    method: 'POST',
    path: '/pay/request.php',
    headers: { 'Content-Type': JSON_TYPE },
    body: JSON.stringify({
      pid: '000000000000',
      amount: '100',
      order_id: `BENCH${Date.now()}`,
      phone: '9000000000',
      email: 'anushk@gmail.com',
      name: 'Anushk',
    }),
  }
}

/** ECommPay Banks of India payout: HMAC-SHA512 signature over the flattened body. */
export function ecommpayPayout() {
  let seq = 0
  return () => {
    const body = {
      general: { project_id: 112, payment_id: `BENCH_${run}_${seq++}` },
      payment: { amount: 150000, currency: 'INR' },
      customer: { id: '24900', ip_address: '1.2.3.4' },
      account: { customer_name: 'John Waynen', bank_code: 'test_code', bank_id: 401, number: '5588994446666' },
    }
    const signed = ecommpay.sign(body, ecommpay.project.secretKey)
    return {
      method: 'POST',
      path: '/v2/payment/banks/india/payout',
      headers: { 'Content-Type': JSON_TYPE },
      body: JSON.stringify({ ...body, general: { ...body.general, signature: signed } }),
    }
  }
}

/**
 * ConnPay payout signed with OAuth 1.0a RSA-SHA256. RSA signing costs the load generator ~1 ms,
 * so `size` requests are signed before the run, then sent in turn (the sandbox's nonce replay
 * check is off by default, and a payout's client_orderid may repeat).
 */
export function connpayPayouts(baseUrl, size) {
  const pool = []
  for (let i = 0; i < size; i++) {
    const signed = connpay.sign({
      url: `${baseUrl}/paynet/api/v4/payout/39915`,
      consumerKey: connpay.TEST_MERCHANT.login,
      privateKey: connpay.TEST_MERCHANT.privateKey,
      body: { client_orderid: `B${run}${i}`, amount: '10.42', currency: 'USD', account_number: '1234567890' },
    })
    pool.push({
      method: 'POST',
      path: '/paynet/api/v4/payout/39915',
      headers: { Authorization: signed.authorization, 'Content-Type': signed.contentType },
      body: signed.body,
    })
  }
  let next = 0
  return () => pool[next++ % pool.length]
}

/** Bankconnect payout: AES-128-CTR `enc_payout_json` in a multipart form, three auth headers. */
export function bankconnectPayout() {
  let seq = 0
  const headers = bankconnect.headers()
  return () => {
    const payout = {
      order_id: `9${String(Date.now()).slice(-8)}${String(seq++).padStart(7, '0')}`,
      bank: '0',
      trx_type: 'NEFT',
      payeename: 'Test',
      bnf_nick_name: 'test',
      amount: '1.00',
      account_no: '893338378373',
      ifsc: 'SBINXXXXXXX',
      address1: 'madanpur',
      city: 'delhi',
      state: 'delhi',
      pincode: '110076',
      email: 'm@gmail.com',
      phone: '9821593611',
    }
    const boundary = `----bench${run}${seq}`
    const part = (name, value) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
    const body =
      part('end_point_url', 'http://127.0.0.1:9/payout-callback') +
      part('enc_payout_json', bankconnect.encrypt(JSON.stringify([payout]))) +
      `--${boundary}--\r\n`
    return {
      method: 'POST',
      path: '/apisecure/payoutTransactionSecureIV',
      headers: { ...headers, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
    }
  }
}
