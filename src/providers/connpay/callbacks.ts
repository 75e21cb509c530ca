import type { CallbackRequest, ProviderCallbacks } from '../../engine/provider.js'
import { callbackControl } from './crypto.js'
import {
  CALLBACK_STATUSES,
  dataOf,
  nativeState,
  type ConnPayMerchant,
  type ConnPaySettings,
  type ConnPayTransaction,
  type ConnPayTxnData,
} from './model.js'
import { appendQuery } from './wire.js'

/**
 * Progressive resend schedule: 30 resends over exactly 14 days (research §3: "30 times over 14
 * days on a progressive schedule"; the intervals are not published, these are sandbox contract).
 */
export const RETRY_SCHEDULE = [
  '1m',
  '2m',
  '5m',
  '10m',
  '12m',
  '30m',
  '1h',
  '1h',
  '2h',
  '2h',
  '3h',
  '4h',
  '6h',
  '8h',
  '10h',
  '12h',
  '12h',
  '12h',
  '12h',
  '12h',
  '12h',
  '12h',
  '12h',
  '12h',
  '24h',
  '24h',
  '24h',
  '30h',
  '40h',
  '48h',
]

/**
 * The callback parameters of a transaction in its current status, in the order they are sent
 * (research §3, underscore names): `status, orderid, merchant_order, client_orderid, type, amount,
 * control, descriptor, error_message, error_code, processor-tx-id`, then `merchantdata` when the
 * payout carried `merchant_data`. `control = sha1(status + orderid + client_orderid + control key)`.
 *
 * @example
 * callbackFields(tx, merchant) // [['status','approved'], ['orderid','6982864'], …]
 */
function callbackFields(
  tx: ConnPayTransaction,
  merchant: ConnPayMerchant,
  controlKey = merchant.controlKey,
): Array<[string, string | undefined]> {
  const state = nativeState(tx)
  const data = dataOf(tx)
  const control = callbackControl({
    status: state.status,
    orderId: tx.providerRef,
    clientOrderId: tx.reference,
    controlKey,
  })
  return [
    ['status', state.status],
    ['orderid', tx.providerRef],
    ['merchant_order', tx.reference],
    ['client_orderid', tx.reference],
    ['type', 'payout'],
    ['amount', data.amount],
    ['control', control],
    ['descriptor', merchant.descriptor],
    ['error_message', state.errorMessage ?? ''],
    ['error_code', state.errorCode ?? ''],
    ['processor-tx-id', `PNTEST-${tx.providerRef}`],
    ['merchantdata', data.merchantData],
  ]
}

/**
 * ConnPay calls `server_callback_url` with HTTP GET when a payout reaches a final status
 * (approved, declined, filtered, error), the parameters appended to the URL's query; it resends
 * until the merchant answers HTTP 200.
 */
export const connpayCallbacks: ProviderCallbacks<ConnPayTxnData, ConnPaySettings> = {
  build(tx, merchant, { signature }): CallbackRequest | null {
    if (!tx.callbackUrl) return null
    const state = nativeState(tx)
    if (!CALLBACK_STATUSES.has(state.status)) return null
    const key = merchant.controlKey
    const fields = callbackFields(tx, merchant, signature === 'invalid' ? `${key}-WRONG` : key)
    return { url: appendQuery(tx.callbackUrl, fields), method: 'GET', headers: {}, body: '', event: state.status }
  },
  ackRule: 'HTTP 200 (any body; 2xx other than 200 and redirects are not acknowledged)',
  isAcknowledged: (response) => response.status === 200,
  retrySchedule: RETRY_SCHEDULE,
}
