// @ts-nocheck
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ecommpay as provider } from '../../src/providers/ecommpay/index.js'
import { ecommpay } from '../../src/providers/ecommpay/client.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import { type GateBody } from '../../src/providers/ecommpay/client.js'
import { SANDBOX_OPTIONS } from './support.js'

/**
 * The Gate (`/v2/…`) in-process: the seed's request examples, every endpoint, every refusal with
 * ECommPay's own envelope, the JS-SDK vectors through the real routes, and bad input of every kind.
 */
const B = 'http://localhost:8080'
const SECRET = 'kHRhsQHHhOUHeD+rt4kgH7OZiwE='
const vectors = JSON.parse(readFileSync(new URL('../vectors/ecommpay.json', import.meta.url), 'utf8')) as {
  gate_bodies: Array<{
    secret: string
    body: { general: Record<string, unknown> } & Record<string, unknown>
    signature: string
  }>
}

let sandbox: Sandbox
beforeEach(() => {
  sandbox = createSandbox(SANDBOX_OPTIONS)
})
afterEach(() => sandbox.close())

const send = (req: Request) => sandbox.fetch(req)
const post = (path: string, body: GateBody, secret = SECRET) => send(ecommpay.gateRequest(B, path, body, secret))
const raw = (path: string, body: BodyInit, contentType: string | null = 'application/json') =>
  send(
    new Request(`${B}${path}`, { method: 'POST', headers: contentType ? { 'Content-Type': contentType } : {}, body }),
  )
const lastEntry = () => sandbox.journal.list({ kind: 'request', limit: 1 })[0]

const SALE = '/v2/payment/banks/india/sale'
const PAYOUT = '/v2/payment/banks/india/payout'
const REFUND = '/v2/payment/banks/india/refund'
const STATUS = '/v2/payment/status'

/** The seed's "Example of a purchase request", for the default project (the seed's trailing comma removed). */
const seedSale = (paymentId = 'ORDER_1558600157') => ({
  general: { project_id: 112, payment_id: paymentId },
  customer: {
    email: 'waynen@example.com',
    first_name: 'John',
    last_name: 'Waynen',
    phone: '123456789',
    zip: '400009',
    city: 'Mumbai',
    address: '99, Chakla Street, Masjid Bunder (east)',
    ip_address: '1.2.3.4',
    id: 'customer1',
  },
  payment: { amount: 1500, currency: 'INR' },
  return_url: { success: 'https://www.example.com' },
})

/** The seed's "Example of a payout request" (bank_code from the vector: an IFSC). */
const seedPayout = (paymentId = 'ORDER_I1558600157') => ({
  general: { project_id: 112, payment_id: paymentId },
  payment: { amount: 150000, currency: 'INR' },
  customer: { id: '24900', ip_address: '1.2.3.4' },
  account: { customer_name: 'John Waynen', bank_code: 'test_code', bank_id: 401, number: '5588994446666' },
})

async function expectError(
  res: Response,
  status: number,
  code: string,
  message: string,
  ids: { project_id?: number | null; payment_id?: string | null } = {},
) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toBe('application/json')
  const text = await res.text()
  const body = JSON.parse(text)
  expect(Object.keys(body)).toEqual(['status', 'request_id', 'project_id', 'payment_id', 'code', 'message'])
  expect(body).toMatchObject({ status: 'error', code, message })
  if ('project_id' in ids) expect(body.project_id).toBe(ids.project_id)
  if ('payment_id' in ids) expect(body.payment_id).toBe(ids.payment_id)
  expect(typeof body.request_id).toBe('string')
  expect(Object.keys(body)).not.toContain('signature') // error replies are not signed
  return body
}

function expectAccepted(text: string, paymentId: string) {
  expect(text).toMatch(
    new RegExp(
      `^\\{"status":"success","request_id":"[0-9a-f]{40}-\\d{8}","project_id":112,"payment_id":${JSON.stringify(paymentId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\}$`,
    ),
  )
}

async function stillServing() {
  const res = await post('/v2/info/banks/india/sale/list', {
    general: { project_id: 112, payment_id: 'alive' },
    payment: { amount: 1000, currency: 'INR' },
  } as never)
  expect(res.status).toBe(200)
}

