import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { connpay as client, TEST_MERCHANT } from '../../src/providers/connpay/client.js'
import { callbackControl } from '../../src/providers/connpay/crypto.js'
import { RETRY_SCHEDULE } from '../../src/providers/connpay/callbacks.js'
import { parseDuration } from '../../src/engine/duration.js'
import type { CallbackRequest } from '../../src/engine/provider.js'
import { listen, type RunningServer } from '../../src/server.js'
import type { Sandbox } from '../../src/sandbox.js'
import { listener } from '../helpers.js'
import { B, SEED_403_BODY, SEED_SUCCESS_BODY, connpaySandbox, fields, vectorRequest, vectors } from './support.js'

let sandbox: Sandbox | undefined
let server: RunningServer | undefined
afterEach(async () => {
  if (server) await server.close()
  else await sandbox?.close()
  server = undefined
  sandbox = undefined
})

const PAYOUT = { client_orderid: 'CB-1', amount: '10.42', currency: 'USD', account_number: '1234567890' }

/**
 * The callback checksum as research §3 documents it (PaynetEasy's AbstractCallback.php):
 * `sha1(status + orderid + client_orderid + merchant_control)`, lower-case hex, computed here with
 * node:crypto, not with the sandbox's code.
 */
function documentedControl(
  url: string,
  controlKey: string = TEST_MERCHANT.controlKey,
): { expected: string; sent: string } {
  const q = new URL(url, 'http://merchant.example').searchParams
  const expected = createHash('sha1')
    .update(`${q.get('status')}${q.get('orderid')}${q.get('client_orderid')}${controlKey}`, 'utf8')
    .digest('hex')
  return { expected, sent: q.get('control') ?? '' }
}
const controlIsValid = (url: string) => {
  const { expected, sent } = documentedControl(url)
  return expected === sent
}

