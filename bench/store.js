// Store benchmark: 0 → 100,000 stored transactions over a real socket. Prints figures, never asserts.
// Run with `npm run bench:store` (or `npm run build && node bench/store.js [--count 100000] [--clients 32]`).
//
// The sandbox runs in a child process (so its RSS and event loop are its own); this process drives
// Connecx pay-ins over keep-alive HTTP and prints, per 10,000 stored: throughput, p99 latency, and
// heap (after a full GC) and RSS, for the lowdb file store and the in-memory store (taking turns of
// `--turn` requests, default 2,000, so both see the same machine load); then the longest event-loop
// stall during compaction (and the compaction's own longest slice), RSS at the end, and the file
// store's cost against the in-memory store: req/s, and the sandbox process's CPU time per request
// (user + system, all threads), both as the median of the per-turn ratios (with their quartiles: on
// 2 cores one turn's ratio varies by ±20%, so the median of 50 turns says more than that of 10).
//
// `--gc-log FILE` runs the file store's child with `--trace-gc` and writes its GC trace to FILE,
// with a line for each event-loop stall over 20 ms (`stall <ms> ms at <ms since start>`), to tell a
// GC pause from the server's own work. `--node-flags="<flags>"` starts both children with V8 flags
// (to measure what one costs and saves); `--rest N` keeps both children idle N seconds after the
// load (default 90), reading RSS every 5 s without a forced GC, and prints RSS at rest beside RSS
// after a forced GC: V8's memory reducer gives back the young generation and the old generation's
// slack some 40–60 s after the load stops, which a forced GC right after the load does not.
import { fork } from 'node:child_process'
import { mkdtempSync, openSync, rmSync, statSync } from 'node:fs'
import http from 'node:http'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance, PerformanceObserver } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { connecxPayIn } from './requests.js'

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '32' },
    step: { type: 'string', default: '10000' },
    turn: { type: 'string', default: '2000' },
    serve: { type: 'string' },
    'gc-log': { type: 'string' },
    'node-flags': { type: 'string', default: '' },
    rest: { type: 'string', default: '90' },
  },
})

