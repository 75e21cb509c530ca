/**
 * PayAtom cryptography, exactly as the seed's PHP (seed 001, research §A.3, §A.6–A.8, §A.14).
 *
 * `post_hash` (webhooks, status polling, refunds) is the seed's `encrypt()` over an md5 hex:
 *
 * ```php
 * $key  = hash('sha256', $password, true);                       // 32 raw bytes
 * $iv   = openssl_random_pseudo_bytes(16);
 * $ct   = openssl_encrypt($plaintext, 'AES-256-CBC', $key, OPENSSL_RAW_DATA, $iv); // PKCS#7
 * $hash = hash_hmac('sha256', $ct . $iv, $key, true);            // HMAC over ct THEN iv
 * return $iv . $hash . $ct;                                      // then base64_encode()
 * ```
 *
 * The v2 API signs requests with `sha256_hex(json_encode(ksort(fields without signature)) . secret)`.
 *
 * @module
 */

import { Buffer } from 'node:buffer'
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import {
  phpBase64Decode,
  phpConcat,
  phpJsonDecode,
  phpJsonEncode,
  PhpJsonError,
  phpKsort,
  type PhpScalar,
  type PhpValue,
} from '../../wire/php.js'
import { sameBytes } from '../../wire/compare.js'

const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex')
const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/**
 * The AES-256 and HMAC key: `hash('sha256', $secret_key, true)`, 32 raw bytes.
 *
 * @example
 * payatomKey('mysecretpassword').length // 32
 */
export function payatomKey(secretKey: string): Buffer {
  return createHash('sha256').update(secretKey, 'utf8').digest()
}

/**
 * The seed's PHP `encrypt($plaintext, $password)`: returns the raw `iv . hmac . ciphertext`
 * (16 + 32 + n bytes). A fresh random IV is drawn unless one is given (tests pass a fixed IV to
 * reproduce PHP's vectors; the sandbox itself must never reuse one).
 *
 * @example
 * payatomEncrypt('38729a623d7272ed1ff8e5fcc78b2682', 'mysecretpassword').length // 96
 */
export function payatomEncrypt(plaintext: string, secretKey: string, iv: Uint8Array = randomBytes(16)): Buffer {
  if (iv.length !== 16) {
    throw new RangeError(
      `PayAtom's AES-256-CBC needs a 16-byte IV; got ${iv.length} bytes. Omit the IV to draw a random one.`,
    )
  }
  const key = payatomKey(secretKey)
  const ivBuf = Buffer.from(iv)
  const cipher = createCipheriv('aes-256-cbc', key, ivBuf)
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const hmac = createHmac('sha256', key)
    .update(Buffer.concat([ciphertext, ivBuf]))
    .digest()
  return Buffer.concat([ivBuf, hmac, ciphertext])
}

/**
 * The seed's PHP `decrypt($ivHashCiphertext, $password)`: splits `iv(16) . hmac(32) . ct`,
 * checks the HMAC in constant time, then decrypts. Returns `null` where PHP returns
 * null/false (HMAC mismatch, too short, bad padding). A string is taken as base64 (the
 * `post_hash` as sent), decoded leniently like PHP's `base64_decode`.
 *
 * @example
 * payatomDecrypt(webhook.post_hash, 'mysecretpassword') // '38729a623d7272ed1ff8e5fcc78b2682' (the remote hash)
 */
export function payatomDecrypt(ivHashCiphertext: Uint8Array | string, secretKey: string): string | null {
  const blob = typeof ivHashCiphertext === 'string' ? phpBase64Decode(ivHashCiphertext)! : Buffer.from(ivHashCiphertext)
  const iv = blob.subarray(0, 16)
  const hash = blob.subarray(16, 48)
  const ciphertext = blob.subarray(48)
  const key = payatomKey(secretKey)
  const expected = createHmac('sha256', key)
    .update(Buffer.concat([ciphertext, iv]))
    .digest()
  if (!sameBytes(hash, expected)) return null
  if (iv.length !== 16 || ciphertext.length === 0) return null
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, iv)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}

/**
 * `base64_encode(encrypt($localHash, $secret_key))`: the `post_hash` field.
 *
 * @example
 * payatomPostHash(payatomWebhookHash({ orderId: 'ORD1234567890', amount: '100', status: 'Approved', secretKey: 'mysecretpassword' }),
 *   'mysecretpassword') // 128 base64 characters, different every call
 */
