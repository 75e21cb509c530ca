import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CallbackRequest } from '../../src/engine/provider.js'
import { PROVIDERS } from '../../src/providers/index.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import { CONNECX, CONNECX_AUTO, connecxPayment, seedPayIn } from '../helpers.js'
import { postgresMissing, startCluster, type Cluster } from './cluster.js'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Two in-process sandboxes on one PostgreSQL database share everything a replica serves: the
 * virtual clock, runtime scenarios, merchant settings; and readiness follows the database.
 */
const missing = postgresMissing()
if (missing) console.warn(missing)

async function waitFor(check: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`not true after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('every counter a provider draws from is declared, so replicas lease it before the first request', () => {
  for (const provider of PROVIDERS)
    it(provider.id, () => {
      const dir = join('src/providers', provider.id)
      const used = new Set<string>()
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')))
        for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/counters\.next\('([^']+)'\)/g)) used.add(m[1]!)
      expect([...used].sort()).toEqual([...(provider.counters ?? [])].sort())
    })
})

describe.skipIf(!!missing)('replicas share state through PostgreSQL', { timeout: 60_000 }, () => {
  let cluster: Cluster | undefined
  const sandboxes: Sandbox[] = []
  const received: Array<{ replica: string; request: CallbackRequest }> = []

  beforeAll(async () => {
    cluster = await startCluster()
  }, 120_000)
  afterAll(async () => {
    for (const s of sandboxes) await s.close().catch(() => {})
    await cluster?.stop()
  })

  async function replica(database: string, name: string): Promise<Sandbox> {
    const sandbox = createSandbox({
      database,
      clock: 'virtual',
      merchants: CONNECX_AUTO,
      onCallback: (request) => void received.push({ replica: name, request }),
    })
    sandboxes.push(sandbox)
    await sandbox.ready
    return sandbox
  }

  it('a virtual clock advanced on one replica advances the other; the callback goes out once', async () => {
    const url = await cluster!.database('clock')
    const [a, b] = [await replica(url, 'a'), await replica(url, 'b')]
    const res = await b.fetch(
      connecxPayment('http://localhost', 'bdpayin', {
        ...seedPayIn(),
        paymentRef: 'CLOCK-1',
        callbackUrl: 'http://merchant.test/cb',
      }),
    )
    expect(res.status).toBe(200)
    await a.engine.store.shared!.sync() // A has seen the pay-in (NOTIFY would tell it soon anyway)
    // Each replica's virtual clock started at its own start-up time (B's later, by as much as a
    // loaded machine takes to start it): a minute covers the 2 s step whichever is ahead.
    const target = await a.clock.advance('1m')
    // B catches up with A's time.
    await waitFor(() => b.clock.now() >= target)
    await waitFor(() => received.filter((r) => r.request.body.includes('CLOCK-1')).length >= 1)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(received.filter((r) => r.request.body.includes('CLOCK-1'))).toHaveLength(1)
    // Both replicas report the approved transaction and the acknowledged callback.
    for (const s of [a, b]) {
      await s.fetch(new Request('http://localhost/_sandbox/health'))
      await s.engine.store.shared!.sync()
      expect(s.transactions.list({ reference: 'CLOCK-1' })[0]?.status).toBe('approved')
      expect(s.callbacks.list({ reference: 'CLOCK-1' })[0]?.state).toBe('acknowledged')
    }
  })

  it('runtime scenarios and merchant settings changed on one replica apply on the other', async () => {
    const url = await cluster!.database('settings')
    const [a, b] = [await replica(url, 'a'), await replica(url, 'b')]
    const put = await a.fetch(
      new Request('http://localhost/_sandbox/scenarios', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ provider: 'connecx', rules: [{ name: 'all declined', outcome: 'DECLINED' }] }),
      }),
    )
    expect(put.status).toBe(200)
    await a.merchants.patch('connecx', CONNECX.merchantId, { callbackRetrySchedule: ['5s'] })
    const res = await b.fetch(connecxPayment('http://localhost', 'bdpayin', { ...seedPayIn(), paymentRef: 'RULE-1' }))
    expect(res.status).toBe(200)
    expect(b.transactions.list({ reference: 'RULE-1' })[0]?.rule).toMatch(/all declined/)
    expect(b.merchants.get('connecx', CONNECX.merchantId)?.callbackRetrySchedule).toEqual(['5s'])
  })

  it('health reports the database: 503 with the reason when it does not answer', async () => {
    const url = await cluster!.database('health')
    const a = await replica(url, 'a')
    expect((await a.fetch(new Request('http://localhost/_sandbox/health'))).status).toBe(200)
    await cluster!.stop()
    cluster = undefined
    const health = await a.fetch(new Request('http://localhost/_sandbox/health'))
    expect(health.status).toBe(503)
    expect((await health.json()).reason).toMatch(/PostgreSQL database .* does not answer/)
    // A provider request answers with the provider's own internal error, not a crash.
    const res = await a.fetch(connecxPayment('http://localhost', 'bdpayin', { ...seedPayIn(), paymentRef: 'DOWN-1' }))
    expect(res.status).toBe(500)
    expect(await res.text()).toContain('E9999')
  })
})
