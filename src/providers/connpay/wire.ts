/**
 * ConnPay (PaynetEasy platform) wire format: how the gateway writes its answers and how it reads
 * request bodies.
 *
 * Answers are HTTP 200 `Content-Type: text/html;charset=utf-8` whose body is form-encoded pairs,
 * each value followed by a line feed and the next pair starting with `&`:
 *
 * ```
 * type=async-response\n&serial-number=00000000-0000-0000-0000-000002e2c322\n&merchant-order-id=1\n...
 * ```
 *
 * No line feed follows the last value: the seed's example declares `Content-Length: 137`, which
 * is exactly the pairs joined by `"\n&"`. Values are encoded as Java's `URLEncoder` does (space as
 * `+`, `A-Z a-z 0-9 . - * _` kept, every other UTF-8 byte `%XX` upper case), as observed in real
 * PaynetEasy-platform answers (research/paynet.md §4.4).
 *
 * A request the gateway refuses for its signature gets HTTP 403 with {@link ACCESS_DENIED_HTML}.
 */
import { formDecode, type FormPair } from '../../wire/oauth1/index.js'

export type { FormPair } from '../../wire/oauth1/index.js'

// ---------------------------------------------------------------------------------------------
// Constants from the seed (seeds/003_d7bfa93757572c78.txt)

/** `Content-Type` of every API answer (seed: success example). */
export const RESPONSE_CONTENT_TYPE = 'text/html;charset=utf-8'

/**
 * The other headers of the seed's success example, in order (`Date`, `Content-Length` and
 * `Connection` left to the server). `Strict-Transport-Security` really is sent twice.
 */
export const RESPONSE_HEADERS: readonly FormPair[] = [
  ['Server', 'server'],
  ['Vary', 'Accept-Encoding'],
  ['X-XSS-Protection', '1'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Strict-Transport-Security', 'max-age=31536000'],
  ['Content-Language', 'en-US'],
  ['Strict-Transport-Security', 'max-age=31536000'],
]

/** HTTP status of the "Access is denied" page (bad or missing OAuth signature). */
export const ACCESS_DENIED_STATUS = 403

/** `Content-Type` of the "Access is denied" page (seed: fail example, no charset). */
export const ACCESS_DENIED_CONTENT_TYPE = 'text/html'

/** The other headers of the seed's 403 example, in order (`Date`, `Content-Length`, `Connection` left out). */
export const ACCESS_DENIED_HEADERS: readonly FormPair[] = [
  ['Server', 'server'],
  ['X-XSS-Protection', '1'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Strict-Transport-Security', 'max-age=31536000'],
]

/**
 * The body of the seed's 403 "Access is denied" page, byte for byte as the seed prints it: LF line
 * endings, a final LF, no indentation (517 bytes). The seed's headers declare
 * `Content-Length: 735`, so the live page carries ~218 more bytes of whitespace the document lost;
 * always send the real length of this string.
 */
export const ACCESS_DENIED_HTML =
  '<!DOCTYPE html>\n' +
  '<html>\n' +
  '<head>\n' +
  '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>\n' +
  '<title>403</title>\n' +
  '<style type="text/css">\n' +
  'body {\n' +
  'font-family: Arial, sans-serif;\n' +
  'font-size: 130%;\n' +
  'background-color: #eee;\n' +
  '}\n' +
  'p {\n' +
  'margin: 10em auto 0;\n' +
  'width: 500px;\n' +
  'border: 1px solid gray;\n' +
  'text-align: center;\n' +
  'vertical-align: middle;\n' +
  'padding: 40px 20px;\n' +
  'background-color: #fff;\n' +
  '-webkit-border-radius: 20px;\n' +
  '-moz-border-radius: 20px;\n' +
  'border-radius: 20px;\n' +
  '}\n' +
  '</style>\n' +
  '</head>\n' +
  '<body>\n' +
  '<p>Access is denied</p>\n' +
  '</body>\n' +
  '</html>\n'

// ---------------------------------------------------------------------------------------------
// Encoding answers

const UTF8_ENCODER = new TextEncoder()
const HEX = '0123456789ABCDEF'

function keptByJavaUrlEncoder(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x2e || // .
    b === 0x2d || // -
    b === 0x2a || // *
    b === 0x5f // _
  )
}

/**
 * Encodes one name or value as the gateway does (Java `URLEncoder.encode(s, "UTF-8")`): space
 * becomes `+`, `A-Z a-z 0-9 . - * _` stay, every other UTF-8 byte becomes `%XX` (upper-case hex;
 * so `~` is `%7E`, `!` is `%21`).
 *
 * @example
 * encodeValue('2024-03-20 08:51:03 MSK'); // '2024-03-20+08%3A51%3A03+MSK'
 * encodeValue('john.smith@gmail.com');    // 'john.smith%40gmail.com'
 */
export function encodeValue(value: string): string {
  let out = ''
  for (const b of UTF8_ENCODER.encode(value)) {
    if (keptByJavaUrlEncoder(b)) out += String.fromCharCode(b)
    else if (b === 0x20) out += '+'
    else out += '%' + HEX[b >> 4] + HEX[b & 15]
  }
  return out
}

/** Answer fields: ordered pairs, or an object (insertion order). `undefined`/`null` values are left out. */
export type ResponseFields =
  | Iterable<readonly [string, string | number | bigint | null | undefined]>
  | Readonly<Record<string, string | number | bigint | null | undefined>>

function fieldList(fields: ResponseFields): Array<readonly [string, string]> {
  const entries: Iterable<readonly [string, unknown]> =
    Symbol.iterator in (fields as object)
      ? (fields as Iterable<readonly [string, unknown]>)
      : Object.entries(fields as Record<string, unknown>)
  const out: Array<readonly [string, string]> = []
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue
    out.push([name, String(value)])
  }
  return out
}