export function payatomPostHash(localHash: string, secretKey: string, iv?: Uint8Array): string {
  return payatomEncrypt(localHash, secretKey, iv).toString('base64')
}

/** The values a webhook / polling-response `post_hash` covers. */
export interface PayatomWebhookHashFields {
  orderId: string
  /**
   * `received_amount` (the oldest docs: `amount`) as PHP prints it: `'100'` or `100` → `100`,
   * `100.5` → `100.5`, `phpFloat(100)` → `100`; a string `'100.00'` stays `100.00`.
   */
  amount: PhpScalar
  /** e.g. `Approved`, `Declined`, `User Timed Out`. */
  status: string
  secretKey: string
}

/**
 * The local hash of a webhook or a status-polling response:
 * `md5($order_id . $received_amount . $status . $secret_key)`, lowercase hex.
 *
 * @example
 * payatomWebhookHash({ orderId: 'ORD1234567890', amount: '100', status: 'Approved', secretKey: 'mysecretpassword' })
 * // '38729a623d7272ed1ff8e5fcc78b2682'
 */
export function payatomWebhookHash(fields: PayatomWebhookHashFields): string {
  return md5Hex(phpConcat(fields.orderId, fields.amount, fields.status, fields.secretKey))
}

/** The values a status-polling or refund request's `post_hash` covers. */
export interface PayatomPollingHashFields {
  /** `ref_code` (current docs, v2, refunds); the 2023 form-encoded polling used `order_id` here. */
  reference: string
  pid: string
  secretKey: string
}

/**
 * The local hash a merchant puts in a status-polling (or refund) request:
 * `md5($ref_code . $pid . $secret_key)`, lowercase hex.
 *
 * @example
 * payatomPollingHash({ reference: 'asas63elfe596ed8', pid: '5345f345345', secretKey: 'mysecretpassword' })
 * // '2d671701e5904d9e93970f7892f65a6c'
 */
export function payatomPollingHash(fields: PayatomPollingHashFields): string {
  return md5Hex(phpConcat(fields.reference, fields.pid, fields.secretKey))
}

/** Verdict of a hash or signature check, with plain words for the journal. */
export interface PayatomVerdict {
  ok: boolean
  /** What matched, or what went wrong and what to do. */
  explanation: string
}

/** The outcome of {@link verifyPayatomPostHash}. */
export interface PayatomPostHashVerdict extends PayatomVerdict {
  /** The decrypted md5 the merchant sent (`$remote_hash`), or null if it could not be decrypted. */
  remoteHash: string | null
  /** The md5 the sandbox computed (`$local_hash`). */
  localHash: string
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()]
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  )
}

function hmacDiagnosis(blob: Buffer, secretKey: string): string {
  const key = payatomKey(secretKey)
  const iv = blob.subarray(0, 16)
  const hash = blob.subarray(16, 48)
  const ct = blob.subarray(48)
  const eq = (a: Buffer, b: Buffer): boolean => sameBytes(a, b)
  if (
    eq(
      createHmac('sha256', key)
        .update(Buffer.concat([iv, ct]))
        .digest(),
      hash,
    )
  ) {
    return 'the HMAC was computed over iv . ciphertext; PayAtom computes it over ciphertext . iv (hash_hmac("sha256", $ciphertext . $iv, $key, true))'
  }
  const hexMacCt = blob.subarray(80)
  if (
    blob.length > 80 &&
    blob.subarray(16, 80).toString('latin1') ===
      createHmac('sha256', key)
        .update(Buffer.concat([hexMacCt, iv]))
        .digest('hex')
  ) {
    return "the HMAC is hex text (64 characters); pass true as hash_hmac's 4th argument to get the 32 raw bytes"
  }
  const hexKey = Buffer.from(createHash('sha256').update(secretKey, 'utf8').digest('hex'), 'latin1')
  if (
    eq(
      createHmac('sha256', hexKey)
        .update(Buffer.concat([ct, iv]))
        .digest(),
      hash,
    )
  ) {
    return 'the key is the sha256 HEX string; use the 32 raw bytes: hash("sha256", $secret_key, true)'
  }
  if (
    eq(
      createHmac('sha256', Buffer.from(secretKey, 'utf8'))
        .update(Buffer.concat([ct, iv]))
        .digest(),
      hash,
    )
  ) {
    return 'the HMAC key is the secret itself; PayAtom uses sha256(secret_key) as raw bytes for both AES and the HMAC'
  }
  return 'the HMAC does not match: the secret key differs, or post_hash was altered on the way'
}

