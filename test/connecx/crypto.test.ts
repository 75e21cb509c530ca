import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RECIPES, connecxToken, recipeParts, verifyToken } from '../../src/providers/connecx/crypto.js'

/** Computed by python3 hashlib from the recipes as the Connecx document lists them. */
const vectors = JSON.parse(readFileSync(new URL('../vectors/connecx.json', import.meta.url), 'utf8')) as {
  merchantId: string
  apiKey: string
  queries: Array<{ api: string; parts: string[]; token: string }>
}
const byTxnId = vectors.queries.find((q) => q.api === 'txn by txnId')!
const txnValues = { merchantId: vectors.merchantId, txnId: byTxnId.parts[1], apiKey: vectors.apiKey }

describe('Connecx token recipes', () => {
  it('hashes UTF-8 bytes (python3: hashlib.sha256("Zürich€".encode()).hexdigest())', () => {
    expect(connecxToken(['Zür', 'ich€'])).toBe('6e0fde19638c38f372246940c6f6a44c4e4fed94bf0ace80657875cb36c99aca')
  })

  it('takes a recipe’s fields in order; absent and null fields are empty text, numbers their digits, objects JSON', () => {
    expect(
      recipeParts(['merchantId', 'missing', 'none', 'amount', 'meta', 'apiKey'], {
        merchantId: 'M1',
        none: null,
        amount: 12.5,
        meta: { a: 1 },
        apiKey: 'K',
      }),
    ).toEqual(['M1', '', '', '12.5', '{"a":1}', 'K'])
    expect(recipeParts(['flag', 'zero'], { flag: false, zero: 0 })).toEqual(['false', '0'])
  })

  it('accepts the document’s txn-by-id token and says which recipe matched', () => {
    const verdict = verifyToken(byTxnId.token, DEFAULT_RECIPES.txn, txnValues)
    expect(verdict).toEqual({
      ok: true,
      expected: byTxnId.token,
      explanation: 'token matches sha256_hex(merchantId + txnId + apiKey)',
    })
  })

  it('compares exactly by default: upper case or surrounding spaces are refused as "right hash, wrong form"', () => {
    for (const given of [byTxnId.token.toUpperCase(), ` ${byTxnId.token} `]) {
      const verdict = verifyToken(given, DEFAULT_RECIPES.txn, txnValues)
      expect(verdict.ok).toBe(false)
      expect(verdict.explanation).toBe(
        `token ${JSON.stringify(given)} is the right hash but not written exactly as expected (${byTxnId.token}): ` +
          'tokens compare exactly, lowercase hex with nothing around it (seed rule "token-exact").',
      )
    }
  })

  it('relaxed (token-exact listed in relaxedRules) ignores hex case and surrounding spaces, nothing else', () => {
    const relaxed = { exact: false }
    expect(verifyToken(` ${byTxnId.token.toUpperCase()}\t`, DEFAULT_RECIPES.txn, txnValues, relaxed).ok).toBe(true)
    const wrong = byTxnId.token.slice(0, -1) + (byTxnId.token.endsWith('0') ? '1' : '0')
    expect(verifyToken(wrong, DEFAULT_RECIPES.txn, txnValues, relaxed).ok).toBe(false)
  })

  it('a wrong token is explained with each field hashed, the concatenation and the expected token', () => {
    const verdict = verifyToken('00', DEFAULT_RECIPES.txn, txnValues)
    expect(verdict.ok).toBe(false)
    expect(verdict.expected).toBe(byTxnId.token)
    expect(verdict.explanation).toBe(
      `token "00" does not match. The sandbox hashed merchantId="${vectors.merchantId}" + txnId="${byTxnId.parts[1]}" ` +
        `+ apiKey="${vectors.apiKey}" (concatenated with no separator: "${byTxnId.parts.join('')}") and expected ${byTxnId.token}.`,
    )
  })
})
