// Bankconnect's wire module on its own: the seed's payout table checked field by field with the
// message the merchant reads and the reason the journal gives, the entries an answer carries for
// each state, and PHP's json_encode of them. Expected values are the seed's (000) texts and
// examples, and literals.
import { describe, expect, it } from 'vitest'
import {
  appErrorBody,
  DEFAULT_MERCHANT,
  FIELDS,
  MAX_PAYOUTS_PER_REQUEST,
  NATIVE_STATUSES,
  PAYMENT_CODES,
  refusedEntry,
  renderEntries,
  restErrorBody,
  settings,
  statusEntry,
  submittedEntry,
  validatePayout,
  type BankconnectTransaction,
} from '../../src/providers/bankconnect/wire.js'

/** The seed's "Decrypted Payout Request Example", verbatim (the PDF's `{`/`}` escapes removed). */
const SEED_REQUEST =
  '[{"order_id":"93893832223","bank":"0","trx_type":"NEFT","payeename":"Test","bnf_nick_name":"test","amount":"1.00","account_no":"893338378373","ifsc":"SBINXXXXXXX","address1":"madanpur","city":"saritavihar","state":"delhi","pincode":"110076","email":"m@gmail.com","phone":"982159361 1"}]'
/** The seed's "Decrypted Payout Response Example" (the PDF's space before `:` removed). */
const SEED_RESPONSE =
  '[{"status":"SUCCESS","order_id":"93893832223","payment_code":"SUCC200","message":"","utr":"39389383983"}]'

/** The seed's payout object, made valid under the seed's own table (10-digit phone, 5-letter city). */
function payout(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const seed = (JSON.parse(SEED_REQUEST) as Array<Record<string, unknown>>)[0]!
  return { ...seed, city: 'delhi', phone: '9821593611', ifsc: 'SBIN0001234', ...changes }
}

function refusal(input: unknown, index = 0, enforced?: (rule: 'address-max-length') => boolean) {
  const check = validatePayout(input, index, enforced)
  if (check.ok) throw new Error(`expected a refusal, got ${JSON.stringify(check.payout)}`)
  return check
}

function accepted(input: unknown, enforced?: (rule: 'address-max-length') => boolean) {
  const check = validatePayout(input, 0, enforced)
  if (!check.ok) throw new Error(`expected acceptance, got ${check.message}: ${check.why}`)
  return check.payout
}

function tx(status: BankconnectTransaction['status'], native?: Record<string, unknown>): BankconnectTransaction {
  return {
    id: 'bankconnect-1',
    provider: 'bankconnect',
    merchant: '0035',
    kind: 'payout',
    reference: '93893832223',
    providerRef: '39389383983',
    amount: 1,
    currency: 'INR',
    status,
    ...(native ? { native } : {}),
    createdAt: 0,
    updatedAt: 0,
    history: [],
    data: { amount: '1.00', utr: '39389383983', endPointUrl: 'http://127.0.0.1/cb', trxType: 'NEFT' },
  }
}

