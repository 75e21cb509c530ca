/**
 * Bankconnect cryptography, exactly as the provider's PHP does it (seed 000, research §C–D).
 *
 * The payload cipher has three base64 layers, counting the one openssl adds itself:
 *
 * ```php
 * $key  = md5($merchant_no . $secret);                              // 32 hex chars
 * $wire = base64_encode(openssl_encrypt(base64_encode($json), 'aes-128-ctr', $key, 0, $iv));
 * ```
 *
 * - AES-128 takes only the FIRST 16 CHARACTERS of the md5 hex text as its key, as ASCII bytes
 *   (PHP silently truncates a long passphrase; it does not hex-decode it).
 * - The IV is the provider-issued text (e.g. `a1b2c3d4e5f6g7h8`), NUL-padded or truncated to
 *   16 bytes as PHP does, with PHP's warning.
 * - `options = 0` makes openssl_encrypt return base64 text; CTR has no padding.
 *
 * @module
 */

import { Buffer } from 'node:buffer'
import { createCipheriv, createHash } from 'node:crypto'
import {
  phpBase64Decode,
  phpBase64Encode,
  phpConcat,
  phpJsonDecode,
  PhpJsonError,
  phpOpensslIv,
  phpOpensslKey,
  type PhpScalar,
} from '../../wire/php.js'
import { sameBytes } from '../../wire/compare.js'
import { BodyLimitError, checkJsonLimits } from '../../wire/limits.js'

/** A merchant's Bankconnect credentials: what the key and IV are made from. */
export interface BankconnectCredentials {
  /** `merchant_no`, e.g. `0035`. */
  merchantNo: string
  /** The merchant secret (`secretkey`), e.g. `35kjfkh45`. */
  secret: string
  /** The encryption IV Bankconnect issues, as text (e.g. `a1b2c3d4e5f6g7h8`) or bytes. */
  iv: string | Uint8Array
}

const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex')

/**
 * The key text the docs define: `md5(merchant_no . secret)`, 32 lowercase hex characters.
 *
 * @example
 * bankconnectKeyText('0035', '35kjfkh45') // 'de6ebcb24a03dcdd39643a6bc01ce636'
 */
export function bankconnectKeyText(merchantNo: string, secret: string): string {
  const id = `${merchantNo}\u0000${secret}`
  let text = keyTexts.get(id)
  if (text === undefined) {
    text = md5Hex(merchantNo + secret)
    if (keyTexts.size >= 64) keyTexts.clear()
    keyTexts.set(id, text)
  }
  return text
}

/** Key texts by merchant and secret: every request and every callback needs its merchant's, twice. */
const keyTexts = new Map<string, string>()

/**
 * The 16 key bytes AES-128-CTR really uses: the first 16 characters of
 * {@link bankconnectKeyText} as ASCII (PHP truncates the 32-character passphrase).
 *
 * @example
 * bankconnectAesKey('0035', '35kjfkh45').toString() // 'de6ebcb24a03dcdd'
 */
export function bankconnectAesKey(merchantNo: string, secret: string): Buffer {
  return phpOpensslKey(bankconnectKeyText(merchantNo, secret), 16)
}

/**
 * The 16 IV bytes PHP uses for the issued IV, and PHP's warning if its length is not 16.
 *
 * @example
 * bankconnectIv('a1b2c3d4e5f6g7h8') // { iv: <Buffer 61 31 62 32 …>, warning: null }
 */
function bankconnectIv(iv: string | Uint8Array, encrypting = true): { iv: Buffer; warning: string | null } {
  return phpOpensslIv(iv, 16, encrypting)
}

function ctr(key: Buffer, iv: Buffer, data: Buffer, cipher: 'aes-128-ctr' | 'aes-256-ctr' = 'aes-128-ctr'): Buffer {
  const c = createCipheriv(cipher, key, iv)
  return Buffer.concat([c.update(data), c.final()])
}

