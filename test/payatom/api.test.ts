import { describe, expect, it } from 'vitest'
import { payatom as client } from '../../src/providers/payatom/client.js'
import { payatomPollingHash, payatomPostHash } from '../../src/providers/payatom/crypto.js'
import {
  API_KEY,
  B,
  errorText,
  json,
  PID,
  post,
  postV2,
  polling,
  sandboxWith,
  SECRET,
  SEED_HOSTED,
  upi,
  AUTO,
  customerPresses,
  SEED_EXAMPLE,
  withMerchant,
} from './support.js'

const lastEntry = (s: ReturnType<typeof sandboxWith>) => s.journal.list({ kind: 'request', limit: 1 })[0]
const hosted = (order: string, extra: Record<string, unknown> = {}) => ({
  pid: PID,
  amount: '1',
  order_id: order,
  phone: '9000000000',
  email: 'anushk@gmail.com',
  name: 'Anushk',
  ...extra,
})

async function expectError(res: Response, message: string, status = 200) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
  expect(await res.text()).toBe(errorText(message))
}

describe('hosted pay-in (/pay/request.php → /pay/connect.php?code=)', () => {
  it('refuses the seed\'s example as printed by default: its order_id "20" breaks the seed\'s own rule (at least 10 characters)', async () => {
    const s = sandboxWith()
    const res = await s.fetch(post('/pay/request.php', SEED_HOSTED))
    expect(await res.text()).toBe('{"status":"error","message":"order_id must be at least 10 characters long"}')
    const entry = s.journal.list({ kind: 'request', limit: 1 })[0]
    expect(entry.rule).toMatch(/^seed rule order_id-min-length \(seed 001 l\.59/)
    expect(entry.notes.join('\n')).toContain('{"relaxedRules":["order_id-min-length"]}')
    expect(s.transactions.list()).toHaveLength(0)
  })

  it("answers the seed's request byte for byte in the 2023 shape, and the page shows UPI id, payment string and the three buttons", async () => {
    const s = sandboxWith(SEED_EXAMPLE) // the merchant relaxes order_id-min-length to replay the seed's "20"
    const res = await s.fetch(post('/pay/request.php', SEED_HOSTED))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const text = await res.text()
    expect(text).toMatch(/^\{"hash_value":"[0-9a-f]{64}","status":"ok"\}$/)
    const code = JSON.parse(text).hash_value
    const page = await s.fetch(new Request(`${B}/pay/connect.php?code=${code}`))
    const html = await page.text()
    expect(page.status).toBe(200)
    for (const part of [
      'payatom.sandbox@upi',
      'upi://pay?pa=payatom.sandbox@upi&amp;pn=PayAtom&amp;am=1&amp;tn=20&amp;cu=INR&amp;mc=5411',
      'value="approve"',
      'value="decline"',
      'value="timeout"',
      'Status: Pending',
    ])
      expect(html).toContain(part)
    expect(s.transactions.list()[0]).toMatchObject({ reference: '20', providerRef: code, status: 'pending', amount: 1 })
    expect(html).toMatch(/<div id="qr"[^>]*><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+">/) // the UPI string as a QR code
  })

  it('waits for the customer: nothing after 2 s; Approve / Decline / Timeout buttons decide; 15 minutes untouched → User Timed Out', async () => {
    const s = sandboxWith()
    const codes: string[] = []
    for (const o of ['ORDHOSTED01', 'ORDHOSTED02', 'ORDHOSTED03', 'ORDHOSTED04'])
      codes.push(
        (
          await json(
            await s.fetch(post('/pay/request.php', hosted(o, { redirect_url: 'https://merchant.example/back' }))),
          )
        ).hash_value,
      )
    await s.clock.advance('2s')
    const status = async (code: string) => (await json(await s.fetch(polling(code)))).status
    expect(await status(codes[0])).toBe('Pending')
    const press = (code: string, action: string) =>
      s.fetch(
        new Request(`${B}/pay/connect.php?code=${code}`, { method: 'POST', body: new URLSearchParams({ action }) }),
      )
    const approved = await press(codes[0], 'approve')
    expect(approved.status).toBe(303)
    expect(approved.headers.get('location')).toBe('https://merchant.example/back')
    await press(codes[1], 'decline')
    await press(codes[2], 'timeout')
    expect([await status(codes[0]), await status(codes[1]), await status(codes[2])]).toEqual([
      'Approved',
      'Declined',
      'User Timed Out',
    ])
    const again = await press(codes[0], 'decline')
    expect(again.status).toBe(409)
    expect((await press(codes[3], 'dance')).status).toBe(200)
    await s.clock.advance('15m')
    expect(await status(codes[3])).toBe('User Timed Out')
    expect((await s.fetch(new Request(`${B}/pay/connect.php?code=nope`))).status).toBe(404)
  })

  it('also takes GET with query fields (the IMPS/P2C pages say GET) and Bangladesh wallet_type', async () => {
    const s = sandboxWith()
    const q = new URLSearchParams(hosted('ORDGET00001', { wallet_type: 'bkash' }) as Record<string, string>)
    const body = await json(await s.fetch(new Request(`${B}/pay/request.php?${q}`)))
    expect(body.status).toBe('ok')
    const html = await (await s.fetch(new Request(`${B}/pay/connect.php?code=${body.hash_value}`))).text()
    expect(html).toContain('bKash 01700000001')
  })

  it('v2: X-Api-Key + signature, answers ref_code and redirect_url', async () => {
    const s = sandboxWith()
    const fields = {
      ...hosted('ORDV2HOSTED1'),
      amount: 100,
      redirect_url: 'https://merchant.example/return',
      ip: '10.0.0.1',
      latitude: '28.7041',
      longitude: '77.1025',
      customer_id: 'CUST001',
    }
    const text = await (await s.fetch(postV2('/pay/v2/request.php', fields))).text()
    const body = JSON.parse(text)
    expect(Object.keys(body)).toEqual(['status', 'ref_code', 'redirect_url', 'amount'])
    expect(text).toContain(`"redirect_url":"http:\\/\\/localhost:8080\\/pay\\/connect.php?code=${body.ref_code}"`)
    expect(body.amount).toBe(100)
    await expectError(
      await s.fetch(post('/pay/v2/request.php', client.signV2(fields, SECRET))),
      'X-Api-Key header is required',
    )
    await expectError(
      await s.fetch(postV2('/pay/v2/request.php', { ...fields, order_id: 'X2' }, { 'X-Api-Key': 'wrong' })),
      'Invalid API key',
    )
    await expectError(
      await s.fetch(post('/pay/v2/request.php', { ...fields, order_id: 'X3' }, { 'X-Api-Key': API_KEY })),
      'signature not provided',
    )
    await expectError(
      await s.fetch(
        post('/pay/v2/request.php', { ...fields, order_id: 'X4', signature: 'f'.repeat(64) }, { 'X-Api-Key': API_KEY }),
      ),
      'Invalid signature',
    )
    await expectError(
      await s.fetch(postV2('/pay/v2/request.php', { ...fields, redirect_url: undefined, order_id: 'X5' })),
      'redirect_url is required field',
    )
    await expectError(
      await s.fetch(new Request(`${B}/pay/v2/request.php`, { headers: { 'X-Api-Key': API_KEY } })),
      'Only POST method is allowed',
    )
  })

  it("refuses bad input with PayAtom's messages, and the duplicate with the 2023 wording", async () => {
    const s = sandboxWith(SEED_EXAMPLE)
    await s.fetch(post('/pay/request.php', SEED_HOSTED))
    await expectError(await s.fetch(post('/pay/request.php', SEED_HOSTED)), 'Duplicate order_id Found')
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), pid: undefined })),
      'pid is required field',
    )
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), amount: 0 })),
      'amount is required field',
    )
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), order_id: '' })),
      'order_id is required field',
    )
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), name: undefined })),
      'name is required field',
    )
    await expectError(await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), pid: '999' })), 'invalid pid')
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), amount: '-5' })),
      'invalid amount',
    )
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), amount: '1e400' })),
      'invalid amount',
    )
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), amount: 1.234 })),
      'invalid amount',
    )
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), order_id: ['x'] })),
      'invalid order_id',
    )
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), name: 'n'.repeat(100_000) })),
      'invalid name',
    )
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), wallet_type: 'PayPal' })),
      "We support only 'Nagad', 'Rocket', 'bKash', 'Upay'",
    )
    await expectError(
      await s.fetch(post('/pay/request.php', { ...hosted('A100000001'), redirect_url: 'javascript:alert(1)' })),
      'invalid redirect_url',
    )
    await expectError(await s.fetch(post('/pay/request.php', '{"pid":')), 'Invalid JSON')
    await expectError(await s.fetch(post('/pay/request.php', '[1,2]')), 'Invalid JSON')
    await expectError(await s.fetch(post('/pay/request.php', new Uint8Array([0xc3, 0x28]))), 'Invalid JSON')
    await expectError(
      await s.fetch(
        new Request(`${B}/pay/request.php`, {
          method: 'POST',
          headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
          body: '--x\r\n\r\n--x--',
        }),
      ),
      'Invalid JSON',
    )
    expect(lastEntry(s).notes.join(' ')).toContain('multipart/form-data')
    await s.merchants.patch('payatom', PID, { relaxedRules: [] })
    await expectError(
      await s.fetch(post('/pay/request.php', hosted('SHORT'))),
      'order_id must be at least 10 characters long',
    )
    expect(s.transactions.list()).toHaveLength(1)
    // A JSON body with another Content-Type is read (PHP ignores it) and noted.
    const plain = await s.fetch(
      new Request(`${B}/pay/request.php`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify(hosted('PLAINTEXT001')),
      }),
    )
    expect((await json(plain)).status).toBe('ok')
    expect(lastEntry(s).notes.join(' ')).toContain('text/plain')
  })
})

