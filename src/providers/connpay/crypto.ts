/**
 * ConnPay (PaynetEasy platform) cryptography, as pure functions.
 *
 * - OAuth 1.0a (RFC 5849) with the RSA-SHA256 signature method, which is the only method the v4
 *   API (`/paynet/api/v4/payout`, `/paynet/api/v4/status`, ...) accepts: header parsing,
 *   parameter collection, the signature base string, signing and verification.
 * - The SHA-1 `control` checksums of the v2 status API and of merchant callbacks.
 *
 * Proven by `test/vectors/connpay.json` (python3-oauthlib 3.2.2 and PaynetEasy's own PHP
 * client), see `test/connpay/crypto.test.ts`. Sources: research on PaynetEasy (RFC 5849 as PaynetEasy applies it).
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  randomBytes,
  sign as rsaSign,
  verify as rsaVerify,
} from 'node:crypto'
import { sameBytes } from '../../wire/compare.js'

// ---------------------------------------------------------------------------------------------
// Types

/** A private or public key: PEM text (PKCS#1 or PKCS#8 / SPKI), DER bytes, or a `KeyObject`. */
export type KeyInput = string | Buffer | KeyObject

/** One decoded `name=value` pair, in the order it was found. */
export type FormPair = readonly [name: string, value: string]

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

/** The result of {@link parseAuthorizationHeader}. */
export interface ParsedAuthorizationHeader {
  /** `realm`, if the header carried one (it never takes part in the signature). */
  readonly realm: string | undefined
  /** Every other parameter, percent-decoded, in header order (duplicates kept). */
  readonly params: readonly FormPair[]
}

/** Thrown by {@link parseAuthorizationHeader} when the header cannot be read at all. */
export class OAuthHeaderError extends Error {
  override readonly name = 'OAuthHeaderError'
}

// ---------------------------------------------------------------------------------------------
// Percent encoding (RFC 3986 / RFC 5849 §3.6) and form decoding

const UTF8_ENCODER = new TextEncoder()
const UTF8_DECODER = new TextDecoder('utf-8', { ignoreBOM: true })
const HEX = '0123456789ABCDEF'

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) || // 0-9
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    b === 0x2d || // -
    b === 0x2e || // .
    b === 0x5f || // _
    b === 0x7e // ~
  )
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10
  return -1
}

function toBytes(value: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof value === 'string') return UTF8_ENCODER.encode(value)
  if (value instanceof Uint8Array) return value
  return new Uint8Array(value)
}

/**
 * Percent-encodes per RFC 5849 §3.6 (RFC 3986 unreserved set): keeps `A-Z a-z 0-9 - . _ ~`,
 * writes every other UTF-8 byte as `%XX` with upper-case hex (space is `%20`, never `+`).
 *
 * @example
 * percentEncode('Payout to bank & co'); // 'Payout%20to%20bank%20%26%20co'
 * percentEncode('Zoë');                 // 'Zo%C3%AB'
 */
export function percentEncode(value: string | Uint8Array): string {
  const bytes = toBytes(value)
  let out = ''
  for (const b of bytes) {
    out += isUnreserved(b) ? String.fromCharCode(b) : '%' + HEX[b >> 4] + HEX[b & 15]
  }
  return out
}

interface DecodedBytes {
  bytes: Uint8Array
  /** `%` signs not followed by two hex digits, kept literally. */
  invalidEscapes: number
}

function percentDecodeBytes(input: Uint8Array, plusAsSpace: boolean): DecodedBytes {
  const out = new Uint8Array(input.length)
  let n = 0
  let invalidEscapes = 0
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!
    if (b === 0x25 /* % */) {
      const hi = i + 2 < input.length ? hexValue(input[i + 1]!) : -1
      const lo = i + 2 < input.length ? hexValue(input[i + 2]!) : -1
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo
        i += 2
        continue
      }
      invalidEscapes++
      out[n++] = b
    } else if (b === 0x2b /* + */ && plusAsSpace) {
      out[n++] = 0x20
    } else {
      out[n++] = b
    }
  }
  return { bytes: out.subarray(0, n), invalidEscapes }
}

/**
 * Percent-decodes a header or URI component: `%XX` becomes that byte (the result is read as
 * UTF-8), `+` stays a plus sign, a `%` not followed by two hex digits is kept as it is.
 *
 * @example
 * percentDecode('d8VJ%2Bjb%2Flx%3D%3D'); // 'd8VJ+jb/lx=='
 */
export function percentDecode(value: string): string {
  return UTF8_DECODER.decode(percentDecodeBytes(toBytes(value), false).bytes)
}

interface RawPair {
  name: Uint8Array
  value: Uint8Array
  invalidEscapes: number
}

/** Splits an `application/x-www-form-urlencoded` byte string into decoded byte pairs. */
function formDecodeRaw(body: Uint8Array, plusAsSpace = true): RawPair[] {
  const pairs: RawPair[] = []
  let start = 0
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== 0x26 /* & */) continue
    const part = body.subarray(start, i)
    start = i + 1
    if (part.length === 0) continue
    let eq = part.indexOf(0x3d /* = */)
    if (eq < 0) eq = part.length
    const name = percentDecodeBytes(part.subarray(0, eq), plusAsSpace)
    const value = percentDecodeBytes(part.subarray(Math.min(eq + 1, part.length)), plusAsSpace)
    pairs.push({ name: name.bytes, value: value.bytes, invalidEscapes: name.invalidEscapes + value.invalidEscapes })
  }
  return pairs
}

