/**
 * A throwaway PostgreSQL cluster for tests and the benchmark (see cluster.js).
 *
 * @example
 * const cluster = await startCluster()      // undefined (and one line said) when PostgreSQL is not installed
 * const url = await cluster.database('t1')  // postgres://postgres@127.0.0.1:PORT/t1
 * await cluster.stop()
 */
export interface Cluster {
  port: number
  /** URL of the default database. */
  url: string
  /** Creates an empty database and returns its URL. */
  database(name: string): Promise<string>
  stop(): Promise<void>
}
/** The folder holding `initdb` and `pg_ctl`: on PATH, else Debian's /usr/lib/postgresql/<version>/bin. */
export function postgresBin(): string | undefined
/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissing(): string | undefined
/** Starts a cluster, or returns undefined after saying why in one line. */
export function startCluster(): Promise<Cluster | undefined>
