import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterEach, describe, expect, it } from 'vitest'
import { ecommpay } from '../../src/providers/ecommpay/client.js'
import { SANDBOX_OPTIONS } from './support.js'
import { ecommpayCallbacks, retrySchedule } from '../../src/providers/ecommpay/callbacks.js'
import { signCallback } from '../../src/providers/ecommpay/crypto.js'
import { renderCallbackBody, type EcommpayTxData } from '../../src/providers/ecommpay/wire.js'
import { parseDuration } from '../../src/engine/duration.js'
import type { NeutralStatus, Transaction } from '../../src/engine/types.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import { listen } from '../../src/server.js'
import { disposables, listener } from '../helpers.js'

/**
 * Callbacks: the seed's examples byte for byte (layout, order, types) and the JS SDK's signatures
 * over them; the redirect_data callback after a Gate sale; final callbacks for sale, payout and
 * refund over a real socket; ECommPay's ack rule and retry schedule on the virtual clock; the
 * 60-minute threshold; the working-hours rule; magic values.
 */
const B = 'http://localhost:8080'
const SECRET = 'kHRhsQHHhOUHeD+rt4kgH7OZiwE='
const vectors = JSON.parse(readFileSync(new URL('../vectors/ecommpay.json', import.meta.url), 'utf8')) as {
  callbacks: Array<{ secret: string; body: Record<string, unknown>; signature: string }>
}
const seedText = readFileSync(new URL('../vectors/seeds/002_273882d62223b5f6.txt', import.meta.url), 'utf8')

// ECommPay's own JS SDK (npm `ecommpay`): its Callback class throws on a bad signature. End-to-end
// checks verify with it, not with the sandbox's client helper.
const { Callback } = createRequire(import.meta.url)('ecommpay') as {
  Callback: new (secret: string, data: unknown) => unknown
}
function sdkAccepts(body: string, secret = SECRET): boolean {
  try {
    new Callback(secret, body)
    return true
  } catch {
    return false
  }
}

/** Every callback example of the seed that is valid JSON (the declined-refund one is not), as the seed prints it. */
function seedCallbackTexts(): string[] {
  const out: string[] = []
  for (const m of seedText.matchAll(/\{\n {8}"project_id"[\s\S]*?\n {4}\}/g)) {
    try {
      JSON.parse(m[0])
      out.push(m[0])
    } catch {
      /* the seed's declined refund example has a stray brace */
    }
  }
  return out
}

function seedCallbacks(): Array<Record<string, any>> {
  return seedCallbackTexts().map((text) => JSON.parse(text))
}

/** The seed's bytes without the whitespace between tokens; strings and numbers stay as written. */
function minify(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      out += ch
      if (ch === '\\') out += text[++i]
      else if (ch === '"') inString = false
    } else if (ch === '"') {
      inString = true
      out += ch
    } else if (!/\s/.test(ch)) out += ch
  }
  return out
}

const ms = (date: string) => Date.parse(date.replace('+0000', 'Z'))

/** A transaction holding exactly what an example callback shows, for renderCallbackBody. */
function txFrom(example: Record<string, any>): Transaction<EcommpayTxData> {
  const op = example.operation
  const status: NeutralStatus = op.status === 'success' ? 'approved' : op.status === 'decline' ? 'declined' : 'pending'
  const data: EcommpayTxData = {
    channel: 'gate',
    operationId: op.id,
    requestId: op.request_id,
    description: example.payment.description,
    customer: example.customer,
    accountNumber: example.account?.number,
    returnUrls: {},
    origin: B,
    providerId: op.provider.id,
    providerPaymentId: op.provider.payment_id || undefined,
    merchantRefundId: example.payment.merchant_refund_id,
    sale:
      op.type === 'refund'
        ? { transactionId: 'ecommpay-0', operationId: 1, amount: op.sum_initial.amount, requestId: 'r' }
        : undefined,
  }
  return {
    id: 'ecommpay-1',
    provider: 'ecommpay',
    merchant: String(example.project_id),
    kind: op.type,
    reference: example.payment.id,
    providerRef: String(op.id),
    amount: op.sum_initial.amount,
    currency: op.sum_initial.currency,
    status,
    native: op.code !== '0' && op.code !== '20000' ? { code: op.code } : undefined,
    createdAt: ms(op.created_date),
    updatedAt: ms(op.date),
    history: [],
    data,
  }
}