/**
 * Decodes an `application/x-www-form-urlencoded` string exactly (no trimming): pairs split on
 * `&`, name and value on the first `=`, `+` and `%20` both mean space, duplicates and order kept,
 * empty segments skipped, a name without `=` gets the empty value. For request bodies as the
 * gateway reads them (trimmed, line breaks tolerated) use `parseForm` in `wire.ts`.
 *
 * @example
 * formDecode('order_desc=Payout+to%20bank&a=1&a=2');
 * // [['order_desc', 'Payout to bank'], ['a', '1'], ['a', '2']]
 */
export function formDecode(body: string | Uint8Array | ArrayBuffer): FormPair[] {
  return formDecodeRaw(toBytes(body)).map((p) => [UTF8_DECODER.decode(p.name), UTF8_DECODER.decode(p.value)] as const)
}

/**
 * Encodes pairs as an `application/x-www-form-urlencoded` body the way PaynetEasy's PHP client
 * and python-oauthlib do: RFC 3986 encoding (space as `%20`), pairs in the given order.
 *
 * @example
 * formEncode([['amount', '10.42'], ['order_desc', 'Payout to bank']]);
 * // 'amount=10.42&order_desc=Payout%20to%20bank'
 */
export function formEncode(pairs: Iterable<FormPair> | Readonly<Record<string, string | number>>): string {
  const list: FormPair[] = isPairIterable(pairs)
    ? [...pairs]
    : Object.entries(pairs).map(([k, v]) => [k, String(v)] as const)
  return list.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')
}

function isPairIterable(x: unknown): x is Iterable<FormPair> {
  return typeof x === 'object' && x !== null && Symbol.iterator in x
}

// ---------------------------------------------------------------------------------------------
// Authorization header

/**
 * Parses an `Authorization: OAuth ...` header tolerantly (RFC 5849 §3.5.1): the scheme name in
 * any case, pairs separated by commas and/or any whitespace (including line breaks), values
 * quoted (`"..."`, backslash escapes honoured) or bare, names and values percent-decoded, `realm`
 * set apart. Duplicates are kept so the caller can refuse them.
 *
 * Throws {@link OAuthHeaderError} when the header is not OAuth or cannot be read.
 *
 * @example
 * parseAuthorizationHeader('OAuth realm="", oauth_consumer_key="TestMerchant", oauth_signature="a%2Bb%3D"');
 * // { realm: '', params: [['oauth_consumer_key', 'TestMerchant'], ['oauth_signature', 'a+b=']] }
 */
export function parseAuthorizationHeader(header: string): ParsedAuthorizationHeader {
  const text = header.trim()
  const scheme = /^oauth(?=$|[\s,])/i.exec(text)
  if (!scheme) {
    const given = text.split(/\s/, 1)[0] || '(empty)'
    throw new OAuthHeaderError(
      `The Authorization header uses the scheme "${given}", not "OAuth". ConnPay v4 requests must carry ` +
        `the header: Authorization: OAuth oauth_consumer_key="<login>", oauth_nonce="...", oauth_signature="...", ` +
        `oauth_signature_method="RSA-SHA256", oauth_timestamp="<unix seconds>", oauth_version="1.0"`,
    )
  }
  let i = scheme[0].length
  let realm: string | undefined
  const params: FormPair[] = []
  const isSeparator = (c: string) => c === ',' || /\s/.test(c)
  while (i < text.length) {
    while (i < text.length && isSeparator(text[i]!)) i++
    if (i >= text.length) break
    const nameStart = i
    while (i < text.length && text[i] !== '=' && !isSeparator(text[i]!)) i++
    const rawName = text.slice(nameStart, i)
    let j = i
    while (j < text.length && /\s/.test(text[j]!)) j++
    let rawValue = ''
    let quoted = false
    if (text[j] === '=') {
      i = j + 1
      while (i < text.length && /\s/.test(text[i]!)) i++
      const quote = text[i]
      if (quote === '"' || quote === "'") {
        quoted = true
        i++
        let value = ''
        let closed = false
        while (i < text.length) {
          const c = text[i]!
          if (c === '\\' && i + 1 < text.length) {
            value += text[i + 1]
            i += 2
            continue
          }
          if (c === quote) {
            closed = true
            i++
            break
          }
          value += c
          i++
        }
        if (!closed) {
          throw new OAuthHeaderError(
            `The Authorization header has an unterminated quoted value for "${rawName}" (no closing ${quote}). ` +
              `Quote every value: ${rawName}="...".`,
          )
        }
        rawValue = value
      } else {
        const valueStart = i
        while (i < text.length && !isSeparator(text[i]!)) i++
        rawValue = text.slice(valueStart, i)
      }
    }
    if (rawName === '') {
      throw new OAuthHeaderError(
        `The Authorization header has a value without a parameter name near "${text.slice(nameStart, nameStart + 20)}". ` +
          `Write parameters as name="value", separated by ", ".`,
      )
    }
    const name = percentDecode(rawName)
    if (name.toLowerCase() === 'realm') {
      realm = quoted ? rawValue : percentDecode(rawValue)
    } else {
      params.push([name, percentDecode(rawValue)])
    }
  }
  if (params.length === 0) {
    throw new OAuthHeaderError(
      'The Authorization header says "OAuth" but carries no parameters. Send oauth_consumer_key, oauth_nonce, ' +
        'oauth_signature, oauth_signature_method, oauth_timestamp and oauth_version.',
    )
  }
  return { realm, params }
}

// ---------------------------------------------------------------------------------------------
// Signature base string (RFC 5849 §3.4.1)

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

