import type { Context } from 'hono'
import { html, raw } from 'hono/html'
import type { SandboxEnv } from '../../engine/env.js'
import type { Decision } from '../../engine/scenarios.js'
import { FINAL_STATUSES } from '../../engine/types.js'
import { admit } from '../kit/guard.js'
import { customerMode, enforced, refusedBySeedRule } from '../seed-rules.js'
import { SEED_RULES } from './seed-rules.js'
import { sameBytes } from '../../wire/compare.js'
import { errorPage, hostedPage } from '../kit/hosted-page.js'
import { providerApp } from '../kit/refusal.js'
import type { PhpValue } from '../../wire/php.js'
import { payoutBody, payinWebhookBody } from './callbacks.js'
import { verifyPayatomPostHash, verifyPayatomV2Signature } from './crypto.js'
import { operationsRoutes } from './operations.js'
import {
  collectionUpi,
  dataOf,
  fail,
  isEmpty,
  nativeStatus,
  ok,
  parseAmount,
  payinView,
  plain,
  readFields,
  refCode,
  secretOf,
  text,
  type Fields,
  type ParentSnapshot,
  type PayatomOperation,
  type PayatomTxData,
  type PayatomMerchant,
  type PayatomPort,
  type PayatomTransaction,
  payatomErrors,
  refusal,
} from './wire.js'

export const PROVIDER = 'payatom'
type C = Context<SandboxEnv>

/** Bangladesh wallets (research §A.10; the non-seamless and v2 pages add Upay). */
export const WALLET_TYPES = ['Nagad', 'Rocket', 'bKash', 'Upay']
export const PAK_WALLETS = ['JAZZCASH', 'EASYPAISA']
export const PAYMENT_MODES = ['imps', 'upi', 'wallet']
/** Longest text field the sandbox accepts (sandbox contract: PayAtom's limits are not published). */
export const MAX_FIELD_LENGTH = 255

/** The merchant a `pid` names. */
export function merchantByPid(port: PayatomPort, pid: string | undefined): PayatomMerchant | undefined {
  return pid ? port.merchants.get(pid) : undefined
}

/** v2 `X-Api-Key` presence (before the body is read). */
function apiKeyHeader(c: C): string {
  const key = c.req.header('X-Api-Key')
  if (!key)
    admit(c, {
      ok: false,
      explanation:
        'no X-Api-Key header: the v2 API needs the API key issued at onboarding (default payatom-sandbox-api-key)',
      refusal: refusal('X-Api-Key header is required'),
    })
  return key!
}

/** v2: the key must be the merchant's, and (unless `postHashOnly`) the body signature must match. */
function v2Auth(c: C, merchant: PayatomMerchant, key: string, raw: string, signed: boolean): void {
  if (!sameBytes(key, String(merchant.apiKey)))
    admit(c, {
      ok: false,
      explanation: `X-Api-Key "${key}" is not the API key of pid ${merchant.id}`,
      refusal: refusal('Invalid API key'),
    })
  if (!signed) return
  const verdict = verifyPayatomV2Signature(raw, secretOf(merchant))
  admit(
    c,
    verdict.ok
      ? { explanation: verdict.explanation, ok: true, merchant }
      : {
          explanation: verdict.explanation,
          ok: false,
          refusal: refusal(
            verdict.explanation.startsWith('signature not provided') ? 'signature not provided' : 'Invalid signature',
          ),
        },
  )
}

/** The first field PHP's `empty()` calls empty, as `<field> is required field`. */
function missing(fields: Fields, names: string[]): string | undefined {
  return names.find((n) => isEmpty(fields[n]))
}

/** A text field (scalar, at most 255 characters), or undefined when it is not one. */
function textField(fields: Fields, name: string): string | undefined {
  const t = text(fields[name])
  return t !== undefined && t.length <= MAX_FIELD_LENGTH ? t : undefined
}

/** Fields that must be text when present: the first one that is not, with why. */
function badText(fields: Fields, names: string[]): [string, string] | undefined {
  for (const n of names) {
    const v = fields[n]
    if (v === undefined || v === null) continue
    const t = text(v)
    if (t === undefined)
      return [n, `${n} must be text, got ${Array.isArray(v) || v instanceof Map ? 'an array/object' : typeof v}`]
    if (t.length > MAX_FIELD_LENGTH)
      return [n, `${n} is ${t.length} characters; the sandbox accepts at most ${MAX_FIELD_LENGTH}`]
  }
  return undefined
}

