/**
 * The Payment Page URL: its parameters are signed like any ECommPay data (the `signature` query
 * parameter over the other decoded parameters); building, parsing and verifying it.
 */
import {
  type VerifyOptions,
  type SignatureVerdict,
  type DataVariant,
  type Trial,
  secretLabelOf,
  verifySubject,
} from './signature-check.js'
import { computeSignature, omitKey, signatureBaseString } from './signature.js'

/** Where ECommPay's hosted Payment Page lives; `buildPaymentPageUrl` appends `/payment?…`. */
const PAYMENT_PAGE_BASE_URL = 'https://paymentpage.ecommpay.com'

/** A parameter value of a Payment Page URL. Booleans are written and signed as `1` / `0`. */
export type PaymentPageParamValue = string | number | bigint | boolean

/** Options for {@link buildPaymentPageUrl}. */
export interface PaymentPageUrlOptions {
  /** Scheme and host (no path); default {@link PAYMENT_PAGE_BASE_URL}. */
  baseUrl?: string
  /**
   * How values are percent-encoded: `uri-component` = `encodeURIComponent`, as the JS SDK does
   * (space → `%20`); `form` = PHP `http_build_query`/`urlencode` (space → `+`, everything but
   * letters, digits and `-_.` as `%XX`). Default `uri-component`.
   */
  encoding?: 'uri-component' | 'form'
}

// ---------------------------------------------------------------------------------------------
// Payment Page
// ---------------------------------------------------------------------------------------------

function paramText(value: PaymentPageParamValue): string {
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`Cannot put ${String(value)} in a Payment Page URL: use a finite integer.`)
  }
  return String(value)
}

/** The parameters the sandbox signs: all but `signature` and `_`-prefixed ones (added after signing by plug-ins). */
function pageParamsToSign(params: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'signature' && !k.startsWith('_')))
}

/**
 * The signature for Payment Page parameters: over every parameter except `signature`,
 * `frame_mode` and names starting with `_`, as strings (booleans as `1`/`0`).
 *
 * @example
 * signPaymentPageParams({ project_id: 100, interface_type: '{"id":23}', payment_id: 'test payment id', payment_description: 'B&W' }, 'secret')
 * // → '97JFQpAyJ4HPfGVedJh0M1MqQDOFt/MCbdh8VrsT7DdRyTBDAF2mvUOsDANx1ZPfbvZg0+VUbF43xJnq0jEeLA=='
 */
export function signPaymentPageParams(params: Readonly<Record<string, PaymentPageParamValue>>, secret: string): string {
  const asText = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, paramText(v)]))
  return computeSignature(pageParamsToSign(asText), secret)
}

const FORM_SAFE = /[A-Za-z0-9\-_.]/

/** PHP `urlencode`: letters, digits and `-_.` kept, space → `+`, every other UTF-8 byte → `%XX`. */
function formEncode(value: string): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte)
    if (FORM_SAFE.test(ch))
      out += ch // a UTF-8 byte from 0x80 up is a character FORM_SAFE does not list
    else if (byte === 0x20) out += '+'
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/**
 * A signed Payment Page URL: `<baseUrl>/payment?<params in the given order>&signature=<encoded>`,
 * the way the official SDKs build it. Booleans are written as `1`/`0`; a `signature` entry in
 * `params` is ignored.
 *
 * @example
 * buildPaymentPageUrl({ project_id: 112, payment_id: 'X03936', payment_amount: 200000, payment_currency: 'INR', customer_id: 'c1' }, secret)
 * // → 'https://paymentpage.ecommpay.com/payment?project_id=112&payment_id=X03936&…&signature=…%3D%3D'
 */
export function buildPaymentPageUrl(
  params: Readonly<Record<string, PaymentPageParamValue>>,
  secret: string,
  options: PaymentPageUrlOptions = {},
): string {
  const encode = (options.encoding ?? 'uri-component') === 'form' ? formEncode : encodeURIComponent
  const baseUrl = (options.baseUrl ?? PAYMENT_PAGE_BASE_URL).replace(/\/+$/, '')
  const entries = Object.entries(params).filter(([k]) => k !== 'signature')
  const query = entries.map(([k, v]) => `${encode(k)}=${encode(paramText(v))}`).join('&')
  const signature = signPaymentPageParams(Object.fromEntries(entries), secret)
  return `${baseUrl}/payment?${query}${query ? '&' : ''}signature=${encode(signature)}`
}

