import { Hono } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import { enforced, refusedBySeedRule } from '../seed-rules.js'
import { SEED_RULES } from './seed-rules.js'
import { fail, plain, type PayatomTxData, type PayatomPort } from './wire.js'
import {
  type Shared,
  textField,
  PAYMENT_MODES,
  missing,
  PROVIDER,
  canonicalWallet,
  type C,
  amountField,
} from './shared.js'

/**
 * Payouts: IMPS, UPI and Bangladesh wallet, v1 and v2.
 */
export function payoutRoutes(port: PayatomPort, shared: Shared): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()
  const { intake, isDuplicate, open } = shared

  // ---------------------------------------------------------------------------------------------
  // Payouts: IMPS, UPI, wallet (v1 and v2)
  // ---------------------------------------------------------------------------------------------
  const payout = (version: 1 | 2) => async (c: C) => {
    if (c.req.method !== 'POST') return fail('Only POST method is allowed', `${c.req.method} is not accepted here`)
    const got = await intake(c, version, {
      signed: version === 2,
      required: ['payment_mode', 'pid', 'amount', 'order_id'],
    })
    const { merchant, fields } = got
    const mode = textField(fields, 'payment_mode')!.toLowerCase()
    if (!PAYMENT_MODES.includes(mode))
      return fail("We support only 'imps', 'upi', 'wallet'", `payment_mode "${textField(fields, 'payment_mode')}"`)
    const required =
      mode === 'imps'
        ? ['account_holder', 'account_no', 'bank', 'ifsc']
        : mode === 'upi'
          ? ['upi_id', 'account_holder']
          : ['account_no', 'wallet_type']
    const gap = missing(fields, required)
    if (gap) return fail(`${gap} is required field`)
    const amount = amountField(fields)
    const orderId = textField(fields, 'order_id')!
    if (!/^[A-Za-z0-9]{10,}$/.test(orderId) && enforced(merchant, 'payout-order_id-format')) {
      const why = `order_id "${orderId}" is not 10 or more letters and digits`
      refusedBySeedRule(c, PROVIDER, merchant, 'payout-order_id-format', SEED_RULES['payout-order_id-format'], why)
      fail('order_id must be 10 or more alphanumeric characters', why)
    }
    if (mode === 'imps') {
      const ifsc = textField(fields, 'ifsc')!
      if (!/^[A-Z]{4}0[A-Z0-9]{6}$/.test(ifsc))
        return fail('invalid ifsc', `ifsc "${ifsc}" is not an 11-character IFSC (4 letters, 0, 6 letters or digits)`)
      const account = textField(fields, 'account_no')!
      if (!/^\d{6,18}$/.test(account))
        return fail('invalid account_no', `account_no "${account}" must be 6 to 18 digits`)
    }
    if (mode === 'upi' && !/^[\w.-]+@[\w.-]+$/.test(textField(fields, 'upi_id')!))
      return fail('invalid upi_id', `upi_id "${textField(fields, 'upi_id')}" is not a VPA like name@bank`)
    if (mode === 'wallet' && !canonicalWallet(textField(fields, 'wallet_type')!))
      return fail(
        "We support only 'Nagad', 'Rocket', 'bKash', 'Upay'",
        `wallet_type "${textField(fields, 'wallet_type')}"`,
      )
    if (await isDuplicate(c, merchant, orderId, 'payout'))
      return fail(
        'Duplicate order_id found',
        `order_id "${orderId}" was already used for a payout by pid ${merchant.id}`,
      )
    const decision = port.decide(c, {
      operation: 'payout',
      merchant: merchant.id,
      reference: orderId,
      amount: amount.amount,
      currency: mode === 'wallet' ? 'BDT' : 'INR',
      request: plain(fields),
    })
    const extra: Partial<PayatomTxData> = {
      version,
      paymentMode: mode,
      accountHolder: textField(fields, 'account_holder'),
      accountNumber: textField(fields, 'account_no'),
      bank: textField(fields, 'bank'),
      ifsc: textField(fields, 'ifsc'),
      upiId: textField(fields, 'upi_id'),
      walletType: mode === 'wallet' ? canonicalWallet(textField(fields, 'wallet_type')!) : undefined,
    }
    return open(c, merchant, decision, 'payout', 'payout', fields, amount, extra, (tx) => ({
      status: 'success',
      message: 'Payout request accepted',
      order_id: tx.reference,
      ref_code: tx.providerRef,
    }))
  }
  app.all('/payout/api/request.php', payout(1))
  app.all('/payout/api/v2/request.php', payout(2))

  return app
}
