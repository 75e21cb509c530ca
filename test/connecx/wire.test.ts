// Connecx's wire module on its own: the pay-in/pay-out result object in the seed's key order, the
// native status words of each state, and the request checks with the appendix code and the reason
// the journal gives. Expected values are the seed's (004) samples, tables and appendix, and literals.
import { describe, expect, it } from 'vitest'
import type { CommonSettings, Merchant } from '../../src/engine/types.js'
import { DEFAULT_MERCHANT } from '../../src/providers/connecx/defaults.js'
import {
  checkConnecxMerchant,
  double,
  ERRORS,
  errorBody,
  nativeState,
  NATIVE_STATUSES,
  renderTxn,
  validatePayment,
  type ConnecxMerchant,
  type ConnecxTransaction,
} from '../../src/providers/connecx/wire.js'
import { CHANNELS } from '../../src/providers/connecx/channels.js'
import { Refusal } from '../../src/providers/kit/refusal.js'

/** The seed's pay-out sample request (seed 004), verbatim. */
const SEED_PAYOUT = `{
   "channelCode": "USDMOCK-001",
   "accountId": "1000000001",
   "requestSalt": "abcd-xyz",
   "txnAmount": 100,
   "txnCurrency": "USD",
   "paymentRef": "abc123XYZ",
   "paymentDesc": "description",
   "dupCheck":false,
   "merchantTraceData": "merchant trace data",
   "callbackUrl": "https://callback.com/call/back",
   "resultUrl": "https://result.url/result",
   "endUserInfo": {
       "identifier": "张三ABC",
       "ipAddress": "10.0.0.1",
       "firstName": "John",
       "lastName": "Doe",
       "phoneNumber": "2060987657",
       "emailAddress": "user@domain.com",
       "address": {
           "addressLine1": "123 ABC Street",
           "cityTown": "Queenstown",
           "stateProv": "Singapore",
           "country": "SG",
           "postalCode": "238858"
        }


    },
    "payInfo": {
        "bankCode": "USD-TEST01",
        "bankAccountNumber": "1234567869",
        "bankRoutingCode": "TEST0123456"
    }
}`

const merchant = (changes: Partial<ConnecxMerchant & CommonSettings> = {}): ConnecxMerchant => ({
  ...DEFAULT_MERCHANT,
  ...changes,
})
/** The seed's pay-out sample with the bankAccountName the channel's specs require. */
const payout = (changes: Record<string, unknown> = {}): Record<string, unknown> => {
  const body = JSON.parse(SEED_PAYOUT) as Record<string, unknown>
  return {
    ...body,
    payInfo: { ...(body.payInfo as object), bankAccountName: 'John Doe' },
    ...changes,
  }
}
/** A pay-in on USDMOCK-001 (its specs need no payInfo). */
const payin = (changes: Record<string, unknown> = {}) => payout({ payInfo: undefined, ...changes })
const user = (changes: Record<string, unknown>) => ({
  ...(payout().endUserInfo as Record<string, unknown>),
  ...changes,
})

function refused(
  body: Record<string, unknown>,
  kind: 'payin' | 'payout' = 'payout',
  m = merchant(),
): { code: string; why: string; detail: unknown } {
  try {
    validatePayment(body, m, kind)
  } catch (e) {
    if (!(e instanceof Refusal)) throw e
    return { code: e.code, why: e.why, detail: e.detail }
  }
  throw new Error('expected a refusal')
}

function tx(changes: Partial<ConnecxTransaction> = {}): ConnecxTransaction {
  return {
    id: 'connecx-1',
    provider: 'connecx',
    merchant: '3568224497743',
    kind: 'payout',
    reference: 'PREF-1659501526442',
    providerRef: '176272727440',
    amount: 100,
    currency: 'USD',
    status: 'processing',
    createdAt: 1669868124000,
    updatedAt: 1669868124000,
    history: [],
    data: { txnAmount: 100, origin: 'http://localhost:8080' },
    ...changes,
  }
}

