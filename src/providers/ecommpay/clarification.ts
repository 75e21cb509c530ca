import { html } from 'hono/html'
import type { Merchant } from '../../engine/types.js'

/**
 * Clarification ("Submission of additional payment information", seed 002 l.193–201 and
 * l.447–458): when a purchase lacks customer fields the provider needs, the Gate sends a callback
 * with status `awaiting clarification` listing them in `clarification_fields`, and the merchant
 * answers with `POST /v2/payment/clarification` carrying `additional_data`; the Payment Page
 * instead shows input fields for them to the customer.
 *
 * Which fields the provider needs is per provider ("Depending on the provider processing the
 * payment"), so it is the project setting `clarificationFields` (sandbox decision): none by
 * default, any of the seven the seed lists.
 *
 * @example
 * // PATCH /_sandbox/merchants/ecommpay/112 {"clarificationFields":["first_name","last_name","email"]}
 * missingCustomerFields(merchant, { first_name: 'John' }) // ['last_name', 'email']
 */
const CLARIFIABLE_FIELDS = ['first_name', 'last_name', 'phone', 'email', 'zip', 'city', 'address'] as const
export type ClarifiableField = (typeof CLARIFIABLE_FIELDS)[number]

/** What a sale keeps about its clarification. */
export interface Clarification {
  /** Customer fields that were missing (Gate: `customer.<name>`; Payment Page: `customer_<name>`). */
  fields: string[]
  /** True while the Gate waits for `POST /v2/payment/clarification`. */
  awaiting: boolean
  /** The values the merchant (Gate) or the customer (Payment Page) supplied. */
  answers?: Record<string, string>
}

export const clarificationOf = (tx: { data: { clarification?: Clarification } }): Clarification | undefined =>
  tx.data.clarification

/** The project's `clarificationFields` the request does not carry (empty values count as missing). */
export function missingCustomerFields(
  merchant: { clarificationFields?: string[] },
  provided: Record<string, unknown>,
): string[] {
  const wanted = merchant.clarificationFields ?? []
  return wanted.filter((f) => typeof provided[f] !== 'string' || (provided[f] as string).trim() === '')
}

/**
 * The callback's `clarification_fields`: the missing fields grouped by object, as a JSON Schema
 * object (sandbox decision: the seed names the list, not its shape; ECommPay's SDKs read the key
 * `clarification_fields`).
 *
 * @example
 * clarificationFieldsBody(['first_name', 'zip'])
 * // { customer: { type: 'object', properties: { first_name: { type: 'string' }, zip: { type: 'string' } }, required: ['first_name', 'zip'] } }
 */
export function clarificationFieldsBody(fields: string[]): Record<string, unknown> {
  return {
    customer: {
      type: 'object',
      properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' }])),
      required: [...fields],
    },
  }
}

/**
 * Reads the answer to a clarification: `additional_data.customer.<field>` for every missing
 * field. Returns the values, or the plain-words problem.
 */
export function readClarificationAnswer(
  body: Record<string, unknown>,
  fields: string[],
): { answers: Record<string, string> } | { problem: string; code: '2004' | '502' } {
  const additional = body.additional_data
  if (typeof additional !== 'object' || additional === null || Array.isArray(additional))
    return {
      code: '2004',
      problem: `"additional_data" is required: an object with the requested fields, e.g. {"customer":{${fields.map((f) => `"${f}":"…"`).join(',')}}}`,
    }
  const customer = (additional as Record<string, unknown>).customer
  if (typeof customer !== 'object' || customer === null || Array.isArray(customer))
    return {
      code: '2004',
      problem: '"additional_data.customer" is required: the clarification asked for customer fields',
    }
  const answers: Record<string, string> = {}
  for (const f of fields) {
    const v = (customer as Record<string, unknown>)[f]
    if (v === undefined || v === null || v === '')
      return { code: '2004', problem: `"additional_data.customer.${f}" is required (clarification_fields lists it)` }
    if (typeof v !== 'string' || v.length > 255)
      return { code: '502', problem: `"additional_data.customer.${f}" must be text of at most 255 characters` }
    answers[f] = v
  }
  return { answers }
}

/** Problems with `clarificationFields`, for the provider's `checkMerchant`. */
export function checkClarificationFields(m: Merchant): string[] {
  const v = m.clarificationFields
  if (v === undefined) return []
  if (!Array.isArray(v) || !v.every((f) => (CLARIFIABLE_FIELDS as readonly string[]).includes(f)))
    return [`clarificationFields must be a list of ${CLARIFIABLE_FIELDS.join(', ')}`]
  return []
}

/** Labels of the Payment Page's extra input fields. */
export const FIELD_LABELS: Record<string, string> = {
  first_name: 'First name',
  last_name: 'Last name',
  phone: 'Phone',
  email: 'Email',
  zip: 'Postal code',
  city: 'City',
  address: 'Address',
}

/** The Payment Page query's `customer_<field>` parameters as `{ <field>: value }`. */
export function customerParams(params: Record<string, string | undefined>): Record<string, unknown> {
  return Object.fromEntries(CLARIFIABLE_FIELDS.map((f) => [f, params[`customer_${f}`]]))
}

/** The customer's answers in the page's form (`customer_<field>` inputs), trimmed, empty ones left out. */
export function pageAnswers(fields: string[], form: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of fields) {
    const v = form[`customer_${f}`]
    if (typeof v === 'string' && v.trim() !== '') out[f] = v.trim().slice(0, 255)
  }
  return out
}

/** The Payment Page's extra fields: one required text input per missing field, named `customer_<field>`. */
export function clarificationInputs(fields: string[], answers: Record<string, string>) {
  if (!fields.length) return ''
  return html`<fieldset id="clarification">
    <legend>Additional information</legend>
    ${fields.map(
      (f) =>
        html`<p>
          <label for="customer_${f}">${FIELD_LABELS[f] ?? f}</label><br />
          <input id="customer_${f}" name="customer_${f}" type="text" required value="${answers[f] ?? ''}" />
        </p>`,
    )}
  </fieldset>`
}
