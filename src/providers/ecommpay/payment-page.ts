import {
  clarificationInputs,
  customerParams,
  FIELD_LABELS,
  missingCustomerFields,
  pageAnswers,
} from './clarification.js'
import { customerMode } from '../seed-rules.js'
import { Hono } from 'hono'
import { html } from 'hono/html'
import type { SandboxEnv } from '../../engine/env.js'
import { admitIf } from '../kit/guard.js'
import { Refusal } from '../kit/refusal.js'
import { facts, page } from '../../ui/page.js'
import { parsePaymentPageQuery, verifyPaymentPageQuery } from './payment-page-url.js'
import { BANKS, CURRENCY, METHOD_CODE, dataOf, money, type EcommpayPort, type GateErrorCode } from './wire.js'
import { parseJson } from '../../wire/limits.js'
import { type C, isObj, bankId, type Shared } from './shared.js'

/** The Payment Page (`/payment`): the signed URL, method and bank choice. */
export function paymentPageRoutes(port: EcommpayPort, shared: Shared): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>()
  const { newRequestId, paymentOf, reservePayment, openSale } = shared

  // --- Payment Page -------------------------------------------------------------------------
  app.get('/payment', (c) => paymentPage(c))
  app.post('/payment', (c) => paymentPage(c))

  const paymentPage = async (c: C): Promise<Response> => {
    const url = new URL(c.req.url)
    const params = parsePaymentPageQuery(url)
    const fail = (code: GateErrorCode, why: string, status: 400 | 409 = 400): never => {
      throw new Refusal(code, why, { status })
    }
    if (c.get('journal')) {
      c.get('journal').operation = 'payment page'
      if (params.payment_id) c.get('journal').reference = params.payment_id
    }
    const projectText = params.project_id
    if (!projectText) return fail('2004', 'the project_id parameter is required (the default test project is 112)')
    if (c.get('journal')) c.get('journal').merchant = projectText
    const merchant = /^\d{1,15}$/.test(projectText) ? port.merchants.get(projectText) : undefined
    if (!merchant)
      return fail('2442', `no ECommPay project "${projectText}" in the sandbox; the default test project is 112`)
    const verdict = verifyPaymentPageQuery(url, String(merchant.secretKey), { secretLabel: `project ${merchant.id}` })
    admitIf(
      c,
      verdict.valid,
      merchant,
      verdict.explanation,
      () => new Refusal(verdict.code ?? '702', verdict.explanation),
    )
    const missing = ['payment_id', 'payment_amount', 'payment_currency', 'customer_id'].filter((k) => !params[k])
    if (missing.length) return fail('2004', `required parameters missing: ${missing.join(', ')}`)
    const paymentId = params.payment_id
    if (paymentId.length > 255) return fail('502', 'payment_id is longer than 255 characters')
    if (!/^\d{1,15}$/.test(params.payment_amount) || Number(params.payment_amount) <= 0)
      return fail(
        '502',
        `payment_amount "${params.payment_amount.slice(0, 40)}" is not a positive whole number of minor units (200000 = 2000.00 INR)`,
      )
    const amount = Number(params.payment_amount)
    if (!/^[A-Z]{3}$/.test(params.payment_currency))
      return fail('3121', `payment_currency "${params.payment_currency.slice(0, 40)}" is not an ISO-4217 alpha-3 code`)
    if (params.payment_currency !== CURRENCY)
      return fail('3023', `payment_currency is ${params.payment_currency}; Banks of India accepts INR only`)
    const force = params.force_payment_method
    if (force !== undefined && force !== METHOD_CODE)
      return fail(
        '2541',
        `force_payment_method is "${force.slice(0, 60)}"; the sandbox emulates the Banks of India method only (force_payment_method=${METHOD_CODE})`,
      )
    let split = false
    let ids: number[] | undefined
    if (params.payment_methods_options !== undefined) {
      let options: unknown
      try {
        options = parseJson(params.payment_methods_options)
      } catch {
        return fail('502', `payment_methods_options is not JSON: ${params.payment_methods_options.slice(0, 80)}`)
      }
      const banksOptions = isObj(options) ? options.online_indian_banks : undefined
      if (!isObj(options) || (banksOptions !== undefined && !isObj(banksOptions)))
        return fail(
          '502',
          'payment_methods_options must be a JSON object such as {"online_indian_banks": {"split_banks": true, "banks_id": [416, 415]}}',
        )
      if (banksOptions) {
        split =
          banksOptions.split_banks === true || banksOptions.split_banks === 1 || banksOptions.split_banks === 'true'
        const raw = banksOptions.banks_id
        if (raw !== undefined && raw !== null) {
          const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw]
          ids = list.map((v, i) =>
            bankId(typeof v === 'string' ? v.trim() : v, `payment_methods_options online_indian_banks.banks_id[${i}]`),
          )
        }
      }
    }
    const banks = ids ? BANKS.filter((b) => ids!.includes(b.id)) : [...BANKS]

    const existing = paymentOf(merchant.id, paymentId)
    if (existing) {
      if (existing.kind === 'sale' && dataOf(existing).channel === 'page' && existing.status === 'pending')
        return c.redirect(`/payment/bank/${dataOf(existing).operationId}`, 303)
      return fail(
        '3041',
        `payment_id "${paymentId}" was already used in project ${merchant.id}; payment ids are unique within a project`,
        409,
      )
    }
    if (!(await reservePayment(c, merchant.id, paymentId)))
      return fail('3041', `payment_id "${paymentId}" is being opened by another request in project ${merchant.id}`, 409)

    const open = (bank: number | undefined) => {
      const request = {
        general: { project_id: Number(merchant.id), payment_id: paymentId },
        payment: { amount, currency: CURRENCY, description: params.payment_description ?? '' },
        customer: { id: params.customer_id, phone: params.customer_phone },
        account: bank ? { bank_id: bank } : undefined,
        page: params,
      }
      const decision = port.decide(c, {
        operation: 'sale',
        merchant: merchant.id,
        reference: paymentId,
        amount,
        currency: CURRENCY,
        customer: customerMode(merchant),
        request,
      })
      return port.respond(c, decision, async () => {
        const tx = await openSale(c, merchant, decision, {
          paymentId,
          amount,
          currency: CURRENCY,
          data: {
            channel: 'page',
            requestId: newRequestId(merchant.id, paymentId),
            description: params.payment_description ?? '',
            customer: params.customer_phone
              ? { id: params.customer_id, phone: params.customer_phone }
              : { id: params.customer_id },
            bankId: bank,
            returnUrls: {
              success: params.redirect_success_url || params.merchant_success_url || undefined,
              decline: params.redirect_fail_url || params.merchant_fail_url || undefined,
              return: params.merchant_return_url || undefined,
            },
            callbackUrl: params.merchant_callback_url || undefined,
            ...(pageMissing.length ? { clarification: { fields: pageMissing, awaiting: false, answers } } : {}),
          },
        })
        return c.redirect(`/payment/bank/${dataOf(tx).operationId}`, 303)
      })
    }

    // Clarification on the page: the project's clarificationFields the query lacks are asked of
    // the customer in input fields, sent with the bank choice (seed 002 l.201).
    const pageMissing = missingCustomerFields(merchant, customerParams(params))
    const form: Record<string, unknown> =
      c.req.method === 'POST' ? await c.req.parseBody().catch(() => ({}) as Record<string, unknown>) : {}
    const answers = pageAnswers(pageMissing, form)
    const stillMissing = pageMissing.filter((f) => !answers[f])
    if (c.req.method === 'POST' && stillMissing.length) {
      c.get('journal')?.notes.push(
        `the page asked the customer for ${stillMissing.map((f) => `customer_${f}`).join(', ')} (clarificationFields) and the form lacks them`,
      )
      return choicePage(`Fill in ${stillMissing.map((f) => FIELD_LABELS[f] ?? f).join(', ')}.`, 400)
    }
    if (c.req.method === 'POST') {
      const chosen = form.bank_id
      if (chosen === undefined || chosen === '') return open(ids && ids.length === 1 ? ids[0] : undefined)
      const bank = bankId(chosen, 'bank_id')
      if (!banks.some((b) => b.id === bank))
        throw new Refusal('2801', `bank ${bank} is not offered on this page (banks_id)`)
      return open(bank)
    }
    if (force === METHOD_CODE && ids && banks.length === 1 && pageMissing.length === 0) {
      c.get('journal')?.notes.push(
        `force_payment_method=${METHOD_CODE} with one bank in banks_id: the customer goes straight to bank ${banks[0].id} (${banks[0].name})`,
      )
      return open(banks[0].id)
    }

    return choicePage()

    function choicePage(notice?: string, status: 200 | 400 = 200) {
      const eachBank = force === METHOD_CODE || split || ids !== undefined
      const title = force === METHOD_CODE ? 'Choose your bank' : 'Choose a payment method'
      return c.html(
        page(
          title,
          html`${facts([
              ['Project', merchant!.id],
              ['Payment ID', paymentId],
              ['Amount', money(amount, CURRENCY)],
              ['Description', params.payment_description],
            ])}
            ${notice ? html`<p id="notice">${notice}</p>` : ''}
            <form method="post" action="${url.pathname + url.search}">
              ${clarificationInputs(pageMissing, answers)}
              ${
                eachBank
                  ? banks.map(
                      (b) =>
                        html`<button type="submit" name="bank_id" value="${b.id}" id="bank-${b.id}" class="plain">
                          ${b.name}
                        </button> `,
                    )
                  : html`<button type="submit" name="bank_id" value="" id="method-${METHOD_CODE}" class="primary">
                      Banks of India
                    </button>`
              }
            </form>`,
          'ECommPay Payment Page',
        ),
        status,
      )
    }
  }

  return app
}