/**
 * Renders an answer body: `name=value` pairs (names and values {@link encodeValue}d) joined by
 * `"\n&"`, so each value but the last is followed by LF and each pair after the first starts
 * with `&`. Send it with `Content-Type: text/html;charset=utf-8` ({@link RESPONSE_CONTENT_TYPE}).
 *
 * @example
 * encodeResponse([['type', 'validation-error'], ['error-message', 'Parameter amount is required']]);
 * // 'type=validation-error\n&error-message=Parameter+amount+is+required'
 */
export function encodeResponse(fields: ResponseFields): string {
  return fieldList(fields)
    .map(([name, value]) => `${encodeValue(name)}=${encodeValue(value)}`)
    .join('\n&')
}

/** Fields of an `async-response` (payout, payout-by-ref, payout-pay, return ... accepted). */
export interface AsyncResponse {
  /** `serial-number`, see {@link formatSerialNumber}. */
  readonly serialNumber: string
  /** `merchant-order-id`: the merchant's `client_orderid`. */
  readonly merchantOrderId: string
  /** `paynet-order-id`: the gateway's order id (a plain increasing integer). */
  readonly paynetOrderId: string | number
  /** `end-point-id`: the endpoint that took the request (for a group URL: the endpoint chosen). */
  readonly endPointId: string | number
}

/**
 * The `async-response` answer, fields in the seed's order: `type, serial-number,
 * merchant-order-id, paynet-order-id, end-point-id`.
 *
 * @example
 * renderAsyncResponse({ serialNumber: '00000000-0000-0000-0000-000002e2c322', merchantOrderId: '1',
 *   paynetOrderId: 6982864, endPointId: 39915 });
 * // 'type=async-response\n&serial-number=00000000-0000-0000-0000-000002e2c322\n&merchant-order-id=1\n&paynet-order-id=6982864\n&end-point-id=39915'
 */
export function renderAsyncResponse(r: AsyncResponse): string {
  return encodeResponse([
    ['type', 'async-response'],
    ['serial-number', r.serialNumber],
    ['merchant-order-id', r.merchantOrderId],
    ['paynet-order-id', r.paynetOrderId],
    ['end-point-id', r.endPointId],
  ])
}