const TEXT_FIELDS = [
  'pid',
  'order_id',
  'name',
  'email',
  'phone',
  'upi_id',
  'redirect_url',
  'wallet_type',
  'pak_wallet',
  'account_number',
  'account_no',
  'account_holder',
  'bank',
  'ifsc',
  'payment_mode',
  'ip',
  'latitude',
  'longitude',
  'customer_id',
  'ref_code',
  'utr',
  'post_hash',
  'signature',
  'refund_notes',
]

function currencyOf(op: PayatomOperation): string {
  return op === 'payin-wallet' ? 'BDT' : op === 'payin-pakistan' ? 'PKR' : 'INR'
}

export function hostedUrl(tx: PayatomTransaction): string {
  return `${dataOf(tx).origin}/pay/connect.php?code=${tx.providerRef}`
}

/** The UPI payment string for QR codes and intents (2023 example: `upi://pay?pa=…&pn=…&am=…&tn=<order_id>&cu=INR&mc=5411`). */
export function upiString(tx: PayatomTransaction, merchant: PayatomMerchant): string {
  return `upi://pay?pa=${collectionUpi(merchant)}&pn=${encodeURIComponent(String(merchant.displayName ?? 'PayAtom'))}&am=${dataOf(tx).amountText}&tn=${encodeURIComponent(tx.reference)}&cu=INR&mc=5411`
}

interface Wallets {
  upi: Array<Record<string, string | boolean>>
  imps_upi: Array<Record<string, string | boolean>>
  wallet: Array<Record<string, string | boolean>>
}
export const walletsOf = (m: PayatomMerchant): Wallets => m.wallets

/**
 * PayAtom routes at their documented paths under `/pay`, `/api`, `/payout`, `/bot`: hosted and
 * seamless pay-ins (v1 and v2), UTR submission, payouts, status polling, refunds, the hosted
 * `connect.php` page, and the operations APIs.
 */
