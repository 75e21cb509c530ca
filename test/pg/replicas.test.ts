import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONNECX, connecxPayment, seedPayIn } from '../helpers.js'
import { postgresMissing, startCluster, type Cluster } from './cluster.js'

/**
 * Two `psp-sandbox` processes (dist/cli.js) on one real PostgreSQL database, as a shared
 * deployment runs them behind a load balancer: each sees what the other acknowledged, a
 * reference is taken once across both, each callback goes out once, and a replica killed with
 * SIGKILL loses nothing it acknowledged (the other sends its claimed callbacks after the lease).
 */
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
const LEASE_MS = 3000
const missing = postgresMissing()

interface Replica {
  url: string
  child: ChildProcess
  output: () => string
}

/** A merchant's callback listener counting callbacks by paymentRef; `hold` keeps some unanswered. */
class Receiver {
  readonly counts = new Map<string, number>()
  hold?: (ref: string) => boolean
  private held: ServerResponse[] = []
  private server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const ref = JSON.parse(body).paymentRef as string
      this.counts.set(ref, (this.counts.get(ref) ?? 0) + 1)
      if (this.hold?.(ref)) this.held.push(res)
      else res.writeHead(200).end('OK')
    })
  })
  url = ''

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/cb`
  }

  /** Answers what was held. */
  release(): void {
    for (const res of this.held.splice(0)) res.writeHead(200).end('OK')
  }

  close(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy()
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 60_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what}: not true after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Runs `tasks` with at most `width` at a time. */
async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++
        out[i] = await task(i)
      }
    }),
  )
  return out
}

describe.skipIf(!!missing)('two replicas on one PostgreSQL database', { timeout: 180_000 }, () => {
  let cluster: Cluster | undefined
  let dir = ''
  const children: ChildProcess[] = []

  beforeAll(async () => {
    cluster = await startCluster()
    dir = mkdtempSync(join(tmpdir(), 'psp-replicas-'))
    // Pay-ins complete 2 s after acceptance, with their callback; a failed attempt retries after 1 s.
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        merchants: { connecx: [{ id: CONNECX.merchantId, customer: 'auto', callbackRetrySchedule: ['1s', '1s'] }] },
      }),
    )
  }, 120_000)

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await cluster?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  /** A replica given the database by `--store`, or by `DATABASE_URL` (`viaEnvironment`). */
  async function replica(database: string, viaEnvironment = false): Promise<Replica> {
    const store = viaEnvironment ? [] : ['--store', database]
    const child = spawn(
      process.execPath,
      [CLI, '--port', '0', ...store, '--config', 'config.json', '--log', 'silent'],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PSP_SANDBOX_LEASE: `${LEASE_MS}ms`,
          CI: '1',
          DATABASE_URL: viaEnvironment ? database : '',
        },
      },
    )
    children.push(child)
    let out = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += d
        const m = /listening on (http:\/\/\S+)/.exec(out)
        if (m) resolve(m[1])
      })
      child.stderr!.on('data', (d) => (out += d))
      child.once('exit', (code, signal) => reject(new Error(`replica exited (${code ?? signal}):\n${out}`)))
    })
    return { url, child, output: () => out }
  }

  /** Two replicas started at the same moment on a fresh database (migrations race, one wins). */
  async function pair(name: string): Promise<[Replica, Replica]> {
    const database = await cluster!.database(name)
    const [a, b] = await Promise.all([replica(database), replica(database, true)])
    return [a, b]
  }

  const payIn = (base: string, body: Record<string, unknown>) =>
    fetch(connecxPayment(base, 'bdpayin', { ...seedPayIn(), ...body }))

  const deliveries = async (base: string, reference?: string): Promise<Array<Record<string, any>>> =>
    (
      await fetch(`${base}/_sandbox/callbacks?provider=connecx&limit=5000${reference ? `&reference=${reference}` : ''}`)
    ).json()

  it('pay-ins alternate between the replicas and each sees all of them at once', async () => {
    const [a, b] = await pair('alternate')
    const refs: string[] = []
    for (let i = 0; i < 20; i++) {
      const [here, there] = i % 2 ? [b, a] : [a, b]
      const ref = `ALT-${i}`
      const res = await payIn(here.url, { paymentRef: ref, callbackUrl: 'http://127.0.0.1:9/none' })
      expect(res.status, await res.clone().text()).toBe(200)
      refs.push(ref)
      // Read-your-writes across replicas: the other one knows it on the very next request.
      const seen = await (await fetch(`${there.url}/_sandbox/transactions?provider=connecx&reference=${ref}`)).json()
      expect(seen).toHaveLength(1)
    }
    for (const r of [a, b]) {
      const list = await (await fetch(`${r.url}/_sandbox/transactions?provider=connecx&limit=1000`)).json()
      expect(list.map((t: { reference: string }) => t.reference).sort()).toEqual([...refs].sort())
      // Ids never repeat across replicas.
      expect(new Set(list.map((t: { id: string }) => t.id)).size).toBe(20)
    }
    const health = await fetch(`${a.url}/_sandbox/health`)
    expect(health.status).toBe(200)
    // B was given the database by DATABASE_URL, A by --store: both say where their state is.
    for (const r of [a, b]) expect(r.output()).toMatch(/state: postgres:\/\/postgres@127\.0\.0\.1:\d+\/alternate/)
    a.child.kill('SIGKILL')
    b.child.kill('SIGKILL')
  })

  it('50 concurrent duplicates split across the replicas: exactly one is accepted', async () => {
    const [a, b] = await pair('duplicates')
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        payIn(i % 2 ? b.url : a.url, { paymentRef: 'DUP-ONCE', dupCheck: true }).then(async (r) => ({
          status: r.status,
          body: await r.text(),
        })),
      ),
    )
    const accepted = answers.filter((r) => r.status === 200)
    expect(accepted, JSON.stringify(answers.filter((r) => r.status !== 200 && !r.body.includes('E2046')))).toHaveLength(
      1,
    )
    // Every other one is Connecx's own duplicate refusal, not an error.
    expect(answers.filter((r) => r.body.includes('E2046'))).toHaveLength(49)
    for (const r of [a, b]) {
      const list = await (await fetch(`${r.url}/_sandbox/transactions?provider=connecx&reference=DUP-ONCE`)).json()
      expect(list).toHaveLength(1)
    }
    a.child.kill('SIGKILL')
    b.child.kill('SIGKILL')
  })

  it('1,000 callbacks due: each is delivered exactly once', async () => {
    const receiver = new Receiver()
    await receiver.start()
    try {
      const [a, b] = await pair('thousand')
      const statuses = await pool(1000, 16, async (i) => {
        const res = await payIn(i % 2 ? b.url : a.url, { paymentRef: `CB-${i}`, callbackUrl: receiver.url })
        await res.arrayBuffer()
        return res.status
      })
      expect(statuses.filter((s) => s !== 200)).toEqual([])
      await waitFor(() => receiver.counts.size === 1000, 120_000, '1000 callbacks received')
      // Past a lease: a replica that lost a claim tried again, and found the callback sent.
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 1000))
      const twice = [...receiver.counts].filter(([, n]) => n !== 1)
      expect(twice, 'callbacks sent more than once').toEqual([])
      for (const r of [a, b]) {
        const list = await deliveries(r.url)
        expect(list).toHaveLength(1000)
        expect(list.filter((d) => d.state !== 'acknowledged' || d.attempts.length !== 1)).toEqual([])
      }
      a.child.kill('SIGKILL')
      b.child.kill('SIGKILL')
    } finally {
      await receiver.close()
    }
  })

  it('a replica killed with SIGKILL mid-delivery: the other sends what it had claimed after the lease', async () => {
    const receiver = new Receiver()
    await receiver.start()
    try {
      const [a, b] = await pair('killed')
      // Callbacks reaching the merchant are held unanswered: the replica sending them is mid-delivery.
      receiver.hold = () => true
      const acknowledged: string[] = []
      for (let i = 0; i < 30; i++) {
        const res = await payIn(i % 2 ? b.url : a.url, { paymentRef: `KILL-${i}`, callbackUrl: receiver.url })
        if (res.status === 200) acknowledged.push(`KILL-${i}`)
      }
      expect(acknowledged).toHaveLength(30)
      await waitFor(() => receiver.counts.size === 30, 60_000, 'every callback reached the merchant once')
      a.child.kill('SIGKILL')
      receiver.hold = undefined
      receiver.release() // B's attempts are answered now; A's connections died with it
      // B redelivers what A had claimed once A's lease runs out, and knows every acknowledged pay-in.
      await waitFor(
        async () => (await deliveries(b.url)).filter((d) => d.state === 'acknowledged').length === 30,
        60_000,
        'every callback acknowledged on the surviving replica',
      )
      // What A had claimed went out again from B (at least once, as the providers promise).
      expect([...receiver.counts.values()].some((n) => n >= 2)).toBe(true)
      const list = await (await fetch(`${b.url}/_sandbox/transactions?provider=connecx&limit=100`)).json()
      expect(list.map((t: { reference: string }) => t.reference).sort()).toEqual([...acknowledged].sort())
      for (const ref of acknowledged) expect(receiver.counts.get(ref)).toBeGreaterThanOrEqual(1)
      b.child.kill('SIGKILL')
    } finally {
      await receiver.close()
    }
  })
})

if (missing) console.warn(missing)
