#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { checkFile, FileProblemsError, readConfigFile, type Config } from './config.js'
import { ScenarioError, scenarioFilesIn } from './engine/scenarios.js'
import { PROVIDERS } from './providers/index.js'
import { createSandbox } from './sandbox.js'
import { listen } from './server.js'
import { attachServerLog, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './log.js'
import { describePolicy, LONG_RUNNING_RETENTION, parseRetention } from './engine/store-retention.js'
import type { LowdbStore } from './engine/store-lowdb.js'
import { PACKAGE_JSON } from './paths.js'

const HELP = `psp-sandbox — five payment providers' APIs on localhost, byte for byte

Usage:
  psp-sandbox [start] [options]       serve every provider, the admin API and hosted pages
  psp-sandbox check <file|dir>...     validate scenario and config files: every problem, file:line
                                      (exit 1 when any is invalid, 2 when given nothing)
  psp-sandbox openapi [--out DIR]     write the OpenAPI documents (default ./openapi)
  psp-sandbox schemas [--out DIR]     write the JSON Schemas of config and scenario files (default ./schemas)
  psp-sandbox health [--port N]       exit 0 when GET /_sandbox/health answers 200 (the container's health check)

Options:
  --port N           port to listen on (default $PORT, else 8080)
  --host ADDR        address to bind (default $HOST, else 127.0.0.1; the container sets 0.0.0.0)
  --data PATH        lowdb state file (default $DATA, else .psp-sandbox/db.json; "memory" keeps nothing).
                     One process per file: <PATH>.lock names its pid; a second process refuses
  --store URL        postgres://user:password@host:port/db: keep the state in PostgreSQL instead, shared
                     by every replica given the same URL (default $DATABASE_URL when set; see
                     docs/store.md). $PSP_SANDBOX_LEASE sets how long a dead replica's claimed
                     callbacks wait before another sends them (default 30s)
  --scenarios PATH   scenario file or folder, tried before the built-in scenarios (repeatable)
  --config FILE      JSON or YAML config: port, host, data, scenarios, clock, merchants,
                     callbackTimeout, callbackConcurrency, journal, admin (command-line options win)
  --clock MODE       real (default) or virtual (time moves only via POST /_sandbox/clock/advance)
  --admin-token T    admin API token (or $PSP_SANDBOX_ADMIN_TOKEN); admin calls then send
                     Authorization: Bearer T. Required when --host is not a loopback address
  --allowed-hosts H  host names the admin API answers besides localhost/127.0.0.1/::1, comma
                     separated (or $PSP_SANDBOX_ALLOWED_HOSTS); * for any
  --log FORMAT       server log: pretty (default on a terminal), json (default otherwise) or silent;
                     one line per request and per callback attempt, never bodies or secrets
  --log-level LEVEL  debug (adds status changes), info (default), warn or error
  --retain WHAT      prune finished transactions and their callbacks: an age (7d), a count
                     (100000), both (7d,100000) or off. Default ${LONG_RUNNING_RETENTION}, so a long-running
                     instance stays small; off when $CI is set, so a test run sees every transaction
  --repair           start even if the state file is damaged: drop what cannot be trusted and keep
                     a copy of the original files beside it (<data>.repair-<time>/)
  -h, --help         this text
  -v, --version      the version

Providers (real paths, one port): ${PROVIDERS.map((p) => `${p.id} ${p.pathPrefixes.join(' ')}`).join('; ')}
Admin API: /_sandbox (health, merchants, transactions, callbacks, scenarios, clock, journal, reset)
Dashboard: /_sandbox/ui (transactions, callbacks, journal, clock, merchants, scenarios)
Docs:      /_sandbox/docs (OpenAPI documents, try-it-out) and /_sandbox/openapi/<provider>.json`

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      store: { type: 'string' },
      scenarios: { type: 'string', multiple: true },
      config: { type: 'string' },
      clock: { type: 'string' },
      'admin-token': { type: 'string' },
      'allowed-hosts': { type: 'string', multiple: true },
      log: { type: 'string' },
      'log-level': { type: 'string' },
      retain: { type: 'string' },
      repair: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  })
  const command = positionals[0] ?? 'start'
  if (values.help) return (void console.log(HELP), 0)
  if (values.version) {
    const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8'))
    return (void console.log(pkg.version), 0)
  }

  if (command === 'check') {
    const targets = positionals.slice(1)
    if (!targets.length) {
      console.error(`psp-sandbox check: name the scenario or config files (or folders) to check\n\n${HELP}`)
      return 2
    }
    let invalid = 0
    for (const target of targets) {
      let files: string[]
      try {
        files = scenarioFilesIn(target)
      } catch (e) {
        console.error(`${target}: cannot be read: ${(e as Error).message}`)
        invalid++
        continue
      }
      for (const file of files) {
        const { kind, problems } = checkFile(file, PROVIDERS)
        if (problems.length) {
          invalid++
          console.error(problems.join('\n'))
        } else console.log(`ok  ${file} (${kind} file)`)
      }
    }
    return invalid ? 1 : 0
  }

  if (command === 'schemas') {
    const out = values.out ?? 'schemas'
    mkdirSync(out, { recursive: true })
    const { configSchema, scenarioSchema } = await import('./schemas.js')
    for (const [name, schema] of [
      ['config', configSchema(PROVIDERS)],
      ['scenario', scenarioSchema(PROVIDERS)],
    ] as const) {
      writeFileSync(join(out, `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`)
      console.log(`wrote ${join(out, `${name}.schema.json`)}`)
    }
    return 0
  }

  if (command === 'health') {
    // The container's health check: the same port and host a start would use (arguments, then
    // $PORT/$HOST), so it follows a moved port with the image's own node.
    const port = Number(values.port ?? (process.env.PORT || 8080))
    const host = values.host ?? (process.env.HOST || '127.0.0.1')
    const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
    const url = `http://${target.includes(':') ? `[${target}]` : target}:${port}/_sandbox/health`
    const token = process.env.PSP_SANDBOX_ADMIN_TOKEN
    try {
      const res = await fetch(url, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(3000),
      })
      console.log(`${res.status} ${url}`)
      return res.ok ? 0 : 1
    } catch (e) {
      console.error(`unhealthy: ${url}: ${(e as Error).message}`)
      return 1
    }
  }

  if (command === 'openapi') {
    const out = values.out ?? 'openapi'
    mkdirSync(out, { recursive: true })
    const { adminOpenApi } = await import('./admin/openapi.js')
    for (const [name, doc] of [
      ['admin', adminOpenApi()],
      ...(await Promise.all(PROVIDERS.map(async (p) => [p.id, await p.openapi()] as const))),
    ] as const) {
      writeFileSync(join(out, `${name}.json`), `${JSON.stringify(doc, null, 2)}\n`)
      console.log(`wrote ${join(out, `${name}.json`)}`)
    }
    return 0
  }

  if (command !== 'start') {
    console.error(`unknown command "${command}"\n\n${HELP}`)
    return 2
  }

  const config: Config = values.config ? readConfigFile(values.config, PROVIDERS) : {}
  const clock = values.clock ?? config.clock ?? 'real'
  if (clock !== 'real' && clock !== 'virtual') throw new Error(`--clock must be real or virtual, got "${clock}"`)
  const env = process.env
  const data = values.data ?? config.data ?? (env.DATA || '.psp-sandbox/db.json')
  const database = values.store ?? (values.data ? undefined : env.DATABASE_URL || undefined)
  if (database !== undefined && !/^postgres(ql)?:\/\//.test(database))
    throw new Error(`--store takes a PostgreSQL URL (postgres://user:password@host:port/database), got "${database}"`)
  const port = Number(values.port ?? config.port ?? (env.PORT || 8080))
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, got "${values.port ?? config.port ?? env.PORT}"`)
  const logFormat = (values.log ?? (process.stdout.isTTY ? 'pretty' : 'json')) as LogFormat
  if (!LOG_FORMATS.includes(logFormat)) throw new Error(`--log must be ${LOG_FORMATS.join(', ')}, got "${values.log}"`)
  const logLevel = (values['log-level'] ?? 'info') as LogLevel
  if (!LOG_LEVELS.includes(logLevel))
    throw new Error(`--log-level must be ${LOG_LEVELS.join(', ')}, got "${values['log-level']}"`)
  const retain = values.retain ?? config.retain ?? (process.env.CI ? 'off' : LONG_RUNNING_RETENTION)
  const retention = parseRetention(retain)
  const started = Date.now()
  const hostList =
    values['allowed-hosts'] ??
    (process.env.PSP_SANDBOX_ALLOWED_HOSTS ? [process.env.PSP_SANDBOX_ALLOWED_HOSTS] : undefined)
  const admin = {
    token: values['admin-token'] ?? (process.env.PSP_SANDBOX_ADMIN_TOKEN || undefined) ?? config.admin?.token,
    allowedHosts:
      hostList
        ?.flatMap((h) => h.split(','))
        .map((h) => h.trim())
        .filter(Boolean) ?? config.admin?.allowedHosts,
  }
  if (admin.token !== undefined && admin.token.length < 8)
    throw new Error('the admin token must be at least 8 characters long (e.g. openssl rand -hex 16)')
  const sandbox = createSandbox({
    ...config,
    admin,
    clock,
    data: data === 'memory' ? undefined : data,
    database,
    databaseLease: env.PSP_SANDBOX_LEASE || undefined,
    scenarios: values.scenarios ?? config.scenarios,
    retain,
    repair: values.repair ?? config.repair,
  })
  await sandbox.ready
  const { repaired, staleLock } = sandbox.engine.store as Partial<Pick<LowdbStore, 'repaired' | 'staleLock'>>
  if (staleLock)
    console.warn(
      `took over the lock of ${data}: the process that held it (pid ${staleLock.pid}, since ${staleLock.since}) no longer runs`,
    )
  if (repaired) {
    console.warn(
      `--repair dropped ${repaired.dropped.length} damaged part(s) of the state; the originals are in ${repaired.folder}:`,
    )
    for (const d of repaired.dropped) console.warn(`  ${d.file}${d.line ? `:${d.line}` : ''} ${d.why}`)
  }
  const log = await attachServerLog(sandbox.engine, { format: logFormat, level: logLevel })
  const server = await listen(sandbox, { port, host: values.host ?? config.host ?? (env.HOST || '127.0.0.1') }).catch(
    async (error: Error) => {
      await sandbox.close()
      throw error
    },
  )
  const state = database ? sandbox.engine.store.location : data === 'memory' ? 'in memory' : data
  const providers = sandbox.engine.providerList.map((p) => p.id)
  const say = (message: string, fields: Record<string, unknown> = {}) =>
    logFormat === 'json' ? log.write('info', { event: 'server', ...fields }, message) : console.log(message)
  say(`psp-sandbox listening on ${server.boundUrl} (ready in ${Date.now() - started} ms)`, {
    url: server.boundUrl,
    state,
    clock,
    providers,
  })
  if (logFormat !== 'json') {
    if (server.boundUrl !== server.url) console.log(`  from this machine: ${server.url}`)
    console.log(`  state: ${state} · clock: ${clock} · providers: ${providers.join(', ')}`)
    console.log(`  retention: ${describePolicy(retention)}`)
    console.log(`  dashboard: ${server.url}/_sandbox/ui · docs: ${server.url}/_sandbox/docs`)
  }
  log.flush()
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    say(`${signal}: stopping; requests in flight finish first (up to 5 s), pending callbacks resume on the next start`)
    await server.close()
    log.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  return -1
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (error) => {
    console.error(
      error instanceof ScenarioError || error instanceof FileProblemsError
        ? error.message
        : `psp-sandbox: ${(error as Error).message}`,
    )
    process.exitCode = 1
  },
)
