import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connecx } from '../../src/client.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import {
  CONNECX,
  connecxAuthz,
  connecxPayment,
  connecxQuery,
  seedPayIn,
  seedPayInVerbatim,
  seedPayOut,
  seedPayOutVerbatim,
} from '../helpers.js'

const B = 'http://localhost:8080'
let sandbox: Sandbox
beforeEach(() => {
  sandbox = createSandbox({ clock: 'virtual' })
})
afterEach(() => sandbox.close())

const send = (req: Request) => sandbox.fetch(req)
const lastEntry = () => sandbox.journal.list({ kind: 'request', limit: 1 })[0]

async function expectError(res: Response, status: number, code: string, text: string) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  expect(await res.text()).toBe(JSON.stringify({ msgCode: code, msgText: text }))
}

describe('pay-in (POST /mxapi/{merchantId}/bdpayin)', () => {
  it("answers the seed's sample request with the seed's response shape", async () => {
    const res = await send(connecxPayment(B, 'bdpayin', seedPayIn()))
    expect(res.status).toBe(200)
    const text = await res.text()
    const body = JSON.parse(text)
    // Keys in the seed sample's order, then the table's echoed fields.
    expect(Object.keys(body)).toEqual([
      'txnType',
      'txnId',
      'status',
      'statusTimeStamp',
      'paymentRef',
      'txnResultCode',
      'txnResultMessage',
      'amount',
      'processedAmount',
      'currency',
      'authzUrl',
      'authzRef',
      'merchantTraceData',
      'resultUrl',
    ])
    expect(body).toMatchObject({
      txnType: 'PAY-IN',
      status: 'FORAUTHZ',
      paymentRef: 'abc123XYZ',
      txnResultCode: 'PENDING_AUTHZ',
      amount: 100,
      processedAmount: 0,
      currency: 'CNY',
      authzRef: `AZ${body.txnId}`,
      merchantTraceData: 'merchant trace data',
      resultUrl: 'https://result.url/result',
    })
    expect(typeof body.txnId).toBe('number')
    expect(String(body.txnId)).toMatch(/^\d{12}$/)
    expect(text).toContain(`"txnId":${body.txnId},`) // a JSON number, not a string
    // statusTimeStamp in seconds, as the sample's 1669868124
    expect(body.statusTimeStamp).toBe(Math.floor(sandbox.clock.now() / 1000))
    expect(body.authzUrl).toBe(`${B}/mxapi/authz/${body.txnId}`)
  })

  it('waits for the customer at authzUrl, then the query shows COMPLETED/SUCCESS with processedAmount', async () => {
    const created = await (await send(connecxPayment(B, 'bdpayin', seedPayIn()))).json()
    const query = () =>
      send(connecxQuery(B, `/txn/${created.txnId}`, [CONNECX.merchantId, String(created.txnId), CONNECX.apiKey]))
    await sandbox.clock.advance('29m')
    expect(await (await query()).json()).toMatchObject({ status: 'FORAUTHZ', txnResultCode: 'PENDING_AUTHZ' })
    expect((await send(connecxAuthz(created.authzUrl, 'approve'))).status).toBe(303)
    const res = await query()
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      txnId: created.txnId,
      status: 'COMPLETED',
      txnResultCode: 'SUCCESS',
      txnResultMessage: 'successful',
      amount: 100,
      processedAmount: 100,
      authzRef: `AZ${created.txnId}`,
    })
  })

  it('expires CANCELLED/TIMED_OUT after 30 minutes when no customer comes', async () => {
    const created = await (await send(connecxPayment(B, 'bdpayin', seedPayIn()))).json()
    await sandbox.clock.advance('30m')
    const res = await send(
      connecxQuery(B, `/txn/${created.txnId}`, [CONNECX.merchantId, String(created.txnId), CONNECX.apiKey]),
    )
    expect(await res.json()).toMatchObject({ status: 'CANCELLED', txnResultCode: 'TIMED_OUT', processedAmount: 0 })
  })

  it('completes 2 s after acceptance without the customer when the merchant opts in (customer: auto)', async () => {
    await sandbox.merchants.patch('connecx', CONNECX.merchantId, { customer: 'auto' })
    const created = await (await send(connecxPayment(B, 'bdpayin', seedPayIn()))).json()
    await sandbox.clock.advance('2s')
    const res = await send(
      connecxQuery(B, `/txn/${created.txnId}`, [CONNECX.merchantId, String(created.txnId), CONNECX.apiKey]),
    )
    expect(await res.json()).toMatchObject({ status: 'COMPLETED', txnResultCode: 'SUCCESS', processedAmount: 100 })
  })

  it("refuses the seed's sample as printed (USD on the CNY channel CHNL-101) unless channel-currency is relaxed", async () => {
    await expectError(
      await send(connecxPayment(B, 'bdpayin', seedPayInVerbatim())),
      422,
      'E2022',
      'Unsupported currency',
    )
    expect(lastEntry().rule).toMatch(/^seed rule channel-currency/)
    expect(lastEntry().notes.join('\n')).toContain('"relaxedRules":["channel-currency"]')
    await sandbox.merchants.patch('connecx', CONNECX.merchantId, { relaxedRules: ['channel-currency'] })
    const res = await send(connecxPayment(B, 'bdpayin', seedPayInVerbatim()))
    expect(res.status).toBe(200)
    expect((await res.json()).currency).toBe('USD')
  })

  it('accepts a numeric-string amount and string dupCheck', async () => {
    const res = await send(connecxPayment(B, 'bdpayin', { ...seedPayIn(), txnAmount: '10.50', dupCheck: 'false' }))
    expect(res.status).toBe(200)
    expect((await res.json()).amount).toBe(10.5)
  })
})

