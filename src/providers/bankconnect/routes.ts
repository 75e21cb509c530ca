import type { Context } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import type { Decision } from '../../engine/scenarios.js'
import { admit, admitIf } from '../kit/guard.js'
import { enforced, refusedBySeedRule } from '../seed-rules.js'
import { checkFormLimits } from '../../wire/limits.js'
import { providerApp, Refusal, type RefusalFormat } from '../kit/refusal.js'
import { phpBase64Decode, phpJsonEncode } from '../../wire/php.js'
import { checkBankconnectUserToken, decryptBankconnect, encryptBankconnect } from './crypto.js'
import {
  APP_ERRORS,
  appErrorBody,
  ENCRYPTED_TYPE,
  INVALID_API_KEY,
  JSON_TYPE,
  MAX_PAYOUTS_PER_REQUEST,
  PROVIDER,
  refusedEntry,
  renderEntries,
  REST_REALM,
  SEED_RULES,
  restErrorBody,
  settings,
  statusEntry,
  submittedEntry,
  UNAUTHORIZED,
  validatePayout,
  type BankconnectMerchant,
  type BankconnectPort,
  type BankconnectTransaction,
  type BankconnectTxnData,
  type PayoutEntry,
  type ValidPayout,
} from './wire.js'

type C = Context<SandboxEnv>

/** UTRs count up from the seed's sample, so the first payout of a fresh sandbox gets the seed's `39389383983`. */
const UTR_BASE = 39389383982

/** The seed's curl example sends this Authorization header; it belongs to another provider's credentials. */
const SEED_SAMPLE_BASIC = 'YWtvbnRvX2FwaV92ZXJzaW9uXzE6Y2hIY2tvdXRfdmVyc2lvbl8x'

/**
 * Which layer refuses: CodeIgniter's RestServer (HTTP status, `{"status":false,"error":…}`) or the
 * application (HTTP 200); a status query's refusal is a FAILED entry about its `order_id`.
 */
type Layer = { rest: boolean; statusOf?: string }

/**
 * Every Bankconnect refusal. RestServer: `{"status":false,"error":<code>}` with its HTTP status
 * (401 adds `WWW-Authenticate`); the application: HTTP 200
 * `{"status":"FAILED","payment_code":"SUCC202","message":<code>}`, or for a status query its FAILED
 * entry `{"status":"FAILED","order_id":…,"payment_code":"SUCC202","message":<code>,"utr":""}`.
 */
export const bankconnectErrors: RefusalFormat<Refusal<string, Layer>> = {
  render(c, r) {
    if (r.detail?.statusOf !== undefined) return json(c, refusedEntry(r.detail.statusOf, 'SUCC202', r.code))
    if (!r.detail?.rest) return c.body(appErrorBody(r.code), 200, { 'Content-Type': JSON_TYPE })
    const status = (r.status ?? 500) as 401 | 403 | 404 | 500
    const headers: Record<string, string> = { 'Content-Type': JSON_TYPE }
    if (status === 401) headers['WWW-Authenticate'] = REST_REALM
    return c.body(restErrorBody(r.code), status, headers)
  },
  note: (r) => (r.detail?.rest ? r.why : `${r.code}: ${r.why}`),
}

/** CodeIgniter RestServer's `{"status":false,"error":…}` refusal; `why` is the journal's note. */
export function restRefusal(status: 401 | 403 | 404 | 500, error: string, why: string): Refusal<string, Layer> {
  return new Refusal(error, why, { status, detail: { rest: true } })
}

/** The application's request-level refusal: HTTP 200 `{"status":"FAILED","payment_code":"SUCC202","message":…}`. */
function appRefusal(message: string, why: string): Refusal<string, Layer> {
  return new Refusal(message, why, { detail: { rest: false } })
}

/** A status query's refusal: HTTP 200, the FAILED entry of `order_id` with `message`. */
function statusRefusal(orderId: string, message: string, why: string): Refusal<string, Layer> {
  return new Refusal(message, why, { detail: { rest: false, statusOf: orderId } })
}

function json(c: C, body: unknown): Response {
  return c.body(phpJsonEncode(body), 200, { 'Content-Type': JSON_TYPE })
}

const show = (s: string, max = 60) => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s)

