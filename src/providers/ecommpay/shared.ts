import type { Context } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import { admitIf } from '../kit/guard.js'
import { Refusal } from '../kit/refusal.js'
import type { Decision } from '../../engine/scenarios.js'
import type { NeutralStatus } from '../../engine/types.js'
import { callbackUrlOf } from './callbacks.js'
import { verifyGateRequest } from './crypto.js'
import {
  BANKS,
  CURRENCY,
  OPERATION_ID_BASE,
  dataOf,
  requestId,
  type EcommpayMerchant,
  type EcommpayPort,
  type EcommpayTransaction,
  type EcommpayTxData,
  type GateErrorCode,
} from './wire.js'
import { parseJson } from '../../wire/limits.js'
import { type Ids, answeringGateRequest } from './errors.js'

export type C = Context<SandboxEnv>
export type Obj = Record<string, unknown>

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A Gate refusal that echoes these ids. */
function gateRefusal(code: GateErrorCode, why: string, ids: Ids): Refusal<GateErrorCode, { ids: Ids }> {
  return new Refusal(code, why, { detail: { ids } })
}

export function json(c: C, text: string): Response {
  return c.body(text, 200, { 'Content-Type': 'application/json' })
}

// ---------------------------------------------------------------------------------------------
// Field readers: each throws a Refusal naming the field.

export function object(parent: Obj, name: string, path: string): Obj {
  const v = parent[name]
  if (v === undefined || v === null) throw new Refusal('2004', `the "${path}" object is required`)
  if (!isObj(v)) throw new Refusal('502', `"${path}" must be a JSON object, got ${describe(v)}`)
  return v
}

export function optionalObject(parent: Obj, name: string, path: string): Obj | undefined {
  const v = parent[name]
  if (v === undefined || v === null) return undefined
  if (!isObj(v)) throw new Refusal('502', `"${path}" must be a JSON object, got ${describe(v)}`)
  return v
}

/** A text field; an integer is accepted and written as its digits (the signature reads it the same). */
export function text(parent: Obj, name: string, path: string, required: true, max?: number): string
export function text(parent: Obj, name: string, path: string, required: false, max?: number): string | undefined
export function text(parent: Obj, name: string, path: string, required: boolean, max = 2048): string | undefined {
  const v = parent[name]
  if (v === undefined || v === null || v === '') {
    if (required) throw new Refusal('2004', `"${path}" is required${v === '' ? ' and must not be empty' : ''}`)
    return undefined
  }
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v)
  if (typeof v !== 'string') throw new Refusal('502', `"${path}" must be a string, got ${describe(v)}`)
  if (v.length > max)
    throw new Refusal('502', `"${path}" is ${v.length} characters long; the sandbox accepts at most ${max}`)
  return v
}

/** A positive whole number (minor units, ids): a JSON integer, or a string of digits. */
export function integer(parent: Obj, name: string, path: string, required: true): number
export function integer(parent: Obj, name: string, path: string, required: false): number | undefined
export function integer(parent: Obj, name: string, path: string, required: boolean): number | undefined {
  const v = parent[name]
  if (v === undefined || v === null || v === '') {
    if (required) throw new Refusal('2004', `"${path}" is required`)
    return undefined
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : NaN
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Refusal(
      '502',
      `"${path}" must be a positive whole number (amounts in minor units: 1500 = 15.00 INR), got ${describe(v)}`,
    )
  return n
}

export function currency(parent: Obj, path: string): string {
  const v = text(parent, 'currency', path, true, 16)
  if (!/^[A-Z]{3}$/.test(v)) throw new Refusal('3121', `"${path}" is "${v}": not an ISO-4217 alpha-3 code (INR)`)
  if (v !== CURRENCY) throw new Refusal('3023', `"${path}" is ${v}; Banks of India accepts INR only`)
  return v
}

/** Why `value` is not the id of a bank of Banks of India, or undefined when it is one. */
export function notABank(value: unknown, path: string): string | undefined {
  if (BANKS.some((b) => b.id === bankNumber(value))) return undefined
  return `${path} ${describe(value)} is not a bank of Banks of India; the banks are ${BANKS.map((b) => `${b.id} ${b.name}`).join(', ')}`
}

/** A bank id (a number, or a string of digits); refuses with 2801 when it is not a bank of Banks of India. */
export function bankId(value: unknown, path: string): number {
  const why = notABank(value, path)
  if (why) throw new Refusal('2801', why)
  return bankNumber(value)
}

function bankNumber(value: unknown): number {
  return typeof value === 'number'
    ? value
    : typeof value === 'string' && /^\d{1,6}$/.test(value.trim())
      ? Number(value)
      : NaN
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)
  return `${typeof v} ${String(v)}`
}