describe('pay-out (POST /mxapi/{merchantId}/bdpayout)', () => {
  it("answers the seed's sample request with the seed's response shape", async () => {
    const res = await send(connecxPayment(B, 'bdpayout', seedPayOut()))
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(Object.keys(body).slice(0, 10)).toEqual([
      'txnType',
      'txnId',
      'status',
      'statusTimeStamp',
      'paymentRef',
      'txnResultCode',
      'txnResultMessage',
      'amount',
      'processedAmount',
      'currency',
    ])
    expect(body).toMatchObject({
      txnType: 'PAY-OUT',
      status: 'INPROCESS',
      txnResultCode: 'SUCCESS',
      txnResultMessage: 'successful',
      amount: 100,
      processedAmount: 0,
      currency: 'USD',
    })
  })

  it("accepts the seed's X-paypath-authz spelling", async () => {
    const body = seedPayOut()
    const req = new Request(`${B}/mxapi/${CONNECX.merchantId}/bdpayout`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-paypath-authz': connecx.tokenFor('payment', { ...CONNECX, ...body }),
      },
      body: JSON.stringify(body),
    })
    expect((await send(req)).status).toBe(200)
  })

  it('fails with INSUFFICENT_FUNDS when the available balance is too low', async () => {
    await sandbox.merchants.patch('connecx', CONNECX.merchantId, { balances: { USD: 50, CNY: 0 } })
    const body = await (await send(connecxPayment(B, 'bdpayout', seedPayOut()))).json()
    expect(body).toMatchObject({ status: 'FAILED', txnResultCode: 'INSUFFICENT_FUNDS', processedAmount: 0 })
  })
})

