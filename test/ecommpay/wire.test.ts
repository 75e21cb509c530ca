// ECommPay's wire module on its own: callback bodies against the seed's (002) callback examples,
// byte for byte (the seed's JSON without the whitespace between tokens and without `signature`),
// the status, code and message of every state, the Gate's answers, and India's banking hours.
// Hashes were printed by PHP 8.2 (sha1); times were worked out by PHP's DateTime in GMT+8.
import { describe, expect, it } from 'vitest'
import {
  acceptedBody,
  bankName,
  bankPageUrl,
  BANKS,
  CODES,
  CURRENCY,
  ecpDate,
  errorBody,
  METHOD_CODE,
  money,
  NATIVE_STATUSES,
  nativeState,
  nextWorkingTime,
  OPERATION_ID_BASE,
  PAYOUT_MAX,
  PAYOUT_MIN,
  renderCallbackBody,
  renderOperation,
  renderPayment,
  requestId,
  type EcommpayTransaction,
  type EcommpayTxData,
} from '../../src/providers/ecommpay/wire.js'

/** Seed 002, "Example of a successful purchase callback" (first one), compact, without signature. */
const SEED_SALE_SUCCESS =
  '{"project_id":239,"payment":{"id":"EP8550-ad59","type":"purchase","status":"success","date":"2020-05-13T09:06:45+0000","method":"India banks","sum":{"amount":1000,"currency":"INR"},"description":"test"},"customer":{"id":"345435435"},"operation":{"id":548,"type":"sale","status":"success","date":"2020-05-13T09:06:45+0000","created_date":"2020-05-13T09:05:47+0000","request_id":"7b0f630c3f2f395bba2738cf90866bd4dd50bd3-00000001","sum_initial":{"amount":1000,"currency":"INR"},"sum_converted":{"amount":1000,"currency":"INR"},"code":"0","message":"Success","provider":{"id":2080,"payment_id":"15141-1589360772-25","auth_code":""}}}'
/** Seed 002, "Example of a declined purchase callback". */
const SEED_SALE_DECLINE =
  '{"project_id":239,"payment":{"id":"EP8550-ad59","type":"purchase","status":"decline","date":"2020-05-13T09:06:45+0000","method":"India banks","sum":{"amount":1000,"currency":"INR"},"description":"test"},"customer":{"id":"123"},"operation":{"id":548,"type":"sale","status":"decline","date":"2020-05-13T09:06:45+0000","created_date":"2020-05-13T09:05:47+0000","request_id":"7b0f630c3f2f395bba2738cf9086622bd4dd50bd3-00000002","sum_initial":{"amount":1000,"currency":"INR"},"sum_converted":{"amount":1000,"currency":"INR"},"code":"20000","message":"decline","provider":{"id":2080,"payment_id":"","auth_code":""}}}'
/** Seed 002, "Example of a successful refund callback". */
const SEED_REFUND_SUCCESS =
  '{"project_id":197,"payment":{"id":"TEST_554862","type":"purchase","status":"refunded","date":"2020-09-09T10:02:18+0000","method":"India banks","sum":{"amount":0,"currency":"INR"},"merchant_refund_id":"TEST_554862","description":"TEST_554862"},"customer":{"id":"1","phone":"1234567890"},"operation":{"id":90266010010271,"type":"refund","status":"success","date":"2020-09-09T10:02:18+0000","created_date":"2020-09-09T09:46:14+0000","request_id":"6b77b588d77d5c27be31be7b72bf9adf...b1c85eda238b73cac-00090267","sum_initial":{"amount":35000,"currency":"INR"},"sum_converted":{"amount":35000,"currency":"INR"},"code":"0","message":"Success","provider":{"id":1751,"payment_id":"4952688","auth_code":""}}}'
/** Seed 002, "Example of a successful payout callback". */
const SEED_PAYOUT_SUCCESS =
  '{"project_id":239,"payment":{"id":"ORDER53","type":"payout","status":"success","date":"2020-05-21T13:23:32+0000","method":"India banks","sum":{"amount":100000,"currency":"INR"},"description":"description"},"account":{"number":"123456"},"customer":{"id":"24901"},"operation":{"id":1386,"type":"payout","status":"success","date":"2020-05-21T13:23:32+0000","created_date":"2020-05-21T13:23:28+0000","request_id":"e48da2df266940ce5f534ae31237ca774b6fb-00000002","sum_initial":{"amount":100000,"currency":"INR"},"sum_converted":{"amount":100000,"currency":"INR"},"code":"0","message":"Success","provider":{"id":2080,"payment_id":"15141-1589360772-26","auth_code":""}}}'