/**
 * The receiver's check of a `post_hash`, as the seed's PHP does it: base64-decode, split
 * `iv . hmac . ct`, verify the HMAC, decrypt, and compare the remote md5 with the local one,
 * `md5(value1 . value2 … . secret_key)` over `fields` in order (the secret is appended).
 *
 * On failure the explanation names the failing step and, where it can tell, the mistake:
 * `+` turned into spaces by form-urlencoding, HMAC over `iv . ct`, hex HMAC or hex key, the
 * fields concatenated in another order or without the secret.
 *
 * @example
 * verifyPayatomPostHash(body.post_hash, 'mysecretpassword', [['ref_code', body.ref_code], ['pid', body.pid]])
 * // { ok: true, remoteHash: '2d67…', localHash: '2d67…', explanation: 'post_hash matches md5(ref_code . pid . secret_key)' }
 */
export function verifyPayatomPostHash(
  postHash: string | null | undefined,
  secretKey: string,
  fields: ReadonlyArray<readonly [name: string, value: PhpScalar]>,
): PayatomPostHashVerdict {
  const names = [...fields.map(([n]) => n), 'secret_key']
  const formula = `md5(${names.join(' . ')})`
  const values = fields.map(([, v]) => v)
  const concatenated = phpConcat(...values, secretKey)
  const localHash = md5Hex(concatenated)
  const recipe = `${formula} = md5(${JSON.stringify(concatenated)}) = ${localHash}`
  const verdict = (ok: boolean, remoteHash: string | null, explanation: string): PayatomPostHashVerdict => ({
    ok,
    remoteHash,
    localHash,
    explanation,
  })

  if (typeof postHash !== 'string' || postHash.trim() === '') {
    return verdict(false, null, `post_hash is missing. Send base64_encode(encrypt(${formula}, secret_key)).`)
  }
  const blob = phpBase64Decode(postHash)!
  let remoteHash = payatomDecrypt(blob, secretKey)
  if (remoteHash === null && postHash.includes(' ')) {
    const repaired = payatomDecrypt(postHash.replace(/ /g, '+'), secretKey)
    if (repaired !== null) {
      return verdict(
        false,
        repaired,
        'post_hash has spaces where base64 has "+": it was sent form-urlencoded without URL-encoding. URL-encode the value ("+" → "%2B", e.g. http_build_query) or send JSON.',
      )
    }
  }
  if (remoteHash === null) {
    if (blob.length < 64) {
      return verdict(
        false,
        null,
        `post_hash decodes to ${blob.length} bytes, too short for iv(16) . hmac(32) . ciphertext(16+). Send base64_encode($iv . $hmac . $ciphertext) from the documented encrypt().`,
      )
    }
    return verdict(false, null, `post_hash could not be verified: ${hmacDiagnosis(blob, secretKey)}.`)
  }
  if (remoteHash === localHash) {
    return verdict(true, remoteHash, `post_hash matches ${formula}`)
  }
  // Decrypted fine but the md5 differs: try the same values in other orders, with and without the secret.
  for (const order of permutations(fields.map((f, i) => i).concat(-1))) {
    for (const withSecret of [true, false]) {
      const parts = order.filter((i) => withSecret || i !== -1)
      const text = phpConcat(...parts.map((i) => (i === -1 ? secretKey : values[i]!)))
      if (md5Hex(text) === remoteHash) {
        const used = parts.map((i) => (i === -1 ? 'secret_key' : names[i]!)).join(' . ')
        return verdict(
          false,
          remoteHash,
          `post_hash decrypts to md5(${used}); the expected order is ${formula}. Expected ${recipe}.`,
        )
      }
    }
  }
  return verdict(
    false,
    remoteHash,
    `post_hash decrypts fine (the secret key is right) but to ${remoteHash}, not ${localHash}. Expected ${recipe}. ` +
      'Check the values and their text form (e.g. an amount written 100 vs 100.00).',
  )
}

