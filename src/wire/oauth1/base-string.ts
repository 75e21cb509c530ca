/** The OAuth 1.0a signature base string (RFC 5849 §3.4.1): parameters, URI, normalisation. */
import { formDecodeRaw, percentEncode, toBytes, UTF8_DECODER, type FormPair, type RawPair } from './encode.js'
import { parseAuthorizationHeader } from './header.js'

/** Where a signature parameter came from (RFC 5849 §3.4.1.3.1). */
export type ParameterSource = 'header' | 'query' | 'body'

/** A parameter that takes part in the signature, decoded and re-encoded per RFC 5849 §3.6. */
export interface SignatureParameter {
  /** Decoded name (UTF-8). */
  readonly name: string
  /** Decoded value (UTF-8). */
  readonly value: string
  /** Name percent-encoded per RFC 3986 from the decoded bytes (what the base string holds). */
  readonly encodedName: string
  /** Value percent-encoded per RFC 3986 from the decoded bytes. */
  readonly encodedValue: string
  readonly source: ParameterSource
}

/**
 * The base string URI (RFC 5849 §3.4.1.2): scheme and host in lower case, default port (80 for
 * http, 443 for https) dropped, other ports kept, path as given, query and fragment removed.
 * Throws when `url` is not an absolute URL.
 *
 * @example
 * baseStringUri('HTTPS://Sandbox.ConnPay.COM:443/paynet/api/v4/payout/39915?x=1');
 * // 'https://sandbox.connpay.com/paynet/api/v4/payout/39915'
 */
export function baseStringUri(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new TypeError(
      `Cannot build the OAuth base string URI from "${url}": it is not an absolute URL. Pass the full URL the ` +
        `request was sent to, e.g. "https://sandbox.connpay.com/paynet/api/v4/payout/39915".`,
    )
  }
  // WHATWG URL already lower-cases scheme and host and drops the scheme's default port.
  return `${u.protocol}//${u.host}${u.pathname || '/'}`
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function sortParameters<T extends { encodedName: string; encodedValue: string }>(params: readonly T[]): T[] {
  return [...params].sort(
    (a, b) => compareAscii(a.encodedName, b.encodedName) || compareAscii(a.encodedValue, b.encodedValue),
  )
}

/**
 * Normalizes parameters (RFC 5849 §3.4.1.3.2): encodes names and values, sorts by encoded name
 * and then by encoded value (byte order, duplicates kept), joins `name=value` with `&`. Leave
 * `oauth_signature` and `realm` out of the input.
 *
 * @example
 * normalizeParameters([['b', '2'], ['a', 'x y'], ['a', '1']]); // 'a=1&a=x%20y&b=2'
 */
export function normalizeParameters(
  params: Iterable<FormPair | { readonly encodedName: string; readonly encodedValue: string }>,
): string {
  const encoded = [...params].map((p) =>
    Array.isArray(p)
      ? { encodedName: percentEncode((p as FormPair)[0]), encodedValue: percentEncode((p as FormPair)[1]) }
      : (p as { encodedName: string; encodedValue: string }),
  )
  return sortParameters(encoded)
    .map((p) => `${p.encodedName}=${p.encodedValue}`)
    .join('&')
}

/**
 * The signature base string (RFC 5849 §3.4.1.1): upper-case method, base string URI of `url`
 * and the normalized parameters, each percent-encoded, joined with `&`.
 *
 * @example
 * signatureBaseString('post', 'https://sandbox.connpay.com/paynet/api/v4/status/39915', 'a=1&b=x%20y');
 * // 'POST&https%3A%2F%2Fsandbox.connpay.com%2Fpaynet%2Fapi%2Fv4%2Fstatus%2F39915&a%3D1%26b%3Dx%2520y'
 */
export function signatureBaseString(method: string, url: string, normalizedParameters: string): string {
  return `${percentEncode(method.toUpperCase())}&${percentEncode(baseStringUri(url))}&${percentEncode(normalizedParameters)}`
}

/** What {@link collectSignatureParameters} reads. */
export interface SignatureInput {
  /** Absolute request URL; its query string takes part in the signature. */
  readonly url: string
  /** The `Authorization` header value, if any. */
  readonly authorization?: string | null | undefined
  /** The raw request body. Pass bytes when you have them: decoding to text first may lose bytes. */
  readonly body?: string | Uint8Array | ArrayBuffer | null | undefined
  /**
   * The request's `Content-Type`. The body is read as parameters when this is
   * `application/x-www-form-urlencoded` or absent (`undefined`, `null`, `''`); any other type
   * leaves the body out, as RFC 5849 §3.4.1.3.1 says.
   */
  readonly contentType?: string | null | undefined
}

export function isFormContentType(contentType: string | null | undefined): boolean {
  if (contentType === undefined || contentType === null || contentType.trim() === '') return true
  return contentType.split(';', 1)[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded'
}

export function rawToParameter(p: RawPair, source: ParameterSource): SignatureParameter {
  return {
    name: UTF8_DECODER.decode(p.name),
    value: UTF8_DECODER.decode(p.value),
    encodedName: percentEncode(p.name),
    encodedValue: percentEncode(p.value),
    source,
  }
}

export function pairToParameter([name, value]: FormPair, source: ParameterSource): SignatureParameter {
  return { name, value, encodedName: percentEncode(name), encodedValue: percentEncode(value), source }
}

export function queryOf(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return ''
  const hash = url.indexOf('#', q)
  return url.slice(q + 1, hash < 0 ? undefined : hash)
}

/**
 * Collects every parameter that takes part in the signature (RFC 5849 §3.4.1.3.1): the OAuth
 * header parameters (without `realm`), the query string and a form body (`+` and `%20` both read
 * as space), duplicates kept. `oauth_signature` is left out. Throws {@link OAuthHeaderError}
 * for an unreadable header.
 *
 * @example
 * collectSignatureParameters({
 *   url: 'https://sandbox.connpay.com/paynet/api/v4/status/39915?x=1',
 *   authorization: 'OAuth oauth_consumer_key="TestMerchant", oauth_signature="abc"',
 *   body: 'login=TestMerchant&client_orderid=A+B',
 * }).map((p) => [p.name, p.value, p.source]);
 * // [['oauth_consumer_key','TestMerchant','header'], ['x','1','query'],
 * //  ['login','TestMerchant','body'], ['client_orderid','A B','body']]
 */
export function collectSignatureParameters(input: SignatureInput): SignatureParameter[] {
  const out: SignatureParameter[] = []
  if (input.authorization && /^\s*oauth(\s|,|$)/i.test(input.authorization)) {
    for (const p of parseAuthorizationHeader(input.authorization).params) out.push(pairToParameter(p, 'header'))
  }
  for (const p of formDecodeRaw(toBytes(queryOf(input.url)))) out.push(rawToParameter(p, 'query'))
  if (input.body != null && isFormContentType(input.contentType)) {
    for (const p of formDecodeRaw(toBytes(input.body))) out.push(rawToParameter(p, 'body'))
  }
  return out.filter((p) => p.name !== 'oauth_signature')
}
