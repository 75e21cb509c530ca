import { ecommpay } from '../../src/client.js'
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox.js'
import { listen, type RunningServer } from '../../src/server.js'
import { connecxPayment, seedPayIn, seedPayOut } from '../helpers.js'

export const ECOMMPAY_SECRET = 'kHRhsQHHhOUHeD+rt4kgH7OZiwE='

/** One creating request per provider route that rejects duplicate references, for a base URL. */
export const CREATORS: Array<{ name: string; provider: string; request: (base: string, ref: string) => Request }> = [
  {
    name: 'Connecx pay-in',
    provider: 'connecx',
    request: (base, ref) => connecxPayment(base, 'bdpayin', { ...seedPayIn(), paymentRef: ref, dupCheck: true }),
  },
  {
    name: 'Connecx pay-out',
    provider: 'connecx',
    request: (base, ref) => connecxPayment(base, 'bdpayout', { ...seedPayOut(), paymentRef: ref, dupCheck: true }),
  },
  {
    name: 'PayAtom UPI pay-in',
    provider: 'payatom',
    request: (base, ref) =>
      jsonPost(`${base}/api/request.php`, {
        pid: '000000000000',
        order_id: ref,
        amount: '100',
        upi_id: 'customer@upi',
        name: 'Anushk',
        email: 'anushk@gmail.com',
        phone: '9000000000',
      }),
  },
  {
    name: 'PayAtom IMPS payout',
    provider: 'payatom',
    request: (base, ref) =>
      jsonPost(`${base}/payout/api/request.php`, {
        payment_mode: 'imps',
        pid: '000000000000',
        order_id: ref,
        amount: 500,
        account_holder: 'Ravi Kumar',
        account_no: '1234567890',
        bank: 'HDFC Bank',
        ifsc: 'HDFC0001234',
      }),
  },
  {
    name: 'ECommPay Gate sale',
    provider: 'ecommpay',
    request: (base, ref) =>
      ecommpay.gateRequest(
        base,
        '/v2/payment/banks/india/sale',
        {
          general: { project_id: 112, payment_id: ref },
          customer: { id: 'customer1', ip_address: '1.2.3.4', phone: '123456789' },
          payment: { amount: 1500, currency: 'INR' },
          return_url: { success: 'https://www.example.com' },
        },
        ECOMMPAY_SECRET,
      ),
  },
]

export function jsonPost(url: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

/** A scenario rule that delays every answer of `provider` by `latency` (clock time). */
export const slowRule = (provider: string, latency = '5s') => ({
  provider,
  rules: [{ name: 'slow answers', match: {}, respond: { latency } }],
})

/** A sandbox served over a real socket on a free loopback port, closed by the returned function. */
export async function served(options: SandboxOptions = {}): Promise<{ sandbox: Sandbox; server: RunningServer }> {
  const sandbox = createSandbox({ clock: 'virtual', ...options })
  const server = await listen(sandbox, { port: 0 })
  return { sandbox, server }
}

/** Waits until `check` holds (polling every 10 ms, up to `ms`). */
export async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}