/** Reads a multipart or urlencoded body as text fields; notes in the journal what could not be read. */
async function formOf(c: C): Promise<Record<string, string>> {
  const type = (c.req.header('Content-Type') ?? '').toLowerCase()
  const notes = c.get('journal').notes
  if (!type.startsWith('multipart/form-data') && !type.startsWith('application/x-www-form-urlencoded')) {
    notes.push(
      `the body's Content-Type is ${type ? JSON.stringify(type) : 'missing'}; Bankconnect reads form fields only: send multipart/form-data (curl --form) or application/x-www-form-urlencoded, so no field was read`,
    )
    return {}
  }
  let parsed: Record<string, unknown>
  try {
    parsed = (await c.req.parseBody()) as Record<string, unknown>
    checkFormLimits(Object.entries(parsed))
  } catch (e) {
    notes.push(
      `the ${type.split(';')[0]} body could not be parsed (${(e as Error).message}); a multipart body needs the boundary from its Content-Type, so no field was read`,
    )
    return {}
  }
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string') out[name] = value
    else
      notes.push(
        `form field ${JSON.stringify(name)} was sent as a file upload; PHP puts uploads in $_FILES, not $_POST, so it counts as missing: send it as a plain field (curl --form 'name=value', not '@file')`,
      )
  }
  return out
}

/** The candidate merchants after the X-API-KEY and Basic auth checks, or the refusal. */
function authenticate(c: C, port: BankconnectPort): BankconnectMerchant[] {
  const all = port.merchants.list()
  const key = c.req.header('X-API-KEY')
  const withKey = key === undefined ? [] : all.filter((m) => settings(m).apiKey === key.trim())
  if (withKey.length === 0) {
    const expected = all.map((m) => settings(m).apiKey)
    const explanation =
      key === undefined
        ? `X-API-KEY header is missing; send X-API-KEY: ${expected[0] ?? 'BANKCONNECT_1890'}`
        : `X-API-KEY ${show(key)} is not the key of any Bankconnect merchant (${expected.map((k) => JSON.stringify(k)).join(', ')})`
    admit(c, {
      ok: false,
      explanation,
      refusal: restRefusal(403, INVALID_API_KEY, `403 ${JSON.stringify(INVALID_API_KEY)}: ${explanation}`),
    })
  }
  const header = c.req.header('Authorization')
  const match = header === undefined ? null : /^\s*Basic\s+(\S+)\s*$/i.exec(header)
  const decoded = match ? phpBase64Decode(match[1]!, true)?.toString('utf8') : undefined
  const sep = decoded?.indexOf(':') ?? -1
  const user = decoded && sep >= 0 ? decoded.slice(0, sep) : undefined
  const password = decoded && sep >= 0 ? decoded.slice(sep + 1) : undefined
  const passed = withKey.filter((m) => settings(m).basicUser === user && settings(m).basicPassword === password)
  if (passed.length === 0) {
    const want = settings(withKey[0]!)
    const recipe = `Authorization: Basic base64(${JSON.stringify(`${want.basicUser}:${want.basicPassword}`)})`
    let why: string
    if (header === undefined) why = 'the Authorization header is missing'
    else if (!match) why = `the Authorization header ${show(header)} is not "Basic <base64>"`
    else if (decoded === undefined) why = 'the Basic credentials are not base64'
    else if (match[1] === SEED_SAMPLE_BASIC)
      why = `it is the seed's sample header, which decodes to ${JSON.stringify(decoded)}: that is not the documented test account`
    else if (sep < 0)
      why = `the Basic credentials decode to ${show(decoded)}, with no ":" between user name and password`
    else if (user === want.basicUser) why = `the password for ${JSON.stringify(user)} is wrong`
    else why = `the user name ${JSON.stringify(user)} is not the one of this X-API-KEY`
    const explanation = `Basic auth failed: ${why}. Send ${recipe}.`
    admit(c, { ok: false, explanation, refusal: restRefusal(401, UNAUTHORIZED, `401 "Unauthorized": ${explanation}`) })
  }
  return passed
}

/** The merchant the User-token names, among those that passed the key and Basic checks. */
function userTokenMerchant(c: C, candidates: BankconnectMerchant[]): BankconnectMerchant {
  const header = c.req.header('User-token')
  const decoded = header ? phpBase64Decode(header.trim(), true)?.toString('utf8') : undefined
  const merchantNo = decoded?.includes('::') ? decoded.slice(0, decoded.indexOf('::')) : undefined
  const merchant = candidates.find((m) => m.id === merchantNo) ?? (candidates.length === 1 ? candidates[0] : undefined)
  if (!merchant) {
    const explanation = `User-token ${header ? `decodes to ${show(decoded ?? '(not base64)')}, which names no merchant of this X-API-KEY` : 'header is missing'}; send User-token: base64_encode(merchant_no . "::" . secretkey) (merchants: ${candidates.map((m) => m.id).join(', ')})`
    admit(c, { ok: false, explanation, refusal: appRefusal(APP_ERRORS.userToken, explanation) })
  }
  const s = settings(merchant)
  const verdict = checkBankconnectUserToken(header, s.merchantNo, s.secret)
  const explanation = `X-API-KEY and Basic auth match merchant ${merchant.id}; ${verdict.explanation}`
  return admitIf(c, verdict.ok, merchant, explanation, () => appRefusal(APP_ERRORS.userToken, verdict.explanation))
}

