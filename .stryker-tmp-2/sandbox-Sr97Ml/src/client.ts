/**
 * Merchant-side helpers for test code: sign, encrypt and verify exactly as a merchant must, so
 * test suites do not re-implement provider crypto. Proven against `test/vectors`.
 *
 * @example
 * import { connecx } from 'psp-sandbox/client'
 * const token = connecx.token(['3568224497743', 'abcd-xyz', 'abc123XYZ', 'sandbox-api-key-0001'])
 */
// @ts-nocheck

import {
  connecxToken,
  DEFAULT_RECIPES,
  recipeParts,
  verifyToken,
  type TokenRecipe,
} from './providers/connecx/crypto.js'

export const connecx = {
  /** sha256_hex of the parts concatenated with no separator. */
  token: connecxToken,
  /** The recipes the sandbox uses by default (query recipes as the Connecx document lists them). */
  recipes: DEFAULT_RECIPES,
  /**
   * The `X-paymesh-authz` token for a request: `values` holds the request's fields (body, path
   * and query) plus `merchantId` and `apiKey`.
   *
   * @example
   * connecx.tokenFor('payment', { merchantId, apiKey, ...body })
   */
  tokenFor(recipe: keyof typeof DEFAULT_RECIPES | TokenRecipe, values: Record<string, unknown>): string {
    return connecxToken(recipeParts(typeof recipe === 'string' ? DEFAULT_RECIPES[recipe] : recipe, values))
  },
  /**
   * Verifies a callback's `X-paymesh-authz` header (default recipe merchantId + txnId + apiKey).
   *
   * @example
   * connecx.verifyCallback(req.headers.get('x-paymesh-authz'), JSON.parse(body), { merchantId, apiKey })
   */
  verifyCallback(
    header: string | null | undefined,
    body: { txnId: number | string },
    keys: { merchantId: string; apiKey: string },
    recipe: TokenRecipe = DEFAULT_RECIPES.callback,
  ): boolean {
    return !!header && verifyToken(header, recipe, { ...body, ...keys }).ok
  },
}

export { connpay } from './providers/connpay/client.js'
export { bankconnect } from './providers/bankconnect/client.js'
export { ecommpay } from './providers/ecommpay/client.js'
export { payatom } from './providers/payatom/client.js'