const withoutSignature = ({ signature: _s, ...rest }: Record<string, unknown>) => rest

describe("the seed's callback examples, byte for byte", () => {
  const examples = seedCallbacks()
  it('finds the seed examples (purchase success/decline twice, refund success, payout success/decline)', () => {
    expect(examples.map((e) => `${e.operation.type} ${e.operation.status}`)).toEqual([
      'sale success',
      'sale decline',
      'sale success',
      'sale decline',
      'refund success',
      'payout success',
      'payout decline',
    ])
  })
  const texts = seedCallbackTexts()
  for (const [i, example] of examples.entries()) {
    it(`example ${i + 1} (${example.operation.type} ${example.operation.status}): the wire body is the seed's bytes plus the signature`, () => {
      const merchant = {
        provider: 'ecommpay',
        id: String(example.project_id),
        secretKey: 'secret',
        callbackUrl: 'https://shop.example/cb',
      }
      const sent = ecommpayCallbacks.build(txFrom(example), merchant as any, { signature: 'valid' })!
      const seedBytes = minify(texts[i])
      expect(sent.body).toMatch(/,"signature":"[A-Za-z0-9+/]{86}=="\}$/)
      // Same bytes everywhere but the signature's value (the seed's examples are signed with their projects' keys).
      const unsigned = (text: string) => text.replace(/,"signature":"[^"]*"\}$/, ',"signature":"…"}')
      expect(unsigned(sent.body)).toBe(unsigned(seedBytes))
    })
  }

  for (const [i, v] of vectors.callbacks.slice(0, 2).entries()) {
    it(`vectors/ecommpay.json callback ${i + 1}: rendered from a transaction, signed as the JS SDK signed it`, () => {
      const tx = txFrom(v.body)
      const signed = signCallback(
        renderCallbackBody(tx, { provider: 'ecommpay', id: String(v.body.project_id) }),
        v.secret,
      )
      expect(signed.signature).toBe(v.signature)
    })
  }

  it('vectors/ecommpay.json callback 3 (redirect_data) is verified by the client helper; one changed byte is not', () => {
    const v = vectors.callbacks[2]
    expect(ecommpay.verifyCallback({ ...v.body, signature: v.signature }, v.secret)).toBe(true)
    expect(ecommpay.verifyCallback({ ...v.body, project_id: 230, signature: v.signature }, v.secret)).toBe(false)
  })
})

describe('retry schedule', () => {
  it('6 tries 10 s apart, then 70 + 10·1.12^(n−4) s, capped at 4 h; 120 attempts over about 11 days', () => {
    const s = retrySchedule()
    expect(s).toHaveLength(119)
    expect(s.slice(0, 5)).toEqual(['10s', '10s', '10s', '10s', '10s'])
    expect(parseDuration(s[5])).toBeCloseTo((70 + 10 * 1.12 ** 3) * 1000, -1)
    expect(s.at(-1)).toBe('4h')
    const total = s.reduce((a, d) => a + parseDuration(d), 0) / 86_400_000
    expect(total).toBeGreaterThan(10)
    expect(total).toBeLessThan(12)
    for (let i = 1; i < s.length; i++) expect(parseDuration(s[i])).toBeGreaterThanOrEqual(parseDuration(s[i - 1]))
  })
})

/** A browser's plain form POST (the bank page's buttons, the Payment Page's method choice). */
const formPost = (url: string, body: string) =>
  new Request(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body })

const use = disposables(SANDBOX_OPTIONS)
const sandboxWith = () => use.sandbox()
const merchantListener = use.listener
const settle = async (s: Sandbox) => {
  await s.clock.advance(0)
  await s.callbacks.idle()
}

const sale = (paymentId: string, callbackUrl: string, extra: Record<string, unknown> = {}) => ({
  general: { project_id: 112, payment_id: paymentId, merchant_callback_url: callbackUrl },
  customer: { id: 'customer1', ip_address: '1.2.3.4', phone: '1234567890' },
  payment: { amount: 1500, currency: 'INR', description: 'Order 1' },
  return_url: { success: 'https://shop.example/ok', decline: 'https://shop.example/fail' },
  ...extra,
})
const payout = (paymentId: string, callbackUrl: string, customerId = '24900') => ({
  general: { project_id: 112, payment_id: paymentId, merchant_callback_url: callbackUrl },
  payment: { amount: 150000, currency: 'INR', description: 'description' },
  customer: { id: customerId, ip_address: '1.2.3.4' },
  account: { customer_name: 'John Waynen', bank_code: 'SBIN0000001', bank_id: 403, number: '5588994446666' },
})

