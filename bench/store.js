// Store benchmark: 0 → 100,000 stored transactions over a real socket. Prints figures, never asserts.
// Run with `npm run bench:store` (or `npm run build && node bench/store.js [--count 100000] [--clients 32]`).
//
// The sandbox runs in a child process (so its RSS and event loop are its own); this process drives
// Connecx pay-ins over keep-alive HTTP and prints, per 10,000 stored: throughput and p99 latency,
// for the lowdb file store and the in-memory store, then the longest event-loop stall during
// compaction, RSS at the end, and the file store's throughput cost against memory.
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { connecxPayIn } from './requests.js'

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '32' },
    step: { type: 'string', default: '10000' },
    serve: { type: 'string' },
  },
})

/** The child: a sandbox on a port, reporting event-loop stalls, compaction and RSS to the parent. */
async function serve(data) {
  const { createSandbox, listen } = await import('../dist/index.js')
  const sandbox = createSandbox({ clock: 'virtual', data: data || undefined, providers: ['connecx'] })
  const server = await listen(sandbox, { port: 0 })
  const store = sandbox.engine.store
  const stats = { stallMax: 0, stallDuringCompaction: 0, compactions: 0, rssMax: 0, rssMaxCompacting: 0 }
  let last = performance.now()
  let wasCompacting = false
  setInterval(() => {
    const now = performance.now()
    const stall = now - last - 5
    last = now
    const compacting = store.compacting === true
    if (compacting && !wasCompacting) stats.compactions++
    if (compacting || wasCompacting) stats.stallDuringCompaction = Math.max(stats.stallDuringCompaction, stall)
    stats.stallMax = Math.max(stats.stallMax, stall)
    wasCompacting = compacting
  }, 5)
  setInterval(() => {
    const rss = process.memoryUsage().rss
    stats.rssMax = Math.max(stats.rssMax, rss)
    if (store.compacting) stats.rssMaxCompacting = Math.max(stats.rssMaxCompacting, rss)
  }, 50)
  process.on('message', async (message) => {
    if (message === 'stats') {
      await store.compacted?.()
      globalThis.gc?.()
      const stored = sandbox.engine.store.count('transactions')
      process.send({ ...stats, rss: process.memoryUsage().rss, stored })
    }
    if (message === 'reset-stall') {
      stats.stallMax = 0
      stats.stallDuringCompaction = 0
    }
    if (message === 'stop') {
      await server.close()
      await sandbox.close()
      process.exit(0)
    }
  })
  process.on('disconnect', () => process.exit(0))
  process.send({ url: server.url })
}

function start(data) {
  const child = fork(new URL(import.meta.url), ['--serve', data ?? ''], { execArgv: ['--expose-gc'] })
  const next = () => new Promise((resolve) => child.once('message', resolve))
  return { child, next, ready: next() }
}

/** Fresh, signed Connecx pay-ins: the same generator `npm run bench` uses. */
const payIn = connecxPayIn('store')

function post(agent, url, { method, path, headers, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      { method, agent, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks)}`)),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
const f = (n, d = 0) => n.toFixed(d)
const mb = (bytes) => `${f(bytes / 1024 / 1024)} MB`

/** Sends `n` pay-ins from `clients` concurrent keep-alive connections; returns req/s and p99. */
async function segment(agent, url, n, clients) {
  const latencies = []
  let sent = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (sent < n) {
        sent++
        const request = payIn()
        const t = performance.now()
        await post(agent, url, request)
        latencies.push(performance.now() - t)
      }
    }),
  )
  return { rps: n / ((performance.now() - t0) / 1000), p99: pct(latencies, 99) }
}

async function run(label, data, count, step, clients) {
  const server = start(data)
  const { url } = await server.ready
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients })
  console.log(`\n${label}: ${count} pay-ins over ${url}, ${clients} clients`)
  console.log('   stored   req/s   p99 ms')
  const segments = []
  const t0 = performance.now()
  for (let stored = 0; stored < count; stored += step) {
    const s = await segment(agent, url, Math.min(step, count - stored), clients)
    segments.push(s)
    console.log(`${String(stored + step).padStart(9)} ${f(s.rps).padStart(7)} ${f(s.p99, 1).padStart(8)}`)
  }
  const seconds = (performance.now() - t0) / 1000
  server.child.send('stats')
  const stats = await server.next()
  server.child.send('stop')
  await new Promise((resolve) => server.child.once('exit', resolve))
  agent.destroy()
  const rps = count / seconds
  console.log(
    `  overall ${f(rps)} req/s; ${stats.stored} stored; RSS ${mb(stats.rss)} at the end (after GC), peak ${mb(stats.rssMax)}`,
  )
  console.log(`  longest event-loop stall: ${f(stats.stallMax, 1)} ms overall`)
  if (data) {
    console.log(
      `  compactions: ${stats.compactions}; longest stall during compaction ${f(stats.stallDuringCompaction, 1)} ms; peak RSS while compacting ${mb(stats.rssMaxCompacting)}`,
    )
    console.log(`  snapshot ${mb(statSync(data).size)}`)
  }
  return { rps, segments, stats }
}

async function drive() {
  const count = Number(args.count)
  const step = Number(args.step)
  const clients = Number(args.clients)
  const dir = mkdtempSync(join(tmpdir(), 'psp-bench-store-'))
  try {
    const file = await run('lowdb file store (fsync per group commit)', join(dir, 'db.json'), count, step, clients)
    const memory = await run('in-memory store', undefined, count, step, clients)
    const first = file.segments[0]
    const lastSeg = file.segments.at(-1)
    console.log('\nagainst the targets of issue #10:')
    console.log(
      `  flat throughput: last ${step} at ${f(lastSeg.rps)} req/s vs first ${f(first.rps)} req/s = ${f((lastSeg.rps / first.rps) * 100)}% (target ≥ 80%); p99 ${f(first.p99, 1)} → ${f(lastSeg.p99, 1)} ms`,
    )
    console.log(`  longest stall during compaction: ${f(file.stats.stallDuringCompaction, 1)} ms (target ≤ 50 ms)`)
    console.log(`  RSS at ${file.stats.stored} stored: ${mb(file.stats.rss)} (target ≤ 150 MB)`)
    console.log(
      `  file store cost: ${f(file.rps)} vs ${f(memory.rps)} req/s in memory = ${f((1 - file.rps / memory.rps) * 100, 1)}% slower (target ≤ 10%)`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (args.serve !== undefined) await serve(args.serve)
else await drive()
