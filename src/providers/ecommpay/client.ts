/**
 * Merchant-side ECommPay helpers for test code: sign Gate requests and Payment Page URLs, and
 * verify callbacks, exactly as ECommPay's official SDKs do (proven by `vectors/ecommpay.json` and
 * research §1.4). A thin layer over `./crypto.js`, `./signature.js` and `./payment-page-url.js`.
 *
 * @example
 * import { ecommpay } from 'psp-sandbox/client'
 * const res = await fetch(ecommpay.gateRequest('http://localhost:8080', '/v2/payment/banks/india/payout', body))
 * const ok = ecommpay.verifyCallback(callbackText) // default test project's secret
 */
import { signCallback, signGateRequest, verifyCallback } from './crypto.js'
import {
  buildPaymentPageUrl,
  signPaymentPageParams,
  type PaymentPageParamValue,
  type PaymentPageUrlOptions,
} from './payment-page-url.js'
import type { SignatureVerdict } from './signature-check.js'
import { computeSignature, signatureBaseString } from './signature.js'
import { DEFAULT_PROJECT } from './index.js'

/** A Gate request body: `general` plus the operation's objects. */
export type GateBody = { general: object; [member: string]: unknown }

export const ecommpay = {
  /** The sandbox's default test project (ECommPay's public plug-in test project). */
  project: { id: 112, secretKey: DEFAULT_PROJECT.secretKey },

  /**
   * Base64(HMAC-SHA512) over the flattened, sorted data; signs exactly what it is given.
   *
   * @example
   * ecommpay.sign({ payment: { id: '000049', status: 'success' } }, 'secret')
   * // → '/3TrhHVz9BHaLfgLyhoxO7dsQNzbzZa/TdO3pxQocXWwgVM6tGlzMLVfpOxFNTnkR9iiFVK/77ZedMcbkCjmng=='
   */
  sign: computeSignature,

  /**
   * The string that is signed: `path:value` lines, sorted, joined with `;`.
   *
   * @example
   * ecommpay.baseString({ general: { project_id: 112, payment_id: 'P1' } }) // 'general:payment_id:P1;general:project_id:112'
   */
  baseString: signatureBaseString,

  /**
   * A copy of a Gate body with `general.signature` set.
   *
   * @example
   * const body = ecommpay.signGateRequest({ general: { project_id: 112, payment_id: 'P1' }, payment: { amount: 150000, currency: 'INR' } })
   */
  signGateRequest<T extends { general: object }>(body: T, secret: string = DEFAULT_PROJECT.secretKey) {
    return signGateRequest(body, secret)
  },

  /**
   * A signed Gate request (`POST`, `Content-Type: application/json`) to `baseUrl + path`.
   *
   * @example
   * await sandbox.fetch(ecommpay.gateRequest('http://localhost', '/v2/payment/status', { general: { project_id: 112, payment_id: 'P1' } }))
   */
  gateRequest(baseUrl: string, path: string, body: GateBody, secret: string = DEFAULT_PROJECT.secretKey): Request {
    return new Request(`${baseUrl.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(signGateRequest(body, secret)),
    })
  },

  /**
   * A signed Payment Page URL, as the official SDKs build it (`baseUrl` defaults to
   * `https://paymentpage.ecommpay.com`; point it at the sandbox).
   *
   * @example
   * ecommpay.paymentPageUrl({ project_id: 112, payment_id: 'X1', payment_amount: 200000, payment_currency: 'INR', customer_id: 'c1' }, undefined, { baseUrl: 'http://localhost:8080' })
   */
  paymentPageUrl(
    params: Readonly<Record<string, PaymentPageParamValue>>,
    secret: string = DEFAULT_PROJECT.secretKey,
    options?: PaymentPageUrlOptions,
  ): string {
    return buildPaymentPageUrl(params, secret, options)
  },

  /** The `signature` parameter for Payment Page parameters. */
  signPaymentPageParams,

  /**
   * Signs a callback-shaped body (top-level `signature`, last), e.g. to test a merchant handler.
   *
   * @example
   * const body = ecommpay.signCallback({ project_id: 112, payment: { id: 'P1', status: 'success' } })
   */
  signCallback<T extends object>(body: T, secret: string = DEFAULT_PROJECT.secretKey) {
    return signCallback(body, secret)
  },

  /**
   * Checks a callback's signature (raw JSON text or parsed body) as the official SDKs' `Callback`
   * classes do.
   *
   * @example
   * if (!ecommpay.verifyCallback(await req.text())) return new Response('bad signature', { status: 400 })
   */
  verifyCallback(body: string | object, secret: string = DEFAULT_PROJECT.secretKey): boolean {
    return ecommpay.checkCallback(body, secret).valid
  },

  /**
   * The full verdict, with a plain-words explanation when the signature does not match.
   *
   * @example
   * ecommpay.checkCallback(text).explanation
   */
  checkCallback(body: string | object, secret: string = DEFAULT_PROJECT.secretKey): SignatureVerdict {
    let parsed: unknown = body
    if (typeof body === 'string') {
      try {
        parsed = JSON.parse(body)
      } catch {
        parsed = body
      }
    }
    return verifyCallback(parsed, secret)
  },
}
