import http, { createServer, type IncomingMessage, type Server } from 'node:http'
import { createServer as createNetServer, type Socket } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { httpDeliver } from '../../src/engine/delivery.js'
import type { CallbackRequest } from '../../src/engine/provider.js'
import type { Sandbox } from '../../src/sandbox.js'
import { CONNECX_AUTO, connecxPayment, disposables, seedPayIn } from '../helpers.js'
import { TRIGGERS } from '../support/callbacks.js'

/**
 * The delivery queue at its edges, watched from outside (Connecx as the provider: any 2xx
 * acknowledges, retries 1m 5m 15m 1h 3h 6h): copies asked for by the admin API, a delay, many
 * copies at one moment, the loop guard, long answers, what each network failure is called, and
 * the default HTTP delivery on a real server.
 */
const B = 'http://localhost:8080'
const MERCHANT = 'https://merchant.example/cb'
const use = disposables({ providers: ['connecx'], merchants: CONNECX_AUTO })

async function payTo(sandbox: Sandbox, callbackUrl: string, paymentRef = 'CB-EDGE'): Promise<void> {
  const res = await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef, callbackUrl }))
  expect(res.status, await res.text()).toBe(200)
}

const errorOf = (thrown: unknown) => () => {
  throw thrown
}

describe('copies asked for by the admin API', () => {
  it('a duplicate is the same bytes again, sent at once, logged as a duplicate', async () => {
    const seen: CallbackRequest[] = []
    const sandbox = use.sandbox({ onCallback: (cb) => void seen.push(cb) })
    await payTo(sandbox, MERCHANT)
    await sandbox.clock.advance('2s')
    const [original] = sandbox.callbacks.list()
    const copy = (await sandbox.engine.callbacks.copy(original.id, 'duplicate'))!
    expect(copy.id).not.toBe(original.id)
    expect(copy).toMatchObject({ state: 'acknowledged', signature: 'valid', failures: 0 })
    expect(copy.request).toEqual(original.request)
    expect(copy.attempts).toHaveLength(1)
    expect(copy.createdAt).toBe(sandbox.clock.now())
    expect(seen).toHaveLength(2)
    expect(seen[1]).toEqual(seen[0])
    expect(sandbox.journal.list({ kind: 'admin', limit: 1 })[0].notes).toEqual([
      `${copy.id}: a duplicate of ${original.id} scheduled`,
    ])
    expect(sandbox.journal.list({ kind: 'callback', limit: 1 })[0].notes[0]).toBe(
      `${copy.id} attempt 1 (${original.event}): acknowledged`,
    )
    expect(await sandbox.engine.callbacks.copy('cb-404', 'duplicate')).toBeUndefined()
  })

  it('a badly signed copy carries another signature, and the logs say it is deliberate', async () => {
    const seen: CallbackRequest[] = []
    const sandbox = use.sandbox({ onCallback: (cb) => void seen.push(cb) })
    await payTo(sandbox, MERCHANT)
    await sandbox.clock.advance('2s')
    const [original] = sandbox.callbacks.list()
    const copy = (await sandbox.engine.callbacks.copy(original.id, 'invalid'))!
    expect(copy.signature).toBe('invalid')
    expect(seen).toHaveLength(2)
    expect(seen[1].body).toBe(seen[0].body)
    expect(seen[1].headers['X-paymesh-authz']).toBeDefined()
    expect(seen[1].headers['X-paymesh-authz']).not.toBe(seen[0].headers['X-paymesh-authz'])
    expect(sandbox.journal.list({ kind: 'admin', limit: 1 })[0].notes).toEqual([
      `${copy.id}: a badly signed copy of ${original.id} scheduled`,
    ])
    expect(sandbox.journal.list({ kind: 'callback', limit: 1 })[0].notes[0]).toBe(
      `${copy.id} attempt 1 (${original.event}, deliberately bad signature): acknowledged`,
    )
  })
})