export function payatomRoutes(port: PayatomPort) {
  const app = providerApp(payatomErrors)

  /** Reads the body and the `pid`, checks v2 auth: the merchant, the fields, the raw body, or the refusal. */
  const intake = async (
    c: C,
    version: 1 | 2,
    options: { signed: boolean; allowForm?: boolean; allowQuery?: boolean; required?: string[] },
  ) => {
    const key = version === 2 ? apiKeyHeader(c) : undefined
    const read = await readFields(c, options.allowForm)
    let fields: Fields
    let raw = ''
    if ('error' in read) {
      const query = c.req.query()
      if (options.allowQuery && Object.keys(query).length > 0) {
        fields = query
        c.var.journal.notes.push('no JSON body: the fields were read from the query string')
      } else fail('Invalid JSON', read.error)
    } else {
      fields = read.fields
      raw = read.raw
    }
    const reference = text(fields.order_id) ?? text(fields.ref_code)
    if (reference && reference.length <= MAX_FIELD_LENGTH) c.var.journal.reference = reference
    const required = options.required ?? ['pid']
    const gap = missing(fields, required)
    if (gap) return fail(`${gap} is required field`)
    const bad = badText(fields, TEXT_FIELDS)
    if (bad) return fail(`invalid ${bad[0]}`, bad[1])
    const pid = textField(fields, 'pid')!
    c.var.journal.merchant = pid
    const merchant = merchantByPid(port, pid)
    if (!merchant)
      admit(c, {
        ok: false,
        explanation: `no PayAtom merchant with pid "${pid}"; the default test merchant is 000000000000 (GET /_sandbox/merchants)`,
        refusal: refusal('invalid pid'),
      })
    if (version === 2) v2Auth(c, merchant!, key!, raw, options.signed)
    else
      c.var.journal.auth = {
        ok: true,
        explanation: 'v1: PayAtom authenticates by IP whitelist only; the sandbox accepts every IP',
      }
    return { merchant: merchant!, fields, raw }
  }

  /** Claims the order_id for this request; true when another pay-in (or payout) holds it already. */
  const isDuplicate = async (c: C, merchant: PayatomMerchant, orderId: string, kind: 'payin' | 'payout') =>
    !(await port.reserve(c, { merchant: merchant.id, reference: orderId, scope: kind }, (t) => t.kind === kind))

  /** Opens a transaction as the scenario decided and renders the answer. */
  const open = (
    c: C,
    merchant: PayatomMerchant,
    decision: Decision,
    kind: 'payin' | 'payout',
    op: PayatomOperation,
    fields: Fields,
    amount: { amount: number; text: string },
    extra: Partial<PayatomTxData>,
    render: (tx: PayatomTransaction) => unknown,
  ) =>
    port.respond(c, decision, async () => {
      const orderId = textField(fields, 'order_id')!
      const data: PayatomTxData = {
        operation: op,
        version: (extra.version ?? 1) as 1 | 2,
        amountText: amount.text,
        name: textField(fields, 'name'),
        email: textField(fields, 'email'),
        phone: textField(fields, 'phone'),
        redirectUrl: textField(fields, 'redirect_url'),
        origin: new URL(c.req.url).origin,
        ...extra,
      }
      const tx = await port.transactions.open(
        {
          merchant: merchant.id,
          kind,
          reference: orderId,
          providerRef: refCode(`${merchant.id}:${orderId}:${port.counters.next('payatom.ref')}`),
          amount: amount.amount,
          currency: currencyOf(op),
          initial: 'pending',
          data: data,
        },
        decision,
      )
      c.var.journal.transactionId = tx.id
      return ok(c, render(tx))
    })

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
    c.var.journal.notes.push(
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
    const amount = parseAmount(fields.amount)
    if (!amount)
      return fail(
        'invalid amount',
        `amount ${JSON.stringify(plain({ a: fields.amount }).a)} is not a positive number (at most 2 decimals)`,
      )
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
    c.var.journal.transactionId = tx.id
    if (dataOf(tx).utr) return fail('UTR already submitted', `${tx.reference} already has UTR ${dataOf(tx).utr}`)
    const taken = port.transactions.list({ merchant: merchant.id, kind: 'payin' }).find((t) => dataOf(t).utr === utr)
    if (taken) return fail('Duplicate UTR', `UTR ${utr} was already submitted for ${taken.reference}`)
    dataOf(tx).utr = utr
    port.transactions.save(tx)
    await port.commit()
    c.var.journal.notes.push(
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

  /** The merchant's transaction of a kind by `ref_code`, else by `order_id` (newest). */
  const findOf =
    (kind: 'payin' | 'payout') =>
    (merchant: PayatomMerchant, fields: Fields): PayatomTransaction | undefined => {
      const ref = textField(fields, 'ref_code')
      if (ref) {
        const tx = port.transactions.byProviderRef(ref)
        return tx && tx.merchant === merchant.id && tx.kind === kind ? tx : undefined
      }
      const orderId = textField(fields, 'order_id')
      return orderId ? port.transactions.byReference(merchant.id, orderId).find((t) => t.kind === kind) : undefined
    }
  const findPayin = findOf('payin')
  const findPayout = findOf('payout')

  /**
   * Checks a request `post_hash`: md5(ref_code . pid . secret) (current docs), or md5(order_id .
   * pid . secret) (2023 form-encoded polling, when only order_id is sent).
   */
  const checkPostHash = (c: C, merchant: PayatomMerchant, fields: Fields): void => {
    const pid = merchant.id
    const postHash = textField(fields, 'post_hash')
    const ref = textField(fields, 'ref_code')
    const orderId = textField(fields, 'order_id')
    const candidates: Array<[string, string]> = []
    if (ref) candidates.push(['ref_code', ref])
    if (orderId) candidates.push(['order_id', orderId])
    let first: ReturnType<typeof verifyPayatomPostHash> | undefined
    for (const [name, value] of candidates) {
      const verdict = verifyPayatomPostHash(postHash, secretOf(merchant), [
        [name, value],
        ['pid', pid],
      ])
      first ??= verdict
      if (verdict.ok) return void admit(c, { ok: true, merchant, explanation: verdict.explanation })
    }
    admit(c, {
      ok: false,
      explanation: first?.explanation ?? 'no ref_code or order_id to check post_hash against',
      refusal: refusal('Invalid post_hash'),
    })
  }

  const webhookAcknowledged = (tx: PayatomTransaction): string => {
    const ids = [tx.id]
    const refund = tx.data.refund
    if (refund) ids.push(refund.refundId)
    return ids.some((id) => port.callbacks.acknowledged(id)) ? '1' : '0'
  }

  // ---------------------------------------------------------------------------------------------
  // Status polling: pay-in (v1 JSON or form, v2) and payout
  // ---------------------------------------------------------------------------------------------
  /**
   * A POST identified by `ref_code` (or `order_id`) and authenticated by `post_hash`, as status
   * polling and refunds are: the merchant and fields, or the native refusal.
   */
  const postHashRequest = async (c: C, version: 1 | 2, allowForm: boolean) => {
    if (c.req.method !== 'POST') return fail('Only POST method is allowed', `${c.req.method} is not accepted here`)
    const got = await intake(c, version, { signed: false, allowForm, required: ['pid'] })
    if (isEmpty(got.fields.ref_code) && isEmpty(got.fields.order_id)) return fail('ref_code is required field')
    if (isEmpty(got.fields.post_hash)) return fail('post_hash is required field')
    checkPostHash(c, got.merchant, got.fields)
    return got
  }

  const polling = (version: 1 | 2, kind: 'payin' | 'payout') => async (c: C) => {
    const got = await postHashRequest(c, version, version === 1)
    const { merchant, fields } = got
    const tx = kind === 'payin' ? findPayin(merchant, fields) : findPayout(merchant, fields)
    if (!tx)
      return fail(
        'Reference code not found.',
        `no ${kind} of pid ${merchant.id} with ${textField(fields, 'ref_code') ? `ref_code ${textField(fields, 'ref_code')}` : `order_id ${textField(fields, 'order_id')}`}`,
      )
    c.var.journal.transactionId = tx.id
    c.var.journal.reference = tx.reference
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
  const collectionOf = (tx: PayatomTransaction, merchant: PayatomMerchant): string => {
    const d = dataOf(tx)
    const w = walletsOf(merchant)
    if (d.operation === 'payin-wallet' || d.walletType)
      return String(
        w.wallet.find((x) => String(x.wallet_type).toLowerCase() === (d.walletType ?? '').toLowerCase())
          ?.account_number ?? '',
      )
    if (d.operation === 'payin-imps') return String(w.imps_upi[0]?.account_number ?? '')
    if (d.operation === 'payin-pakistan') return ''
    return collectionUpi(merchant)
  }

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
    const amount = parseAmount(fields.amount)
    if (!amount)
      return fail(
        'invalid amount',
        `amount ${JSON.stringify(plain({ a: fields.amount }).a)} is not a positive number (at most 2 decimals)`,
      )
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

  // ---------------------------------------------------------------------------------------------
  // Refunds: Refund Initiated → Refund Completed, shown in polling and webhooks with refund_info
  // ---------------------------------------------------------------------------------------------
  const refund = (version: 1 | 2) => async (c: C) => {
    const got = await postHashRequest(c, version, false)
    const { merchant, fields } = got
    const parent = findPayin(merchant, fields)
    if (!parent) return fail('Reference code not found.')
    c.var.journal.transactionId = parent.id
    c.var.journal.reference = parent.reference
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
      const asked = parseAmount(fields.amount)
      if (!asked)
        return fail(
          'invalid amount',
          `amount ${JSON.stringify(plain({ a: fields.amount }).a)} is not a positive number (at most 2 decimals)`,
        )
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
      c.var.journal.notes.push(`refund ${tx.id} of ${amount.text} opened for ${parent.reference}`)
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
      c.var.journal.notes.push(`connect.php: no pay-in has code "${code.slice(0, 80)}"`)
      return undefined
    }
    c.var.journal.transactionId = tx.id
    c.var.journal.reference = tx.reference
    return tx
  }
  app.get('/pay/connect.php', (c) => {
    const tx = byCode(c)
    return tx ? connectPage(c, tx) : notFoundPage(c)
  })
  app.post('/pay/connect.php', async (c) => {
    const tx = byCode(c)
    if (!tx) return notFoundPage(c)
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
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
    c.var.journal.notes.push(`the customer pressed ${action} on the hosted page: ${target}`)
    const redirect = dataOf(tx).redirectUrl
    return redirect ? c.redirect(redirect, 303) : connectPage(c, tx)
  })

  app.route('/', operationsRoutes(port))
  return app
}

/** The wallet name as PayAtom writes it (`bkash` → `bKash`), or undefined when it is not one. */
export function canonicalWallet(name: string): string | undefined {
  return WALLET_TYPES.find((w) => w.toLowerCase() === name.trim().toLowerCase())
}

export type { PhpValue }