describe('callbacks: HTTP GET to server_callback_url with research §3 parameters and SHA-1 control', () => {
  it("sends the approved callback 2 s later, parameters in order, control per the vectors' formula", async () => {
    const seen: CallbackRequest[] = []
    sandbox = connpaySandbox({ onCallback: (cb) => void seen.push(cb) })
    const created = fields(
      await (
        await sandbox.fetch(
          client.payoutRequest(B, {
            ...PAYOUT,
            server_callback_url: 'https://shop.example/cb?key=1',
            merchant_data: 'VIP',
          }),
        )
      ).text(),
    )
    await sandbox.clock.advance('1s')
    expect(seen).toHaveLength(0)
    await sandbox.clock.advance('1s')
    expect(seen).toHaveLength(1)
    const cb = seen[0]
    expect(cb.method).toBe('GET')
    expect(cb.body).toBe('')
    const id = created['paynet-order-id']
    const control = createHash('sha1').update(`approved${id}CB-1${TEST_MERCHANT.controlKey}`).digest('hex')
    expect(cb.url).toBe(
      `https://shop.example/cb?key=1&status=approved&orderid=${id}&merchant_order=CB-1&client_orderid=CB-1&type=payout&amount=10.42&control=${control}` +
        `&descriptor=ConnPay+sandbox+payout&error_message=&error_code=&processor-tx-id=PNTEST-${id}&merchantdata=VIP`,
    )
    expect(controlIsValid(cb.url)).toBe(true)
    expect(controlIsValid(cb.url.replace('status=approved', 'status=declined'))).toBe(false)
  })

  it('the callback control matches every callback vector (hashlib)', () => {
    for (const v of vectors.callback_control) {
      expect(
        callbackControl({
          status: v.status,
          orderId: v.orderid,
          clientOrderId: v.client_orderid,
          controlKey: v.merchant_control,
        }),
      ).toBe(v.control)
      expect(
        client.verifyCallback(
          { status: v.status, orderid: v.orderid, client_orderid: v.client_orderid, control: v.control },
          v.merchant_control,
        ),
      ).toBe(true)
    }
  })

  it('declined and error callbacks carry error_message and error_code; a scenario can send a wrongly signed copy', async () => {
    const seen: CallbackRequest[] = []
    sandbox = connpaySandbox({ onCallback: (cb) => void seen.push(cb) })
    sandbox.scenarios.use({
      provider: 'connpay',
      rules: [
        {
          match: { reference: 'BADSIG' },
          outcome: 'approved',
          timeline: [{ after: '3s', status: 'approved', callback: { copies: 2, signature: 'invalid' } }],
        },
      ],
    })
    for (const [ref, account] of [
      ['CB-D', '0987654321'],
      ['CB-E', '1987654321'],
      ['BADSIG', '1'],
    ])
      await sandbox.fetch(
        client.payoutRequest(B, {
          ...PAYOUT,
          client_orderid: ref,
          account_number: account,
          server_callback_url: 'https://shop.example/cb',
        }),
      )
    await sandbox.clock.advance('3s')
    const urls = (ref: string) => seen.filter((cb) => cb.url.includes(`client_orderid=${ref}&`)).map((cb) => cb.url)
    const byRef = (ref: string) => urls(ref).map((url) => Object.fromEntries(new URL(url).searchParams))
    expect(byRef('CB-D')[0]).toMatchObject({ status: 'declined', error_message: 'DECLINED', error_code: '2' })
    expect(byRef('CB-E')[0]).toMatchObject({
      status: 'error',
      error_message: 'PROCESSOR_INTERNAL_ERROR',
      error_code: '3',
    })
    expect(controlIsValid(urls('CB-D')[0])).toBe(true)
    expect(controlIsValid(urls('CB-E')[0])).toBe(true)
    expect(byRef('BADSIG')).toHaveLength(2)
    expect(controlIsValid(urls('BADSIG')[0])).toBe(false)
    // Reproducible: the documented formula over the control key plus "-WRONG" (node:crypto).
    expect(documentedControl(urls('BADSIG')[0], `${TEST_MERCHANT.controlKey}-WRONG`)).toMatchObject({
      expected: byRef('BADSIG')[0].control,
    })
  })

  it('no callback without server_callback_url, and none for non-final statuses (unknown)', async () => {
    const seen: CallbackRequest[] = []
    sandbox = connpaySandbox({ onCallback: (cb) => void seen.push(cb) })
    await sandbox.fetch(client.payoutRequest(B, PAYOUT))
    await sandbox.fetch(
      client.payoutRequest(B, {
        ...PAYOUT,
        client_orderid: 'X-UNKNOWN',
        account_number: '42',
        server_callback_url: 'https://shop.example/cb',
      }),
    )
    await sandbox.clock.advance('1h')
    expect(seen).toHaveLength(0)
    expect(sandbox.callbacks.list()).toHaveLength(0)
    // The payout without a callback URL is approved all the same, and the journal says so.
    expect(sandbox.transactions.list({ reference: 'CB-1' })[0].status).toBe('approved')
    expect(sandbox.journal.list({ kind: 'timeline', reference: 'CB-1' }).map((e) => e.notes)).toEqual([
      ['connpay-1 (CB-1) processing → approved by timeline'],
    ])
  })

  it('resends until HTTP 200: 30 resends over 14 days on a progressive schedule (virtual clock)', async () => {
    const total = RETRY_SCHEDULE.reduce((sum, d) => sum + parseDuration(d), 0)
    expect(RETRY_SCHEDULE).toHaveLength(30)
    expect(total).toBe(14 * 24 * 3600 * 1000)
    for (let i = 1; i < RETRY_SCHEDULE.length; i++)
      expect(parseDuration(RETRY_SCHEDULE[i])).toBeGreaterThanOrEqual(parseDuration(RETRY_SCHEDULE[i - 1]))

    let calls = 0
    sandbox = connpaySandbox({
      onCallback: () =>
        ++calls <= 3 ? { status: calls === 1 ? 500 : 204, body: 'nope' } : { status: 200, body: 'OK' },
    })
    await sandbox.fetch(client.payoutRequest(B, { ...PAYOUT, server_callback_url: 'https://shop.example/cb' }))
    await sandbox.clock.advance('2s')
    expect(calls).toBe(1)
    await sandbox.clock.advance('1m')
    expect(calls).toBe(2)
    await sandbox.clock.advance('2m')
    expect(calls).toBe(3) // HTTP 204 is not acknowledged either: only 200
    await sandbox.clock.advance('5m')
    expect(calls).toBe(4)
    const d = sandbox.callbacks.list({ provider: 'connpay' })[0]
    expect(d.state).toBe('acknowledged')
    expect(d.attempts.map((a) => a.status)).toEqual([500, 204, 204, 200])
    expect(d.attempts[1].error).toContain('HTTP 200')

    // Never acknowledged: 31 attempts over 14 days, then failed.
    await sandbox.reset()
    calls = -1000
    await sandbox.fetch(
      client.payoutRequest(B, { ...PAYOUT, client_orderid: 'NEVER', server_callback_url: 'https://shop.example/cb' }),
    )
    await sandbox.clock.advance('2s')
    await sandbox.clock.advance('14d')
    const never = sandbox.callbacks.list({ reference: 'NEVER' })[0]
    expect(never.attempts).toHaveLength(31)
    expect(never.state).toBe('failed')
  })
})