describe('seamless pay-ins (/api/request.php, /api/v2/request.php)', () => {
  it("UPI v1: the 2023 shape with the PHP-escaped UPI string; waits for the customer's UPI approval", async () => {
    // The 2023 example's order_id "6876mhn" is shorter than the 10 characters PayAtom asks for.
    const s = sandboxWith(SEED_EXAMPLE)
    const text = await (
      await s.fetch(post('/api/request.php', { pid: PID, order_id: '6876mhn', amount: '8128', upi_id: 'customer@upi' }))
    ).text()
    expect(text).toMatch(
      /^\{"ref_code":"[0-9a-f]{64}","qr_code":"upi:\\\/\\\/pay\?pa=payatom.sandbox@upi&pn=PayAtom&am=8128&tn=6876mhn&cu=INR&mc=5411","status":"success"\}$/,
    )
    await s.clock.advance('14m')
    expect(s.transactions.list()[0]).toMatchObject({ status: 'pending', currency: 'INR' })
    // connect.php stands in for the customer's UPI app: its Approve button is a plain form POST.
    expect((await s.fetch(customerPresses(JSON.parse(text).ref_code, 'approve'))).status).toBe(200)
    expect(s.transactions.list()[0]).toMatchObject({ status: 'approved', currency: 'INR' })
  })

  it('a seamless pay-in nobody approves becomes User Timed Out after 15 minutes; customer: auto approves it after 2 s', async () => {
    const s = sandboxWith()
    const waiting = await json(await s.fetch(post('/api/request.php', upi('ORDWAITING01'))))
    await s.clock.advance('15m')
    expect((await json(await s.fetch(polling(waiting.ref_code)))).status).toBe('User Timed Out')
    await s.merchants.patch('payatom', PID, { customer: 'auto' })
    const auto = await json(await s.fetch(post('/api/request.php', upi('ORDAUTOMATIC1'))))
    await s.clock.advance('2s')
    expect((await json(await s.fetch(polling(auto.ref_code)))).status).toBe('Approved')
  })

  it('UPI v2: status, ref_code, qr_code, redirect_url, amount, receiverVPA', async () => {
    const s = sandboxWith()
    const body = await json(
      await s.fetch(
        postV2('/api/v2/request.php', {
          pid: PID,
          amount: 100,
          order_id: 'ORDV2UPI0001',
          upi_id: 'customer@upi',
          ip: '1.2.3.4',
        }),
      ),
    )
    expect(Object.keys(body)).toEqual(['status', 'ref_code', 'qr_code', 'redirect_url', 'amount', 'receiverVPA'])
    expect(body).toMatchObject({ status: 'success', amount: 100, receiverVPA: 'payatom.sandbox@upi' })
  })

  it('IMPS, Bangladesh wallet and Pakistan H2H answers', async () => {
    const s = sandboxWith()
    expect(
      await json(
        await s.fetch(
          post('/api/request.php', { pid: PID, order_id: 'ORDIMPS0001', amount: 500, payment_mode: 'imps' }),
        ),
      ),
    ).toMatchObject({ status: 'success', account_number: '50100087654321', ifsc: 'HDFC0000001', amount: 500 })
    const bd = await json(
      await s.fetch(
        post('/api/request.php', {
          pid: PID,
          order_id: 'ORDBD000001',
          amount: 500,
          wallet_type: 'Nagad',
          name: 'N',
          email: 'n@x.bd',
          phone: '01700000000',
        }),
      ),
    )
    expect(Object.keys(bd)).toEqual(['status', 'ref_code', 'wallet_id', 'wallet_type', 'amount', 'redirect_url'])
    expect(bd).toMatchObject({ wallet_id: '01800000002', wallet_type: 'Nagad' })
    const pk = await s.fetch(
      post('/api/request.php', {
        pid: PID,
        amount: 60,
        order_id: 'ORDPK000001',
        name: 'A',
        email: 'a@b.pk',
        phone: '03001234567',
        pak_wallet: 'JAZZCASH',
        account_number: '03001234567',
      }),
    )
    expect(await pk.text()).toMatch(
      /^\{"status":"success","ref_code":"[0-9a-f]{64}","amount":60,"wallet":"JAZZCASH"\}$/,
    )
    expect(s.transactions.list().map((t) => t.currency)).toEqual(['PKR', 'BDT', 'INR'])
  })

  it("Pakistan's documented error messages, verbatim", async () => {
    const s = sandboxWith()
    const pk = { pid: PID, amount: 60, order_id: 'ORDPK000002', pak_wallet: 'JAZZCASH', account_number: '03001234567' }
    await s.fetch(post('/api/request.php', pk))
    await expectError(await s.fetch(post('/api/request.php', { ...pk, pid: undefined })), 'pid is required field')
    await expectError(await s.fetch(post('/api/request.php', { ...pk, amount: undefined })), 'amount is required field')
    await expectError(
      await s.fetch(post('/api/request.php', { ...pk, order_id: undefined })),
      'order_id is required field',
    )
    await expectError(
      await s.fetch(post('/api/request.php', { ...pk, order_id: 'N100000001', pak_wallet: 'PAYPAL' })),
      "We support only 'JAZZCASH', 'EASYPAISA'",
    )
    await expectError(
      await s.fetch(post('/api/request.php', { ...pk, order_id: 'N200000002', account_number: undefined })),
      'account_number is required when pak_wallet is provided',
    )
    await expectError(
      await s.fetch(post('/api/request.php', { ...pk, order_id: 'N300000003', account_number: '0412' })),
      'invalid account_number',
    )
    await expectError(await s.fetch(post('/api/request.php', pk)), 'Duplicate order_id found')
    await expectError(await s.fetch(post('/api/request.php', { ...pk, pid: 'nobody' })), 'invalid pid')
    await expectError(
      await s.fetch(post('/api/request.php', { ...upi('N400000004'), upi_id: 'not a vpa' })),
      'invalid upi_id',
    )
    await expectError(await s.fetch(new Request(`${B}/api/request.php`)), 'Only POST method is allowed')
  })

  it('every native status is reachable by magic order_id words', async () => {
    const s = sandboxWith()
    const words: Record<string, string> = {
      ORDLATE00001: 'Late Approved',
      ORDMISMATCH1: 'Amount Mismatch',
      ORDNOUTR0001: 'No Matching Payment for UTR',
      ORDCANCEL001: 'Cancelled',
      ORDDECLINE01: 'Declined',
      ORDFAIL00001: 'Failed',
      ORDPENDING01: 'Pending',
      ORDPLAIN0001: 'Pending', // no magic word: waits for the customer
    }
    const refs: Record<string, string> = {}
    for (const o of [...Object.keys(words), 'ORDTIMEOUT01'])
      refs[o] = (await json(await s.fetch(post('/api/request.php', upi(o))))).ref_code
    await s.clock.advance('2s')
    for (const [o, status] of Object.entries(words))
      expect([o, (await json(await s.fetch(polling(refs[o])))).status]).toEqual([o, status])
    const mismatch = await json(await s.fetch(polling(refs.ORDMISMATCH1)))
    expect(mismatch).toMatchObject({ requested_amount: '100', received_amount: '50' })
    expect((await json(await s.fetch(polling(refs.ORDTIMEOUT01)))).status).toBe('Pending')
    await s.clock.advance('15m')
    expect(await json(await s.fetch(polling(refs.ORDTIMEOUT01)))).toMatchObject({
      status: 'User Timed Out',
      received_amount: '0',
    })
    // The admin API reaches the rest (User Timed Out → Late Approved after reconciliation).
    const tx = s.transactions.list({ reference: 'ORDTIMEOUT01' })[0]
    await s.transactions.transition(tx.id, 'Late Approved')
    expect((await json(await s.fetch(polling(refs.ORDTIMEOUT01)))).status).toBe('Late Approved')
  })

  it('HANG never answers; SLOW answers after 5 s of clock time', async () => {
    const s = sandboxWith()
    let done = false
    const slow = s.fetch(post('/api/request.php', upi('ORDSLOW0001'))).then((r) => ((done = true), r))
    await s.clock.advance('4s')
    expect(done).toBe(false)
    await s.clock.advance('1s')
    expect((await json(await slow)).status).toBe('success')
    const controller = new AbortController()
    const hang = s.fetch(
      new Request(`${B}/api/request.php`, {
        method: 'POST',
        body: JSON.stringify(upi('ORDHANG0001')),
        signal: controller.signal,
      }),
    )
    await s.clock.advance('1m')
    controller.abort()
    expect((await hang).status).toBe(504)
    expect(s.transactions.list({ reference: 'ORDHANG0001' })).toHaveLength(0)
  })
})