/** The child: a sandbox on a port, reporting event-loop stalls, compaction and RSS to the parent. */
async function serve(data) {
  const { createSandbox, listen } = await import('../dist/index.js')
  const sandbox = createSandbox({ clock: 'virtual', data: data || undefined, providers: ['connecx'] })
  const server = await listen(sandbox, { port: 0 })
  const store = sandbox.engine.store
  const stats = {
    stallMax: 0,
    stallDuringCompaction: 0,
    stallOutsideCompaction: 0,
    compactions: 0,
    rssMax: 0,
    rssMaxCompacting: 0,
  }
  // GC pauses as V8 reports them (the `gc` performance entries): the longest, during compactions and outside.
  const gcPause = { during: { ms: 0, kind: '' }, outside: { ms: 0, kind: '' } }
  const gcKinds = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak callbacks' }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const which = store.compacting || wasCompacting ? gcPause.during : gcPause.outside
      if (entry.duration > which.ms)
        Object.assign(which, { ms: entry.duration, kind: gcKinds[entry.detail?.kind] ?? '?' })
    }
  }).observe({ entryTypes: ['gc'] })
  stats.gcPause = gcPause
  let last = performance.now()
  let wasCompacting = false
  const traceStalls = process.execArgv.includes('--trace-gc')
  setInterval(() => {
    const now = performance.now()
    const stall = now - last - 5
    last = now
    const compacting = store.compacting === true
    if (compacting && !wasCompacting) stats.compactions++
    if (traceStalls && stall > 20)
      console.log(
        `stall ${stall.toFixed(1)} ms at ${now.toFixed(0)} ms${compacting || wasCompacting ? ' (compacting)' : ''}`,
      )
    if (compacting || wasCompacting) stats.stallDuringCompaction = Math.max(stats.stallDuringCompaction, stall)
    else stats.stallOutsideCompaction = Math.max(stats.stallOutsideCompaction, stall)
    stats.stallMax = Math.max(stats.stallMax, stall)
    wasCompacting = compacting
  }, 5)
  setInterval(() => {
    // memoryUsage.rss() reads RSS only: memoryUsage() also walks the heap's spaces, CPU that the
    // sampler would charge to the requests (more to the slower store, which runs longer).
    const rss = process.memoryUsage.rss()
    stats.rssMax = Math.max(stats.rssMax, rss)
    if (store.compacting) stats.rssMaxCompacting = Math.max(stats.rssMaxCompacting, rss)
  }, 50)
  process.on('message', async (message) => {
    if (message === 'stats') {
      await store.compacted?.()
      globalThis.gc?.()
      last = performance.now()
      const stored = sandbox.engine.store.count('transactions')
      const { rss, heapUsed } = process.memoryUsage()
      process.send({
        ...stats,
        rss,
        heapUsed,
        stored,
        slice: store.compactionStats?.longestSliceMs ?? 0,
        sliceCpu: store.compactionStats?.longestSliceCpuMs ?? 0,
        copied: store.compactionStats?.copied ?? 0,
      })
    }
    if (message === 'rest') {
      // At rest: no forced GC, the RSS a user sees once the load stops (V8's own memory reducer
      // may have run meanwhile).
      const { rss, heapUsed } = process.memoryUsage()
      process.send({ rss, heapUsed })
    }
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage()
      process.send({ cpuUs: user + system })
    }
    if (message === 'memory') {
      // After a full GC: what the stored state costs, not garbage waiting to be collected. The
      // benchmark's own GC is no stall of the server's: the stall watch starts again after it.
      globalThis.gc?.()
      last = performance.now()
      const { rss, heapUsed } = process.memoryUsage()
      process.send({ rss, heapUsed, stored: store.count('transactions') })
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

function start(data, gcLog) {
  // `--node-flags` (e.g. "--max-semi-space-size=8") measures what a V8 flag changes.
  const flags = ['--expose-gc', ...args['node-flags'].split(' ').filter(Boolean)]
  const child = gcLog
    ? fork(new URL(import.meta.url), ['--serve', data ?? ''], {
        execArgv: [...flags, '--trace-gc'],
        stdio: ['ignore', openSync(gcLog, 'w'), 'inherit', 'ipc'],
      })
    : fork(new URL(import.meta.url), ['--serve', data ?? ''], { execArgv: flags })
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

const median = (xs) => pct(xs, 50)
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
const f = (n, d = 0) => n.toFixed(d)
const mb = (bytes) => `${f(bytes / 1024 / 1024)} MB`
/** RSS readings at rest, where they changed: `264 MB at 5 s, 119 MB at 45 s`. */
const trail = (readings) =>
  readings
    .filter((r, i) => i === 0 || Math.abs(r.rss - readings[i - 1].rss) > 2 * 1024 * 1024)
    .map((r) => `${mb(r.rss)} at ${r.s} s`)
    .join(', ')

/** Sends `n` pay-ins from `clients` concurrent keep-alive connections; returns the time taken and each latency. */
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
  return { ms: performance.now() - t0, latencies }
}

/** One sandbox child and its keep-alive agent. */
async function open(label, data, clients, gcLog) {
  const server = start(data, gcLog)
  const { url } = await server.ready
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients })
  const ask = async (message) => {
    server.child.send(message)
    return server.next()
  }
  const empty = await ask('memory')
  return { label, data, url, agent, ask, empty, child: server.child, segments: [], turns: [], seconds: 0 }
}

async function close(target) {
  const stats = await target.ask('stats')
  const exited = new Promise((resolve) => target.child.once('exit', resolve))
  target.child.send('stop')
  await exited
  target.agent.destroy()
  return stats
}