function sortParameters<T extends { encodedName: string; encodedValue: string }>(params: readonly T[]): T[] {
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

function isFormContentType(contentType: string | null | undefined): boolean {
  if (contentType === undefined || contentType === null || contentType.trim() === '') return true
  return contentType.split(';', 1)[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded'
}

function rawToParameter(p: RawPair, source: ParameterSource): SignatureParameter {
  return {
    name: UTF8_DECODER.decode(p.name),
    value: UTF8_DECODER.decode(p.value),
    encodedName: percentEncode(p.name),
    encodedValue: percentEncode(p.value),
    source,
  }
}

function pairToParameter([name, value]: FormPair, source: ParameterSource): SignatureParameter {
  return { name, value, encodedName: percentEncode(name), encodedValue: percentEncode(value), source }
}

function queryOf(url: string): string {
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

// ---------------------------------------------------------------------------------------------
// RSA-SHA256

function privateKeyOf(key: KeyInput): KeyObject {
  if (key instanceof KeyObject) return key
  try {
    return createPrivateKey(key)
  } catch (e) {
    throw new TypeError(
      `Cannot read the RSA private key (${(e as Error).message}). Pass a PEM private key ` +
        `("-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----"), DER bytes or a KeyObject.`,
    )
  }
}

/** Parsed PEM public keys, so a merchant's key is parsed once, not on every request. */
const parsedPublicKeys = new Map<string, KeyObject>()

function publicKeyOf(key: KeyInput): KeyObject {
  if (key instanceof KeyObject) return key.type === 'private' ? createPublicKey(key) : key
  try {
    if (typeof key !== 'string') return createPublicKey(key)
    let parsed = parsedPublicKeys.get(key)
    if (!parsed) {
      parsed = createPublicKey(key)
      if (parsedPublicKeys.size >= 64) parsedPublicKeys.clear()
      parsedPublicKeys.set(key, parsed)
    }
    return parsed
  } catch (e) {
    throw new TypeError(
      `Cannot read the RSA public key (${(e as Error).message}). Pass a PEM public key ` +
        `("-----BEGIN PUBLIC KEY-----" or "-----BEGIN RSA PUBLIC KEY-----"), a certificate, DER bytes or a KeyObject.`,
    )
  }
}

/**
 * Signs a base string with RSASSA-PKCS1-v1_5 / SHA-256 (PHP `openssl_sign(..., OPENSSL_ALGO_SHA256)`)
 * and returns standard Base64 (not yet percent-encoded for the header).
 *
 * @example
 * const signature = rsaSha256Sign(baseString, readFileSync('merchant.key.pem', 'utf8'));
 */
export function rsaSha256Sign(baseString: string, privateKey: KeyInput): string {
  return rsaSign('sha256', Buffer.from(baseString, 'utf8'), privateKeyOf(privateKey)).toString('base64')
}

/**
 * Checks a Base64 RSA-SHA256 signature of a base string against a public key.
 *
 * @example
 * rsaSha256Verify(baseString, 'mLqukCgD...Dqw==', publicKeyPem); // true or false
 */
export function rsaSha256Verify(baseString: string, signatureBase64: string, publicKey: KeyInput): boolean {
  return rsaVerify(
    'sha256',
    Buffer.from(baseString, 'utf8'),
    publicKeyOf(publicKey),
    Buffer.from(signatureBase64, 'base64'),
  )
}

/**
 * SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex: a short name for a public key
 * (research/paynet.md §1.3 uses it), handy in error messages.
 *
 * @example
 * publicKeyFingerprint(publicKeyPem); // '74d177f2990c934e8bde8e27f26e24afa34bb9717a046f1e89c1b236af35e7fd'
 */
export function publicKeyFingerprint(key: KeyInput): string {
  const der = publicKeyOf(key).export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(der).digest('hex')
}

// ---------------------------------------------------------------------------------------------
// Merchant-side signing

/** Options of {@link sign}. */
export interface SignOptions {
  /** HTTP method, `POST` by default. */
  readonly method?: string
  /** Absolute URL the request is sent to, e.g. `https://sandbox.connpay.com/paynet/api/v4/payout/39915`. */
  readonly url: string
  /** The merchant login (`oauth_consumer_key`), e.g. `TestMerchant`. */
  readonly consumerKey: string
  /** The merchant's RSA private key. */
  readonly privateKey: KeyInput
  /**
   * The form body: a string sent as is, or pairs / an object encoded with {@link formEncode}.
   */
  readonly body?: string | Iterable<FormPair> | Readonly<Record<string, string | number>>
  /** `oauth_nonce`; 32 random alphanumerics by default. */
  readonly nonce?: string
  /** `oauth_timestamp` in Unix seconds; now by default. */
  readonly timestamp?: number | string
  /** Optional `realm` placed first in the header (never signed). */
  readonly realm?: string
}

/** The result of {@link sign}. */
export interface SignedRequest {
  /** The complete `Authorization` header value. */
  readonly authorization: string
  /** The body to send (`''` when there is none). */
  readonly body: string
  readonly contentType: 'application/x-www-form-urlencoded'
  /** The string that was signed. */
  readonly baseString: string
  /** Base64 signature (percent-encoded inside `authorization`). */
  readonly signature: string
  readonly nonce: string
  readonly timestamp: string
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomNonce(length = 32): string {
  const bytes = randomBytes(length)
  let out = ''
  for (const b of bytes) out += NONCE_ALPHABET[b % NONCE_ALPHABET.length]
  return out
}

/**
 * Signs a request as a ConnPay merchant must (OAuth 1.0a, RSA-SHA256, two-legged, no token) and
 * returns the `Authorization` header in the layout of PaynetEasy's own PHP client: parameters
 * sorted by name, `name="value"` percent-encoded, joined by `", "`.
 *
 * @example
 * const signed = sign({
 *   url: 'https://sandbox.connpay.com/paynet/api/v4/payout/39915',
 *   consumerKey: 'TestMerchant',
 *   privateKey: readFileSync('connpay-test-merchant.key.pem', 'utf8'),
 *   body: { client_orderid: 'ORD-1', amount: '10.42', currency: 'USD', account_number: '1234567890' },
 * });
 * await fetch(url, { method: 'POST', body: signed.body,
 *   headers: { Authorization: signed.authorization, 'Content-Type': signed.contentType } });
 */
export function sign(options: SignOptions): SignedRequest {
  const method = (options.method ?? 'POST').toUpperCase()
  const body =
    options.body === undefined ? '' : typeof options.body === 'string' ? options.body : formEncode(options.body)
  const nonce = options.nonce ?? randomNonce()
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000))
  const oauth: FormPair[] = [
    ['oauth_consumer_key', options.consumerKey],
    ['oauth_nonce', nonce],
    ['oauth_signature_method', 'RSA-SHA256'],
    ['oauth_timestamp', timestamp],
    ['oauth_version', '1.0'],
  ]
  const params = [
    ...oauth.map((p) => pairToParameter(p, 'header')),
    ...collectSignatureParameters({ url: options.url, body }),
  ]
  const baseString = signatureBaseString(method, options.url, normalizeParameters(params))
  const signature = rsaSha256Sign(baseString, options.privateKey)
  const headerParams = sortParameters(
    [...oauth, ['oauth_signature', signature] as const].map((p) => pairToParameter(p, 'header')),
  )
  const realm = options.realm === undefined ? '' : `realm="${options.realm.replace(/(["\\])/g, '\\$1')}", `
  const authorization = 'OAuth ' + realm + headerParams.map((p) => `${p.encodedName}="${p.encodedValue}"`).join(', ')
  return {
    authorization,
    body,
    contentType: 'application/x-www-form-urlencoded',
    baseString,
    signature,
    nonce,
    timestamp,
  }
}

// ---------------------------------------------------------------------------------------------
// Sandbox-side verification

/** Why a request was refused; `explanation` says it in words. */
export type VerifyFailureReason =
  | 'missing-authorization'
  | 'malformed-authorization'
  | 'missing-oauth-parameter'
  | 'duplicate-oauth-parameter'
  | 'unsupported-signature-method'
  | 'unsupported-oauth-version'
  | 'invalid-timestamp'
  | 'timestamp-out-of-window'
  | 'unknown-consumer'
  | 'invalid-public-key'
  | 'malformed-signature'
  | 'signature-mismatch'

/** What {@link verify} checks. */
export interface VerifyInput extends Omit<SignatureInput, 'url'> {
  /** HTTP method of the request. */
  readonly method: string
  /**
   * The URL the request arrived at, or several accepted spellings of it (e.g. the local URL and
   * the provider's real one behind a proxy). The first is the one shown when verification fails.
   */
  readonly url: string | readonly string[]
  /**
   * The merchant's public key, or a lookup from `oauth_consumer_key` (the merchant login) to it;
   * `undefined` from the lookup means "no such merchant".
   */
  readonly publicKey: KeyInput | ((consumerKey: string) => KeyInput | null | undefined)
  /** Current time in Unix seconds; with `timestampToleranceSeconds`, old or future timestamps are refused. */
  readonly nowSeconds?: number
  /** Largest accepted distance between `oauth_timestamp` and `nowSeconds`; unchecked when absent. */
  readonly timestampToleranceSeconds?: number
}

/** The OAuth protocol values of a request. */
export interface OAuthProtocolValues {
  readonly consumerKey: string
  readonly nonce: string
  readonly timestamp: string
  readonly signatureMethod: string
  readonly version: string | undefined
  /** Where the protocol parameters were found. */
  readonly transmittedIn: ParameterSource
}

/** A successful {@link verify}. */
export interface VerifySuccess {
  readonly ok: true
  readonly oauth: OAuthProtocolValues
  /** The base string that the signature matched. */
  readonly baseString: string
  readonly normalizedParameters: string
  readonly parameters: readonly SignatureParameter[]
  /** The accepted URL that matched. */
  readonly url: string
  /** Oddities that were tolerated, in words (for the journal). */
  readonly notes: readonly string[]
}

/** A refused {@link verify}. */
export interface VerifyFailure {
  readonly ok: false
  readonly reason: VerifyFailureReason
  /** What was wrong and what to do, in plain words. */
  readonly explanation: string
  /** The base string the sandbox computed, when it got that far: what a correct client signs. */
  readonly baseString?: string
  readonly normalizedParameters?: string
  readonly parameters?: readonly SignatureParameter[]
  readonly oauth?: Partial<OAuthProtocolValues>
  /** When a common client mistake reproduces the signature: which one, and the string that client signed. */
  readonly diagnosis?: { readonly mistake: string; readonly clientBaseString: string }
  readonly notes: readonly string[]
}

/** The result of {@link verify}. */
export type VerifyResult = VerifySuccess | VerifyFailure

const PROTOCOL_REQUIRED = [
  'oauth_consumer_key',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
] as const

const CONNPAY_HOSTS = ['sandbox.connpay.com', 'gate.connpay.com']

/**
 * Verifies a ConnPay v4 request's OAuth 1.0a RSA-SHA256 signature the way the gateway does:
 * rebuilds the base string from the request as received and checks the signature with the
 * merchant's public key. Never throws for bad input: a refusal comes back as
 * `{ ok: false, reason, explanation, baseString }`, where `explanation` names the problem (and,
 * when a common client mistake reproduces the signature, that mistake) and `baseString` is what a
 * correct client signs. The gateway answers any refusal with HTTP 403 "Access is denied".
 *
 * Tolerated, as RFC 5849 allows: protocol parameters in the body or query instead of the header
 * (when there is no OAuth header), the same `oauth_*` name and value repeated in header and body
 * (counted once), `realm`, any header spacing or quoting, `+` or `%20` for spaces in the body.
 *
 * @example
 * const result = verify({
 *   method: 'POST',
 *   url: 'https://sandbox.connpay.com/paynet/api/v4/payout/39915',
 *   authorization: request.headers.get('authorization'),
 *   contentType: request.headers.get('content-type'),
 *   body: new Uint8Array(await request.arrayBuffer()),
 *   publicKey: (login) => merchants.get(login)?.publicKeyPem,
 * });
 * if (!result.ok) journal.note(result.explanation, result.baseString);
 */
export function verify(input: VerifyInput): VerifyResult {
  const notes: string[] = []
  const fail = (
    reason: VerifyFailureReason,
    explanation: string,
    extra: Partial<Omit<VerifyFailure, 'ok' | 'reason' | 'explanation' | 'notes'>> = {},
  ): VerifyFailure => ({ ok: false, reason, explanation, notes, ...extra })

  const urls = typeof input.url === 'string' ? [input.url] : [...input.url]
  if (urls.length === 0) throw new TypeError('verify() needs at least one URL in "url".')
  const primaryUrl = urls[0]!

  // 1. Find the protocol parameters.
  const authorization = input.authorization?.trim() ?? ''
  const hasOAuthHeader = /^oauth(\s|,|$)/i.test(authorization)
  let headerParams: readonly FormPair[] = []
  let realm: string | undefined
  if (hasOAuthHeader) {
    try {
      const parsed = parseAuthorizationHeader(authorization)
      headerParams = parsed.params
      realm = parsed.realm
    } catch (e) {
      return fail('malformed-authorization', (e as Error).message)
    }
  } else if (authorization !== '') {
    notes.push(`The Authorization header is not OAuth ("${authorization.split(/\s/, 1)[0]}…"); it was ignored.`)
  }

  const formBody = input.body != null && isFormContentType(input.contentType)
  if (input.body != null && !formBody) {
    notes.push(
      `The body was not read as parameters because Content-Type is "${input.contentType}"; ConnPay expects ` +
        `"application/x-www-form-urlencoded".`,
    )
  } else if (input.body != null && (input.contentType == null || input.contentType.trim() === '')) {
    notes.push('The request had no Content-Type; the body was read as application/x-www-form-urlencoded.')
  }
  const bodyRaw = formBody ? formDecodeRaw(toBytes(input.body!)) : []
  const bodyParams = bodyRaw.map((p) => rawToParameter(p, 'body'))
  const invalidEscapes = bodyRaw.reduce((n, p) => n + p.invalidEscapes, 0)
  if (invalidEscapes > 0) {
    notes.push(
      `The body has ${invalidEscapes} "%" sign(s) not followed by two hex digits; they were read literally. ` +
        `Encode "%" as "%25".`,
    )
  }
  const queryRaw = formDecodeRaw(toBytes(queryOf(primaryUrl)))
  const queryParams = queryRaw.map((p) => rawToParameter(p, 'query'))

  let transmittedIn: ParameterSource = 'header'
  let protocol: SignatureParameter[]
  let others: SignatureParameter[]
  const headerParameters = headerParams.map((p) => pairToParameter(p, 'header'))
  if (headerParameters.some((p) => p.name.startsWith('oauth_'))) {
    protocol = headerParameters
    others = []
    for (const p of [...queryParams, ...bodyParams]) {
      if (p.name.startsWith('oauth_')) {
        const twin = protocol.find((h) => h.name === p.name)
        if (twin && twin.value === p.value) {
          notes.push(`${p.name} was sent both in the Authorization header and in the ${p.source}; it was counted once.`)
          continue
        }
        if (twin) {
          return fail(
            'duplicate-oauth-parameter',
            `${p.name} is in the Authorization header ("${twin.value}") and again in the ${p.source} with a ` +
              `different value ("${p.value}"). Send each OAuth parameter once, in the Authorization header.`,
          )
        }
      }
      others.push(p)
    }
  } else {
    const inBody = bodyParams.some((p) => p.name === 'oauth_signature')
    const inQuery = queryParams.some((p) => p.name === 'oauth_signature')
    if (!inBody && !inQuery) {
      return fail(
        'missing-authorization',
        authorization === ''
          ? 'The request has no Authorization header. Sign every ConnPay v4 request with OAuth 1.0a RSA-SHA256 and ' +
              'send the header: Authorization: OAuth oauth_consumer_key="<login>", oauth_nonce="...", oauth_signature="...", ' +
              'oauth_signature_method="RSA-SHA256", oauth_timestamp="<unix seconds>", oauth_version="1.0"'
          : 'The request carries no OAuth parameters (no OAuth Authorization header and no oauth_signature in the ' +
              'body or query). Sign the request with OAuth 1.0a RSA-SHA256 and send the parameters in the ' +
              'Authorization header.',
      )
    }
    transmittedIn = inBody ? 'body' : 'query'
    notes.push(
      `The OAuth parameters came in the ${transmittedIn}, not in the Authorization header; accepted as RFC 5849 ` +
        `§3.5 allows, but PaynetEasy's own client sends them in the header.`,
    )
    protocol = []
    others = []
    for (const p of [...queryParams, ...bodyParams]) {
      if (p.name.startsWith('oauth_') && p.source === transmittedIn) protocol.push(p)
      else others.push(p)
    }
  }

  // 2. Check the protocol parameters.
  for (const name of new Set(protocol.map((p) => p.name))) {
    const values = protocol.filter((p) => p.name === name)
    if (values.length > 1) {
      return fail(
        'duplicate-oauth-parameter',
        `${name} appears ${values.length} times in the ${transmittedIn === 'header' ? 'Authorization header' : transmittedIn}. ` +
          `Send each OAuth parameter exactly once.`,
      )
    }
  }
  const get = (name: string) => protocol.find((p) => p.name === name)?.value
  const oauthPartial: Partial<OAuthProtocolValues> = {
    consumerKey: get('oauth_consumer_key'),
    nonce: get('oauth_nonce'),
    timestamp: get('oauth_timestamp'),
    signatureMethod: get('oauth_signature_method'),
    version: get('oauth_version'),
    transmittedIn,
  }
  const missing = PROTOCOL_REQUIRED.filter((n) => get(n) === undefined || get(n) === '')
  if (missing.length > 0) {
    return fail(
      'missing-oauth-parameter',
      `The OAuth parameters lack ${missing.join(', ')}. A ConnPay v4 request needs oauth_consumer_key (your login), ` +
        `oauth_nonce, oauth_signature, oauth_signature_method="RSA-SHA256", oauth_timestamp (Unix seconds) and ` +
        `oauth_version="1.0".`,
      { oauth: oauthPartial },
    )
  }
  const method = get('oauth_signature_method')!
  if (method.toUpperCase() !== 'RSA-SHA256') {
    return fail(
      'unsupported-signature-method',
      `oauth_signature_method is "${method}", but the ConnPay v4 API accepts only "RSA-SHA256" (an RSA signature ` +
        `over SHA-256 with your private key${method.toUpperCase() === 'HMAC-SHA1' ? '; HMAC-SHA1 with the control key is only for some v2 commands' : ''}).`,
      { oauth: oauthPartial },
    )
  }
  if (method !== 'RSA-SHA256') notes.push(`oauth_signature_method "${method}" was accepted as "RSA-SHA256".`)
  const version = get('oauth_version')
  if (version !== undefined && version !== '1.0') {
    return fail('unsupported-oauth-version', `oauth_version is "${version}"; it must be "1.0" (or left out).`, {
      oauth: oauthPartial,
    })
  }
  const timestamp = get('oauth_timestamp')!
  if (!/^\d{1,12}$/.test(timestamp)) {
    return fail(
      'invalid-timestamp',
      `oauth_timestamp is "${timestamp}"; it must be the Unix time in whole seconds, e.g. "${Math.floor(Date.now() / 1000)}"` +
        `${/^\d{13}$/.test(timestamp) ? ' (this looks like milliseconds: divide by 1000)' : ''}.`,
      { oauth: oauthPartial },
    )
  }
  if (input.nowSeconds !== undefined && input.timestampToleranceSeconds !== undefined) {
    const skew = Number(timestamp) - input.nowSeconds
    if (Math.abs(skew) > input.timestampToleranceSeconds) {
      return fail(
        'timestamp-out-of-window',
        `oauth_timestamp ${timestamp} is ${Math.abs(skew)} s ${skew < 0 ? 'in the past' : 'in the future'} of the ` +
          `sandbox clock (${input.nowSeconds}); at most ${input.timestampToleranceSeconds} s is accepted. Use the ` +
          `current time for every request (check your clock, or the sandbox's virtual clock).`,
        { oauth: oauthPartial },
      )
    }
  }

  // 3. The base string the sandbox expects.
  const signed = [...protocol.filter((p) => p.name !== 'oauth_signature'), ...others]
  const normalizedParameters = normalizeParameters(signed)
  const baseStrings = urls.map((u) => signatureBaseString(input.method, u, normalizedParameters))
  const baseString = baseStrings[0]!
  const withBase = { baseString, normalizedParameters, parameters: signed, oauth: oauthPartial }

  // 4. The merchant's key.
  const consumerKey = get('oauth_consumer_key')!
  let keyInput: KeyInput | null | undefined
  try {
    keyInput = typeof input.publicKey === 'function' ? input.publicKey(consumerKey) : input.publicKey
  } catch (e) {
    keyInput = undefined
    notes.push(`Looking up the public key of "${consumerKey}" failed: ${(e as Error).message}`)
  }
  if (keyInput == null) {
    return fail(
      'unknown-consumer',
      `No merchant with login (oauth_consumer_key) "${consumerKey}" is known to the sandbox. Use the login the ` +
        `sandbox was configured with (default "TestMerchant"), or register this merchant and its public key.`,
      withBase,
    )
  }
  let publicKey: KeyObject
  try {
    publicKey = publicKeyOf(keyInput)
  } catch (e) {
    return fail(
      'invalid-public-key',
      `The public key registered for "${consumerKey}" cannot be used: ${(e as Error).message} This is a sandbox ` +
        `configuration problem, not a problem with the request.`,
      withBase,
    )
  }
  const keyBits = publicKey.asymmetricKeyDetails?.modulusLength

  // 5. The signature itself.
  const signatureText = get('oauth_signature')!
  if (/\s/.test(signatureText)) {
    return fail(
      'malformed-signature',
      `oauth_signature contains spaces. A "+" of the Base64 signature was probably sent unencoded and read as a ` +
        `space: percent-encode the signature ("+" as %2B, "/" as %2F, "=" as %3D).`,
      withBase,
    )
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureText)) {
    return fail(
      'malformed-signature',
      `oauth_signature "${signatureText.slice(0, 40)}${signatureText.length > 40 ? '…' : ''}" is not standard ` +
        `Base64${/[-_]/.test(signatureText) ? ' (it looks like base64url: use "+" and "/", not "-" and "_")' : ''}. ` +
        `Send Base64(RSA-SHA256 signature), percent-encoded in the header.`,
      withBase,
    )
  }
  const signatureBytes = Buffer.from(signatureText, 'base64')
  if (keyBits !== undefined && signatureBytes.length !== keyBits / 8) {
    return fail(
      'malformed-signature',
      `oauth_signature decodes to ${signatureBytes.length} bytes, but the ${keyBits}-bit key registered for ` +
        `"${consumerKey}" makes ${keyBits / 8}-byte signatures. Sign with the private key whose public key you ` +
        `registered (fingerprint ${publicKeyFingerprint(publicKey)}), and send the whole Base64 value.`,
      withBase,
    )
  }
  const check = (base: string, algorithm = 'sha256') =>
    rsaVerify(algorithm, Buffer.from(base, 'utf8'), publicKey, signatureBytes)
  for (let i = 0; i < baseStrings.length; i++) {
    if (check(baseStrings[i]!)) {
      return {
        ok: true,
        oauth: oauthPartial as OAuthProtocolValues,
        baseString: baseStrings[i]!,
        normalizedParameters,
        parameters: signed,
        url: urls[i]!,
        notes,
      }
    }
  }

  // 6. Refused: find out why, if a common mistake explains it.
  const diagnosis = diagnose({
    method: input.method,
    url: primaryUrl,
    realm,
    protocol: protocol.filter((p) => p.name !== 'oauth_signature'),
    others,
    body: input.body,
    bodyWasRead: formBody,
    check,
  })
  const explanation =
    (diagnosis
      ? `The signature does not match. ${diagnosis.mistake}`
      : `The signature does not match the request. None of the usual client mistakes explains it, so most likely ` +
        `the request was signed with a private key other than the one registered for "${consumerKey}" (public key ` +
        `fingerprint ${publicKeyFingerprint(publicKey)}), or the URL, method or body changed after signing.`) +
    ` A correct client signs this base string (RFC 5849 §3.4.1): ${baseString}`
  return fail('signature-mismatch', explanation, diagnosis ? { ...withBase, diagnosis } : withBase)
}

interface DiagnoseInput {
  method: string
  url: string
  realm: string | undefined
  protocol: SignatureParameter[]
  others: SignatureParameter[]
  body: SignatureInput['body']
  bodyWasRead: boolean
  check: (base: string, algorithm?: string) => boolean
}

/** Tries the usual client mistakes; returns the first that reproduces the signature. */
function diagnose(d: DiagnoseInput): { mistake: string; clientBaseString: string } | undefined {
  const base = (params: readonly SignatureParameter[], url = d.url, method = d.method) =>
    signatureBaseString(method, url, normalizeParameters(params))
  const nonBody = d.others.filter((p) => p.source !== 'body')
  const bodyParams = d.others.filter((p) => p.source === 'body')
  const attempts: Array<{ mistake: string; base: () => string | undefined; algorithm?: string }> = []

  if (bodyParams.length > 0) {
    attempts.push({
      mistake:
        'Your client left the body parameters out of the signature. Every parameter of an ' +
        'application/x-www-form-urlencoded body is signed (RFC 5849 §3.4.1.3.1).',
      base: () => base([...d.protocol, ...nonBody]),
    })
  }
  if (d.body != null && !d.bodyWasRead) {
    const raw = formDecodeRaw(toBytes(d.body)).map((p) => rawToParameter(p, 'body'))
    attempts.push({
      mistake:
        'Your client signed the body parameters but sent a Content-Type other than ' +
        'application/x-www-form-urlencoded, so they do not count. Send Content-Type: application/x-www-form-urlencoded.',
      base: () => base([...d.protocol, ...nonBody, ...raw]),
    })
  }
  if (d.body != null && d.bodyWasRead && toBytes(d.body).includes(0x2b)) {
    const literalPlus = formDecodeRaw(toBytes(d.body), false).map((p) => rawToParameter(p, 'body'))
    attempts.push({
      mistake:
        'Your client signed "+" in the body as a literal plus sign. In a form body "+" means a space, which is ' +
        'signed as %20; a real plus sign must be sent as %2B. Send spaces as %20 (or sign the decoded values).',
      base: () => base([...d.protocol, ...nonBody, ...literalPlus]),
    })
  }
  if (bodyParams.some((p) => p.value !== p.value.trim() || p.name !== p.name.trim())) {
    const trimmed = bodyParams.map((p) => pairToParameter([p.name.trim(), p.value.trim()], 'body'))
    attempts.push({
      mistake:
        'Your client signed the values without the spaces or line breaks around them that the body carries. Send ' +
        'the body exactly as signed: name=value pairs joined by "&", with no line breaks.',
      base: () => base([...d.protocol, ...nonBody, ...trimmed]),
    })
  }
  for (const alt of urlVariants(d.url)) {
    attempts.push({
      mistake: `Your client signed the URL "${alt.url}" but the request arrived at "${d.url}". ${alt.advice}`,
      base: () => base([...d.protocol, ...d.others], alt.url),
    })
  }
  attempts.push({
    mistake:
      'Your client did not percent-encode the normalized parameters a second time when it built the base string. ' +
      'The base string is METHOD&enc(URL)&enc(params), so "=" and "&" between parameters become %3D and %26.',
    base: () =>
      `${percentEncode(d.method.toUpperCase())}&${percentEncode(baseStringUri(d.url))}&${normalizeParameters([...d.protocol, ...d.others])}`,
  })
  const asSent = [...d.protocol, ...d.others]
  attempts.push({
    mistake:
      'Your client did not sort the parameters. Sort them by encoded name, then by encoded value, before joining ' +
      '(RFC 5849 §3.4.1.3.2).',
    base: () =>
      `${percentEncode(d.method.toUpperCase())}&${percentEncode(baseStringUri(d.url))}&${percentEncode(
        asSent.map((p) => `${p.encodedName}=${p.encodedValue}`).join('&'),
      )}`,
  })
  if (d.realm !== undefined) {
    attempts.push({
      mistake: 'Your client signed the realm parameter. Leave realm out of the signature (RFC 5849 §3.4.1.3.1).',
      base: () => base([...asSent, pairToParameter(['realm', d.realm!], 'header')]),
    })
  }
  if (d.method !== d.method.toUpperCase()) {
    attempts.push({
      mistake: `Your client signed the method in lower case. Sign it upper case ("${d.method.toUpperCase()}").`,
      base: () =>
        `${percentEncode(d.method)}&${percentEncode(baseStringUri(d.url))}&${percentEncode(normalizeParameters(asSent))}`,
    })
  }
  for (const algorithm of ['sha1', 'sha512', 'sha384', 'sha224']) {
    attempts.push({
      mistake:
        `Your client hashed with ${algorithm.toUpperCase().replace('SHA', 'SHA-')} instead of SHA-256. RSA-SHA256 means ` +
        `RSASSA-PKCS1-v1_5 with SHA-256 (PHP: openssl_sign($base, $sig, $key, OPENSSL_ALGO_SHA256)).`,
      base: () => base(asSent),
      algorithm,
    })
  }
  for (const attempt of attempts) {
    let candidate: string | undefined
    try {
      candidate = attempt.base()
    } catch {
      continue
    }
    if (candidate !== undefined && d.check(candidate, attempt.algorithm)) {
      return { mistake: attempt.mistake, clientBaseString: candidate }
    }
  }
  return undefined
}

function urlVariants(url: string): Array<{ url: string; advice: string }> {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return []
  }
  const out: Array<{ url: string; advice: string }> = []
  const seen = new Set([baseStringUri(url)])
  const add = (candidate: string, advice: string) => {
    const key = baseStringUri(candidate)
    if (seen.has(key)) return
    seen.add(key)
    out.push({ url: candidate, advice })
  }
  const path = u.pathname
  const proxyAdvice =
    'Sign the URL you send the request to; behind a proxy, configure the sandbox to accept the outside URL too.'
  add(`${u.protocol === 'https:' ? 'http:' : 'https:'}//${u.host}${path}`, proxyAdvice)
  for (const host of CONNPAY_HOSTS) {
    add(`https://${host}${path}`, "Sign the URL you actually send to (after swapping the base URL for the sandbox's).")
  }
  if (u.port === '') {
    add(
      `${u.protocol}//${u.hostname}:${u.protocol === 'https:' ? 443 : 80}${path}`,
      'Drop the default port from the signed URL.',
    )
  }
  add(
    `${u.protocol}//${u.host}${path.endsWith('/') ? path.slice(0, -1) : path + '/'}`,
    'Sign the path exactly as requested.',
  )
  if (u.search !== '') {
    out.push({
      url: `${u.protocol}//${u.host}${path}${u.search}`,
      advice: 'The query string goes into the parameters, not into the base string URI; leave it out of the URL part.',
    })
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// SHA-1 control checksums

/**
 * Lower-case hex SHA-1 of the UTF-8 concatenation of `parts`: the PaynetEasy `control` scheme.
 *
 * @example
 * sha1Control('1111', '902B4FF5', '1042', 'john.smith@gmail.com', 'B17F59B4-A7DC-41B4-8FF9-37D986B43D20');
 * // 'c6bdd88a78834ef4b863b088827a459f039e8257'
 */
export function sha1Control(...parts: readonly (string | number)[]): string {
  return createHash('sha1').update(parts.map(String).join(''), 'utf8').digest('hex')
}

/**
 * `control` of a v2 status request: `sha1(login + client_orderid + orderid + merchant_control)`
 * (research/paynet.md §2.1). `orderId` is the gateway's `paynet-order-id`; pass `''` when the
 * request carried no `orderid`.
 *
 * @example
 * statusControl({ login: 'TestMerchant', clientOrderId: 'ORD-1', orderId: '6982864',
 *   controlKey: 'B17F59B4-A7DC-41B4-8FF9-37D986B43D20' });
 * // 'cde4d45c9062235f1b98e9c82f2d8d691b843980'
 */
export function statusControl(p: {
  readonly login: string
  readonly clientOrderId: string
  readonly orderId: string | number
  readonly controlKey: string
}): string {
  return sha1Control(p.login, p.clientOrderId, p.orderId, p.controlKey)
}

/**
 * `control` of a merchant callback: `sha1(status + orderid + client_orderid + merchant_control)`
 * (CONTRACT, research/paynet.md §3).
 *
 * @example
 * callbackControl({ status: 'approved', orderId: '6982864', clientOrderId: 'ORD-1',
 *   controlKey: 'B17F59B4-A7DC-41B4-8FF9-37D986B43D20' });
 * // '0f50e172e21d5fe9501894abc162b74c25ce84ce'
 */
export function callbackControl(p: {
  readonly status: string
  readonly orderId: string | number
  readonly clientOrderId: string
  readonly controlKey: string
}): string {
  return sha1Control(p.status, p.orderId, p.clientOrderId, p.controlKey)
}

/**
 * Compares a received `control` with the expected one: case-insensitive hex (clients send lower
 * case; upper case is tolerated), surrounding whitespace ignored, constant time.
 *
 * @example
 * controlMatches(body.control, statusControl({ login, clientOrderId, orderId, controlKey })); // true / false
 */
export function controlMatches(received: string | null | undefined, expected: string): boolean {
  if (received == null) return false
  return sameBytes(received.trim().toLowerCase(), expected.trim().toLowerCase())
}