describe('UTR submission', () => {
  it('records the UTR as bank_ref; refuses bad, duplicate and unknown ones', async () => {
    const s = sandboxWith()
    const { ref_code } = await json(await s.fetch(post('/api/request.php', upi('ORDPENDING02'))))
    const res = await json(await s.fetch(post('/api/collection_utr.php', { pid: PID, ref_code, utr: '412345678901' })))
    expect(res).toEqual({
      status: 'success',
      message: 'UTR submitted successfully',
      order_id: 'ORDPENDING02',
      ref_code,
      utr: '412345678901',
    })
    expect((await json(await s.fetch(polling(ref_code)))).bank_ref).toBe('412345678901')
    await expectError(
      await s.fetch(post('/api/collection_utr.php', { pid: PID, ref_code, utr: '412345678902' })),
      'UTR already submitted',
    )
    await expectError(
      await s.fetch(post('/api/collection_utr.php', { pid: PID, ref_code, utr: '12AB' })),
      'invalid utr',
    )
    await expectError(
      await s.fetch(post('/api/collection_utr.php', { pid: PID, ref_code: 'f'.repeat(64), utr: '412345678903' })),
      'Reference code not found.',
    )
    await expectError(await s.fetch(post('/api/collection_utr.php', { pid: PID, ref_code })), 'utr is required field')
    const other = await json(await s.fetch(post('/api/request.php', upi('ORDPENDING03'))))
    await expectError(
      await s.fetch(postV2('/api/v2/collection_utr.php', { pid: PID, order_id: 'ORDPENDING03', utr: '412345678901' })),
      'Duplicate UTR',
    )
    expect(
      (
        await json(
          await s.fetch(
            postV2('/api/v2/collection_utr.php', { pid: PID, ref_code: other.ref_code, utr: '499999999999' }),
          ),
        )
      ).status,
    ).toBe('success')
  })
})

