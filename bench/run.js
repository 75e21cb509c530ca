// `npm run bench`: the sandbox's performance harness. Prints figures, never asserts.
//
// Starts the sandbox (`dist/cli.js`) as a separate process over a real socket, drives it with
// autocannon, and runs a bare Hono + @hono/node-server app (bench/baseline.js) with the same
// requests in the same run, so each figure is a ratio to what any Hono app gets on this machine at
// this moment: numbers from a noisy, shared machine still compare.
//
//   npm run bench                      table of every scenario (a few minutes on 2 cores)
//   npm run bench -- --json            the same figures as JSON on stdout
//   npm run bench -- --json=out.json   table, and JSON written to out.json
//   npm run bench -- --quick           shorter runs (rougher figures)
//   npm run bench -- --only=payin,cold scenarios whose id starts with one of these words
//   npm run bench -- --sandbox=DIR     measure another build of the package (e.g. an older commit)
//   npm run bench -- --store           also run bench/store.js (store write costs), when present
//   npm run bench -- --only=postgres   only the PostgreSQL section (bench/postgres.js, printed last)
//   npm run bench -- --cpu-prof=DIR    write a V8 CPU profile of each sandbox process into DIR
import { fork, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import * as requests from './requests.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const { values: args } = parseArgs({
  options: {
    json: { type: 'string' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    sandbox: { type: 'string' },
    store: { type: 'boolean' },
    'cpu-prof': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: false,
})
if (args.help) {
  console.log(
    (await import('node:fs'))
      .readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\nimport ')[0]
      .trim(),
  )
  process.exit(0)
}
// `--json` alone prints JSON only; `--json=FILE` prints the table and writes the file.
const jsonOnly = process.argv.includes('--json')
const jsonFile = typeof args.json === 'string' && args.json ? args.json : undefined
const quiet = jsonOnly
const log = (...line) => {
  if (!quiet) console.log(...line)
}
const SANDBOX_DIR = resolve(args.sandbox ?? join(HERE, '..'))
const CLI = join(SANDBOX_DIR, 'dist/cli.js')
const DURATION = args.quick ? 2 : 4
const CONNECTIONS = 50
const only = args.only?.split(',').filter(Boolean)
const wanted = (id) => !only || only.some((w) => id.startsWith(w))
const work = mkdtempSync(join(tmpdir(), 'psp-bench-'))

const TARGETS = {
  'payin-memory': { ratio: 0.5 },
  'payin-file': { ratio: 0.45 },
  bankcodes: {},
  'payatom-polling': { ratio: 0.3 },
  'ecommpay-payout': { ratio: 0.3 },
  'connpay-payout': { ratio: 0.3 },
  'bankconnect-payout': { ratio: 0.3 },
}

/** Starts a process that prints `listening on http://HOST:PORT`; resolves with its URL. */
function start(command, argv, label) {
  const started = process.hrtime.bigint()
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  return new Promise((resolveStart, reject) => {
    const onData = (chunk) => {
      out += chunk
      const m = /listening on (http:\/\/[^\s]+)/.exec(out)
      if (m) {
        child.stdout.off('data', onData)
        child.stdout.resume()
        resolveStart({ child, url: m[1], started })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (chunk) => (out += chunk))
    child.once('exit', (code) => reject(new Error(`${label} exited (${code}) before listening:\n${out}`)))
  })
}

async function stop(proc) {
  if (!proc || proc.child.exitCode !== null) return
  proc.child.removeAllListeners('exit')
  const gone = new Promise((r) => proc.child.once('exit', r))
  proc.child.kill('SIGTERM')
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5000)
  await gone
  clearTimeout(timer)
}

/** Node's own options for sandbox processes: a CPU profile each with `--cpu-prof=DIR`. */
const SANDBOX_NODE = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', resolve(args['cpu-prof'])] : []
const sandbox = (extra = []) =>
  start(
    process.execPath,
    [...SANDBOX_NODE, CLI, '--port', '0', '--data', 'memory', '--clock', 'virtual', ...extra],
    'the sandbox',
  )
const baseline = () => start(process.execPath, [join(HERE, 'baseline.js'), '0'], 'the bare Hono baseline')

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined elsewhere.
 * CPU per request does not stretch when the machine is busy, so it compares across noisy runs.
 */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return undefined
  }
}
const CLOCK_TICKS = 100