/**
 * Request fields to sign: a plain object (values as in {@link PhpValue}; `undefined` ones are
 * left out) or a Map (e.g. from {@link phpJsonDecode}).
 */
export type PayatomV2Fields = ReadonlyMap<string | number, unknown> | object

function withoutSignature(fields: PayatomV2Fields): Map<string | number, unknown> {
  const entries: Array<[string | number, unknown]> =
    fields instanceof Map ? [...(fields as ReadonlyMap<string | number, unknown>).entries()] : Object.entries(fields)
  return new Map(entries.filter(([k, v]) => k !== 'signature' && v !== undefined))
}

/**
 * The exact string PayAtom's v2 signature hashes: every field except `signature`, keys sorted
 * A→Z (`ksort`), `json_encode`d with PHP defaults (`/` → `\/`, non-ASCII → `\uXXXX`), then the
 * secret key appended. Numbers stay numbers: `amount: 100` → `"amount":100`.
 *
 * @example
 * payatomV2SigningString({ pid: 'P1', amount: 250, order_id: 'ORD/2026/ü' }, 'k')
 * // '{"amount":250,"order_id":"ORD\\/2026\\/\\u00fc","pid":"P1"}k'
 */
export function payatomV2SigningString(fields: PayatomV2Fields, secretKey: string): string {
  return phpJsonEncode(phpKsort(withoutSignature(fields))) + secretKey
}

/**
 * PayAtom's v2 request `signature`: `sha256_hex(payatomV2SigningString(fields, secretKey))`, lowercase.
 *
 * @example
 * payatomV2Signature({ pid: 'your-partner-id', amount: 100, … }, 'your-secret-key')
 * // '69f9285e926f4fb34b96e68b97f73ba0936dbd5b1d88a0d8ac51838fba328f54' (research §A.3)
 */
export function payatomV2Signature(fields: PayatomV2Fields, secretKey: string): string {
  return sha256Hex(payatomV2SigningString(fields, secretKey))
}

/** The outcome of {@link verifyPayatomV2Signature}. */
export interface PayatomSignatureVerdict extends PayatomVerdict {
  /** The signature the sandbox computed, or null when the body could not be read. */
  expected: string | null
  /** The exact string hashed (JSON + secret), or null when the body could not be read. */
  signingString: string | null
}

/**
 * Checks the `signature` of a v2 request body as a PHP server does: `json_decode($body, true)`,
 * drop `signature`, `ksort`, `json_encode`, append the secret, sha256. Decoding keeps PHP's
 * types, so a body that says `100.0` is re-encoded as PHP re-encodes it (`100`).
 *
 * On a mismatch the explanation tries the usual client mistakes and names the one that
 * reproduces the merchant's signature: JSON.stringify-style output (no `\/`, raw Unicode),
 * unsorted keys, the secret not appended, `signature` included, upper-case hex.
 *
 * @example
 * verifyPayatomV2Signature(rawBody, 'your-secret-key')
 * // { ok: false, explanation: 'signature matches JSON written without PHP\'s "\\/" escaping …', … }
 */