describe('scheduling', () => {
  it('a delayed callback goes out exactly after its delay', async () => {
    const sent: number[] = []
    const sandbox = use.sandbox({ onCallback: () => void sent.push(sandbox.clock.now()) })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: {}, timeline: [{ after: '1s', status: 'approved', callback: { delay: '30s' } }] }],
    })
    await payTo(sandbox, MERCHANT)
    await sandbox.clock.advance('1s')
    const [d] = sandbox.callbacks.list()
    expect(d.dueAt - d.createdAt).toBe(30_000)
    await sandbox.clock.advance(30_000 - 1)
    expect(sent).toEqual([])
    await sandbox.clock.advance(1)
    expect(sent).toEqual([d.createdAt + 30_000])
  })

  it('twelve copies made at one moment are listed by their number, newest first (cb-12 before cb-9)', async () => {
    const sandbox = use.sandbox({ onCallback: () => {} })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: {}, timeline: [{ after: '1s', status: 'approved', callback: { copies: 12 } }] }],
    })
    await payTo(sandbox, MERCHANT)
    await sandbox.clock.advance('1s')
    expect(sandbox.callbacks.list().map((d) => d.id)).toEqual([
      'cb-12',
      'cb-11',
      'cb-10',
      'cb-9',
      'cb-8',
      'cb-7',
      'cb-6',
      'cb-5',
      'cb-4',
      'cb-3',
      'cb-2',
      'cb-1',
    ])
  })

  it('listeners hear a delivery when it is scheduled and after each attempt', async () => {
    let answer = 500
    const sandbox = use.sandbox({ onCallback: () => ({ status: answer, body: '' }) })
    const heard: string[] = []
    sandbox.engine.events.listen((e) => {
      if (e.type === 'delivery') heard.push(`${e.delivery.id} ${e.delivery.state} ${e.delivery.attempts.length}`)
    })
    await payTo(sandbox, MERCHANT)
    await sandbox.clock.advance('2s')
    answer = 200
    await sandbox.clock.advance('1m')
    expect(heard).toEqual(['cb-1 scheduled 0', 'cb-1 scheduled 1', 'cb-1 acknowledged 2'])
  })

  it("a callback to one of the sandbox's own provider paths is refused, never sent and never retried", async () => {
    const seen: CallbackRequest[] = []
    const sandbox = use.sandbox({ onCallback: (cb) => void seen.push(cb) })
    await payTo(sandbox, 'https://connecx.test/mxapi/1/bdpayin')
    await sandbox.clock.advance('2s')
    await sandbox.clock.advance('1d')
    const [d] = sandbox.callbacks.list()
    expect(d.state).toBe('refused')
    expect(d.attempts).toHaveLength(1)
    expect(d.attempts[0].error).toMatch(/^loop guard: /)
    expect(d.failures).toBe(0)
    expect(seen).toEqual([])
    expect(sandbox.journal.list({ kind: 'callback', limit: 1 })[0].notes[1]).toBe('delivery refused')
  })
})

describe('what an attempt records', () => {
  it('an answer is kept up to 2,048 characters; the error quotes its first 200', async () => {
    const body = 'abcdefghij'.repeat(300)
    const sandbox = use.sandbox({ onCallback: () => ({ status: 500, body }) })
    await payTo(sandbox, MERCHANT)
    await sandbox.clock.advance('2s')
    const [attempt] = sandbox.callbacks.list()[0].attempts
    expect(attempt.responseBody).toBe(body.slice(0, 2048))
    expect(attempt.error).toBe(
      `not acknowledged: Connecx Unified Payments expects any HTTP 2xx answer; got HTTP 500 with body "${body.slice(0, 200)}"`,
    )
  })

  it('how long the merchant took, in real milliseconds', async () => {
    const sandbox = use.sandbox({
      onCallback: () => new Promise<void>((resolve) => setTimeout(resolve, 150)),
    })
    await payTo(sandbox, MERCHANT)
    await sandbox.clock.advance('2s')
    const [attempt] = sandbox.callbacks.list()[0].attempts
    expect(attempt.durationMs).toBeGreaterThanOrEqual(140)
    expect(attempt.durationMs).toBeLessThan(60_000)
  })

  it.each([
    [
      'ECONNREFUSED',
      Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
      `connection refused by ${MERCHANT}: is the merchant's listener running?`,
    ],
    ['ENOTFOUND', Object.assign(new Error('x'), { code: 'ENOTFOUND' }), `the host of ${MERCHANT} does not resolve`],
    [
      'ECONNRESET',
      Object.assign(new Error('x'), { code: 'ECONNRESET' }),
      `the connection to ${MERCHANT} was reset before an answer came`,
    ],
    [
      'EPIPE',
      Object.assign(new Error('x'), { code: 'EPIPE' }),
      `the connection to ${MERCHANT} was reset before an answer came`,
    ],
    [
      'UND_ERR_SOCKET in the cause',
      new Error('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }),
      `the connection to ${MERCHANT} was reset before an answer came`,
    ],
    [
      'ECONNREFUSED in the cause',
      new Error('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }),
      `connection refused by ${MERCHANT}: is the merchant's listener running?`,
    ],
    [
      'a TimeoutError',
      Object.assign(new Error('slow'), { name: 'TimeoutError' }),
      `no answer from ${MERCHANT} in time (the sandbox gives up on an attempt after its callback timeout)`,
    ],
    [
      'an AbortError',
      Object.assign(new Error('aborted'), { name: 'AbortError' }),
      `no answer from ${MERCHANT} in time (the sandbox gives up on an attempt after its callback timeout)`,
    ],
    [
      'anything else, with its cause',
      new Error('fetch failed', { cause: new Error('bad certificate') }),
      'fetch failed (bad certificate)',
    ],
    ['anything else', new Error('something broke'), 'something broke'],
  ])('a failure by %s is called what it is', async (_, thrown, words) => {
    const sandbox = use.sandbox({ onCallback: errorOf(thrown) })
    await payTo(sandbox, MERCHANT)
    await sandbox.clock.advance('2s')
    const [d] = sandbox.callbacks.list()
    expect(d.attempts[0]).toMatchObject({ acknowledged: false, error: words })
    expect(d.attempts[0].status).toBeUndefined()
    expect(d).toMatchObject({ state: 'scheduled', failures: 1 })
  })
})

/** A real HTTP server answering each request with `answer`; the requests it saw, raw header names kept. */
async function server(answer: (req: IncomingMessage, body: string) => { status: number; body: string }) {
  const seen: Array<{ method: string; rawHeaders: string[]; body: string }> = []
  const s: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      seen.push({ method: req.method!, rawHeaders: req.rawHeaders, body })
      const a = answer(req, body)
      res.writeHead(a.status).end(a.body)
    })
  })
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  use.defer(() => {
    s.closeAllConnections()
    return new Promise((resolve) => s.close(resolve))
  })
  return { url: `http://127.0.0.1:${(s.address() as { port: number }).port}`, seen }
}