describe('status polling', () => {
  it("answers the seed's keys (plus the 2023 ones) with a post_hash over received_amount", async () => {
    const s = sandboxWith()
    const { ref_code } = await json(await s.fetch(post('/api/request.php', upi('ORD1234567890', { amount: 100.0 }))))
    await s.fetch(customerPresses(ref_code, 'approve'))
    const text = await (await s.fetch(polling(ref_code))).text()
    const body = JSON.parse(text)
    expect(Object.keys(body)).toEqual([
      'order_id',
      'upi_id',
      'amount',
      'requested_amount',
      'received_amount',
      'bank_ref',
      'webhook_acknowledged',
      'sender_upi',
      'status',
      'post_hash',
      'refund_info',
    ])
    expect(body).toMatchObject({
      order_id: 'ORD1234567890',
      upi_id: 'payatom.sandbox@upi',
      amount: '100',
      webhook_acknowledged: '0',
      status: 'Approved',
      refund_info: [],
    })
    expect(client.verifyWebhook(body, SECRET)).toBe(true)
  })

  it('the 2023 form-encoded request by order_id works; a + turned into a space is refused and named', async () => {
    const s = sandboxWith()
    await s.fetch(post('/api/request.php', upi('ORD1234567890')))
    const hash = payatomPollingHash({ reference: 'ORD1234567890', pid: PID, secretKey: SECRET })
    let postHash = payatomPostHash(hash, SECRET)
    while (!postHash.includes('+')) postHash = payatomPostHash(hash, SECRET)
    const form = (value: string) =>
      new Request(`${B}/api/status_polling.php`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: value,
      })
    const good = await json(
      await s.fetch(form(new URLSearchParams({ pid: PID, order_id: 'ORD1234567890', post_hash: postHash }).toString())),
    )
    expect(good.order_id).toBe('ORD1234567890')
    await expectError(
      await s.fetch(form(`pid=${PID}&order_id=ORD1234567890&post_hash=${postHash}`)),
      'Invalid post_hash',
    )
    expect(lastEntry(s).auth?.explanation).toContain('form-urlencoded without URL-encoding')
  })

  it('errors: missing fields, unknown pid, bad hash, unknown reference; v2 needs X-Api-Key', async () => {
    const s = sandboxWith()
    const { ref_code } = await json(await s.fetch(post('/api/request.php', upi('ORD1234567890'))))
    await expectError(
      await s.fetch(post('/api/status_polling.php', { ref_code, post_hash: 'x' })),
      'pid is required field',
    )
    await expectError(
      await s.fetch(post('/api/status_polling.php', { pid: PID, post_hash: 'x' })),
      'ref_code is required field',
    )
    await expectError(
      await s.fetch(post('/api/status_polling.php', { pid: PID, ref_code })),
      'post_hash is required field',
    )
    await expectError(
      await s.fetch(post('/api/status_polling.php', { pid: 'x', ref_code, post_hash: 'x' })),
      'invalid pid',
    )
    await expectError(
      await s.fetch(post('/api/status_polling.php', { pid: PID, ref_code, post_hash: 'AAAA' })),
      'Invalid post_hash',
    )
    expect(lastEntry(s).auth?.explanation).toContain('too short')
    await expectError(await s.fetch(polling('e'.repeat(64))), 'Reference code not found.')
    await expectError(await s.fetch(polling(ref_code, '/api/v2/status_polling.php')), 'X-Api-Key header is required')
    expect(
      (await json(await s.fetch(polling(ref_code, '/api/v2/status_polling.php', { 'X-Api-Key': API_KEY })))).order_id,
    ).toBe('ORD1234567890')
    await expectError(
      await s.fetch(polling(ref_code, '/api/v2/status_polling.php', { 'X-Api-Key': 'nope' })),
      'Invalid API key',
    )
    await expectError(await s.fetch(post('/api/status_polling.php', 'garbage{')), 'Invalid JSON')
  })
})