/**
 * Encrypts a JSON text the way Bankconnect and its merchants do:
 * `base64(openssl_encrypt(base64(json), 'aes-128-ctr', md5(merchant_no . secret), 0, iv))`.
 * Pass the JSON exactly as it must appear (use `phpJsonEncode` for PHP's own escaping).
 *
 * @example
 * encryptBankconnect('[{"status":"SUCCESS","order_id":"93893832223","payment_code":"SUCC200","message":"","utr":"39389383983"}]',
 *   { merchantNo: '0035', secret: '35kjfkh45', iv: 'a1b2c3d4e5f6g7h8' })
 * // 'Um1oQzYwd3NDZkRKVFc2ZStQa0JPNU1jaXkz…' (the PHP vector)
 */
export function encryptBankconnect(json: string | Uint8Array, credentials: BankconnectCredentials): string {
  const key = bankconnectAesKey(credentials.merchantNo, credentials.secret)
  const { iv } = bankconnectIv(credentials.iv, true)
  const inner = Buffer.from(phpBase64Encode(json), 'latin1')
  const opensslOutput = ctr(key, iv, inner).toString('base64')
  return phpBase64Encode(opensslOutput)
}

/** The layer of the Bankconnect envelope at which a payload stopped making sense, outermost first. */
export type BankconnectLayer =
  /** the form value is not base64 (or has one base64 layer too many) */
  | 'outer-base64'
  /** the outer base64 did not decode to the base64 text `openssl_encrypt(…, 0, iv)` returns */
  | 'openssl-base64'
  /** AES-128-CTR with this merchant's key and IV gave bytes that are not text: key or IV differ */
  | 'decryption'
  /** decrypted to text, but not to base64 */
  | 'inner-base64'
  /** everything decoded, but the result is not JSON */
  | 'json'

/** What {@link decryptBankconnect} found. */
export type BankconnectDecryptResult =
  | {
      ok: true
      /** The JSON text the merchant encrypted. */
      json: string
      /** `JSON.parse(json)`. */
      value: unknown
      /** Things PHP tolerated silently (skipped characters, IV length); worth showing in the journal. */
      notes: string[]
    }
  | {
      ok: false
      layer: BankconnectLayer
      /** What happened and what to do, in plain words. */
      explanation: string
      notes: string[]
    }

type Interpretation =
  | { kind: 'json'; json: string; value: unknown; viaInnerBase64: boolean }
  | { kind: 'not-json-after-base64'; text: string; reason: string }
  | { kind: 'text'; text: string }
  | { kind: 'binary' }

const BASE64_TEXT = /^[A-Za-z0-9+/\s]*={0,2}\s*$/

function isPrintableText(bytes: Buffer): boolean {
  if (bytes.length === 0) return false
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return false
  }
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)
}

function tryJson(bytes: Buffer): { ok: true; json: string; value: unknown } | { ok: false; reason: string } {
  try {
    const json = bytes.toString('utf8')
    checkJsonLimits(json)
    phpJsonDecode(bytes)
    return { ok: true, json, value: JSON.parse(json) }
  } catch (e) {
    return { ok: false, reason: e instanceof PhpJsonError || e instanceof BodyLimitError ? e.message : String(e) }
  }
}

/** What the decrypted bytes are, following PHP: base64_decode (lenient), then json_decode. */
function interpret(decrypted: Buffer): Interpretation {
  const asJson = tryJson(phpBase64Decode(decrypted)!)
  if (asJson.ok) return { kind: 'json', json: asJson.json, value: asJson.value, viaInnerBase64: true }
  const direct = tryJson(decrypted)
  if (direct.ok) return { kind: 'json', json: direct.json, value: direct.value, viaInnerBase64: false }
  if (!isPrintableText(decrypted)) return { kind: 'binary' }
  const text = decrypted.toString('utf8')
  if (BASE64_TEXT.test(text) && phpBase64Decode(text, true) !== null) {
    return { kind: 'not-json-after-base64', text: phpBase64Decode(text)!.toString('utf8'), reason: asJson.reason }
  }
  return { kind: 'text', text }
}

/** Decrypts with the documented layering: ct = base64_decode(base64_decode(wire)). */
function documentedPath(
  wire: string,
  key: Buffer,
  iv: Buffer,
  cipher: 'aes-128-ctr' | 'aes-256-ctr' = 'aes-128-ctr',
): Interpretation {
  const opensslText = phpBase64Decode(wire)!
  const ciphertext = phpBase64Decode(opensslText)!
  return interpret(ctr(key, iv, ciphertext, cipher))
}