/** `load`, plus the server's CPU ms per answered request. */
async function measured(proc, make) {
  const before = cpuMs(proc.child.pid)
  const result = await load(proc.url, make)
  const after = cpuMs(proc.child.pid)
  return { ...result, cpuMsPerRequest: before === undefined ? undefined : (after - before) / result.requests }
}

/** Runs autocannon against `url` with requests from `make`; returns req/s and latency. */
async function load(url, make, options = {}) {
  const settings = {
    url,
    connections: options.connections ?? CONNECTIONS,
    requests: [{ setupRequest: (req) => ({ ...req, ...make() }) }],
  }
  if (options.amount) settings.amount = options.amount
  else settings.duration = options.duration ?? DURATION
  if (options.rate) settings.overallRate = options.rate
  const result = await autocannon(settings)
  const ok = result['2xx']
  if (result.non2xx > 0)
    throw new Error(
      `${url}: ${result.non2xx} answers were not 2xx out of ${result.requests.total} (the scenario is broken)`,
    )
  return {
    rps: ok / (result.duration || 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: ok,
    // On an overloaded machine some requests time out (autocannon gives up after 10 s): counted, not fatal.
    errors: result.errors,
    timeouts: result.timeouts,
  }
}

/**
 * Requests sent at a steady `rate` per second for `seconds`, whatever the answers' pace (an open
 * loop, over at most `CONNECTIONS` kept-alive connections): the arrivals the callback lateness
 * target speaks of. autocannon's `overallRate` is no such thing: each connection sends its quota
 * for the second back to back, as fast as answers come, and then waits for the next second, so
 * at half the maximum rate the server works flat out for half of each second and idles the
 * other half. Resolves with the answers' count and latency like {@link load}.
 */
async function paced(url, make, { rate, seconds }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  const { hostname, port } = new URL(url)
  const total = Math.max(1, Math.round(rate * seconds))
  const latencies = []
  let sent = 0
  let settled = 0
  let failed = 0
  const started = performance.now()
  await new Promise((resolveAll) => {
    const done = () => ++settled === total && resolveAll()
    const send = () => {
      const request = make()
      const at = performance.now()
      // Counted once: an answer that ended, or a request or answer that failed first.
      let counted = false
      const count = (ok) => {
        if (counted) return
        counted = true
        if (ok) latencies.push(performance.now() - at)
        else failed++
        done()
      }
      const req = http.request(
        {
          hostname,
          port,
          method: request.method,
          path: request.path,
          agent,
          headers: { ...request.headers, 'Content-Length': Buffer.byteLength(request.body ?? '') },
        },
        (res) => {
          res.resume()
          res.once('end', () => count(res.statusCode >= 200 && res.statusCode < 300))
          res.once('close', () => count(false))
        },
      )
      req.once('error', () => count(false))
      // As autocannon does: an answer that has not come in 10 s counts as failed.
      req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')))
      req.end(request.body)
    }
    // Every millisecond, the requests whose moment has come (a timer cannot tick faster).
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate))
      while (sent < due) {
        sent++
        send()
      }
      if (sent < total) setTimeout(tick, 1)
    }
    tick()
  })
  agent.destroy()
  if (failed > 0) throw new Error(`${url}: ${failed} of ${total} paced requests failed or were not 2xx`)
  const s = summary(latencies)
  return { rps: latencies.length / seconds, p50: s.p50, p99: s.p99, requests: latencies.length }
}

/** One request through plain fetch, to check a scenario works before loading it. */
async function once(url, request) {
  const res = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`${request.method} ${request.path}: HTTP ${res.status} ${text.slice(0, 300)}`)
  return text
}

const results = { machine: machine(), scenarios: {} }
const figures = []