describe('answers', () => {
  it("the error body is the seed's sample, without its whitespace", () => {
    expect(errorBody('E2046')).toBe('{"msgCode":"E2046","msgText":"Duplicate payment reference"}')
    expect(errorBody('E9999')).toBe('{"msgCode":"E9999","msgText":"System Error"}')
  })

  it('the appendix texts, verbatim', () => {
    expect(ERRORS).toEqual({
      E0042: 'Invalid Merchant ID',
      E1000: 'Invalid merchant',
      E1001: 'Merchant account is not active',
      E1022: 'Invalid account ID',
      E2004: 'Invalid transaction authorization',
      E2005: 'Missing transaction authorization',
      E2020: 'Invalid transaction amount',
      E2022: 'Unsupported currency',
      E2029: 'Transaction not found',
      E2045: 'Payment reference is required',
      E2046: 'Duplicate payment reference',
      E3000: 'Bad Request Error',
      E9998: 'Validation Errors',
      E9999: 'System Error',
    })
  })

  it("the pay-out sample response: the seed's keys and values, in its order", () => {
    expect(JSON.stringify(renderTxn(tx(), merchant()))).toBe(
      '{"txnType":"PAY-OUT","txnId":176272727440,"status":"INPROCESS","statusTimeStamp":1669868124,"paymentRef":"PREF-1659501526442","txnResultCode":"SUCCESS","txnResultMessage":"successful","amount":100,"processedAmount":0,"currency":"USD"}',
    )
  })

  it('a completed pay-in: processedAmount, authzUrl, authzRef, merchant trace data and result URL; milliseconds when asked', () => {
    const payinTx = tx({
      kind: 'payin',
      status: 'approved',
      amount: 1000,
      currency: 'CNY',
      updatedAt: 1669868124567,
      data: {
        txnAmount: 1000,
        origin: 'http://localhost:8080',
        merchantTraceData: 'merchant trace data',
        resultUrl: 'https://result.url/result',
      },
    })
    expect(JSON.stringify(renderTxn(payinTx, merchant({ statusTimeStampUnit: 'milliseconds' })))).toBe(
      '{"txnType":"PAY-IN","txnId":176272727440,"status":"COMPLETED","statusTimeStamp":1669868124567,"paymentRef":"PREF-1659501526442","txnResultCode":"SUCCESS","txnResultMessage":"successful","amount":1000,"processedAmount":1000,"currency":"CNY","authzUrl":"http://localhost:8080/mxapi/authz/176272727440","authzRef":"AZ176272727440","merchantTraceData":"merchant trace data","resultUrl":"https://result.url/result"}',
    )
    expect(renderTxn(payinTx, merchant()).statusTimeStamp).toBe(1669868124)
    // No merchant trace data or result URL: no such keys (not even undefined ones).
    expect(Object.keys(renderTxn(tx(), merchant()))).toEqual([
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
  })

  it('doubles as Jackson writes them', () => {
    expect(double(0)).toBe('0.0')
    expect(double(1198)).toBe('1198.0')
    expect(double(12.5)).toBe('12.5')
  })
})

describe('native status words', () => {
  it.each([
    ['payin', 'pending', 'FORAUTHZ', 'PENDING_AUTHZ', 'pending authorization'],
    ['payout', 'pending', 'INPROCESS', 'SUCCESS', 'successful'],
    ['payin', 'processing', 'INPROCESS', 'INPROCESS', 'in process'],
    ['payout', 'processing', 'INPROCESS', 'SUCCESS', 'successful'],
    ['payin', 'approved', 'COMPLETED', 'SUCCESS', 'successful'],
    ['payout', 'declined', 'FAILED', 'DECLINED', 'declined'],
    ['payout', 'failed', 'FAILED', 'FAILED', 'failed'],
    ['payin', 'expired', 'CANCELLED', 'TIMED_OUT', 'timed out'],
    ['payin', 'cancelled', 'CANCELLED', 'CANCELLED', 'cancelled'],
    ['payin', 'refunded', 'CANCELLED', 'CANCELLED', 'cancelled'],
  ] as const)('a %s %s shows %s / %s (%s)', (kind, status, word, code, message) => {
    expect(nativeState(tx({ kind, status }))).toEqual({ status: word, txnResultCode: code, txnResultMessage: message })
  })

  it('a native status word from a scenario replaces the status; other names are result codes', () => {
    expect(nativeState(tx({ kind: 'payin', status: 'pending', nativeStatus: 'PENDING' }))).toEqual({
      status: 'PENDING',
      txnResultCode: 'PENDING_AUTHZ',
      txnResultMessage: 'pending authorization',
    })
    expect(nativeState(tx({ status: 'approved', nativeStatus: 'COMPLETED' }))).toEqual({
      status: 'COMPLETED',
      txnResultCode: 'SUCCESS',
      txnResultMessage: 'successful',
    })
    // FAILED and CANCELLED are also result codes: they set the code, the status stays the state's.
    expect(nativeState(tx({ status: 'failed', nativeStatus: 'FAILED' }))).toEqual({
      status: 'FAILED',
      txnResultCode: 'FAILED',
      txnResultMessage: 'failed',
    })
    expect(nativeState(tx({ kind: 'payin', status: 'pending', nativeStatus: 'CANCELLED' }))).toEqual({
      status: 'FORAUTHZ',
      txnResultCode: 'CANCELLED',
      txnResultMessage: 'cancelled',
    })
    expect(nativeState(tx({ status: 'pending', nativeStatus: 'FORAUTHZ' }))).toEqual({
      status: 'FORAUTHZ',
      txnResultCode: 'SUCCESS',
      txnResultMessage: 'successful',
    })
    expect(nativeState(tx({ kind: 'payin', status: 'pending', nativeStatus: 'INPROCESS' }))).toEqual({
      status: 'INPROCESS',
      txnResultCode: 'PENDING_AUTHZ',
      txnResultMessage: 'pending authorization',
    })
    expect(nativeState(tx({ kind: 'payin', status: 'declined', nativeStatus: 'PENDING' })).status).toBe('PENDING')
    expect(nativeState(tx({ status: 'declined', nativeStatus: 'FAILED' }))).toEqual({
      status: 'FAILED',
      txnResultCode: 'FAILED',
      txnResultMessage: 'failed',
    })
    expect(nativeState(tx({ status: 'expired', nativeStatus: 'CANCELLED' }))).toEqual({
      status: 'CANCELLED',
      txnResultCode: 'CANCELLED',
      txnResultMessage: 'cancelled',
    })
    expect(nativeState(tx({ status: 'declined', nativeStatus: 'INSUFFICENT_FUNDS' }))).toEqual({
      status: 'FAILED',
      txnResultCode: 'INSUFFICENT_FUNDS',
      txnResultMessage: 'insufficient funds',
    })
    expect(nativeState(tx({ status: 'declined', nativeStatus: 'POSSIBLE_FRAUD' })).txnResultMessage).toBe(
      'possible fraud',
    )
    expect(nativeState(tx({ status: 'failed', nativeStatus: 'SYSERR' })).txnResultMessage).toBe('system error')
    expect(nativeState(tx({ status: 'pending', nativeStatus: 'PENDING_SUBMIT' })).txnResultMessage).toBe(
      'pending submission',
    )
    expect(nativeState(tx({ status: 'declined', nativeStatus: 'BANK_REJECT' })).txnResultMessage).toBe('bank_reject')
  })

  it('native fields from a scenario count only once the transaction is final', () => {
    const native = { txnResultCode: 'SYSERR', status: 'FAILED', txnResultMessage: 'Bank offline' }
    expect(nativeState(tx({ status: 'failed', native }))).toEqual({
      status: 'FAILED',
      txnResultCode: 'SYSERR',
      txnResultMessage: 'Bank offline',
    })
    expect(nativeState(tx({ status: 'pending', native }))).toEqual({
      status: 'INPROCESS',
      txnResultCode: 'SUCCESS',
      txnResultMessage: 'successful',
    })
    expect(nativeState(tx({ status: 'processing', native }))).toEqual({
      status: 'INPROCESS',
      txnResultCode: 'SUCCESS',
      txnResultMessage: 'successful',
    })
    expect(nativeState(tx({ status: 'declined', native: { status: 'CANCELLED' } }))).toEqual({
      status: 'CANCELLED',
      txnResultCode: 'DECLINED',
      txnResultMessage: 'declined',
    })
    expect(nativeState(tx({ status: 'declined', native: { txnResultCode: 'POSSIBLE_FRAUD', status: 7 } }))).toEqual({
      status: 'FAILED',
      txnResultCode: 'POSSIBLE_FRAUD',
      txnResultMessage: 'possible fraud',
    })
  })

  it('NATIVE_STATUSES maps every word of the document', () => {
    expect(NATIVE_STATUSES).toEqual({
      COMPLETED: 'approved',
      SUCCESS: 'approved',
      FORAUTHZ: 'pending',
      PENDING: 'pending',
      PENDING_SUBMIT: 'pending',
      PENDING_AUTHZ: 'pending',
      INPROCESS: 'processing',
      CANCELLED: 'cancelled',
      TIMED_OUT: 'expired',
      FAILED: 'failed',
      SYSERR: 'failed',
      DECLINED: 'declined',
      INSUFFICENT_FUNDS: 'declined',
      POSSIBLE_FRAUD: 'declined',
    })
  })
})

describe('validatePayment', () => {
  it("accepts the seed's pay-out sample with the bank account name, and returns the request", () => {
    const body = payout()
    expect(validatePayment(body, merchant(), 'payout')).toEqual({
      channelCode: 'USDMOCK-001',
      accountId: '1000000001',
      requestSalt: 'abcd-xyz',
      txnAmount: 100,
      txnCurrency: 'USD',
      paymentRef: 'abc123XYZ',
      paymentDesc: 'description',
      dupCheck: false,
      merchantTraceData: 'merchant trace data',
      resultUrl: 'https://result.url/result',
      callbackUrl: 'https://callback.com/call/back',
      payInfo: body.payInfo,
      endUserInfo: body.endUserInfo,
    })
  })

  it('reads a numeric accountId, a numeric-string amount, string dupCheck; payInfo may be left out of a pay-in', () => {
    const r = validatePayment(
      payin({ accountId: 1000000001, txnAmount: ' 10.50 ', dupCheck: 'true' }),
      merchant(),
      'payin',
    )
    expect(r).toMatchObject({ accountId: '1000000001', txnAmount: 10.5, dupCheck: true, payInfo: {} })
    expect(validatePayment(payin({ dupCheck: true }), merchant(), 'payin').dupCheck).toBe(true)
    expect(validatePayment(payin({ dupCheck: 'false' }), merchant(), 'payin').dupCheck).toBe(false)
    expect(validatePayment(payin({ dupCheck: null }), merchant(), 'payin').dupCheck).toBe(false)
    expect(validatePayment(payin({ dupCheck: undefined }), merchant(), 'payin').dupCheck).toBe(false)
  })

  it.each([
    [{ paymentRef: undefined }, 'E2045', 'paymentRef is missing or empty'],
    [{ paymentRef: null }, 'E2045', 'paymentRef is missing or empty'],
    [{ paymentRef: '' }, 'E2045', 'paymentRef is missing or empty'],
    [{ paymentRef: 42 }, 'E9998', 'paymentRef must be a string, got number'],
    [{ requestSalt: undefined }, 'E9998', 'requestSalt is required'],
    [{ channelCode: null }, 'E9998', 'channelCode is required'],
    [{ txnCurrency: 840 }, 'E9998', 'txnCurrency must be a string, got number'],
    [{ callbackUrl: undefined }, 'E9998', 'callbackUrl is required'],
    [{ resultUrl: false }, 'E9998', 'resultUrl must be a string, got boolean'],
    [{ accountId: undefined }, 'E9998', 'accountId is required (the 10-digit account id assigned to you)'],
    [{ accountId: '' }, 'E9998', 'accountId is required (the 10-digit account id assigned to you)'],
    [{ accountId: '100000001' }, 'E1022', 'accountId "100000001" is not this merchant\'s account (1000000001)'],
    [{ accountId: '1000000002' }, 'E1022', 'accountId "1000000002" is not this merchant\'s account (1000000001)'],
    [{ accountId: ' 1000000001' }, 'E1022', 'accountId " 1000000001" is not this merchant\'s account (1000000001)'],
    [{ accountId: '1000000001 ' }, 'E1022', 'accountId "1000000001 " is not this merchant\'s account (1000000001)'],
    [
      { channelCode: 'NOPE' },
      'E9998',
      'channelCode "NOPE" is not assigned to this merchant; assigned: USDMOCK-001, CHNL-101',
    ],
    [{ txnCurrency: 'EUR' }, 'E2022', 'USDMOCK-001 does not accept EUR; its specs say USD'],
    [{ txnAmount: null }, 'E9998', 'txnAmount is required'],
    [{ txnAmount: undefined }, 'E9998', 'txnAmount is required'],
    [{ txnAmount: 'ten' }, 'E2020', 'txnAmount "ten" is not a positive number'],
    [{ txnAmount: '1e2' }, 'E2020', 'txnAmount "1e2" is not a positive number'],
    [{ txnAmount: '10.' }, 'E2020', 'txnAmount "10." is not a positive number'],
    [{ txnAmount: '.5' }, 'E2020', 'txnAmount ".5" is not a positive number'],
    [{ txnAmount: true }, 'E2020', 'txnAmount true is not a positive number'],
    [{ txnAmount: 0 }, 'E2020', 'txnAmount 0 is not a positive number'],
    [{ txnAmount: -5 }, 'E2020', 'txnAmount -5 is not a positive number'],
    [{ txnAmount: Infinity }, 'E2020', 'txnAmount null is not a positive number'],
    [{ txnAmount: 10.005 }, 'E2020', 'txnAmount 10.005 has more than 2 decimal places'],
    [{ txnAmount: '1.001' }, 'E2020', 'txnAmount 1.001 has more than 2 decimal places'],
    [{ txnAmount: 0.99 }, 'E2020', "txnAmount 0.99 is outside USDMOCK-001's payout limits 1–1000"],
    [{ txnAmount: 1000.01 }, 'E2020', "txnAmount 1000.01 is outside USDMOCK-001's payout limits 1–1000"],
    [{ paymentDesc: 5 }, 'E9998', 'paymentDesc must be a string, got number'],
    [{ merchantTraceData: {} }, 'E9998', 'merchantTraceData must be a string, got object'],
    [{ dupCheck: 'yes' }, 'E9998', 'dupCheck must be true or false, got "yes"'],
    [{ dupCheck: 1 }, 'E9998', 'dupCheck must be true or false, got 1'],
    [{ callbackUrl: 'ftp://x' }, 'E9998', 'callbackUrl "ftp://x" is not an absolute http(s) URL'],
    [{ callbackUrl: 'https://a b' }, 'E9998', 'callbackUrl "https://a b" is not an absolute http(s) URL'],
    [{ callbackUrl: 'https://' }, 'E9998', 'callbackUrl "https://" is not an absolute http(s) URL'],
    [{ resultUrl: 'x https://a' }, 'E9998', 'resultUrl "x https://a" is not an absolute http(s) URL'],
    [{ endUserInfo: undefined }, 'E9998', 'endUserInfo is required and must be an object'],
    [{ endUserInfo: null }, 'E9998', 'endUserInfo is required and must be an object'],
    [{ endUserInfo: 'John' }, 'E9998', 'endUserInfo is required and must be an object'],
    [{ endUserInfo: [] }, 'E9998', 'endUserInfo is required and must be an object'],
    [{ endUserInfo: user({ ipAddress: undefined }) }, 'E9998', 'endUserInfo.ipAddress is required'],
    [{ endUserInfo: user({ firstName: '' }) }, 'E9998', 'endUserInfo.firstName is empty'],
    [{ endUserInfo: user({ lastName: 1 }) }, 'E9998', 'endUserInfo.lastName must be a string, got number'],
    [{ endUserInfo: user({ phoneNumber: null }) }, 'E9998', 'endUserInfo.phoneNumber is required'],
    [{ endUserInfo: user({ emailAddress: undefined }) }, 'E9998', 'endUserInfo.emailAddress is required'],
    [{ endUserInfo: user({ identifier: 7 }) }, 'E9998', 'endUserInfo.identifier must be a string'],
    [{ endUserInfo: user({ address: 'Queenstown' }) }, 'E9998', 'endUserInfo.address must be an object'],
    [{ endUserInfo: user({ address: [] }) }, 'E9998', 'endUserInfo.address must be an object'],
    [{ endUserInfo: user({ address: { country: 'SG' } }) }, 'E9998', 'endUserInfo.address.addressLine1 is required'],
    [
      { endUserInfo: user({ address: { addressLine1: 'a', cityTown: 'b', stateProv: 'c', country: 'SG' } }) },
      'E9998',
      'endUserInfo.address.postalCode is required',
    ],
    [
      {
        endUserInfo: user({
          address: { addressLine1: 'a', cityTown: 'b', stateProv: 'c', country: 'SGP', postalCode: '1' },
        }),
      },
      'E9998',
      'endUserInfo.address.country "SGP" is not a 2-letter country code',
    ],
    [
      {
        endUserInfo: user({
          address: { addressLine1: 'a', cityTown: 'b', stateProv: 'c', country: 'S1', postalCode: '1' },
        }),
      },
      'E9998',
      'endUserInfo.address.country "S1" is not a 2-letter country code',
    ],
    [
      {
        endUserInfo: user({
          address: { addressLine1: 'a', cityTown: 'b', stateProv: 'c', country: 'XSG', postalCode: '1' },
        }),
      },
      'E9998',
      'endUserInfo.address.country "XSG" is not a 2-letter country code',
    ],
    [{ payInfo: 'bank' }, 'E9998', 'payInfo must be an object of key-value pairs'],
    [{ payInfo: ['USD-TEST01'] }, 'E9998', 'payInfo must be an object of key-value pairs'],
  ])('refuses %j: %s', (changes, code, why) => {
    const r = refused(payout(changes))
    expect([r.code, r.why]).toEqual([code, why])
    expect(r.detail).toBeUndefined()
  })

  it('an address is optional, and null counts as none; a lower-case country code is taken', () => {
    expect(validatePayment(payout({ endUserInfo: user({ address: undefined }) }), merchant(), 'payout')).toBeTruthy()
    expect(validatePayment(payout({ endUserInfo: user({ address: null }) }), merchant(), 'payout')).toBeTruthy()
    expect(validatePayment(payout({ endUserInfo: user({ identifier: null }) }), merchant(), 'payout')).toBeTruthy()
    const address = { addressLine1: 'a', cityTown: 'b', stateProv: 'c', country: 'sg', postalCode: '1' }
    expect(validatePayment(payout({ endUserInfo: user({ address }) }), merchant(), 'payout')).toBeTruthy()
  })

  it('amounts at the limits and with two decimals are taken', () => {
    expect(validatePayment(payout({ txnAmount: 1 }), merchant(), 'payout').txnAmount).toBe(1)
    expect(validatePayment(payout({ txnAmount: 1000 }), merchant(), 'payout').txnAmount).toBe(1000)
    expect(validatePayment(payout({ txnAmount: 10.01 }), merchant(), 'payout').txnAmount).toBe(10.01)
    expect(validatePayment(payout({ txnAmount: '999.99' }), merchant(), 'payout').txnAmount).toBe(999.99)
  })

  it("the pay-out's required payInfo (seed rule required-pay-info)", () => {
    const payInfo = { bankCode: 'USD-TEST01', bankAccountNumber: '1234567869' }
    const r = refused(payout({ payInfo }))
    expect(r).toEqual({
      code: 'E9998',
      why: 'payInfo.bankAccountName is required on USDMOCK-001 (see GET /mxapi/{merchantId}/channelspecs/USDMOCK-001)',
      detail: { rule: 'required-pay-info' },
    })
    expect(refused(payout({ payInfo: { ...payInfo, bankAccountName: '' } })).why).toBe(
      'payInfo.bankAccountName is required on USDMOCK-001 (see GET /mxapi/{merchantId}/channelspecs/USDMOCK-001)',
    )
    expect(refused(payout({ payInfo: { ...payInfo, bankAccountName: null } })).code).toBe('E9998')
    // A null payInfo counts as none.
    expect(refused(payout({ payInfo: null }))).toEqual({
      code: 'E9998',
      why: 'payInfo.bankCode is required on USDMOCK-001 (see GET /mxapi/{merchantId}/channelspecs/USDMOCK-001)',
      detail: { rule: 'required-pay-info' },
    })
    const relaxed = merchant({ relaxedRules: ['required-pay-info'] })
    expect(validatePayment(payout({ payInfo }), relaxed, 'payout').payInfo).toEqual(payInfo)
    // Relaxed, the bank code the channel needs is still required.
    expect(refused(payout({ payInfo: { bankAccountNumber: '1' } }), 'payout', relaxed)).toEqual({
      code: 'E9998',
      why: 'payInfo.bankCode is required on USDMOCK-001 (see GET /mxapi/{merchantId}/channelspecs/USDMOCK-001)',
      detail: { rule: 'required-pay-info' },
    })
  })

  it('a bank code the channel does not know', () => {
    expect(refused(payout({ payInfo: { ...(payout().payInfo as object), bankCode: 'USD-TEST09' } }))).toEqual({
      code: 'E9998',
      why: 'payInfo.bankCode "USD-TEST09" is not a bank of USDMOCK-001; valid: USD-TEST01, USD-TEST02, USD-TEST03, USD-TEST04, USD-TEST05',
      detail: undefined,
    })
    // A pay-in on USDMOCK-001 does not validate the bank code (its specs say so).
    expect(validatePayment(payin({ payInfo: { bankCode: 'USD-TEST09' } }), merchant(), 'payin')).toBeTruthy()
  })

  it("CHNL-101 takes CNY; the seed's USD sample there only with channel-currency relaxed", () => {
    const chnl = (changes: Record<string, unknown> = {}) =>
      payin({ channelCode: 'CHNL-101', txnCurrency: 'CNY', payInfo: { bankCode: 'CHTTST01' }, ...changes })
    expect(validatePayment(chnl(), merchant(), 'payin').txnCurrency).toBe('CNY')
    expect(refused(chnl({ txnCurrency: 'USD' }), 'payin')).toEqual({
      code: 'E2022',
      why: 'CHNL-101 does not accept USD; its specs say CNY',
      detail: { rule: 'channel-currency' },
    })
    expect(refused(chnl({ txnCurrency: 'EUR' }), 'payin', merchant({ relaxedRules: ['channel-currency'] }))).toEqual({
      code: 'E2022',
      why: 'CHNL-101 does not accept EUR; its specs say CNY',
      detail: undefined,
    })
    expect(
      validatePayment(chnl({ txnCurrency: 'USD' }), merchant({ relaxedRules: ['channel-currency'] }), 'payin')
        .txnCurrency,
    ).toBe('USD')
    expect(refused(chnl({ txnAmount: 50000.01 }), 'payin').why).toBe(
      "txnAmount 50000.01 is outside CHNL-101's payin limits 1–50000",
    )
    expect(refused(chnl({ payInfo: {} }), 'payin', merchant({ relaxedRules: ['required-pay-info'] })).why).toBe(
      'payInfo.bankCode is required on CHNL-101 (see GET /mxapi/{merchantId}/channelspecs/CHNL-101)',
    )
  })

  it('optional fields may be left out: description, trace data, identifier', () => {
    const body = payout({ paymentDesc: undefined, merchantTraceData: undefined })
    body.endUserInfo = user({ identifier: undefined })
    expect(validatePayment(body, merchant(), 'payout')).toMatchObject({
      paymentDesc: undefined,
      merchantTraceData: undefined,
    })
  })

  it('a string amount without decimals; an amount whose fraction is within the tolerance goes on to the limits', () => {
    expect(validatePayment(payout({ txnAmount: '100' }), merchant(), 'payout').txnAmount).toBe(100)
    // 1e-8 * 100 is exactly 1e-6 in binary64: not "more than" the tolerance, so the limits refuse it.
    expect(refused(payout({ txnAmount: 1e-8 })).why).toBe(
      "txnAmount 1e-8 is outside USDMOCK-001's payout limits 1–1000",
    )
  })

  it('optional texts may be null; callback and result URLs are http or https, any case', () => {
    expect(validatePayment(payout({ paymentDesc: null, merchantTraceData: null }), merchant(), 'payout')).toMatchObject(
      { paymentDesc: null, merchantTraceData: null },
    )
    const urls = { callbackUrl: 'HTTPS://CALLBACK.COM/x', resultUrl: 'http://result.url/result' }
    expect(validatePayment(payout(urls), merchant(), 'payout')).toMatchObject(urls)
  })

  it("the account id must be 10 digits even when the merchant's setting is not", () => {
    for (const accountId of ['10000000011', '123456789'])
      expect(refused(payout({ accountId }), 'payout', merchant({ accountId }))).toEqual({
        code: 'E1022',
        why: `accountId "${accountId}" is not this merchant's account (${accountId})`,
        detail: undefined,
      })
  })

  it('a channel with several currencies names them all; a bank code it need not have may be left out', () => {
    const multi = { ...CHANNELS['USDMOCK-001']!, channelCode: 'TEST-MULTI', currencies: ['USD', 'EUR'] }
    multi.payoutSpecs = { ...multi.payoutSpecs, requiredPayInfo: null, bankCodeRequired: false, validateBankCode: true }
    CHANNELS['TEST-MULTI'] = multi
    try {
      const m = merchant({ channels: ['TEST-MULTI'] })
      expect(refused(payout({ channelCode: 'TEST-MULTI', txnCurrency: 'GBP' }), 'payout', m).why).toBe(
        'TEST-MULTI does not accept GBP; its specs say USD, EUR',
      )
      expect(validatePayment(payout({ channelCode: 'TEST-MULTI', payInfo: {} }), m, 'payout').payInfo).toEqual({})
    } finally {
      delete CHANNELS['TEST-MULTI']
    }
  })

  it('a side the channel does not offer', () => {
    const off = { ...CHANNELS['USDMOCK-001']!, channelCode: 'TEST-OFF' }
    off.payinSpecs = { ...off.payinSpecs, enabled: false }
    off.payoutSpecs = { ...off.payoutSpecs, enabled: false }
    CHANNELS['TEST-OFF'] = off
    try {
      const m = merchant({ channels: ['TEST-OFF'] })
      expect(refused(payin({ channelCode: 'TEST-OFF' }), 'payin', m)).toEqual({
        code: 'E9998',
        why: 'pay-in is not enabled on TEST-OFF',
        detail: undefined,
      })
      expect(refused(payout({ channelCode: 'TEST-OFF' }), 'payout', m).why).toBe('pay-out is not enabled on TEST-OFF')
    } finally {
      delete CHANNELS['TEST-OFF']
    }
  })

  it('a channel the merchant does not have', () => {
    expect(refused(payout({ channelCode: 'CHNL-101' }), 'payout', merchant({ channels: ['USDMOCK-001'] })).why).toBe(
      'channelCode "CHNL-101" is not assigned to this merchant; assigned: USDMOCK-001',
    )
    expect(refused(payout({ channelCode: 'toString' })).why).toBe(
      'channelCode "toString" is not assigned to this merchant; assigned: USDMOCK-001, CHNL-101',
    )
  })
})

describe('checkConnecxMerchant', () => {
  /** The default merchant as the admin API holds any merchant: an open record of settings. */
  const base: Merchant = { ...DEFAULT_MERCHANT }

  it('the default merchant has no problem', () => {
    expect(checkConnecxMerchant(base)).toEqual([])
  })

  it('names each bad setting', () => {
    expect(
      checkConnecxMerchant({
        provider: 'connecx',
        id: '1',
        tokenRecipes: { payment: [], txn: ['merchantId', ''], balance: 'apiKey', nope: ['x'] },
        statusTimeStampUnit: 'minutes',
        channels: ['USDMOCK-001', 'NOPE'],
        balances: { USD: 'lots' },
        accountId: '123',
        apiKey: '',
        callbackRetrySchedule: '1m',
      }),
    ).toEqual([
      'tokenRecipes.txn must be a list of field names, e.g. ["merchantId","requestSalt","paymentRef","apiKey"]',
      'tokenRecipes.balance must be a list of field names, e.g. ["merchantId","requestSalt","paymentRef","apiKey"]',
      'tokenRecipes.nope is not a recipe (payment, callback, txn, payref, bankcodes, balance, channelspecs)',
      'statusTimeStampUnit must be "seconds" or "milliseconds"',
      'channels must be a list of USDMOCK-001, CHNL-101',
      'balances must be an object of currency → number, e.g. {"USD":10000}',
      'accountId must be 10 digits',
      'apiKey must be a non-empty string',
      'callbackRetrySchedule must be a list of durations, e.g. ["1m","5m"]',
    ])
  })

  it('each recipe name is known; types of the other settings', () => {
    for (const name of ['payment', 'callback', 'txn', 'payref', 'bankcodes', 'balance', 'channelspecs'])
      expect(checkConnecxMerchant({ ...base, tokenRecipes: { [name]: ['apiKey'] } })).toEqual([])
    expect(checkConnecxMerchant({ ...base, tokenRecipes: null })).toEqual([
      'tokenRecipes must be an object of recipe name → list of field names',
    ])
    expect(checkConnecxMerchant({ ...base, tokenRecipes: [] })).toEqual([
      'tokenRecipes must be an object of recipe name → list of field names',
    ])
    expect(checkConnecxMerchant({ ...base, tokenRecipes: 'payment' })).toEqual([
      'tokenRecipes must be an object of recipe name → list of field names',
    ])
    expect(checkConnecxMerchant({ ...base, statusTimeStampUnit: 'milliseconds' })).toEqual([])
    expect(checkConnecxMerchant({ ...base, channels: 'USDMOCK-001' })).toEqual([
      'channels must be a list of USDMOCK-001, CHNL-101',
    ])
    expect(checkConnecxMerchant({ ...base, channels: [] })).toEqual([])
    expect(checkConnecxMerchant({ ...base, balances: null })).toEqual([
      'balances must be an object of currency → number, e.g. {"USD":10000}',
    ])
    expect(checkConnecxMerchant({ ...base, balances: 5 })).toEqual([
      'balances must be an object of currency → number, e.g. {"USD":10000}',
    ])
    expect(checkConnecxMerchant({ ...base, balances: { USD: 1, EUR: '2' } })).toEqual([
      'balances must be an object of currency → number, e.g. {"USD":10000}',
    ])
    expect(checkConnecxMerchant({ ...base, tokenRecipes: { txn: [['merchantId']] } })).toEqual([
      'tokenRecipes.txn must be a list of field names, e.g. ["merchantId","requestSalt","paymentRef","apiKey"]',
    ])
    expect(checkConnecxMerchant({ ...base, balances: { USD: Infinity } })).toEqual([
      'balances must be an object of currency → number, e.g. {"USD":10000}',
    ])
    expect(checkConnecxMerchant({ ...base, accountId: 1000000001 })).toEqual([])
    expect(checkConnecxMerchant({ ...base, accountId: 'x1000000001' })).toEqual(['accountId must be 10 digits'])
    expect(checkConnecxMerchant({ ...base, accountId: '1000000001x' })).toEqual(['accountId must be 10 digits'])
    expect(checkConnecxMerchant({ ...base, apiKey: 5 })).toEqual(['apiKey must be a non-empty string'])
    expect(checkConnecxMerchant({ ...base, callbackRetrySchedule: undefined })).toEqual([])
    expect(checkConnecxMerchant({ ...base, relaxedRules: ['nope'] })).toEqual([
      'relaxedRules: "nope" is not a connecx seed rule; known: token-exact, required-pay-info, channel-currency',
    ])
  })
})