/** A Gate request after transport, JSON, project and signature checks. */
export interface GateRequest {
  body: Obj
  general: Obj
  merchant: EcommpayMerchant
  projectId: number
  paymentId: string
  ids: Ids
}

/** What the Gate, the Payment Page and the bank page share: opening operations, finding them, reading Gate requests. */
export function ecommpayShared(port: EcommpayPort) {
  /** Opens a sale, refund or payout the scenario decided, and notes it and its callback target in the journal. */
  const openOperation = async (
    c: C,
    merchant: EcommpayMerchant,
    decision: Decision,
    data: EcommpayTxData,
    op: {
      kind: string
      reference: string
      operationId: number
      amount: number
      currency: string
      initial: NeutralStatus
    },
  ): Promise<EcommpayTransaction> => {
    const tx = await port.transactions.open(
      {
        merchant: merchant.id,
        kind: op.kind,
        reference: op.reference,
        providerRef: String(op.operationId),
        amount: op.amount,
        currency: op.currency,
        callbackUrl: callbackUrlOf(data, merchant),
        initial: op.initial,
        data: data,
      },
      decision,
    )
    if (c.get('journal')) c.get('journal').transactionId = tx.id
    noteCallbackTarget(c, tx, merchant)
    return tx
  }
  const newRequestId = (projectId: string, paymentId: string) =>
    requestId(projectId, paymentId, port.counters.next('ecommpay.request'))
  const newOperationId = () => OPERATION_ID_BASE + port.counters.next('ecommpay.operation')

  /** Transport, JSON, `general`, project and signature; every failure answered in the Gate's envelope. */
  const readGate = async (c: C): Promise<GateRequest> => {
    const early: Ids = { requestId: newRequestId('', ''), projectId: null, paymentId: null }
    const type = c.req.header('content-type')
    if (type !== undefined && !/^\s*application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type))
      throw gateRefusal(
        '702',
        `Content-Type is "${type}"; Gate requests are JSON: send Content-Type: application/json`,
        early,
      )
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    let textBody: string
    try {
      textBody = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      throw gateRefusal('2003', 'the body is not valid UTF-8 text; Gate requests are UTF-8 JSON', early)
    }
    if (!textBody.trim()) throw gateRefusal('2003', 'the body is empty; send the request as a JSON object', early)
    let body: unknown
    try {
      body = parseJson(textBody)
    } catch (e) {
      throw gateRefusal('2003', `the body is not JSON (${(e as Error).message})`, early)
    }
    if (!isObj(body))
      throw gateRefusal(
        '702',
        `the body is ${describe(body)}; a Gate request is a JSON object with "general" and the operation's objects`,
        early,
      )
    const general = body.general
    if (!isObj(general))
      throw gateRefusal(
        general === undefined || general === null ? '2004' : '502',
        'the "general" object (project_id, payment_id, signature) is required',
        early,
      )
    const paymentIdRaw = general.payment_id
    const paymentIdGuess =
      typeof paymentIdRaw === 'string' ? paymentIdRaw : typeof paymentIdRaw === 'number' ? String(paymentIdRaw) : null
    const rawProject = general.project_id
    const projectId =
      typeof rawProject === 'number'
        ? rawProject
        : typeof rawProject === 'string' && /^\d{1,15}$/.test(rawProject)
          ? Number(rawProject)
          : NaN
    const ids: Ids = {
      requestId: early.requestId,
      projectId: Number.isSafeInteger(projectId) ? projectId : null,
      paymentId: paymentIdGuess,
    }
    if (c.get('journal') && paymentIdGuess) c.get('journal').reference = paymentIdGuess
    if (rawProject === undefined || rawProject === null)
      throw gateRefusal('2004', '"general.project_id" is required (the default test project is 112)', ids)
    if (!Number.isSafeInteger(projectId) || projectId <= 0)
      throw gateRefusal('502', `"general.project_id" must be a whole number, got ${describe(rawProject)}`, ids)
    if (c.get('journal')) c.get('journal').merchant = String(projectId)
    const merchant = port.merchants.get(String(projectId))
    if (!merchant)
      throw gateRefusal(
        '2442',
        `no ECommPay project ${projectId} in the sandbox; the default test project is 112 (GET /_sandbox/merchants)`,
        ids,
      )
    const verdict = verifyGateRequest(body, String(merchant.secretKey), { secretLabel: `project ${projectId}` })
    const code: GateErrorCode = verdict.code === '3262' ? '3262' : verdict.code === '3261' ? '3261' : '702'
    admitIf(c, verdict.valid, merchant, verdict.explanation, () =>
      gateRefusal(
        code,
        "the signature check failed (the journal entry's auth explanation shows the expected signature base string)",
        ids,
      ),
    )
    answeringGateRequest(c, ids)
    const paymentId = text(general, 'payment_id', 'general.payment_id', true, 255)
    return {
      body,
      general,
      merchant,
      projectId,
      paymentId,
      ids: { ...ids, requestId: newRequestId(String(projectId), paymentId) },
    }
  }

  /** Runs a Gate handler after readGate; a Refusal it throws echoes the request's ids (`ecommpayErrors`). */
  const gateRoute = (handle: (c: C, r: GateRequest) => Promise<Response>) => async (c: C) => {
    const r = await readGate(c)
    answeringGateRequest(c, r.ids)
    return handle(c, r)
  }

  /** The merchant's sale or payout with this payment_id (refunds share it), newest first. */
  const paymentOf = (projectId: string, paymentId: string) =>
    port.transactions.byReference(projectId, paymentId).find((t) => t.kind !== 'refund')
  /** Claims a sale's or payout's payment_id for this request; false when a payment holds it already. */
  const reservePayment = (c: C, projectId: string, paymentId: string) =>
    port.reserve(c, { merchant: projectId, reference: paymentId }, (t) => t.kind !== 'refund')
  const refundsOf = (projectId: string, paymentId: string) =>
    port.transactions
      .byReference(projectId, paymentId)
      .filter((t) => t.kind === 'refund')
      .reverse()

  const noteCallbackTarget = (c: C, tx: EcommpayTransaction, merchant: EcommpayMerchant) => {
    if (dataOf(tx).callbackDisabled)
      c.get('journal')?.notes.push('callback.force_disable is set: no callbacks will be sent for this payment')
    else if (!callbackUrlOf(tx, merchant))
      c.get('journal')?.notes.push(
        `no callback URL: send general.merchant_callback_url, or set the project's callbackUrl (PATCH /_sandbox/merchants/ecommpay/${merchant.id} {"callbackUrl":"http://localhost:4000/cb"}); no callbacks will be sent`,
      )
  }

  const callbackSettings = (general: Obj, body: Obj): Pick<EcommpayTxData, 'callbackUrl' | 'callbackDisabled'> => {
    const url = text(general, 'merchant_callback_url', 'general.merchant_callback_url', false)
    const cb = optionalObject(body, 'callback', 'callback')
    const disabled = cb ? cb.force_disable === 1 || cb.force_disable === true || cb.force_disable === '1' : false
    return { callbackUrl: url, callbackDisabled: disabled || undefined }
  }

  /** Opens a sale (Gate or Payment Page) and sends the Gate's redirect callback. */
  const openSale = async (
    c: C,
    merchant: EcommpayMerchant,
    decision: Decision,
    input: {
      paymentId: string
      amount: number
      currency: string
      data: Omit<EcommpayTxData, 'operationId' | 'origin'>
    },
  ): Promise<EcommpayTransaction> => {
    const operationId = newOperationId()
    const data: EcommpayTxData = { ...input.data, operationId, origin: new URL(c.req.url).origin }
    const tx = await openOperation(c, merchant, decision, data, {
      kind: 'sale',
      reference: input.paymentId,
      operationId,
      amount: input.amount,
      currency: input.currency,
      initial: 'pending',
    })
    if (data.channel === 'gate' && tx.status === 'pending') {
      port.callbacks.send(tx)
      await port.commit()
    }
    return tx
  }

  return {
    openOperation,
    newRequestId,
    newOperationId,
    readGate,
    gateRoute,
    paymentOf,
    reservePayment,
    refundsOf,
    noteCallbackTarget,
    callbackSettings,
    openSale,
  }
}

export type Shared = ReturnType<typeof ecommpayShared>