describe('payouts', () => {
  const imps = (order: string, extra: Record<string, unknown> = {}) => ({
    payment_mode: 'imps',
    pid: PID,
    order_id: order,
    amount: 500,
    account_holder: 'Ravi Kumar',
    account_no: '1234567890',
    bank: 'HDFC Bank',
    ifsc: 'HDFC0001234',
    ...extra,
  })

  it('IMPS, UPI and wallet payouts, v1 and v2; status polling shows Pending then Approved', async () => {
    const s = sandboxWith()
    const a = await s.fetch(post('/payout/api/request.php', imps('PAYOUT00001')))
    expect(await a.text()).toMatch(
      /^\{"status":"success","message":"Payout request accepted","order_id":"PAYOUT00001","ref_code":"[0-9a-f]{64}"\}$/,
    )
    expect(
      (
        await json(
          await s.fetch(
            post('/payout/api/request.php', {
              payment_mode: 'upi',
              pid: PID,
              order_id: 'PAYOUT00002',
              amount: 10,
              upi_id: 'r@upi',
              account_holder: 'R',
            }),
          ),
        )
      ).status,
    ).toBe('success')
    expect(
      (
        await json(
          await s.fetch(
            post('/payout/api/request.php', {
              payment_mode: 'wallet',
              pid: PID,
              order_id: 'PAYOUT00003',
              amount: 10,
              account_no: '01711111111',
              wallet_type: 'Bkash',
            }),
          ),
        )
      ).status,
    ).toBe('success')
    const v2 = await json(await s.fetch(postV2('/payout/api/v2/request.php', imps('PAYOUT00004'))))
    const pollPayout = (ref: string, path = '/payout/api/status_polling.php', h: Record<string, string> = {}) =>
      s.fetch(polling(ref, path, h))
    const before = await json(await pollPayout(v2.ref_code))
    expect(Object.keys(before)).toEqual([
      'order_id',
      'ref_code',
      'amount',
      'status',
      'utr',
      'webhook_acknowledged',
      'post_hash',
    ])
    expect(before).toMatchObject({ status: 'Pending', utr: '', amount: '500' })
    await s.clock.advance('2s')
    const after = await json(
      await pollPayout(v2.ref_code, '/payout/api/v2/status_polling.php', { 'X-Api-Key': API_KEY }),
    )
    expect(after.status).toBe('Approved')
    expect(after.utr).toMatch(/^\d{12}$/)
    expect(client.verifyWebhook(after, SECRET)).toBe(true)
    // a pay-in ref_code is not a payout
    const payin = await json(await s.fetch(post('/api/request.php', upi('ORD1234567890'))))
    await expectError(await pollPayout(payin.ref_code), 'Reference code not found.')
  })

  it('DECLINE / FAIL / TIMEOUT payouts', async () => {
    const s = sandboxWith()
    const refs = []
    for (const o of ['PAYDECLINE01', 'PAYFAIL00001', 'PAYTIMEOUT01'])
      refs.push((await json(await s.fetch(post('/payout/api/request.php', imps(o))))).ref_code)
    await s.clock.advance('2s')
    const st = async (r: string) => (await json(await s.fetch(polling(r, '/payout/api/status_polling.php')))).status
    expect([await st(refs[0]), await st(refs[1]), await st(refs[2])]).toEqual(['Declined', 'Failed', 'Pending'])
    await s.clock.advance('15m')
    expect(await st(refs[2])).toBe('Failed')
  })

  it("duplicate order_id scope: per merchant and per kind (a payout may reuse a pay-in's order_id); another pid may reuse both", async () => {
    const s = sandboxWith({ merchants: { payatom: [{ id: '000000000001', secretKey: 'second-secret' }] } })
    expect((await json(await s.fetch(post('/api/request.php', upi('SCOPE00001'))))).status).toBe('success')
    expect((await json(await s.fetch(post('/payout/api/request.php', imps('SCOPE00001'))))).status).toBe('success')
    await expectError(await s.fetch(post('/api/request.php', upi('SCOPE00001'))), 'Duplicate order_id found')
    await expectError(await s.fetch(post('/payout/api/request.php', imps('SCOPE00001'))), 'Duplicate order_id found')
    const second = { pid: '000000000001' }
    expect((await json(await s.fetch(post('/api/request.php', upi('SCOPE00001', second))))).status).toBe('success')
    expect((await json(await s.fetch(post('/payout/api/request.php', imps('SCOPE00001', second))))).status).toBe(
      'success',
    )
    expect(
      s.transactions
        .list()
        .map((t) => `${t.merchant} ${t.kind}`)
        .sort(),
    ).toEqual(['000000000000 payin', '000000000000 payout', '000000000001 payin', '000000000001 payout'])
  })

  it('refuses bad payouts with PayAtom-style messages', async () => {
    const s = sandboxWith()
    await s.fetch(post('/payout/api/request.php', imps('PAYOUT00001')))
    await expectError(await s.fetch(post('/payout/api/request.php', imps('PAYOUT00001'))), 'Duplicate order_id found')
    await expectError(
      await s.fetch(post('/payout/api/request.php', imps('PAYOUTBAD02', { payment_mode: undefined }))),
      'payment_mode is required field',
    )
    await expectError(
      await s.fetch(post('/payout/api/request.php', imps('PAYOUTBAD02', { payment_mode: 'neft' }))),
      "We support only 'imps', 'upi', 'wallet'",
    )
    await expectError(
      await s.fetch(post('/payout/api/request.php', imps('PAYOUTBAD02', { ifsc: undefined }))),
      'ifsc is required field',
    )
    await expectError(
      await s.fetch(post('/payout/api/request.php', imps('PAYOUTBAD02', { ifsc: 'hdfc1' }))),
      'invalid ifsc',
    )
    await expectError(
      await s.fetch(post('/payout/api/request.php', imps('PAYOUTBAD02', { account_no: '12ab' }))),
      'invalid account_no',
    )
    await expectError(
      await s.fetch(post('/payout/api/request.php', imps('PAYOUTBAD02', { amount: 'lots' }))),
      'invalid amount',
    )
    await expectError(
      await s.fetch(post('/payout/api/request.php', imps('PAYOUTBAD02', { amount: { v: 1 } }))),
      'invalid amount',
    )
    await expectError(
      await s.fetch(
        post('/payout/api/request.php', {
          payment_mode: 'upi',
          pid: PID,
          order_id: 'PAYOUTBAD03',
          amount: 10,
          upi_id: 'x',
          account_holder: 'R',
        }),
      ),
      'invalid upi_id',
    )
    await expectError(
      await s.fetch(
        post('/payout/api/request.php', {
          payment_mode: 'wallet',
          pid: PID,
          order_id: 'PAYOUTBAD04',
          amount: 10,
          account_no: '017',
          wallet_type: 'Venmo',
        }),
      ),
      "We support only 'Nagad', 'Rocket', 'bKash', 'Upay'",
    )
    await expectError(
      await s.fetch(postV2('/payout/api/v2/request.php', imps('PAYOUTBAD05'), {})),
      'X-Api-Key header is required',
    )
    await s.merchants.patch('payatom', PID, { relaxedRules: [] })
    await expectError(
      await s.fetch(post('/payout/api/request.php', imps('P-6'))),
      'order_id must be 10 or more alphanumeric characters',
    )
    expect(s.transactions.list()).toHaveLength(1)
  })
})

