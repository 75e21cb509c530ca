import { afterEach, describe, expect, it } from 'vitest'
import { bankconnect } from '../../src/providers/bankconnect/client.js'
import { sameBytes } from '../../src/wire/compare.js'
import { BodyLimitError, checkFormLimits, checkJsonLimits, parseJson } from '../../src/wire/limits.js'
import { CONNECX, connecxPayment, connecxQuery, seedPayIn } from '../helpers.js'
import { ECOMMPAY_SECRET, jsonPost, served } from './support.js'
import { ecommpay } from '../../src/client.js'

/**
 * Finding 2 (deeply nested JSON was stored and broke every later JSON.stringify) and finding 3
 * (non-ASCII authentication values answered 500), over a real socket.
 */
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

describe('body limits (src/wire/limits.ts)', () => {
  it('refuses nesting past 64, more than 10,000 values and strings over 256 KiB, with the reason', () => {
    expect(() => checkJsonLimits(nested(64))).not.toThrow()
    expect(() => checkJsonLimits(nested(65))).toThrow(
      /nests 65 levels deep at character 65; the sandbox reads at most 64/,
    )
    expect(() => checkJsonLimits(`[${'1,'.repeat(10_000)}1]`)).toThrow(/more than 10000 values/)
    expect(() => checkJsonLimits(JSON.stringify({ a: 'x'.repeat(262_145) }))).toThrow(/262145 characters long/)
    expect(() => checkJsonLimits('"[[[[[[[[[[["', { maxDepth: 2, maxFields: 10, maxStringLength: 20 })).not.toThrow()
    expect(() => parseJson(nested(20_000))).toThrow(BodyLimitError)
  })

  it('BodyLimitError is a SyntaxError, so existing "not JSON" refusals apply', () => {
    expect(() => parseJson(nested(100))).toThrow(SyntaxError)
    expect(() => checkFormLimits(Array.from({ length: 10_001 }, (_, i) => [`f${i}`, 'v']))).toThrow(
      /more than 10000 fields/,
    )
  })
})

