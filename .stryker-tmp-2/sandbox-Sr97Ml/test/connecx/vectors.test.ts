// @ts-nocheck
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { connecxToken } from '../../src/providers/connecx/crypto.js'
import { createSandbox } from '../../src/sandbox.js'
import { CONNECX, connecxPayment, seedPayIn } from '../helpers.js'

/** Computed by python3 hashlib from the recipes as the Connecx document lists them. */
const vectors = JSON.parse(readFileSync(new URL('../vectors/connecx.json', import.meta.url), 'utf8')) as {
  merchantId: string
  apiKey: string
  queries: Array<{ api: string; method: string; path: string; parts: string[]; token: string }>
}

describe('Connecx tokens reproduce vectors/connecx.json', () => {
  it.each(vectors.queries)('$api: sha256_hex of the listed parts', ({ parts, token }) => {
    expect(connecxToken(parts)).toBe(token)
  })
})

describe('the sandbox accepts the vector tokens on the real query paths', () => {
  const sandbox = createSandbox({ clock: 'virtual' })
  afterAll(() => sandbox.close())

  it.each(vectors.queries)('$api is authorised with the vector token', async ({ path, token, api }) => {
    if (api.startsWith('txn')) {
      // Make the vector's transaction exist: the first pay-in gets txnId 176272727441, so ask by
      // paymentRef with the vector's reference, and by id only for authorisation (E2029, not E2004).
      await sandbox.fetch(connecxPayment('http://x', 'bdpayin', { ...seedPayIn(), paymentRef: 'PREF-1659501526442' }))
    }
    const res = await sandbox.fetch(new Request(`http://x${path}`, { headers: { 'X-paymesh-authz': token } }))
    const body = await res.json()
    if (api === 'txn by txnId') {
      // Authorised (not E2004/E2005); the vector's txnId does not exist here.
      expect(res.status).toBe(422)
      expect(body).toEqual({ msgCode: 'E2029', msgText: 'Transaction not found' })
    } else {
      expect(res.status).toBe(200)
    }
    const entry = sandbox.journal.list({ kind: 'request', limit: 1 })[0]
    expect(entry.auth?.ok).toBe(true)
  })

  it('refuses the same token with one hex digit changed, explaining the expected string', async () => {
    const q = vectors.queries[2]
    const bad = q.token.slice(0, -1) + (q.token.endsWith('0') ? '1' : '0')
    const res = await sandbox.fetch(new Request(`http://x${q.path}`, { headers: { 'X-paymesh-authz': bad } }))
    expect(res.status).toBe(422)
    expect(await res.text()).toBe('{"msgCode":"E2004","msgText":"Invalid transaction authorization"}')
    const entry = sandbox.journal.list({ kind: 'request', limit: 1 })[0]
    expect(entry.auth?.ok).toBe(false)
    expect(entry.auth?.explanation).toContain(JSON.stringify(q.parts.join('')))
    expect(entry.auth?.explanation).toContain(q.token)
  })

  it('uses the default merchant and API key of the vectors', () => {
    expect(vectors.merchantId).toBe(CONNECX.merchantId)
    expect(vectors.apiKey).toBe(CONNECX.apiKey)
  })
})