describe('balances move with completed transactions', () => {
  const balance = async (currency: string) => {
    const res = await send(
      connecxQuery(B, `/balance/${currency}?requestSalt=s1`, [CONNECX.merchantId, 's1', currency, CONNECX.apiKey]),
    )
    expect(res.status).toBe(200)
    return res.text()
  }

  it('writes numbers as the seed sample does (1198, 0.0, 1198.0) and asOfDate with +00:00', async () => {
    const text = await balance('USD')
    expect(text).toMatch(
      /^\{"currency":"USD","ledgerBalance":10000,"pendingPayouts":0\.0,"availableBalance":10000\.0,"asOfDate":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00"\}$/,
    )
  })

  it('holds a pay-out as pending, then takes it from the ledger; a completed pay-in adds to it', async () => {
    await send(connecxPayment(B, 'bdpayout', { ...seedPayOut(), txnAmount: 250.5 }))
    expect(await balance('USD')).toContain('"ledgerBalance":10000,"pendingPayouts":250.5,"availableBalance":9749.5,')
    const usdPayIn = { ...seedPayIn(), channelCode: 'USDMOCK-001', txnCurrency: 'USD', payInfo: {}, txnAmount: 100 }
    const payin = await (await send(connecxPayment(B, 'bdpayin', usdPayIn))).json()
    await send(connecxAuthz(payin.authzUrl, 'approve'))
    await sandbox.clock.advance('2s')
    expect(await balance('USD')).toContain('"ledgerBalance":9849.5,"pendingPayouts":0.0,"availableBalance":9849.5,')
  })

  it('releases a declined pay-out', async () => {
    await send(connecxPayment(B, 'bdpayout', { ...seedPayOut(), paymentRef: 'po-DECLINE' }))
    await sandbox.clock.advance('2s')
    expect(await balance('USD')).toContain('"ledgerBalance":10000,"pendingPayouts":0.0,')
  })
})

describe('queries', () => {
  it('txn by paymentRef returns every transaction with that reference, newest first', async () => {
    const a = await (await send(connecxPayment(B, 'bdpayin', seedPayIn()))).json()
    const b = await (await send(connecxPayment(B, 'bdpayin', seedPayIn()))).json()
    const res = await send(connecxQuery(B, '/txn/payref/abc123XYZ', [CONNECX.merchantId, 'abc123XYZ', CONNECX.apiKey]))
    expect(res.status).toBe(200)
    const list = await res.json()
    expect(Array.isArray(list)).toBe(true)
    expect(list.map((t: { txnId: number }) => t.txnId)).toEqual([b.txnId, a.txnId])
  })

  it("bank codes returns the seed sample's shape for USDMOCK-001", async () => {
    const res = await send(
      connecxQuery(B, '/bankcodes/USDMOCK-001', [CONNECX.merchantId, 'USDMOCK-001', CONNECX.apiKey]),
    )
    expect(await res.text()).toBe(
      JSON.stringify({
        channelCode: 'USDMOCK-001',
        supportedCurrency: 'USD',
        payinBankCodeRequired: true, // as the seed's sample, although the channel specs say false
        payoutBankCodeRequired: true,
        message: null,
        banks: [1, 2, 3, 4, 5].map((n) => ({ bankCode: `USD-TEST0${n}`, bankName: `Test Bank 0${n}` })),
      }),
    )
  })

  it("channel specs returns the seed sample's keys", async () => {
    const res = await send(
      connecxQuery(B, '/channelspecs/USDMOCK-001?requestSalt=abc', [
        CONNECX.merchantId,
        'abc',
        'USDMOCK-001',
        CONNECX.apiKey,
      ]),
    )
    const body = await res.json()
    expect(Object.keys(body)).toEqual(['channelCode', 'currency', 'payinSpecs', 'payoutSpecs'])
    expect(Object.keys(body.payinSpecs)).toEqual([
      'enabled',
      'minTxnAmount',
      'maxTxnAmount',
      'requiredEndUserInfo',
      'requiredPayInfo',
      'validateBankCode',
      'bankCodeRequired',
    ])
    expect(body.payinSpecs).toMatchObject({ enabled: true, minTxnAmount: 1, maxTxnAmount: 1000, requiredPayInfo: null })
  })

  it("channel specs for USDMOCK-001 answers the seed's sample byte for byte (seed 004 l.474–544)", async () => {
    const res = await send(
      connecxQuery(B, '/channelspecs/USDMOCK-001?requestSalt=abc', [
        CONNECX.merchantId,
        'abc',
        'USDMOCK-001',
        CONNECX.apiKey,
      ]),
    )
    const person = [
      { fieldName: 'firstName', description: 'First Name' },
      { fieldName: 'lastName', description: 'Last Name' },
      { fieldName: 'emailAddress', description: 'Email Address' },
      { fieldName: 'phoneNumber', description: 'Phone Number' },
    ]
    const side = { enabled: true, minTxnAmount: 1, maxTxnAmount: 1000, requiredEndUserInfo: person }
    expect(await res.text()).toBe(
      JSON.stringify({
        channelCode: 'USDMOCK-001',
        currency: 'USD',
        payinSpecs: { ...side, requiredPayInfo: null, validateBankCode: false, bankCodeRequired: false },
        payoutSpecs: {
          ...side,
          requiredPayInfo: [
            { fieldName: 'bankCode', description: 'Bank Code' },
            { fieldName: 'bankAccountNumber', description: 'Bank Account Number' },
            { fieldName: 'bankAccountName', description: 'Bank Account Name' },
          ],
          validateBankCode: true,
          bankCodeRequired: true,
        },
      }),
    )
  })

  it('channel specs and bank codes say CNY for CHNL-101, and a USD pay-in there is refused', async () => {
    const specs = await send(
      connecxQuery(B, '/channelspecs/CHNL-101?requestSalt=abc', [
        CONNECX.merchantId,
        'abc',
        'CHNL-101',
        CONNECX.apiKey,
      ]),
    )
    expect((await specs.json()).currency).toBe('CNY')
    const banks = await send(connecxQuery(B, '/bankcodes/CHNL-101', [CONNECX.merchantId, 'CHNL-101', CONNECX.apiKey]))
    expect((await banks.json()).supportedCurrency).toBe('CNY')
    const res = await send(connecxPayment(B, 'bdpayin', { ...seedPayIn(), txnCurrency: 'USD' }))
    await expectError(res, 422, 'E2022', 'Unsupported currency')
  })
})

describe('seed rules, enforced by default', () => {
  it("refuses the seed's pay-out sample as printed (no bankAccountName) with E9998 unless required-pay-info is relaxed", async () => {
    await expectError(
      await send(connecxPayment(B, 'bdpayout', seedPayOutVerbatim())),
      422,
      'E9998',
      'Validation Errors',
    )
    expect(lastEntry().rule).toMatch(/^seed rule required-pay-info/)
    expect(lastEntry().notes.join('\n')).toContain('payInfo.bankAccountName is required on USDMOCK-001')
    await sandbox.merchants.patch('connecx', CONNECX.merchantId, { relaxedRules: ['required-pay-info'] })
    expect((await send(connecxPayment(B, 'bdpayout', seedPayOutVerbatim()))).status).toBe(200)
  })

  it('compares tokens exactly: an uppercase-hex token is refused (E2004) unless token-exact is relaxed', async () => {
    const token = connecx.tokenFor('payment', { ...CONNECX, ...seedPayIn() }).toUpperCase()
    await expectError(
      await send(connecxPayment(B, 'bdpayin', seedPayIn(), { token })),
      422,
      'E2004',
      'Invalid transaction authorization',
    )
    expect(lastEntry().rule).toMatch(/^seed rule token-exact/)
    expect(lastEntry().auth?.explanation).toContain('not written exactly as expected')
    await sandbox.merchants.patch('connecx', CONNECX.merchantId, { relaxedRules: ['token-exact'] })
    expect((await send(connecxPayment(B, 'bdpayin', seedPayIn(), { token }))).status).toBe(200)
  })

  it('refuses an unknown rule id in relaxedRules and a customer setting other than wait/auto', async () => {
    await expect(sandbox.merchants.patch('connecx', CONNECX.merchantId, { relaxedRules: ['nope'] })).rejects.toThrow(
      /not a connecx seed rule/,
    )
    await expect(sandbox.merchants.patch('connecx', CONNECX.merchantId, { customer: 'sometimes' })).rejects.toThrow(
      /customer must be/,
    )
  })
})

describe('every error code the sandbox uses, as 422 {"msgCode","msgText"}', () => {
  const pay = (body: Record<string, unknown>, init?: { token?: string | null }) =>
    send(connecxPayment(B, 'bdpayin', body, init))

  it('E0042 Invalid Merchant ID (not numeric)', async () => {
    const res = await send(new Request(`${B}/mxapi/abc/bdpayin`, { method: 'POST', body: '{}' }))
    await expectError(res, 422, 'E0042', 'Invalid Merchant ID')
  })
  it('E1000 Invalid merchant (unknown)', async () => {
    const res = await send(new Request(`${B}/mxapi/999/bankcodes/USDMOCK-001`, { headers: { 'X-paymesh-authz': 'x' } }))
    await expectError(res, 422, 'E1000', 'Invalid merchant')
  })
  it('E1001 Merchant account is not active', async () => {
    await sandbox.merchants.patch('connecx', CONNECX.merchantId, { active: false })
    await expectError(await pay(seedPayIn()), 422, 'E1001', 'Merchant account is not active')
  })
  it('E2005 Missing transaction authorization', async () => {
    await expectError(await pay(seedPayIn(), { token: null }), 422, 'E2005', 'Missing transaction authorization')
  })
  it('E2004 Invalid transaction authorization, with the expected string in the journal', async () => {
    await expectError(await pay(seedPayIn(), { token: 'deadbeef' }), 422, 'E2004', 'Invalid transaction authorization')
    expect(lastEntry().auth?.explanation).toContain('"3568224497743abcd-xyzabc123XYZsandbox-api-key-0001"')
  })
  it('E2004 when the body was changed after signing', async () => {
    const token = connecx.tokenFor('payment', { ...CONNECX, ...seedPayIn() })
    await expectError(
      await pay({ ...seedPayIn(), requestSalt: 'other' }, { token }),
      422,
      'E2004',
      'Invalid transaction authorization',
    )
  })
  it('E1022 Invalid account ID', async () => {
    await expectError(await pay({ ...seedPayIn(), accountId: '1000000002' }), 422, 'E1022', 'Invalid account ID')
  })
  it('E2020 Invalid transaction amount: outside the channel limits, not a number, 3 decimals', async () => {
    await expectError(await pay({ ...seedPayOut(), txnAmount: 1000.01 }), 422, 'E2020', 'Invalid transaction amount')
    expect(lastEntry().notes.join()).toContain('limits 1–1000')
    await expectError(await pay({ ...seedPayIn(), txnAmount: 'ten' }), 422, 'E2020', 'Invalid transaction amount')
    await expectError(await pay({ ...seedPayIn(), txnAmount: 1.005 }), 422, 'E2020', 'Invalid transaction amount')
    await expectError(await pay({ ...seedPayIn(), txnAmount: -5 }), 422, 'E2020', 'Invalid transaction amount')
  })
  it('E2022 Unsupported currency', async () => {
    await expectError(await pay({ ...seedPayIn(), txnCurrency: 'EUR' }), 422, 'E2022', 'Unsupported currency')
    const res = await send(
      connecxQuery(B, '/balance/EUR?requestSalt=a', [CONNECX.merchantId, 'a', 'EUR', CONNECX.apiKey]),
    )
    await expectError(res, 422, 'E2022', 'Unsupported currency')
  })
  it('E2029 Transaction not found', async () => {
    await expectError(
      await send(connecxQuery(B, '/txn/1', [CONNECX.merchantId, '1', CONNECX.apiKey])),
      422,
      'E2029',
      'Transaction not found',
    )
    await expectError(
      await send(connecxQuery(B, '/txn/payref/none', [CONNECX.merchantId, 'none', CONNECX.apiKey])),
      422,
      'E2029',
      'Transaction not found',
    )
  })
  it('E2045 Payment reference is required', async () => {
    const { paymentRef, ...rest } = seedPayIn()
    void paymentRef
    await expectError(await pay(rest), 422, 'E2045', 'Payment reference is required')
    await expectError(await pay({ ...seedPayIn(), paymentRef: '' }), 422, 'E2045', 'Payment reference is required')
  })
  it('E2046 Duplicate payment reference with dupCheck true (boolean or "true")', async () => {
    expect((await pay(seedPayIn())).status).toBe(200)
    await expectError(await pay({ ...seedPayIn(), dupCheck: true }), 422, 'E2046', 'Duplicate payment reference')
    await expectError(await pay({ ...seedPayIn(), dupCheck: 'true' }), 422, 'E2046', 'Duplicate payment reference')
    expect((await pay({ ...seedPayIn(), dupCheck: false })).status).toBe(200)
  })
  it("E2046 scope: a pay-out repeating a pay-in's paymentRef is a duplicate (and the reverse); another merchant may reuse it", async () => {
    const second = { merchantId: '3568224490001', apiKey: 'second-merchant-key' }
    await sandbox.close()
    sandbox = createSandbox({
      clock: 'virtual',
      merchants: { connecx: [{ id: second.merchantId, apiKey: second.apiKey }] },
    })
    const as = (m: typeof second, kind: 'bdpayin' | 'bdpayout', body: Record<string, unknown>) =>
      send(
        new Request(`${B}/mxapi/${m.merchantId}/${kind}`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-paymesh-authz': connecx.tokenFor('payment', { ...m, ...body }),
          },
          body: JSON.stringify(body),
        }),
      )
    expect((await pay({ ...seedPayIn(), paymentRef: 'SCOPE-1' })).status).toBe(200)
    await expectError(
      await send(connecxPayment(B, 'bdpayout', { ...seedPayOut(), paymentRef: 'SCOPE-1', dupCheck: true })),
      422,
      'E2046',
      'Duplicate payment reference',
    )
    expect((await send(connecxPayment(B, 'bdpayout', { ...seedPayOut(), paymentRef: 'SCOPE-2' }))).status).toBe(200)
    await expectError(
      await pay({ ...seedPayIn(), paymentRef: 'SCOPE-2', dupCheck: true }),
      422,
      'E2046',
      'Duplicate payment reference',
    )
    // The same references at a second merchant are new there.
    expect((await as(second, 'bdpayin', { ...seedPayIn(), paymentRef: 'SCOPE-1', dupCheck: true })).status).toBe(200)
    expect((await as(second, 'bdpayout', { ...seedPayOut(), paymentRef: 'SCOPE-2', dupCheck: true })).status).toBe(200)
    await expectError(
      await as(second, 'bdpayout', { ...seedPayOut(), paymentRef: 'SCOPE-1', dupCheck: true }),
      422,
      'E2046',
      'Duplicate payment reference',
    )
    expect(
      sandbox.transactions
        .list()
        .map((t) => `${t.merchant} ${t.kind} ${t.reference}`)
        .sort(),
    ).toEqual([
      '3568224490001 payin SCOPE-1',
      '3568224490001 payout SCOPE-2',
      '3568224497743 payin SCOPE-1',
      '3568224497743 payout SCOPE-2',
    ])
  })
  it('E3000 Bad Request Error: not JSON, not an object', async () => {
    const token = connecx.tokenFor('payment', CONNECX)
    for (const body of ['{"channelCode":', 'null', '[1,2]', 'plain text']) {
      const res = await send(
        new Request(`${B}/mxapi/${CONNECX.merchantId}/bdpayin`, {
          method: 'POST',
          headers: { 'X-paymesh-authz': token },
          body,
        }),
      )
      await expectError(res, 422, 'E3000', 'Bad Request Error')
    }
  })
  it('E9998 Validation Errors: missing fields, wrong types, unknown channel or bank', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...seedPayIn(), endUserInfo: undefined }, 'endUserInfo is required'],
      [
        { ...seedPayIn(), endUserInfo: { ...seedPayIn().endUserInfo, emailAddress: undefined } },
        'endUserInfo.emailAddress is required',
      ],
      [{ ...seedPayIn(), callbackUrl: undefined }, 'callbackUrl is required'],
      [{ ...seedPayIn(), callbackUrl: 'not a url' }, 'not an absolute http(s) URL'],
      [{ ...seedPayIn(), channelCode: 'NOPE' }, 'not assigned to this merchant'],
      [{ ...seedPayIn(), channelCode: 42 }, 'channelCode must be a string'],
      [{ ...seedPayIn(), paymentRef: 42 }, 'paymentRef must be a string'],
      [{ ...seedPayIn(), dupCheck: 'maybe' }, 'dupCheck must be true or false'],
      [{ ...seedPayIn(), payInfo: { bankCode: 'XX' } }, 'not a bank of CHNL-101'],
      [
        { ...seedPayIn(), endUserInfo: { ...seedPayIn().endUserInfo, address: { country: 'Singapore' } } },
        'endUserInfo.address.addressLine1 is required',
      ],
    ]
    for (const [body, why] of cases) {
      await expectError(await pay(body), 422, 'E9998', 'Validation Errors')
      expect(lastEntry().notes.join(' ')).toContain(why)
    }
    expect(sandbox.transactions.list()).toHaveLength(0)
  })
  // E9999 (the sandbox failing inside a handler) without a stack trace: test/internal-error.test.ts.
  it('E3000 with 404 for an unknown Connecx path', async () => {
    await expectError(
      await send(new Request(`${B}/mxapi/${CONNECX.merchantId}/nothing`)),
      404,
      'E3000',
      'Bad Request Error',
    )
    await expectError(
      await send(new Request(`${B}/mxapi/${CONNECX.merchantId}/bdpayin`)),
      404,
      'E3000',
      'Bad Request Error',
    )
  })
})