/** Throughput of one request kind: baseline, then sandbox, then baseline again (the mean of both). */
async function throughput(id, label, makeFor, sandboxArgs = [], setup) {
  if (!wanted(id)) return
  const base = await baseline()
  const box = await sandbox(sandboxArgs)
  try {
    const context = setup ? await setup(box.url) : undefined
    const make = makeFor(context)
    await once(box.url, make())
    await load(base.url, makeFor(context), { duration: 1 }) // warm-up
    await load(box.url, make, { duration: 1 })
    const b1 = await measured(base, makeFor(context))
    const s = await measured(box, make)
    const b2 = await measured(base, makeFor(context))
    const mean = (key) => (b1[key] + b2[key]) / 2
    const b = { rps: mean('rps'), p50: mean('p50'), p99: mean('p99'), cpuMsPerRequest: mean('cpuMsPerRequest') }
    const ratio = s.rps / b.rps
    // Server CPU per request, bare Hono's over the sandbox's: the throughput ratio an idle machine would show.
    const cpuRatio = b.cpuMsPerRequest / s.cpuMsPerRequest
    const target = TARGETS[id]?.ratio
    results.scenarios[id] = { label, sandbox: s, baseline: b, ratio, cpuRatio, target: target && { ratio: target } }
    figures.push([
      label,
      `${fmt(s.rps, 0)} req/s`,
      `${fmt(b.rps, 0)} req/s`,
      `${pct(ratio)}`,
      target ? `≥ ${pct(target)} ${ratio >= target ? 'met' : 'MISSED'}` : '',
      Number.isFinite(cpuRatio)
        ? `CPU/request ${fmt(s.cpuMsPerRequest, 3)} vs ${fmt(b.cpuMsPerRequest, 3)} ms = ${pct(cpuRatio)}`
        : `p50 ${fmt(s.p50)} / p99 ${fmt(s.p99)} ms`,
    ])
    log(
      `  ${label}: ${fmt(s.rps, 0)} req/s vs ${fmt(b.rps, 0)} req/s bare Hono = ${pct(ratio)}; server CPU per request ${fmt(s.cpuMsPerRequest, 3)} vs ${fmt(b.cpuMsPerRequest, 3)} ms = ${pct(cpuRatio)}`,
    )
  } finally {
    await stop(box)
    await stop(base)
  }
}

/** The callback listener, in its own process. */
async function receiver() {
  const child = fork(join(HERE, 'receiver.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const port = await new Promise((r) => child.once('message', (m) => r(m.port)))
  const ask = (type) =>
    new Promise((r) => {
      child.once('message', (m) => r(type === 'count' ? m.count : m.arrivals))
      child.send({ type })
    })
  return {
    url: `http://127.0.0.1:${port}/cb`,
    /** Every arrival so far, as [paymentRef, ms since the epoch]. */
    report: () => ask('report'),
    /** How many arrived so far (cheap: polled while callbacks arrive). */
    count: () => ask('count'),
    clear: () => child.send({ type: 'clear' }),
    stop: () => new Promise((r) => (child.once('exit', r), child.send({ type: 'stop' }))),
  }
}

/**
 * When each pay-in's callback was due, by reference: the moment the sandbox accepted it plus the
 * scenario's delay (not the delivery's own `dueAt`, which a late timer would move with it).
 */
async function dueTimes(url, afterMs) {
  const res = await fetch(`${url}/_sandbox/transactions?provider=connecx&limit=1000000`)
  const due = new Map()
  const delay = typeof afterMs === 'function' ? afterMs : () => afterMs
  for (const tx of await res.json()) due.set(tx.reference, tx.createdAt + delay(tx.reference))
  return due
}

async function waitFor(check, timeoutMs, stepMs = 100) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return true
    await sleep(stepMs)
  }
  return false
}

/**
 * Callback lateness (arrival at the merchant − due time). First `pending` pay-ins, created as fast
 * as the sandbox takes them, all in before the first of their callbacks falls due; the callbacks
 * then fall due spread over a window (ten rules, by the reference's last digit, 0..9 steps apart)
 * at about a quarter of the measured pay-in rate, so the run measures the timer heap holding
 * 10,000 callbacks rather than a backlog the CPU cannot clear. Then, separately, pay-ins at half
 * the measured maximum rate, sent at a steady pace ({@link paced}), with callbacks due 2 s after each.
 */
