import type { Context } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import type { Decision } from '../../engine/scenarios.js'
import { admit, admitIf } from '../kit/guard.js'
import { sameBytes } from '../../wire/compare.js'
import { verifyPayatomPostHash, verifyPayatomV2Signature } from './crypto.js'
import {
  collectionUpi,
  dataOf,
  fail,
  isEmpty,
  ok,
  plain,
  readFields,
  refCode,
  secretOf,
  text,
  type Fields,
  type PayatomOperation,
  type PayatomTxData,
  type PayatomMerchant,
  type PayatomPort,
  type PayatomTransaction,
  refusal,
  parseAmount,
} from './wire.js'

export const PROVIDER = 'payatom'
export type C = Context<SandboxEnv>

/** Bangladesh wallets (research §A.10; the non-seamless and v2 pages add Upay). */
export const WALLET_TYPES = ['Nagad', 'Rocket', 'bKash', 'Upay']
export const PAK_WALLETS = ['JAZZCASH', 'EASYPAISA']
export const PAYMENT_MODES = ['imps', 'upi', 'wallet']
/** Longest text field the sandbox accepts (sandbox contract: PayAtom's limits are not published). */
export const MAX_FIELD_LENGTH = 255

/** The merchant a `pid` names. */
function merchantByPid(port: PayatomPort, pid: string | undefined): PayatomMerchant | undefined {
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
  admitIf(c, verdict.ok, merchant, verdict.explanation, () =>
    refusal(verdict.explanation.startsWith('signature not provided') ? 'signature not provided' : 'Invalid signature'),
  )
}

/** The `amount` field as a positive amount of at most 2 decimals; refuses `invalid amount` otherwise. */
export function amountField(fields: Fields): { amount: number; text: string } {
  return (
    parseAmount(fields.amount) ??
    fail(
      'invalid amount',
      `amount ${JSON.stringify(plain({ a: fields.amount }).a)} is not a positive number (at most 2 decimals)`,
    )
  )
}

/** The first field PHP's `empty()` calls empty, as `<field> is required field`. */
export function missing(fields: Fields, names: string[]): string | undefined {
  return names.find((n) => isEmpty(fields[n]))
}

/** A text field (scalar, at most 255 characters), or undefined when it is not one. */
export function textField(fields: Fields, name: string): string | undefined {
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

export function currencyOf(op: PayatomOperation): string {
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

/** The wallet name as PayAtom writes it (`bkash` → `bKash`), or undefined when it is not one. */
export function canonicalWallet(name: string): string | undefined {
  return WALLET_TYPES.find((w) => w.toLowerCase() === name.trim().toLowerCase())
}

/**
 * What the PayAtom surfaces share: reading and authenticating a request (`intake`), opening a
 * transaction, finding one, and checking a `post_hash`.
 */
export function payatomShared(port: PayatomPort) {
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
        c.get('journal').notes.push('no JSON body: the fields were read from the query string')
      } else fail('Invalid JSON', read.error)
    } else {
      fields = read.fields
      raw = read.raw
    }
    const reference = text(fields.order_id) ?? text(fields.ref_code)
    if (reference && reference.length <= MAX_FIELD_LENGTH) c.get('journal').reference = reference
    const required = options.required ?? ['pid']
    const gap = missing(fields, required)
    if (gap) return fail(`${gap} is required field`)
    const bad = badText(fields, TEXT_FIELDS)
    if (bad) return fail(`invalid ${bad[0]}`, bad[1])
    const pid = textField(fields, 'pid')!
    c.get('journal').merchant = pid
    const merchant = merchantByPid(port, pid)
    if (!merchant)
      admit(c, {
        ok: false,
        explanation: `no PayAtom merchant with pid "${pid}"; the default test merchant is 000000000000 (GET /_sandbox/merchants)`,
        refusal: refusal('invalid pid'),
      })
    if (version === 2) v2Auth(c, merchant!, key!, raw, options.signed)
    else
      admit(c, {
        ok: true,
        merchant: merchant!,
        explanation: 'v1: PayAtom authenticates by IP whitelist only; the sandbox accepts every IP',
      })
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
      c.get('journal').transactionId = tx.id
      return ok(c, render(tx))
    })

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

  return { intake, isDuplicate, open, findPayin, findPayout, checkPostHash, postHashRequest, collectionOf }
}

export type Shared = ReturnType<typeof payatomShared>
