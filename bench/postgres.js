// `npm run bench` (PostgreSQL section), or alone after `npm run build`: node bench/postgres.js [--quick]
//
// Shared deployment costs, printed, never asserted: Connecx pay-in throughput and callback
// lateness (arrival at the merchant − due time) with the embedded lowdb file store, one replica on
// PostgreSQL and two replicas on one PostgreSQL database, in the same run on the same machine.
// Starts a throwaway PostgreSQL cluster (test/pg/cluster.js), or uses $PSP_BENCH_DATABASE_URL's
// server (a fresh database is created per measurement). Skipped, said in one line, without
// PostgreSQL binaries.
import { fork, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { postgresMissing, startCluster } from '../test/pg/cluster.js'
import * as requests from './requests.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const CLI = join(HERE, '..', 'dist/cli.js')
const quick = process.argv.includes('--quick')
const DURATION = quick ? 2 : 4
const CALLBACKS = quick ? 200 : 500
const work = mkdtempSync(join(tmpdir(), 'psp-bench-pg-'))
const processes = []

function start(argv) {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--log', 'silent', ...argv], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1', DATABASE_URL: '' },
  })
  processes.push(child)
  let out = ''
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ child, url: m[1] })
    })
    child.stderr.on('data', (d) => (out += d))
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening:\n${out}`)))
  })
}

async function stopAll() {
  for (const child of processes.splice(0)) {
    if (child.exitCode !== null) continue
    const gone = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await gone
  }
}

/** The setups compared: each returns the replicas' URLs (fresh state every time). */
function setups(cluster) {
  let n = 0
  const config = ['--config', join(work, 'config.json')]
  return [
    ['embedded (lowdb file)', async () => [(await start(['--data', join(work, `db-${++n}.json`), ...config])).url]],
    [
      'PostgreSQL, 1 replica',
      async () => {
        const url = await cluster.database(`bench_${++n}`)
        return [(await start(['--store', url, ...config])).url]
      },
    ],
    [
      'PostgreSQL, 2 replicas',
      async () => {
        const url = await cluster.database(`bench_${++n}`)
        return (await Promise.all([start(['--store', url, ...config]), start(['--store', url, ...config])])).map(
          (p) => p.url,
        )
      },
    ],
  ]
}

/** Pay-ins per second over all replicas, 50 connections spread over them. */
async function throughput(urls) {
  const runs = await Promise.all(
    urls.map((url) => {
      const make = requests.connecxPayIn(`tp-${url.split(':').at(-1)}`)
      return autocannon({
        url,
        connections: Math.round(50 / urls.length),
        duration: DURATION,
        requests: [{ setupRequest: (req) => ({ ...req, ...make() }) }],
      })
    }),
  )
  const bad = runs.reduce((n, r) => n + r.non2xx, 0)
  return {
    rps: runs.reduce((n, r) => n + r['2xx'] / (r.duration || 1), 0),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    bad,
  }
}

/** Callback lateness: CALLBACKS pay-ins (due 2 s after acceptance) spread over the replicas. */
async function lateness(urls, listener) {
  listener.clear()
  const makes = urls.map((url) => requests.connecxPayIn(`late-${url.split(':').at(-1)}`, listener.url))
  let next = 0
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < CALLBACKS) {
        const i = next++
        const r = makes[i % urls.length]()
        const res = await fetch(`${urls[i % urls.length]}${r.path}`, {
          method: r.method,
          headers: r.headers,
          body: r.body,
        })
        await res.arrayBuffer()
      }
    }),
  )
  const until = Date.now() + 120_000
  while ((await listener.report()).length < CALLBACKS && Date.now() < until) await sleep(200)
  await sleep(1000) // a second copy, if any, would arrive now
  const arrivals = await listener.report()
  const due = new Map()
  for (const url of urls) {
    const list = await (await fetch(`${url}/_sandbox/transactions?provider=connecx&limit=1000000`)).json()
    for (const tx of list) due.set(tx.reference, tx.createdAt + 2000)
  }
  const late = arrivals.filter(([ref]) => due.has(ref)).map(([ref, at]) => at - due.get(ref))
  const refs = arrivals.map(([ref]) => ref)
  return { ...summary(late), received: arrivals.length, twice: refs.length - new Set(refs).size }
}

async function receiver() {
  const child = fork(join(HERE, 'receiver.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const port = await new Promise((r) => child.once('message', (m) => r(m.port)))
  return {
    url: `http://127.0.0.1:${port}/cb`,
    report: () =>
      new Promise((r) => {
        child.once('message', (m) => r(m.arrivals))
        child.send({ type: 'report' })
      }),
    clear: () => child.send({ type: 'clear' }),
    stop: () => new Promise((r) => (child.once('exit', r), child.send({ type: 'stop' }))),
  }
}

function summary(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN
  return { p50: at(0.5), p99: at(0.99), max: s.at(-1) ?? NaN }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const fmt = (n) => (Number.isFinite(n) ? n.toFixed(0) : '-')

const missing = postgresMissing()
if (missing) {
  console.log(`  PostgreSQL: ${missing}`)
  process.exit(0)
}
let cluster
let listener
try {
  writeFileSync(
    join(work, 'config.json'),
    JSON.stringify({ merchants: { connecx: [{ id: '3568224497743', customer: 'auto' }] } }),
  )
  cluster = process.env.PSP_BENCH_DATABASE_URL
    ? {
        database: async (name) => {
          const { default: postgres } = await import('postgres')
          const sql = postgres(process.env.PSP_BENCH_DATABASE_URL, { max: 1, onnotice: () => {} })
          await sql.unsafe(`CREATE DATABASE "${name}_${process.pid}"`)
          await sql.end()
          const url = new URL(process.env.PSP_BENCH_DATABASE_URL)
          url.pathname = `/${name}_${process.pid}`
          return url.toString()
        },
        stop: async () => {},
      }
    : await startCluster()
  listener = await receiver()
  console.log(
    `PostgreSQL (bench/postgres.js): load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  const rows = []
  for (const [label, setup] of setups(cluster)) {
    const tp = await throughput(await setup())
    await stopAll()
    const late = await lateness(await setup(), listener)
    await stopAll()
    rows.push([label, tp, late])
  }
  const base = rows[0][1].rps
  console.log('  setup                      pay-ins/s  vs embedded  p99 ms | callbacks  late p50  p99   max ms  twice')
  for (const [label, tp, late] of rows)
    console.log(
      `  ${label.padEnd(26)} ${fmt(tp.rps).padStart(9)}  ${(tp.rps / base).toFixed(2).padStart(11)}  ${fmt(tp.p99).padStart(6)} | ${String(late.received).padStart(9)}  ${fmt(late.p50).padStart(8)}  ${fmt(late.p99).padStart(4)}  ${fmt(late.max).padStart(6)}  ${String(late.twice).padStart(5)}${tp.bad ? `  (${tp.bad} non-2xx)` : ''}`,
    )
} finally {
  await stopAll()
  await listener?.stop()
  await cluster?.stop()
  rmSync(work, { recursive: true, force: true })
}
