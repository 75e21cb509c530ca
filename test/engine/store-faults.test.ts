import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connecx } from '../../src/client.js'
import { bankconnect } from '../../src/providers/bankconnect/client.js'
import { connpay } from '../../src/providers/connpay/client.js'
import { ecommpay } from '../../src/providers/ecommpay/client.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import { listen, type RunningServer } from '../../src/server.js'
import { CONNECX } from '../helpers.js'
import { faultyFiles } from './faulty-files.js'

/**
 * A write failure injected at the file layer (a real file, a real server, real sockets): the
 * requests that waited on it get their provider's own internal-error answer, the health check
 * says why, the store recovers by itself when the disk does, and a restart shows every
 * acknowledged change and none of the failed ones.
 */

const dirs: string[] = []
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function dataFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-faults-'))
  dirs.push(dir)
  return join(dir, 'db.json')
}

async function serve(data: string, files = faultyFiles().files): Promise<{ sandbox: Sandbox; server: RunningServer }> {
  const sandbox = createSandbox({
    clock: 'virtual',
    data,
    onCallback: () => ({ status: 200, body: '' }),
    store: { files, probeEveryMs: 20 },
  })
  const server = await listen(sandbox, { port: 0 })
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await server.close()
    await sandbox.close()
  }
  cleanups.push(close)
  return { sandbox, server: { ...server, close } }
}

/** One state-changing request per provider, with a unique merchant reference, and how its native internal error looks. */
interface Case {
  provider: string
  request(base: string, reference: string): Request
  ok(res: Response): void
  /** Status, content type and body of the provider's own internal-error answer. */
  failure: { status: number; type: string; body: RegExp }
}

const cases: Case[] = [
  {
    provider: 'connecx',
    request: (base, ref) => {
      const body = {
        channelCode: 'USDMOCK-001',
        accountId: '1000000001',
        requestSalt: `salt-${ref}`,
        txnAmount: 10,
        txnCurrency: 'USD',
        paymentRef: ref,
        callbackUrl: 'http://127.0.0.1:9/cb',
        resultUrl: 'https://result.example/r',
        endUserInfo: { ipAddress: '10.0.0.1', firstName: 'A', lastName: 'B', phoneNumber: '1', emailAddress: 'a@b.c' },
      }
      return new Request(`${base}/mxapi/${CONNECX.merchantId}/bdpayin`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-paymesh-authz': connecx.tokenFor('payment', { ...CONNECX, ...body }),
        },
        body: JSON.stringify(body),
      })
    },
    ok: (res) => expect(res.status).toBe(200),
    failure: { status: 500, type: 'application/json', body: /"E9999"/ },
  },
  {
    provider: 'payatom',
    request: (base, ref) =>
      new Request(`${base}/pay/request.php`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          pid: '000000000000',
          amount: '1',
          order_id: ref,
          phone: '9000000000',
          email: 'a@b.c',
          name: 'A',
        }),
      }),
    ok: (res) => expect(res.status).toBe(200),
    failure: { status: 500, type: 'application/json', body: /Internal Server Error/ },
  },
  {
    provider: 'ecommpay',
    request: (base, ref) =>
      ecommpay.gateRequest(base, '/v2/payment/banks/india/sale', {
        general: { project_id: 112, payment_id: ref },
        customer: {
          id: 'c1',
          ip_address: '1.2.3.4',
          email: 'a@b.c',
          first_name: 'A',
          last_name: 'B',
          phone: '123456789',
        },
        payment: { amount: 1500, currency: 'INR' },
        return_url: { success: 'https://www.example.com' },
      }),
    ok: (res) => expect(res.status).toBe(200),
    failure: { status: 500, type: 'application/json', body: /"code":"501"/ },
  },
  {
    provider: 'connpay',
    request: (base, ref) =>
      connpay.payoutRequest(base, {
        client_orderid: ref,
        amount: '10.42',
        currency: 'USD',
        account_number: '1234567890',
      }),
    ok: (res) => expect(res.status).toBe(200),
    failure: { status: 500, type: 'text/html', body: /type=error/ },
  },
  {
    provider: 'bankconnect',
    request: (base, ref) => {
      const form = new FormData()
      form.set('end_point_url', 'http://127.0.0.1:9/payout-callback')
      form.set(
        'enc_payout_json',
        bankconnect.encrypt(
          JSON.stringify([
            {
              order_id: ref,
              bank: '0',
              trx_type: 'NEFT',
              payeename: 'Test',
              bnf_nick_name: 'test',
              amount: '1.00',
              account_no: '893338378373',
              ifsc: 'SBINXXXXXXX',
              address1: 'madanpur',
              city: 'saritavihar',
              state: 'delhi',
              pincode: '110076',
              email: 'm@gmail.com',
              phone: '9821593611',
            },
          ]),
        ),
      )
      return new Request(`${base}/apisecure/payoutTransactionSecureIV`, {
        method: 'POST',
        headers: {
          'X-API-KEY': 'BANKCONNECT_1890',
          Authorization: 'Basic YmFua2Nvbm5lY3RfMS4yXzE4OTA6Y29ubmVjdGJhbmtfMS4yXzE4OTA=',
          'User-token': 'MDAzNTo6MzVramZraDQ1',
        },
        body: form,
      })
    },
    ok: (res) => expect(res.status).toBe(200),
    failure: { status: 500, type: 'application/json', body: /Internal Server Error/ },
  },
]

const references = (sandbox: Sandbox, provider: string) =>
  sandbox.transactions
    .list({ provider })
    .map((t) => t.reference)
    .sort()

describe.each(cases)('a failed write, $provider', (c) => {
  it.each(['ENOSPC', 'EIO', 'EROFS'] as const)(
    '%s: the waiting requests get the native internal error, health says why, the store recovers, a restart shows exactly the acknowledged changes',
    async (code) => {
      const data = dataFile()
      const disk = faultyFiles()
      const { sandbox, server } = await serve(data, disk.files)
      const send = (ref: string) => fetch(c.request(server.url, ref))

      const before = await send('1001')
      c.ok(before)
      await before.arrayBuffer()

      disk.fail(code)
      const failed = await Promise.all(['2001', '2002', '2003'].map(send))
      for (const res of failed) {
        const text = await res.text()
        expect(res.status, text).toBe(c.failure.status)
        expect(res.headers.get('content-type')).toContain(c.failure.type)
        expect(text).toMatch(c.failure.body)
      }
      // The failed changes are not visible, not even in memory.
      expect(references(sandbox, c.provider)).toEqual(['1001'])
      const health = await fetch(`${server.url}/_sandbox/health`)
      expect(health.status).toBe(503)
      const why = (await health.json()) as { status: string; reason: string }
      expect(why.status).toBe('failing')
      expect(why.reason).toContain(code)
      const note = sandbox.journal.list({ provider: c.provider, kind: 'request', limit: 1 })[0]!
      expect(note.notes.join('\n')).toContain('was not saved')

      disk.heal()
      // No request needed: a probe write notices the disk is back.
      await expect.poll(async () => (await fetch(`${server.url}/_sandbox/health`)).status, { timeout: 5000 }).toBe(200)
      const after = await send('3001')
      c.ok(after)
      await after.arrayBuffer()
      expect(references(sandbox, c.provider)).toEqual(['1001', '3001'])

      await server.close()
      const restarted = createSandbox({ clock: 'virtual', data, onCallback: () => ({ status: 200, body: '' }) })
      cleanups.push(() => restarted.close())
      await restarted.ready
      expect(references(restarted, c.provider)).toEqual(['1001', '3001'])
    },
  )
})
