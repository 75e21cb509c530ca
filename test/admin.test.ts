import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../src/sandbox.js'
import { CONNECX, connecxPayment, listener, seedPayIn, seedPayOut } from './helpers.js'

const B = 'http://localhost:8080'
let sandbox: Sandbox
beforeEach(() => {
  sandbox = createSandbox({ clock: 'virtual' })
})
afterEach(() => sandbox.close())

const admin = async (method: string, path: string, body?: unknown, type = 'application/json') => {
  const res = await sandbox.fetch(
    new Request(`${B}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': type },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  )
  return {
    status: res.status,
    body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text(),
  }
}

describe('admin API (/_sandbox)', () => {
  it('health answers {"status":"ok"} once ready', async () => {
    await sandbox.ready
    expect(await admin('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } })
  })

  it('health answers 503 before state is loaded', async () => {
    const fresh = createSandbox()
    expect(fresh.engine.ready).toBe(false)
    const res = await fresh.app.request('/_sandbox/health')
    expect(res.status).toBe(503)
    await fresh.close()
  })

  it('merchants: list, patch (typed, known keys only), get', async () => {
    const list = await admin('GET', '/merchants')
    expect(list.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          provider: 'connecx',
          id: CONNECX.merchantId,
          apiKey: CONNECX.apiKey,
          accountId: '1000000001',
        }),
      ]),
    )
    const patched = await admin('PATCH', `/merchants/connecx/${CONNECX.merchantId}`, { apiKey: 'another-key' })
    expect(patched).toMatchObject({ status: 200, body: { apiKey: 'another-key' } })
    expect(await admin('PATCH', `/merchants/connecx/${CONNECX.merchantId}`, { apiKye: 'x' })).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('"apiKye" is not a connecx merchant setting') },
    })
    expect(await admin('PATCH', `/merchants/connecx/${CONNECX.merchantId}`, { active: 'yes' })).toMatchObject({
      status: 400,
      body: { error: '"active" must be a boolean, got a string' },
    })
    expect(await admin('PATCH', '/merchants/connecx/1', { active: true })).toMatchObject({ status: 404 })
    expect(await admin('PATCH', `/merchants/connecx/${CONNECX.merchantId}`, '{oops')).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('not valid JSON') },
    })
  })

  it('transactions: list with filters newest first, get with scheduled steps, transition with callback', async () => {
    const l = await listener()
    try {
      await sandbox.fetch(
        connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'a-PENDING', callbackUrl: `${l.url}/cb` }),
      )
      await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'b', callbackUrl: `${l.url}/cb` }))
      const all = await admin('GET', '/transactions?provider=connecx')
      expect(all.body.map((t: { reference: string }) => t.reference)).toEqual(['b', 'a-PENDING'])
      const [a] = (await admin('GET', '/transactions?reference=a-PENDING')).body
      expect(Object.keys(a)).toEqual(
        expect.arrayContaining(['id', 'provider', 'merchant', 'reference', 'providerRef', 'status', 'history']),
      )
      const b = (await admin('GET', '/transactions?reference=b')).body[0]
      expect((await admin('GET', `/transactions/${b.id}`)).body.scheduled).toHaveLength(1)
      const moved = await admin('POST', `/transactions/${a.id}/transition`, { status: 'INSUFFICENT_FUNDS' })
      expect(moved.body).toMatchObject({ status: 'declined', nativeStatus: 'INSUFFICENT_FUNDS' })
      await sandbox.clock.advance(0) // runs what is due now and waits for it
      expect(JSON.parse(l.received[0].body)).toMatchObject({
        paymentRef: 'a-PENDING',
        status: 'FAILED',
        txnResultCode: 'INSUFFICENT_FUNDS',
      })
      expect(await admin('POST', `/transactions/${a.id}/transition`, { status: 'bogus' })).toMatchObject({
        status: 400,
        body: { error: expect.stringContaining('"bogus" is not a status of connecx') },
      })
      expect(await admin('GET', '/transactions/connecx-999')).toMatchObject({ status: 404 })

      const cbs = await admin('GET', '/callbacks?reference=a-PENDING')
      expect(cbs.body[0]).toMatchObject({ state: 'acknowledged', event: 'FAILED' })
      const again = await admin('POST', `/callbacks/${cbs.body[0].id}/redeliver`)
      expect(again.body.attempts).toHaveLength(2)
      expect(l.received).toHaveLength(2)
    } finally {
      await l.close()
    }
  })

  it('scenarios: PUT (JSON or YAML) replaces the runtime layer, errors name rule and field, reset clears', async () => {
    const put = await admin(
      'PUT',
      '/scenarios',
      'provider: connecx\nrules:\n  - match: { amount: { gte: 500 } }\n    outcome: declined\n',
      'application/yaml',
    )
    expect(put.status).toBe(200)
    const before = await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), txnAmount: 600 }))
    expect(before.status).toBe(200)
    expect(sandbox.transactions.list()[0].rule).toContain('runtime scenario for connecx')
    const bad = await admin('PUT', '/scenarios', { provider: 'connecx', rules: [{ match: { amount: { gtee: 1 } } }] })
    expect(bad).toMatchObject({
      status: 400,
      body: {
        details: [
          'rule 1: match.amount: unknown operator `gtee` (did you mean `gte`?) (allowed: regex, in, gte, lte, gt, lt, contains, exists, not, equals)',
        ],
      },
    })
    const effective = (await admin('GET', '/scenarios?provider=connecx')).body.effective.connecx
    expect(effective[0]).toMatchObject({ layer: 'runtime', hits: 1 })
    await admin('POST', '/scenarios/reset')
    expect((await admin('GET', '/scenarios')).body.layers.runtime).toEqual([])
  })

  it('clock: GET and advance; 409 with a real clock', async () => {
    expect((await admin('GET', '/clock')).body).toMatchObject({ mode: 'virtual' })
    const t0 = sandbox.clock.now()
    expect((await admin('POST', '/clock/advance', { by: '90s' })).body.now).toBe(t0 + 90_000)
    expect(await admin('POST', '/clock/advance', { by: 'soon' })).toMatchObject({ status: 400 })
    const real = createSandbox()
    const res = await real.app.request('/_sandbox/clock/advance', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"by":"1s"}',
    })
    expect(res.status).toBe(409)
    await real.close()
  })

  it('journal explains each request; reset empties everything', async () => {
    await sandbox.fetch(connecxPayment(B, 'bdpayin', seedPayIn(), { token: 'bad' }))
    const [entry] = (await admin('GET', '/journal?provider=connecx&kind=request')).body
    expect(entry).toMatchObject({ method: 'POST', status: 422, auth: { ok: false } })
    expect(entry.requestBody).toContain('"paymentRef":"abc123XYZ"')
    expect(entry.responseBody).toBe('{"msgCode":"E2004","msgText":"Invalid transaction authorization"}')
    await sandbox.fetch(connecxPayment(B, 'bdpayin', seedPayIn()))
    await sandbox.merchants.patch('connecx', CONNECX.merchantId, { apiKey: 'x' })
    expect((await admin('POST', '/reset')).body).toEqual({ status: 'reset' })
    expect((await admin('GET', '/transactions')).body).toEqual([])
    expect((await admin('GET', `/merchants/connecx/${CONNECX.merchantId}`)).body.apiKey).toBe(CONNECX.apiKey)
    expect((await admin('GET', '/journal')).body).toEqual([])
  })

  it('unknown admin paths answer 404 JSON; docs list the providers', async () => {
    expect(await admin('GET', '/nope')).toMatchObject({
      status: 404,
      body: { error: expect.stringContaining('/_sandbox/docs') },
    })
    expect((await admin('GET', '/docs')).body).toContain('Connecx Unified Payments')
  })
})

describe('merchant settings are checked by the provider', () => {
  it('refuses a token recipe that is not a list, a bad unit and a bad retry schedule', async () => {
    const patch = (body: unknown) =>
      sandbox.fetch(
        new Request(`${B}/_sandbox/merchants/connecx/${CONNECX.merchantId}`, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }),
      )
    const bad = await patch({ tokenRecipes: { payment: 'x' } })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toContain('tokenRecipes.payment must be a list of field names')
    expect((await patch({ statusTimeStampUnit: 'hours' })).status).toBe(400)
    expect((await patch({ callbackRetrySchedule: [1] })).status).toBe(400)
    // and the sandbox still answers pay-ins
    expect((await sandbox.fetch(connecxPayment(B, 'bdpayin', seedPayIn()))).status).toBe(200)
  })

  it('a YAML syntax error in PUT /scenarios is a 400', async () => {
    const res = await sandbox.fetch(
      new Request(`${B}/_sandbox/scenarios`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/yaml' },
        body: 'provider: [unclosed\nrules: {',
      }),
    )
    expect(res.status).toBe(400)
    expect((await res.json()).error).toContain('not valid YAML')
  })

  it('a PATCHed balance takes effect even after the balance moved', async () => {
    await sandbox.fetch(connecxPayment(B, 'bdpayout', { ...seedPayOut(), paymentRef: 'p1' }))
    await sandbox.merchants.patch('connecx', CONNECX.merchantId, { balances: { USD: 5, CNY: 0 } })
    const body = await (
      await sandbox.fetch(connecxPayment(B, 'bdpayout', { ...seedPayOut(), paymentRef: 'p2' }))
    ).json()
    expect(body).toMatchObject({ status: 'FAILED', txnResultCode: 'INSUFFICENT_FUNDS' })
  })

  it('callbackRetrySchedule changes the retry schedule', async () => {
    const l = await listener(() => ({ status: 500 }))
    try {
      // customer: auto — the pay-in completes on its own, so its callback is the one retried.
      await sandbox.merchants.patch('connecx', CONNECX.merchantId, { callbackRetrySchedule: ['10s'], customer: 'auto' })
      await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), callbackUrl: `${l.url}/cb` }))
      await sandbox.clock.advance('12s')
      expect(sandbox.callbacks.list()[0]).toMatchObject({ state: 'failed' })
      expect(l.received).toHaveLength(2)
    } finally {
      await l.close()
    }
  })
})
