import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { bankconnect, connpay, ecommpay } from '../../src/client.js'
import { connecxToken } from '../../src/providers/connecx/crypto.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'

// Callbacks leave the sandbox with exactly the provider's headers plus what HTTP needs (Host,
// Content-Length for a body, Connection): none of the client defaults fetch would add. A raw TCP
// listener sees the bytes as a merchant's server would.

const CLIENT_DEFAULTS = ['user-agent', 'accept', 'accept-language', 'accept-encoding', 'sec-fetch-mode']
const ACK = '{"hash_status":"HashMatched","acknowledge":"yes"}'

interface RawRequest {
  requestLine: string
  headers: Array<[string, string]>
  body: Buffer
}

/** A TCP listener that reads one HTTP/1.1 request per connection turn and answers 200 with `ACK`. */
async function rawListener(): Promise<{
  url: string
  requests: RawRequest[]
  next(): Promise<RawRequest>
  close(): Promise<void>
}> {
  const requests: RawRequest[] = []
  const waiting: Array<(r: RawRequest) => void> = []
  const server: Server = createServer((socket) => {
    let buffer = Buffer.alloc(0)
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        const lines = buffer.subarray(0, end).toString('latin1').split('\r\n')
        const headers = lines.slice(1).map((l) => {
          const colon = l.indexOf(':')
          return [l.slice(0, colon), l.slice(colon + 1).trim()] as [string, string]
        })
        const length = Number(headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1] ?? 0)
        if (buffer.length < end + 4 + length) return
        const request = { requestLine: lines[0], headers, body: buffer.subarray(end + 4, end + 4 + length) }
        buffer = buffer.subarray(end + 4 + length)
        requests.push(request)
        waiting.shift()?.(request)
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(ACK)}\r\n\r\n${ACK}`,
        )
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
      }),
  }
}

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function setup(): Promise<{ sandbox: Sandbox; listener: Awaited<ReturnType<typeof rawListener>> }> {
  const listener = await rawListener()
  const sandbox = createSandbox({ clock: 'virtual' })
  cleanups.push(
    () => listener.close(),
    () => sandbox.close(),
  )
  await sandbox.ready
  return { sandbox, listener }
}

/** Approves the provider's only transaction through the admin path and returns the raw callback. */
async function approveAndCapture(
  sandbox: Sandbox,
  listener: Awaited<ReturnType<typeof rawListener>>,
  provider: string,
) {
  const [tx] = sandbox.transactions.list({ provider })
  expect(tx, `a ${provider} transaction was created`).toBeDefined()
  const arrived = listener.next()
  await sandbox.transactions.transition(tx.id, 'approved')
  const raw = await arrived
  await sandbox.callbacks.idle()
  const [delivery] = sandbox.callbacks.list({ provider })
  return { raw, sent: delivery.request }
}

/** The exact header set: the provider's own (same names, same values), then Host, Content-Length, Connection. */
function expectExactly(
  raw: RawRequest,
  sent: { method: string; url: string; headers: Record<string, string>; body: string },
  port: string,
) {
  const url = new URL(sent.url)
  expect(raw.requestLine).toBe(`${sent.method} ${url.pathname}${url.search} HTTP/1.1`)
  const expected: Array<[string, string]> = [...Object.entries(sent.headers), ['Host', `127.0.0.1:${port}`]]
  if (sent.method !== 'GET') expected.push(['Content-Length', String(Buffer.byteLength(sent.body))])
  expected.push(['Connection', 'keep-alive'])
  expect(raw.headers.slice().sort()).toEqual(expected.slice().sort())
  for (const name of CLIENT_DEFAULTS) expect(raw.headers.map(([n]) => n.toLowerCase())).not.toContain(name)
  expect(raw.body.toString('utf8')).toBe(sent.method === 'GET' ? '' : sent.body)
}

describe('callbacks on the wire carry only the provider headers', () => {
  it('Connecx: Content-Type and X-paymesh-authz', async () => {
    const { sandbox, listener } = await setup()
    const body = {
      channelCode: 'USDMOCK-001',
      accountId: '1000000001',
      requestSalt: 's1',
      txnAmount: 10,
      txnCurrency: 'USD',
      paymentRef: 'wire-1',
      callbackUrl: `${listener.url}/connecx/cb?x=1`,
      resultUrl: 'https://result.example/r',
      endUserInfo: { ipAddress: '10.0.0.1', firstName: 'A', lastName: 'B', phoneNumber: '1', emailAddress: 'a@b.c' },
    }
    const token = connecxToken(['3568224497743', 's1', 'wire-1', 'sandbox-api-key-0001'])
    const res = await sandbox.fetch(
      new Request('http://localhost/mxapi/3568224497743/bdpayin', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-paymesh-authz': token },
        body: JSON.stringify(body),
      }),
    )
    expect(res.status).toBe(200)
    const { raw, sent } = await approveAndCapture(sandbox, listener, 'connecx')
    expect(Object.keys(sent.headers)).toEqual(['Content-Type', 'X-paymesh-authz'])
    expectExactly(raw, sent, listener.url.split(':')[2])
  })

  it('PayAtom: Content-Type only', async () => {
    const { sandbox, listener } = await setup()
    await sandbox.merchants.patch('payatom', '000000000000', { webhookUrl: `${listener.url}/payatom/hook` })
    const res = await sandbox.fetch(
      new Request('http://localhost/pay/request.php', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          pid: '000000000000',
          amount: '100',
          order_id: 'WIRE00000001',
          phone: '9000000000',
          email: 'anushk@gmail.com',
          name: 'Anushk',
        }),
      }),
    )
    expect(res.status).toBe(200)
    const { raw, sent } = await approveAndCapture(sandbox, listener, 'payatom')
    expect(Object.keys(sent.headers)).toEqual(['Content-Type'])
    expectExactly(raw, sent, listener.url.split(':')[2])
  })

  it('ECommPay: Content-Type only', async () => {
    const { sandbox, listener } = await setup()
    const res = await sandbox.fetch(
      ecommpay.gateRequest('http://localhost', '/v2/payment/banks/india/payout', {
        general: { project_id: 112, payment_id: 'WIRE_1', merchant_callback_url: `${listener.url}/ecommpay/cb` },
        payment: { amount: 150000, currency: 'INR' },
        customer: { id: '24900', ip_address: '1.2.3.4' },
        account: { customer_name: 'John Waynen', bank_code: 'test_code', bank_id: 401, number: '5588994446666' },
      }),
    )
    expect(res.status).toBe(200)
    const { raw, sent } = await approveAndCapture(sandbox, listener, 'ecommpay')
    expect(Object.keys(sent.headers)).toEqual(['Content-Type'])
    expectExactly(raw, sent, listener.url.split(':')[2])
  })

  it('ConnPay: a GET with no headers of its own', async () => {
    const { sandbox, listener } = await setup()
    const res = await sandbox.fetch(
      connpay.payoutRequest('http://localhost', {
        client_orderid: 'WIRE-1',
        amount: '10.42',
        currency: 'USD',
        account_number: '1234567890',
        server_callback_url: `${listener.url}/connpay/cb`,
      }),
    )
    expect(res.status).toBe(200)
    const { raw, sent } = await approveAndCapture(sandbox, listener, 'connpay')
    expect(sent.method).toBe('GET')
    expect(Object.keys(sent.headers)).toEqual([])
    expectExactly(raw, sent, listener.url.split(':')[2])
    expect(raw.headers.map(([n]) => n)).toEqual(['Host', 'Connection'])
  })

  it('Bankconnect: Content-Type only', async () => {
    const { sandbox, listener } = await setup()
    const form = new FormData()
    form.set('end_point_url', `${listener.url}/bankconnect/cb`)
    form.set(
      'enc_payout_json',
      bankconnect.encrypt(
        JSON.stringify([
          {
            order_id: '93893832223',
            bank: '0',
            trx_type: 'NEFT',
            payeename: 'Test',
            bnf_nick_name: 'test',
            amount: '1.00',
            account_no: '893338378373',
            ifsc: 'SBINXXXXXXX',
            address1: 'madanpur',
            city: 'delhi',
            state: 'delhi',
            pincode: '110076',
            email: 'm@gmail.com',
            phone: '9821593611',
          },
        ]),
      ),
    )
    const res = await sandbox.fetch(
      new Request('http://localhost/apisecure/payoutTransactionSecureIV', {
        method: 'POST',
        headers: bankconnect.headers(),
        body: form,
      }),
    )
    expect(res.status).toBe(200)
    const { raw, sent } = await approveAndCapture(sandbox, listener, 'bankconnect')
    expect(Object.keys(sent.headers)).toEqual(['Content-Type'])
    expectExactly(raw, sent, listener.url.split(':')[2])
  })
})
