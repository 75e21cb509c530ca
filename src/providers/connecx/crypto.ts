import { hash } from 'node:crypto'
import { sameBytes } from '../../wire/compare.js'

/**
 * Connecx `X-paymesh-authz` tokens: the values of a recipe's fields concatenated with no
 * separator, in the recipe's order, hashed with SHA-256 and hex-encoded (lowercase).
 *
 * @example
 * connecxToken(['3568224497743', '176272727440', 'sandbox-api-key-0001'])
 * // '3cb94ccac443bba2b32d3f76316571cd63a26e034991a0f5f902112e90fbb0c5'
 */
export function connecxToken(parts: readonly string[]): string {
  return hash('sha256', parts.join(''), 'hex')
}

/** Field names a recipe may use: `merchantId`, `apiKey`, or any request/path field. */
export type TokenRecipe = readonly string[]

/**
 * The recipes the Connecx document lists for its query APIs, and the sandbox contract's guesses
 * for pay-in/pay-out and the callback header (undocumented; configurable per merchant).
 */
export const DEFAULT_RECIPES = {
  payment: ['merchantId', 'requestSalt', 'paymentRef', 'apiKey'],
  callback: ['merchantId', 'txnId', 'apiKey'],
  txn: ['merchantId', 'txnId', 'apiKey'],
  payref: ['merchantId', 'paymentRef', 'apiKey'],
  bankcodes: ['merchantId', 'channelCode', 'apiKey'],
  balance: ['merchantId', 'requestSalt', 'currency', 'apiKey'],
  channelspecs: ['merchantId', 'requestSalt', 'channelCode', 'apiKey'],
} as const satisfies Record<string, TokenRecipe>

export type RecipeName = keyof typeof DEFAULT_RECIPES

/** The values of a recipe's fields, in order; absent fields count as empty text. */
export function recipeParts(recipe: TokenRecipe, values: Record<string, unknown>): string[] {
  return recipe.map((field) => {
    const v = values[field]
    return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)
  })
}

export interface TokenVerdict {
  ok: boolean
  /** Plain words for the journal: on failure, the recipe, the string hashed and the token expected. */
  explanation: string
  expected: string
}

/**
 * Checks a token the merchant sent against the recipe, byte for byte (lowercase hex, no spaces),
 * as a server comparing the hex strings does. `exact: false` (the merchant's `relaxedRules`
 * lists `token-exact`) ignores hex case and surrounding spaces. The explanation never hides the
 * API key: this is a sandbox key.
 */
export function verifyToken(
  given: string,
  recipe: TokenRecipe,
  values: Record<string, unknown>,
  options: { exact: boolean } = { exact: true },
): TokenVerdict {
  const parts = recipeParts(recipe, values)
  const expected = connecxToken(parts)
  const loose = given.trim().toLowerCase()
  const compared = options.exact ? given : loose
  const ok = sameBytes(compared, expected)
  const onlyCase = !ok && sameBytes(loose, expected)
  return {
    ok,
    expected,
    explanation: ok
      ? `token matches sha256_hex(${recipe.join(' + ')})`
      : onlyCase
        ? `token ${JSON.stringify(given)} is the right hash but not written exactly as expected (${expected}): tokens compare exactly, lowercase hex with nothing around it (seed rule "token-exact").`
        : `token ${JSON.stringify(given)} does not match. The sandbox hashed ${parts.map((p, i) => `${recipe[i]}=${JSON.stringify(p)}`).join(' + ')} (concatenated with no separator: ${JSON.stringify(parts.join(''))}) and expected ${expected}.`,
  }
}
