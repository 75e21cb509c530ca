import { Hono } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import { payoutBody, payinWebhookBody } from './callbacks.js'
import { fail, ok, payinView, type PayatomPort, type PayatomTransaction } from './wire.js'
import { type C, type Shared, textField } from './shared.js'

/**
 * Status polling of pay-ins (v1 JSON or form, v2) and payouts, authenticated by `post_hash`.
 */
export function statusRoutes(port: PayatomPort, shared: Shared): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()
  const { postHashRequest, findPayin, findPayout, collectionOf } = shared

  // ---------------------------------------------------------------------------------------------
  // Status polling: pay-in (v1 JSON or form, v2) and payout
  // ---------------------------------------------------------------------------------------------
  const polling = (version: 1 | 2, kind: 'payin' | 'payout') => async (c: C) => {
    const got = await postHashRequest(c, version, version === 1)
    const { merchant, fields } = got
    const tx = kind === 'payin' ? findPayin(merchant, fields) : findPayout(merchant, fields)
    if (!tx)
      return fail(
        'Reference code not found.',
        `no ${kind} of pid ${merchant.id} with ${textField(fields, 'ref_code') ? `ref_code ${textField(fields, 'ref_code')}` : `order_id ${textField(fields, 'order_id')}`}`,
      )
    c.get('journal').transactionId = tx.id
    c.get('journal').reference = tx.reference
    if (kind === 'payout') {
      const body = payoutBody(tx, merchant)
      return ok(c, {
        order_id: body.order_id,
        ref_code: body.ref_code,
        amount: body.amount,
        status: body.status,
        utr: body.utr,
        webhook_acknowledged: webhookAcknowledged(tx),
        post_hash: body.post_hash,
      })
    }
    const view = payinView(tx)
    const hook = payinWebhookBody(view, merchant)
    return ok(c, {
      order_id: view.orderId,
      upi_id: collectionOf(tx, merchant),
      amount: view.amountText,
      requested_amount: view.amountText,
      received_amount: view.receivedAmount,
      bank_ref: view.bankRef,
      webhook_acknowledged: webhookAcknowledged(tx),
      sender_upi: view.senderUpi,
      status: view.status,
      post_hash: hook.post_hash,
      refund_info: view.refundInfo,
    })
  }
  app.all('/api/status_polling.php', polling(1, 'payin'))
  app.all('/api/v2/status_polling.php', polling(2, 'payin'))
  app.all('/payout/api/status_polling.php', polling(1, 'payout'))
  app.all('/payout/api/v2/status_polling.php', polling(2, 'payout'))

  /** `upi_id` in polling: the collection account the customer paid to. */
  const webhookAcknowledged = (tx: PayatomTransaction): string => {
    const ids = [tx.id]
    const refund = tx.data.refund
    if (refund) ids.push(refund.refundId)
    return ids.some((id) => port.callbacks.acknowledged(id)) ? '1' : '0'
  }

  return app
}
