import { Hono, type Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { SandboxEnv } from '../../engine/env.js'
import type { CommonSettings } from '../../engine/types.js'
import { admit, admitIf, guard } from '../kit/guard.js'
import { sameBytes } from '../../wire/compare.js'
import {
  payatomComplaintSignature,
  payatomReconciliationSignature,
  payatomVerificationCode,
  verifyPayatomV2Signature,
} from './crypto.js'
import {
  dataOf,
  fail,
  isDayText,
  isEmpty,
  istDay,
  nativeStatus,
  ok,
  payinView,
  phpDate,
  readFields,
  secretOf,
  text,
  type Fields,
  type PayatomMerchant,
  type PayatomSettings,
  type PayatomPort,
  type PayatomTransaction,
  refusal,
} from './wire.js'

/** Payout reconciliation calls allowed per pid per India-time day (research §A.14). */
export const PAYOUT_RECONCILIATION_DAILY_LIMIT = 10
/** A complaint is answered Resolved this long (clock time) after it was submitted (sandbox contract). */
export const COMPLAINT_RESOLVE_MS = 24 * 3600_000

const same = sameBytes

/**
 * The operations routes' environment: what their middleware chain (method → credentials → body →
 * required fields) leaves for the handler: the body's fields and raw text, and the merchants the
 * request's header credentials belong to.
 */
type OperationsEnv = {
  Bindings: SandboxEnv['Bindings']
  Variables: SandboxEnv['Variables'] & { fields: Fields; raw: string; holders: PayatomMerchant[] }
}
type C = Context<OperationsEnv>

interface Complaint {
  complaint_id: string
  pid: string
  order_id: string
  ref_code: string
  complaint_description: string
  screenshots: number
  createdAt: number
}

/**
 * PayAtom's operations APIs: wallet balance (v1 operator, v2 merchant), complaint submit and
 * status, pay-in and payout reconciliation, wallet transaction summary and wallet data.
 */
export function operationsRoutes(port: PayatomPort): Hono<OperationsEnv> {
  const app = new Hono<OperationsEnv>()
  const merchants = () => port.merchants.list()
  const txs = (m: PayatomMerchant, kind?: string) => port.transactions.list({ merchant: m.id, kind })

  /** Refuses every method but `method` (POST unless told). */
  const only = (method = 'POST') =>
    createMiddleware<OperationsEnv>(async (c, next) => {
      if (c.req.method !== method) fail(`Only ${method} method is allowed`, `${c.req.method} is not accepted here`)
      await next()
    })
  const postOnly = only()
  /**
   * Reads the JSON body into `c.get('fields')` (and `c.get('raw')`), then refuses the first required
   * field PHP's `empty()` calls empty: `<field> is required field` unless `missing` says otherwise.
   */
  const body = (required: string[], options: { invalidStatus?: 400; missing?: (name: string) => never } = {}) =>
    createMiddleware<OperationsEnv>(async (c, next) => {
      const read = await readFields(c)
      if ('error' in read) fail('Invalid JSON', read.error, options.invalidStatus)
      const gap = required.find((n) => isEmpty(read.fields[n]))
      if (gap) (options.missing ?? ((n) => fail(`${n} is required field`)))(gap)
      c.set('fields', read.fields)
      c.set('raw', read.raw)
      await next()
    })
  const field = (f: Fields, name: string) => {
    const t = text(f[name])
    return t !== undefined && t.length <= 255 ? t : undefined
  }

  /** v1 wallet balance: the operator whose token the Authorization header carries (`c.get('holders')`). */
  const operatorToken = createMiddleware<OperationsEnv>(async (c, next) => {
    const token = (c.req.header('Authorization') ?? '').replace(/^Bearer\s+/i, '')
    if (!token)
      admit(c, {
        ok: false,
        explanation: 'no Authorization header: send the operator token (default payatom-sandbox-ops-key)',
        refusal: refusal('Authorization header missing', undefined, 401),
      })
    const operator = merchants().find((m) => typeof m.opsApiKey === 'string' && same(m.opsApiKey, token))
    if (!operator)
      admit(c, {
        ok: false,
        explanation: `Authorization "${token.slice(0, 40)}" is no operator's token`,
        refusal: refusal('Invalid Authorization token', undefined, 401),
      })
    c.set('holders', [operator])
    await next()
  })

  // --- v1 P2P accounts wallet balance: Authorization token + operator email + md5(password) ---
  app.all('/api/wallet_balance.php', postOnly, operatorToken, body(['email', 'verification_code']), async (c) => {
    const operator = c.get('holders')[0]!
    const f = c.get('fields')
    const email = field(f, 'email')
    const code = field(f, 'verification_code')
    if (email !== operator.operatorEmail || code !== payatomVerificationCode(String(operator.operatorPassword))) {
      admit(c, {
        ok: false,
        explanation: `email must be ${operator.operatorEmail} and verification_code md5(operator password) = ${payatomVerificationCode(String(operator.operatorPassword))}`,
        refusal: refusal('Invalid email or verification code'),
      })
    }
    admit(c, { ok: true, merchant: operator, explanation: 'operator token, email and md5(password) match' })
    const w = operator.wallets as { upi: Array<Record<string, unknown>>; imps_upi: Array<Record<string, unknown>> }
    const usage = String(
      txs(operator, 'payin')
        .filter((t) => t.status === 'approved')
        .reduce((s, t) => s + Number(payinView(t).receivedAmount), 0),
    )
    return ok(c, {
      status: 'success',
      operator_details: {
        name: String(operator.operatorName ?? 'PayAtom Sandbox Operator'),
        email: operator.operatorEmail,
      },
      wallets: {
        upi: w.upi.map((a, i) => ({
          account: String(a.account),
          upi: String(a.upi),
          minimum_balance: String(a.minimum_balance),
          limit_volume: String(a.limit_volume),
          usage_volume: i === 0 ? usage : '0',
        })),
        imps_upi: w.imps_upi.map((a) => ({
          account_holder: String(a.account_holder),
          account_number: String(a.account_number),
          bank: String(a.bank),
          minimum_balance: String(a.minimum_balance),
          limit_volume: String(a.limit_volume),
          usage_volume: '0',
        })),
      },
    })
  })

  // --- v2 wallet balance: X-Api-Key + pid + v2 signature, documented HTTP codes ---
  const apiKeyPresent = createMiddleware<OperationsEnv>(async (c, next) => {
    if (!c.req.header('X-Api-Key'))
      admit(c, {
        ok: false,
        explanation: 'no X-Api-Key header',
        refusal: refusal('X-Api-Key header is required', undefined, 401),
      })
    await next()
  })
  const notProvided = (name: string) => fail(`${name} not provided`, undefined, 400)
  app.all(
    '/api/v2/wallet_balance.php',
    postOnly,
    apiKeyPresent,
    body(['pid', 'signature'], { invalidStatus: 400, missing: notProvided }),
    async (c) => {
      const key = c.req.header('X-Api-Key')!
      const f = c.get('fields')
      const pid = field(f, 'pid') ?? ''
      c.get('journal').merchant = pid
      const merchant = port.merchants.get(pid)
      if (!merchant) return fail('Invalid PID', `no merchant with pid "${pid.slice(0, 40)}"`, 400)
      if (!sameBytes(key, String(merchant.apiKey))) {
        admit(c, {
          ok: false,
          explanation: `X-Api-Key is not the API key of pid ${pid}`,
          refusal: refusal('Invalid API key', undefined, 401),
        })
      }
      const verdict = verifyPayatomV2Signature(c.get('raw'), secretOf(merchant))
      admitIf(c, verdict.ok, merchant, verdict.explanation, () => refusal('Invalid signature', undefined, 401))
      const b = balances(port, merchant)
      return ok(c, {
        status: 'success',
        message: 'Balance fetched successfully',
        user_balance: {
          pid: merchant.id,
          payin_balance: b.payin,
          payout_balance: b.payout,
          payin_matured_balance: b.matured,
        },
      })
    },
  )

  // --- complaints: Bearer token + sha256 signature ---
  const bearer = createMiddleware<OperationsEnv>(async (c, next) => {
    const header = c.req.header('Authorization') ?? ''
    const m = /^Bearer\s+(.+)$/i.exec(header)
    if (!m) {
      admit(c, {
        ok: false,
        explanation: 'no "Authorization: Bearer <token>" header (default token payatom-sandbox-token)',
        refusal: refusal('Unauthorized', undefined, 401),
      })
    }
    const holders = merchants().filter((x) => typeof x.token === 'string' && same(x.token, m[1].trim()))
    if (!holders.length) {
      admit(c, {
        ok: false,
        explanation: 'the Bearer token is not a merchant token',
        refusal: refusal('Unauthorized', undefined, 401),
      })
    }
    c.set('holders', holders)
    await next()
  })
  const signed = (
    c: C,
    merchant: PayatomMerchant,
    values: string[],
    names: string,
    given: string | undefined,
  ): void => {
    const expected = payatomComplaintSignature(values, secretOf(merchant))
    const good = !!given && same(given, expected)
    admitIf(
      c,
      good,
      merchant,
      good
        ? `signature matches sha256(${names} . secret_key)`
        : `signature must be sha256_hex(${names} . secret_key) = sha256(${JSON.stringify(values.join('') + '<secret_key>')}) = ${expected}`,
      () => refusal('Invalid signature'),
    )
  }
  const complaintsKey = (pid: string) => `payatom.complaints.${pid}`

  app.all(
    '/api/complaint/submit_complaint.php',
    postOnly,
    bearer,
    body(['pid', 'order_id', 'ref_code', 'signature']),
    async (c) => {
      const holders = c.get('holders')
      const f = c.get('fields')
      const pid = field(f, 'pid')
      const orderId = field(f, 'order_id')
      const ref = field(f, 'ref_code')
      if (!pid || !orderId || !ref)
        return fail('invalid request', 'pid, order_id and ref_code must be text of at most 255 characters')
      c.get('journal').merchant = pid
      c.get('journal').reference = orderId
      const merchant = holders.find((m) => m.id === pid)
      if (!merchant) return fail('invalid pid', `the Bearer token does not belong to pid "${pid}"`)
      signed(c, merchant, [pid, orderId, ref], 'pid . order_id . ref_code', field(f, 'signature'))
      const tx = port.transactions.byProviderRef(ref)
      if (!tx || tx.merchant !== pid || tx.reference !== orderId || tx.kind === 'refund')
        return fail('Transaction not found', `no transaction of pid ${pid} has order_id ${orderId} and ref_code ${ref}`)
      const description = f.complaint_description
      if (
        description !== undefined &&
        description !== null &&
        (typeof description !== 'string' || description.length > 5000)
      )
        return fail('invalid complaint_description', 'complaint_description must be text of at most 5000 characters')
      const shots =
        f.screenshot_images === undefined || f.screenshot_images === null
          ? []
          : Array.isArray(f.screenshot_images)
            ? f.screenshot_images
            : [f.screenshot_images]
      if (
        shots.length > 5 ||
        shots.some((s) => typeof s !== 'string' || !/^(data:image\/[a-z]+;base64,)?[A-Za-z0-9+/\r\n]+={0,2}$/.test(s))
      )
        return fail(
          'invalid screenshot_images',
          'screenshot_images must be up to 5 base64-encoded images (a string or a list of strings)',
        )
      const all = port.state.get<Complaint[]>(complaintsKey(pid)) ?? []
      const complaint: Complaint = {
        complaint_id: `CMP${String(port.counters.next('payatom.complaint')).padStart(8, '0')}`,
        pid,
        order_id: orderId,
        ref_code: ref,
        complaint_description: typeof description === 'string' ? description : '',
        screenshots: shots.length,
        createdAt: port.clock.now(),
      }
      port.state.set(complaintsKey(pid), [...all, complaint])
      await port.commit()
      c.get('journal').transactionId = tx.id
      return ok(c, {
        status: 'success',
        message: 'Complaint submitted successfully',
        complaint_id: complaint.complaint_id,
      })
    },
  )

  app.all(
    '/api/complaint/complaint_status.php',
    postOnly,
    bearer,
    body(['pid', 'complaint_id', 'signature']),
    async (c) => {
      const holders = c.get('holders')
      const f = c.get('fields')
      const pid = field(f, 'pid')
      const id = field(f, 'complaint_id')
      if (!pid || !id) return fail('invalid request', 'pid and complaint_id must be text of at most 255 characters')
      c.get('journal').merchant = pid
      const merchant = holders.find((m) => m.id === pid)
      if (!merchant) return fail('invalid pid', `the Bearer token does not belong to pid "${pid}"`)
      signed(c, merchant, [pid, id], 'pid . complaint_id', field(f, 'signature'))
      const complaint = (port.state.get<Complaint[]>(complaintsKey(pid)) ?? []).find((x) => x.complaint_id === id)
      if (!complaint) return fail('Complaint not found', `pid ${pid} has no complaint ${id}`)
      c.get('journal').reference = complaint.order_id
      const resolved = port.clock.now() - complaint.createdAt >= COMPLAINT_RESOLVE_MS
      return ok(c, {
        status: 'success',
        complaint_id: complaint.complaint_id,
        order_id: complaint.order_id,
        ref_code: complaint.ref_code,
        complaint_status: resolved ? 'Resolved' : 'Open',
        complaint_description: complaint.complaint_description,
        remarks: resolved ? 'Resolved by the sandbox 24 hours after submission' : '',
        created_at: phpDate(complaint.createdAt),
        updated_at: phpDate(resolved ? complaint.createdAt + COMPLAINT_RESOLVE_MS : complaint.createdAt),
      })
    },
  )

  // --- reconciliation: Token header + sha256(pid . secret_key . date) ---
  const tokenHolders = createMiddleware<OperationsEnv>(async (c, next) => {
    const token = c.req.header('Token')
    const holders = token ? merchants().filter((m) => typeof m.token === 'string' && same(m.token, token)) : []
    if (!holders.length) {
      admit(c, {
        ok: false,
        explanation: token
          ? 'the Token header is not a merchant token'
          : 'no Token header (default payatom-sandbox-token)',
        refusal: refusal('Unauthorized Access'),
      })
    }
    c.set('holders', holders)
    await next()
  })
  const reconcile = (kind: 'payin' | 'payout') => async (c: C) => {
    const holders = c.get('holders')
    const f = c.get('fields')
    const pid = field(f, 'pid') ?? ''
    const date = field(f, 'date') ?? ''
    c.get('journal').merchant = pid
    const merchant = holders.find((m) => m.id === pid)
    if (!merchant) return fail('Invalid User', `no merchant with pid "${pid.slice(0, 40)}" holds this Token`)
    const expected = payatomReconciliationSignature(pid, secretOf(merchant), date)
    const given = field(f, 'signature') ?? ''
    const good = same(given, expected)
    admitIf(
      c,
      good,
      merchant,
      good
        ? 'signature matches sha256(pid . secret_key . date)'
        : `signature must be sha256_hex(pid . secret_key . date) = sha256(${JSON.stringify(`${pid}<secret_key>${date}`)}) = ${expected}`,
      () => refusal('Verification Failed'),
    )
    if (!isDayText(date)) return fail('Invalid Date Format', `date "${date}" is not DD-MM-YYYY`)
    if (kind === 'payout') {
      const today = istDay(port.clock.now())
      const key = `payatom.payoutReconciliation.${pid}.${today}`
      const used = port.state.get<number>(key) ?? 0
      if (used >= PAYOUT_RECONCILIATION_DAILY_LIMIT)
        return fail(
          'Rate limit exceeded. Maximum 10 requests per day allowed.',
          `pid ${pid} already called payout reconciliation ${used} times on ${today} (India time, sandbox clock)`,
        )
      port.state.set(key, used + 1)
      await port.commit()
      c.get('journal').notes.push(
        `payout reconciliation call ${used + 1} of ${PAYOUT_RECONCILIATION_DAILY_LIMIT} for pid ${pid} on ${today}`,
      )
    }
    const rows = txs(merchant, kind)
      .filter((t) => istDay(t.createdAt) === date && (kind === 'payin' || t.status === 'approved'))
      .reverse()
      .map((t) => reconRow(t, kind))
    return ok(c, { status: 'success', message: 'Success', data: rows })
  }
  const reconcileFields = body(['pid', 'date', 'signature'], {
    missing: (name) => fail('Missing Parameters', `${name} is missing`),
  })
  app.all('/api/reconcile_polling.php', postOnly, tokenHolders, reconcileFields, reconcile('payin'))
  app.all('/payout/api/payout_reconcile_polling.php', postOnly, tokenHolders, reconcileFields, reconcile('payout'))

  // --- wallet transaction summary and wallet data: Api-Key header (operator) ---
  const operatorByKey = guard<PayatomSettings & CommonSettings>((c) => {
    const key = c.req.header('Api-Key')
    if (!key) {
      admit(c, {
        ok: false,
        explanation: 'no Api-Key header (default payatom-sandbox-ops-key)',
        refusal: refusal('Api-Key header missing', undefined, 401),
      })
    }
    const operator = merchants().find(
      (m) => m.operatorActive !== false && typeof m.opsApiKey === 'string' && same(m.opsApiKey, key),
    )
    if (!operator) {
      admit(c, {
        ok: false,
        explanation: "the Api-Key is no active operator's key",
        refusal: refusal('Invalid or unauthorized Api-Key', undefined, 401),
      })
    }
    return { ok: true, merchant: operator, explanation: 'Api-Key is the operator key' }
  })

  app.all(
    '/bot/api_v2/account_deposit.php',
    postOnly,
    operatorByKey,
    body(['account_number', 'date_type', 'date']),
    async (c) => {
      const operator = c.get('merchant')
      const f = c.get('fields')
      const account = field(f, 'account_number') ?? ''
      const dateType = field(f, 'date_type') ?? ''
      const date = field(f, 'date') ?? ''
      if (dateType !== 'created' && dateType !== 'updated')
        return fail('invalid date_type', `date_type "${dateType.slice(0, 40)}" must be "created" or "updated"`)
      if (!isDayText(date)) return fail('Invalid Date Format', `date "${date.slice(0, 40)}" is not DD-MM-YYYY`)
      if (!accountsOf(operator).some((a) => a.account === account))
        return fail(
          'Account not found',
          `the operator's accounts are ${accountsOf(operator)
            .map((a) => a.account)
            .join(', ')}`,
        )
      const groups = new Map<string, { count: number; amount: number }>()
      for (const t of txs(operator, 'payin')) {
        if (accountOfTx(operator, t) !== account) continue
        if (istDay(dateType === 'created' ? t.createdAt : t.updatedAt) !== date) continue
        const status = payinView(t).status
        const g = groups.get(status) ?? { count: 0, amount: 0 }
        g.count++
        g.amount += t.amount
        groups.set(status, g)
      }
      return ok(c, {
        status: 'success',
        account_number: account,
        date_type: dateType,
        date,
        total_count: [...groups.values()].reduce((s, g) => s + g.count, 0),
        total_amount: [...groups.values()].reduce((s, g) => s + g.amount, 0),
        summary: [...groups].map(([status, g]) => ({ status, count: g.count, amount: g.amount })),
      })
    },
  )

  app.all('/bot/api_v2/wallet_data.php', only('GET'), operatorByKey, async (c) => {
    const operator = c.get('merchant')
    const accounts = accountsOf(operator)
    const payins = txs(operator, 'payin')
    const rows = accounts.map((a) => {
      const mine = payins.filter((t) => accountOfTx(operator, t) === a.account && t.status === 'approved')
      return {
        wallet_type: a.type,
        account_number: a.account,
        upi: a.upi,
        status: a.active ? 'active' : 'inactive',
        total_transactions: mine.length,
        total_amount: mine.reduce((s, t) => s + t.amount, 0),
      }
    })
    return ok(c, {
      status: 'success',
      data: {
        total_wallets: rows.length,
        active_wallets: rows.filter((r) => r.status === 'active').length,
        inactive_wallets: rows.filter((r) => r.status === 'inactive').length,
        total_transactions: rows.reduce((s, r) => s + r.total_transactions, 0),
        total_amount: rows.reduce((s, r) => s + r.total_amount, 0),
        wallets: rows,
      },
    })
  })

  return app
}

/** Every collection account of an operator, flattened. */
function accountsOf(m: PayatomMerchant): Array<{ type: string; account: string; upi: string; active: boolean }> {
  const w = m.wallets
  return [
    ...w.upi.map((a) => ({ type: 'upi', account: String(a.account), upi: String(a.upi), active: a.active !== false })),
    ...w.imps_upi.map((a) => ({
      type: 'imps_upi',
      account: String(a.account_number),
      upi: '',
      active: a.active !== false,
    })),
    ...w.wallet.map((a) => ({
      type: String(a.wallet_type),
      account: String(a.account_number),
      upi: '',
      active: a.active !== false,
    })),
  ]
}

/** The account a pay-in was collected into. */
function accountOfTx(m: PayatomMerchant, t: PayatomTransaction): string {
  const d = dataOf(t)
  const w = m.wallets
  if (d.operation === 'payin-imps') return String(w.imps_upi[0]?.account_number ?? '')
  if (d.operation === 'payin-wallet' || d.walletType)
    return String(
      w.wallet.find((x) => String(x.wallet_type).toLowerCase() === (d.walletType ?? '').toLowerCase())
        ?.account_number ?? '',
    )
  if (d.operation === 'payin-pakistan') return ''
  return String(w.upi[0]?.account ?? '')
}

function reconRow(t: PayatomTransaction, kind: 'payin' | 'payout'): Record<string, unknown> {
  const int = (s: string) => Math.trunc(Number(s))
  if (kind === 'payin') {
    const v = payinView(t)
    return {
      orderCreateDateTime: phpDate(t.createdAt),
      statusChangeDateTime: phpDate(t.updatedAt),
      order_id: t.reference,
      ref_code: t.providerRef,
      amount_requested: int(v.amountText),
      amount_received: int(v.receivedAmount),
      transaction_status: v.status,
      bank_ref: v.bankRef,
    }
  }
  const d = dataOf(t)
  return {
    orderCreateDateTime: phpDate(t.createdAt),
    statusChangeDateTime: phpDate(t.updatedAt),
    order_id: t.reference,
    ref_code: t.providerRef,
    amount_requested: int(d.amountText),
    amount_processed: t.status === 'approved' ? int(d.amountText) : 0,
    transaction_status: nativeStatus(t),
    bank_ref: d.utr ?? '',
  }
}

/**
 * v2 balances in the smallest currency unit (paise): the merchant's `balances` setting moved by
 * approved pay-ins (received amount), completed refunds and approved payouts; pay-ins older than
 * 24 h (clock time) count as matured.
 */
function balances(port: PayatomPort, m: PayatomMerchant): { payin: number; payout: number; matured: number } {
  const base = m.balances
  const now = port.clock.now()
  let payin = base.payin
  let matured = base.payinMatured
  let payout = base.payout
  for (const t of port.transactions.list({ merchant: m.id })) {
    if (t.kind === 'payin' && t.status === 'approved') {
      const paise = Math.round(Number(payinView(t).receivedAmount) * 100)
      payin += paise
      if (now - t.updatedAt >= 24 * 3600_000) matured += paise
    } else if (t.kind === 'refund' && (t.status === 'refunded' || t.status === 'approved'))
      payin -= Math.round(t.amount * 100)
    else if (t.kind === 'payout' && t.status === 'approved') payout -= Math.round(t.amount * 100)
  }
  return { payin, payout, matured }
}