const preview = (text: string, max = 60): string => JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text)

/**
 * Decrypts an `enc_payout_json` (or a response body) as Bankconnect's PHP does, and when the
 * result is not JSON says which layer went wrong and what the merchant probably did.
 *
 * PHP is lenient at every layer (its `base64_decode` skips foreign characters, CTR never fails),
 * so this accepts exactly what PHP would accept, and reports what PHP tolerated in `notes`.
 * When PHP would end up with garbage, the layers are checked strictly from the outside in, and
 * common mistakes are tried (one base64 layer too few or too many, OPENSSL_RAW_DATA, skipping
 * the inner base64, hex-decoding the md5 key, swapping merchant_no and secret, aes-256-ctr, an
 * empty IV) so the explanation can name the mistake.
 *
 * @example
 * const r = decryptBankconnect(form.enc_payout_json, { merchantNo: '0035', secret: '35kjfkh45', iv: 'a1b2c3d4e5f6g7h8' })
 * if (r.ok) r.value // [{ order_id: '93893832223', … }]
 * else r.layer      // e.g. 'inner-base64'; r.explanation says what to fix
 */
export function decryptBankconnect(wire: string, credentials: BankconnectCredentials): BankconnectDecryptResult {
  const notes: string[] = []
  const key = bankconnectAesKey(credentials.merchantNo, credentials.secret)
  const keyText = bankconnectKeyText(credentials.merchantNo, credentials.secret)
  const ivInfo = bankconnectIv(credentials.iv, false)
  if (ivInfo.warning) notes.push(`The merchant's IV is not 16 bytes; PHP says: "${ivInfo.warning}".`)
  const iv = ivInfo.iv
  // Only a refusal's explanation names the key and IV: built then, not for every request.
  const keyWords = () =>
    `key = first 16 characters of md5(merchant_no . secret) = md5(${JSON.stringify(credentials.merchantNo + credentials.secret)}) ` +
    `= "${keyText}" → "${key.toString('latin1')}" as ASCII bytes, IV = ${JSON.stringify(Buffer.from(iv).toString('latin1'))}`
  const fail = (layer: BankconnectLayer, explanation: string): BankconnectDecryptResult => ({
    ok: false,
    layer,
    explanation,
    notes,
  })

  if (typeof wire !== 'string' || wire.trim() === '') {
    return fail(
      'outer-base64',
      'The encrypted value is empty. Send base64(openssl_encrypt(base64(json), "aes-128-ctr", md5(merchant_no . secret), 0, iv)).',
    )
  }

  // What PHP does: lenient base64_decode twice, AES-128-CTR, lenient base64_decode, json_decode.
  const documented = documentedPath(wire, key, iv)
  // Characters (code points) outside the base64 alphabet, without an array of every character.
  const skipped = wire.match(/[^A-Za-z0-9+/=]/gu) ?? []
  if (documented.kind === 'json') {
    if (skipped.length > 0) {
      const kinds = [...new Set(skipped)].map((ch) => JSON.stringify(ch)).join(', ')
      notes.push(
        `The value contained ${skipped.length} character(s) outside the base64 alphabet (${kinds}); PHP's base64_decode skips them silently.`,
      )
    }
    if (!documented.viaInnerBase64) {
      // PHP's lenient base64_decode of JSON text would not give JSON back; PHP would fail here.
      return fail(
        'inner-base64',
        'The ciphertext decrypted straight to JSON: you skipped the inner base64 step. Encode the JSON with base64 BEFORE openssl_encrypt: ' +
          'base64(openssl_encrypt(base64(json), "aes-128-ctr", key, 0, iv)).',
      )
    }
    return { ok: true, json: documented.json, value: documented.value, notes }
  }

  // PHP would fail. Find the first layer that is wrong, trying the usual mistakes first.
  // (No "+ became a space" check: a correct wire is base64 of base64 TEXT, whose bytes are at
  // most 0x7a, so it can never contain "+" or "/"; form-urlencoding cannot damage it.)
  const alt = (w: string): Interpretation => documentedPath(w, key, iv)
  const succeeded = (i: Interpretation): boolean => i.kind === 'json'

  const outerStrict = phpBase64Decode(wire, true)
  if (outerStrict === null) {
    const bad = [...new Set([...wire].filter((ch) => !/[A-Za-z0-9+/=\s]/.test(ch)))]
    const why =
      bad.length > 0
        ? `it contains ${bad
            .slice(0, 5)
            .map((c) => JSON.stringify(c))
            .join(', ')}`
        : 'its length or "=" padding is wrong (was it cut off?)'
    return fail('outer-base64', `The value is not base64: ${why}. Send base64_encode() of openssl_encrypt's output.`)
  }

  const outerBytes = phpBase64Decode(wire)!
  const oneLayerFewer = interpret(ctr(key, iv, outerBytes))
  if (succeeded(oneLayerFewer)) {
    return fail(
      'openssl-base64',
      'The value has one base64 layer too few: it decoded straight to the ciphertext. openssl_encrypt(..., 0, iv) already returns base64 text, and the ' +
        'documented request base64-encodes that text once more. Either you skipped the final base64_encode, or you passed OPENSSL_RAW_DATA instead of 0.',
    )
  }
  const outerText = outerBytes.toString('latin1')
  if (BASE64_TEXT.test(outerText) && phpBase64Decode(outerText, true) !== null) {
    if (succeeded(alt(outerText))) {
      return fail(
        'outer-base64',
        "The value has one base64 layer too many. Encode openssl_encrypt's output (already base64 text) with base64_encode exactly once.",
      )
    }
  }
  if (!BASE64_TEXT.test(outerText) || phpBase64Decode(outerText, true) === null) {
    return fail(
      'openssl-base64',
      `The value is base64, but it decodes to ${outerBytes.length} bytes that are not the base64 text openssl_encrypt(..., 0, iv) returns. ` +
        'Check the layering: base64(openssl_encrypt(base64(json), "aes-128-ctr", md5(merchant_no . secret), 0, iv)) — options must be 0, not OPENSSL_RAW_DATA.',
    )
  }

  // The envelope is right; the decrypted bytes are not. Try the usual key and IV mistakes.
  const swapped = phpOpensslKey(md5Hex(credentials.secret + credentials.merchantNo), 16)
  const attempts: Array<[string, () => Interpretation]> = [
    [
      'you hex-decoded md5(merchant_no . secret) into 16 raw bytes; PHP uses the first 16 hex CHARACTERS as the key, as ASCII text',
      () => documentedPath(wire, Buffer.from(keyText, 'hex'), iv),
    ],
    [
      'you built the key as md5(secret . merchant_no); the order is md5(merchant_no . secret)',
      () => documentedPath(wire, swapped, iv),
    ],
    [
      "you used upper-case hex for the md5; PHP's md5() is lower-case",
      () => documentedPath(wire, phpOpensslKey(keyText.toUpperCase(), 16), iv),
    ],
    [
      'you used aes-256-ctr with the full 32-character md5; the cipher is aes-128-ctr, which uses the first 16 characters',
      () => documentedPath(wire, Buffer.from(keyText, 'latin1'), iv, 'aes-256-ctr'),
    ],
    [
      'you encrypted with an empty (all-zero) IV; use the IV Bankconnect issued for this merchant',
      () => documentedPath(wire, key, Buffer.alloc(16)),
    ],
  ]
  for (const [mistake, attempt] of attempts) {
    const result = attempt()
    if (succeeded(result))
      return fail(
        'decryption',
        `The payload decrypts only with a wrong key or IV: ${mistake}. The sandbox used ${keyWords()}.`,
      )
  }

  switch (documented.kind) {
    case 'binary':
      return fail(
        'decryption',
        `The envelope is well-formed, but decrypting with this merchant's key and IV gives binary noise, so the key or the IV differs. ` +
          `The sandbox used ${keyWords()}. Check merchant_no, the secret and the IV configured for this merchant.`,
      )
    case 'text':
      return fail(
        'inner-base64',
        `The ciphertext decrypted to text, but not to base64: ${preview(documented.text)}. Did you skip the inner base64 step? ` +
          'base64-encode the JSON before openssl_encrypt.',
      )
    case 'not-json-after-base64':
      return fail(
        'json',
        `Decrypted and base64-decoded, but the result is not JSON: ${preview(documented.text)} (${documented.reason}). Encrypt the JSON text itself.`,
      )
  }
  return fail('decryption', `The payload could not be decrypted. The sandbox used ${keyWords()}.`)
}

