import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connpay as client, TEST_MERCHANT } from '../../src/providers/connpay/client.js'
import { formEncode, sign } from '../../src/wire/oauth1/index.js'
import type { Sandbox } from '../../src/sandbox.js'
import {
  B,
  FORM,
  OAUTHLIB,
  SEED_403_BODY,
  SEED_SUCCESS_BODY,
  TEST_PRIVATE_KEY,
  connpaySandbox,
  fields,
  vectorRequest,
  vectors,
} from './support.js'

let sandbox: Sandbox
beforeEach(() => {
  sandbox = connpaySandbox()
})
afterEach(() => sandbox.close())

const send = (req: Request) => sandbox.fetch(req)
const lastRequest = () => sandbox.journal.list({ kind: 'request', provider: 'connpay', limit: 1 })[0]
const payout = (body: Record<string, string>, options: Parameters<typeof client.payoutRequest>[2] = {}) =>
  send(client.payoutRequest(B, body, options))
const PAYOUT = { client_orderid: 'ORD-1', amount: '10.42', currency: 'USD', account_number: '1234567890' }

async function expectDenied(res: Response) {
  expect(res.status).toBe(403)
  expect(res.headers.get('content-type')).toBe('text/html')
  expect(res.headers.get('server')).toBe('server')
  expect(res.headers.get('x-xss-protection')).toBe('1')
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000')
  expect(await res.text()).toBe(SEED_403_BODY)
}

async function expectError(
  res: Response,
  type: 'validation-error' | 'error',
  message: string,
  code: number,
  merchantOrderId?: string,
) {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/html;charset=utf-8')
  const text = await res.text()
  const f = fields(text)
  const keys = [
    'type',
    'serial-number',
    ...(merchantOrderId !== undefined ? ['merchant-order-id'] : []),
    'error-message',
    'error-code',
  ]
  expect(Object.keys(f)).toEqual(keys)
  expect(f).toMatchObject({ type, 'error-message': message, 'error-code': String(code) })
  if (merchantOrderId !== undefined) expect(f['merchant-order-id']).toBe(merchantOrderId)
  expect(f['serial-number']).toMatch(/^00000000-0000-0000-0000-[0-9a-f]{12}$/)
  return text
}

