// PayAtom's wire module on its own: how a body is read (as PHP's json_decode of php://input, or
// $_POST), PHP's empty() and printing of amounts, PHP's date('F j, Y, g:i a') in India time, the
// native status words and what a pay-in shows. Expected dates, emptiness and hashes were printed
// by PHP 8.2 (date_default_timezone_set('Asia/Kolkata')); words are the seed's (001).
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { SandboxEnv } from '../../src/engine/env.js'
import type { JournalEntry } from '../../src/engine/journal.js'
import { Refusal } from '../../src/providers/kit/refusal.js'
import {
  bankRef,
  collectionUpi,
  fail,
  isDayText,
  isEmpty,
  istDay,
  JSON_TYPE,
  NATIVE_STATUSES,
  nativeStatus,
  ok,
  parseAmount,
  payatomErrors,
  payinView,
  phpDate,
  plain,
  readFields,
  refCode,
  refundInfo,
  refusal,
  secretOf,
  text,
  type PayatomMerchant,
  type PayatomTransaction,
} from '../../src/providers/payatom/wire.js'
import { declareFakeLocales } from '../../src/engine/fake.js'
import { BODY_LIMITS } from '../../src/wire/limits.js'
import { phpFloat, phpJsonDecode } from '../../src/wire/php.js'

declareFakeLocales(['en_IN'])

/** An app that answers what readFields() read, and the journal notes it left (none without a journal). */
function reader(allowForm: boolean | undefined, journal = true) {
  const app = new Hono<SandboxEnv>()
  app.post('/', async (c) => {
    const notes: string[] = []
    if (journal) c.set('journal', { notes } as unknown as JournalEntry)
    const read = allowForm === undefined ? await readFields(c) : await readFields(c, allowForm)
    const shown = 'error' in read ? read : { ...read, fields: plain(read.fields) }
    return c.json({ read: shown, notes })
  })
  return async (body: BodyInit, contentType?: string) => {
    const res = await app.request('/', {
      method: 'POST',
      body,
      headers: contentType === undefined ? {} : { 'Content-Type': contentType },
    })
    return (await res.json()) as { read: Record<string, unknown>; notes: string[] }
  }
}

function tx(changes: Partial<PayatomTransaction> = {}, data: Partial<PayatomTransaction['data']> = {}) {
  const t: PayatomTransaction = {
    id: 'payatom-1',
    provider: 'payatom',
    merchant: '000000000000',
    kind: 'payin',
    reference: '63elfe596ed8',
    providerRef: 'asas63elfe596ed8',
    amount: 2000,
    currency: 'INR',
    status: 'pending',
    createdAt: 0,
    updatedAt: 0,
    history: [],
    data: { operation: 'payin-hosted', version: 1, amountText: '2000', origin: 'http://localhost:8080', ...data },
    ...changes,
  }
  return t
}

describe('answers', () => {
  it('a refusal is {"status":"error","message":…} as json_encode writes it, HTTP 200 unless told', async () => {
    const app = new Hono<SandboxEnv>()
    app.get('/a', (c) => payatomErrors.render(c, refusal('Invalid/x é', 'why')))
    app.get('/b', (c) => payatomErrors.render(c, refusal('Unauthorized', undefined, 401)))
    app.get('/c', (c) => ok(c, { status: 'success', url: 'https://x/y' }))
    const a = await app.request('/a')
    expect([a.status, a.headers.get('content-type'), await a.text()]).toEqual([
      200,
      'application/json; charset=utf-8',
      '{"status":"error","message":"Invalid\\/x \\u00e9"}',
    ])
    const b = await app.request('/b')
    expect([b.status, await b.text()]).toEqual([401, '{"status":"error","message":"Unauthorized"}'])
    const c = await app.request('/c')
    expect([c.status, c.headers.get('content-type'), await c.text()]).toEqual([
      200,
      JSON_TYPE,
      '{"status":"success","url":"https:\\/\\/x\\/y"}',
    ])
    expect(JSON_TYPE).toBe('application/json; charset=utf-8')
  })

  it('the journal note: code and reason, or the code alone', () => {
    expect(payatomErrors.note!(refusal('Invalid hash', 'md5 differs'))).toBe('Invalid hash: md5 differs')
    expect(payatomErrors.note!(refusal('Invalid hash'))).toBe('Invalid hash')
    const r = refusal('Invalid pid', 'no such merchant', 404)
    expect([r.code, r.why, r.status]).toEqual(['Invalid pid', 'no such merchant', 404])
    expect(() => fail('Invalid amount', 'not a number')).toThrow(Refusal)
    try {
      fail('Invalid amount', 'not a number', 400)
    } catch (e) {
      expect([(e as Refusal).code, (e as Refusal).why, (e as Refusal).status]).toEqual([
        'Invalid amount',
        'not a number',
        400,
      ])
    }
  })
})

