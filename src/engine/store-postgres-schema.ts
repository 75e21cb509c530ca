import type { Sql } from 'postgres'

/**
 * The PostgreSQL store's schema, as numbered migrations. `migrate()` applies the missing ones in
 * order, each in its own transaction, under an advisory lock: two replicas starting at once
 * serialise here, and the second finds nothing left to do.
 *
 * - `psp_records`: the state, one row per record (`collection`, `id`, a jsonb `value`).
 * - `psp_changes`: the change feed, one row per changed record and commit, `seq` in commit order
 *   (commits are serialised by {@link COMMIT_LOCK}); `value` is null for a removal. Replicas pull
 *   from it to stay current; it is pruned after a while (`psp_meta.pruned` says up to where).
 * - `psp_sequences`: counters, as the highest value leased to any replica.
 * - `psp_leases`: due work and merchant references claimed by one replica until `until`.
 *
 * @example
 * await migrate(sql) // [] when the schema is current, else the versions applied
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'records, change feed, counters, leases',
    sql: `
      CREATE TABLE psp_records (
        collection text NOT NULL,
        id text NOT NULL,
        value jsonb NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE TABLE psp_changes (
        seq bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        origin text NOT NULL,
        collection text NOT NULL,
        id text NOT NULL,
        value jsonb
      );
      CREATE TABLE psp_sequences (name text PRIMARY KEY, value bigint NOT NULL);
      CREATE TABLE psp_leases (
        kind text NOT NULL,
        id text NOT NULL,
        owner text NOT NULL,
        until timestamptz NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE TABLE psp_meta (key text PRIMARY KEY, value bigint NOT NULL);
    `,
  },
]

/** Advisory lock ids (arbitrary constants, "psp" in ASCII plus a number). */
export const MIGRATE_LOCK = 7_370_112_001
export const COMMIT_LOCK = 7_370_112_002

/** Applies the migrations the database lacks; returns their versions. */
export async function migrate(sql: Sql): Promise<number[]> {
  return sql.begin(async (tx) => {
    await tx.unsafe('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK])
    await tx.unsafe(`CREATE TABLE IF NOT EXISTS psp_migrations (
      version int PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
    const [{ current }] = await tx.unsafe('SELECT coalesce(max(version), 0) AS current FROM psp_migrations')
    const newest = MIGRATIONS.at(-1)!.version
    if (current > newest)
      throw new Error(
        `the database's psp-sandbox schema is version ${current}, newer than this psp-sandbox knows (${newest}): upgrade psp-sandbox, or point it at another database`,
      )
    const applied: number[] = []
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue
      await tx.unsafe(m.sql)
      await tx.unsafe('INSERT INTO psp_migrations (version, name) VALUES ($1, $2)', [m.version, m.name])
      applied.push(m.version)
    }
    return applied
  }) as Promise<number[]>
}