describe('POST /paynet/api/v4/payout/{ENDPOINTID}', () => {
  it("answers the seed's request (re-signed by python-oauthlib) with the seed's success response, byte for byte", async () => {
    const res = await send(vectorRequest(vectors.oauth[0]))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html;charset=utf-8')
    for (const [name, value] of [
      ['server', 'server'],
      ['vary', 'Accept-Encoding'],
      ['x-xss-protection', '1'],
      ['x-content-type-options', 'nosniff'],
      ['content-language', 'en-US'],
    ])
      expect(res.headers.get(name)).toBe(value)
    const body = await res.text()
    expect(body).toBe(SEED_SUCCESS_BODY)
    expect(Buffer.byteLength(body)).toBe(137) // the seed's Content-Length
    const tx = sandbox.transactions.list({ provider: 'connpay' })[0]
    expect(tx).toMatchObject({
      reference: '1',
      providerRef: '6982864',
      status: 'processing',
      amount: 10.42,
      currency: 'USD',
      callbackUrl: 'https://httpstat.us/200',
    })
  })

  it('numbers serial-number and paynet-order-id upwards, shaped as research §4.4', async () => {
    const a = fields(await (await payout({ ...PAYOUT, client_orderid: 'A' })).text())
    const b = fields(await (await payout({ ...PAYOUT, client_orderid: 'B' })).text())
    expect(a['serial-number']).toBe('00000000-0000-0000-0000-000002e2c322')
    expect(b['serial-number']).toBe('00000000-0000-0000-0000-000002e2c323')
    expect(Number(b['paynet-order-id'])).toBe(Number(a['paynet-order-id']) + 1)
  })

  it('accepts every python-oauthlib vector through the real route, and refuses each with one body byte changed', async () => {
    for (const v of vectors.oauth.filter((x) => x.url.includes('/payout/'))) {
      const ok = await send(vectorRequest(v))
      expect(ok.status, v.url).toBe(200)
      expect(lastRequest().auth?.ok).toBe(true)
      const changed = v.body.replace('amount=', 'amount=1')
      await expectDenied(await send(vectorRequest({ ...v, body: changed })))
      expect(lastRequest().auth?.ok).toBe(false)
    }
  })

  it("accepts the vector made by PaynetEasy's own PHP client, verified with its public key", async () => {
    const v = vectors.vendor_client_vector
    // With the sandbox's default test key the signature cannot match: 403.
    await expectDenied(await send(vectorRequest(v)))
    await sandbox.merchants.patch('connpay', 'TestMerchant', { publicKey: v.public_key_pem })
    const res = await send(vectorRequest(v))
    expect(res.status).toBe(200)
    expect(fields(await res.text())).toMatchObject({
      type: 'async-response',
      'merchant-order-id': '1',
      'end-point-id': '39915',
    })
    expect(lastRequest().auth?.explanation).toContain(v.base_string)
    await expectDenied(await send(vectorRequest({ ...v, body: v.body.replace('10.42', '10.43') })))
  })

  it('accepts requests signed by an independent OAuth library (python-oauthlib): "+" bodies, realm, a local URL, client-order-id', async () => {
    // The fields as the route read them ("+" a space, UTF-8) reach the scenario facts.
    sandbox.scenarios.use({
      provider: 'connpay',
      rules: [
        {
          name: 'decoded as sent',
          match: { 'request.order_desc': 'Payout to bank & co', 'request.receiver_first_name': 'Zoë' },
          outcome: 'approved',
        },
      ],
    })
    const plus = await send(vectorRequest(OAUTHLIB.plusBody))
    expect(plus.status).toBe(200)
    expect(fields(await plus.text())['merchant-order-id']).toBe('IND-PLUS-1')
    const tx = sandbox.transactions.list({ reference: 'IND-PLUS-1' })[0]
    expect(tx.data).toMatchObject({ amount: '99.5' })
    expect(tx.rule).toContain('decoded as sent')

    const local = await send(vectorRequest(OAUTHLIB.localUrl, OAUTHLIB.localUrl.url))
    expect(local.status).toBe(200)
    expect(fields(await local.text())).toMatchObject({ 'merchant-order-id': 'IND-LOCAL-1', 'end-point-id': '39915' })
    expect(lastRequest().auth?.explanation).toContain(
      'signed for the URL it arrived at (http://localhost:8080/paynet/api/v4/payout/group/777)',
    )

    // One changed byte in the body: the 403 page.
    await expectDenied(
      await send(vectorRequest({ ...OAUTHLIB.plusBody, body: OAUTHLIB.plusBody.body.replace('99.5', '99.6') })),
    )
  })

  it("takes the group URL and answers with the group's endpoint", async () => {
    const res = await payout(PAYOUT, { group: '777' })
    expect(fields(await res.text())['end-point-id']).toBe('39915')
    expect(sandbox.transactions.list({ provider: 'connpay' })[0].data).toMatchObject({
      endPointId: '39915',
      endPointGroupId: '777',
    })
  })

  it('reads the line-broken body of the documentation (values trimmed) and a body without Content-Type', async () => {
    const body = 'client_orderid=LB-1\n&amount=10.42\n&currency=USD\n&account_number=1234567890'
    const signed = sign({
      url: `${B}/paynet/api/v4/payout/39915`,
      consumerKey: 'TestMerchant',
      privateKey: TEST_PRIVATE_KEY,
      body,
    })
    const res = await send(
      new Request(`${B}/paynet/api/v4/payout/39915`, {
        method: 'POST',
        headers: { Authorization: signed.authorization, 'Content-Type': FORM },
        body,
      }),
    )
    expect(fields(await res.text())).toMatchObject({ type: 'async-response', 'merchant-order-id': 'LB-1' })
    expect(lastRequest().notes.join(' ')).toContain('line breaks')

    const s2 = sign({
      url: `${B}/paynet/api/v4/payout/39915`,
      consumerKey: 'TestMerchant',
      privateKey: TEST_PRIVATE_KEY,
      body: { ...PAYOUT, client_orderid: 'NOCT' },
    })
    const res2 = await send(
      new Request(`${B}/paynet/api/v4/payout/39915`, {
        method: 'POST',
        headers: { Authorization: s2.authorization },
        body: new TextEncoder().encode(s2.body),
      }),
    )
    expect(fields(await res2.text())['merchant-order-id']).toBe('NOCT')
  })
})