describe('readFields', () => {
  const json = reader(false)
  const form = reader(true)

  it('a JSON object, whatever the content type says', async () => {
    expect(await json('{"pid":"000000000000","amount":1.50,"n":2}', 'application/json')).toEqual({
      read: {
        fields: { pid: '000000000000', amount: 1.5, n: 2 },
        raw: '{"pid":"000000000000","amount":1.50,"n":2}',
        form: false,
      },
      notes: [],
    })
    expect(await json('{"a":"1"}', 'text/plain')).toEqual({
      read: { fields: { a: '1' }, raw: '{"a":"1"}', form: false },
      notes: [
        'Content-Type is "text/plain", not application/json; PayAtom\'s PHP reads the body as JSON anyway, and so does the sandbox',
      ],
    })
    expect((await json('{"a":"1"}', 'Application/JSON; charset=utf-8')).notes).toEqual([])
    expect((await json('{"a":"1"}', '')).notes).toEqual([])
    expect((await json('{"a":{"b":[1,"2"]}}', 'application/json')).read.fields).toEqual({ a: { b: [1, '2'] } })
  })

  it('JSON only by default; without a journal the content-type note is left out', async () => {
    expect((await reader(undefined)('ref_code=abc', 'application/x-www-form-urlencoded')).read.error).toMatch(
      /^the body is not JSON PHP can decode: /,
    )
    expect(await reader(false, false)('{"a":"1"}', 'text/plain')).toEqual({
      read: { fields: { a: '1' }, raw: '{"a":"1"}', form: false },
      notes: [],
    })
  })

  it('form bodies only where allowed ($_POST), by content type or by shape', async () => {
    expect(await form('ref_code=abc&pid=1', 'application/x-www-form-urlencoded')).toEqual({
      read: { fields: { ref_code: 'abc', pid: '1' }, raw: 'ref_code=abc&pid=1', form: true },
      notes: [],
    })
    expect((await form('ref_code=abc', 'text/plain')).read.form).toBe(true)
    expect((await form('x y=1&z=%20', 'application/x-www-form-urlencoded; charset=UTF-8')).read).toEqual({
      fields: { 'x y': '1', z: ' ' },
      raw: 'x y=1&z=%20',
      form: true,
    })
    expect((await form(' {"a":"1"}', 'text/plain')).read).toEqual({
      fields: { a: '1' },
      raw: ' {"a":"1"}',
      form: false,
    })
    expect((await form('{"a":"x=y"}', 'text/plain')).read).toEqual({
      fields: { a: 'x=y' },
      raw: '{"a":"x=y"}',
      form: false,
    })
    expect((await form('x ref=1', 'text/plain')).read.error).toMatch(/^the body is not JSON PHP can decode: /)
    expect((await form('=1', 'text/plain')).read.error).toMatch(/^the body is not JSON PHP can decode: /)
    expect((await json('ref_code=abc', 'application/x-www-form-urlencoded; charset=UTF-8')).read.error).toMatch(
      /^the body is not JSON PHP can decode: .* \(the Content-Type is application\/x-www-form-urlencoded; this API reads a JSON body\)$/,
    )
    const many = Array.from({ length: BODY_LIMITS.maxFields + 1 }, (_, i) => `f${i}=1`).join('&')
    expect((await form(many, 'application/x-www-form-urlencoded')).read.error).toMatch(
      /^the form holds more than \d+ fields/,
    )
  })

  it('the reasons a body cannot be read', async () => {
    expect((await json(new Uint8Array([0x7b, 0xff, 0x7d]), 'application/json')).read).toEqual({
      error: 'the body is not valid UTF-8 text; send a JSON object encoded as UTF-8',
    })
    expect((await json('  ', 'application/json')).read).toEqual({ error: 'the body is empty; send a JSON object' })
    expect((await json(new Uint8Array([0x20]))).read).toEqual({
      error: 'the body is empty; send a JSON object with Content-Type: application/json',
    })
    expect((await json('[1]', 'application/json')).read).toEqual({
      error: 'the body must be a JSON object of fields, e.g. {"pid":"000000000000",…}',
    })
    expect((await json('"x"', 'application/json')).read.error).toBe(
      'the body must be a JSON object of fields, e.g. {"pid":"000000000000",…}',
    )
    const syntax =
      'the body is not JSON PHP can decode: Syntax error at character 5 (near "{\\"a\\":"): unexpected end of input. PHP json_decode would return null.'
    expect((await json('{"a":', 'application/json')).read.error).toBe(syntax)
    expect((await json('{"a":', 'multipart/form-data; boundary=x')).read.error).toBe(
      `${syntax} (the Content-Type is multipart/form-data; this API reads a JSON body)`,
    )
    const deep = '['.repeat(100) + ']'.repeat(100)
    expect((await json(`{"a":${deep}}`, 'application/json')).read.error).toBe(
      'the body is not JSON PHP can decode: the JSON nests 65 levels deep at character 69; the sandbox reads at most 64',
    )
  })
})