describe('the hosted authzUrl page', () => {
  it('approves: COMPLETED, redirect to resultUrl, and the later timeline step is skipped', async () => {
    const created = await (
      await send(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'page-PENDING' }))
    ).json()
    const page = await send(new Request(created.authzUrl))
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Approve')
    expect(html).toContain('page-PENDING')
    const res = await send(
      new Request(created.authzUrl, { method: 'POST', body: new URLSearchParams({ action: 'approve' }) }),
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('https://result.url/result')
    expect(sandbox.transactions.list({ reference: 'page-PENDING' })[0]).toMatchObject({ status: 'approved' })
    const again = await send(
      new Request(created.authzUrl, { method: 'POST', body: new URLSearchParams({ action: 'decline' }) }),
    )
    expect(again.status).toBe(409)
  })

  it('declines: FAILED/DECLINED', async () => {
    const created = await (await send(connecxPayment(B, 'bdpayin', seedPayIn()))).json()
    await send(new Request(created.authzUrl, { method: 'POST', body: new URLSearchParams({ action: 'decline' }) }))
    await sandbox.clock.advance('2s') // the default step finds it final and is skipped
    const res = await send(
      connecxQuery(B, `/txn/${created.txnId}`, [CONNECX.merchantId, String(created.txnId), CONNECX.apiKey]),
    )
    expect(await res.json()).toMatchObject({ status: 'FAILED', txnResultCode: 'DECLINED' })
  })

  it('answers 404 for an unknown transaction', async () => {
    expect((await send(new Request(`${B}/mxapi/authz/1`))).status).toBe(404)
  })
})

