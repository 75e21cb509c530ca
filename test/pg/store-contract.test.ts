import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresStore } from '../../src/engine/store-postgres.js'
import { storeContract } from '../engine/store-contract.js'
import postgres from 'postgres'
import { postgresMissing, startCluster, type Cluster } from './cluster.js'

const FAULT_TABLES = ['psp_records', 'psp_changes', 'psp_sequences', 'psp_meta']

/** Makes every write to the sandbox's tables fail (as a full disk on the server would), or heals it. */
async function injectFault(url: string, on: boolean): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    if (on) {
      await sql.unsafe(`CREATE OR REPLACE FUNCTION psp_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'could not extend file: No space left on device (injected)' USING ERRCODE = '53100'; END $$`)
      for (const t of FAULT_TABLES)
        await sql.unsafe(
          `CREATE TRIGGER psp_test_fault BEFORE INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION psp_test_fault()`,
        )
    } else for (const t of FAULT_TABLES) await sql.unsafe(`DROP TRIGGER IF EXISTS psp_test_fault ON ${t}`)
  } finally {
    await sql.end()
  }
}

const missing = postgresMissing()
if (missing) {
  console.warn(missing)
  describe.skip('Store contract: postgres', () => it.skip(missing, () => {}))
} else {
  let cluster: Cluster | undefined
  const databases: string[] = []
  beforeAll(async () => {
    cluster = await startCluster()
    // One empty database per contract test (make() is synchronous).
    for (let i = 0; i < 12; i++) databases.push(await cluster!.database(`contract_${i}`))
  }, 120_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  storeContract('postgres', () => {
    const url = databases.shift()!
    return {
      open: () => new PostgresStore({ url }),
      reopen: () => new PostgresStore({ url }),
      // The database server's disk fills: every write to the sandbox's tables fails with PostgreSQL's
      // own disk_full error (53100) until the fault clears; reads still answer.
      fail: () => injectFault(url, true),
      heal: () => injectFault(url, false),
    }
  })

  describe('PostgreSQL store: replicas', () => {
    it('a replica sees what another committed after sync, and hears of it', async () => {
      const url = databases.shift()!
      const [a, b] = [new PostgresStore({ url, counters: ['n'] }), new PostgresStore({ url, counters: ['n'] })]
      await a.load()
      await b.load()
      const heard: string[] = []
      b.shared.onSync((records) => heard.push(...(records.get('transactions') ?? [])))
      const tx = a.put('transactions', 't1', { id: 't1', status: 'pending' })
      await a.commit()
      await b.shared.sync()
      expect(b.get('transactions', 't1')).toEqual({ id: 't1', status: 'pending' })
      const live = b.get('transactions', 't1')
      tx.status = 'approved'
      a.put('transactions', 't1', tx)
      a.remove('state', 'nothing')
      await a.commit()
      await b.shared.sync()
      expect(b.get('transactions', 't1')).toBe(live) // updated in place: holders see the new value
      expect(live).toEqual({ id: 't1', status: 'approved' })
      expect(heard).toEqual(['t1', 't1'])
      // Counters never repeat across replicas: declared ones are leased in blocks …
      const ids = [a.nextCounter('n'), b.nextCounter('n'), a.nextCounter('n'), b.nextCounter('n')]
      expect(new Set(ids).size).toBe(4)
      // … and a new one used by two replicas at once fails the second commit rather than repeat.
      expect([a.nextCounter('m'), b.nextCounter('m')]).toEqual([1, 1])
      await a.commit()
      await expect(b.commit()).rejects.toThrow(/two replicas used the new counter "m"/)
      await a.close()
      await b.close()
    })

    it('a replica further behind than the pruned change feed reloads everything', async () => {
      const url = databases.shift()!
      const a = new PostgresStore({ url, feedRetentionMs: 0 })
      const b = new PostgresStore({ url })
      await a.load()
      await b.load()
      a.put('transactions', 'old', { id: 'old' })
      await a.commit()
      a.put('transactions', 'new', { id: 'new' })
      a.remove('transactions', 'old')
      await a.commit()
      await new Promise((resolve) => setTimeout(resolve, 20))
      await a.pruneNow()
      await b.shared.sync()
      expect(b.values('transactions')).toEqual([{ id: 'new' }])
      await a.close()
      await b.close()
    })

    it('due work and references are claimed by one replica at a time', async () => {
      const url = databases.shift()!
      const [a, b] = [new PostgresStore({ url, leaseMs: 200 }), new PostgresStore({ url, leaseMs: 200 })]
      await a.load()
      await b.load()
      expect(await a.shared.claim('deliveries', 'cb-1')).toEqual({ claimed: true })
      const lost = await b.shared.claim('deliveries', 'cb-1')
      expect(lost.claimed).toBe(false)
      expect((lost as { retryInMs: number }).retryInMs).toBeGreaterThan(0)
      // The holder dies (never releases): after the lease another replica gets it.
      await new Promise((resolve) => setTimeout(resolve, 250))
      expect(await b.shared.claim('deliveries', 'cb-1')).toEqual({ claimed: true })
      expect(await a.shared.claimReference('ref')).toBe(true)
      expect(await b.shared.claimReference('ref')).toBe(false)
      a.shared.releaseReference('ref')
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(await b.shared.claimReference('ref')).toBe(true)
      await a.close()
      await b.close()
    })
  })
}