/** Seed 002, "Example of a declined payout callback". */
const SEED_PAYOUT_DECLINE =
  '{"project_id":239,"payment":{"id":"ORDER54","type":"payout","status":"decline","date":"2020-05-21T13:23:32+0000","method":"India banks","sum":{"amount":1000,"currency":"INR"},"description":"description"},"account":{"number":"123456"},"customer":{"id":"24900"},"operation":{"id":1386,"type":"payout","status":"decline","date":"2020-05-21T13:23:32+0000","created_date":"2020-05-21T13:23:28+0000","request_id":"e48da2df266940ce5f534c84cc031237ca774b6fb-00000001","sum_initial":{"amount":1000,"currency":"INR"},"sum_converted":{"amount":1000,"currency":"INR"},"code":"20000","message":"General decline","provider":{"id":2080,"payment_id":"","auth_code":""}}}'

const PROJECT_239 = { provider: 'ecommpay', id: '239' }

function tx(changes: Partial<EcommpayTransaction> = {}, data: Partial<EcommpayTxData> = {}): EcommpayTransaction {
  return {
    id: 'ecommpay-1',
    provider: 'ecommpay',
    merchant: '239',
    kind: 'sale',
    reference: 'EP8550-ad59',
    providerRef: '548',
    amount: 1000,
    currency: 'INR',
    status: 'approved',
    createdAt: Date.parse('2020-05-13T09:05:47Z'),
    updatedAt: Date.parse('2020-05-13T09:06:45Z'),
    history: [],
    data: {
      channel: 'page',
      operationId: 548,
      requestId: '7b0f630c3f2f395bba2738cf90866bd4dd50bd3-00000001',
      description: 'test',
      customer: { id: '345435435' },
      returnUrls: {},
      origin: 'http://localhost:8080',
      providerPaymentId: '15141-1589360772-25',
      ...data,
    },
    ...changes,
  }
}

const payoutTx = (status: EcommpayTransaction['status'], data: Partial<EcommpayTxData> = {}) =>
  tx(
    {
      kind: 'payout',
      reference: status === 'approved' ? 'ORDER53' : 'ORDER54',
      amount: status === 'approved' ? 100000 : 1000,
      status,
      createdAt: Date.parse('2020-05-21T13:23:28Z'),
      updatedAt: Date.parse('2020-05-21T13:23:32Z'),
    },
    {
      operationId: 1386,
      requestId:
        status === 'approved'
          ? 'e48da2df266940ce5f534ae31237ca774b6fb-00000002'
          : 'e48da2df266940ce5f534c84cc031237ca774b6fb-00000001',
      description: 'description',
      customer: { id: status === 'approved' ? '24901' : '24900' },
      accountNumber: '123456',
      providerPaymentId: '15141-1589360772-26',
      channel: 'gate',
      ...data,
    },
  )

describe("callback bodies: the seed's examples, byte for byte", () => {
  it('a successful purchase', () => {
    expect(JSON.stringify(renderCallbackBody(tx(), PROJECT_239))).toBe(SEED_SALE_SUCCESS)
  })

  it('a declined purchase ("decline", code 20000)', () => {
    const declined = tx(
      { status: 'declined' },
      { customer: { id: '123' }, requestId: '7b0f630c3f2f395bba2738cf9086622bd4dd50bd3-00000002' },
    )
    expect(JSON.stringify(renderCallbackBody(declined, PROJECT_239))).toBe(SEED_SALE_DECLINE)
  })

  it('a successful refund: the purchase refunded with nothing left, the refund operation', () => {
    const refund = tx(
      {
        kind: 'refund',
        reference: 'TEST_554862',
        amount: 35000,
        status: 'approved',
        createdAt: Date.parse('2020-09-09T09:46:14Z'),
        updatedAt: Date.parse('2020-09-09T10:02:18Z'),
      },
      {
        operationId: 90266010010271,
        requestId: '6b77b588d77d5c27be31be7b72bf9adf...b1c85eda238b73cac-00090267',
        description: 'TEST_554862',
        customer: { id: '1', phone: '1234567890' },
        providerId: 1751,
        providerPaymentId: '4952688',
        sale: { transactionId: 'ecommpay-0', operationId: 1, amount: 35000, requestId: 'r' },
      },
    )
    expect(JSON.stringify(renderCallbackBody(refund, { provider: 'ecommpay', id: '197' }))).toBe(SEED_REFUND_SUCCESS)
  })

  it('a successful payout, with its account', () => {
    expect(JSON.stringify(renderCallbackBody(payoutTx('approved'), PROJECT_239))).toBe(SEED_PAYOUT_SUCCESS)
  })

  it('a declined payout ("General decline")', () => {
    expect(JSON.stringify(renderCallbackBody(payoutTx('declined'), PROJECT_239))).toBe(SEED_PAYOUT_DECLINE)
  })
})

