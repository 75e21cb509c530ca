import type { CallbackRequest, CallbackResponse, ProviderCallbacks } from '../../engine/provider.js'
import { phpJsonEncode } from '../../wire/php.js'
import { payatomPostHash, payatomWebhookHash } from './crypto.js'
import {
  bankRef,
  dataOf,
  nativeStatus,
  payinView,
  refundInfo,
  secretOf,
  type ParentSnapshot,
  type RefundSnapshot,
  type PayatomMerchant,
  type PayatomSettings,
  type PayatomTxData,
  type PayatomTransaction,
} from './wire.js'

/** Resent every 60 s, 10 times, until acknowledged (CONTRACT). */
export const RETRY_SCHEDULE = Array.from({ length: 10 }, () => '60s')

/**
 * `base64_encode(encrypt(md5(order_id . amount . status . secret_key), secret_key))` with a fresh
 * random IV; a deliberately bad one is encrypted with the wrong key.
 */
function postHashFor(
  orderId: string,
  amount: string,
  status: string,
  secret: string,
  signature: 'valid' | 'invalid',
): string {
  const key = signature === 'invalid' ? `${secret}-not-the-secret` : secret
  return payatomPostHash(payatomWebhookHash({ orderId, amount, status, secretKey: secret }), key)
}

/** The refund as a pay-in shows it, from the refund transaction itself. */
export function refundSnapshotOf(refund: PayatomTransaction): RefundSnapshot {
  const d = dataOf(refund) as ReturnType<typeof dataOf> & { parent: ParentSnapshot }
  const status = nativeStatus(refund)
  const completed =
    status === 'Refund Completed'
      ? [...refund.history].reverse().find((h) => h.status === 'refunded' || h.status === 'approved')?.at
      : undefined
  return {
    refundId: refund.id,
    refCode: refund.providerRef,
    amountText: d.amountText,
    status,
    initiatedAt: refund.createdAt,
    completedAt: completed,
    // Stryker disable next-line StringLiteral: refund.ts always stores refundNotes ('' when the request has none)
    notes: d.refundNotes ?? '',
    upi: d.parent.senderUpi || d.parent.upiId,
  }
}

/** The pay-in webhook body, keys in the seed's order. */
export function payinWebhookBody(
  view: ParentSnapshot & { refundInfo: Record<string, string> | [] },
  merchant: PayatomMerchant,
  // Stryker disable next-line StringLiteral: any default but 'invalid' signs with the right key, as 'valid' does
  signature: 'valid' | 'invalid' = 'valid',
): Record<string, unknown> {
  return {
    order_id: view.orderId,
    requested_amount: view.amountText,
    status: view.status,
    post_hash: postHashFor(view.orderId, view.receivedAmount, view.status, secretOf(merchant), signature),
    received_amount: view.receivedAmount,
    bank_ref: view.bankRef,
    sender_upi: view.senderUpi,
    ref_code: view.refCode,
    refund_info: view.refundInfo,
  }
}

/** The payout webhook body (sandbox contract: the documents do not show it). */
export function payoutBody(
  tx: PayatomTransaction,
  merchant: PayatomMerchant,
  // Stryker disable next-line StringLiteral: any default but 'invalid' signs with the right key, as 'valid' does
  signature: 'valid' | 'invalid' = 'valid',
): Record<string, unknown> {
  const d = dataOf(tx)
  const status = nativeStatus(tx)
  return {
    order_id: tx.reference,
    amount: d.amountText,
    status,
    post_hash: postHashFor(tx.reference, d.amountText, status, secretOf(merchant), signature),
    utr: bankRef(tx),
    ref_code: tx.providerRef,
  }
}

const urlSetting = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined)

/**
 * PayAtom POSTs JSON to the merchant's webhook URL (a merchant setting: `webhookUrl` for pay-ins
 * and refunds, `payoutWebhookUrl` for payouts; none by default) on every status change. It is
 * acknowledged only by HTTP 200 with `{"acknowledge":"yes"}`, otherwise resent every 60 s, 10 times.
 */
export const payatomCallbacks: ProviderCallbacks<PayatomTxData, PayatomSettings> = {
  /** Every resend carries a `post_hash` with a fresh IV, as the seed's PHP `encrypt()` makes it; nothing else changes. */
  resign(request: CallbackRequest, merchant: PayatomMerchant, { signature }): CallbackRequest {
    const sent = JSON.parse(request.body) as Record<string, unknown>
    if (typeof sent.post_hash !== 'string') return request
    const amount = String(sent.received_amount ?? sent.amount)
    const fresh = postHashFor(String(sent.order_id), amount, String(sent.status), secretOf(merchant), signature)
    return { ...request, body: request.body.replace(phpJsonEncode(sent.post_hash), phpJsonEncode(fresh)) }
  },
  build(tx: PayatomTransaction, merchant: PayatomMerchant, { signature }): CallbackRequest | null {
    let body: Record<string, unknown>
    let url: string | undefined
    if (tx.kind === 'payout') {
      url = urlSetting(merchant.payoutWebhookUrl)
      body = payoutBody(tx, merchant, signature)
    } else if (tx.kind === 'refund') {
      url = urlSetting(merchant.webhookUrl)
      const d = dataOf(tx) as ReturnType<typeof dataOf> & { parent: ParentSnapshot }
      const refund = refundSnapshotOf(tx)
      const status = refund.status === 'Refund Failed' ? d.parent.status : refund.status
      body = payinWebhookBody({ ...d.parent, status, refundInfo: refundInfo(refund) }, merchant, signature)
    } else {
      url = urlSetting(merchant.webhookUrl)
      body = payinWebhookBody(payinView(tx), merchant, signature)
    }
    if (!url) return null
    return {
      url,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: phpJsonEncode(body),
      event: String(body.status),
    }
  },
  ackRule: 'HTTP 200 with the JSON body {"acknowledge":"yes"}',
  isAcknowledged: (response: CallbackResponse) => response.status === 200 && acknowledges(response.body),
  retrySchedule: RETRY_SCHEDULE,
}

/** Whether a merchant's answer body is a JSON object with `"acknowledge":"yes"`. */
function acknowledges(body: string): boolean {
  try {
    const parsed = JSON.parse(body.replace(/^\uFEFF/, '').trim()) as unknown
    return typeof parsed === 'object' && parsed !== null && (parsed as Record<string, unknown>).acknowledge === 'yes'
  } catch {
    return false
  }
}