/** Fields of a `validation-error` or `error` answer. */
export interface ErrorResponse {
  readonly type: 'validation-error' | 'error'
  /** `serial-number`; left out of answers given before any route ran (generic problems). */
  readonly serialNumber?: string | undefined
  /** `merchant-order-id`; left out when the request had no `client_orderid`. */
  readonly merchantOrderId?: string | undefined
  /** `paynet-order-id`, only when an order was created before the error. */
  readonly paynetOrderId?: string | number | undefined
  /** `error-message`, e.g. `Parameter credit_card_number is required`. */
  readonly errorMessage: string
  /** `error-code`, numeric, e.g. `1` for a missing parameter. */
  readonly errorCode: string | number
}

/**
 * A `validation-error` / `error` answer, fields in the order of PaynetEasy's PHP library test
 * (`type, serial-number, merchant-order-id, error-message, error-code`; `paynet-order-id` after
 * `merchant-order-id` when given).
 *
 * @example
 * renderErrorResponse({ type: 'validation-error', serialNumber: '00000000-0000-0000-0000-000002231f99',
 *   merchantOrderId: '2121', errorMessage: 'Parameter credit_card_number is required', errorCode: 1 });
 * // 'type=validation-error\n&serial-number=…\n&merchant-order-id=2121\n&error-message=Parameter+credit_card_number+is+required\n&error-code=1'
 */
export function renderErrorResponse(r: ErrorResponse): string {
  return encodeResponse([
    ['type', r.type],
    ['serial-number', r.serialNumber],
    ['merchant-order-id', r.merchantOrderId],
    ['paynet-order-id', r.paynetOrderId],
    ['error-message', r.errorMessage],
    ['error-code', r.errorCode],
  ])
}

/** Fields of a `status-response`. */
export interface StatusResponse {
  readonly serialNumber: string
  readonly merchantOrderId: string
  readonly paynetOrderId: string | number
  /** `approved`, `declined`, `error`, `filtered`, `processing`, `unknown`, `chain_declined`. */
  readonly status: string
  /** Major units as the merchant sent it, e.g. `10.42`. */
  readonly amount: string
  readonly currency: string
  /**
   * Further fields in the order to send them, e.g. `transaction-type`, `paynet-processing-date`,
   * `error-message`, `error-code`, `merchantdata`.
   */
  readonly more?: ResponseFields
}

/**
 * A `status-response` answer: `type, serial-number, merchant-order-id, paynet-order-id, status,
 * amount, currency` (order observed on a PaynetEasy-platform sandbox), then `more`.
 *
 * @example
 * renderStatusResponse({ serialNumber: formatSerialNumber(2), merchantOrderId: 'ORD-1', paynetOrderId: 6982864,
 *   status: 'approved', amount: '10.42', currency: 'USD', more: [['transaction-type', 'payout']] });
 */
export function renderStatusResponse(r: StatusResponse): string {
  const head = encodeResponse([
    ['type', 'status-response'],
    ['serial-number', r.serialNumber],
    ['merchant-order-id', r.merchantOrderId],
    ['paynet-order-id', r.paynetOrderId],
    ['status', r.status],
    ['amount', r.amount],
    ['currency', r.currency],
  ])
  const tail = r.more === undefined ? '' : encodeResponse(r.more)
  return tail === '' ? head : `${head}\n&${tail}`
}

/**
 * A `serial-number`: UUID-shaped, zeros then the counter as 12 lower-case hex digits
 * (e.g. `00000000-0000-0000-0000-000002e2c322`).
 *
 * @example
 * formatSerialNumber(0x2e2c322); // '00000000-0000-0000-0000-000002e2c322'
 */
export function formatSerialNumber(counter: number | bigint): string {
  const n = BigInt(counter)
  if (n < 0n || n >= 1n << 48n) {
    throw new RangeError(`A serial-number counter must be between 0 and 2^48-1, got ${counter}.`)
  }
  return `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`
}

/**
 * `paynet-processing-date`: `YYYY-MM-DD HH:MM:SS MSK`, Moscow time (UTC+3, no daylight saving).
 *
 * @example
 * formatProcessingDate(new Date('2024-03-20T05:51:03Z')); // '2024-03-20 08:51:03 MSK'
 */
