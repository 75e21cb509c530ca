import type { CallbackRequest, ProviderCallbacks } from '../../engine/provider.js'
import { FINAL_STATUSES } from '../../engine/types.js'
import { signCallback } from './crypto.js'
import {
  nativeState,
  renderCallbackBody,
  type EcommpayMerchant,
  type EcommpaySettings,
  type EcommpayTxData,
} from './wire.js'

/**
 * ECommPay's retry schedule (research §5.1, docs "Callbacks"): 6 tries at 10 s intervals, then the
 * interval before attempt n grows as 70 + 10·1.12^(n−4) s until it reaches 4 h, then every 4 h;
 * at most 120 attempts (about 11 days). Entry i is the wait before attempt i + 2.
 */
export function retrySchedule(): string[] {
  const out: string[] = []
  for (let attempt = 2; attempt <= 120; attempt++) {
    if (attempt <= 6) out.push('10s')
    else {
      const seconds = 70 + 10 * 1.12 ** (attempt - 4)
      out.push(seconds >= 14_400 ? '4h' : `${Math.round(seconds * 1000)}ms`)
    }
  }
  return out
}

/** Where a transaction's callbacks go: the request's callback URL, else the project's setting. */
export function callbackUrlOf(
  data: Pick<EcommpayTxData, 'callbackUrl'>,
  merchant: EcommpayMerchant,
): string | undefined {
  return data.callbackUrl || merchant.callbackUrl || undefined
}

/**
 * Callbacks in the standard layout (seed examples), signed with the project's secret key in
 * top-level `signature` (last member). Sent for a Gate sale's redirect (`awaiting redirect
 * result`, with `redirect_data`) and for every final status of a sale, payout or refund.
 * Acknowledged by HTTP 200 only.
 */
export const ecommpayCallbacks: ProviderCallbacks<EcommpayTxData, EcommpaySettings> = {
  build(tx, merchant, { signature }): CallbackRequest | null {
    const d = tx.data
    if (d.callbackDisabled) return null
    const redirect = tx.kind === 'sale' && tx.status === 'pending' && d.channel === 'gate'
    if (!redirect && !FINAL_STATUSES.has(tx.status)) return null
    const url = callbackUrlOf(tx.data, merchant)
    if (!url) return null
    const secret = String(merchant.secretKey)
    const body = signCallback(
      renderCallbackBody(tx, merchant),
      signature === 'invalid' ? `${secret}-not-the-project-key` : secret,
    )
    const state = nativeState(tx)
    return {
      url,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      event: `${tx.kind} ${state.operationStatus}${redirect ? (d.clarification?.awaiting ? ' (clarification_fields)' : ' (redirect_data)') : ''}, payment ${state.paymentStatus}`,
    }
  },
  ackRule: 'HTTP 200',
  isAcknowledged: (response) => response.status === 200,
  retrySchedule: retrySchedule(),
}