/**
 * `http:` callbacks go through the lean HTTP/1.1 client, or through node:http while something
 * intercepts `http.request` (msw wraps it in a Proxy): the same behaviour is expected of both.
 */
const TRANSPORTS = ['the lean client', 'node:http, with http.request intercepted as msw does'] as const

describe.each(TRANSPORTS)('the default HTTP delivery through %s', (transport) => {
  interceptedWhile(transport)

  it('adds Content-Length to a body unless the provider set one (in any case), and sends a GET without a body', async () => {
    const srv = await server(() => ({ status: 200, body: 'OK' }))
    const deliver = httpDeliver({ timeoutMs: 5000 })
    use.defer(() => deliver.close())
    const post = { url: `${srv.url}/cb`, method: 'POST' as const, headers: { 'X-Sig': 'a' }, body: 'é=1', event: 'x' }
    expect(await deliver(post)).toEqual({ status: 200, body: 'OK' })
    await deliver({ ...post, headers: { 'content-length': '4' } })
    await deliver({ ...post, method: 'GET', url: `${srv.url}/cb?a=1`, body: 'ignored', headers: {} })
    const lengths = srv.seen.map((r) =>
      r.rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === 'content-length'),
    )
    expect(lengths).toEqual([['Content-Length'], ['content-length'], []])
    const value = (i: number, name: string) => srv.seen[i].rawHeaders[srv.seen[i].rawHeaders.indexOf(name) + 1]
    expect(value(0, 'Content-Length')).toBe('4') // bytes, not characters
    expect(srv.seen.map((r) => [r.method, r.body])).toEqual([
      ['POST', 'é=1'],
      ['POST', 'é=1'],
      ['GET', ''],
    ])
  })

  it('reads at most maxAnswerBytes of an answer', async () => {
    const srv = await server(() => ({ status: 202, body: 'x'.repeat(100_000) }))
    const deliver = httpDeliver({ timeoutMs: 5000, maxAnswerBytes: 1000 })
    use.defer(() => deliver.close())
    const answer = await deliver({ url: `${srv.url}/cb`, method: 'POST', headers: {}, body: '{}', event: 'x' })
    expect(answer.status).toBe(202)
    expect(answer.body).toBe('x'.repeat(1000))
  })

  it('refuses a URL that is not http(s), and gives up on a silent merchant after the timeout', async () => {
    const deliver = httpDeliver({ timeoutMs: 200 })
    use.defer(() => deliver.close())
    const request = { url: 'ftp://merchant.example/cb', method: 'POST' as const, headers: {}, body: '', event: 'x' }
    await expect(deliver(request)).rejects.toThrow(
      '"ftp://merchant.example/cb" is not an http(s) URL; the callback cannot be sent',
    )
    const silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    use.defer(() => {
      silent.closeAllConnections()
      return new Promise((resolve) => silent.close(resolve))
    })
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}/cb`
    const started = Date.now()
    await expect(deliver({ ...request, url })).rejects.toMatchObject({
      name: 'TimeoutError',
      message: 'no answer within 200 ms',
    })
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
  })
})

describe.each(TRANSPORTS)('kept-alive connections through %s', (transport) => {
  interceptedWhile(transport)

  /** A raw HTTP server: answers the first request of each connection; `later` decides the rest (reset or answer). */
  async function keepAliveServer(resetLater: boolean, resetFirst = false) {
    const requests: number[] = []
    let connections = 0
    const sockets = new Set<Socket>()
    const s = createNetServer((socket) => {
      sockets.add(socket)
      const connection = ++connections
      let seen = 0
      socket.on('data', (chunk) => {
        if (!chunk.includes('\r\n\r\n')) return
        seen++
        requests.push(connection)
        if ((seen === 1 && resetFirst) || (seen > 1 && resetLater)) return void socket.resetAndDestroy()
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nOK')
      })
    })
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
    use.defer(() => {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => s.close(resolve))
    })
    const url = `http://127.0.0.1:${(s.address() as { port: number }).port}/cb`
    return { url, requests }
  }
  const request = (url: string) => ({ url, method: 'POST' as const, headers: {}, body: '{}', event: 'x' })

  it('a reused connection the merchant reset is tried once more on a fresh one', async () => {
    const srv = await keepAliveServer(true)
    const deliver = httpDeliver({ timeoutMs: 5000 })
    use.defer(() => deliver.close())
    expect(await deliver(request(srv.url))).toEqual({ status: 200, body: 'OK' })
    expect(await deliver(request(srv.url))).toEqual({ status: 200, body: 'OK' })
    // Connection 1 answered, then was reset on its second request; connection 2 answered it.
    expect(srv.requests).toEqual([1, 1, 2])
  })

  it('a fresh connection that is reset is not tried again', async () => {
    const srv = await keepAliveServer(false, true)
    const deliver = httpDeliver({ timeoutMs: 5000 })
    use.defer(() => deliver.close())
    await expect(deliver(request(srv.url))).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(srv.requests).toEqual([1])
  })
})

