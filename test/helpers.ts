import { createServer, type IncomingMessage, type Server } from 'node:http'
import { afterEach } from 'vitest'
import { connecx } from '../src/client.js'
import { createSandbox, type Sandbox, type SandboxOptions } from '../src/sandbox.js'

export const CONNECX = { merchantId: '3568224497743', apiKey: 'sandbox-api-key-0001' }

/**
 * Merchant settings for tests that use a Connecx pay-in only as a vehicle (delivery, time,
 * persistence): the merchant opts in to `customer: auto`, so pay-ins complete 2 s after
 * acceptance. By default a pay-in waits for the customer at `authzUrl`.
 */
export const CONNECX_AUTO = { connecx: [{ id: CONNECX.merchantId, customer: 'auto' }] }

/**
 * The seed's sample pay-in request body exactly as printed (Connecx document, "PAY IN" → Sample
 * Request). It sends USD on CHNL-101, a CNY channel, so the sandbox refuses it (E2022) unless the
 * merchant relaxes `channel-currency`.
 */
export const seedPayInVerbatim = () => ({
  channelCode: 'CHNL-101',
  accountId: '1000000001',
  requestSalt: 'abcd-xyz',
  txnAmount: 100,
  txnCurrency: 'USD',
  paymentRef: 'abc123XYZ',
  paymentDesc: 'description',
  dupCheck: false,
  merchantTraceData: 'merchant trace data',
  callbackUrl: 'https://callback.com/call/back',
  resultUrl: 'https://result.url/result',
  endUserInfo: {
    identifier: '张三ABC',
    ipAddress: '10.0.0.1',
    firstName: 'John',
    lastName: 'Doe',
    phoneNumber: '2060987657',
    emailAddress: 'user@domain.com',
    address: {
      addressLine1: '123 ABC Street',
      cityTown: 'Queenstown',
      stateProv: 'Singapore',
      country: 'SG',
      postalCode: '238858',
    },
  },
  payInfo: { bankCode: 'CHTTST01', bankName: 'ABC', bankAccountNumber: '123' },
})

/**
 * The seed's sample pay-out request body exactly as printed (Connecx document, "PAY OUT" → Sample
 * Request). It sends no `payInfo.bankAccountName`, which the channel's specs require (E9998)
 * unless the merchant relaxes `required-pay-info`.
 */
export const seedPayOutVerbatim = () => ({
  ...seedPayInVerbatim(),
  channelCode: 'USDMOCK-001',
  payInfo: { bankCode: 'USD-TEST01', bankAccountNumber: '1234567869', bankRoutingCode: 'TEST0123456' },
})

/** The seed's sample pay-in, in the currency CHNL-101's specs name (CNY): accepted as it is. */
export const seedPayIn = () => ({ ...seedPayInVerbatim(), txnCurrency: 'CNY' })

/** The seed's sample pay-out with the `bankAccountName` USDMOCK-001's specs require: accepted as it is. */
export const seedPayOut = () => ({
  ...seedPayOutVerbatim(),
  payInfo: { ...seedPayOutVerbatim().payInfo, bankAccountName: 'John Doe' },
})

/** A signed Connecx pay-in/pay-out request to `base`. */
export function connecxPayment(
  base: string,
  kind: 'bdpayin' | 'bdpayout',
  body: Record<string, unknown>,
  init: { token?: string | null } = {},
): Request {
  const token = init.token === undefined ? connecx.tokenFor('payment', { ...CONNECX, ...body }) : init.token
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (token !== null) headers['X-paymesh-authz'] = token
  return new Request(`${base}/mxapi/${CONNECX.merchantId}/${kind}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
}

/** The customer's button on Connecx's `authzUrl` page, as the browser sends it: a plain form POST. */
export function connecxAuthz(authzUrl: string, action: 'approve' | 'decline'): Request {
  return new Request(authzUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `action=${action}`,
  })
}

/** A signed Connecx query (GET) for the default merchant. */
export function connecxQuery(base: string, path: string, parts: string[]): Request {
  return new Request(`${base}/mxapi/${CONNECX.merchantId}${path}`, {
    headers: { 'X-paymesh-authz': connecx.token(parts), 'Content-Type': 'application/json' },
  })
}

export interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/**
 * A real merchant callback listener on a free loopback port. `answer` decides each response
 * (default 200 "OK").
 */
export async function listener(
  answer: (r: Received, n: number) => { status: number; body?: string } = () => ({ status: 200, body: 'OK' }),
) {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body }
      received.push(r)
      const a = answer(r, received.length)
      res.writeHead(a.status, { 'Content-Type': 'text/plain' }).end(a.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/**
 * Sandboxes and merchant listeners that close themselves after each test.
 *
 * @example
 * const use = disposables()
 * it('…', async () => { const sandbox = use.sandbox(); const l = await use.listener() })
 */
export function disposables(defaults: SandboxOptions = {}) {
  const cleanups: Array<() => unknown> = []
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })
  return {
    sandbox(options: SandboxOptions = {}): Sandbox {
      const s = createSandbox({ clock: 'virtual', ...defaults, ...options })
      cleanups.push(() => s.close())
      return s
    },
    async listener(...args: Parameters<typeof listener>) {
      const l = await listener(...args)
      cleanups.push(() => l.close())
      return l
    },
    /** Anything else to undo after the test (servers, temp folders). */
    defer(cleanup: () => unknown): void {
      cleanups.push(cleanup)
    },
  }
}