export function formatProcessingDate(date: Date): string {
  const msk = new Date(date.getTime() + 3 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return (
    `${msk.getUTCFullYear()}-${p(msk.getUTCMonth() + 1)}-${p(msk.getUTCDate())} ` +
    `${p(msk.getUTCHours())}:${p(msk.getUTCMinutes())}:${p(msk.getUTCSeconds())} MSK`
  )
}

/**
 * Appends fields to a URL's query string (for the GET callback to `server_callback_url`): values
 * {@link encodeValue}d, pairs joined by `&`; a URL that already has a query keeps it and gets
 * `&` before the new pairs; a fragment stays last.
 *
 * @example
 * appendQuery('https://shop.example/cb?key=1', [['status', 'approved'], ['orderid', '6982864']]);
 * // 'https://shop.example/cb?key=1&status=approved&orderid=6982864'
 */
export function appendQuery(url: string, fields: ResponseFields): string {
  const query = fieldList(fields)
    .map(([name, value]) => `${encodeValue(name)}=${encodeValue(value)}`)
    .join('&')
  if (query === '') return url
  const hashAt = url.indexOf('#')
  const base = hashAt < 0 ? url : url.slice(0, hashAt)
  const fragment = hashAt < 0 ? '' : url.slice(hashAt)
  const joiner = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&'
  return `${base}${joiner}${query}${fragment}`
}

// ---------------------------------------------------------------------------------------------
// Reading bodies

/** The result of {@link parseForm}. */
export interface ParsedForm {
  /** Every pair in body order, names and values trimmed; duplicates kept. */
  readonly pairs: readonly FormPair[]
  /** First value of each name (the gateway's servlet reads the first); null prototype. */
  readonly fields: Readonly<Record<string, string>>
  /** Oddities that were tolerated, in words (for the journal). */
  readonly notes: readonly string[]
}

/**
 * Reads a request body (or an answer) the tolerant way the gateway does: `application/x-www-form-urlencoded`
 * with `+` and `%20` both as space, leading/trailing whitespace of names and values trimmed (the
 * gateway trims values, so the line-broken bodies of the documentation — `a=1\n&b=2` — work), a
 * UTF-8 byte-order mark ignored, a bad `%` escape kept literally, empty pairs skipped. Also reads
 * the gateway's own answers (`\n&`-separated). For the exact values the signature covers, see
 * `collectSignatureParameters` in `crypto.ts`.
 *
 * @example
 * const form = parseForm('client_orderid=ORD-1\n&amount=10.42\n&order_desc=Payout+to%20bank');
 * form.fields.order_desc; // 'Payout to bank'
 * form.pairs;             // [['client_orderid','ORD-1'], ['amount','10.42'], ['order_desc','Payout to bank']]
 */
export function parseForm(body: string | Uint8Array | ArrayBuffer): ParsedForm {
  const notes: string[] = []
  let text = typeof body === 'string' ? body : new TextDecoder('utf-8', { ignoreBOM: true }).decode(body)
  if (text.charCodeAt(0) === 0xfeff) {
    // Stryker disable next-line MethodExpression: the first name is trimmed below, and trim() drops U+FEFF too
    text = text.slice(1)
    notes.push('The body starts with a UTF-8 byte-order mark; it was ignored.')
  }
  if (/[\r\n]/.test(text)) notes.push('The body has line breaks between pairs; they were ignored.')
  const badEscapes = text.match(/%(?![0-9A-Fa-f]{2})/g)?.length ?? 0
  if (badEscapes > 0) {
    notes.push(
      `The body has ${badEscapes} "%" sign(s) not followed by two hex digits; read literally. Encode "%" as %25.`,
    )
  }
  const pairs: FormPair[] = []
  const fields: Record<string, string> = Object.create(null) as Record<string, string>
  const repeated = new Set<string>()
  for (const [rawName, rawValue] of formDecode(text)) {
    const name = rawName.trim()
    const value = rawValue.trim()
    if (name === '' && value === '') continue
    if (name === '') {
      notes.push(`A value without a name ("${value.slice(0, 30)}") was ignored.`)
      continue
    }
    pairs.push([name, value])
    if (name in fields) repeated.add(name)
    else fields[name] = value
  }
  for (const name of repeated) notes.push(`"${name}" appears more than once; the first value counts.`)
  return { pairs, fields, notes }
}