describe('deeply nested bodies are refused in the provider format and never stored', () => {
  it('Connecx: a 20,000-deep payInfo answers 422 E3000; nothing stored; the admin API still answers', async () => {
    const { sandbox, server } = await served()
    cleanups.push(() => server.close())
    const body = { ...seedPayIn(), paymentRef: 'DEEP1' }
    const signed = connecxPayment(server.url, 'bdpayin', body)
    const text = JSON.stringify(body).replace('"payInfo":{', `"payInfo":{"x":${nested(20_000)},`)
    const res = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: text })
    expect(res.status).toBe(422)
    expect(await res.text()).toBe('{"msgCode":"E3000","msgText":"Bad Request Error"}')
    expect(sandbox.transactions.list()).toHaveLength(0)
    expect(sandbox.journal.list({ provider: 'connecx', limit: 1 })[0]!.notes.join(' ')).toMatch(/nests 65 levels/)
    expect((await fetch(`${server.url}/_sandbox/transactions`)).status).toBe(200)
  })

  it('PayAtom: a deep body answers {"status":"error","message":"Invalid JSON"}; nothing stored', async () => {
    const { sandbox, server } = await served()
    cleanups.push(() => server.close())
    const text = `{"pid":"000000000000","order_id":"DEEP2","amount":"100","x":${nested(5000)}}`
    const res = await fetch(`${server.url}/api/request.php`, { method: 'POST', body: text })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('{"status":"error","message":"Invalid JSON"}')
    expect(sandbox.transactions.list()).toHaveLength(0)
  })

  it('ECommPay: a deep body answers its 400 error envelope; nothing stored', async () => {
    const { sandbox, server } = await served()
    cleanups.push(() => server.close())
    const res = await fetch(`${server.url}/v2/payment/banks/india/sale`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"general":{"project_id":112,"payment_id":"DEEP3"},"x":${nested(5000)}}`,
    })
    expect(res.status).toBeLessThan(500)
    expect(JSON.parse(await res.text())).toMatchObject({ status: 'error', code: '2003' })
    expect(sandbox.transactions.list()).toHaveLength(0)
  })

  it('Bankconnect: a deep decrypted payout list answers SUCC202 in its encrypted format; nothing stored', async () => {
    const { sandbox, server } = await served()
    cleanups.push(() => server.close())
    const form = new FormData()
    form.set('end_point_url', 'http://127.0.0.1:9/cb')
    form.set('enc_payout_json', bankconnect.encrypt(nested(5000)))
    const res = await fetch(`${server.url}/apisecure/payoutTransactionSecureIV`, {
      method: 'POST',
      headers: {
        'X-API-KEY': 'BANKCONNECT_1890',
        Authorization: 'Basic YmFua2Nvbm5lY3RfMS4yXzE4OTA6Y29ubmVjdGJhbmtfMS4yXzE4OTA=',
        'User-token': 'MDAzNTo6MzVramZraDQ1',
      },
      body: form,
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/SUCC202|^[A-Za-z0-9+/=]+$/)
    expect(sandbox.transactions.list()).toHaveLength(0)
  })
})

describe('constant-time comparison on bytes (src/wire/compare.ts)', () => {
  it('sameBytes: equal bytes true; a different length or non-ASCII is false, never a throw', () => {
    expect(sameBytes('abc', 'abc')).toBe(true)
    expect(sameBytes('abc', 'abd')).toBe(false)
    expect(sameBytes('é', 'ab')).toBe(false) // 2 bytes each in UTF-8 would compare; é is 2 bytes, "ab" 2
    expect(sameBytes('é'.repeat(64), 'a'.repeat(64))).toBe(false)
    expect(sameBytes('', 'a')).toBe(false)
    expect(sameBytes(Buffer.from([1, 2]), Buffer.from([1, 2]))).toBe(true)
  })

  it('non-ASCII credentials are ordinary authentication failures in each provider format', async () => {
    const { sandbox, server } = await served()
    cleanups.push(() => server.close())
    const weird = 'é'.repeat(64)
    const payin = await fetch(
      connecxPayment(server.url, 'bdpayin', { ...seedPayIn(), paymentRef: 'NA1' }, { token: weird }),
    )
    expect([payin.status, await payin.text()]).toEqual([
      422,
      '{"msgCode":"E2004","msgText":"Invalid transaction authorization"}',
    ])
    const q = connecxQuery(server.url, '/txn/123', [CONNECX.merchantId, '123', CONNECX.apiKey])
    q.headers.set('X-paymesh-authz', weird)
    const txn = await fetch(q)
    expect(txn.status).toBe(422)
    expect(await txn.text()).toMatch(/^\{"msgCode":"E2004"/)

    const v2 = await fetch(
      jsonPost(
        `${server.url}/api/v2/request.php`,
        { pid: '000000000000', order_id: 'NA2', amount: '1' },
        {
          'X-Api-Key': 'payatom-sandbox-api-k\u00e9y',
        },
      ),
    )
    expect(await v2.text()).toBe('{"status":"error","message":"Invalid API key"}')

    const user = await fetch(`${server.url}/apisecure/payoutTransactionSecureIV`, {
      method: 'POST',
      headers: {
        'X-API-KEY': 'BANKCONNECT_1890',
        Authorization: 'Basic YmFua2Nvbm5lY3RfMS4yXzE4OTA6Y29ubmVjdGJhbmtfMS4yXzE4OTA=',
        'User-token': 'MDAzNTo6MzVramZra\u00ffQ1',
      },
      body: new URLSearchParams({ end_point_url: 'http://127.0.0.1:9/cb', enc_payout_json: bankconnect.encrypt('[]') }),
    })
    expect(user.status).toBe(200)
    expect(await user.text()).toMatch(/Invalid User Token/)

    const body = ecommpay.signGateRequest(
      { general: { project_id: 112, payment_id: 'NA3' }, payment: { amount: 1, currency: 'INR' } },
      ECOMMPAY_SECRET,
    )
    ;(body.general as Record<string, unknown>).signature = 'ü'.repeat(88)
    const gate = await fetch(jsonPost(`${server.url}/v2/payment/status`, body))
    expect(gate.status).toBeLessThan(500)
    expect(sandbox.transactions.list()).toHaveLength(0)
  })
})
