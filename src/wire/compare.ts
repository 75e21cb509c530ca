import { timingSafeEqual } from 'node:crypto'

/**
 * Compares two secrets (tokens, signatures, MACs) in constant time over their UTF-8 bytes. A
 * length mismatch or a non-ASCII value is an ordinary `false`, never an exception: the caller
 * answers its usual authentication failure. Time depends only on the length of `expected`.
 *
 * @example
 * sameBytes(request.header('X-Api-Key') ?? '', merchant.apiKey)   // true / false
 * sameBytes('é'.repeat(64), expectedHex)                           // false (no throw)
 */
export function sameBytes(given: string | Uint8Array, expected: string | Uint8Array): boolean {
  const a = typeof given === 'string' ? Buffer.from(given, 'utf8') : given
  const b = typeof expected === 'string' ? Buffer.from(expected, 'utf8') : expected
  if (a.byteLength !== b.byteLength) {
    timingSafeEqual(b, b)
    return false
  }
  return timingSafeEqual(a, b)
}
