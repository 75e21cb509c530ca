import { answerText } from '../../engine/http.js'
import { Refusal, type RefusalFormat } from '../kit/refusal.js'
import {
  ACCESS_DENIED_CONTENT_TYPE,
  ACCESS_DENIED_HEADERS,
  ACCESS_DENIED_HTML,
  ACCESS_DENIED_STATUS,
  RESPONSE_CONTENT_TYPE,
  RESPONSE_HEADERS,
  renderErrorResponse,
} from './wire.js'

/** How a refusal is answered: the 403 page, or an error answer with its `error-code`. */
export type ErrorDetail =
  { type: 'access-denied' } | { type: 'validation-error' | 'error'; errorCode: number; merchantOrderId?: string }

/** A ConnPay refusal: `code` is the answer's `error-message` (or the 403 page's title). */
export type ConnPayRefusal = Refusal<string, ErrorDetail>

/**
 * A `validation-error` / `error` answer with `error-message` and `error-code`; `why` goes to the
 * journal, `status` is HTTP 200 unless told (the gateway answers errors with 200).
 *
 * @example
 * throw refusal('validation-error', 'Parameter login is required', ERROR_CODES.validation, 'login is missing')
 */
export function refusal(
  type: 'validation-error' | 'error',
  message: string,
  errorCode: number,
  why: string,
  merchantOrderId?: string,
  status?: number,
): ConnPayRefusal {
  return new Refusal(message, why, { status, detail: { type, errorCode, merchantOrderId } })
}

/** The 403 "Access is denied" page; `note` (if any) goes to the journal. */
export function denied(note = ''): ConnPayRefusal {
  return new Refusal('Access is denied', note, { status: 403, detail: { type: 'access-denied' } })
}

/**
 * Every ConnPay refusal: the seed's 403 "Access is denied" page, or a `validation-error` /
 * `error` answer. With `serials` (the routes' counter), an answer carries the next
 * `serial-number` and is sent once the counter is durable; without (generic problems, answered
 * before any route ran), it has none, as the gateway's own.
 *
 * @example
 * const app = providerApp(connpayErrors({ next: nextSerial, commit: () => port.commit() }))
 */
export function connpayErrors(serials?: { next(): string; commit(): Promise<void> }): RefusalFormat<ConnPayRefusal> {
  return {
    async render(_c, r) {
      const d = r.detail!
      if (d.type === 'access-denied') return accessDenied()
      const body = renderErrorResponse({
        type: d.type,
        serialNumber: serials?.next(),
        merchantOrderId: d.merchantOrderId,
        errorMessage: r.code,
        errorCode: d.errorCode,
      })
      await serials?.commit()
      return formAnswer(body, r.status)
    },
    note: (r) =>
      r.detail!.type === 'access-denied'
        ? r.why
        : `${r.detail!.type} (error-code ${r.detail!.errorCode}) "${r.code}": ${r.why}`,
  }
}

/** A form-encoded answer with the seed's headers (HTTP 200 unless told). */
export function formAnswer(body: string, status = 200): Response {
  const headers = new Headers()
  for (const [name, value] of RESPONSE_HEADERS) headers.append(name, value)
  headers.set('Content-Type', RESPONSE_CONTENT_TYPE)
  return answerText(new Response(body, { status, headers }), body)
}

/** The seed's 403 "Access is denied" page, byte for byte, with its headers. */
function accessDenied(): Response {
  const headers = new Headers()
  for (const [name, value] of ACCESS_DENIED_HEADERS) headers.append(name, value)
  headers.set('Content-Type', ACCESS_DENIED_CONTENT_TYPE)
  return answerText(new Response(ACCESS_DENIED_HTML, { status: ACCESS_DENIED_STATUS, headers }), ACCESS_DENIED_HTML)
}