describe('PHP values', () => {
  it('text(): scalars as PHP prints them, nothing for arrays and null', () => {
    expect(text('a')).toBe('a')
    expect(text(100)).toBe('100')
    expect(text(phpFloat(100))).toBe('100')
    expect(text(phpFloat(1.5))).toBe('1.5')
    expect(text(12345678901234567890n)).toBe('12345678901234567890')
    expect(text(true)).toBe('1')
    expect(text(false)).toBe('')
    expect(text(null)).toBeUndefined()
    expect(text(undefined)).toBeUndefined()
    expect(text([1])).toBeUndefined()
    expect(text(new Map())).toBeUndefined()
  })

  it("isEmpty() is PHP's empty() (PHP 8.2: empty('0') and empty(0.0) true; empty('0.0') and empty(' ') false)", () => {
    for (const v of [undefined, null, '', '0', 0, false, [], new Map(), phpFloat(0)]) expect(isEmpty(v)).toBe(true)
    for (const v of ['0.0', ' ', 'a', 1, true, [0], new Map([['a', 1]]), phpFloat(0.5)]) expect(isEmpty(v)).toBe(false)
  })

  it('plain(): floats as numbers, big integers as text, maps as objects', () => {
    expect(plain({ a: phpFloat(2), b: 2n ** 70n, c: phpJsonDecode('{"x":[1,{"y":"z"}]}'), d: 'e' })).toEqual({
      a: 2,
      b: '1180591620717411303424',
      c: { x: [1, { y: 'z' }] },
      d: 'e',
    })
  })

  it('parseAmount(): positive, at most 2 decimals, printed as PHP prints the value sent', () => {
    expect(parseAmount('100')).toEqual({ amount: 100, text: '100' })
    expect(parseAmount(' 1.50 ')).toEqual({ amount: 1.5, text: '1.50' })
    expect(parseAmount('999999999999.99')).toEqual({ amount: 999999999999.99, text: '999999999999.99' })
    expect(parseAmount(100)).toEqual({ amount: 100, text: '100' })
    expect(parseAmount(phpFloat(100))).toEqual({ amount: 100, text: '100' })
    expect(parseAmount(phpFloat(2500.5))).toEqual({ amount: 2500.5, text: '2500.5' })
    expect(parseAmount(1e12)).toEqual({ amount: 1e12, text: '1000000000000' })
    // The tolerance for binary fractions: 1e-8 * 100 is exactly 1e-6, not more; PHP 8.2 prints 1e-8 as 1.0E-8.
    expect(parseAmount(1e-8)).toEqual({ amount: 1e-8, text: '1.0E-8' })
    for (const v of ['0', '0.00', '1.005', '1e3', '-1', '1.', '.5', '1234567890123', 'x1', '1x'])
      expect(parseAmount(v)).toBeUndefined()
    for (const v of [0, -1, 1.005, 1e12 + 1, Infinity, NaN, phpFloat(0), true, null, undefined, [1]])
      expect(parseAmount(v)).toBeUndefined()
  })
})

