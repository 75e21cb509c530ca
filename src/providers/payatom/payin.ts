import { Hono } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import { customerMode, enforced, refusedBySeedRule } from '../seed-rules.js'
import { SEED_RULES } from './seed-rules.js'
import {
  collectionUpi,
  dataOf,
  fail,
  isEmpty,
  nativeStatus,
  ok,
  plain,
  text,
  type Fields,
  type PayatomOperation,
  type PayatomTxData,
  type PayatomMerchant,
  type PayatomPort,
} from './wire.js'
import {
  type Shared,
  textField,
  canonicalWallet,
  hostedUrl,
  currencyOf,
  walletsOf,
  upiString,
  PROVIDER,
  PAK_WALLETS,
  type C,
  amountField,
} from './shared.js'

/**
 * Pay-ins: hosted (non-seamless) and seamless UPI / IMPS / wallet / Pakistan H2H, v1 and v2,
 * and the UTR a customer submits for a P2P pay-in.
 */
export function payinRoutes(port: PayatomPort, shared: Shared): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()
  const { intake, isDuplicate, open, findPayin } = shared

  // ---------------------------------------------------------------------------------------------
  // Pay-in: hosted (non-seamless) v1 and v2
  // ---------------------------------------------------------------------------------------------
  const hosted = (version: 1 | 2) => async (c: C) => {
    if (version === 2 && c.req.method !== 'POST')
      return fail('Only POST method is allowed', `${c.req.method} is not accepted here`)
    const required =
      version === 2
        ? ['pid', 'amount', 'order_id', 'name', 'email', 'phone', 'redirect_url']
        : ['pid', 'amount', 'order_id', 'name', 'email', 'phone']
    const got = await intake(c, version, { signed: version === 2, allowQuery: version === 1, required })
    const { merchant, fields } = got
    const checked = validatePayin(c, merchant, fields, 'payin-hosted')
    if (await isDuplicate(c, merchant, checked.orderId, 'payin'))
      return fail('Duplicate order_id Found', `order_id "${checked.orderId}" was already used by pid ${merchant.id}`)
    const decision = port.decide(c, {
      operation: 'payin-hosted',
      merchant: merchant.id,
      reference: checked.orderId,
      amount: checked.amount.amount,
      currency: 'INR',
      customer: customerMode(merchant),
      request: plain(fields),
    })
    const walletType = textField(fields, 'wallet_type')
    return open(
      c,
      merchant,
      decision,
      'payin',
      'payin-hosted',
      fields,
      checked.amount,
      { version, walletType: walletType ? canonicalWallet(walletType) : undefined },
      (tx) =>
        version === 1
          ? { hash_value: tx.providerRef, status: 'ok' }
          : { status: 'success', ref_code: tx.providerRef, redirect_url: hostedUrl(tx), amount: fields.amount },
    )
  }
  app.on(['GET', 'POST'], '/pay/request.php', hosted(1))
  app.all('/pay/v2/request.php', hosted(2))

  // ---------------------------------------------------------------------------------------------
  // Pay-in: seamless UPI / IMPS / Bangladesh wallet / Pakistan H2H, v1 and v2
  // ---------------------------------------------------------------------------------------------
  const seamless = (version: 1 | 2) => async (c: C) => {
    if (c.req.method !== 'POST') return fail('Only POST method is allowed', `${c.req.method} is not accepted here`)
    const got = await intake(c, version, { signed: version === 2, required: ['pid', 'amount', 'order_id'] })
    const { merchant, fields } = got
    const op: PayatomOperation = !isEmpty(fields.pak_wallet)
      ? 'payin-pakistan'
      : !isEmpty(fields.wallet_type)
        ? 'payin-wallet'
        : String(text(fields.payment_mode) ?? '').toLowerCase() === 'imps'
          ? 'payin-imps'
          : 'payin-upi'
    c.get('journal').notes.push(
      `read as ${op} (${op === 'payin-pakistan' ? 'pak_wallet' : op === 'payin-wallet' ? 'wallet_type' : op === 'payin-imps' ? 'payment_mode imps' : 'no pak_wallet, wallet_type or payment_mode imps'})`,
    )
    const checked = validatePayin(c, merchant, fields, op)
    if (await isDuplicate(c, merchant, checked.orderId, 'payin'))
      return fail('Duplicate order_id found', `order_id "${checked.orderId}" was already used by pid ${merchant.id}`)
    const decision = port.decide(c, {
      operation: op,
      merchant: merchant.id,
      reference: checked.orderId,
      amount: checked.amount.amount,
      currency: currencyOf(op),
      customer: customerMode(merchant),
      request: plain(fields),
    })
    const wallets = walletsOf(merchant)
    const extra: Partial<PayatomTxData> = { version, upiId: textField(fields, 'upi_id') }
    if (op === 'payin-wallet') extra.walletType = canonicalWallet(textField(fields, 'wallet_type')!)
    if (op === 'payin-pakistan') {
      extra.pakWallet = textField(fields, 'pak_wallet')!.toUpperCase()
      extra.accountNumber = textField(fields, 'account_number')
    }
    if (op === 'payin-imps') extra.paymentMode = 'imps'
    return open(c, merchant, decision, 'payin', op, fields, checked.amount, extra, (tx) => {
      switch (op) {
        case 'payin-pakistan':
          return { status: 'success', ref_code: tx.providerRef, amount: checked.amount.amount, wallet: extra.pakWallet }
        case 'payin-wallet': {
          const w =
            wallets.wallet.find(
              (x) => String(x.wallet_type).toLowerCase() === extra.walletType!.toLowerCase() && x.active !== false,
            ) ?? wallets.wallet[0]
          return {
            status: 'success',
            ref_code: tx.providerRef,
            wallet_id: w ? String(w.account_number) : '',
            wallet_type: extra.walletType,
            amount: fields.amount,
            redirect_url: hostedUrl(tx),
          }
        }
        case 'payin-imps': {
          const a = wallets.imps_upi[0] ?? {}
          return {
            status: 'success',
            ref_code: tx.providerRef,
            account_holder: a.account_holder,
            account_number: a.account_number,
            ifsc: a.ifsc,
            bank: a.bank,
            amount: fields.amount,
          }
        }
        default:
          return version === 1
            ? { ref_code: tx.providerRef, qr_code: upiString(tx, merchant), status: 'success' }
            : {
                status: 'success',
                ref_code: tx.providerRef,
                qr_code: upiString(tx, merchant),
                redirect_url: hostedUrl(tx),
                amount: fields.amount,
                receiverVPA: collectionUpi(merchant),
              }
      }
    })
  }
  app.all('/api/request.php', seamless(1))
  app.all('/api/v2/request.php', seamless(2))

  /** Field checks shared by every pay-in, in the order a merchant would fix them. */
  const validatePayin = (
    c: C,
    merchant: PayatomMerchant,
    fields: Fields,
    op: PayatomOperation,
  ): { orderId: string; amount: { amount: number; text: string } } => {
    const amount = amountField(fields)
    const orderId = textField(fields, 'order_id')!
    if (orderId.length < 10 && enforced(merchant, 'order_id-min-length')) {
      const why = `order_id "${orderId}" has ${orderId.length} characters; PayAtom asks for at least 10`
      refusedBySeedRule(c, PROVIDER, merchant, 'order_id-min-length', SEED_RULES['order_id-min-length'], why)
      return fail('order_id must be at least 10 characters long', why)
    }
    if (op === 'payin-pakistan') {
      const w = textField(fields, 'pak_wallet')!
      if (!PAK_WALLETS.includes(w.toUpperCase()))
        return fail("We support only 'JAZZCASH', 'EASYPAISA'", `pak_wallet "${w}"`)
      const account = textField(fields, 'account_number')
      if (!account) return fail('account_number is required when pak_wallet is provided')
      if (!/^03\d{9}$/.test(account))
        return fail(
          'invalid account_number',
          `account_number "${account}" must be a Pakistani mobile wallet number: 03 followed by 9 digits`,
        )
    }
    const walletType = textField(fields, 'wallet_type')
    if ((op === 'payin-wallet' || (op === 'payin-hosted' && walletType)) && !canonicalWallet(walletType ?? ''))
      return fail("We support only 'Nagad', 'Rocket', 'bKash', 'Upay'", `wallet_type "${walletType}"`)
    const upi = textField(fields, 'upi_id')
    if (upi && !/^[\w.-]+@[\w.-]+$/.test(upi))
      return fail('invalid upi_id', `upi_id "${upi}" is not a VPA like name@bank`)
    const redirect = textField(fields, 'redirect_url')
    if (redirect && !/^https?:\/\/\S+$/i.test(redirect))
      return fail('invalid redirect_url', `redirect_url "${redirect}" is not an absolute http(s) URL`)
    const email = textField(fields, 'email')
    if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) return fail('invalid email', `email "${email}"`)
    return { orderId, amount }
  }

  // ---------------------------------------------------------------------------------------------
  // UTR submission (P2P): the customer's bank reference for a pay-in
  // ---------------------------------------------------------------------------------------------
  const collectionUtr = (version: 1 | 2) => async (c: C) => {
    if (c.req.method !== 'POST') return fail('Only POST method is allowed', `${c.req.method} is not accepted here`)
    const got = await intake(c, version, { signed: version === 2, required: ['pid', 'utr'] })
    const { merchant, fields } = got
    const utr = textField(fields, 'utr')!
    if (!/^\d{12}$/.test(utr)) return fail('invalid utr', `utr "${utr}" is not the 12-digit UPI/IMPS reference number`)
    const tx = findPayin(merchant, fields)
    if (!tx)
      return fail(
        isEmpty(fields.ref_code) && isEmpty(fields.order_id)
          ? 'ref_code is required field'
          : 'Reference code not found.',
      )
    c.get('journal').transactionId = tx.id
    if (dataOf(tx).utr) return fail('UTR already submitted', `${tx.reference} already has UTR ${dataOf(tx).utr}`)
    const taken = port.transactions.list({ merchant: merchant.id, kind: 'payin', data: { utr } })[0]
    if (taken) return fail('Duplicate UTR', `UTR ${utr} was already submitted for ${taken.reference}`)
    dataOf(tx).utr = utr
    port.transactions.save(tx)
    await port.commit()
    c.get('journal').notes.push(
      `UTR ${utr} recorded for ${tx.reference} (status ${nativeStatus(tx)}); it is its bank_ref from now on`,
    )
    return ok(c, {
      status: 'success',
      message: 'UTR submitted successfully',
      order_id: tx.reference,
      ref_code: tx.providerRef,
      utr,
    })
  }
  app.all('/api/collection_utr.php', collectionUtr(1))
  app.all('/api/v2/collection_utr.php', collectionUtr(2))

  return app
}
