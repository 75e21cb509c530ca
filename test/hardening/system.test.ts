import { connect } from 'node:net'
import { hostname, networkInterfaces } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { canonicalAddress, decodedPath, loopGuard } from '../../src/engine/loop-guard.js'
import { createSandbox } from '../../src/sandbox.js'
import { listen } from '../../src/server.js'
import { CONNECX, connecxPayment, seedPayIn } from '../helpers.js'
import { served, until } from './support.js'

/**
 * Finding 5 (loop guard bypassed), 6 (ReDoS in scenario regexes) and the socket half of 7
 * (keep-alive dropped after a refused body, SIGTERM cutting requests in flight).
 */
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

describe('loop guard on the resolved address', () => {
  const self = {
    ports: new Set([8080]),
    hosts: new Set(['connecx.test']),
    isSandboxPath: (p: string) => p.startsWith('/_sandbox') || p.startsWith('/mxapi'),
  }
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && !i.internal)?.address

  it('refuses every spelling of this machine on the sandbox port, whatever the path', async () => {
    for (const url of [
      'http://127.0.0.1:8080/_sandbox/reset',
      'http://[::ffff:127.0.0.1]:8080/_sandbox/reset',
      'http://[::ffff:7f00:1]:8080/anything',
      'http://127.0.0.1:8080/%5Fsandbox/reset',
      'http://127.1:8080/cb',
      'http://0.0.0.0:8080/cb',
      'http://[::1]:8080/cb',
      'http://localhost:8080/cb',
      `http://${hostname()}:8080/_sandbox/reset`,
      ...(lan ? [`http://${lan.includes(':') ? `[${lan}]` : lan}:8080/cb`] : []),
    ])
      expect(await loopGuard(url, self), url).toMatch(/^loop guard: .* reaches this sandbox/)
  })

  it('refuses a sandbox path (decoded) on an msw host; allows other ports, hosts and paths', async () => {
    expect(await loopGuard('https://connecx.test/%5Fsandbox/reset', self)).toMatch(/its own path/)
    expect(await loopGuard('https://connecx.test/a/../mxapi/1/bdpayin', self)).toMatch(/its own path/)
    expect(await loopGuard('https://connecx.test/merchant/callback', self)).toBeUndefined()
    expect(await loopGuard('http://127.0.0.1:4000/_sandbox/reset', self)).toBeUndefined()
    expect(await loopGuard('http://192.0.2.10:8080/cb', self)).toBeUndefined() // not this machine
    expect(await loopGuard('http://does-not-resolve.invalid:8080/cb', self)).toBeUndefined()
    expect(await loopGuard('ftp://127.0.0.1:8080/cb', self)).toMatch(/not an http or https URL/)
    expect(await loopGuard('/relative', self)).toMatch(/not an absolute URL/)
  })

  it('normalises paths and addresses as the router and the network do', () => {
    expect(decodedPath('/%255Fsandbox//./reset')).toBe('/_sandbox/reset')
    expect(decodedPath('/a/%2e%2e/_sandbox')).toBe('/_sandbox')
    expect(canonicalAddress('::ffff:7f00:1')).toBe('127.0.0.1')
    expect(canonicalAddress('::FFFF:127.0.0.2')).toBe('127.0.0.2')
  })

  it('over a socket: a callback to [::ffff:127.0.0.1]:<own port> is refused and the state survives', async () => {
    const { sandbox, server } = await served()
    cleanups.push(() => server.close())
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: {}, outcome: 'approved', timeline: [{ after: '1s', status: 'approved' }] }],
    })
    const res = await fetch(
      connecxPayment(server.url, 'bdpayin', {
        ...seedPayIn(),
        paymentRef: 'LOOP1',
        callbackUrl: `http://[::ffff:127.0.0.1]:${server.port}/%5Fsandbox/reset`,
      }),
    )
    expect(res.status).toBe(200)
    await sandbox.clock.advance('1s')
    await sandbox.callbacks.idle()
    const [delivery] = sandbox.callbacks.list({ reference: 'LOOP1' })
    expect(delivery!.state).toBe('refused')
    expect(delivery!.attempts[0]!.error).toMatch(/127.0.0.1 is an address of this machine, port \d+/)
    expect(sandbox.transactions.list({ reference: 'LOOP1' })).toHaveLength(1)
  })
})

describe('scenario regexes are checked for catastrophic backtracking', () => {
  it('PUT /_sandbox/scenarios with ^(a+)+$ is a 400 naming the rule; a safe regex is accepted', async () => {
    const { sandbox, server } = await served()
    cleanups.push(() => server.close())
    const put = (regex: string) =>
      fetch(`${server.url}/_sandbox/scenarios`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          provider: 'connecx',
          rules: [{ name: 'aaa', match: { reference: { regex } }, outcome: 'declined' }],
        }),
      })
    const bad = await put('^(a+)+$')
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toContain(
      'rule 1 ("aaa"): match.reference.regex "^(a+)+$" can backtrack catastrophically',
    )
    expect(sandbox.engine.scenarios.layer('runtime')).toEqual([])
    expect((await put('^a+$')).status).toBe(200)
  })

  it('a scenario file with a nested repetition does not load, naming file and rule', () => {
    expect(() =>
      createSandbox({
        clock: 'virtual',
        scenarios: [],
        providers: ['connecx'],
        builtInScenarios: false,
      }).engine.scenarios.add(
        'user',
        { provider: 'connecx', rules: [{ match: { reference: { regex: '(x*)*y' } } }] },
        'mine.yaml',
      ),
    ).toThrow(/mine.yaml.*can backtrack catastrophically/s)
  })
})

describe('sockets: keep-alive after a refused body, graceful shutdown', () => {
  it('a refused large body answers Connection: close, so the client does not reuse a dying socket', async () => {
    const { server } = await served()
    cleanups.push(() => server.close())
    const res = await fetch(`${server.url}/mxapi/${CONNECX.merchantId}/bdpayin`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: 'x'.repeat(2 * 1024 * 1024),
    })
    expect(res.status).toBe(422)
    expect(res.headers.get('connection')).toBe('close')
    expect(await res.text()).toBe('{"msgCode":"E3000","msgText":"Bad Request Error"}')
    expect((await fetch(`${server.url}/_sandbox/health`)).status).toBe(200)
  })

  it('close() lets 30 requests in flight finish and answers each; then refuses new connections', async () => {
    const sandbox = createSandbox({ clock: 'real' })
    const server = await listen(sandbox, { port: 0 })
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [{ match: {}, outcome: 'approved', respond: { latency: '300ms' } }],
    })
    const answers = Array.from({ length: 30 }, (_, i) =>
      fetch(connecxPayment(server.url, 'bdpayin', { ...seedPayIn(), paymentRef: `STOP${i}`, dupCheck: true })).then(
        (r) => r.status,
        (e: Error) => `error ${(e.cause as { code?: string })?.code ?? e.message}`,
      ),
    )
    await until(() => sandbox.engine.reservations.size > 0) // requests are inside the handler
    const closed = server.close()
    const statuses = await Promise.all(answers)
    await closed
    const accepted = statuses.filter((s) => s === 200).length
    // Every request whose connection was accepted is answered; none is stored without an answer.
    expect(sandbox.transactions.list().length).toBe(accepted)
    expect(accepted).toBeGreaterThan(0)
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1')
      socket.on('connect', () => resolve('connected'))
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'))
    })
    expect(refused).toBe('ECONNREFUSED')
  })
})