describe("India time as PHP's date()", () => {
  it.each([
    [1676113440, 'February 11, 2023, 4:34 pm', '11-02-2023'],
    [1672597800, 'January 2, 2023, 12:00 am', '02-01-2023'],
    [1672554600, 'January 1, 2023, 12:00 pm', '01-01-2023'],
    [1672554540, 'January 1, 2023, 11:59 am', '01-01-2023'],
    [1672597740, 'January 1, 2023, 11:59 pm', '01-01-2023'],
    [1700000000, 'November 15, 2023, 3:43 am', '15-11-2023'],
    [1709251199, 'March 1, 2024, 5:29 am', '01-03-2024'],
    [0, 'January 1, 1970, 5:30 am', '01-01-1970'],
    [1705349100, 'January 16, 2024, 1:35 am', '16-01-2024'],
    [1708027500, 'February 16, 2024, 1:35 am', '16-02-2024'],
    [1710533100, 'March 16, 2024, 1:35 am', '16-03-2024'],
    [1713211500, 'April 16, 2024, 1:35 am', '16-04-2024'],
    [1715803500, 'May 16, 2024, 1:35 am', '16-05-2024'],
    [1718481900, 'June 16, 2024, 1:35 am', '16-06-2024'],
    [1721073900, 'July 16, 2024, 1:35 am', '16-07-2024'],
    [1723752300, 'August 16, 2024, 1:35 am', '16-08-2024'],
    [1726430700, 'September 16, 2024, 1:35 am', '16-09-2024'],
    [1729022700, 'October 16, 2024, 1:35 am', '16-10-2024'],
    [1731701100, 'November 16, 2024, 1:35 am', '16-11-2024'],
    [1734293100, 'December 16, 2024, 1:35 am', '16-12-2024'],
  ])('%i is %s', (seconds, date, day) => {
    expect(phpDate(seconds * 1000)).toBe(date)
    expect(istDay(seconds * 1000)).toBe(day)
  })

  it('isDayText(): real calendar days written DD-MM-YYYY', () => {
    for (const d of ['11-02-2023', '29-02-2024', '31-12-1999', '01-01-2000']) expect(isDayText(d)).toBe(true)
    for (const d of [
      '29-02-2023',
      '31-04-2024',
      '00-01-2024',
      '01-13-2024',
      '1-02-2023',
      '11-02-23',
      'x11-02-2023',
      '11-02-2023x',
      '2023-02-11',
    ])
      expect(isDayText(d)).toBe(false)
  })
})

