import type { CallbackRequest, ProviderCallbacks } from '../../engine/provider.js'
import { FINAL_STATUSES } from '../../engine/types.js'
import { connecxToken, DEFAULT_RECIPES, recipeParts } from './crypto.js'
import { RETRY_SCHEDULE } from './defaults.js'
import { renderTxn, type ConnecxSettings, type ConnecxTxnData } from './wire.js'

/**
 * Connecx posts the result object to `callbackUrl` when a transaction becomes COMPLETED,
 * CANCELLED or FAILED, with an `X-paymesh-authz` header (recipe per merchant; sandbox contract
 * default sha256_hex(merchantId + txnId + apiKey)). Acknowledged by any HTTP 2xx (sandbox
 * contract: the document states no rule).
 */
export const connecxCallbacks: ProviderCallbacks<ConnecxTxnData, ConnecxSettings> = {
  build(tx, merchant, { signature }): CallbackRequest | null {
    if (!FINAL_STATUSES.has(tx.status) || !tx.callbackUrl) return null
    const body = renderTxn(tx, merchant)
    // Stryker disable next-line OptionalChaining: tokenRecipes is always an object (checkConnecxMerchant refuses any other value)
    const recipe = merchant.tokenRecipes?.callback ?? DEFAULT_RECIPES.callback
    const values = {
      ...body,
      txnId: tx.providerRef,
      merchantId: merchant.id,
      apiKey: signature === 'invalid' ? `${merchant.apiKey}-wrong` : merchant.apiKey,
    }
    return {
      url: tx.callbackUrl,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-paymesh-authz': connecxToken(recipeParts(recipe, values)) },
      body: JSON.stringify(body),
      event: String(body.status),
    }
  },
  ackRule: 'any HTTP 2xx answer',
  isAcknowledged: (response) => response.status >= 200 && response.status < 300,
  retrySchedule: RETRY_SCHEDULE,
}
