import type { CallbackRequest, ProviderCallbacks } from '../../engine/provider.js'
import { FINAL_STATUSES } from '../../engine/types.js'
import { phpJsonEncode } from '../../wire/php.js'
import { bankconnectCallbackChecksum } from './crypto.js'
import {
  settings,
  statusEntry,
  type BankconnectMerchant,
  type BankconnectSettings,
  type BankconnectTransaction,
  type BankconnectTxnData,
} from './wire.js'

/**
 * The callback body (CONTRACT): the status entry plus `amount` (as the merchant sent it) and
 * `checksum` = md5(merchant_no . order_id . amount . status . secret), written by `json_encode`.
 * `wrongSecret` signs it with a different secret (scenario `signature: invalid`).
 */
function callbackBody(tx: BankconnectTransaction, merchant: BankconnectMerchant, wrongSecret: boolean): string {
  const entry = statusEntry(tx)
  const data = tx.data
  const { merchantNo, secret } = settings(merchant)
  const checksum = bankconnectCallbackChecksum({
    merchantNo,
    orderId: entry.order_id,
    amount: data.amount,
    status: entry.status,
    secret: wrongSecret ? `${secret}-wrong` : secret,
  })
  return phpJsonEncode({ ...entry, amount: data.amount, checksum })
}

/**
 * Bankconnect posts to the request's `end_point_url` when a payout becomes final (SUCC200 or
 * SUCC202), `Content-Type: application/json`. Acknowledged by any HTTP 2xx (CONTRACT).
 */
export const bankconnectCallbacks: ProviderCallbacks<BankconnectTxnData, BankconnectSettings> = {
  build(tx, merchant, { signature }): CallbackRequest | null {
    if (!FINAL_STATUSES.has(tx.status) || !tx.callbackUrl) return null
    const body = callbackBody(tx, merchant, signature === 'invalid')
    return {
      url: tx.callbackUrl,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      event: statusEntry(tx).payment_code,
    }
  },
  ackRule: 'any HTTP 2xx answer',
  isAcknowledged: (response) => response.status >= 200 && response.status < 300,
  retrySchedule: ['1m', '5m', '15m', '1h', '3h'],
}