async function lateness() {
  if (!wanted('callbacks-pending') && !wanted('callbacks-loaded')) return
  const scenarios = join(work, 'callbacks.yaml')
  const maxRate = results.scenarios['payin-memory']?.sandbox.rps ?? (await maxPayInRate())
  // 10,000 when the sandbox takes them fast enough, fewer (said so) on a slow machine.
  const budgetS = args.quick ? 15 : 40
  const pending = Math.max(100, Math.min(10_000, Math.floor(maxRate * budgetS)))
  // The first callback falls due well after the last pay-in is in (a real-clock sandbox with a
  // listener is slower than the virtual-clock one the rate was measured on).
  const firstDueS = Math.ceil((2.5 * pending) / maxRate) + 5
  const stepS = Math.max(1, Math.ceil((0.4 * pending) / maxRate))
  const afterS = (digit) => firstDueS + digit * stepS
  writeFileSync(
    scenarios,
    [
      'provider: connecx',
      'rules:',
      ...Array.from({ length: 10 }, (_, digit) => [
        `  - name: bench — pending, last digit ${digit}`,
        `    match: { operation: payin, reference: { regex: '^pending-.*${digit}$' } }`,
        `    timeline: [{ after: ${afterS(digit)}s, status: approved }]`,
      ]).flat(),
      '  - name: bench — under load, due 2 s after acceptance',
      "    match: { operation: payin, reference: { regex: '^loaded-' } }",
      '    timeline: [{ after: 2s, status: approved }]',
      '',
    ].join('\n'),
  )
  const listener = await receiver()
  try {
    if (wanted('callbacks-pending')) {
      const { box, make } = await callbackSandbox(scenarios, 'pending', listener.url)
      try {
        const t0 = Date.now()
        const accepted = (await load(box.url, make, { amount: pending - 1 })).requests + 1
        const created = Date.now() - t0
        // Server CPU spent on callbacks: from the first due moment until every callback arrived.
        await sleep(Math.max(0, t0 + firstDueS * 1000 - 200 - Date.now()))
        const cpuBefore = cpuMs(box.child.pid)
        const windowS = afterS(9) + created / 1000
        await waitFor(async () => (await listener.count()) >= accepted, (windowS + 60) * 1000, 250)
        const cpuAfter = cpuMs(box.child.pid)
        const arrivals = await listener.report()
        const due = await dueTimes(box.url, (ref) => afterS(Number(ref.at(-1))) * 1000)
        const late = arrivals.map(([ref, at]) => at - due.get(ref)).filter((x) => Number.isFinite(x))
        const s = summary(late)
        const allPendingFirst = created < firstDueS * 1000
        const cpuPerCallback = cpuBefore === undefined ? undefined : (cpuAfter - cpuBefore) / Math.max(1, late.length)
        results.scenarios['callbacks-pending'] = {
          label: `callback lateness, ${pending} pending`,
          delivered: late.length,
          pending,
          createdInMs: created,
          allPendingBeforeFirstDue: allPendingFirst,
          dueOverS: 9 * stepS + created / 1000,
          cpuMsPerCallback: cpuPerCallback,
          lateness: s,
          target: { p99Ms: 10 },
        }
        figures.push([
          `callback lateness, ${pending} pending`,
          `p50 ${fmt(s.p50)} ms`,
          `p99 ${fmt(s.p99)} ms`,
          `max ${fmt(s.max)} ms`,
          `p99 ≤ 10 ms ${s.p99 <= 10 ? 'met' : 'MISSED'}`,
          `${late.length} delivered over ${fmt(9 * stepS + created / 1000, 0)} s, CPU ${fmt(cpuPerCallback, 3)} ms each${allPendingFirst ? '' : ' (creation overlapped the first dues)'}`,
        ])
        log(
          `  callbacks, ${pending} pending: ${late.length} delivered, lateness p50 ${fmt(s.p50)} p99 ${fmt(s.p99)} ms, server CPU per callback ${fmt(cpuPerCallback, 3)} ms`,
        )
      } finally {
        await stop(box)
        listener.clear()
      }
    }
    if (wanted('callbacks-loaded')) {
      const rate = Math.max(50, Math.floor(maxRate / 2))
      const { box, make } = await callbackSandbox(scenarios, 'loaded', listener.url)
      try {
        const seconds = args.quick ? 5 : 8
        // Warmed up first, as the throughput rows are: the same load until its callbacks are in,
        // so the figure is the steady state and not the first compilation of the callback path.
        const warm = await paced(box.url, make, { seconds: args.quick ? 3 : 4, rate })
        await waitFor(async () => (await listener.count()) >= warm.requests + 1, 30_000, 250)
        listener.clear()
        const t0 = Date.now()
        const loadResult = await paced(box.url, make, { seconds, rate })
        const loadEnd = Date.now()
        const expected = loadResult.requests
        await waitFor(async () => (await listener.count()) >= expected, 30_000, 250)
        const arrivals = await listener.report()
        const due = await dueTimes(box.url, 2000)
        // Only callbacks that fell due while pay-ins were still arriving.
        const late = arrivals
          .filter(([ref]) => due.get(ref) >= t0 && due.get(ref) <= loadEnd)
          .map(([ref, at]) => at - due.get(ref))
        const s = summary(late)
        results.scenarios['callbacks-loaded'] = {
          label: 'callback lateness under half-max pay-in load',
          rate,
          payIns: loadResult,
          delivered: late.length,
          lateness: s,
          target: { p99Ms: 50 },
        }
        figures.push([
          `callback lateness, pay-ins at ${rate}/s`,
          `p50 ${fmt(s.p50)} ms`,
          `p99 ${fmt(s.p99)} ms`,
          `max ${fmt(s.max)} ms`,
          `p99 ≤ 50 ms ${s.p99 <= 50 ? 'met' : 'MISSED'}`,
          `${late.length} due during the load; pay-ins paced evenly, answered in p50 ${fmt(loadResult.p50)} / p99 ${fmt(loadResult.p99)} ms`,
        ])
        log(
          `  callbacks under ${rate} pay-ins/s (paced evenly): lateness p50 ${fmt(s.p50)} p99 ${fmt(s.p99)} ms; pay-ins answered in p50 ${fmt(loadResult.p50)} p99 ${fmt(loadResult.p99)} ms`,
        )
      } finally {
        await stop(box)
      }
    }
  } finally {
    await listener.stop()
  }
}