describe('callbacks over a real socket', () => {
  it('a Gate sale sends the redirect_data callback at once; the bank page approves; the success callback follows', async () => {
    const l = await merchantListener()
    const sandbox = sandboxWith()
    const res = await sandbox.fetch(
      ecommpay.gateRequest(
        B,
        '/v2/payment/banks/india/sale',
        sale('S-1', `${l.url}/cb`, { account: { bank_id: 403 } }),
      ),
    )
    expect(res.status).toBe(200)
    await settle(sandbox)
    expect(l.received).toHaveLength(1)
    const first = l.received[0]
    expect(first.method).toBe('POST')
    expect(first.headers['content-type']).toBe('application/json')
    const redirect = JSON.parse(first.body)
    expect(Object.keys(redirect)).toEqual([
      'project_id',
      'payment',
      'customer',
      'operation',
      'redirect_data',
      'signature',
    ])
    expect(redirect.payment).toMatchObject({
      id: 'S-1',
      type: 'purchase',
      status: 'awaiting redirect result',
      method: 'India banks',
      sum: { amount: 1500, currency: 'INR' },
      description: 'Order 1',
    })
    expect(redirect.operation).toMatchObject({ type: 'sale', status: 'awaiting redirect result', code: '9999' })
    expect(redirect.redirect_data).toEqual({
      body: [],
      method: 'GET',
      url: `${B}/payment/bank/${redirect.operation.id}`,
      encrypted: [],
    })
    expect(first.body).toContain('"redirect_data":{"body":[],"method":"GET","url":')
    expect(sdkAccepts(first.body)).toBe(true)
    expect(sdkAccepts(first.body, 'another-secret')).toBe(false)

    // The customer follows redirect_data.url and approves at the bank.
    const bankUrl = redirect.redirect_data.url as string
    const page = await sandbox.fetch(new Request(bankUrl))
    const html = await page.text()
    expect(html).toContain('id="approve"')
    expect(html).toContain('State Bank of India')
    const done = await sandbox.fetch(formPost(bankUrl, 'action=approve'))
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe('https://shop.example/ok')
    await settle(sandbox)
    expect(l.received).toHaveLength(2)
    const final = JSON.parse(l.received[1].body)
    expect(Object.keys(final)).toEqual(['project_id', 'payment', 'customer', 'operation', 'signature'])
    expect(final.payment.status).toBe('success')
    expect(final.customer).toEqual({ id: 'customer1', phone: '1234567890' })
    expect(final.operation).toMatchObject({
      id: redirect.operation.id,
      type: 'sale',
      status: 'success',
      code: '0',
      message: 'Success',
      request_id: redirect.operation.request_id,
    })
    expect(final.operation.provider.payment_id).not.toBe('')
    expect(l.received[1].body).toMatch(
      /"project_id":112,"payment":\{"id":"S-1","type":"purchase","status":"success","date":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000"/,
    )
    expect(sdkAccepts(l.received[1].body)).toBe(true)
    // What the deliveries are called (callbacks list, journal, dashboard): the seed's operation and payment statuses.
    expect(sandbox.callbacks.list().map((d) => d.event)).toEqual([
      'sale success, payment success',
      'sale awaiting redirect result (redirect_data), payment awaiting redirect result',
    ])
  })

  it('payout and refund final callbacks, with the project callbackUrl setting', async () => {
    const l = await merchantListener()
    const sandbox = sandboxWith()
    await sandbox.merchants.patch('ecommpay', '112', { callbackUrl: `${l.url}/project-cb` })
    const body = payout('P-1', '')
    delete (body.general as { merchant_callback_url?: string }).merchant_callback_url
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', body))
    await settle(sandbox)
    expect(l.received).toHaveLength(0) // no callback while processing
    await sandbox.clock.advance('2s')
    expect(l.received).toHaveLength(1)
    expect(l.received[0].url).toBe('/project-cb')
    const cb = JSON.parse(l.received[0].body)
    expect(Object.keys(cb)).toEqual(['project_id', 'payment', 'account', 'customer', 'operation', 'signature'])
    expect(cb.account).toEqual({ number: '5588994446666' })
    expect(cb.payment).toMatchObject({ type: 'payout', status: 'success' })
    expect(cb.operation).toMatchObject({ type: 'payout', status: 'success', code: '0' })

    // refund of an approved sale
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('S-2', '')))
    const tx = sandbox.transactions.list({ reference: 'S-2' })[0]
    await sandbox.transactions.transition(tx.id, 'approved')
    await settle(sandbox)
    const before = l.received.length
    await sandbox.fetch(
      ecommpay.gateRequest(B, '/v2/payment/banks/india/refund', {
        general: { project_id: 112, payment_id: 'S-2' },
        payment: { description: 'test_refund' },
      }),
    )
    await sandbox.clock.advance('2s')
    const refund = JSON.parse(l.received[before].body)
    expect(Object.keys(refund.payment)).toEqual([
      'id',
      'type',
      'status',
      'date',
      'method',
      'sum',
      'merchant_refund_id',
      'description',
    ])
    expect(refund.payment).toMatchObject({
      id: 'S-2',
      type: 'purchase',
      status: 'refunded',
      sum: { amount: 0, currency: 'INR' },
      merchant_refund_id: 'S-2',
      description: 'test_refund',
    })
    expect(refund.operation).toMatchObject({
      type: 'refund',
      status: 'success',
      sum_initial: { amount: 1500, currency: 'INR' },
      code: '0',
    })
    expect(sdkAccepts(l.received[before].body)).toBe(true)
  })

  it('acknowledged only by HTTP 200: 204 and 500 are retried 10 s later', async () => {
    const l = await merchantListener((_r, n) =>
      n === 1 ? { status: 204 } : n === 2 ? { status: 500, body: 'oops' } : { status: 200, body: 'OK' },
    )
    const sandbox = sandboxWith()
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', payout('P-2', `${l.url}/cb`)))
    await sandbox.clock.advance('2s')
    let [delivery] = sandbox.callbacks.list()
    expect(delivery.attempts[0]).toMatchObject({ status: 204, acknowledged: false })
    expect(delivery.attempts[0].error).toContain('expects HTTP 200')
    await sandbox.clock.advance('9s')
    expect(l.received).toHaveLength(1)
    await sandbox.clock.advance('1s')
    expect(l.received).toHaveLength(2)
    await sandbox.clock.advance('10s')
    ;[delivery] = sandbox.callbacks.list()
    expect(delivery.state).toBe('acknowledged')
    expect(delivery.attempts.map((a) => a.status)).toEqual([204, 500, 200])
  })

  it('gives up after 120 attempts (about 11 days of clock time)', async () => {
    const l = await merchantListener(() => ({ status: 503 }))
    const sandbox = sandboxWith()
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', payout('P-3', `${l.url}/cb`)))
    await sandbox.clock.advance('2s')
    await sandbox.clock.advance('12d')
    const [delivery] = sandbox.callbacks.list()
    expect(delivery.state).toBe('failed')
    expect(delivery.attempts).toHaveLength(120)
  })

  it('a scenario can send a wrongly signed callback, which the SDK-style check refuses', async () => {
    const l = await merchantListener()
    const sandbox = sandboxWith()
    sandbox.scenarios.use({
      provider: 'ecommpay',
      rules: [
        {
          match: { operation: 'payout' },
          timeline: [{ after: '2s', status: 'approved', callback: { signature: 'invalid' } }],
        },
      ],
    })
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', payout('P-4', `${l.url}/cb`)))
    await sandbox.clock.advance('2s')
    expect(sdkAccepts(l.received[0].body)).toBe(false)
    expect(ecommpay.checkCallback(l.received[0].body).explanation).toContain('signature')
    // Reproducible: signed (as the SDK checks it) with the project's key plus "-not-the-project-key".
    expect(sdkAccepts(l.received[0].body, `${SECRET}-not-the-project-key`)).toBe(true)
  })
})