describe('callback bodies: the rest of the layout', () => {
  it('a customer without a phone has no phone key (not even an undefined one)', () => {
    expect(Object.keys(renderCallbackBody(tx(), PROJECT_239).customer as object)).toEqual(['id'])
  })

  it('a payout without an account number shows an empty one', () => {
    const body = renderCallbackBody(payoutTx('approved', { accountNumber: undefined }), PROJECT_239)
    expect(body.account).toEqual({ number: '' })
  })

  it('a pending Gate sale carries redirect_data to the bank page; a Payment Page sale does not', () => {
    const pending = tx({ status: 'pending' }, { channel: 'gate', operationId: 90266010010001 })
    const body = renderCallbackBody(pending, PROJECT_239)
    expect(Object.keys(body)).toEqual(['project_id', 'payment', 'customer', 'operation', 'redirect_data'])
    expect(JSON.stringify(body.redirect_data)).toBe(
      '{"body":[],"method":"GET","url":"http://localhost:8080/payment/bank/90266010010001","encrypted":[]}',
    )
    expect(bankPageUrl(pending)).toBe('http://localhost:8080/payment/bank/90266010010001')
    expect(Object.keys(renderCallbackBody(tx({ status: 'pending' }), PROJECT_239))).toEqual([
      'project_id',
      'payment',
      'customer',
      'operation',
    ])
    expect(renderCallbackBody(tx({ status: 'approved' }, { channel: 'gate' }), PROJECT_239)).not.toHaveProperty(
      'redirect_data',
    )
    const payout = payoutTx('pending')
    expect(renderCallbackBody(payout, PROJECT_239)).not.toHaveProperty('redirect_data')
  })

  it('a Gate sale awaiting clarification carries clarification_fields instead', () => {
    const waiting = tx(
      { status: 'pending' },
      { channel: 'gate', clarification: { fields: ['first_name', 'email'], awaiting: true } },
    )
    const body = renderCallbackBody(waiting, PROJECT_239)
    expect(Object.keys(body)).toEqual(['project_id', 'payment', 'customer', 'operation', 'clarification_fields'])
    expect(JSON.stringify(body.clarification_fields)).toBe(
      '{"customer":{"type":"object","properties":{"first_name":{"type":"string"},"email":{"type":"string"}},"required":["first_name","email"]}}',
    )
    expect(JSON.stringify(body.payment)).toContain('"status":"awaiting clarification"')
    const answered = tx(
      { status: 'pending' },
      { channel: 'gate', clarification: { fields: ['email'], awaiting: false } },
    )
    expect(renderCallbackBody(answered, PROJECT_239)).toHaveProperty('redirect_data')
  })

  it("payment: a refund not yet done shows the sale's amount and the purchase's status; merchant_refund_id falls back to the id", () => {
    const refund = tx(
      { kind: 'refund', reference: 'R1', amount: 500, status: 'processing' },
      { sale: { transactionId: 'ecommpay-0', operationId: 1, amount: 35000, requestId: 'r' } },
    )
    expect(JSON.stringify(renderPayment(refund))).toBe(
      '{"id":"R1","type":"purchase","status":"success","date":"2020-05-13T09:06:45+0000","method":"India banks","sum":{"amount":35000,"currency":"INR"},"merchant_refund_id":"R1","description":"test"}',
    )
    const bare = tx({ kind: 'refund', reference: 'R2', amount: 500, status: 'declined' }, { merchantRefundId: 'M2' })
    expect(renderPayment(bare)).toMatchObject({ sum: { amount: 500, currency: 'INR' }, merchant_refund_id: 'M2' })
    expect(renderPayment(tx(), 'awaiting 3ds result').status).toBe('awaiting 3ds result')
  })

  it('operation.provider: a payment id once successful (made up when none was given), else empty', () => {
    expect(renderOperation(tx({}, { providerPaymentId: undefined })).provider).toEqual({
      id: 2080,
      payment_id: '15141-1589360805-548',
      auth_code: '',
    })
    expect(
      renderOperation(
        tx({ status: 'refunded', kind: 'refund' }, { providerPaymentId: undefined, operationId: 90266010011234 }),
      ).provider,
    ).toEqual({ id: 2080, payment_id: '15141-1589360805-234', auth_code: '' })
    expect(renderOperation(tx({ status: 'processing' })).provider).toEqual({ id: 2080, payment_id: '', auth_code: '' })
  })
})

