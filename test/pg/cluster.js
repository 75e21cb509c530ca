import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { delimiter, join } from 'node:path'

/**
 * A throwaway PostgreSQL cluster for tests: `initdb` in a temporary folder, started on a free
 * port, removed by `stop()`. As root (PostgreSQL refuses to run as root) the cluster belongs to
 * the `postgres` user (or `nobody`), and the commands run as that user.
 *
 * @example
 * const cluster = await startCluster()      // undefined (and one line said) when PostgreSQL is not installed
 * const url = await cluster.database('t1')  // postgres://postgres@127.0.0.1:PORT/t1
 * await cluster.stop()
 */
// Types: cluster.d.ts (the benchmark imports this file too, with plain node).

/** The folder holding `initdb` and `pg_ctl`: on PATH, else Debian's /usr/lib/postgresql/<version>/bin. */
export function postgresBin() {
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? join(root, versions[0], 'bin') : undefined
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissing() {
  return postgresBin()
    ? undefined
    : 'PostgreSQL tests skipped: no initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin (apt-get install postgresql)'
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Starts a cluster, or returns undefined after saying why in one line. */
export async function startCluster() {
  const bin = postgresBin()
  if (!bin) {
    console.warn(postgresMissing())
    return undefined
  }
  const dir = mkdtempSync(join(tmpdir(), 'psp-pg-'))
  const data = join(dir, 'data')
  let runAs = []
  if (userInfo().uid === 0) {
    const user = ['postgres', 'nobody'].find((u) => spawnSync('id', ['-u', u]).status === 0)
    const uid = Number(execFileSync('id', ['-u', user]).toString())
    const gid = Number(execFileSync('id', ['-g', user]).toString())
    chownSync(dir, uid, gid)
    chmodSync(dir, 0o700)
    runAs = ['runuser', '-u', user, '--']
  }
  const run = (cmd, args) => {
    const [file, ...rest] = runAs.length ? [...runAs, join(bin, cmd), ...args] : [join(bin, cmd), ...args]
    const result = spawnSync(file, rest, { cwd: dir, encoding: 'utf8' })
    if (result.status !== 0)
      throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr || result.stdout}`)
  }
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions'])
  const port = await freePort()
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    'start',
  ])
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  return {
    port,
    url,
    async database(name) {
      const { default: postgres } = await import('postgres')
      const sql = postgres(url, { max: 1, onnotice: () => {} })
      try {
        await sql.unsafe(`CREATE DATABASE "${name}"`)
      } finally {
        await sql.end()
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`
    },
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
