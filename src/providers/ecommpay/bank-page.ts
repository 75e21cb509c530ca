import { clarificationOf } from './clarification.js'
import { Hono } from 'hono'
import { html } from 'hono/html'
import type { SandboxEnv } from '../../engine/env.js'
import { hostedPage, servePage } from '../kit/hosted-page.js'
import { FINAL_STATUSES } from '../../engine/types.js'
import { page } from '../../ui/page.js'
import { BANKS, bankName, dataOf, money, nativeState, type EcommpayPort, type EcommpayTransaction } from './wire.js'
import { type C, bankId, notABank } from './shared.js'

/** The bank page (`/payment/bank/{operationId}`) where the customer approves, declines or abandons a sale. */
export function bankPageRoutes(port: EcommpayPort): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()

  // --- Bank page (redirect target of Gate sales and Payment Page purchases) -----------------
  const findSale = (c: C): EcommpayTransaction | undefined => {
    const tx = port.transactions.byProviderRef(c.req.param('operationId') ?? '')
    if (!tx || tx.kind !== 'sale') return undefined
    if (c.get('journal')) {
      c.get('journal').transactionId = tx.id
      c.get('journal').reference = tx.reference
      c.get('journal').merchant = tx.merchant
      c.get('journal').operation = 'bank page'
    }
    return tx
  }

  const bankPage = (c: C, tx: EcommpayTransaction, notice?: string, status: 200 | 400 | 409 = 200) => {
    const d = dataOf(tx)
    const final = FINAL_STATUSES.has(tx.status)
    const state = nativeState(tx)
    const title = final
      ? 'Payment finished'
      : d.bankId === undefined
        ? 'Choose your bank'
        : `${bankName(d.bankId)}: confirm the payment`
    return c.html(
      hostedPage({
        brand: 'ECommPay · Banks of India',
        title,
        facts: [
          ['Project', tx.merchant],
          ['Payment ID', tx.reference],
          ['Amount', money(tx.amount, tx.currency)],
          ['Bank', d.bankId ? `${bankName(d.bankId)} (${d.bankId})` : undefined],
        ],
        status: `${state.paymentStatus}${final ? ` (code ${state.code}: ${state.message})` : ''}`,
        notice,
        choice:
          !final && d.bankId === undefined
            ? { field: 'bank_id', idPrefix: 'bank-', options: BANKS.map((b) => ({ value: b.id, label: b.name })) }
            : undefined,
        actions: !final && d.bankId !== undefined ? ['approve', 'decline', 'abandon'] : [],
      }),
      status,
    )
  }

  const notFoundPage = (c: C) =>
    c.html(
      page(
        'Payment not found',
        html`<p id="notice">No Banks of India purchase ${c.req.param('operationId')} is waiting here.</p>`,
        'ECommPay · Banks of India',
      ),
      404,
    )

  servePage(app, '/payment/bank/:operationId', {
    find: findSale,
    show: (c, tx) => bankPage(c, tx),
    notFound: notFoundPage,
    act: async (c, tx, form) => {
      const d = dataOf(tx)
      if (FINAL_STATUSES.has(tx.status))
        return bankPage(c, tx, `This payment is already ${nativeState(tx).paymentStatus}.`, 409)
      if (clarificationOf(tx)?.awaiting)
        return bankPage(c, tx, 'This payment is awaiting additional information from the merchant.', 409)
      if (form.bank_id !== undefined && d.bankId === undefined) {
        const notListed = notABank(form.bank_id, 'bank_id')
        if (notListed) return bankPage(c, tx, `Choose one of the listed banks (${notListed}).`, 400)
        d.bankId = bankId(form.bank_id, 'bank_id')
        port.transactions.save(tx)
        await port.commit()
        c.get('journal')?.notes.push(`the customer chose bank ${d.bankId} (${bankName(d.bankId)})`)
        return c.redirect(`/payment/bank/${d.operationId}`, 303)
      }
      const action = form.action
      if (d.bankId === undefined) return bankPage(c, tx, 'Choose your bank first.', 400)
      if (action !== 'approve' && action !== 'decline' && action !== 'abandon')
        return bankPage(c, tx, 'Choose Approve, Decline or Abandon.', 400)
      c.get('journal')?.notes.push(`the customer pressed ${action} on the bank page`)
      if (action === 'abandon') {
        c.get('journal')?.notes.push(
          'the payment stays "awaiting redirect result" and is declined at the 60-minute threshold unless the page or the admin API decides it first',
        )
        return d.returnUrls.return
          ? c.redirect(d.returnUrls.return, 303)
          : bankPage(
              c,
              tx,
              'You left the bank page. The payment is declined automatically when its 60-minute threshold passes.',
            )
      }
      await port.transactions.transition(tx, action === 'approve' ? 'approved' : 'declined', { source: 'page' })
      const target = action === 'approve' ? d.returnUrls.success : (d.returnUrls.decline ?? d.returnUrls.return)
      return target ? c.redirect(target, 303) : bankPage(c, tx)
    },
  })

  return app
}