describe('nativeState', () => {
  it.each([
    ['sale', 'pending', 'awaiting redirect result', 'awaiting redirect result', '9999', 'Awaiting processing'],
    ['payout', 'pending', 'processing', 'processing', '9999', 'Awaiting processing'],
    ['refund', 'pending', 'success', 'processing', '9999', 'Awaiting processing'],
    ['sale', 'processing', 'processing', 'processing', '9999', 'Awaiting processing'],
    ['refund', 'processing', 'success', 'processing', '9999', 'Awaiting processing'],
    ['sale', 'approved', 'success', 'success', '0', 'Success'],
    ['refund', 'approved', 'refunded', 'success', '0', 'Success'],
    ['sale', 'declined', 'decline', 'decline', '20000', 'decline'],
    ['payout', 'declined', 'decline', 'decline', '20000', 'General decline'],
    ['refund', 'declined', 'success', 'decline', '20000', 'decline'],
    ['sale', 'failed', 'error', 'external error', '20202', 'PSP system is unavailable'],
    ['refund', 'failed', 'success', 'external error', '20202', 'PSP system is unavailable'],
    ['sale', 'expired', 'decline', 'decline', '20602', 'Time-out'],
    ['refund', 'expired', 'success', 'decline', '20602', 'Time-out'],
    ['sale', 'cancelled', 'decline', 'decline', '20301', 'Account owner cancelled operation'],
    ['refund', 'cancelled', 'success', 'decline', '20301', 'Account owner cancelled operation'],
    ['sale', 'refunded', 'refunded', 'success', '0', 'Success'],
  ] as const)('a %s %s: payment %s, operation %s, %s %s', (kind, status, payment, operation, code, message) => {
    expect(nativeState(tx({ kind, status }))).toEqual({
      paymentStatus: payment,
      operationStatus: operation,
      code,
      message,
    })
  })

  it('a sale awaiting clarification', () => {
    expect(nativeState(tx({ status: 'pending' }, { clarification: { fields: ['email'], awaiting: true } }))).toEqual({
      paymentStatus: 'awaiting clarification',
      operationStatus: 'awaiting clarification',
      code: '3191',
      message: 'Need clarification',
    })
    // Only a sale waits for clarification.
    expect(
      nativeState(tx({ kind: 'payout', status: 'pending' }, { clarification: { fields: ['email'], awaiting: true } }))
        .code,
    ).toBe('9999')
  })

  it('native statuses "internal error" and "expired" from a scenario', () => {
    expect(nativeState(tx({ status: 'failed', nativeStatus: 'internal error' }))).toEqual({
      paymentStatus: 'error',
      operationStatus: 'internal error',
      code: '20202',
      message: 'PSP system is unavailable',
    })
    expect(nativeState(tx({ status: 'expired', nativeStatus: 'expired' }))).toEqual({
      paymentStatus: 'expired',
      operationStatus: 'expired',
      code: '20602',
      message: 'Time-out',
    })
    expect(nativeState(tx({ kind: 'refund', status: 'expired', nativeStatus: 'expired' })).paymentStatus).toBe(
      'success',
    )
  })

  it("a scenario's native code and message replace those of a final decline; the code's own message otherwise", () => {
    expect(nativeState(tx({ status: 'declined', native: { code: '20105' } }))).toMatchObject({
      code: '20105',
      message: 'Insufficient funds on customer account',
    })
    expect(nativeState(tx({ status: 'declined', native: { code: 20401 } }))).toMatchObject({
      code: '20401',
      message: 'Declined by PSP risk system',
    })
    expect(nativeState(tx({ status: 'declined', native: { code: '20000' } })).message).toBe('decline')
    expect(nativeState(tx({ kind: 'payout', status: 'failed', native: { code: '20000' } })).message).toBe(
      'General decline',
    )
    expect(nativeState(tx({ status: 'declined', native: { code: '12345' } })).message).toBe('decline')
    expect(nativeState(tx({ status: 'declined', native: { code: 'toString' } })).message).toBe('decline')
    expect(nativeState(tx({ status: 'cancelled', native: { code: '20105', message: 'No money' } }))).toMatchObject({
      code: '20105',
      message: 'No money',
    })
    expect(nativeState(tx({ status: 'expired', native: { message: 'Too late' } }))).toMatchObject({
      code: '20602',
      message: 'Too late',
    })
    expect(nativeState(tx({ status: 'declined', native: { code: true, message: 5 } }))).toMatchObject({
      code: '20000',
      message: 'decline',
    })
    // Native fields do not change a success.
    expect(nativeState(tx({ status: 'approved', native: { code: '20105', message: 'x' } }))).toMatchObject({
      code: '0',
      message: 'Success',
    })
  })
})