/** The query part of a URL, a query string (with or without `?`), or URLSearchParams, as raw text. */
function rawQueryOf(input: string | URL | URLSearchParams): string {
  if (input instanceof URLSearchParams) return input.toString()
  if (input instanceof URL) return input.search.replace(/^\?/, '')
  const noFragment = input.split('#')[0] ?? ''
  const q = noFragment.indexOf('?')
  return q >= 0 ? noFragment.slice(q + 1) : noFragment
}

/**
 * Decodes a Payment Page query into its parameters (both `+` and `%20` mean a space; for a
 * repeated name the last value wins, at the first one's position, as PHP does).
 *
 * @example
 * parsePaymentPageQuery('https://paymentpage.ecommpay.com/payment?payment_id=a+b&project_id=112&signature=x')
 * // → { payment_id: 'a b', project_id: '112', signature: 'x' }
 */
export function parsePaymentPageQuery(input: string | URL | URLSearchParams): Record<string, string> {
  const map = new Map<string, string>()
  for (const [k, v] of new URLSearchParams(rawQueryOf(input))) map.set(k, v)
  return Object.fromEntries(map)
}

/** The parameters with their values still percent-encoded (for the "signed encoded values" diagnosis). */
function rawPageParams(input: string | URL | URLSearchParams): Record<string, string> {
  const map = new Map<string, string>()
  for (const pair of rawQueryOf(input).split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const rawName = eq >= 0 ? pair.slice(0, eq) : pair
    let name = rawName
    try {
      name = decodeURIComponent(rawName.replaceAll('+', ' '))
    } catch {
      // keep it raw
    }
    map.set(name, eq >= 0 ? pair.slice(eq + 1) : '')
  }
  return Object.fromEntries(map)
}

/**
 * Checks the `signature` query parameter of a Payment Page opening URL. The parameters are
 * decoded first and signed as strings; `frame_mode` and the signature are never signed. Also
 * accepted, because official SDKs and plug-ins produce them: `_`-prefixed parameters left out
 * (plug-ins add them after signing) or included (JS SDK); boolean words `true`/`false` signed
 * as `1`/`0` (the Go and JS SDKs write the word but sign the digit); any SDK's line order.
 * Never throws.
 *
 * @example
 * const verdict = verifyPaymentPageQuery(new URL(request.url), secret, { secretLabel: 'project 112' });
 * if (!verdict.valid) showErrorPage(verdict.explanation);
 */
export function verifyPaymentPageQuery(
  query: string | URL | URLSearchParams,
  secret: string,
  options: VerifyOptions = {},
): SignatureVerdict {
  const location = 'the "signature" query parameter'
  const params = parsePaymentPageQuery(query)
  const received = params['signature']
  const withUnderscore = omitKey(params, 'signature') as Record<string, string>
  const canonical = pageParamsToSign(params)
  const digits = (p: Record<string, string>) =>
    Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === 'true' ? '1' : v === 'false' ? '0' : v]))
  const hasUnderscore = Object.keys(withUnderscore).some((k) => k.startsWith('_'))
  const variants: DataVariant[] = [
    { data: canonical, note: null },
    { data: digits(canonical), note: 'parameters "true"/"false" signed as 1/0' },
  ]
  if (hasUnderscore) {
    variants.push(
      { data: withUnderscore, note: 'parameters starting with "_" signed too' },
      { data: digits(withUnderscore), note: 'parameters starting with "_" signed too; "true"/"false" signed as 1/0' },
    )
  }
  const raw = pageParamsToSign(rawPageParams(query))
  const extraTrials: Trial[] = []
  try {
    extraTrials.push({
      baseString: signatureBaseString(raw),
      cause: 'the percent-encoded values were signed: sign the parameter values before URL-encoding them.',
    })
  } catch {
    // nothing to try
  }
  return verifySubject(
    {
      variants,
      received,
      location,
      subject: 'the Payment Page parameters',
      container: 'the Payment Page URL',
      derivation: 'the decoded query parameters except signature, frame_mode and names starting with "_"',
      secretLabel: secretLabelOf(options),
      missingHint: null,
      extraTrials,
    },
    secret,
  )
}