describe('transactions as PayAtom shows them', () => {
  it("the seed's status words", () => {
    expect(NATIVE_STATUSES).toEqual({
      Pending: 'pending',
      Approved: 'approved',
      'Late Approved': 'approved',
      'Amount Mismatch': 'approved',
      Declined: 'declined',
      Failed: 'failed',
      Cancelled: 'cancelled',
      'User Timed Out': 'expired',
      'No Matching Payment for UTR': 'expired',
      'Refund Initiated': 'processing',
      'Refund Completed': 'refunded',
    })
  })

  it.each([
    ['payin', 'pending', 'Pending'],
    ['payin', 'processing', 'Pending'],
    ['payin', 'approved', 'Approved'],
    ['payin', 'declined', 'Declined'],
    ['payin', 'failed', 'Failed'],
    ['payin', 'expired', 'User Timed Out'],
    ['payin', 'cancelled', 'Cancelled'],
    ['payin', 'refunded', 'Refund Completed'],
    ['refund', 'pending', 'Refund Initiated'],
    ['refund', 'processing', 'Refund Initiated'],
    ['refund', 'approved', 'Refund Completed'],
    ['refund', 'refunded', 'Refund Completed'],
    ['refund', 'failed', 'Refund Failed'],
    ['refund', 'declined', 'Refund Failed'],
  ] as const)('a %s %s shows %s', (kind, status, word) => {
    expect(nativeStatus(tx({ kind, status }))).toBe(word)
  })

  it('a native status a scenario named wins', () => {
    expect(nativeStatus(tx({ status: 'approved', nativeStatus: 'Late Approved' }))).toBe('Late Approved')
    expect(nativeStatus(tx({ kind: 'refund', status: 'approved', nativeStatus: 'Approved' }))).toBe('Approved')
  })

  it('ref codes: sha256 of "payatom-sandbox:" and the seed (PHP hash("sha256", …))', () => {
    expect(refCode('abc')).toBe('1a400c6f88076ee1f7eb7351226c0d8230ee98aff74a827ce0e631dafd0911dc')
  })

  it('merchant settings', () => {
    const m = { secretKey: 'mysecretpassword', collectionUpi: 'shop@upi' } as unknown as PayatomMerchant
    expect(secretOf(m)).toBe('mysecretpassword')
    expect(collectionUpi(m)).toBe('shop@upi')
    expect(collectionUpi({} as PayatomMerchant)).toBe('payatom.sandbox@upi')
  })

  it('a pending pay-in: nothing received, no bank reference, no sender', () => {
    expect(payinView(tx())).toEqual({
      orderId: '63elfe596ed8',
      refCode: 'asas63elfe596ed8',
      amountText: '2000',
      receivedAmount: '0',
      bankRef: '',
      senderUpi: '',
      upiId: '',
      status: 'Pending',
      refundInfo: [],
    })
    expect(payinView(tx({ status: 'declined' }, { upiId: 'fsdfs@upi' }))).toMatchObject({
      receivedAmount: '0',
      senderUpi: 'fsdfs@upi',
      upiId: 'fsdfs@upi',
      status: 'Declined',
    })
  })

  it('an approved pay-in: the amount received, the UTR the merchant gave, the sender from the phone', () => {
    expect(payinView(tx({ status: 'approved' }, { utr: '123456789012', phone: '+91 90000-00000' }))).toMatchObject({
      receivedAmount: '2000',
      bankRef: '123456789012',
      senderUpi: '919000000000@upi',
      upiId: '',
      status: 'Approved',
    })
    const made = payinView(tx({ status: 'approved' }))
    expect(made.bankRef).toMatch(/^\d{12}$/)
    expect(made.senderUpi).toMatch(/^[a-z0-9._-]+@[a-z]+$/)
    expect(payinView(tx({ status: 'approved', providerRef: 'other' })).senderUpi).not.toBe(made.senderUpi)
    expect(payinView(tx({ status: 'approved' })).bankRef).toBe(made.bankRef)
    expect(bankRef(tx({ status: 'approved', providerRef: 'other' }))).not.toBe(made.bankRef)
    expect(bankRef(tx({ status: 'pending' }, { utr: '999' }))).toBe('999')
  })

  it('Amount Mismatch: the amount a scenario gave, else half of it (at least 1)', () => {
    const mismatch = (amount: number, native?: Record<string, unknown>) =>
      payinView(tx({ status: 'approved', nativeStatus: 'Amount Mismatch', amount, ...(native ? { native } : {}) }))
        .receivedAmount
    expect(mismatch(2000, { received_amount: 1500 })).toBe('1500')
    expect(mismatch(2000, { received_amount: '1499.5' })).toBe('1499.5')
    expect(mismatch(2000, { received_amount: null })).toBe('1000')
    expect(mismatch(2001)).toBe('1000')
    expect(mismatch(1)).toBe('1')
  })

  it("a refunded pay-in shows its refund's status and the seed's six refund_info keys, in order", () => {
    const refund = {
      refundId: 'r1',
      refCode: 'rc',
      amountText: '500',
      status: 'Refund Completed',
      initiatedAt: 1676113440_000,
      completedAt: 1700000000_000,
      notes: 'customer asked',
      upi: 'fsdfs@upi',
    }
    const view = payinView(tx({ status: 'approved' }, { utr: '1', refund }))
    expect(view.status).toBe('Refund Completed')
    expect(JSON.stringify(view.refundInfo)).toBe(
      '{"refunded_upi":"fsdfs@upi","refund_amount":"500","refund_initiated_time":"February 11, 2023, 4:34 pm","refund_completed_time":"November 15, 2023, 3:43 am","refund_status":"Refund Completed","refund_notes":"customer asked"}',
    )
    const failed = payinView(tx({ status: 'approved' }, { utr: '1', refund: { ...refund, status: 'Refund Failed' } }))
    expect(failed.status).toBe('Approved')
    expect(refundInfo({ ...refund, completedAt: undefined }).refund_completed_time).toBe('')
  })

  it('a refund shows the amount as received while it is initiated or completed', () => {
    for (const status of ['pending', 'approved'] as const)
      expect(payinView(tx({ kind: 'refund', status }, { amountText: '500' })).receivedAmount).toBe('500')
    expect(payinView(tx({ kind: 'refund', status: 'failed' }, { amountText: '500' })).receivedAmount).toBe('0')
    expect(payinView(tx({ kind: 'refund', status: 'refunded' }, { amountText: '500' })).receivedAmount).toBe('500')
    expect(payinView(tx({ status: 'refunded' })).receivedAmount).toBe('2000')
  })
})