describe("the Gate's answers", () => {
  it('accepted and refused bodies, keys in order', () => {
    expect(acceptedBody('req-1', 239, 'EP8550-ad59')).toBe(
      '{"status":"success","request_id":"req-1","project_id":239,"payment_id":"EP8550-ad59"}',
    )
    expect(errorBody('3261', { requestId: 'req-1', projectId: 239, paymentId: 'EP8550-ad59' })).toBe(
      '{"status":"error","request_id":"req-1","project_id":239,"payment_id":"EP8550-ad59","code":"3261","message":"Invalid signature"}',
    )
    expect(errorBody('702', { requestId: '', projectId: null, paymentId: null })).toBe(
      '{"status":"error","request_id":"","project_id":null,"payment_id":null,"code":"702","message":"Malformed request"}',
    )
  })

  it('request ids: sha1 of project, payment and counter (PHP sha1), then the counter in 8 digits', () => {
    expect(requestId('239', 'EP8550-ad59', 1)).toBe('2145856bcfce5996d7fd8c7da6b2190b115bd45e-00000001')
    expect(requestId('239', 'P', 123456789)).toBe('7cf62abd54483be26deaaa12bd754db06f03127e-23456789')
  })

  it("the seed's date format, money as the page shows it", () => {
    expect(ecpDate(Date.parse('2020-05-13T09:06:45.999Z'))).toBe('2020-05-13T09:06:45+0000')
    expect(money(200000, 'INR')).toBe('2000.00 INR')
    expect(money(5, 'INR')).toBe('0.05 INR')
  })

  it("the seed's constants", () => {
    expect([CURRENCY, PAYOUT_MIN, PAYOUT_MAX, METHOD_CODE, OPERATION_ID_BASE]).toEqual([
      'INR',
      100_000,
      50_000_000,
      'online-indian-banks',
      90_266_010_010_000,
    ])
    expect(BANKS.map((b) => `${b.id} ${b.name}`)).toEqual([
      '401 Axis Bank',
      '416 Bank of Baroda',
      '408 Bank of India',
      '405 Canara Bank',
      '414 Central Bank of India',
      '412 HDFC Bank',
      '406 ICICI Bank',
      '409 IDBI Bank',
      '402 Indian Bank',
      '411 Karnataka Bank',
      '404 Kotak Mahindra Bank',
      '407 Punjab National Bank',
      '410 Standard Charter Bank',
      '403 State Bank of India',
      '415 Union Bank of India',
      '413 Yes Bank',
    ])
    expect(bankName(412)).toBe('HDFC Bank')
    expect(bankName(999)).toBeUndefined()
    expect(bankName(undefined)).toBeUndefined()
    expect(NATIVE_STATUSES).toEqual({
      success: 'approved',
      decline: 'declined',
      'awaiting redirect result': 'pending',
      'awaiting clarification': 'pending',
      processing: 'processing',
      error: 'failed',
      'external error': 'failed',
      'internal error': 'failed',
      expired: 'expired',
      cancelled: 'cancelled',
      refunded: 'refunded',
    })
  })

  it('the codes and their messages (research §3.4 and the seed)', () => {
    expect(CODES).toEqual({
      '0': 'Success',
      '501': 'Internal error',
      '502': 'Validation error',
      '702': 'Malformed request',
      '2003': 'Invalid JSON string',
      '2004': 'Required field not provided',
      '2442': 'Project ID not found',
      '2541': 'Unknown Payment Method',
      '2642': 'Operation amount is greater than limit',
      '2801': 'Bank ID not found',
      '3023': 'Provided currency disabled for Project ID',
      '3041': 'Payment ID already exists',
      '3060': 'Current payment or operation status does not allow this action',
      '3061': 'Transaction not found',
      '3121': 'Invalid currency',
      '3191': 'Need clarification',
      '3230': 'The operation with such merchant_refund_id already exists',
      '3261': 'Invalid signature',
      '3262': 'Empty signature',
      '3283': 'Refund amount more than init amount',
      '3284': 'Refund currency mismatched or empty',
      '3358': 'Operation amount is less than limit',
      '3609': 'Operation amount must be equal to the initial amount',
      '9999': 'Awaiting processing',
      '20000': 'General decline',
      '20100': 'Declined by external provider',
      '20101': 'Decline due to amount or frequency limit',
      '20102': 'Incorrect account data entered',
      '20103': 'Incorrect login or password',
      '20105': 'Insufficient funds on customer account',
      '20106': 'Customer account is no longer available',
      '20201': 'Restrictions for the customer account',
      '20202': 'PSP system is unavailable',
      '20301': 'Account owner cancelled operation',
      '20401': 'Declined by PSP risk system',
      '20602': 'Time-out',
    })
  })
})

