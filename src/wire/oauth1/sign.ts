/** OAuth 1.0a RSA-SHA256 (RFC 5849 §3.4.3 with SHA-256): keys, signing a request as a client does. */
import { createHash, createPrivateKey, createPublicKey, KeyObject, randomBytes, sign as rsaSign } from 'node:crypto'
import {
  collectSignatureParameters,
  normalizeParameters,
  pairToParameter,
  signatureBaseString,
  sortParameters,
} from './base-string.js'
import { formEncode, type FormPair } from './encode.js'

/** A private or public key: PEM text (PKCS#1 or PKCS#8 / SPKI), DER bytes, or a `KeyObject`. */
export type KeyInput = string | Buffer | KeyObject

/** Whether bytes are PEM text (they start with "-----BEGIN") rather than DER. */
const isPem = (bytes: Buffer): boolean => bytes.subarray(0, 10).toString('latin1') === '-----BEGIN'

/** Reads DER bytes in each encoding an RSA key comes in, first match wins. */
function fromDer<T>(
  bytes: Buffer,
  read: (type: 'pkcs8' | 'spki' | 'pkcs1') => T,
  types: Array<'pkcs8' | 'spki' | 'pkcs1'>,
): T {
  for (const type of types.slice(0, -1)) {
    try {
      return read(type)
    } catch {
      // try the next encoding
    }
  }
  return read(types.at(-1)!)
}

function privateKeyOf(key: KeyInput): KeyObject {
  if (key instanceof KeyObject) return key
  try {
    if (typeof key !== 'string' && !isPem(key))
      return fromDer(key, (type) => createPrivateKey({ key, format: 'der', type: type as 'pkcs8' | 'pkcs1' }), [
        'pkcs8',
        'pkcs1',
      ])
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

export function publicKeyOf(key: KeyInput): KeyObject {
  if (key instanceof KeyObject) return key.type === 'private' ? createPublicKey(key) : key
  try {
    if (typeof key !== 'string')
      return isPem(key)
        ? createPublicKey(key)
        : fromDer(key, (type) => createPublicKey({ key, format: 'der', type: type as 'spki' | 'pkcs1' }), [
            'spki',
            'pkcs1',
          ])
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