/** A real-clock sandbox with the bench's callback scenarios, checked with one pay-in. */
async function callbackSandbox(scenarios, prefix, callbackUrl) {
  const box = await start(
    process.execPath,
    [...SANDBOX_NODE, CLI, '--port', '0', '--data', 'memory', '--clock', 'real', '--scenarios', scenarios],
    'the sandbox',
  )
  const make = requests.connecxPayIn(prefix, callbackUrl)
  await once(box.url, make())
  return { box, make }
}

/** The pay-in rate the sandbox sustains (when the pay-in rows did not run): warmed up, then measured. */
async function maxPayInRate() {
  const box = await sandbox()
  try {
    const make = requests.connecxPayIn('max')
    await load(box.url, make, { duration: 1 })
    return (await load(box.url, make, { duration: 2 })).rps
  } finally {
    await stop(box)
  }
}

/** Spawn to the first 200 from /_sandbox/health, sandbox vs bare Hono, interleaved; medians. */
async function coldStart() {
  if (!wanted('cold')) return
  const rounds = args.quick ? 3 : 7
  const times = { sandbox: [], baseline: [] }
  for (let i = 0; i < rounds; i++) {
    for (const [name, launch] of [
      ['baseline', baseline],
      ['sandbox', () => sandbox(['--clock', 'real'])],
    ]) {
      const proc = await launch()
      // The first 200: a server that listens before its state is loaded answers 503 until then.
      for (let tries = 0; ; tries++) {
        const res = await fetch(`${proc.url}/_sandbox/health`)
        await res.text()
        if (res.status === 200) break
        if (res.status !== 503 || tries > 1000) throw new Error(`${name} health: HTTP ${res.status}`)
        await sleep(5)
      }
      times[name].push(Number(process.hrtime.bigint() - proc.started) / 1e6)
      await stop(proc)
    }
  }
  const s = median(times.sandbox)
  const b = median(times.baseline)
  results.scenarios.cold = {
    label: 'cold start to first health 200',
    sandboxMs: s,
    baselineMs: b,
    ratio: s / b,
    target: { ratio: 1.75 },
  }
  figures.push([
    'cold start (spawn → health 200)',
    `${fmt(s, 0)} ms`,
    `${fmt(b, 0)} ms`,
    `${fmt(s / b)}×`,
    `≤ 1.75× ${s / b <= 1.75 ? 'met' : 'MISSED'}`,
    '',
  ])
  log(`  cold start: ${fmt(s, 0)} ms vs ${fmt(b, 0)} ms bare Hono = ${fmt(s / b)}×`)
}

