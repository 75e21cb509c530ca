// @ts-nocheck
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ecommpay } from '../../src/providers/ecommpay/client.js'
import { SANDBOX_OPTIONS } from './support.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'

/**
 * The Payment Page (`GET /payment?…&signature=…`) and the bank page: signed-query verification,
 * bank lists per `force_payment_method` / `split_banks` / `banks_id`, Approve / Decline / Abandon,
 * return URLs and the callbacks that follow. Stable selectors: `#bank-<id>`,
 * `#method-online-indian-banks`, `#approve`, `#decline`, `#abandon`, `#status`, `#code`.
 */
const B = 'http://localhost:8080'
const vectors = JSON.parse(readFileSync(new URL('../vectors/ecommpay.json', import.meta.url), 'utf8')) as {
  payment_page: Array<{ secret: string; project_id: number; url: string }>
}

let sandbox: Sandbox
let got: Array<Record<string, any>>
beforeEach(() => {
  got = []
  sandbox = createSandbox({ ...SANDBOX_OPTIONS, onCallback: (cb) => void got.push(JSON.parse(cb.body)) })
})
afterEach(() => sandbox.close())

const open = (url: string) => sandbox.fetch(new Request(url))
const form = (url: string, fields: Record<string, string>) =>
  sandbox.fetch(
    new Request(url.startsWith('/') ? `${B}${url}` : url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
  )
const pageUrl = (
  params: Record<string, string | number | boolean>,
  options: { encoding?: 'form' | 'uri-component' } = {},
) =>
  ecommpay.paymentPageUrl(
    {
      project_id: 112,
      payment_id: 'PP-1',
      payment_amount: 200000,
      payment_currency: 'INR',
      customer_id: 'customer123',
      merchant_callback_url: 'https://merchant.example/cb',
      ...params,
    },
    undefined,
    { baseUrl: B, ...options },
  )
const bankIds = (html: string) => [...html.matchAll(/id="bank-(\d+)"/g)].map((m) => Number(m[1]))

async function expectErrorPage(res: Response, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  const html = await res.text()
  expect(html).toContain(`<span id="code">${code}</span>`)
  return html
}

describe('opening the Payment Page', () => {
  it("the JS SDK's Payment Page URL (vectors/ecommpay.json) opens the bank list; one changed byte is refused with 3261", async () => {
    const v = vectors.payment_page[0]
    const url = v.url.replace('https://paymentpage.ecommpay.com', B)
    const res = await open(url)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<h1>Choose your bank</h1>') // force_payment_method=online-indian-banks
    expect(bankIds(html)).toEqual([401, 416, 408, 405, 414, 412, 406, 409, 402, 411, 404, 407, 410, 403, 415, 413])
    expect(html).toContain('2000.00 INR')
    await expectErrorPage(await open(url.replace('payment_id=X03936', 'payment_id=X03937')), 400, '3261')
    expect(sandbox.journal.list({ kind: 'request', limit: 1 })[0].auth?.explanation).toContain('payment_id:X03937')
  })

  it('accepts PHP form encoding (+ for spaces) and boolean words signed as 1 (Go SDK)', async () => {
    const php = pageUrl({ payment_description: 'B&W test payment' }, { encoding: 'form' })
    expect(php).toContain('payment_description=B%26W+test+payment')
    expect((await open(php)).status).toBe(200)
    const go = pageUrl({ close_on_missclick: true }).replace('close_on_missclick=1', 'close_on_missclick=true')
    expect((await open(go)).status).toBe(200)
  })

  it('by default the banks are one "Banks of India" button; split_banks gives one button per bank; banks_id limits them', async () => {
    const plain = await (await open(pageUrl({}))).text()
    expect(plain).toContain('id="method-online-indian-banks"')
    expect(bankIds(plain)).toEqual([])
    const split = await (
      await open(pageUrl({ payment_methods_options: '{"online_indian_banks": {"split_banks": true}}' }))
    ).text()
    expect(bankIds(split)).toHaveLength(16)
    const two = await (
      await open(
        pageUrl({ payment_methods_options: '{"online_indian_banks": {"split_banks": true, "banks_id": [416, 415]}}' }),
      )
    ).text()
    expect(bankIds(two)).toEqual([416, 415])
    const forcedTwo = await (
      await open(
        pageUrl({
          force_payment_method: 'online-indian-banks',
          payment_methods_options: '{"online_indian_banks": {"banks_id": "416, 415"}}',
        }),
      )
    ).text()
    expect(bankIds(forcedTwo)).toEqual([416, 415])
    expect(sandbox.transactions.list()).toHaveLength(0) // opening the page registers no payment
    const status = await sandbox.fetch(
      ecommpay.gateRequest(B, '/v2/payment/status', { general: { project_id: 112, payment_id: 'PP-1' } }),
    )
    expect((await status.json()).code).toBe('3061')
  })

  it("force_payment_method with one bank in banks_id goes straight to that bank (the seed's example)", async () => {
    const res = await open(
      pageUrl({
        force_payment_method: 'online-indian-banks',
        payment_methods_options: '{"online_indian_banks": {"banks_id": [416]}}',
      }),
    )
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/payment\/bank\/\d+$/)
    const bank = await (await open(`${B}${location}`)).text()
    expect(bank).toContain('Bank of Baroda')
    for (const id of ['approve', 'decline', 'abandon']) expect(bank).toContain(`id="${id}"`)
    // Opening the same URL again while it waits returns to the same bank page.
    const again = await open(
      pageUrl({
        force_payment_method: 'online-indian-banks',
        payment_methods_options: '{"online_indian_banks": {"banks_id": [416]}}',
      }),
    )
    expect(again.headers.get('location')).toBe(location)
  })
})

