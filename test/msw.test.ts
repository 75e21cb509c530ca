import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { connecx } from '../src/client.js'
import { createHandlers } from '../src/msw.js'
import { createSandbox } from '../src/sandbox.js'
import { CONNECX, seedPayIn } from './helpers.js'

// The integration under test calls the provider's real URL with plain fetch; msw routes it into
// the sandbox in-process, and the sandbox's callback (also plain fetch) reaches an msw handler
// standing in for the merchant's endpoint.
const sandbox = createSandbox({ clock: 'virtual' })
const callbacks: Array<{ headers: Headers; body: unknown }> = []
const server = setupServer(
  ...createHandlers(sandbox),
  http.post('https://merchant.example/connecx/callback', async ({ request }) => {
    callbacks.push({ headers: request.headers, body: await request.json() })
    return new HttpResponse('OK')
  }),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => sandbox.scenarios.reset())
afterAll(async () => {
  server.close()
  await sandbox.close()
})

/** What a merchant's integration code would do. */
async function createPayIn(paymentRef: string) {
  const body = { ...seedPayIn(), paymentRef, callbackUrl: 'https://merchant.example/connecx/callback' }
  const res = await fetch(`https://connecx.test/mxapi/${CONNECX.merchantId}/bdpayin`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-paymesh-authz': connecx.tokenFor('payment', { ...CONNECX, ...body }),
    },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json() }
}

describe('msw handlers drive the sandbox at the real provider URL', () => {
  it('a pay-in through fetch, its callback through fetch', async () => {
    const res = await createPayIn('msw-1')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ txnType: 'PAY-IN', status: 'FORAUTHZ', paymentRef: 'msw-1' })
    expect(res.body.authzUrl).toBe(`https://connecx.test/mxapi/authz/${res.body.txnId}`)
    await sandbox.clock.advance('2s')
    expect(callbacks).toHaveLength(0) // the pay-in waits for the customer
    // The customer presses Approve at authzUrl: a plain form POST, through fetch as well.
    const approve = await fetch(res.body.authzUrl, {
      method: 'POST',
      body: new URLSearchParams({ action: 'approve' }),
      redirect: 'manual',
    })
    expect(approve.status).toBe(303)
    await sandbox.clock.advance('0s')
    expect(callbacks).toHaveLength(1)
    expect(callbacks[0].body).toMatchObject({ txnId: res.body.txnId, status: 'COMPLETED' })
    expect(
      connecx.verifyCallback(
        callbacks[0].headers.get('x-paymesh-authz'),
        callbacks[0].body as { txnId: number },
        CONNECX,
      ),
    ).toBe(true)
  })

  it('per-test scenario overrides script a decline', async () => {
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: { operation: 'payin' }, outcome: 'POSSIBLE_FRAUD' }],
    })
    const res = await createPayIn('msw-2')
    await sandbox.clock.advance('2s')
    expect(callbacks.at(-1)!.body).toMatchObject({
      txnId: res.body.txnId,
      status: 'FAILED',
      txnResultCode: 'POSSIBLE_FRAUD',
    })
  })

  it('a reset fault becomes a network error for the client', async () => {
    sandbox.scenarios.use({ provider: 'connecx', rules: [{ respond: { fault: 'reset' } }] })
    await expect(createPayIn('msw-3')).rejects.toThrow(/fetch failed|Failed to fetch/)
  })

  it('the hosted page is reachable at authzUrl through msw', async () => {
    sandbox.scenarios.use({ provider: 'connecx', rules: [{ outcome: 'pending' }] })
    const res = await createPayIn('msw-4')
    const page = await fetch(res.body.authzUrl)
    expect(await page.text()).toContain('Approve')
    const done = await fetch(res.body.authzUrl, {
      method: 'POST',
      body: new URLSearchParams({ action: 'approve' }),
      redirect: 'manual',
    })
    expect(done.status).toBe(303)
  })
})