export function verifyPayatomV2Signature(rawBody: string | Uint8Array, secretKey: string): PayatomSignatureVerdict {
  let body: PhpValue
  try {
    body = phpJsonDecode(rawBody)
  } catch (e) {
    const why = e instanceof PhpJsonError ? e.message : String(e)
    return {
      ok: false,
      expected: null,
      signingString: null,
      explanation: `The body is not JSON that PHP can decode: ${why}`,
    }
  }
  if (!(body instanceof Map)) {
    return {
      ok: false,
      expected: null,
      signingString: null,
      explanation: 'The body must be a JSON object with the request fields and "signature".',
    }
  }
  const fields = body as Map<string | number, PhpValue>
  const signingString = payatomV2SigningString(fields, secretKey)
  const expected = sha256Hex(signingString)
  const given = fields.get('signature')
  const recipe = `sha256_hex(json_encode(ksort(fields without signature)) . secret_key) = sha256(${JSON.stringify(signingString)}) = ${expected}`
  if (given === undefined || given === null || given === '') {
    return { ok: false, expected, signingString, explanation: `signature not provided. Expected ${recipe}.` }
  }
  if (typeof given !== 'string') {
    return {
      ok: false,
      expected,
      signingString,
      explanation: `signature must be a string of 64 lowercase hex characters. Expected ${recipe}.`,
    }
  }
  if (sameBytes(given, expected)) {
    return {
      ok: true,
      expected,
      signingString,
      explanation: 'signature matches sha256(json_encode(ksort(fields)) . secret_key)',
    }
  }
  if (given.toLowerCase() === expected) {
    return {
      ok: false,
      expected,
      signingString,
      explanation: `signature is upper-case hex; PayAtom's is lower-case (PHP hash()). Expected ${expected}.`,
    }
  }
  const sorted = phpKsort(withoutSignature(fields))
  const unsorted = withoutSignature(fields)
  const jsLike = { unescapedSlashes: true, unescapedUnicode: true, unescapedLineTerminators: true }
  const withSig = new Map(fields)
  const variants: Array<[string, () => string]> = [
    [
      'JSON written without PHP\'s escaping ("/" must be "\\/", non-ASCII "\\uXXXX"; JSON.stringify and json.dumps(ensure_ascii=False) do not do this)',
      () => phpJsonEncode(sorted, jsLike) + secretKey,
    ],
    [
      'JSON written with "/" unescaped (PHP writes "\\/")',
      () => phpJsonEncode(sorted, { unescapedSlashes: true }) + secretKey,
    ],
    [
      'JSON written with raw non-ASCII characters (PHP writes "\\uXXXX")',
      () => phpJsonEncode(sorted, { unescapedUnicode: true }) + secretKey,
    ],
    ['the fields in the order sent, not sorted by key', () => phpJsonEncode(unsorted) + secretKey],
    ["the fields unsorted and without PHP's escaping", () => phpJsonEncode(unsorted, jsLike) + secretKey],
    ['the JSON without the secret key appended', () => phpJsonEncode(sorted)],
    ['the secret key put before the JSON instead of after it', () => secretKey + phpJsonEncode(sorted)],
    [
      '"signature" itself included in the signed fields (leave it out)',
      () => phpJsonEncode(phpKsort(withSig)) + secretKey,
    ],
    [
      '"signature" included as an empty string (leave it out)',
      () => phpJsonEncode(phpKsort(new Map(withSig).set('signature', ''))) + secretKey,
    ],
  ]
  for (const [mistake, build] of variants) {
    let candidate: string
    try {
      candidate = build()
    } catch {
      continue
    }
    if (sha256Hex(candidate).toLowerCase() === given.toLowerCase()) {
      return {
        ok: false,
        expected,
        signingString,
        explanation: `Invalid signature: it was computed over ${mistake}. Expected ${recipe}.`,
      }
    }
  }
  return {
    ok: false,
    expected,
    signingString,
    explanation: `Invalid signature: ${given} does not match. Expected ${recipe}. Check the secret key and that every field sent (except signature) is signed with the value sent.`,
  }
}

/**
 * The pay-in / payout reconciliation `signature` (research §A.14): `sha256_hex(pid . secret_key . date)`,
 * `date` as `DD-MM-YYYY`.
 *
 * @example
 * payatomReconciliationSignature('000000000000', 'mysecretpassword', '15-10-2023') // 64 hex characters
 */
export function payatomReconciliationSignature(pid: string, secretKey: string, date: string): string {
  return sha256Hex(pid + secretKey + date)
}

/**
 * The v1 wallet-balance `verification_code` (research §A.12): `md5(operator password)`.
 *
 * @example
 * payatomVerificationCode('operator') // '4b583376b2767b923c3e1da60d10de59'
 */
export function payatomVerificationCode(password: string): string {
  return md5Hex(password)
}

/**
 * The complaint APIs' `signature` (sandbox contract: the document's appendix was not readable;
 * research §A.13 infers a SHA-256 over the fields and the secret, like reconciliation):
 * `sha256_hex(value1 . value2 … . secret_key)`, values as PHP prints them.
 * Submit signs `pid . order_id . ref_code`; the status check signs `pid . complaint_id`.
 *
 * @example
 * payatomComplaintSignature(['000000000000', 'ORD1234567890', refCode], 'mysecretpassword') // 64 hex characters
 */
export function payatomComplaintSignature(values: readonly PhpScalar[], secretKey: string): string {
  return sha256Hex(phpConcat(...values, secretKey))
}
