import { afterAll, beforeAll, describe, it } from 'vitest'
import { PostgresStore } from '../../src/engine/store-postgres.js'
import { storeContract } from '../engine/store-contract.js'
import { postgresMissing, startCluster, type Cluster } from './cluster.js'

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
    return { open: () => new PostgresStore({ url }), reopen: () => new PostgresStore({ url }) }
  })
}