/** For the node:http transport: `http.request` wrapped in a Proxy (as msw's interceptor does) around each test. */
function interceptedWhile(transport: (typeof TRANSPORTS)[number]) {
  const original = http.request
  const intercepted = transport !== TRANSPORTS[0]
  let calls = 0
  beforeEach(() => {
    calls = 0
    if (intercepted)
      http.request = new Proxy(original, { apply: (f, self, args) => (calls++, Reflect.apply(f, self, args)) })
  })
  afterEach(() => {
    http.request = original
    // each test sends at least one callback: through node:http exactly when it is intercepted
    if (intercepted) expect(calls).toBeGreaterThan(0)
    else expect(calls).toBe(0)
  })
}

describe('per provider', () => {
  const payatom = disposables({ providers: ['payatom'] })

  it('no callback when the provider builds none (PayAtom without a webhook URL): nothing is scheduled', async () => {
    const seen: CallbackRequest[] = []
    const sandbox = payatom.sandbox({ onCallback: (cb) => void seen.push(cb) })
    await sandbox.ready
    await TRIGGERS.payatom(sandbox, 'NO-WEBHOOK-1')
    await sandbox.merchants.patch('payatom', '000000000000', { webhookUrl: '' })
    await sandbox.clock.advance('1h')
    expect(sandbox.transactions.list({ reference: 'NO-WEBHOOK-1' })[0].status).toBe('approved')
    expect(sandbox.callbacks.list()).toEqual([])
    expect(seen).toEqual([])
  })

  it('a retry is signed afresh where the provider re-signs (PayAtom: a new post_hash, nothing else changes)', async () => {
    const seen: CallbackRequest[] = []
    const sandbox = payatom.sandbox({
      onCallback: (cb) => {
        seen.push(cb)
        return { status: 500, body: '' }
      },
    })
    await sandbox.ready
    await TRIGGERS.payatom(sandbox, 'RESIGNED-1')
    await sandbox.clock.advance('2s')
    await sandbox.clock.advance('60s')
    expect(seen).toHaveLength(2)
    const [first, second] = seen.map((cb) => JSON.parse(cb.body) as Record<string, unknown>)
    expect(second.post_hash).not.toBe(first.post_hash)
    expect({ ...second, post_hash: '' }).toEqual({ ...first, post_hash: '' })
    expect(sandbox.callbacks.list()[0].request.body).toBe(seen[1].body)
  })

  it('the journal entry of an attempt names the merchant, the body sent and the time it took', async () => {
    const sandbox = use.sandbox({ onCallback: () => ({ status: 200, body: 'fine' }) })
    await payTo(sandbox, MERCHANT)
    await sandbox.clock.advance('2s')
    const [d] = sandbox.callbacks.list()
    expect(sandbox.journal.list({ kind: 'callback', limit: 1 })[0]).toMatchObject({
      merchant: d.merchant,
      reference: 'CB-EDGE',
      requestBody: d.request.body,
      responseBody: 'fine',
      durationMs: d.attempts[0].durationMs,
      status: 200,
    })
    expect(d.merchant).toBe('3568224497743')
  })
})