describe("the seed's status codes and the answers' entries", () => {
  it("PAYMENT_CODES are the seed's table verbatim", () => {
    expect(PAYMENT_CODES).toEqual({
      SUCC200: 'Transaction has been submitted successfully.',
      SUCC201: 'Transaction is being Processed',
      SUCC202: 'Transaction is Failed',
      ERR411: 'Duplicate Order ID',
    })
    expect(NATIVE_STATUSES).toEqual({ SUCC200: 'approved', SUCC201: 'processing', SUCC202: 'failed' })
  })

  it("the submitted entry of a fresh payout is the seed's response example, byte for byte", () => {
    expect(renderEntries([submittedEntry(tx('pending'))])).toBe(SEED_RESPONSE)
    expect(renderEntries([submittedEntry(tx('processing'))])).toBe(SEED_RESPONSE)
    expect(renderEntries([submittedEntry(tx('approved'))])).toBe(SEED_RESPONSE)
  })

  it('a payout that failed before the answer is answered FAILED with its message', () => {
    expect(renderEntries([submittedEntry(tx('failed'))])).toBe(
      '[{"status":"FAILED","order_id":"93893832223","payment_code":"SUCC202","message":"Transaction is Failed","utr":"39389383983"}]',
    )
    expect(renderEntries([submittedEntry(tx('declined', { message: 'Beneficiary bank down' }))])).toBe(
      '[{"status":"FAILED","order_id":"93893832223","payment_code":"SUCC202","message":"Beneficiary bank down","utr":"39389383983"}]',
    )
  })

  it.each([
    [
      'pending',
      undefined,
      '{"status":"PENDING","order_id":"93893832223","payment_code":"SUCC201","message":"Transaction is being Processed","utr":"39389383983"}',
    ],
    [
      'processing',
      { message: 'ignored while processing' },
      '{"status":"PENDING","order_id":"93893832223","payment_code":"SUCC201","message":"Transaction is being Processed","utr":"39389383983"}',
    ],
    [
      'approved',
      undefined,
      '{"status":"SUCCESS","order_id":"93893832223","payment_code":"SUCC200","message":"","utr":"39389383983"}',
    ],
    [
      'approved',
      { message: 'Paid/OK' },
      '{"status":"SUCCESS","order_id":"93893832223","payment_code":"SUCC200","message":"Paid\\/OK","utr":"39389383983"}',
    ],
    [
      'approved',
      { message: 7 },
      '{"status":"SUCCESS","order_id":"93893832223","payment_code":"SUCC200","message":"","utr":"39389383983"}',
    ],
    [
      'failed',
      undefined,
      '{"status":"FAILED","order_id":"93893832223","payment_code":"SUCC202","message":"Transaction is Failed","utr":"39389383983"}',
    ],
    [
      'failed',
      { message: 7 },
      '{"status":"FAILED","order_id":"93893832223","payment_code":"SUCC202","message":"Transaction is Failed","utr":"39389383983"}',
    ],
    [
      'expired',
      { message: 'Timed out' },
      '{"status":"FAILED","order_id":"93893832223","payment_code":"SUCC202","message":"Timed out","utr":"39389383983"}',
    ],
  ] as const)('status entry of a %s payout (native %j)', (status, native, json) => {
    expect(renderEntries([statusEntry(tx(status, native))])).toBe(`[${json}]`)
  })

  it('a refused object: FAILED, its code, its message, no UTR', () => {
    expect(renderEntries([refusedEntry('12', 'ERR411', 'Duplicate Order ID'), refusedEntry('', 'SUCC202', 'x')])).toBe(
      '[{"status":"FAILED","order_id":"12","payment_code":"ERR411","message":"Duplicate Order ID","utr":""},' +
        '{"status":"FAILED","order_id":"","payment_code":"SUCC202","message":"x","utr":""}]',
    )
  })

  it('request-level refusals: the application format and RestServer format', () => {
    expect(appErrorBody('Invalid end_point_url')).toBe(
      '{"status":"FAILED","payment_code":"SUCC202","message":"Invalid end_point_url"}',
    )
    expect(restErrorBody('Invalid API key ')).toBe('{"status":false,"error":"Invalid API key "}')
    expect(MAX_PAYOUTS_PER_REQUEST).toBe(100)
  })

  it("the default test account (CONTRACT's bankconnect account)", () => {
    expect(DEFAULT_MERCHANT).toEqual({
      provider: 'bankconnect',
      id: '0035',
      name: 'Bankconnect sandbox merchant',
      secretkey: '35kjfkh45',
      iv: 'a1b2c3d4e5f6g7h8',
      apiKey: 'BANKCONNECT_1890',
      basicUser: 'bankconnect_1.2_1890',
      basicPassword: 'connectbank_1.2_1890',
      relaxedRules: [],
    })
  })

  it("the default test account's settings", () => {
    expect(settings(DEFAULT_MERCHANT)).toEqual({
      merchantNo: '0035',
      secret: '35kjfkh45',
      iv: 'a1b2c3d4e5f6g7h8',
      apiKey: 'BANKCONNECT_1890',
      basicUser: 'bankconnect_1.2_1890',
      basicPassword: 'connectbank_1.2_1890',
    })
  })
})

