import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connecx } from '../src/client.js'
import { createSandbox, type Sandbox } from '../src/sandbox.js'
import { listen, type RunningServer } from '../src/server.js'
import { CONNECX, connecxPayment, seedPayIn } from './helpers.js'

let sandbox: Sandbox
let server: RunningServer
beforeAll(async () => {
  sandbox = createSandbox({ clock: 'virtual' })
  server = await listen(sandbox, { port: 0 })
})
afterAll(() => server.close())

const payin = (body: Record<string, unknown>, init?: RequestInit) => {
  const req = connecxPayment(server.url, 'bdpayin', body)
  return fetch(req.url, { method: 'POST', headers: req.headers, body: JSON.stringify(body), ...init })
}
const alive = async () => (await fetch(`${server.url}/_sandbox/health`)).status === 200

describe('bad input over a real socket gets the Connecx envelope and the server keeps serving', () => {
  const raw = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/mxapi/${CONNECX.merchantId}/bdpayin`, {
      method: 'POST',
      headers: { 'X-paymesh-authz': 'a', 'Content-Type': 'application/json', ...headers },
      body,
    })

  it('non-JSON', async () => {
    const res = await raw('{not json')
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({ msgCode: 'E3000', msgText: 'Bad Request Error' })
    expect(await alive()).toBe(true)
  })

  it('wrong types and missing fields', async () => {
    const res = await payin({ ...seedPayIn(), endUserInfo: 'nobody', txnAmount: true })
    expect(res.status).toBe(422)
    expect((await res.json()).msgCode).toMatch(/^E(2020|9998)$/)
    expect(await alive()).toBe(true)
  })

  it('unknown merchant', async () => {
    const res = await fetch(`${server.url}/mxapi/1234/bdpayin`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({ msgCode: 'E1000', msgText: 'Invalid merchant' })
  })

  it('a 10 MB body is refused without being read whole (with and without Content-Length)', async () => {
    const big = new Uint8Array(10 * 1024 * 1024).fill(0x61)
    const res = await raw(big)
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({ msgCode: 'E3000', msgText: 'Bad Request Error' })
    // chunked: no Content-Length header
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/mxapi/${CONNECX.merchantId}/bdpayin`,
        { method: 'POST', headers: { 'X-paymesh-authz': 'a', 'Transfer-Encoding': 'chunked' } },
        (r) => {
          let body = ''
          r.on('data', (d) => (body += d))
          r.on('end', () => resolve({ status: r.statusCode!, body }))
        },
      )
      req.on('error', reject)
      req.on('socket', (s) => s.on('error', () => {}))
      for (let i = 0; i < 10; i++) req.write(Buffer.alloc(1024 * 1024, 0x62))
      req.end()
    })
    expect(chunked.status).toBe(422)
    expect(JSON.parse(chunked.body)).toEqual({ msgCode: 'E3000', msgText: 'Bad Request Error' })
    expect(await alive()).toBe(true)
    expect(sandbox.journal.list({ kind: 'request', limit: 1 })[0].notes.join()).toContain('larger than')
  })

  it('a valid request still works afterwards', async () => {
    expect((await payin({ ...seedPayIn(), paymentRef: 'after-bad-input' })).status).toBe(200)
  })
})

describe('respond faults, as a client sees them on the socket', () => {
  const use = (ref: string, respond: Record<string, unknown>) =>
    sandbox.scenarios.use({ provider: 'connecx', rules: [{ match: { reference: ref }, respond } as never] })

  it('reset: the connection is dropped and nothing is stored', async () => {
    use('f-reset', { fault: 'reset' })
    await expect(payin({ ...seedPayIn(), paymentRef: 'f-reset' })).rejects.toThrow()
    expect(sandbox.transactions.list({ reference: 'f-reset' })).toHaveLength(0)
    expect(await alive()).toBe(true)
  })

  it('timeout (and the HANG magic word): no answer until the client gives up', async () => {
    const started = Date.now()
    await expect(payin({ ...seedPayIn(), paymentRef: 'x-HANG' }, { signal: AbortSignal.timeout(300) })).rejects.toThrow(
      /abort|timeout/i,
    )
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(await alive()).toBe(true)
  })

  it('empty and malformed bodies after processing', async () => {
    use('f-empty', { fault: 'empty' })
    const empty = await payin({ ...seedPayIn(), paymentRef: 'f-empty' })
    expect(empty.status).toBe(200)
    expect(await empty.text()).toBe('')
    expect(sandbox.transactions.list({ reference: 'f-empty' })).toHaveLength(1)
    use('f-bad', { fault: 'malformed' })
    const bad = await payin({ ...seedPayIn(), paymentRef: 'f-bad' })
    const text = await bad.text()
    expect(() => JSON.parse(text)).toThrow()
    expect(text.startsWith('{"txnType":"PAY-IN"')).toBe(true)
  })

  it('http-500 and http-503 from the gateway', async () => {
    use('f-500', { fault: 'http-500' })
    use('f-503', { fault: 'http-503', processed: true })
    const a = await payin({ ...seedPayIn(), paymentRef: 'f-500' })
    expect(a.status).toBe(500)
    expect(await a.text()).toContain('500 Internal Server Error')
    const b = await payin({ ...seedPayIn(), paymentRef: 'f-503' })
    expect(b.status).toBe(503)
    expect(sandbox.transactions.list({ reference: 'f-500' })).toHaveLength(0)
    expect(sandbox.transactions.list({ reference: 'f-503' })).toHaveLength(1)
  })

  it('latency (SLOW) waits on the sandbox clock', async () => {
    let done = false
    const pending = payin({ ...seedPayIn(), paymentRef: 'x-SLOW' }).then((r) => ((done = true), r))
    await new Promise((r) => setTimeout(r, 100))
    expect(done).toBe(false)
    await sandbox.clock.advance('5s')
    expect((await pending).status).toBe(200)
  })

  it('times: a rule applies only so many times (flaky network)', async () => {
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ times: 2, match: { reference: { regex: '^FLAKY' } }, respond: { fault: 'http-503' } }],
    })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await payin({ ...seedPayIn(), paymentRef: 'FLAKY-1' })).status)
    expect(statuses).toEqual([503, 503, 200])
    sandbox.scenarios.reset()
  })
})

describe('admin API over the socket', () => {
  it('health is ok once ready; the clock advances; journal explains', async () => {
    expect(await (await fetch(`${server.url}/_sandbox/health`)).json()).toEqual({ status: 'ok' })
    const adv = await fetch(`${server.url}/_sandbox/clock/advance`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ by: '90s' }),
    })
    expect(adv.status).toBe(200)
    expect(typeof (await adv.json()).now).toBe('number')
  })

  it('answers the seed query token check on a real socket', async () => {
    const res = await fetch(`${server.url}/mxapi/${CONNECX.merchantId}/bankcodes/USDMOCK-001`, {
      headers: { 'X-paymesh-authz': connecx.tokenFor('bankcodes', { ...CONNECX, channelCode: 'USDMOCK-001' }) },
    })
    expect(res.status).toBe(200)
  })
})