describe('vectors/ecommpay.json gate bodies through the real routes', () => {
  const paths: Record<string, string> = {
    ORDER_I1558600157: PAYOUT,
    ORDER_1558600157: SALE,
    ECT_TEST_1572258898441234343232: REFUND,
  }
  for (const [i, v] of vectors.gate_bodies.entries()) {
    const path =
      paths[v.body.general.payment_id as string] ?? (v.body.payment ? '/v2/info/banks/india/sale/list' : STATUS)
    it(`vector ${i + 1} (${path}): the JS SDK's signature is accepted; one changed byte is refused with 3261`, async () => {
      const signed = { ...v.body, general: { ...v.body.general, signature: v.signature } }
      const ok = await raw(path, JSON.stringify(signed))
      // Refund and status of a payment the sandbox never saw: past the signature, 3061.
      const body = await ok.clone().json()
      if (path === REFUND || path === STATUS) expect(body.code).toBe('3061')
      else expect(ok.status).toBe(200)
      expect(lastEntry().auth?.ok).toBe(true)
      const bad = { ...signed, general: { ...signed.general, payment_id: `${v.body.general.payment_id}x` } }
      await expectError(await raw(path, JSON.stringify(bad)), 400, '3261', 'Invalid signature', { project_id: 112 })
      expect(lastEntry().auth?.ok).toBe(false)
      expect(lastEntry().auth?.explanation).toContain('general:payment_id:')
      const badSig = {
        ...signed,
        general: { ...signed.general, signature: v.signature.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')) },
      }
      await expectError(await raw(path, JSON.stringify(badSig)), 400, '3261', 'Invalid signature')
    })
  }

  it("accepts the SDKs' other sort orders (PHP natural key order for a list of 12 items)", async () => {
    // A body whose list has 12 items: sorted-lines and natural order disagree; both are accepted.
    const body = {
      ...seedPayout('ORDER_SORT'),
      receipt_data: { positions: Array.from({ length: 12 }, (_, i) => ({ quantity: String(i) })) },
    }
    const php = ecommpay.baseString(body, { order: 'php-natural-keys' })
    expect(php).not.toBe(ecommpay.baseString(body))
    const { createHmac } = await import('node:crypto')
    const signature = createHmac('sha512', SECRET).update(php).digest('base64')
    const res = await raw(PAYOUT, JSON.stringify({ ...body, general: { ...body.general, signature } }))
    expect(res.status).toBe(200)
  })
})

describe('purchase (POST /v2/payment/banks/india/sale)', () => {
  it("answers the seed's example with the documented success reply, byte for byte", async () => {
    const res = await post(SALE, seedSale())
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expectAccepted(await res.text(), 'ORDER_1558600157')
    const [tx] = sandbox.transactions.list({ provider: 'ecommpay' })
    expect(tx).toMatchObject({
      kind: 'sale',
      reference: 'ORDER_1558600157',
      amount: 1500,
      currency: 'INR',
      status: 'pending',
    })
  })

  it('the purchase waits for the customer and is declined at the 60-minute threshold', async () => {
    await post(SALE, seedSale())
    await sandbox.clock.advance('59m')
    expect(sandbox.transactions.list()[0].status).toBe('pending')
    await sandbox.clock.advance('1m')
    expect(sandbox.transactions.list()[0].status).toBe('expired')
    const status = await (await post(STATUS, { general: { project_id: 112, payment_id: 'ORDER_1558600157' } })).json()
    expect(status.payment.status).toBe('decline')
    expect(status.operations[0]).toMatchObject({ status: 'decline', code: '20602', message: 'Time-out' })
  })

  it('refuses a duplicate payment_id with 3041', async () => {
    await post(SALE, seedSale())
    await expectError(await post(SALE, seedSale()), 400, '3041', 'Payment ID already exists', {
      project_id: 112,
      payment_id: 'ORDER_1558600157',
    })
    await expectError(await post(PAYOUT, seedPayout('ORDER_1558600157')), 400, '3041', 'Payment ID already exists')
  })

  it('refuses missing objects and fields with 2004, naming them in the journal', async () => {
    for (const [mutate, field] of [
      [(b: ReturnType<typeof seedSale>) => delete (b as Partial<typeof b>).customer, '"customer" object'],
      [(b: ReturnType<typeof seedSale>) => delete (b as Partial<typeof b>).payment, '"payment" object'],
      [(b: ReturnType<typeof seedSale>) => delete (b as Partial<typeof b>).return_url, '"return_url" object'],
      [
        (b: ReturnType<typeof seedSale>) => delete (b.customer as Partial<typeof b.customer>).ip_address,
        'customer.ip_address',
      ],
      [(b: ReturnType<typeof seedSale>) => delete (b.customer as Partial<typeof b.customer>).id, 'customer.id'],
      [(b: ReturnType<typeof seedSale>) => delete (b.payment as Partial<typeof b.payment>).amount, 'payment.amount'],
      [
        (b: ReturnType<typeof seedSale>) => delete (b.return_url as Partial<typeof b.return_url>).success,
        'return_url.success',
      ],
    ] as const) {
      const body = seedSale(`missing-${field}`)
      mutate(body)
      await expectError(await post(SALE, body), 400, '2004', 'Required field not provided')
      expect(lastEntry().notes.join(' ')).toContain(field)
    }
    expect(sandbox.transactions.list()).toHaveLength(0)
  })

  it('refuses another currency (3023), a malformed one (3121), wrong types (502) and an unknown bank (2801)', async () => {
    await expectError(
      await post(SALE, { ...seedSale('c1'), payment: { amount: 1500, currency: 'USD' } }),
      400,
      '3023',
      'Provided currency disabled for Project ID',
    )
    await expectError(
      await post(SALE, { ...seedSale('c2'), payment: { amount: 1500, currency: 'inr' } }),
      400,
      '3121',
      'Invalid currency',
    )
    await expectError(
      await post(SALE, { ...seedSale('c3'), payment: { amount: '15.00', currency: 'INR' } }),
      400,
      '502',
      'Validation error',
    )
    await expectError(
      await post(SALE, { ...seedSale('c4'), payment: { amount: -5, currency: 'INR' } }),
      400,
      '502',
      'Validation error',
    )
    await expectError(
      await post(SALE, { ...seedSale('c5'), payment: { amount: 1e300, currency: 'INR' } }),
      400,
      '502',
      'Validation error',
    )
    await expectError(await post(SALE, { ...seedSale('c6'), customer: 'someone' }), 400, '502', 'Validation error')
    await expectError(
      await post(SALE, { ...seedSale('c7'), customer: { id: { x: 1 }, ip_address: '1.2.3.4' } }),
      400,
      '502',
      'Validation error',
    )
    await expectError(
      await post(SALE, { ...seedSale('c8'), account: { bank_id: 999 } }),
      400,
      '2801',
      'Bank ID not found',
    )
    expect(lastEntry().notes.join(' ')).toContain('403 State Bank of India')
    expect(sandbox.transactions.list()).toHaveLength(0)
    await stillServing()
  })
})

describe('payout (POST /v2/payment/banks/india/payout)', () => {
  it("answers the seed's example, then succeeds 2 s later", async () => {
    const res = await post(PAYOUT, seedPayout())
    expect(res.status).toBe(200)
    expectAccepted(await res.text(), 'ORDER_I1558600157')
    expect(sandbox.transactions.list()[0]).toMatchObject({ kind: 'payout', status: 'processing' })
    await sandbox.clock.advance('2s')
    expect(sandbox.transactions.list()[0].status).toBe('approved')
  })

  it('enforces the limits 1,000.00–500,000.00 INR (3358 below, 2642 above), inclusive', async () => {
    await expectError(
      await post(PAYOUT, { ...seedPayout('low'), payment: { amount: 99_999, currency: 'INR' } }),
      400,
      '3358',
      'Operation amount is less than limit',
    )
    await expectError(
      await post(PAYOUT, { ...seedPayout('high'), payment: { amount: 50_000_001, currency: 'INR' } }),
      400,
      '2642',
      'Operation amount is greater than limit',
    )
    expect((await post(PAYOUT, { ...seedPayout('min'), payment: { amount: 100_000, currency: 'INR' } })).status).toBe(
      200,
    )
    expect(
      (await post(PAYOUT, { ...seedPayout('max'), payment: { amount: 50_000_000, currency: 'INR' } })).status,
    ).toBe(200)
  })

  it('requires the account object and its fields (2004) and a known bank (2801)', async () => {
    const { account: _a, ...noAccount } = seedPayout('na')
    await expectError(await post(PAYOUT, noAccount), 400, '2004', 'Required field not provided')
    for (const field of ['number', 'bank_code', 'customer_name', 'bank_id'] as const) {
      const body = seedPayout(`no-${field}`)
      delete (body.account as Partial<typeof body.account>)[field]
      await expectError(await post(PAYOUT, body), 400, '2004', 'Required field not provided')
      expect(lastEntry().notes.join(' ')).toContain(`account.${field}`)
    }
    await expectError(
      await post(PAYOUT, { ...seedPayout('bank'), account: { ...seedPayout().account, bank_id: 400 } }),
      400,
      '2801',
      'Bank ID not found',
    )
    await expectError(
      await post(PAYOUT, { ...seedPayout('cur'), payment: { amount: 150000, currency: 'EUR' } }),
      400,
      '3023',
      'Provided currency disabled for Project ID',
    )
  })
})

describe('refund (POST /v2/payment/banks/india/refund)', () => {
  const paidSale = async (id: string) => {
    await post(SALE, seedSale(id))
    const tx = sandbox.transactions.list({ reference: id })[0]
    await sandbox.transactions.transition(tx.id, 'approved')
  }

  it("accepts the seed's example (description only: a full refund) and succeeds 2 s later", async () => {
    await paidSale('ECT_TEST_1572258898441234343232')
    const res = await post(REFUND, {
      general: { project_id: 112, payment_id: 'ECT_TEST_1572258898441234343232' },
      payment: { description: 'test_refund' },
    })
    expectAccepted(await res.text(), 'ECT_TEST_1572258898441234343232')
    const refund = sandbox.transactions
      .list({ reference: 'ECT_TEST_1572258898441234343232' })
      .find((t) => t.kind === 'refund')!
    expect(refund).toMatchObject({ amount: 1500, status: 'processing' })
    await sandbox.clock.advance('2s')
    expect(sandbox.transactions.get(refund.id)!.status).toBe('approved')
    const status = await (
      await post(STATUS, { general: { project_id: 112, payment_id: 'ECT_TEST_1572258898441234343232' } })
    ).json()
    expect(status.payment).toMatchObject({ status: 'refunded', sum: { amount: 0, currency: 'INR' } })
    expect(status.operations.map((o: { type: string; status: string }) => `${o.type} ${o.status}`)).toEqual([
      'sale success',
      'refund success',
    ])
    // A second refund of a refunded payment
    await expectError(
      await post(REFUND, {
        general: { project_id: 112, payment_id: 'ECT_TEST_1572258898441234343232' },
        payment: { description: 'again' },
      }),
      400,
      '3060',
      'Current payment or operation status does not allow this action',
    )
  })

  it('partial refunds are refused with 3609; more than paid is accepted then declined with 3283 (seed)', async () => {
    await paidSale('R1')
    await expectError(
      await post(REFUND, {
        general: { project_id: 112, payment_id: 'R1' },
        payment: { description: 'x', amount: 1000, currency: 'INR' },
      }),
      400,
      '3609',
      'Operation amount must be equal to the initial amount',
    )
    const res = await post(REFUND, {
      general: { project_id: 112, payment_id: 'R1' },
      payment: { description: 'x', amount: 35000, currency: 'INR' },
    })
    expect(res.status).toBe(200)
    await sandbox.clock.advance('2s')
    const refund = sandbox.transactions.list({ reference: 'R1' }).find((t) => t.kind === 'refund')!
    expect(refund.status).toBe('declined')
    const status = await (await post(STATUS, { general: { project_id: 112, payment_id: 'R1' } })).json()
    expect(status.payment.status).toBe('success')
    expect(status.operations[1]).toMatchObject({
      type: 'refund',
      status: 'decline',
      code: '3283',
      message: 'Refund amount more than init amount',
    })
    // the full amount still works afterwards
    expect(
      (
        await post(REFUND, {
          general: { project_id: 112, payment_id: 'R1' },
          payment: { description: 'x', amount: 1500 },
        })
      ).status,
    ).toBe(200)
  })

  it('refuses an unknown payment (3061), an unpaid one (3060), a payout (3060), a currency mismatch (3284), a missing description (2004)', async () => {
    await expectError(
      await post(REFUND, { general: { project_id: 112, payment_id: 'nope' }, payment: { description: 'x' } }),
      400,
      '3061',
      'Transaction not found',
      { payment_id: 'nope' },
    )
    await post(SALE, seedSale('unpaid'))
    await expectError(
      await post(REFUND, { general: { project_id: 112, payment_id: 'unpaid' }, payment: { description: 'x' } }),
      400,
      '3060',
      'Current payment or operation status does not allow this action',
    )
    await post(PAYOUT, seedPayout('po'))
    await sandbox.clock.advance('2s')
    await expectError(
      await post(REFUND, { general: { project_id: 112, payment_id: 'po' }, payment: { description: 'x' } }),
      400,
      '3060',
      'Current payment or operation status does not allow this action',
    )
    await paidSale('paid')
    await expectError(
      await post(REFUND, {
        general: { project_id: 112, payment_id: 'paid' },
        payment: { description: 'x', currency: 'USD' },
      }),
      400,
      '3284',
      'Refund currency mismatched or empty',
    )
    await expectError(
      await post(REFUND, { general: { project_id: 112, payment_id: 'paid' }, payment: {} }),
      400,
      '2004',
      'Required field not provided',
    )
    await expectError(
      await post(REFUND, { general: { project_id: 112, payment_id: 'paid' } }),
      400,
      '2004',
      'Required field not provided',
    )
  })

  it('refuses a merchant_refund_id used before (3230)', async () => {
    await paidSale('m1')
    await paidSale('m2')
    await post(REFUND, {
      general: { project_id: 112, payment_id: 'm1' },
      payment: { description: 'x', merchant_refund_id: 'RF-1' },
    })
    await expectError(
      await post(REFUND, {
        general: { project_id: 112, payment_id: 'm2' },
        payment: { description: 'x', merchant_refund_id: 'RF-1' },
      }),
      400,
      '3230',
      'The operation with such merchant_refund_id already exists',
    )
  })
})

describe('bank lists (POST /v2/info/banks/india/{sale,payout}/list)', () => {
  const seedList = {
    general: { project_id: 112, payment_id: 'ORDER_155860015' },
    payment: { amount: 1000, currency: 'INR' },
  }
  for (const op of ['sale', 'payout']) {
    it(`${op}: the seed's Table 1, unsigned, for the seed's example request`, async () => {
      const res = await post(`/v2/info/banks/india/${op}/list`, seedList)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/json')
      const text = await res.text()
      expect(text.startsWith('[{"id":401,"name":"Axis Bank"},{"id":416,"name":"Bank of Baroda"},')).toBe(true)
      const list = JSON.parse(text)
      expect(list).toHaveLength(16)
      expect(list.map((b: { id: number }) => b.id).sort()).toEqual(Array.from({ length: 16 }, (_, i) => 401 + i))
      expect(text).not.toContain('signature')
    })
  }
  it('requires payment.amount and payment.currency, INR only', async () => {
    await expectError(
      await post('/v2/info/banks/india/sale/list', { general: seedList.general }),
      400,
      '2004',
      'Required field not provided',
    )
    await expectError(
      await post('/v2/info/banks/india/sale/list', { ...seedList, payment: { amount: 1000, currency: 'USD' } }),
      400,
      '3023',
      'Provided currency disabled for Project ID',
    )
  })
})

describe('payment status (POST /v2/payment/status)', () => {
  it('answers a signed status with the payment, customer and its operations', async () => {
    await post(PAYOUT, seedPayout())
    await sandbox.clock.advance('2s')
    const res = await post(STATUS, { general: { project_id: 112, payment_id: 'ORDER_I1558600157' } })
    expect(res.status).toBe(200)
    const text = await res.text()
    const body = JSON.parse(text)
    expect(Object.keys(body)).toEqual(['project_id', 'payment', 'account', 'customer', 'operations', 'signature'])
    expect(body.payment).toMatchObject({
      id: 'ORDER_I1558600157',
      type: 'payout',
      status: 'success',
      method: 'India banks',
      sum: { amount: 150000, currency: 'INR' },
      description: '',
    })
    expect(body.account).toEqual({ number: '5588994446666' })
    expect(body.operations[0]).toMatchObject({ type: 'payout', status: 'success', code: '0', message: 'Success' })
    expect(Object.keys(body.operations[0])).toEqual([
      'id',
      'type',
      'status',
      'date',
      'created_date',
      'request_id',
      'sum_initial',
      'sum_converted',
      'code',
      'message',
      'provider',
    ])
    expect(ecommpay.verifyCallback(text)).toBe(true)
  })

  it('an unknown payment is 3061', async () => {
    await expectError(
      await post(STATUS, { general: { project_id: 112, payment_id: 'never' } }),
      400,
      '3061',
      'Transaction not found',
      { project_id: 112, payment_id: 'never' },
    )
  })
})

describe('authentication and the request envelope', () => {
  it('no signature is 3262, a wrong one 3261, a signature made with another secret 3261', async () => {
    await expectError(await raw(PAYOUT, JSON.stringify(seedPayout())), 400, '3262', 'Empty signature', {
      project_id: 112,
      payment_id: 'ORDER_I1558600157',
    })
    expect(lastEntry().auth).toMatchObject({ ok: false })
    await expectError(
      await raw(PAYOUT, JSON.stringify({ ...seedPayout(), general: { ...seedPayout().general, signature: '' } })),
      400,
      '3262',
      'Empty signature',
    )
    await expectError(await post(PAYOUT, seedPayout(), 'not-the-secret'), 400, '3261', 'Invalid signature')
    await expectError(
      await raw(PAYOUT, JSON.stringify({ ...seedPayout(), general: { ...seedPayout().general, signature: 12 } })),
      400,
      '3261',
      'Invalid signature',
    )
    expect(sandbox.transactions.list()).toHaveLength(0)
  })

  it('an unknown project is 2442, a missing one 2004, a non-numeric one 502', async () => {
    await expectError(
      await post(PAYOUT, { ...seedPayout(), general: { project_id: 999, payment_id: 'p' } }),
      400,
      '2442',
      'Project ID not found',
      { project_id: 999 },
    )
    await expectError(
      await post(PAYOUT, { ...seedPayout(), general: { payment_id: 'p' } }),
      400,
      '2004',
      'Required field not provided',
      { project_id: null },
    )
    await expectError(
      await post(PAYOUT, { ...seedPayout(), general: { project_id: 'abc', payment_id: 'p' } }),
      400,
      '502',
      'Validation error',
    )
  })

  it('a missing general object or payment_id is 2004', async () => {
    await expectError(
      await raw(PAYOUT, JSON.stringify({ payment: { amount: 1 } })),
      400,
      '2004',
      'Required field not provided',
    )
    await expectError(
      await post(PAYOUT, { ...seedPayout(), general: { project_id: 112 } }),
      400,
      '2004',
      'Required field not provided',
    )
  })

  it('garbage, non-UTF-8, empty, non-object JSON and wrong content types get the native error; the server keeps serving', async () => {
    await expectError(await raw(SALE, 'this is not json'), 400, '2003', 'Invalid JSON string')
    await expectError(await raw(SALE, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, '2003', 'Invalid JSON string')
    expect(lastEntry().notes.join(' ')).toContain('not valid UTF-8')
    await expectError(await raw(SALE, ''), 400, '2003', 'Invalid JSON string')
    await expectError(await raw(SALE, '[1,2,3]'), 400, '702', 'Malformed request')
    await expectError(await raw(SALE, 'null'), 400, '702', 'Malformed request')
    await expectError(
      await raw(SALE, 'general[project_id]=112', 'application/x-www-form-urlencoded'),
      400,
      '702',
      'Malformed request',
    )
    expect(lastEntry().notes.join(' ')).toContain('Content-Type')
    await expectError(
      await raw(SALE, JSON.stringify(ecommpay.signGateRequest(seedSale())), 'text/plain'),
      400,
      '702',
      'Malformed request',
    )
    // JSON without a Content-Type header, or with a charset, is read.
    expect(
      (await raw(SALE, new TextEncoder().encode(JSON.stringify(ecommpay.signGateRequest(seedSale('ct1')))), null))
        .status,
    ).toBe(200)
    expect(
      (await raw(SALE, JSON.stringify(ecommpay.signGateRequest(seedSale('ct2'))), 'application/json; charset=utf-8'))
        .status,
    ).toBe(200)
    await stillServing()
  })

  it('a body over 1 MiB is refused in the envelope; a very long field is 502; nested depth does not crash', async () => {
    await expectError(await raw(SALE, `{"x":"${'a'.repeat(1024 * 1024 + 10)}"}`), 400, '702', 'Malformed request')
    await expectError(
      await post(SALE, { ...seedSale('long'), customer: { ...seedSale().customer, id: 'x'.repeat(5000) } }),
      400,
      '502',
      'Validation error',
    )
    await expectError(
      await post(SALE, { ...seedSale(), general: { project_id: 112, payment_id: 'p'.repeat(300) } }),
      400,
      '502',
      'Validation error',
    )
    let deep: unknown = 'leaf'
    for (let i = 0; i < 2000; i++) deep = { d: deep }
    const res = await raw(
      SALE,
      JSON.stringify({ general: { project_id: 112, payment_id: 'deep', signature: 'x'.repeat(88) }, deep }),
    )
    expect([400]).toContain(res.status)
    await stillServing()
  })

  it('unknown paths answer in the envelope: another payment method is 2541, anything else 702, both HTTP 404', async () => {
    await expectError(await post('/v2/payment/banks/brazil/sale', seedSale()), 404, '2541', 'Unknown Payment Method')
    await expectError(await post('/v2/payment/nothing', seedSale()), 404, '702', 'Malformed request')
    await expectError(await send(new Request(`${B}${SALE}`)), 404, '702', 'Malformed request')
  })
})