describe("validatePayout: the seed's table", () => {
  it("the table's names, types and lengths are the seed's, in its order", () => {
    expect(FIELDS.map((f) => [f.name, f.seedType, f.seedMax, f.required])).toEqual([
      ['order_id', 'Integer', 20, true],
      ['bank', 'Integer', 0, true],
      ['payeename', 'Text', 20, true],
      ['bnf_nick_name', 'Text', 20, true],
      ['amount', 'Numeric', 10, true],
      ['account_no', 'Numeric', 18, true],
      ['ifsc', 'String', 11, true],
      ['trx_type', 'Text', 4, true],
      ['address1', 'String', 10, true],
      ['city', 'Text', 10, true],
      ['state', 'Text', 10, true],
      ['pincode', 'Numeric', 6, true],
      ['phone', 'numeric', 10, true],
      ['email', '(not in the table; in the example)', 100, false],
    ])
  })

  it('accepts the seed example with a valid phone, city and IFSC, with no warning', () => {
    const p = accepted(payout())
    expect(p).toEqual({
      orderId: '93893832223',
      amount: '1.00',
      amountValue: 1,
      accountNo: '893338378373',
      trxType: 'NEFT',
      fields: payout(),
      warnings: [],
    })
  })

  it('numbers where the type is Integer or Numeric: the amount keeps its JSON number', () => {
    const p = accepted(
      payout({ order_id: 7001, bank: 0, amount: 2500.5, account_no: 1234567890, pincode: 110076, phone: 9821593611 }),
    )
    expect(p.orderId).toBe('7001')
    expect(p.amount).toBe(2500.5)
    expect(p.amountValue).toBe(2500.5)
    expect(p.accountNo).toBe('1234567890')
  })

  it.each([
    ['a string', 'x', 'payout object 1 is a string, not a JSON object with order_id, bank, trx_type, …'],
    ['null', null, 'payout object 1 is null, not a JSON object with order_id, bank, trx_type, …'],
    ['an array', [payout()], 'payout object 1 is an array, not a JSON object with order_id, bank, trx_type, …'],
    ['a number', 5, 'payout object 1 is a number, not a JSON object with order_id, bank, trx_type, …'],
  ])('not an object (%s)', (_name, input, why) => {
    expect(refusal(input)).toEqual({ ok: false, orderId: '', message: 'Invalid payout object', why })
  })

  it.each([
    ['bnf_nick_name', 42, 'Text'],
    ['ifsc', 1234, 'String'],
    ['trx_type', 1, 'Text'],
    ['address1', 12, 'String'],
    ['city', 1, 'Text'],
    ['state', 1, 'Text'],
    ['email', 5, '(not in the table; in the example)'],
  ])('a JSON number where the type is text: %s', (name, value, type) => {
    expect(refusal(payout({ [name]: value }))).toEqual({
      ok: false,
      orderId: '93893832223',
      message: `Invalid ${name}`,
      why: `payout object 1: ${name} is a number; the seed's type is ${type}, send a JSON string`,
    })
  })

  it('digits only, from the first character to the last', () => {
    expect(refusal(payout({ order_id: '12a' }))).toEqual({
      ok: false,
      orderId: '12a',
      message: 'Invalid order_id',
      why: 'payout object 1: order_id is "12a"; it must be 1 to 20 digits',
    })
    expect(refusal(payout({ account_no: 'A12' }))).toEqual({
      ok: false,
      orderId: '93893832223',
      message: 'Invalid account_no',
      why: 'payout object 1: account_no is "A12"; it must be 1 to 18 digits',
    })
  })

  it('names the object by its place in the request', () => {
    expect(refusal(payout({ bank: '1' }), 2).why).toBe('payout object 3: bank is "1"; it must be always 0')
  })

  it.each([
    [
      { order_id: undefined },
      '',
      'order_id is required',
      "payout object 1: order_id is missing; the seed's table lists it (Integer, max 20)",
    ],
    [
      { bank: null },
      '93893832223',
      'bank is required',
      "payout object 1: bank is null; the seed's table lists it (Integer, max 0)",
    ],
    [
      { payeename: '' },
      '93893832223',
      'payeename is required',
      "payout object 1: payeename is empty; the seed's table lists it (Text, max 20)",
    ],
    [
      { phone: undefined },
      '93893832223',
      'phone is required',
      "payout object 1: phone is missing; the seed's table lists it (numeric, max 10)",
    ],
  ])('a missing field: %j', (changes, orderId, message, why) => {
    expect(refusal(payout(changes))).toEqual({ ok: false, orderId, message, why })
  })

  it('email may be left out, empty or null; any address with one @ is taken', () => {
    expect(accepted(payout({ email: 'anushk@gmail.com' })).warnings).toEqual([])
    expect(accepted(payout({ email: undefined })).warnings).toEqual([])
    expect(accepted(payout({ email: '' })).warnings).toEqual([])
    expect(accepted(payout({ email: null })).warnings).toEqual([])
  })

  it.each([
    [
      { payeename: 42 },
      'Invalid payeename',
      "payout object 1: payeename is a number; the seed's type is Text, send a JSON string",
    ],
    [
      { payeename: true },
      'Invalid payeename',
      "payout object 1: payeename is a boolean; the seed's type is Text, send a JSON string",
    ],
    [
      { ifsc: { code: 'SBIN0001234' } },
      'Invalid ifsc',
      "payout object 1: ifsc is an object; the seed's type is String, send a JSON string",
    ],
    [
      { state: ['delhi'] },
      'Invalid state',
      "payout object 1: state is an array; the seed's type is Text, send a JSON string",
    ],
    [
      { amount: true },
      'Invalid amount',
      "payout object 1: amount is a boolean; the seed's type is Numeric, send a string of digits (or a JSON number)",
    ],
    [
      { account_no: [1] },
      'Invalid account_no',
      "payout object 1: account_no is an array; the seed's type is Numeric, send a string of digits (or a JSON number)",
    ],
    [
      { bank: {} },
      'Invalid bank',
      "payout object 1: bank is an object; the seed's type is Integer, send a string of digits (or a JSON number)",
    ],
    [{ amount: Infinity }, 'Invalid amount', 'payout object 1: amount is not a finite number'],
    [{ pincode: NaN }, 'Invalid pincode', 'payout object 1: pincode is not a finite number'],
    [
      { account_no: 2 ** 53 },
      'Invalid account_no',
      'payout object 1: account_no is the JSON number 9007199254740992, which is not a whole number JSON can carry exactly; send it as a string of digits',
    ],
    [
      { phone: 98215936.5 },
      'Invalid phone',
      'payout object 1: phone is the JSON number 98215936.5, which is not a whole number JSON can carry exactly; send it as a string of digits',
    ],
    [
      { bank: 0.5 },
      'Invalid bank',
      'payout object 1: bank is the JSON number 0.5, which is not a whole number JSON can carry exactly; send it as a string of digits',
    ],
  ])('a value of the wrong JSON type: %j', (changes, message, why) => {
    expect(refusal(payout(changes))).toEqual({ ok: false, orderId: '93893832223', message, why })
  })

  it('a fractional JSON number is an amount, and order_id of an unsafe number is not echoed', () => {
    expect(accepted(payout({ amount: 12.25 })).amountValue).toBe(12.25)
    expect(refusal(payout({ order_id: 12345678901234567890 }))).toEqual({
      ok: false,
      orderId: '',
      message: 'Invalid order_id',
      why: 'payout object 1: order_id is the JSON number 12345678901234567000, which is not a whole number JSON can carry exactly; send it as a string of digits',
    })
    expect(refusal(payout({ order_id: 'x'.repeat(70) })).orderId).toBe('x'.repeat(64))
    expect(refusal(payout({ order_id: 12, bank: '2' })).orderId).toBe('12')
    expect(refusal(payout({ order_id: true })).orderId).toBe('')
  })

  it.each([
    [
      { order_id: '1'.repeat(21) },
      'order_id must be at most 20 characters',
      'payout object 1: order_id has 21 characters, more than 20',
    ],
    [
      { payeename: 'é'.repeat(21) },
      'payeename must be at most 20 characters',
      'payout object 1: payeename has 21 characters, more than 20',
    ],
    [{ bank: '00' }, 'bank must be at most 1 characters', 'payout object 1: bank has 2 characters, more than 1'],
    [
      { amount: '12345678.00' },
      'amount must be at most 10 characters',
      'payout object 1: amount has 11 characters, more than 10',
    ],
    [
      { trx_type: 'IMPSX' },
      'trx_type must be at most 4 characters',
      'payout object 1: trx_type has 5 characters, more than 4',
    ],
    [
      { email: `${'e'.repeat(95)}@x.com` },
      'email must be at most 100 characters',
      'payout object 1: email has 101 characters, more than 100',
    ],
  ])('too long: %j', (changes, message, why) => {
    const r = refusal(payout(changes))
    expect(r).toEqual({ ok: false, orderId: r.orderId, message, why })
    expect(r).not.toHaveProperty('rule')
  })

  it('lengths count characters, not bytes or UTF-16 units', () => {
    expect(accepted(payout({ payeename: '😀'.repeat(20) })).warnings).toEqual([])
    expect(accepted(payout({ payeename: 'é'.repeat(20) })).warnings).toEqual([])
  })

  it.each([
    [
      { order_id: 'ORD-1' },
      'ORD-1',
      'Invalid order_id',
      'payout object 1: order_id is "ORD-1"; it must be 1 to 20 digits',
    ],
    [{ bank: '1' }, '93893832223', 'Invalid bank', 'payout object 1: bank is "1"; it must be always 0'],
    [
      { amount: '1.005' },
      '93893832223',
      'Invalid amount',
      'payout object 1: amount is "1.005"; it must be a positive amount in rupees with at most 2 decimals, e.g. "1.00"',
    ],
    [
      { amount: '01.00' },
      '93893832223',
      'Invalid amount',
      'payout object 1: amount is "01.00"; it must be a positive amount in rupees with at most 2 decimals, e.g. "1.00"',
    ],
    [
      { amount: '1.' },
      '93893832223',
      'Invalid amount',
      'payout object 1: amount is "1."; it must be a positive amount in rupees with at most 2 decimals, e.g. "1.00"',
    ],
    [
      { account_no: '12AB' },
      '93893832223',
      'Invalid account_no',
      'payout object 1: account_no is "12AB"; it must be 1 to 18 digits',
    ],
    [
      { ifsc: 'sbin0001234' },
      '93893832223',
      'Invalid ifsc',
      'payout object 1: ifsc is "sbin0001234"; it must be 11 characters: 4 capital letters, then 7 capital letters or digits (e.g. SBIN0001234)',
    ],
    [
      { ifsc: 'SBI00001234' },
      '93893832223',
      'Invalid ifsc',
      'payout object 1: ifsc is "SBI00001234"; it must be 11 characters: 4 capital letters, then 7 capital letters or digits (e.g. SBIN0001234)',
    ],
    [
      { trx_type: 'UPI' },
      '93893832223',
      'Invalid trx_type',
      'payout object 1: trx_type is "UPI"; it must be IMPS, NEFT or RTGS',
    ],
    [
      { trx_type: 'XIMP' },
      '93893832223',
      'Invalid trx_type',
      'payout object 1: trx_type is "XIMP"; it must be IMPS, NEFT or RTGS',
    ],
    [
      { pincode: '010076' },
      '93893832223',
      'Invalid pincode',
      'payout object 1: pincode is "010076"; it must be 6 digits, not starting with 0',
    ],
    [
      { pincode: '11007' },
      '93893832223',
      'Invalid pincode',
      'payout object 1: pincode is "11007"; it must be 6 digits, not starting with 0',
    ],
    [
      { phone: '982159361' },
      '93893832223',
      'Invalid phone',
      'payout object 1: phone is "982159361"; it must be 10 digits',
    ],
    [
      { phone: '982159361x' },
      '93893832223',
      'Invalid phone',
      'payout object 1: phone is "982159361x"; it must be 10 digits',
    ],
    [
      { email: 'nobody' },
      '93893832223',
      'Invalid email',
      'payout object 1: email is "nobody"; it must be an e-mail address',
    ],
    [
      { email: 'a b@c' },
      '93893832223',
      'Invalid email',
      'payout object 1: email is "a b@c"; it must be an e-mail address',
    ],
    [
      { email: 'a@b c' },
      '93893832223',
      'Invalid email',
      'payout object 1: email is "a@b c"; it must be an e-mail address',
    ],
  ])('a value of the wrong shape: %j', (changes, orderId, message, why) => {
    expect(refusal(payout(changes))).toEqual({ ok: false, orderId, message, why })
  })

  it.each([
    ['ORD1 first', '1'],
    ['IMPS', 'IMPS'],
    ['RTGS', 'RTGS'],
  ])('accepts the seed-shaped values (%s)', (_n, value) => {
    if (value === '1')
      expect(accepted(payout({ order_id: '12345678901234567890' })).orderId).toBe('12345678901234567890')
    else expect(accepted(payout({ trx_type: value })).trxType).toBe(value)
  })

  it('amounts: 0 is refused after the pattern, decimals up to two are taken', () => {
    expect(refusal(payout({ amount: '0.00' }))).toEqual({
      ok: false,
      orderId: '93893832223',
      message: 'Invalid amount',
      why: 'payout object 1: amount is "0.00"; it must be greater than 0',
    })
    expect(refusal(payout({ amount: 0 })).why).toBe('payout object 1: amount is "0"; it must be greater than 0')
    expect(accepted(payout({ amount: '0.01' })).amountValue).toBe(0.01)
    expect(accepted(payout({ amount: '10' })).amount).toBe('10')
    expect(accepted(payout({ amount: '1234567.89' })).amountValue).toBe(1234567.89)
  })

  it("the seed rule address-max-length: 10 characters by default, refused with the rule's name", () => {
    for (const name of ['address1', 'city', 'state']) {
      expect(refusal(payout({ [name]: 'a'.repeat(11) }))).toEqual({
        ok: false,
        orderId: '93893832223',
        message: `${name} must be at most 10 characters`,
        why: `payout object 1: ${name} has 11 characters, more than 10`,
        rule: 'address-max-length',
      })
      expect(accepted(payout({ [name]: 'a'.repeat(10) })).warnings).toEqual([])
    }
  })

  it('a merchant that relaxed address-max-length gets 50 characters, with a warning past 10', () => {
    const relaxed = () => false
    const p = accepted(payout({ city: 'saritavihar' }), relaxed)
    expect(p.warnings).toEqual([
      'payout object 1: city has 11 characters; the seed\'s table allows 10. The merchant relaxed "address-max-length", so the sandbox accepts up to 50, but the real provider may cut or refuse it',
    ])
    expect(accepted(payout({ state: 'a'.repeat(10) }), relaxed).warnings).toEqual([])
    expect(accepted(payout({ address1: 'a'.repeat(50) }), relaxed).warnings).toHaveLength(1)
    expect(refusal(payout({ address1: 'a'.repeat(51) }), 0, relaxed)).toEqual({
      ok: false,
      orderId: '93893832223',
      message: 'address1 must be at most 50 characters',
      why: 'payout object 1: address1 has 51 characters, more than 50',
    })
  })

  it('the enforced() callback is asked only about the address rule', () => {
    const asked: string[] = []
    accepted(payout(), (rule) => {
      asked.push(rule)
      return true
    })
    expect(asked).toEqual(['address-max-length', 'address-max-length', 'address-max-length'])
  })

  it("an IFSC without 0 as fifth character (the seed's placeholder) is accepted with a warning", () => {
    expect(accepted(payout({ ifsc: 'SBINXXXXXXX' })).warnings).toEqual([
      'payout object 1: ifsc SBINXXXXXXX has "X" as its fifth character; real IFSC codes have 0 there (the seed\'s example SBINXXXXXXX is a placeholder), so a real payout would fail at the bank',
    ])
  })

  it("the seed's own example (city of 11 characters, placeholder IFSC, phone with a space) is refused by default", () => {
    const seed = (JSON.parse(SEED_REQUEST) as unknown[])[0]
    expect(refusal(seed)).toEqual({
      ok: false,
      orderId: '93893832223',
      message: 'city must be at most 10 characters',
      why: 'payout object 1: city has 11 characters, more than 10',
      rule: 'address-max-length',
    })
  })
})
