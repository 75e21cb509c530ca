import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { connecx } from '../../src/client.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import { CONNECX, connecxAuthz, connecxPayment, disposables, seedPayIn, seedPayOut } from '../helpers.js'
import { tempDirs } from '../support/temp.js'

const B = 'http://localhost:8080'
const use = disposables()
const sandboxWith = use.sandbox
const merchantListener = use.listener
/** Delivery mechanics below need a pay-in that completes on its own: the merchant opts in to `customer: auto`. */
const AUTO = { merchants: { connecx: [{ id: CONNECX.merchantId, customer: 'auto' }] } }

describe('callbacks over a real socket', () => {
  it('the virtual clock releases the callback after 2 s, with the X-paymesh-authz token per CONTRACT', async () => {
    const l = await merchantListener()
    const sandbox = sandboxWith()
    const res = await sandbox.fetch(connecxPayment(B, 'bdpayout', { ...seedPayOut(), callbackUrl: `${l.url}/cb` }))
    const created = await res.json()
    await sandbox.clock.advance('1999ms')
    expect(l.received).toHaveLength(0)
    await sandbox.clock.advance('1ms')
    expect(l.received).toHaveLength(1)
    const cb = l.received[0]
    expect(cb.method).toBe('POST')
    expect(cb.headers['content-type']).toBe('application/json')
    const body = JSON.parse(cb.body)
    expect(body).toMatchObject({
      txnType: 'PAY-OUT',
      txnId: created.txnId,
      status: 'COMPLETED',
      txnResultCode: 'SUCCESS',
      processedAmount: 100,
    })
    // CONTRACT: sha256_hex(merchantId + txnId + apiKey)
    // (computed here with node:crypto, not with the sandbox's client helper)
    expect(cb.headers['x-paymesh-authz']).toBe(
      createHash('sha256').update(`${CONNECX.merchantId}${created.txnId}${CONNECX.apiKey}`).digest('hex'),
    )
    expect(sandbox.callbacks.list()[0]).toMatchObject({
      state: 'acknowledged',
      attempts: [{ status: 200, acknowledged: true }],
    })
  })

  it('a pay-in waits for the customer; their Approve sends the callback with processedAmount and authzRef', async () => {
    const l = await merchantListener()
    const sandbox = sandboxWith()
    const created = await (
      await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), callbackUrl: `${l.url}/cb` }))
    ).json()
    await sandbox.clock.advance('10m')
    expect(l.received).toHaveLength(0)
    await sandbox.fetch(connecxAuthz(created.authzUrl, 'approve'))
    await sandbox.clock.advance('0s') // delivery runs on the clock: due at once
    await sandbox.callbacks.idle()
    expect(l.received).toHaveLength(1)
    const t = Math.floor(sandbox.clock.now() / 1000)
    expect(l.received[0].body).toBe(
      `{"txnType":"PAY-IN","txnId":${created.txnId},"status":"COMPLETED","statusTimeStamp":${t},"paymentRef":"abc123XYZ","txnResultCode":"SUCCESS","txnResultMessage":"successful","amount":100,"processedAmount":100,"currency":"CNY","authzUrl":"${B}/mxapi/authz/${created.txnId}","authzRef":"AZ${created.txnId}","merchantTraceData":"merchant trace data","resultUrl":"https://result.url/result"}`,
    )
  })

  it('retries on the schedule until acknowledged (500, then connection refused, then 200)', async () => {
    const l = await merchantListener((_r, n) => (n === 1 ? { status: 500, body: 'oops' } : { status: 204 }))
    const sandbox = sandboxWith(AUTO)
    await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), callbackUrl: `${l.url}/cb` }))
    await sandbox.clock.advance('2s')
    let [delivery] = sandbox.callbacks.list()
    expect(delivery.state).toBe('scheduled')
    expect(delivery.attempts[0]).toMatchObject({ status: 500, acknowledged: false })
    expect(delivery.attempts[0].error).toContain('expects any HTTP 2xx answer; got HTTP 500')
    await sandbox.clock.advance('59s')
    expect(l.received).toHaveLength(1)
    await sandbox.clock.advance('1s') // first retry after 1m
    ;[delivery] = sandbox.callbacks.list()
    expect(delivery.state).toBe('acknowledged')
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 204])
  })

  it('gives up after the schedule, and redelivery sends it again', async () => {
    let up = false
    const l = await merchantListener(() => (up ? { status: 200 } : { status: 503 }))
    const sandbox = sandboxWith(AUTO)
    await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), callbackUrl: `${l.url}/cb` }))
    await sandbox.clock.advance('2s')
    await sandbox.clock.advance('12h')
    let [delivery] = sandbox.callbacks.list()
    expect(delivery.state).toBe('failed')
    expect(delivery.attempts).toHaveLength(7) // 1 + 6 retries (1m 5m 15m 1h 3h 6h)
    up = true
    delivery = (await sandbox.callbacks.redeliver(delivery.id))!
    expect(delivery.state).toBe('acknowledged')
    expect(l.received).toHaveLength(8)
  })

  it('sends copies, extra delay and a bad token when the scenario asks', async () => {
    const l = await merchantListener()
    const sandbox = sandboxWith()
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        {
          match: { reference: 'dup' },
          timeline: [{ after: '10s', status: 'approved', callback: { copies: 2, signature: 'invalid', delay: '5s' } }],
        },
      ],
    })
    const created = await (
      await sandbox.fetch(
        connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'dup', callbackUrl: `${l.url}/cb` }),
      )
    ).json()
    await sandbox.clock.advance('14s')
    expect(l.received).toHaveLength(0)
    await sandbox.clock.advance('1s')
    expect(l.received).toHaveLength(2)
    expect(l.received[0].body).toBe(l.received[1].body)
    const good = createHash('sha256').update(`${CONNECX.merchantId}${created.txnId}${CONNECX.apiKey}`).digest('hex')
    expect(l.received[0].headers['x-paymesh-authz']).not.toBe(good)
    expect(connecx.verifyCallback(l.received[0].headers['x-paymesh-authz'] as string, created, CONNECX)).toBe(false)
  })

  it('the wrongly signed copy is the token of the documented recipe over the API key plus "-wrong" (reproducible, never the right one)', async () => {
    const seen: Array<{ headers: Record<string, string> }> = []
    const sandbox = sandboxWith({ ...AUTO, onCallback: (cb) => void seen.push(cb) })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        {
          match: { reference: 'badsig' },
          timeline: [{ after: '2s', status: 'approved', callback: { signature: 'invalid' } }],
        },
      ],
    })
    const created = await (
      await sandbox.fetch(
        connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'badsig', callbackUrl: `${B}/cb` }),
      )
    ).json()
    await sandbox.clock.advance('2s')
    expect(seen).toHaveLength(1)
    expect(seen[0].headers['X-paymesh-authz']).toBe(
      createHash('sha256').update(`${CONNECX.merchantId}${created.txnId}${CONNECX.apiKey}-wrong`).digest('hex'),
    )
  })

  it("the merchant's tokenRecipes.callback makes the X-paymesh-authz token; a setting without it falls back to the default recipe", async () => {
    const seen: Array<{ headers: Record<string, string>; body: string }> = []
    const sandbox = sandboxWith({ ...AUTO, onCallback: (cb) => void seen.push(cb) })
    // Another recipe for the callback: the documentation lets any body key take part.
    await sandbox.merchants.patch('connecx', CONNECX.merchantId, {
      tokenRecipes: { callback: ['apiKey', 'status', 'txnId'] },
    })
    const first = await (
      await sandbox.fetch(
        connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'own-recipe', callbackUrl: `${B}/cb` }),
      )
    ).json()
    await sandbox.clock.advance('2s')
    expect(seen).toHaveLength(1)
    expect(seen[0].headers['X-paymesh-authz']).toBe(
      createHash('sha256').update(`${CONNECX.apiKey}COMPLETED${first.txnId}`).digest('hex'),
    )
    // Only a payment recipe set: the callback recipe is the default sha256(merchantId + txnId + apiKey).
    await sandbox.merchants.patch('connecx', CONNECX.merchantId, {
      tokenRecipes: { payment: ['merchantId', 'requestSalt', 'paymentRef', 'apiKey'] },
    })
    const second = await (
      await sandbox.fetch(
        connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'default-recipe', callbackUrl: `${B}/cb` }),
      )
    ).json()
    await sandbox.clock.advance('2s')
    expect(seen).toHaveLength(2)
    expect(seen[1].headers['X-paymesh-authz']).toBe(
      createHash('sha256').update(`${CONNECX.merchantId}${second.txnId}${CONNECX.apiKey}`).digest('hex'),
    )
  })

  it('the loop guard never calls the sandbox’s own provider paths', async () => {
    const sandbox = sandboxWith(AUTO)
    sandbox.engine.selfHosts.add('localhost:8080')
    await sandbox.fetch(
      connecxPayment(B, 'bdpayin', { ...seedPayIn(), callbackUrl: `${B}/mxapi/${CONNECX.merchantId}/bdpayin` }),
    )
    await sandbox.clock.advance('2s')
    const [delivery] = sandbox.callbacks.list()
    expect(delivery.state).toBe('refused')
    expect(delivery.attempts[0].error).toContain('loop guard')
  })

  it('onCallback receives callbacks in-process instead of HTTP', async () => {
    const seen: string[] = []
    const sandbox = sandboxWith({ ...AUTO, onCallback: (cb) => void seen.push(cb.body) })
    await sandbox.fetch(connecxPayment(B, 'bdpayin', seedPayIn()))
    await sandbox.clock.advance('2s')
    expect(seen).toHaveLength(1)
    expect(JSON.parse(seen[0]).status).toBe('COMPLETED')
  })
})