/**
 * The `User-token` header: `base64_encode(merchant_no . '::' . secretkey)`.
 *
 * @example
 * bankconnectUserToken('0035', '35kjfkh45') // 'MDAzNTo6MzVramZraDQ1'
 */
export function bankconnectUserToken(merchantNo: string, secret: string): string {
  return phpBase64Encode(`${merchantNo}::${secret}`)
}

/** A verdict with a plain-words explanation for the journal. */
export interface BankconnectVerdict {
  ok: boolean
  explanation: string
}

/**
 * Checks a `User-token` header and, when it is wrong, says how.
 *
 * @example
 * checkBankconnectUserToken('MDAzNTo6MzVramZraDQ1', '0035', '35kjfkh45') // { ok: true, … }
 * checkBankconnectUserToken(undefined, '0035', '35kjfkh45').explanation  // 'User-token header is missing…'
 */
export function checkBankconnectUserToken(
  header: string | null | undefined,
  merchantNo: string,
  secret: string,
): BankconnectVerdict {
  const expected = bankconnectUserToken(merchantNo, secret)
  const recipe = `base64_encode(merchant_no . "::" . secretkey) = base64(${JSON.stringify(`${merchantNo}::${secret}`)}) = ${expected}`
  if (header === null || header === undefined || header.trim() === '') {
    return { ok: false, explanation: `User-token header is missing. Send User-token: ${recipe}.` }
  }
  const given = header.trim()
  if (sameBytes(given, expected)) {
    return { ok: true, explanation: 'User-token matches base64(merchant_no::secretkey).' }
  }
  const decoded = phpBase64Decode(given.replace(/^(Basic|Bearer)\s+/i, ''), true)?.toString('utf8')
  let hint: string
  if (decoded === undefined) hint = 'it is not base64'
  else if (decoded === `${merchantNo}::${secret}`)
    hint = 'drop the "Basic "/"Bearer " prefix: the header is the bare base64 text'
  else if (decoded === `${merchantNo}:${secret}`)
    hint = 'it joins merchant_no and the secret with one colon; the separator is "::"'
  else if (decoded === `${secret}::${merchantNo}`) hint = 'it has the secret first; merchant_no comes first'
  else if (decoded.startsWith(`${merchantNo}::`)) hint = `it carries merchant_no ${merchantNo} with a different secret`
  else hint = `it decodes to ${JSON.stringify(decoded)}`
  return { ok: false, explanation: `User-token is wrong: ${hint}. Expected ${recipe}.` }
}

/** The fields of a Bankconnect callback's checksum, in hash order. */
export interface BankconnectChecksumFields {
  merchantNo: string
  orderId: string | number
  /** As sent in the callback; concatenated as PHP prints it (`"1.00"` stays `1.00`, a float `1.0` prints `1`). */
  amount: PhpScalar
  /** e.g. `SUCCESS`, `FAILED`, `PENDING`. */
  status: string
  secret: string
}

/**
 * The callback `checksum` (sandbox contract): `md5(merchant_no . order_id . amount . status . secret)`,
 * lowercase hex, values concatenated with no separator as PHP prints them.
 *
 * @example
 * bankconnectCallbackChecksum({ merchantNo: '0035', orderId: '93893832223', amount: '1.00', status: 'SUCCESS', secret: '35kjfkh45' })
 * // '3c11d70e253e2446779e0bc8227ab9c2'
 */
export function bankconnectCallbackChecksum(fields: BankconnectChecksumFields): string {
  return md5Hex(phpConcat(fields.merchantNo, fields.orderId, fields.amount, fields.status, fields.secret))
}
