/**
 * RFC 3986 / RFC 5849 §3.6 percent encoding and `application/x-www-form-urlencoded` decoding, byte
 * exact: what OAuth 1.0a signs is the re-encoding of the decoded bytes.
 */

/** One decoded `name=value` pair, in the order it was found. */
export type FormPair = readonly [name: string, value: string]

const UTF8_ENCODER = new TextEncoder()
export const UTF8_DECODER = new TextDecoder('utf-8', { ignoreBOM: true })
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

export function toBytes(value: string | Uint8Array | ArrayBuffer): Uint8Array {
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
  // Most values (nonces, timestamps, amounts, ids) are unreserved characters only: the same string.
  if (typeof value === 'string' && UNRESERVED_ONLY.test(value)) return value
  const bytes = toBytes(value)
  let out = ''
  for (const b of bytes) {
    out += isUnreserved(b) ? String.fromCharCode(b) : '%' + HEX[b >> 4] + HEX[b & 15]
  }
  return out
}

const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/

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
  // Nothing to decode: the same string (a lone surrogate would come back as U+FFFD, so it goes the long way).
  if (!NEEDS_DECODING.test(value)) return value
  return UTF8_DECODER.decode(percentDecodeBytes(toBytes(value), false).bytes)
}

const NEEDS_DECODING = /[%\uD800-\uDFFF]/

export interface RawPair {
  name: Uint8Array
  value: Uint8Array
  invalidEscapes: number
}

/** Splits an `application/x-www-form-urlencoded` byte string into decoded byte pairs. */
export function formDecodeRaw(body: Uint8Array, plusAsSpace = true): RawPair[] {
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