function report(target, count, step) {
  const { label, segments, empty, stats, data } = target
  console.log(`\n${label}: ${count} pay-ins over ${target.url}`)
  console.log('   stored   req/s   p99 ms   CPU µs/req   heap after GC      RSS   heap per stored transaction')
  console.log(
    `${'0'.padStart(9)} ${''.padStart(16)} ${''.padStart(12)} ${mb(empty.heapUsed).padStart(10)} ${mb(empty.rss).padStart(8)}`,
  )
  segments.forEach((s, i) => {
    const perTx = (s.heapUsed - empty.heapUsed) / s.stored
    console.log(
      `${String(Math.min((i + 1) * step, count)).padStart(9)} ${f(s.rps).padStart(7)} ${f(s.p99, 1).padStart(8)} ${f(s.cpuPerRequest).padStart(12)} ${mb(s.heapUsed).padStart(10)} ${mb(s.rss).padStart(8)}   ${f(perTx)} B`,
    )
  })
  const rps = count / target.seconds
  console.log(
    `  overall ${f(rps)} req/s; ${stats.stored} stored; RSS ${mb(stats.rss)} at the end (after GC), ${mb(target.rest.rss)} at rest ${args.rest} s after the load (no forced GC: ${trail(target.restTrail)}), peak ${mb(stats.rssMax)}`,
  )
  console.log(
    `  longest event-loop stall: ${f(stats.stallMax, 1)} ms overall, ${f(stats.stallOutsideCompaction, 1)} ms outside compactions`,
  )
  if (data) {
    console.log(
      `  compactions: ${stats.compactions} (${stats.copied} records copied from the previous snapshot, not serialised again); longest stall during compaction ${f(stats.stallDuringCompaction, 1)} ms; longest the compaction itself held the loop: ${f(stats.slice, 1)} ms (${f(stats.sliceCpu, 1)} ms of CPU); peak RSS while compacting ${mb(stats.rssMaxCompacting)}`,
    )
    console.log(`  snapshot ${mb(statSync(data).size)}`)
  }
  for (const [when, pause] of Object.entries(stats.gcPause)) {
    if (pause.ms) console.log(`  longest GC pause ${when} compactions: ${f(pause.ms, 1)} ms (${pause.kind})`)
  }
  return rps
}