/** msw in-process: the same pay-in through the sandbox's handlers vs a trivial msw handler. */
async function mswOverhead() {
  if (!wanted('msw')) return
  const child = spawn(process.execPath, [join(HERE, 'msw.js'), SANDBOX_DIR, args.quick ? '500' : '2000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (c) => (out += c))
  const code = await new Promise((r) => child.once('exit', r))
  if (code !== 0) throw new Error(`bench/msw.js failed (${code}): ${out}`)
  const m = JSON.parse(out.trim().split('\n').pop())
  results.scenarios.msw = { label: 'msw in-process pay-in', ...m, target: { overheadMs: 0.5 } }
  figures.push([
    'msw pay-in vs trivial msw handler',
    `${fmt(m.sandboxed)} ms`,
    `${fmt(m.trivial)} ms`,
    `+${fmt(m.overhead)} ms`,
    `≤ +0.5 ms ${m.overhead <= 0.5 ? 'met' : 'MISSED'}`,
    'median, alternating requests',
  ])
  log(`  msw: ${fmt(m.sandboxed)} ms vs ${fmt(m.trivial)} ms trivial handler = +${fmt(m.overhead)} ms`)
}

async function storeBench() {
  const script = join(HERE, 'store.js')
  if (!args.store) return
  if (!existsSync(script)) return log('  --store: bench/store.js is not in this checkout; skipped')
  log('\nstore (bench/store.js):')
  const child = spawn(process.execPath, [script], { stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] })
  await new Promise((r) => child.once('exit', r))
}

/** Shared deployment: pay-ins and callback lateness on PostgreSQL, 1 and 2 replicas (bench/postgres.js). */
async function postgresBench() {
  const script = join(HERE, 'postgres.js')
  if (!wanted('postgres') || !existsSync(script)) return
  log('')
  const argv = [script, ...(args.quick ? ['--quick'] : [])]
  const child = spawn(process.execPath, argv, { stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] })
  await new Promise((r) => child.once('exit', r))
}

try {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build in ${SANDBOX_DIR} first`)
  log(`psp-sandbox bench: ${SANDBOX_DIR} against bare Hono + @hono/node-server, ${CONNECTIONS} connections`)
  log(`  ${results.machine}`)
  const file = join(work, 'db.json')
  await throughput('payin-memory', 'Connecx pay-in, in memory', () => requests.connecxPayIn('mem'))
  await throughput('payin-file', 'Connecx pay-in, lowdb file', () => requests.connecxPayIn('file'), ['--data', file])
  await throughput('bankcodes', 'Connecx bank codes (read)', () => requests.connecxBankCodes())
  await throughput(
    'payatom-polling',
    'PayAtom status polling (post_hash)',
    (ref) => requests.payatomPolling(ref),
    [],
    async (url) => JSON.parse(await once(url, requests.payatomHostedPayIn())).hash_value,
  )
  await throughput('ecommpay-payout', 'ECommPay payout (HMAC signature)', () => requests.ecommpayPayout())
  // Signed for the sandbox's own URL (OAuth signs host and port); the baseline gets the same bytes.
  await throughput(
    'connpay-payout',
    'ConnPay payout (OAuth RSA)',
    (make) => make,
    [],
    async (url) => requests.connpayPayouts(url, args.quick ? 300 : 1000),
  )
  await throughput('bankconnect-payout', 'Bankconnect payout (AES form)', () => requests.bankconnectPayout())
  await lateness()
  await coldStart()
  await mswOverhead()
  await storeBench()
  await postgresBench()

  if (!quiet) {
    console.log()
    table(['scenario', 'sandbox', 'bare Hono', 'ratio', 'target', 'detail'], figures)
  }
  if (jsonOnly) console.log(JSON.stringify(results, null, 2))
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`)
} finally {
  rmSync(work, { recursive: true, force: true })
}

function table(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  console.log(line(head))
  console.log(line(widths.map((w) => '-'.repeat(w))))
  for (const r of rows) console.log(line(r))
}

function summary(xs) {
  if (!xs.length) return { count: 0, p50: NaN, p99: NaN, max: NaN }
  const s = xs.slice().sort((a, b) => a - b)
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))]
  return { count: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] }
}
function median(xs) {
  const s = xs.slice().sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}
function fmt(n, digits = 2) {
  return Number.isFinite(n) ? n.toFixed(digits) : '–'
}
function pct(r) {
  return `${(r * 100).toFixed(0)}%`
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms))
}
function machine() {
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')
  return `node ${process.version}, ${availableParallelism()} cores, load average ${load} at the start`
}