describe('the bank page', () => {
  it('choose the method, then the bank, then Approve: redirect to merchant_success_url and the success callback', async () => {
    const url = pageUrl({
      merchant_success_url: 'https://shop.example/ok',
      merchant_fail_url: 'https://shop.example/fail',
      payment_description: 'Order 7',
    })
    const chosen = await form(url, { bank_id: '' })
    expect(chosen.status).toBe(303)
    const bankPage = `${B}${chosen.headers.get('location')}`
    const list = await (await open(bankPage)).text()
    expect(list).toContain('<h1>Choose your bank</h1>')
    expect(bankIds(list)).toHaveLength(16)
    const picked = await form(bankPage, { bank_id: '412' })
    expect(picked.status).toBe(303)
    const confirm = await (await open(bankPage)).text()
    expect(confirm).toContain('HDFC Bank: confirm the payment')
    expect(confirm).toContain('id="approve"')
    const done = await form(bankPage, { action: 'approve' })
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe('https://shop.example/ok')
    await sandbox.clock.advance(0)
    await sandbox.callbacks.idle()
    expect(got).toHaveLength(1) // no redirect_data callback on the Payment Page
    expect(got[0].payment).toMatchObject({
      id: 'PP-1',
      type: 'purchase',
      status: 'success',
      description: 'Order 7',
      sum: { amount: 200000, currency: 'INR' },
    })
    expect(got[0].customer).toEqual({ id: 'customer123' })
    expect(ecommpay.verifyCallback(got[0])).toBe(true)
    // The page shows the result; a second press is refused; reopening the URL is a duplicate.
    expect(await (await open(bankPage)).text()).toContain('Status: success')
    expect((await form(bankPage, { action: 'decline' })).status).toBe(409)
    await expectErrorPage(await open(url), 409, '3041')
  })

  it('Decline: redirect to merchant_fail_url and a decline callback (code 20000, "decline")', async () => {
    const res = await form(
      pageUrl({
        merchant_fail_url: 'https://shop.example/fail',
        payment_methods_options: '{"online_indian_banks": {"split_banks": true}}',
      }),
      { bank_id: '403' },
    )
    const bankPage = `${B}${res.headers.get('location')}`
    const done = await form(bankPage, { action: 'decline' })
    expect(done.headers.get('location')).toBe('https://shop.example/fail')
    await sandbox.clock.advance(0)
    await sandbox.callbacks.idle()
    expect(got[0].operation).toMatchObject({ status: 'decline', code: '20000', message: 'decline' })
  })

  it('Abandon: nothing happens until the 60-minute threshold declines the purchase', async () => {
    const res = await form(pageUrl({ merchant_return_url: 'https://shop.example/back' }), { bank_id: '' })
    const bankPage = `${B}${res.headers.get('location')}`
    await form(bankPage, { bank_id: '401' })
    const left = await form(bankPage, { action: 'abandon' })
    expect(left.headers.get('location')).toBe('https://shop.example/back')
    await sandbox.clock.advance('59m')
    expect(got).toHaveLength(0)
    await sandbox.clock.advance('1m')
    expect(got[0].operation).toMatchObject({ status: 'decline', code: '20602' })
  })

  it('a Payment Page purchase with a magic customer_id is declined with that code', async () => {
    await form(pageUrl({ customer_id: 'c-DECLINE_20105' }), { bank_id: '' })
    await sandbox.clock.advance('2s')
    expect(got[0].operation).toMatchObject({ code: '20105', message: 'Insufficient funds on customer account' })
  })

  it('bad buttons and unknown pages answer in HTML, and the page keeps working', async () => {
    const res = await form(pageUrl({}), { bank_id: '' })
    const bankPage = `${B}${res.headers.get('location')}`
    expect((await form(bankPage, { action: 'approve' })).status).toBe(400) // no bank chosen yet
    expect((await form(bankPage, { bank_id: '999' })).status).toBe(400)
    await form(bankPage, { bank_id: '401' })
    expect((await form(bankPage, { action: 'explode' })).status).toBe(400)
    expect((await open(`${B}/payment/bank/12345`)).status).toBe(404)
    expect((await open(`${B}/payment/nothing/here`)).status).toBe(404)
    const raw = await sandbox.fetch(
      new Request(bankPage, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: new Uint8Array([0xff, 0x00, 0xfe]),
      }),
    )
    expect(raw.status).toBe(400)
    const approved = await form(bankPage, { action: 'approve' }) // no return URL: the result is shown
    expect(approved.status).toBe(200)
    expect(await approved.text()).toContain('Status: success')
  })
})