describe('real sockets', () => {
  it("serves the seed's example over HTTP, the 403 page, garbage, and delivers the GET callback to a real listener on any local port", async () => {
    const shop = await listener((r, n) => (n === 1 ? { status: 503 } : { status: 200, body: 'OK' }))
    try {
      sandbox = connpaySandbox()
      server = await listen(sandbox, { port: 0 })
      const seed = await fetch(vectorRequest(vectors.oauth[0], `${server.url}/paynet/api/v4/payout/39915`))
      expect(seed.status).toBe(200)
      expect(seed.headers.get('content-length')).toBe('137')
      expect(seed.headers.get('content-type')).toBe('text/html;charset=utf-8')
      expect(await seed.text()).toBe(SEED_SUCCESS_BODY)

      const denied = await fetch(`${server.url}/paynet/api/v4/payout/39915`, {
        method: 'POST',
        body: 'garbage\u0000\uffff',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      })
      expect(denied.status).toBe(403)
      expect(denied.headers.get('content-type')).toBe('text/html')
      expect(denied.headers.get('content-length')).toBe(String(Buffer.byteLength(SEED_403_BODY)))
      expect(await denied.text()).toBe(SEED_403_BODY)

      const signed = client.payoutRequest(server.url, { ...PAYOUT, server_callback_url: `${shop.url}/cb?shop=1` })
      const created = fields(await (await fetch(signed)).text())
      expect(created.type).toBe('async-response')
      await sandbox.clock.advance('2s')
      await sandbox.callbacks.idle()
      expect(shop.received).toHaveLength(1)
      await sandbox.clock.advance('1m')
      await sandbox.callbacks.idle()
      expect(shop.received).toHaveLength(2)
      const got = shop.received[1]
      expect(got.method).toBe('GET')
      expect(got.url.startsWith('/cb?shop=1&status=approved&orderid=')).toBe(true)
      expect(controlIsValid(got.url)).toBe(true)
      expect(sandbox.callbacks.list({ provider: 'connpay' })[0].state).toBe('acknowledged')
      expect(sandbox.journal.list({ kind: 'request', reference: 'CB-1', limit: 1 })[0].notes.join(' ')).toContain(
        'only calls ports 80, 8080, 443 and 8443',
      )

      // Still serving after all of it.
      expect((await fetch(client.statusV2Request(server.url, { client_orderid: 'CB-1' }))).status).toBe(200)
    } finally {
      await shop.close()
    }
  })
})