describe("India's banking hours: Monday to Friday 10:30–19:00 GMT+8", () => {
  it.each([
    ['Wednesday 13:00 local: open', '2024-05-15T05:00:00Z', '2024-05-15T05:00:00Z'],
    ['Wednesday 10:29:59 local', '2024-05-15T02:29:59Z', '2024-05-15T02:30:00Z'],
    ['Wednesday 10:29:30 local', '2024-05-15T02:29:30Z', '2024-05-15T02:30:00Z'],
    ['Wednesday 10:30 local: open', '2024-05-15T02:30:00Z', '2024-05-15T02:30:00Z'],
    ['Wednesday 18:59:59 local: open', '2024-05-15T10:59:59Z', '2024-05-15T10:59:59Z'],
    ['Wednesday 19:00 local: Thursday', '2024-05-15T11:00:00Z', '2024-05-16T02:30:00Z'],
    ['Friday 19:00 local: Monday', '2024-05-17T11:00:00Z', '2024-05-20T02:30:00Z'],
    ['Saturday 13:00 local: Monday', '2024-05-18T05:00:00Z', '2024-05-20T02:30:00Z'],
    ['Monday 04:00 local (Sunday UTC)', '2024-05-19T20:00:00Z', '2024-05-20T02:30:00Z'],
    ['Friday 01:00 local (Thursday UTC)', '2024-05-16T17:00:00Z', '2024-05-17T02:30:00Z'],
    ['Saturday 00:00 local (Friday UTC)', '2024-05-17T16:00:00Z', '2024-05-20T02:30:00Z'],
    ['Sunday 13:00 local: Monday', '2024-05-19T05:00:00Z', '2024-05-20T02:30:00Z'],
    ['Monday 11:00 local: open', '2024-05-20T03:00:00Z', '2024-05-20T03:00:00Z'],
    ['Wednesday 10:45 local: open', '2024-05-15T02:45:00Z', '2024-05-15T02:45:00Z'],
    ['Saturday 10:30 local: Monday', '2024-05-18T02:30:00Z', '2024-05-20T02:30:00Z'],
    ['Sunday 10:30 local: Monday', '2024-05-19T02:30:00Z', '2024-05-20T02:30:00Z'],
    ['Friday 13:00 local: open', '2024-05-17T05:00:00Z', '2024-05-17T05:00:00Z'],
  ])('%s', (_name, now, next) => {
    expect(new Date(nextWorkingTime(Date.parse(now))).toISOString()).toBe(new Date(next).toISOString())
  })
})
