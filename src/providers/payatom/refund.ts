import { Hono } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import {
  dataOf,
  fail,
  isEmpty,
  nativeStatus,
  ok,
  payinView,
  plain,
  refCode,
  type ParentSnapshot,
  type PayatomPort,
} from './wire.js'
import { amountField, type C, type Shared, textField } from './shared.js'

/**
 * Refunds of pay-ins: Refund Initiated, then Refund Completed, shown in polling and webhooks
 * with `refund_info`.
 */
export function refundRoutes(port: PayatomPort, shared: Shared): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()
  const { postHashRequest, findPayin } = shared

  // ---------------------------------------------------------------------------------------------
  // Refunds: Refund Initiated → Refund Completed, shown in polling and webhooks with refund_info
  // ---------------------------------------------------------------------------------------------
  const refund = (version: 1 | 2) => async (c: C) => {
    const got = await postHashRequest(c, version, false)
    const { merchant, fields } = got
    const parent = findPayin(merchant, fields)
    if (!parent) return fail('Reference code not found.')
    c.get('journal').transactionId = parent.id
    c.get('journal').reference = parent.reference
    const view = payinView(parent)
    const existing = dataOf(parent).refund
    if (existing && existing.status !== 'Refund Failed')
      return fail('Refund already requested for this order_id', `${parent.reference} is ${existing.status}`)
    if (!(await port.reserve(c, { merchant: merchant.id, reference: parent.reference, scope: 'refund' }, () => false)))
      return fail('Refund already requested for this order_id', `another refund of ${parent.reference} is in flight`)
    const status = nativeStatus(parent)
    if (!['Approved', 'Late Approved', 'Amount Mismatch', 'Declined'].includes(status))
      return fail(
        'Refund not allowed for this transaction',
        `${parent.reference} is ${status}; refunds are accepted for Approved, Late Approved, Amount Mismatch and Declined pay-ins`,
      )
    const refundable = status === 'Declined' ? dataOf(parent).amountText : view.receivedAmount
    let amount = { amount: Number(refundable), text: refundable }
    if (!isEmpty(fields.amount)) {
      const asked = amountField(fields)
      if (asked.amount > Number(refundable))
        return fail('Refund amount exceeds the transaction amount', `asked ${asked.text}, refundable ${refundable}`)
      amount = asked
    }
    const decision = port.decide(c, {
      operation: 'refund',
      merchant: merchant.id,
      reference: parent.reference,
      amount: amount.amount,
      currency: parent.currency,
      request: plain(fields),
    })
    return port.respond(c, decision, async () => {
      const parentSnapshot: ParentSnapshot = { ...view, status: nativeStatus(parent) }
      const tx = await port.transactions.open(
        {
          merchant: merchant.id,
          kind: 'refund',
          reference: parent.reference,
          providerRef: refCode(`refund:${parent.providerRef}:${port.counters.next('payatom.ref')}`),
          amount: amount.amount,
          currency: parent.currency,
          initial: 'processing',
          data: {
            operation: 'refund',
            version,
            amountText: amount.text,
            origin: new URL(c.req.url).origin,
            parentId: parent.id,
            parent: parentSnapshot,
            refundNotes: textField(fields, 'refund_notes') ?? '',
          },
        },
        decision,
      )
      // Refund Initiated is a status change of the order: its webhook goes out now.
      port.callbacks.send(tx)
      await port.commit()
      c.get('journal').notes.push(`refund ${tx.id} of ${amount.text} opened for ${parent.reference}`)
      return ok(c, {
        status: 'success',
        message: 'Refund Initiated',
        order_id: parent.reference,
        ref_code: parent.providerRef,
        refund_amount: amount.text,
      })
    })
  }
  app.all('/api/refund_request.php', refund(1))
  app.all('/api/v2/refund_request.php', refund(2))

  return app
}