describe('refunds', () => {
  const refundReq = (
    ref: string,
    extra: Record<string, unknown> = {},
    path = '/api/refund_request.php',
    h: Record<string, string> = {},
  ) => post(path, { ...client.pollingRequest({ pid: PID, refCode: ref, secretKey: SECRET }), ...extra }, h)

  it('Refund Initiated at once, Refund Completed 2 s later, with refund_info in polling', async () => {
    const s = sandboxWith()
    const { ref_code } = await json(await s.fetch(post('/api/request.php', upi('ORD1234567890'))))
    await s.fetch(customerPresses(ref_code, 'approve'))
    const res = await json(await s.fetch(refundReq(ref_code, { amount: '60', refund_notes: 'partial' })))
    expect(res).toEqual({
      status: 'success',
      message: 'Refund Initiated',
      order_id: 'ORD1234567890',
      ref_code,
      refund_amount: '60',
    })
    const mid = await json(await s.fetch(polling(ref_code)))
    expect(mid.status).toBe('Refund Initiated')
    expect(mid.refund_info).toMatchObject({
      refunded_upi: 'customer@upi',
      refund_amount: '60',
      refund_status: 'Refund Initiated',
      refund_completed_time: '',
      refund_notes: 'partial',
    })
    expect(client.verifyWebhook(mid, SECRET)).toBe(true)
    await s.clock.advance('2s')
    const done = await json(await s.fetch(polling(ref_code)))
    expect(done).toMatchObject({ status: 'Refund Completed', refund_info: { refund_status: 'Refund Completed' } })
    expect(done.refund_info.refund_completed_time).not.toBe('')
    await expectError(await s.fetch(refundReq(ref_code)), 'Refund already requested for this order_id')
  })

  it('refund amount magic: 13 stays initiated, 14 fails (order keeps its status); v2; refusals', async () => {
    const s = sandboxWith()
    const a = (await json(await s.fetch(post('/api/request.php', upi('ORDREFUND001'))))).ref_code
    const b = (await json(await s.fetch(post('/api/request.php', upi('ORDREFUND002'))))).ref_code
    const pending = (await json(await s.fetch(post('/api/request.php', upi('ORDPENDING09'))))).ref_code
    for (const ref of [a, b]) await s.fetch(customerPresses(ref, 'approve'))
    await s.fetch(refundReq(a, { amount: 13 }))
    await s.fetch(refundReq(b, { amount: 14 }, '/api/v2/refund_request.php', { 'X-Api-Key': API_KEY }))
    await s.clock.advance('1h')
    expect((await json(await s.fetch(polling(a)))).status).toBe('Refund Initiated')
    const failed = await json(await s.fetch(polling(b)))
    expect(failed).toMatchObject({ status: 'Approved', refund_info: { refund_status: 'Refund Failed' } })
    expect((await json(await s.fetch(refundReq(b, { amount: 5 })))).status).toBe('success')
    await expectError(await s.fetch(refundReq(pending)), 'Refund not allowed for this transaction')
    await expectError(await s.fetch(refundReq(a.replace(/^./, a[0] === 'a' ? 'b' : 'a'))), 'Reference code not found.')
    const c = (await json(await s.fetch(post('/api/request.php', upi('ORDREFUND003'))))).ref_code
    await s.fetch(customerPresses(c, 'approve'))
    await expectError(await s.fetch(refundReq(c, { amount: 101 })), 'Refund amount exceeds the transaction amount')
    await expectError(await s.fetch(refundReq(c, { amount: 'x' })), 'invalid amount')
    await expectError(
      await s.fetch(
        post('/api/refund_request.php', {
          pid: PID,
          ref_code: c,
          post_hash: client.pollingRequest({ pid: PID, refCode: c, secretKey: 'wrong' }).post_hash,
        }),
      ),
      'Invalid post_hash',
    )
    await expectError(await s.fetch(refundReq(c, {}, '/api/v2/refund_request.php')), 'X-Api-Key header is required')
  })
})

describe("generic problems in PayAtom's (nginx's) format", () => {
  it('unknown path → nginx 404 page, body over 1 MiB → nginx 413 page, and the server keeps serving', async () => {
    const s = sandboxWith()
    const nf = await s.fetch(new Request(`${B}/api/unknown.php`, { method: 'POST' }))
    expect(nf.status).toBe(404)
    expect(await nf.text()).toBe(
      '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    )
    const big = await s.fetch(
      post('/api/request.php', JSON.stringify({ ...upi('ORDBIG00001'), name: 'x'.repeat(1024 * 1024) })),
    )
    expect(big.status).toBe(413)
    expect(await big.text()).toContain('413 Request Entity Too Large')
    expect((await json(await s.fetch(post('/api/request.php', upi('ORDAFTER001'))))).status).toBe('success')
  })
})