describe('Payment Page errors (HTML, with the code)', () => {
  it('missing or empty signature 3262, unknown project 2442, missing fields 2004, currency 3023/3121, amount 502', async () => {
    await expectErrorPage(
      await open(`${B}/payment?project_id=112&payment_id=a&payment_amount=1&payment_currency=INR&customer_id=c`),
      400,
      '3262',
    )
    await expectErrorPage(await open(`${B}/payment?project_id=112&payment_id=a&signature=`), 400, '3262')
    await expectErrorPage(await open(pageUrl({ project_id: 999 })), 400, '2442')
    await expectErrorPage(await open(`${B}/payment?payment_id=a`), 400, '2004')
    const noCustomer = ecommpay.paymentPageUrl(
      { project_id: 112, payment_id: 'x', payment_amount: 100, payment_currency: 'INR' },
      undefined,
      { baseUrl: B },
    )
    const html = await expectErrorPage(await open(noCustomer), 400, '2004')
    expect(html).toContain('customer_id')
    await expectErrorPage(await open(pageUrl({ payment_currency: 'USD' })), 400, '3023')
    await expectErrorPage(await open(pageUrl({ payment_currency: 'rupee' })), 400, '3121')
    await expectErrorPage(await open(pageUrl({ payment_amount: '12.50' })), 400, '502')
    await expectErrorPage(await open(pageUrl({ payment_amount: '9'.repeat(400) })), 400, '502')
  })

  it('another method 2541, bad payment_methods_options 502, unknown banks_id 2801; HTML escapes what it echoes', async () => {
    await expectErrorPage(await open(pageUrl({ force_payment_method: 'card' })), 400, '2541')
    await expectErrorPage(await open(pageUrl({ payment_methods_options: '{not json' })), 400, '502')
    await expectErrorPage(
      await open(pageUrl({ payment_methods_options: '{"online_indian_banks": {"banks_id": [999]}}' })),
      400,
      '2801',
    )
    const html = await (await open(pageUrl({ payment_description: '<script>alert(1)</script>' }))).text()
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&lt;script&gt;')
    expect((await open(pageUrl({ payment_id: 'after-errors' }))).status).toBe(200)
  })
})