describe('persistence across a restart (real lowdb file)', () => {
  const temp = tempDirs('psp-sandbox-')
  const dataDir = () => join(temp(), 'db.json')

  it('an acknowledged transaction is there after a restart', async () => {
    const data = dataDir()
    const first = createSandbox({ data, clock: 'virtual' })
    const created = await (await first.fetch(connecxPayment(B, 'bdpayin', seedPayIn()))).json()
    // No close(): the answer alone must mean the transaction is durable (simulated crash).
    const second = sandboxWith({ data })
    await second.ready
    const [tx] = second.transactions.list({ reference: 'abc123XYZ' })
    expect(tx).toMatchObject({ providerRef: String(created.txnId), status: 'pending' })
    await first.close()
  })

  it('a pending callback is delivered after a restart', async () => {
    const data = dataDir()
    const l = await merchantListener((_r, n) => (n === 1 ? { status: 500 } : { status: 200 }))
    const first = createSandbox({ data, clock: 'virtual' })
    await first.fetch(connecxPayment(B, 'bdpayout', { ...seedPayOut(), callbackUrl: `${l.url}/cb` }))
    await first.clock.advance('2s') // attempt 1 answered 500: retry scheduled in 1 minute
    expect(first.callbacks.list()[0].state).toBe('scheduled')
    await first.close()

    const second = sandboxWith({ data, clock: 'virtual' })
    await second.ready
    expect(second.callbacks.list()[0]).toMatchObject({ state: 'scheduled', attempts: [{ status: 500 }] })
    await second.clock.advance('1m')
    expect(second.callbacks.list()[0].state).toBe('acknowledged')
    expect(l.received).toHaveLength(2)
  })

  it('a scheduled timeline step resumes after a restart', async () => {
    const data = dataDir()
    const first = createSandbox({ data, clock: 'virtual', ...AUTO })
    await first.fetch(connecxPayment(B, 'bdpayin', seedPayIn()))
    await first.close()
    const second = sandboxWith({ data, clock: 'virtual' })
    await second.ready
    await second.clock.advance('2s')
    expect(second.transactions.list()[0].status).toBe('approved')
  })
})