describe("OAuth refusals: the seed's 403 page, and the journal explains", () => {
  it('no Authorization header', async () => {
    await expectDenied(
      await send(
        new Request(`${B}/paynet/api/v4/payout/39915`, {
          method: 'POST',
          headers: { 'Content-Type': FORM },
          body: formEncode(PAYOUT),
        }),
      ),
    )
    expect(lastRequest().auth).toMatchObject({ ok: false })
    expect(lastRequest().auth!.explanation).toContain('no Authorization header')
    expect(sandbox.transactions.list()).toHaveLength(0)
  })

  it('a changed body byte: the journal shows the base string a correct client signs', async () => {
    const v = vectors.oauth[1]
    await expectDenied(await send(vectorRequest({ ...v, body: v.body.replace('ORD-1', 'ORD-2') })))
    const auth = lastRequest().auth!
    expect(auth.explanation).toContain('The signature does not match')
    expect(auth.explanation).toContain(
      'Base string the sandbox computed (what a correct client signs): POST&http%3A%2F%2Flocalhost%2Fpaynet',
    )
    expect(auth.explanation).toContain(
      `…or, for a client that signs ${v.url}: ${v.base_string.replace('ORD-1', 'ORD-2')}`,
    )
  })

  it('a client mistake is diagnosed: the journal shows the base string that client signed next to the correct one', async () => {
    // A client that signs "+" literally, although the form body means a space by it.
    const body = 'client_orderid=PLUS&amount=1&currency=USD&order_desc=a+b'
    const url = `${B}/paynet/api/v4/payout/39915`
    const wrong = sign({
      url,
      consumerKey: 'TestMerchant',
      privateKey: TEST_PRIVATE_KEY,
      body: 'client_orderid=PLUS&amount=1&currency=USD&order_desc=a%2Bb',
    })
    await expectDenied(
      await send(
        new Request(url, {
          method: 'POST',
          headers: { Authorization: wrong.authorization, 'Content-Type': FORM },
          body,
        }),
      ),
    )
    const auth = lastRequest().auth!.explanation
    expect(auth).toContain('literal plus sign')
    expect(auth).toContain('Base string your client appears to have signed: ' + wrong.baseString)
    expect(auth).toContain('order_desc%3Da%2520b') // what a correct client signs
  })

  it('an unknown consumer key, a wrong key, HMAC-SHA1, a malformed header, duplicated parameters', async () => {
    const url = `${B}/paynet/api/v4/payout/39915`
    const other = sign({ url, consumerKey: 'Nobody', privateKey: TEST_PRIVATE_KEY, body: PAYOUT })
    await expectDenied(
      await send(
        new Request(url, {
          method: 'POST',
          headers: { Authorization: other.authorization, 'Content-Type': FORM },
          body: other.body,
        }),
      ),
    )
    expect(lastRequest().auth!.explanation).toContain('"Nobody"')
    const { generateKeyPairSync } = await import('node:crypto')
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const wrongKey = sign({ url, consumerKey: 'TestMerchant', privateKey, body: PAYOUT })
    await expectDenied(
      await send(
        new Request(url, {
          method: 'POST',
          headers: { Authorization: wrongKey.authorization, 'Content-Type': FORM },
          body: wrongKey.body,
        }),
      ),
    )
    const good = sign({ url, consumerKey: 'TestMerchant', privateKey: TEST_PRIVATE_KEY, body: PAYOUT })
    for (const authorization of [
      good.authorization.replace('RSA-SHA256', 'HMAC-SHA1'),
      'OAuth oauth_consumer_key="TestMerchant", oauth_signature="unterminated',
      'Bearer abc',
      good.authorization + ', oauth_nonce="second"',
      '',
    ]) {
      await expectDenied(
        await send(
          new Request(url, {
            method: 'POST',
            headers: { Authorization: authorization, 'Content-Type': FORM },
            body: good.body,
          }),
        ),
      )
      expect(lastRequest().auth!.ok).toBe(false)
      expect(lastRequest().auth!.explanation.length).toBeGreaterThan(20)
    }
    expect(sandbox.transactions.list()).toHaveLength(0)
  })

  it('tolerates header layout: realm, line breaks, any order, unquoted values', async () => {
    const url = `${B}/paynet/api/v4/payout/39915`
    const good = sign({ url, consumerKey: 'TestMerchant', privateKey: TEST_PRIVATE_KEY, body: PAYOUT })
    const parts = good.authorization.slice(6).split(', ').reverse()
    const header =
      'oauth realm=""  ,\t ' + parts.map((p) => (p.startsWith('oauth_version') ? p.replace(/"/g, '') : p)).join(' ,  ')
    const res = await send(
      new Request(url, { method: 'POST', headers: { Authorization: header, 'Content-Type': FORM }, body: good.body }),
    )
    expect(res.status).toBe(200)
  })

  it('timestamp window and nonce replay are off by default and refuse with 403 when a merchant turns them on', async () => {
    const v = vectors.oauth[1]
    expect((await send(vectorRequest(v))).status).toBe(200) // timestamp 2023, accepted by default
    expect((await send(vectorRequest(v))).status).toBe(200) // same nonce again, accepted by default
    await sandbox.merchants.patch('connpay', 'TestMerchant', { oauthTimestampWindowSeconds: 300 })
    await expectDenied(await send(vectorRequest(v)))
    expect(lastRequest().auth!.explanation).toMatch(/oauth_timestamp 1700000000 is \d+ s behind the sandbox clock/)
    const now = Math.floor(sandbox.clock.now() / 1000)
    const fresh = (nonce: string, timestamp = now) =>
      client.payoutRequest(B, { ...PAYOUT, client_orderid: nonce }, { nonce, timestamp })
    expect((await send(fresh('n-1'))).status).toBe(200)
    expect((await send(fresh('n-2', now + 299))).status).toBe(200)
    await expectDenied(await send(fresh('n-3', now + 301)))
    await sandbox.merchants.patch('connpay', 'TestMerchant', { oauthNonceReplayCheck: true })
    expect((await send(fresh('n-4'))).status).toBe(200)
    await expectDenied(await send(fresh('n-4')))
    expect(lastRequest().auth!.explanation).toContain('oauth_nonce "n-4"')
    expect((await send(fresh('n-4', now + 1))).status).toBe(200) // same nonce, other timestamp (RFC 5849 §3.3)
    await sandbox.clock.advance('10m')
    await expectDenied(await send(fresh('n-5', now))) // now outside the window
  })
})

describe('payout validation (seed table): validation-error, error-code 1', () => {
  const cases: Array<[string, Record<string, string>, string, string | undefined]> = [
    ['client_orderid missing', { amount: '1', currency: 'USD' }, 'Parameter client_orderid is required', undefined],
    ['amount missing', { client_orderid: 'V1', currency: 'USD' }, 'Parameter amount is required', 'V1'],
    ['currency missing', { client_orderid: 'V1', amount: '1' }, 'Parameter currency is required', 'V1'],
    ['amount empty', { client_orderid: 'V1', amount: '', currency: 'USD' }, 'Parameter amount is required', 'V1'],
    [
      'amount not a number',
      { client_orderid: 'V1', amount: '10,42', currency: 'USD' },
      'Parameter amount has wrong format',
      'V1',
    ],
    [
      'amount negative',
      { client_orderid: 'V1', amount: '-1', currency: 'USD' },
      'Parameter amount has wrong format',
      'V1',
    ],
    [
      'amount zero',
      { client_orderid: 'V1', amount: '0.00', currency: 'USD' },
      'Parameter amount must be greater than zero',
      'V1',
    ],
    [
      'amount longer than 10',
      { client_orderid: 'V1', amount: '12345678.90', currency: 'USD' },
      'Parameter amount is too long, max length is 10',
      'V1',
    ],
    [
      'currency lower case',
      { client_orderid: 'V1', amount: '1', currency: 'usd' },
      'Parameter currency has wrong format',
      'V1',
    ],
    [
      'currency too long',
      { client_orderid: 'V1', amount: '1', currency: 'USDT' },
      'Parameter currency is too long, max length is 3',
      'V1',
    ],
    [
      'client_orderid of 129 characters',
      { client_orderid: 'x'.repeat(129), amount: '1', currency: 'USD' },
      'Parameter client_orderid is too long, max length is 128',
      'x'.repeat(129),
    ],
    [
      'client-order-id of 129 characters',
      { 'client-order-id': 'y'.repeat(129), amount: '1', currency: 'USD' },
      'Parameter client-order-id is too long, max length is 128',
      'y'.repeat(129),
    ],
    [
      'order_desc of 65',
      { ...PAYOUT, order_desc: 'd'.repeat(65) },
      'Parameter order_desc is too long, max length is 64',
      'ORD-1',
    ],
    [
      'account_number of 33',
      { ...PAYOUT, account_number: '1'.repeat(33) },
      'Parameter account_number is too long, max length is 32',
      'ORD-1',
    ],
    [
      'ipaddress too short',
      { ...PAYOUT, ipaddress: '1.1.1' },
      'Parameter ipaddress is too short, min length is 7',
      'ORD-1',
    ],
    ['cvv2 letters', { ...PAYOUT, cvv2: '12a' }, 'Parameter cvv2 must be numeric', 'ORD-1'],
    [
      'alias first_name too long',
      { ...PAYOUT, first_name: 'f'.repeat(129) },
      'Parameter first_name is too long, max length is 128',
      'ORD-1',
    ],
    [
      'callback URL not a URL',
      { ...PAYOUT, server_callback_url: 'not a url' },
      'Parameter server_callback_url has wrong format',
      'ORD-1',
    ],
    [
      'redirect_url and redirect_success_url',
      { ...PAYOUT, redirect_url: 'https://a.example/', redirect_success_url: 'https://b.example/' },
      'Use either redirect_url or redirect_success_url and redirect_fail_url, not both',
      'ORD-1',
    ],
    [
      'client_orderid and client-order-id differ',
      { ...PAYOUT, 'client-order-id': 'OTHER' },
      'Parameters client_orderid and client-order-id differ',
      undefined,
    ],
    [
      'merchant_data over 64k',
      { ...PAYOUT, merchant_data: 'm'.repeat(65537) },
      'Parameter merchant_data is too long, max length is 65536',
      'ORD-1',
    ],
  ]
  for (const [what, body, message, orderId] of cases) {
    it(what, async () => {
      await expectError(await payout(body), 'validation-error', message, 1, orderId)
      expect(lastRequest().notes.join(' ')).toMatch(/validation-error \(error-code 1\)/)
      expect(sandbox.transactions.list()).toHaveLength(0)
    })
  }

  it("accepts client-order-id (PaynetEasy's PHP examples) and a length of exactly 128", async () => {
    const res = await payout({ 'client-order-id': 'z'.repeat(128), amount: '1', currency: 'USD' })
    expect(fields(await res.text())['merchant-order-id']).toBe('z'.repeat(128))
  })

  it("an endpoint or group that is not the login's", async () => {
    await expectError(
      await payout(PAYOUT, { endpoint: '12345' }),
      'validation-error',
      'Endpoint 12345 is not found',
      1,
      'ORD-1',
    )
    await expectError(
      await payout(PAYOUT, { group: '1' }),
      'validation-error',
      'Endpoint group 1 is not found',
      1,
      'ORD-1',
    )
  })

  it('a JSON body: not read as parameters, and the journal says why', async () => {
    const url = `${B}/paynet/api/v4/payout/39915`
    const body = JSON.stringify(PAYOUT)
    const signed = sign({ url, consumerKey: 'TestMerchant', privateKey: TEST_PRIVATE_KEY }) // signed without body parameters
    const res = await send(
      new Request(url, {
        method: 'POST',
        headers: { Authorization: signed.authorization, 'Content-Type': 'application/json' },
        body,
      }),
    )
    await expectError(res, 'validation-error', 'Parameter client_orderid is required', 1)
    expect(lastRequest().notes.join(' ')).toContain('Content-Type is "application/json"')
  })
})

describe('bad input never crashes the server', () => {
  it('garbage bytes, non-UTF-8, huge values, odd methods: native answers, and the server keeps serving', async () => {
    const url = `${B}/paynet/api/v4/payout/39915`
    const garbage = new Uint8Array([0xff, 0xfe, 0x00, 0x26, 0x3d, 0x3d, 0x25, 0xc3, 0x28, 0x80])
    await expectDenied(
      await send(new Request(url, { method: 'POST', headers: { 'Content-Type': FORM }, body: garbage })),
    )
    // A correctly signed body with invalid UTF-8 and a stray "%".
    const raw = 'client_orderid=BAD%FF%FE&amount=1&currency=USD&order_desc=100%'
    const signed = sign({ url, consumerKey: 'TestMerchant', privateKey: TEST_PRIVATE_KEY, body: raw })
    const res = await send(
      new Request(url, {
        method: 'POST',
        headers: { Authorization: signed.authorization, 'Content-Type': FORM },
        body: raw,
      }),
    )
    expect(fields(await res.text()).type).toBe('async-response')
    expect(lastRequest().notes.join(' ')).toContain('not followed by two hex digits')
    // Over 1 MiB: refused unread, in ConnPay's format.
    const big = await send(
      new Request(url, { method: 'POST', headers: { 'Content-Type': FORM }, body: 'a='.padEnd(1024 * 1024 + 10, 'x') }),
    )
    expect(big.status).toBe(200)
    expect(await big.text()).toBe('type=validation-error\n&error-message=Request+is+too+large\n&error-code=1')
    // Unknown route and method.
    const missing = await send(new Request(`${B}/paynet/api/v4/payout/39915`, { method: 'GET' }))
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toBe('text/html;charset=utf-8')
    expect(await missing.text()).toBe(
      'type=error\n&error-message=No+API+at+GET+%2Fpaynet%2Fapi%2Fv4%2Fpayout%2F39915\n&error-code=7',
    )
    expect((await send(new Request(`${B}/paynet/api/v9/nothing`, { method: 'POST' }))).status).toBe(404)
    // Still serving.
    expect((await payout({ ...PAYOUT, client_orderid: 'AFTER' })).status).toBe(200)
  })
})

describe('test accounts and magic values (scenarios/connpay.yaml)', () => {
  const statusOf = async (clientOrderId: string) =>
    fields(await (await send(client.statusV2Request(B, { client_orderid: clientOrderId }))).text())

  it('seed accounts: 1234567890 approved, 0987654321 declined, 1987654321 error PROCESSOR_INTERNAL_ERROR, others approved', async () => {
    for (const [ref, account] of [
      ['A', '1234567890'],
      ['D', '0987654321'],
      ['E', '1987654321'],
      ['O', '5555'],
    ])
      await payout({ ...PAYOUT, client_orderid: ref, account_number: account })
    for (const ref of ['A', 'D', 'E', 'O']) expect((await statusOf(ref)).status).toBe('processing')
    await sandbox.clock.advance('2s')
    expect(await statusOf('A')).toMatchObject({ status: 'approved' })
    expect(await statusOf('A')).not.toHaveProperty('error-message')
    expect(await statusOf('D')).toMatchObject({ status: 'declined', 'error-message': 'DECLINED', 'error-code': '2' })
    expect(await statusOf('E')).toMatchObject({
      status: 'error',
      'error-message': 'PROCESSOR_INTERNAL_ERROR',
      'error-code': '3',
    })
    expect(await statusOf('O')).toMatchObject({ status: 'approved' })
  })

  it('a test account wins over a magic word', async () => {
    await payout({ ...PAYOUT, client_orderid: 'X-DECLINE', account_number: '1234567890' })
    await sandbox.clock.advance('2s')
    expect((await statusOf('X-DECLINE')).status).toBe('approved')
  })

  it('FILTERED, UNKNOWN, LONG, and the common words DECLINE, FAIL, PENDING, TIMEOUT', async () => {
    for (const ref of ['o-FILTERED', 'o-UNKNOWN', 'o-LONG', 'o-DECLINE', 'o-FAIL', 'o-PENDING', 'o-TIMEOUT'])
      await payout({ ...PAYOUT, client_orderid: ref, account_number: '42' })
    await sandbox.clock.advance('2s')
    expect(await statusOf('o-FILTERED')).toMatchObject({
      status: 'filtered',
      'error-message': 'FILTERED',
      'error-code': '4',
    })
    expect((await statusOf('o-UNKNOWN')).status).toBe('unknown')
    expect((await statusOf('o-LONG')).status).toBe('processing')
    expect(await statusOf('o-DECLINE')).toMatchObject({ status: 'declined', 'error-message': 'DECLINED' })
    expect(await statusOf('o-FAIL')).toMatchObject({ status: 'error', 'error-message': 'PROCESSOR_INTERNAL_ERROR' })
    expect((await statusOf('o-PENDING')).status).toBe('processing')
    await sandbox.clock.advance('1h')
    expect((await statusOf('o-LONG')).status).toBe('approved')
    expect((await statusOf('o-UNKNOWN')).status).toBe('unknown')
    expect(await statusOf('o-TIMEOUT')).toMatchObject({ status: 'declined', 'error-message': 'TIMEOUT' })
  })

  it('the admin API moves a payout with native names', async () => {
    await payout({ ...PAYOUT, client_orderid: 'ADM-PENDING' })
    const tx = sandbox.transactions.list({ reference: 'ADM-PENDING' })[0]
    await sandbox.transactions.transition(tx.id, 'filtered')
    expect((await statusOf('ADM-PENDING')).status).toBe('filtered')
  })
})

describe('status APIs', () => {
  it('v4 (OAuth) status-response, fields in the observed order', async () => {
    const created = fields(await (await payout({ ...PAYOUT, merchant_data: 'VIP customer' })).text())
    const res = await send(client.statusRequest(B, { client_orderid: 'ORD-1', orderid: created['paynet-order-id'] }))
    expect(res.headers.get('content-type')).toBe('text/html;charset=utf-8')
    const text = await res.text()
    const date = new Date(sandbox.transactions.list()[0].createdAt + 3 * 3600_000)
      .toISOString()
      .replace('T', '+')
      .slice(0, 19)
      .replace(/:/g, '%3A')
    expect(text).toBe(
      [
        'type=status-response',
        'serial-number=00000000-0000-0000-0000-000002e2c323',
        'merchant-order-id=ORD-1',
        `paynet-order-id=${created['paynet-order-id']}`,
        'status=processing',
        'amount=10.42',
        'currency=USD',
        'transaction-type=payout',
        `paynet-processing-date=${date}+MSK`,
        'merchantdata=VIP+customer',
      ].join('\n&'),
    )
  })

  it('the v4 status vector (python-oauthlib) through the real route, and the group URL', async () => {
    await payout({ ...PAYOUT }) // orderid 6982864, client_orderid ORD-1: the vector's values
    const v = vectors.oauth.find((x) => x.url.includes('/status/'))!
    const res = await send(vectorRequest(v))
    expect(fields(await res.text())).toMatchObject({
      type: 'status-response',
      'paynet-order-id': '6982864',
      status: 'processing',
    })
    await expectDenied(await send(vectorRequest({ ...v, body: v.body.replace('6982864', '6982865') })))
    await send(vectorRequest(OAUTHLIB.plusBody))
    const group = await send(vectorRequest(OAUTHLIB.statusGroup))
    expect(fields(await group.text())).toMatchObject({
      type: 'status-response',
      'merchant-order-id': 'IND-PLUS-1',
      amount: '99.5',
      currency: 'EUR',
    })
  })

  it('v4 errors: login missing or not the signer, order not found', async () => {
    await payout(PAYOUT)
    const url = `${B}/paynet/api/v4/status/39915`
    const noLogin = sign({
      url,
      consumerKey: 'TestMerchant',
      privateKey: TEST_PRIVATE_KEY,
      body: { client_orderid: 'ORD-1' },
    })
    await expectError(
      await send(
        new Request(url, {
          method: 'POST',
          headers: { Authorization: noLogin.authorization, 'Content-Type': FORM },
          body: noLogin.body,
        }),
      ),
      'validation-error',
      'Parameter login is required',
      1,
      'ORD-1',
    )
    await expectError(
      await send(client.statusRequest(B, { login: 'Someone', client_orderid: 'ORD-1' })),
      'validation-error',
      'Parameter login does not match',
      1,
      'ORD-1',
    )
    await expectError(
      await send(client.statusRequest(B, { client_orderid: 'NOPE' })),
      'error',
      'Order not found',
      5,
      'NOPE',
    )
    await expectError(
      await send(client.statusRequest(B, { client_orderid: 'ORD-1', orderid: '1' })),
      'error',
      'Order not found',
      5,
      'ORD-1',
    )
    await expectError(
      await send(client.statusRequest(B, {})),
      'validation-error',
      'Parameter client_orderid is required',
      1,
    )
  })

  it('v2 (SHA-1 control): the vector key and formula; wrong control, unknown login, missing fields', async () => {
    const created = fields(await (await payout(PAYOUT)).text())
    const v = vectors.status_control[0]
    expect(created['paynet-order-id']).toBe(v.orderid)
    const body = formEncode({
      login: v.login,
      client_orderid: v.client_orderid,
      orderid: v.orderid,
      control: v.control,
    })
    const res = await send(
      new Request(`${B}/paynet/api/v2/status/39915`, { method: 'POST', headers: { 'Content-Type': FORM }, body }),
    )
    expect(fields(await res.text())).toMatchObject({
      type: 'status-response',
      status: 'processing',
      'merchant-order-id': 'ORD-1',
    })
    expect(lastRequest().auth?.ok).toBe(true)
    // Upper-case hex control is tolerated.
    const upper = await send(
      new Request(`${B}/paynet/api/v2/status/group/777`, {
        method: 'POST',
        headers: { 'Content-Type': FORM },
        body: body.replace(v.control, v.control.toUpperCase()),
      }),
    )
    expect(fields(await upper.text()).type).toBe('status-response')
    await expectError(
      await send(
        new Request(`${B}/paynet/api/v2/status/39915`, {
          method: 'POST',
          headers: { 'Content-Type': FORM },
          body: body.replace(v.control, 'f'.repeat(40)),
        }),
      ),
      'error',
      'Invalid control code',
      6,
      'ORD-1',
    )
    expect(lastRequest().auth!.explanation).toContain(v.control)
    await expectError(
      await send(client.statusV2Request(B, { client_orderid: 'ORD-1', login: 'Ghost' })),
      'error',
      'Invalid control code',
      6,
      'ORD-1',
    )
    await expectError(
      await send(client.statusV2Request(B, { client_orderid: 'ORD-1' }, { endpoint: '1' })),
      'validation-error',
      'Endpoint 1 is not found',
      1,
      'ORD-1',
    )
    await expectError(
      await send(
        new Request(`${B}/paynet/api/v2/status/39915`, {
          method: 'POST',
          headers: { 'Content-Type': FORM },
          body: 'login=TestMerchant&client_orderid=ORD-1',
        }),
      ),
      'validation-error',
      'Parameter control is required',
      1,
      'ORD-1',
    )
    await expectError(
      await send(
        new Request(`${B}/paynet/api/v2/status/39915`, {
          method: 'POST',
          headers: { 'Content-Type': FORM },
          body: 'client_orderid=ORD-1',
        }),
      ),
      'validation-error',
      'Parameter login is required',
      1,
      'ORD-1',
    )
    await expectError(
      await send(
        new Request(`${B}/paynet/api/v2/status/39915`, { method: 'POST', body: new Uint8Array([0xff, 0x00, 0x80]) }),
      ),
      'validation-error',
      'Parameter login is required',
      1,
    )
  })

  it('by-request-sn shows the status as of that request', async () => {
    const created = fields(await (await payout(PAYOUT)).text())
    await sandbox.clock.advance('2s')
    const now = fields(await (await send(client.statusV2Request(B, { client_orderid: 'ORD-1' }))).text())
    expect(now.status).toBe('approved')
    const then = fields(
      await (
        await send(client.statusV2Request(B, { client_orderid: 'ORD-1', 'by-request-sn': created['serial-number'] }))
      ).text(),
    )
    expect(then).toMatchObject({ status: 'processing', 'by-request-sn': created['serial-number'] })
    await expectError(
      await send(client.statusV2Request(B, { client_orderid: 'ORD-1', 'by-request-sn': 'nope' })),
      'validation-error',
      'Request with serial number nope is not found',
      1,
      'ORD-1',
    )
  })
})

describe('faults from the common magic words', () => {
  it('SLOW answers after 5 s of clock time', async () => {
    const pending = payout({ ...PAYOUT, client_orderid: 'o-SLOW' })
    await new Promise((r) => setTimeout(r, 20))
    await sandbox.clock.advance('5s')
    expect(fields(await (await pending).text()).type).toBe('async-response')
  })

  it('the client helpers match the test merchant', () => {
    expect(TEST_MERCHANT).toMatchObject({ login: 'TestMerchant', endpointId: '39915', endpointGroupId: '777' })
    expect(
      client.statusControl({
        login: 'TestMerchant',
        clientOrderId: 'ORD-1',
        orderId: '6982864',
        controlKey: TEST_MERCHANT.controlKey,
      }),
    ).toBe(vectors.status_control[0].control)
    expect(client.parseResponse(SEED_SUCCESS_BODY)).toMatchObject({
      type: 'async-response',
      'paynet-order-id': '6982864',
    })
  })
})