describe('magic words in paymentRef map to native codes', () => {
  it.each([
    ['x-DECLINE', 'FAILED', 'DECLINED'],
    ['x-INSUFFICIENT', 'FAILED', 'INSUFFICENT_FUNDS'],
    ['x-FRAUD', 'FAILED', 'POSSIBLE_FRAUD'],
    ['x-SYSERR', 'FAILED', 'SYSERR'],
    ['x-FAIL', 'FAILED', 'FAILED'],
    ['x-CANCEL', 'CANCELLED', 'CANCELLED'],
    ['plain', 'COMPLETED', 'SUCCESS'],
  ])('%s → %s / %s after 2 s', async (paymentRef, status, code) => {
    const created = await (await send(connecxPayment(B, 'bdpayout', { ...seedPayOut(), paymentRef }))).json()
    await sandbox.clock.advance('2s')
    const res = await send(
      connecxQuery(B, `/txn/${created.txnId}`, [CONNECX.merchantId, String(created.txnId), CONNECX.apiKey]),
    )
    expect(await res.json()).toMatchObject({ status, txnResultCode: code })
  })

  it('PENDING stays in process; TIMEOUT becomes CANCELLED/TIMED_OUT after 30 minutes', async () => {
    const p = await (await send(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'x-PENDING' }))).json()
    const t = await (await send(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'x-TIMEOUT' }))).json()
    await sandbox.clock.advance('29m')
    const get = async (id: number) =>
      (await send(connecxQuery(B, `/txn/${id}`, [CONNECX.merchantId, String(id), CONNECX.apiKey]))).json()
    expect(await get(t.txnId)).toMatchObject({ status: 'FORAUTHZ' })
    await sandbox.clock.advance('1m')
    expect(await get(t.txnId)).toMatchObject({ status: 'CANCELLED', txnResultCode: 'TIMED_OUT' })
    expect(await get(p.txnId)).toMatchObject({ status: 'FORAUTHZ', txnResultCode: 'PENDING_AUTHZ' })
  })
})
