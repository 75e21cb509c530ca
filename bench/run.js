// Benchmarks: print figures, never assert. Run with `npm run bench` (builds dist/ first).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { createSandbox, listen } from '../dist/index.js'

const MERCHANT = '3568224497743'
const KEY = 'sandbox-api-key-0001'
let seq = 0
function payIn() {
  const body = {
    channelCode: 'USDMOCK-001',
    accountId: '1000000001',
    requestSalt: `s${seq}`,
    txnAmount: 10,
    txnCurrency: 'USD',
    paymentRef: `bench-${seq++}`,
    callbackUrl: 'http://127.0.0.1:9/cb',
    resultUrl: 'https://result.example/r',
    endUserInfo: { ipAddress: '10.0.0.1', firstName: 'A', lastName: 'B', phoneNumber: '1', emailAddress: 'a@b.c' },
  }
  const token = createHash('sha256')
    .update(MERCHANT + body.requestSalt + body.paymentRef + KEY)
    .digest('hex')
  return { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', 'X-paymesh-authz': token } }
}
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
const fmt = (n) => n.toFixed(2)

/** Sends n pay-ins from `concurrency` clients through `send` and prints throughput and latency. */
async function drive(label, send, n, concurrency) {
  const latencies = []
  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++
        const { body, headers } = payIn()
        const t = performance.now()
        const res = await send(`/mxapi/${MERCHANT}/bdpayin`, { method: 'POST', headers, body })
        if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`)
        await res.arrayBuffer()
        latencies.push(performance.now() - t)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  console.log(
    `${label.padEnd(44)} ${String(n).padStart(6)} pay-ins  ${fmt(n / seconds).padStart(9)} req/s  p50 ${fmt(pct(latencies, 50))} ms  p99 ${fmt(pct(latencies, 99))} ms`,
  )
}

async function inProcess(label, options, n, concurrency) {
  const sandbox = createSandbox({ clock: 'virtual', ...options })
  await sandbox.ready
  await drive(label, (path, init) => sandbox.fetch(new Request(`http://x${path}`, init)), n, concurrency)
  return sandbox
}

async function overSocket(n, concurrency) {
  const server = await listen(createSandbox({ clock: 'virtual' }), { port: 0 })
  await drive(
    `real socket, in-memory store, ${concurrency} clients`,
    (path, init) => fetch(`${server.url}${path}`, init),
    n,
    concurrency,
  )
  await server.close()
}

const dir = mkdtempSync(join(tmpdir(), 'psp-bench-'))
try {
  const t0 = performance.now()
  const cold = createSandbox({ data: join(dir, 'start.json') })
  await cold.ready
  console.log(`start-up (providers, scenarios, empty lowdb file): ${fmt(performance.now() - t0)} ms`)
  await cold.close()

  await (await inProcess('in-process, in-memory store, 1 client', {}, 2000, 1)).close()
  await (await inProcess('in-process, in-memory store, 32 clients', {}, 5000, 32)).close()
  await (await inProcess('in-process, lowdb file (fsync), 1 client', { data: join(dir, 'a.json') }, 1000, 1)).close()
  const big = await inProcess('in-process, lowdb file (fsync), 32 clients', { data: join(dir, 'b.json') }, 5000, 32)
  // The cost of a write must not grow with the number of stored transactions.
  await big.close()
  const grown = await inProcess('same file, 5000 stored, 32 clients again', { data: join(dir, 'b.json') }, 5000, 32)
  await grown.close()
  const t1 = performance.now()
  const reload = createSandbox({ data: join(dir, 'b.json') })
  await reload.ready
  console.log(
    `restart with ${reload.transactions.list().length} stored transactions: ${fmt(performance.now() - t1)} ms`,
  )
  await reload.close()
  await overSocket(3000, 32)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