describe('in-process callbacks: threshold, working hours, magic values', () => {
  function capture() {
    const got: Array<Record<string, any>> = []
    const sandbox = createSandbox({ ...SANDBOX_OPTIONS, onCallback: (cb) => void got.push(JSON.parse(cb.body)) })
    use.defer(() => sandbox.close())
    return { sandbox, got }
  }
  const CB = 'https://merchant.example/cb'

  it('a purchase nobody finishes is declined at the 60-minute threshold (code 20602)', async () => {
    const { sandbox, got } = capture()
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('T-1', CB)))
    await settle(sandbox)
    expect(got.map((b) => b.payment.status)).toEqual(['awaiting redirect result'])
    await sandbox.clock.advance('60m')
    expect(got.map((b) => b.payment.status)).toEqual(['awaiting redirect result', 'decline'])
    expect(got[1].operation).toMatchObject({ status: 'decline', code: '20602', message: 'Time-out' })
  })

  it('DECLINE in payment_id: decline with code 20000, "decline" for a purchase and "General decline" for a payout (seed)', async () => {
    const { sandbox, got } = capture()
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('S-DECLINE', CB)))
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', payout('P-DECLINE', CB)))
    await sandbox.clock.advance('2s')
    const finals = got.filter((b) => b.payment.status === 'decline')
    expect(finals.map((b) => [b.payment.type, b.operation.code, b.operation.message])).toEqual([
      ['purchase', '20000', 'decline'],
      ['payout', '20000', 'General decline'],
    ])
    expect(finals[1].operation.provider).toEqual({ id: 2080, payment_id: '', auth_code: '' })
  })

  it('customer.id DECLINE_<code> words give that decline code and message', async () => {
    const { sandbox, got } = capture()
    for (const [i, code] of ['20100', '20101', '20102', '20105', '20106', '20201', '20301', '20401', '20602'].entries())
      await sandbox.fetch(
        ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', payout(`PW-${i}`, CB, `cust-DECLINE_${code}`)),
      )
    await sandbox.clock.advance('2s')
    expect(got.map((b) => `${b.operation.code} ${b.operation.message}`)).toEqual([
      '20100 Declined by external provider',
      '20101 Decline due to amount or frequency limit',
      '20102 Incorrect account data entered',
      '20105 Insufficient funds on customer account',
      '20106 Customer account is no longer available',
      '20201 Restrictions for the customer account',
      '20301 Account owner cancelled operation',
      '20401 Declined by PSP risk system',
      '20602 Time-out',
    ])
    expect(got.every((b) => b.payment.status === 'decline')).toBe(true)
  })

  it('FAIL gives error / external error; PENDING never leaves processing', async () => {
    const { sandbox, got } = capture()
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', payout('P-FAIL', CB)))
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', payout('P-PENDING', CB)))
    await sandbox.clock.advance('2h')
    expect(got).toHaveLength(1)
    expect(got[0].payment.status).toBe('error')
    expect(got[0].operation).toMatchObject({ status: 'external error', code: '20202' })
    expect(sandbox.transactions.list({ reference: 'P-PENDING' })[0].status).toBe('processing')
  })

  it('working hours (scenario switch WORKING_HOURS, or the project setting): a Saturday payout waits until Monday 10:30 GMT+8', async () => {
    const { sandbox, got } = capture()
    // Move the virtual clock to Saturday 12:00 GMT+8 (04:00 UTC).
    const now = sandbox.clock.now()
    const d = new Date(now)
    const daysToSaturday = (6 - d.getUTCDay() + 7) % 7 || 7
    const saturday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + daysToSaturday, 4, 0, 0)
    await sandbox.clock.advance(saturday - now)
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', payout('P-WORKING_HOURS', CB)))
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', payout('P-plain', CB)))
    await sandbox.clock.advance('2s')
    expect(got.map((b) => b.payment.id)).toEqual(['P-plain']) // the rule is off by default
    const monday = saturday + 2 * 86_400_000 - 90 * 60_000 // Monday 02:30 UTC = 10:30 GMT+8
    await sandbox.clock.advance(monday - sandbox.clock.now() + 1000)
    expect(got).toHaveLength(1)
    await sandbox.clock.advance('1s')
    expect(got.map((b) => b.payment.id)).toEqual(['P-plain', 'P-WORKING_HOURS'])

    await sandbox.merchants.patch('ecommpay', '112', { payoutWorkingHours: true })
    const friday = monday + 4 * 86_400_000 + 9 * 3_600_000 // Friday 11:30 UTC = 19:30 GMT+8, after closing
    await sandbox.clock.advance(friday - sandbox.clock.now())
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', payout('P-friday', CB)))
    await sandbox.clock.advance('1d')
    expect(got).toHaveLength(2)
    await sandbox.clock.advance('2d')
    expect(got.map((b) => b.payment.id)).toEqual(['P-plain', 'P-WORKING_HOURS', 'P-friday'])
  })

  it('no callback URL anywhere: nothing is sent and the journal says how to set one', async () => {
    const { sandbox, got } = capture()
    const body = payout('P-none', '')
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', body))
    expect(sandbox.journal.list({ kind: 'request', limit: 1 })[0].notes.join(' ')).toContain(
      'PATCH /_sandbox/merchants/ecommpay/112',
    )
    await sandbox.clock.advance('2s')
    expect(got).toHaveLength(0)
    expect(sandbox.callbacks.list()).toHaveLength(0)
    // The payout is approved all the same, and the journal says so.
    expect(sandbox.transactions.list({ reference: 'P-none' })[0].status).toBe('approved')
    expect(sandbox.journal.list({ kind: 'timeline', reference: 'P-none' }).map((e) => e.notes)).toEqual([
      ['ecommpay-1 (P-none) processing → approved by timeline'],
    ])
  })

  it('a change to a status that is not final sends nothing: a Gate sale moved to processing, a Payment Page sale moved back to pending', async () => {
    const { sandbox, got } = capture()
    await sandbox.fetch(ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('G-1', CB)))
    await settle(sandbox)
    expect(got.map((b) => b.payment.status)).toEqual(['awaiting redirect result'])
    const [gateSale] = sandbox.transactions.list({ reference: 'G-1' })
    await sandbox.transactions.transition(gateSale.id, 'processing')
    await settle(sandbox)
    expect(got).toHaveLength(1)

    // The Payment Page (no redirect_data callback there): the customer chose the method, the sale waits.
    const page = ecommpay.paymentPageUrl(
      {
        project_id: 112,
        payment_id: 'PP-1',
        payment_amount: 200000,
        payment_currency: 'INR',
        customer_id: 'customer123',
        merchant_callback_url: CB,
      },
      undefined,
      { baseUrl: B },
    )
    const chosen = await sandbox.fetch(formPost(page, 'bank_id='))
    expect(chosen.status).toBe(303)
    const [pageSale] = sandbox.transactions.list({ reference: 'PP-1' })
    expect(pageSale).toMatchObject({ kind: 'sale', status: 'pending' })
    await sandbox.transactions.transition(pageSale.id, 'processing')
    await sandbox.transactions.transition(pageSale.id, 'pending')
    await settle(sandbox)
    expect(got).toHaveLength(1)
    expect(sandbox.callbacks.list().map((d) => d.event)).toEqual([
      'sale awaiting redirect result (redirect_data), payment awaiting redirect result',
    ])
  })

  it('a Gate sale that waits for clarification: its callback is called "… (clarification_fields)"', async () => {
    const sandbox = use.sandbox({
      merchants: { ecommpay: [{ id: '112', clarificationFields: ['first_name', 'last_name', 'zip'] }] },
      onCallback: () => undefined,
    })
    await sandbox.fetch(
      ecommpay.gateRequest(B, '/v2/payment/banks/india/sale', sale('CL-1', CB, { account: { bank_id: 403 } })),
    )
    await settle(sandbox)
    expect(sandbox.callbacks.list().map((d) => d.event)).toEqual([
      'sale awaiting clarification (clarification_fields), payment awaiting clarification',
    ])
  })

  it('callback.force_disable: 1 turns callbacks off', async () => {
    const { sandbox, got } = capture()
    await sandbox.fetch(
      ecommpay.gateRequest(B, '/v2/payment/banks/india/payout', {
        ...payout('P-off', CB),
        callback: { force_disable: 1 },
      }),
    )
    await sandbox.clock.advance('2s')
    expect(got).toHaveLength(0)
  })
})

describe('over a real socket, the whole server', () => {
  it('serves the Gate on a port and keeps serving after garbage', async () => {
    const l = await merchantListener()
    const server = await listen(createSandbox(SANDBOX_OPTIONS), { port: 0 })
    use.defer(() => server.close())
    const garbage = await fetch(`${server.url}/v2/payment/banks/india/payout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"general":',
    })
    expect(garbage.status).toBe(400)
    expect((await garbage.json()).code).toBe('2003')
    const res = await fetch(
      ecommpay.gateRequest(server.url, '/v2/payment/banks/india/payout', payout('P-sock', `${l.url}/cb`)),
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
  })
})
