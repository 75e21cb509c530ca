import { Hono } from 'hono'
import { html, raw } from 'hono/html'
import type { SandboxEnv } from '../../engine/env.js'
import { FINAL_STATUSES } from '../../engine/types.js'
import { errorPage, hostedPage, servePage } from '../kit/hosted-page.js'
import { operationsRoutes } from './operations.js'
import { collectionUpi, dataOf, nativeStatus, type PayatomPort, type PayatomTransaction } from './wire.js'
import { type C, type Shared, upiString } from './shared.js'

/**
 * The hosted payment page behind `/pay/connect.php?code=`: the customer approves, declines or
 * lets it time out.
 */
export function connectPageRoutes(port: PayatomPort, shared: Shared): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()
  const { collectionOf } = shared

  // ---------------------------------------------------------------------------------------------
  // The hosted payment page behind connect.php?code=
  // ---------------------------------------------------------------------------------------------
  const connectPage = async (c: C, tx: PayatomTransaction, notice?: string, status: 200 | 409 = 200) => {
    const merchant = port.merchants.get(tx.merchant)!
    const d = dataOf(tx)
    const open = !FINAL_STATUSES.has(tx.status)
    const wallet = d.walletType
    const pay = d.operation === 'payin-wallet' || wallet
    const upi = upiString(tx, merchant)
    // The QR code library loads when a page first shows a QR code, not at start-up.
    const qr = pay ? '' : (await import('uqr')).renderSVG(upi)
    return c.html(
      hostedPage({
        brand: 'PayAtom',
        title: open ? 'Complete your payment' : 'Payment finished',
        facts: [
          ['Merchant', tx.merchant],
          ['Order', tx.reference],
          ['Amount', `${d.amountText} ${tx.currency}`],
          [
            pay ? 'Wallet' : 'Pay to UPI ID',
            pay ? `${wallet ?? ''} ${collectionOf(tx, merchant)}`.trim() : collectionUpi(merchant),
          ],
        ],
        extra: pay
          ? undefined
          : html`<p>Scan the QR code or open your UPI app:</p>
              <div id="qr" style="width:220px;max-width:100%">${raw(qr)}</div>
              <pre id="upi-string" class="status">${upi}</pre>
              <p><a href="${upi}">Open UPI app</a></p>`,
        status: nativeStatus(tx),
        notice,
        actions: open ? ['approve', 'decline', 'timeout'] : [],
      }),
      status,
    )
  }
  const notFoundPage = (c: C) =>
    c.html(
      errorPage({
        brand: 'PayAtom',
        title: 'Invalid payment link',
        message: "No payment is waiting for this code. Start again from the merchant's site.",
      }),
      404,
    )
  const byCode = (c: C) => {
    const code = c.req.query('code') ?? ''
    const tx = /^[0-9a-f]{64}$/.test(code) ? port.transactions.byProviderRef(code) : undefined
    if (!tx || tx.kind !== 'payin') {
      c.get('journal').notes.push(`connect.php: no pay-in has code "${code.slice(0, 80)}"`)
      return undefined
    }
    c.get('journal').transactionId = tx.id
    c.get('journal').reference = tx.reference
    return tx
  }
  servePage(app, '/pay/connect.php', {
    find: byCode,
    show: (c, tx) => connectPage(c, tx),
    notFound: notFoundPage,
    act: async (c, tx, form) => {
      const action = form.action
      const target =
        action === 'approve'
          ? 'Approved'
          : action === 'decline'
            ? 'Declined'
            : action === 'timeout'
              ? 'User Timed Out'
              : undefined
      if (!target) return connectPage(c, tx, 'Choose Approve, Decline or Timeout.')
      if (FINAL_STATUSES.has(tx.status)) return connectPage(c, tx, `This payment is already ${nativeStatus(tx)}.`, 409)
      await port.transactions.transition(tx, target, { source: 'page' })
      c.get('journal').notes.push(`the customer pressed ${action} on the hosted page: ${target}`)
      const redirect = dataOf(tx).redirectUrl
      return redirect ? c.redirect(redirect, 303) : connectPage(c, tx)
    },
  })

  app.route('/', operationsRoutes(port))
  return app

  return app
}