/**
 * Bankconnect routes at their real paths: the encrypted payout request and the status query.
 */
export function bankconnectRoutes(port: BankconnectPort) {
  const app = providerApp(bankconnectErrors)

  app.post('/apisecure/payoutTransactionSecureIV', async (c) => {
    c.get('journal').operation = 'payout'
    const candidates = authenticate(c, port)
    const merchant = userTokenMerchant(c, candidates)
    const s = settings(merchant)
    const form = await formOf(c)

    const endPointUrl = form.end_point_url
    if (endPointUrl === undefined || endPointUrl.trim() === '')
      throw appRefusal(
        APP_ERRORS.endPointUrlMissing,
        'the form field end_point_url is missing or empty; it is where the payout callbacks go',
      )
    if ([...endPointUrl].length > 256)
      throw appRefusal(
        APP_ERRORS.endPointUrlInvalid,
        `end_point_url has ${[...endPointUrl].length} characters; the seed allows 256`,
      )
    if (!/^https?:\/\/[^\s/]+/i.test(endPointUrl))
      c.get('journal').notes.push(
        `end_point_url ${show(endPointUrl)} is not an absolute http(s) URL: the payout is accepted (the seed's own example sends a placeholder), but its callbacks cannot be delivered`,
      )
    const customerOrderId = form.customer_order_id ?? form.Customer_order_id
    if (customerOrderId !== undefined && [...customerOrderId].length > 20)
      throw appRefusal(
        APP_ERRORS.customerOrderId,
        `customer_order_id has ${[...customerOrderId].length} characters; the seed allows 20`,
      )
    const enc = form.enc_payout_json
    if (enc === undefined || enc.trim() === '')
      throw appRefusal(APP_ERRORS.encMissing, 'the form field enc_payout_json is missing or empty')

    const decrypted = decryptBankconnect(enc, { merchantNo: s.merchantNo, secret: s.secret, iv: s.iv })
    c.get('journal').notes.push(...decrypted.notes)
    if (!decrypted.ok) {
      const message = decrypted.layer === 'json' ? APP_ERRORS.json : APP_ERRORS.decrypt
      throw appRefusal(message, `enc_payout_json failed at the ${decrypted.layer} layer: ${decrypted.explanation}`)
    }
    const list = decrypted.value
    if (!Array.isArray(list) || list.length === 0) {
      const what = Array.isArray(list)
        ? 'an empty array'
        : list !== null && typeof list === 'object'
          ? 'a single JSON object: wrap it in [ ]'
          : `the JSON ${typeof list}`
      throw appRefusal(
        APP_ERRORS.notList,
        `enc_payout_json decrypted to ${what}; send a JSON array of payout objects like the seed's example`,
      )
    }
    if (list.length > MAX_PAYOUTS_PER_REQUEST)
      throw appRefusal(
        APP_ERRORS.tooMany,
        `enc_payout_json carries ${list.length} payout objects; the sandbox takes at most ${MAX_PAYOUTS_PER_REQUEST} per request`,
      )

    // Validate every object, then ask the scenarios about each accepted one.
    type Slot = { refused: PayoutEntry } | { payout: ValidPayout; decision: Decision }
    const seen = new Set<string>()
    const slots: Slot[] = []
    // One after another: each duplicate check may wait on the database (several replicas).
    for (const [i, item] of list.entries()) slots.push(await slot(item, i))
    async function slot(item: unknown, i: number): Promise<Slot> {
      const check = validatePayout(item, i, (rule) => enforced(merchant, rule))
      if (!check.ok) {
        if (check.rule) refusedBySeedRule(c, PROVIDER, merchant, check.rule, SEED_RULES[check.rule], check.why)
        c.get('journal').notes.push(`${check.message}: ${check.why}`)
        return { refused: refusedEntry(check.orderId, 'SUCC202', check.message) }
      }
      const { payout } = check
      c.get('journal').notes.push(...payout.warnings)
      if (seen.has(payout.orderId) || !(await port.reserve(c, { merchant: merchant.id, reference: payout.orderId }))) {
        c.get('journal').notes.push(
          `ERR411: order_id ${payout.orderId} ${seen.has(payout.orderId) ? 'appears twice in this request' : `was already used by merchant ${merchant.id}`}`,
        )
        return { refused: refusedEntry(payout.orderId, 'ERR411', 'Duplicate Order ID') }
      }
      seen.add(payout.orderId)
      const decision = port.decide(c, {
        operation: 'payout',
        merchant: merchant.id,
        reference: payout.orderId,
        amount: payout.amountValue,
        currency: 'INR',
        request: { ...payout.fields, end_point_url: endPointUrl, customer_order_id: customerOrderId },
      })
      return { payout, decision }
    }
    c.get('journal').reference ??= slots
      .map((s) => ('payout' in s ? s.payout.orderId : s.refused.order_id))
      .find((r) => r)
    const decisions = slots.flatMap((s) => ('decision' in s ? [s.decision] : []))
    const leading = decisions.find((d) => d.respond) ?? decisions[0]

    const produce = async (): Promise<Response> => {
      const entries: PayoutEntry[] = []
      for (const slot of slots) {
        if ('refused' in slot) {
          entries.push(slot.refused)
          continue
        }
        const { payout, decision } = slot
        // Checked again: a scenario latency may have let another request take the order_id.
        if (port.transactions.byReference(merchant.id, payout.orderId).length > 0) {
          c.get('journal').notes.push(
            `ERR411: order_id ${payout.orderId} was taken by another request while this one waited`,
          )
          entries.push(refusedEntry(payout.orderId, 'ERR411', 'Duplicate Order ID'))
          continue
        }
        const utr = String(UTR_BASE + port.counters.next('bankconnect.utr'))
        const data: BankconnectTxnData = {
          amount: payout.amount,
          utr,
          endPointUrl,
          customerOrderId,
          trxType: payout.trxType,
        }
        const tx: BankconnectTransaction = await port.transactions.open(
          {
            merchant: merchant.id,
            kind: 'payout',
            reference: payout.orderId,
            providerRef: utr,
            amount: payout.amountValue,
            currency: 'INR',
            callbackUrl: endPointUrl,
            initial: 'processing',
            data: data,
          },
          decision,
        )
        c.get('journal').transactionId ??= tx.id
        entries.push(submittedEntry(tx))
      }
      const plain = renderEntries(entries)
      c.get('journal').notes.push(
        `answer before encryption: ${plain.length > 2000 ? `${plain.slice(0, 2000)}…` : plain}`,
      )
      return c.body(encryptBankconnect(plain, { merchantNo: s.merchantNo, secret: s.secret, iv: s.iv }), 200, {
        'Content-Type': ENCRYPTED_TYPE,
      })
    }
    return leading ? port.respond(c, leading, produce) : produce()
  })

  app.post('/apisecure/payoutTransactionStatus', async (c) => {
    c.get('journal').operation = 'status'
    const candidates = authenticate(c, port)
    const form = await formOf(c)
    const orderId = form.order_id ?? ''
    const merchant = candidates.find((m) => m.id === form.merchant_no)
    if (!merchant || form.secretkey !== settings(merchant).secret) {
      const why =
        form.merchant_no === undefined
          ? 'the form field merchant_no is missing'
          : !merchant
            ? `merchant_no ${show(form.merchant_no)} is not a merchant of this X-API-KEY (${candidates.map((m) => m.id).join(', ')})`
            : form.secretkey === undefined
              ? 'the form field secretkey is missing'
              : `secretkey is not the secret of merchant ${merchant.id}`
      admit(c, { ok: false, explanation: why, refusal: statusRefusal(orderId, APP_ERRORS.statusCredentials, why) })
    }
    admit(c, {
      ok: true,
      merchant,
      explanation: `X-API-KEY, Basic auth, merchant_no and secretkey match merchant ${merchant.id}`,
    })
    if (orderId.trim() === '')
      throw statusRefusal('', APP_ERRORS.statusOrderMissing, 'the form field order_id is missing or empty')
    c.get('journal').reference = orderId
    const tx = port.transactions.byReference(merchant.id, orderId)[0]
    if (!tx)
      throw statusRefusal(
        orderId,
        APP_ERRORS.statusNotFound,
        `merchant ${merchant.id} has no payout with order_id ${show(orderId)}`,
      )
    c.get('journal').transactionId = tx.id
    return json(c, statusEntry(tx))
  })

  return app
}