async function drive() {
  const count = Number(args.count)
  const step = Number(args.step)
  const turn = Number(args.turn)
  const clients = Number(args.clients)
  const dir = mkdtempSync(join(tmpdir(), 'psp-bench-store-'))
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')
  console.log(
    `store benchmark: node ${process.version}${args['node-flags'] ? ` ${args['node-flags']}` : ''}, ${availableParallelism()} cores, load average ${load()}; ${clients} clients over keep-alive HTTP`,
  )
  console.log(
    `(the file store and the in-memory store take turns, ${turn} requests each, so a change of machine load hits both)`,
  )
  try {
    const file = await open('lowdb file store (fsync per group commit)', join(dir, 'db.json'), clients, args['gc-log'])
    const memory = await open('in-memory store', undefined, clients)
    for (let stored = 0; stored < count; stored += step) {
      const n = Math.min(step, count - stored)
      const sums = new Map([file, memory].map((target) => [target, { ms: 0, cpuUs: 0, latencies: [] }]))
      for (let done = 0; done < n; done += turn) {
        for (const target of [file, memory]) {
          const m = Math.min(turn, n - done)
          // Fresh connections each turn: while the other store ran, the server may have closed the
          // idle ones, and a request sent as one closes is reset.
          target.agent.destroy()
          target.agent = new http.Agent({ keepAlive: true, maxSockets: clients })
          const cpu0 = (await target.ask('cpu')).cpuUs
          const s = await segment(target.agent, target.url, m, clients)
          const cpuUs = (await target.ask('cpu')).cpuUs - cpu0
          target.turns.push({ rps: m / (s.ms / 1000), cpuPerRequest: cpuUs / m })
          const sum = sums.get(target)
          sum.ms += s.ms
          sum.cpuUs += cpuUs
          sum.latencies.push(...s.latencies)
        }
      }
      for (const target of [file, memory]) {
        const sum = sums.get(target)
        target.seconds += sum.ms / 1000
        target.segments.push({
          rps: n / (sum.ms / 1000),
          p99: pct(sum.latencies, 99),
          cpuPerRequest: sum.cpuUs / n,
          ...(await target.ask('memory')),
        })
      }
      process.stdout.write(`  ${stored + step} stored…\r`)
    }
    // Both idle for `--rest` seconds, RSS read every 5 s without a forced GC.
    file.restTrail = []
    memory.restTrail = []
    for (let s = 0; s < Number(args.rest); s += 5) {
      process.stdout.write(`  at rest ${s} s…   \r`)
      await new Promise((resolve) => setTimeout(resolve, 5000))
      for (const target of [file, memory]) {
        target.rest = await target.ask('rest')
        target.restTrail.push({ s: s + 5, rss: target.rest.rss })
      }
    }
    // `--rest 0`: RSS right after the load, without a forced GC.
    for (const target of [file, memory]) {
      if (!target.rest) {
        target.rest = await target.ask('rest')
        target.restTrail.push({ s: 0, rss: target.rest.rss })
      }
    }
    file.stats = await close(file)
    memory.stats = await close(memory)
    const fileRps = report(file, count, step)
    const memoryRps = report(memory, count, step)
    const first = file.segments[0]
    const lastSeg = file.segments.at(-1)
    console.log('\nagainst the targets of issue #10:')
    console.log(
      `  flat throughput: last ${step} at ${f(lastSeg.rps)} req/s vs first ${f(first.rps)} req/s = ${f((lastSeg.rps / first.rps) * 100)}% (target ≥ 80%); p99 ${f(first.p99, 1)} → ${f(lastSeg.p99, 1)} ms`,
    )
    console.log(
      `  longest stall during compaction: ${f(file.stats.stallDuringCompaction, 1)} ms (target ≤ 50 ms); the compaction's own longest slice ${f(file.stats.slice, 1)} ms (${f(file.stats.sliceCpu, 1)} ms of CPU); longest GC pause during compaction ${f(file.stats.gcPause.during.ms, 1)} ms (${file.stats.gcPause.during.kind}); outside compactions the longest stall was ${f(file.stats.stallOutsideCompaction, 1)} ms`,
    )
    console.log(
      `  RSS at ${file.stats.stored} stored, at rest: ${mb(file.rest.rss)} (in memory ${mb(memory.rest.rss)}) (target ≤ 150 MB); after a forced GC right after the load ${mb(file.stats.rss)} (${mb(memory.stats.rss)}); peak under load ${mb(file.stats.rssMax)} (${mb(memory.stats.rssMax)})`,
    )
    // Per turn (the two stores ran back to back): the ratio, then the median over the turns.
    const rounds = file.turns.map((s, i) => ({
      rps: s.rps / memory.turns[i].rps,
      cpu: s.cpuPerRequest / memory.turns[i].cpuPerRequest,
    }))
    const cpuRatios = rounds.map((r) => r.cpu)
    const quartiles = (xs) => `${f((pct(xs, 25) - 1) * 100)}% to ${f((pct(xs, 75) - 1) * 100)}%`
    console.log(
      `  file store cost, CPU time per request: ${f((median(cpuRatios) - 1) * 100, 1)}% more than in memory (median of ${rounds.length} turns of ${turn}; half the turns between ${quartiles(cpuRatios)}) (target ≤ 10%)`,
    )
    console.log(
      `  file store cost, throughput: ${f((1 - median(rounds.map((r) => r.rps))) * 100, 1)}% slower (median of the turns; half between ${quartiles(rounds.map((r) => 2 - r.rps))} slower); overall ${f(fileRps)} vs ${f(memoryRps)} req/s in memory = ${f((1 - fileRps / memoryRps) * 100, 1)}% slower`,
    )
    console.log(`  load average ${load()} at the end`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (args.serve !== undefined) await serve(args.serve)
else await drive()
