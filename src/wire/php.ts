/**
 * PHP wire habits, as pure functions.
 *
 * Several emulated providers (Bankconnect, PayAtom) run PHP. What they put on the wire and what
 * they hash is whatever PHP's own functions produce, so the sandbox must reproduce those
 * functions byte for byte:
 *
 * - {@link phpJsonEncode}: `json_encode($value)` with PHP 8 defaults (`\/`, `\uXXXX` with
 *   surrogate pairs, floats with `serialize_precision = -1`, lists vs maps, key order kept).
 * - {@link phpJsonDecode}: `json_decode($text, true)`, keeping what JavaScript would lose
 *   (int vs float, key order, 64-bit integers) so that re-encoding gives what PHP would give.
 * - {@link phpToString} / {@link phpConcat}: a value as PHP prints it in string concatenation
 *   (`$a . $b`), which is what goes into md5/sha hashes; floats use `precision = 14`.
 * - {@link phpKsort}: `ksort($array)` key order (PHP 8 comparison rules).
 * - {@link phpBase64Decode}: `base64_decode()`, lenient by default exactly like PHP.
 *
 * ## Representing PHP values in JavaScript
 *
 * | PHP                         | JavaScript                                                    |
 * |-----------------------------|---------------------------------------------------------------|
 * | `int`                       | an integer `number` (or a `bigint` beyond 2^53)               |
 * | `float`                     | a non-integer `number`, or {@link phpFloat}`(n)` for any float |
 * | `string`                    | `string` (hashed and encoded as UTF-8)                        |
 * | `bool`, `null`              | `boolean`, `null`                                             |
 * | list `[1, 2]`               | an array                                                      |
 * | array (ordered hash map)    | a `Map` — encoded as a list when its keys are 0..n-1 in order |
 * | `stdClass` object           | a plain object — always encoded as a JSON object              |
 *
 * JavaScript cannot tell `100` from `100.0`, but PHP can, and prints them differently in some
 * places (`json_encode(100.0)` is `100`, yet `json_encode(1e17)` is `1.0e+17` while the int
 * `100000000000000000` stays as is; `(string)1e15` is `1.0E+15`). Wrap a number in
 * {@link phpFloat} when PHP would hold it as a float.
 *
 * @module
 */

import { Buffer } from 'node:buffer'

// ---------------------------------------------------------------------------------------------
// Float marker
// ---------------------------------------------------------------------------------------------

/**
 * A PHP `float`, for when the value happens to be integral and JavaScript would otherwise treat
 * it as a PHP `int`. Create it with {@link phpFloat}.
 *
 * @example
 * phpJsonEncode({ amount: phpFloat(1e17) }) // '{"amount":1.0e+17}'
 * phpJsonEncode({ amount: 1e17 })           // '{"amount":100000000000000000}' (an int)
 */
export class PhpFloat {
  /** The float's value. */
  readonly value: number
  constructor(value: number) {
    if (typeof value !== 'number') {
      throw new TypeError(
        `phpFloat() needs a number, got ${typeof value}. Convert the value first, e.g. phpFloat(Number(text)).`,
      )
    }
    this.value = value
  }
  /** The value as PHP's string conversion prints it (`precision = 14`), e.g. `1.0E+15`. */
  toString(): string {
    return phpFloatToString(this.value)
  }
  /** The plain number, so `+f` and arithmetic work. */
  valueOf(): number {
    return this.value
  }
}

/**
 * Marks a number as a PHP `float`.
 *
 * @example
 * phpJsonEncode([phpFloat(100), 100, 100.5]) // '[100,100,100.5]' — PHP prints 100.0 as 100 in JSON
 * phpJsonEncode([phpFloat(100)], { preserveZeroFraction: true }) // '[100.0]'
 * phpConcat('x', phpFloat(1e15)) // 'x1.0E+15'
 */
export function phpFloat(value: number): PhpFloat {
  return new PhpFloat(value)
}

/**
 * True when `value` is a {@link PhpFloat} marker.
 *
 * @example
 * isPhpFloat(phpFloat(1)) // true
 * isPhpFloat(1.5)         // false (a plain number; it is still a float to the encoder)
 */
export function isPhpFloat(value: unknown): value is PhpFloat {
  return value instanceof PhpFloat
}

/** A value {@link phpJsonEncode} accepts; {@link phpJsonDecode} returns the same shapes. */
export type PhpValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PhpFloat
  | readonly PhpValue[]
  | ReadonlyMap<string | number, PhpValue>
  | { readonly [key: string]: PhpValue | undefined }

/** Why a PHP json_encode/json_decode emulation refused a value (PHP itself would return false/null). */
export type PhpJsonErrorCode =
  'utf8' | 'utf16' | 'inf-or-nan' | 'depth' | 'unsupported-type' | 'syntax' | 'ctrl-char' | 'state-mismatch'

/**
 * Thrown where PHP's `json_encode`/`json_decode` would fail (return `false`/`null` and set
 * `json_last_error()`); `code` names PHP's error, the message says what to change.
 *
 * @example
 * try { phpJsonEncode(NaN) } catch (e) { if (e instanceof PhpJsonError) e.code } // 'inf-or-nan'
 */
export class PhpJsonError extends Error {
  readonly code: PhpJsonErrorCode
  constructor(code: PhpJsonErrorCode, message: string) {
    super(message)
    this.name = 'PhpJsonError'
    this.code = code
  }
}

// ---------------------------------------------------------------------------------------------
// Number formatting (zend_gcvt / smart_str_append_double)
// ---------------------------------------------------------------------------------------------

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** Shortest round-trip digits (zend_dtoa mode 0) of a finite, non-zero |x|. */
function shortestDigits(x: number): { digits: string; decpt: number } {
  const [mant, exp] = Math.abs(x).toExponential().split('e') as [string, string]
  return { digits: mant.replace('.', ''), decpt: Number(exp) + 1 }
}

/** Exact decimal expansion of a finite, non-zero |x| (every double is a finite decimal). */
function exactDigits(x: number): { digits: string; decpt: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, Math.abs(x))
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let e2: number
  if (biased === 0) {
    e2 = -1074
  } else {
    mantissa |= 1n << 52n
    e2 = biased - 1075
  }
  let digits: string
  let decpt: number
  if (e2 >= 0) {
    digits = (mantissa << BigInt(e2)).toString()
    decpt = digits.length
  } else {
    digits = (mantissa * 5n ** BigInt(-e2)).toString()
    decpt = digits.length + e2
  }
  digits = digits.replace(/0+$/, '')
  return { digits, decpt }
}

/** zend_dtoa mode 2: `ndigit` significant digits, round half to even, trailing zeros dropped. */
function roundedDigits(x: number, ndigit: number): { digits: string; decpt: number } {
  const exact = exactDigits(x)
  let { digits, decpt } = exact
  if (digits.length > ndigit) {
    const head = digits.slice(0, ndigit)
    const rest = digits.slice(ndigit)
    const first = rest.charCodeAt(0) - 48
    const tail = rest.slice(1)
    const lastOdd = (head.charCodeAt(head.length - 1) - 48) % 2 === 1
    const roundUp = first > 5 || (first === 5 && (/[1-9]/.test(tail) || lastOdd))
    if (roundUp) {
      const bumped = (BigInt(head) + 1n).toString()
      if (bumped.length > head.length) decpt += 1
      digits = bumped.slice(0, ndigit)
    } else {
      digits = head
    }
    digits = digits.replace(/0+$/, '')
    if (digits === '') digits = '0'
  }
  return { digits, decpt }
}

/**
 * zend_gcvt(): PHP's `%G`-like float printer. `precision <= 0` means "shortest round-trip"
 * (`serialize_precision = -1`, used by json_encode and var_export), otherwise `precision`
 * significant digits (`precision = 14`, used by string conversion).
 */
function zendGcvt(value: number, precision: number, expChar: 'e' | 'E'): string {
  if (Number.isNaN(value)) return 'NAN'
  if (!Number.isFinite(value)) return value < 0 ? '-INF' : 'INF'
  const negative = value < 0 || Object.is(value, -0)
  const mode0 = precision <= 0
  const ndigit = mode0 ? 17 : precision
  const { digits, decpt } =
    value === 0 ? { digits: '0', decpt: 1 } : mode0 ? shortestDigits(value) : roundedDigits(value, ndigit)
  let out = negative ? '-' : ''
  if (decpt < 0 ? decpt < -3 : decpt > ndigit) {
    // exponential format, e.g. 1.0e+25
    let exp = decpt - 1
    const expSign = exp < 0 ? '-' : '+'
    exp = Math.abs(exp)
    out += digits[0] + '.' + (digits.length > 1 ? digits.slice(1) : '0') + expChar + expSign + String(exp)
  } else if (decpt <= 0) {
    out += '0.' + '0'.repeat(-decpt) + digits
  } else {
    const intPart = digits.length >= decpt ? digits.slice(0, decpt) : digits + '0'.repeat(decpt - digits.length)
    const frac = digits.slice(decpt)
    out += intPart + (frac ? '.' + frac : '')
  }
  return out
}

/**
 * A float as PHP 8 converts it to a string (`(string)$f`, `"$f"`, `$a . $f`, `echo $f`):
 * `precision` significant digits (PHP's default ini `precision` is 14), round half to even,
 * exponent form `1.0E+15` once the exponent passes the precision or goes below -4.
 *
 * @example
 * phpFloatToString(100)        // '100'
 * phpFloatToString(0.1 + 0.2)  // '0.3'
 * phpFloatToString(1e15)       // '1.0E+15'
 * phpFloatToString(-0)         // '-0'
 * phpFloatToString(1 / 3)      // '0.33333333333333'
 */
export function phpFloatToString(value: number, precision = 14): string {
  return zendGcvt(value, precision === 0 ? 1 : precision, 'E')
}

/**
 * A float as `json_encode` / `var_export` print it (`serialize_precision = -1`): the shortest
 * text that reads back as the same double, exponent form `1.0e+17` once the decimal exponent
 * passes 17 or goes below -4. With `preserveZeroFraction` (PHP's `JSON_PRESERVE_ZERO_FRACTION`)
 * an integral value gets `.0`.
 *
 * @example
 * phpJsonFloat(100)        // '100'   (json_encode(100.0) really prints 100)
 * phpJsonFloat(100, true)  // '100.0'
 * phpJsonFloat(0.1 + 0.2)  // '0.30000000000000004'
 * phpJsonFloat(1e-5)       // '1.0e-5'
 */
export function phpJsonFloat(value: number, preserveZeroFraction = false): string {
  if (!Number.isFinite(value)) {
    throw new PhpJsonError(
      'inf-or-nan',
      `Inf and NaN cannot be JSON encoded (got ${value}); PHP's json_encode would return false. Send a finite number or a string.`,
    )
  }
  const text = zendGcvt(value, -1, 'e')
  return preserveZeroFraction && !text.includes('.') ? text + '.0' : text
}

/** Scalars {@link phpToString} and {@link phpConcat} accept. */
export type PhpScalar = string | number | bigint | boolean | null | undefined | PhpFloat

/**
 * A scalar as PHP prints it in string context (`(string)$v`, `$a . $v`): the exact text that
 * ends up inside md5/sha1/sha256 hashes built by concatenation.
 *
 * - strings unchanged; ints in decimal; `true` → `'1'`; `false`, `null`, `undefined` → `''`;
 * - floats (non-integer numbers and {@link phpFloat}) with `precision = 14`: `100.50` → `'100.5'`,
 *   `phpFloat(100)` → `'100'`, `phpFloat(1e15)` → `'1.0E+15'`.
 *
 * An integer JS number counts as a PHP int. A value that arrived as JSON `100.0` is a PHP float
 * and prints as `100` either way; a JSON string `"100.00"` stays `100.00`.
 *
 * @example
 * phpToString('100.00')      // '100.00'
 * phpToString(100.5)         // '100.5'
 * phpToString(phpFloat(2))   // '2'
 * phpToString(true)          // '1'
 */
export function phpToString(value: PhpScalar): string {
  if (value === null || value === undefined || value === false) return ''
  if (value === true) return '1'
  if (typeof value === 'string') return value
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof PhpFloat) return phpFloatToString(value.value)
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString()
    return phpFloatToString(value)
  }
  throw new TypeError(
    `phpToString() got a ${typeof value}; PHP would print "Array" or fail. Pass a string, number, bigint, boolean, null or phpFloat().`,
  )
}

/**
 * PHP's `.` operator over several values: `phpConcat(a, b, c)` is `$a . $b . $c`.
 *
 * @example
 * md5(phpConcat('ORD1', 100, 'Approved', 'secret')) // md5('ORD1100Approvedsecret')
 * phpConcat('A', 2500.5, phpFloat(1))               // 'A2500.51'
 */
export function phpConcat(...values: PhpScalar[]): string {
  return values.map(phpToString).join('')
}

// ---------------------------------------------------------------------------------------------
// json_encode
// ---------------------------------------------------------------------------------------------

/** PHP `json_encode` flags this emulation supports. All default to off, as in PHP. */
export interface PhpJsonEncodeOptions {
  /** `JSON_UNESCAPED_SLASHES`: write `/` instead of `\/`. */
  unescapedSlashes?: boolean
  /** `JSON_UNESCAPED_UNICODE`: write non-ASCII as UTF-8 instead of `\uXXXX` (U+2028/2029 stay escaped). */
  unescapedUnicode?: boolean
  /** `JSON_UNESCAPED_LINE_TERMINATORS`: with `unescapedUnicode`, also write U+2028/U+2029 raw. */
  unescapedLineTerminators?: boolean
  /** `JSON_PRESERVE_ZERO_FRACTION`: print float `100.0` as `100.0` instead of `100`. */
  preserveZeroFraction?: boolean
  /** `JSON_PRETTY_PRINT`: four-space indent, `"key": value`, `\n` line breaks. */
  prettyPrint?: boolean
  /** json_encode's `$depth` (default 512): deeper nesting fails like PHP's "Maximum stack depth exceeded". */
  depth?: number
}

const HEX = '0123456789abcdef'

function hex4(code: number): string {
  return '\\u' + HEX[(code >> 12) & 15] + HEX[(code >> 8) & 15] + HEX[(code >> 4) & 15] + HEX[code & 15]
}

function escapeString(s: string, options: PhpJsonEncodeOptions): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        if (options.unescapedUnicode) out += s[i]! + s[i + 1]!
        else out += hex4(c) + hex4(next)
        i++
        continue
      }
      throw new PhpJsonError(
        'utf8',
        `Malformed UTF-8 characters: the string has a lone UTF-16 surrogate (U+${c.toString(16).toUpperCase()}) at index ${i}, ` +
          'which has no UTF-8 form; PHP json_encode would return false. Fix the string (e.g. do not cut it in the middle of an emoji).',
      )
    }
    switch (c) {
      case 0x22:
        out += '\\"'
        continue
      case 0x5c:
        out += '\\\\'
        continue
      case 0x2f:
        out += options.unescapedSlashes ? '/' : '\\/'
        continue
      case 0x08:
        out += '\\b'
        continue
      case 0x0c:
        out += '\\f'
        continue
      case 0x0a:
        out += '\\n'
        continue
      case 0x0d:
        out += '\\r'
        continue
      case 0x09:
        out += '\\t'
        continue
    }
    if (c < 0x20) out += hex4(c)
    else if (c < 0x80) out += s[i]
    else if (!options.unescapedUnicode) out += hex4(c)
    else if ((c === 0x2028 || c === 0x2029) && !options.unescapedLineTerminators) out += hex4(c)
    else out += s[i]
  }
  return out + '"'
}

/** A PHP array key: canonical decimal integers ("0", "-5", not "05" or "-0") within int64 become ints. */
function phpArrayKey(key: string | number | bigint): { int: bigint | null; text: string } {
  if (typeof key === 'number') {
    if (!Number.isInteger(key)) {
      // PHP truncates float keys (with a deprecation notice since 8.1); reject instead
      throw new PhpJsonError(
        'unsupported-type',
        `Map key ${key} is not an integer; PHP array keys are ints or strings. Use a string key.`,
      )
    }
    key = BigInt(key)
  }
  if (typeof key === 'bigint') return { int: key, text: key.toString() }
  if (/^(0|-?[1-9][0-9]*)$/.test(key)) {
    const n = BigInt(key)
    if (n >= INT64_MIN && n <= INT64_MAX) return { int: n, text: key }
  }
  return { int: null, text: key }
}

/** Map → PHP array entries: keys normalised as PHP does; a repeated key keeps its first position, last value. */
function phpArrayEntries(map: ReadonlyMap<unknown, unknown>): Array<[string, unknown, bigint | null]> {
  const index = new Map<string, number>()
  const entries: Array<[string, unknown, bigint | null]> = []
  for (const [rawKey, value] of map) {
    if (typeof rawKey !== 'string' && typeof rawKey !== 'number' && typeof rawKey !== 'bigint') {
      throw new PhpJsonError(
        'unsupported-type',
        `Map key of type ${typeof rawKey} cannot be a PHP array key; use strings or integers.`,
      )
    }
    const { int, text } = phpArrayKey(rawKey)
    const id = (int === null ? 's:' : 'i:') + text
    const at = index.get(id)
    if (at === undefined) {
      index.set(id, entries.length)
      entries.push([text, value, int])
    } else {
      entries[at]![1] = value
    }
  }
  return entries
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'object'
  return typeof value
}

function encodeValue(
  value: unknown,
  options: PhpJsonEncodeOptions,
  depth: number,
  maxDepth: number,
  path: string,
): string {
  if (value === null) return 'null'
  if (value === true) return 'true'
  if (value === false) return 'false'
  if (typeof value === 'string') return escapeString(value, options)
  if (typeof value === 'bigint') {
    if (value < INT64_MIN || value > INT64_MAX) {
      throw new PhpJsonError(
        'unsupported-type',
        `${path}: ${value} does not fit a PHP int (64-bit); PHP would hold it as a float. Use phpFloat(Number(x)) or a string.`,
      )
    }
    return value.toString()
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString()
    return phpJsonFloat(value, options.preserveZeroFraction)
  }
  if (value instanceof PhpFloat) return phpJsonFloat(value.value, options.preserveZeroFraction)
  if (typeof value !== 'object') {
    throw new PhpJsonError(
      'unsupported-type',
      `${path}: a ${typeof value} has no PHP JSON form; PHP json_encode only takes scalars, arrays and objects.`,
    )
  }
  if (depth >= maxDepth) {
    throw new PhpJsonError(
      'depth',
      `${path}: Maximum stack depth exceeded (more than ${maxDepth} levels of nesting); PHP json_encode would return false.`,
    )
  }
  let items: Array<[string | null, unknown]>
  let isList: boolean
  if (Array.isArray(value)) {
    isList = true
    items = value.map((v, i) => {
      if (v === undefined) {
        throw new PhpJsonError(
          'unsupported-type',
          `${path}[${i}] is undefined (an array hole?); PHP lists have no holes. Use null or remove the element.`,
        )
      }
      return [null, v]
    })
  } else if (value instanceof Map) {
    const entries = phpArrayEntries(value).filter(([, v]) => v !== undefined)
    isList = entries.every(([, , int], i) => int === BigInt(i))
    items = entries.map(([k, v]) => [isList ? null : k, v])
  } else if (isPlainObject(value)) {
    isList = false
    items = Object.entries(value).filter(([, v]) => v !== undefined)
  } else {
    throw new PhpJsonError(
      'unsupported-type',
      `${path}: a ${describe(value)} has no PHP JSON form here; use a plain object, an array, a Map, phpFloat() or a scalar (convert dates and buffers to strings first).`,
    )
  }
  const [open, close] = isList ? ['[', ']'] : ['{', '}']
  if (items.length === 0) return open + close
  const pretty = options.prettyPrint === true
  const indent = pretty ? '\n' + '    '.repeat(depth + 1) : ''
  const parts = items.map(([k, v]) => {
    const childPath = k === null ? `${path}[]` : `${path}.${k}`
    const encoded = encodeValue(v, options, depth + 1, maxDepth, childPath)
    return indent + (k === null ? '' : escapeString(k, options) + (pretty ? ': ' : ':')) + encoded
  })
  return open + parts.join(',') + (pretty ? '\n' + '    '.repeat(depth) : '') + close
}

/**
 * `json_encode($value)` exactly as PHP 8 writes it with default flags:
 *
 * - `/` → `\/`; non-ASCII → `\uXXXX` (lowercase hex, surrogate pairs above U+FFFF);
 *   control characters → `\b \f \n \r \t` or `\u00XX`; DEL (0x7f) stays raw;
 * - ints in decimal; floats shortest round-trip with `e` exponents (`1.0e+25`), and an integral
 *   float prints WITHOUT `.0` (`json_encode(100.0)` is `100`) unless `preserveZeroFraction`;
 * - arrays → `[...]`; a `Map` is a PHP array: `[...]` if its keys are 0..n-1 in order (an empty
 *   Map is `[]`), else `{...}` in insertion order; a plain object is a PHP object: always `{...}`
 *   (an empty one is `{}`), keys in JS enumeration order — JS lists integer-like keys first, so
 *   use a Map when such keys must keep their place;
 * - properties whose value is `undefined` are left out (as if `unset`).
 *
 * Throws {@link PhpJsonError} where PHP returns `false`: NaN/Infinity, a lone surrogate (invalid
 * UTF-8), nesting deeper than `depth`, or a value PHP has no JSON form for.
 *
 * @example
 * phpJsonEncode({ url: 'https://x.in/a', name: 'Zoë' }) // '{"url":"https:\\/\\/x.in\\/a","name":"Zo\\u00eb"}'
 * phpJsonEncode({ amount: phpFloat(100), refund_info: [] }) // '{"amount":100,"refund_info":[]}'
 * phpJsonEncode(new Map([[0, 'a'], [1, 'b']]))            // '["a","b"]'
 */
export function phpJsonEncode(value: unknown, options: PhpJsonEncodeOptions = {}): string {
  return encodeValue(value, options, 0, options.depth ?? 512, '$')
}

// ---------------------------------------------------------------------------------------------
// json_decode($text, true)
// ---------------------------------------------------------------------------------------------

/**
 * `json_decode($text, true)` (associative arrays), keeping what PHP keeps:
 *
 * - objects → `Map<string, PhpValue>` in document order (a repeated key keeps its first place and
 *   its last value, as in PHP); re-encoded with {@link phpJsonEncode} they follow PHP array
 *   rules, so `{}` comes back as `[]` and `{"0":"a","1":"b"}` as `["a","b"]`, exactly as PHP;
 * - integers → `number` (or `bigint` outside ±2^53, within 64 bits); integers beyond 64 bits
 *   and every number with a fraction or exponent → {@link PhpFloat} (so `1.0` stays a float);
 * - strings, booleans, null, arrays as usual.
 *
 * Throws {@link PhpJsonError} where PHP returns `null` with an error: syntax errors, invalid UTF-8
 * (when given bytes), raw control characters in strings, a lone `\uD800` escape, and nesting
 * deeper than `depth` (PHP's default 512 allows 511 nested arrays/objects).
 * Use it when the decoded data must be re-encoded or hashed the way a PHP server does it
 * (e.g. PayAtom's v2 signature); for reading fields, `JSON.parse` is simpler.
 *
 * @example
 * const body = phpJsonDecode('{"amount":100.0,"pid":"P1"}') as Map<string, PhpValue>
 * body.get('amount')     // PhpFloat { value: 100 }
 * phpJsonEncode(body)    // '{"amount":100,"pid":"P1"}' (what PHP re-encodes)
 */
export function phpJsonDecode(text: string | Uint8Array, depth = 512): PhpValue {
  let source: string
  if (typeof text === 'string') {
    source = text
  } else {
    try {
      source = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(text)
    } catch {
      throw new PhpJsonError(
        'utf8',
        'Malformed UTF-8 characters, possibly incorrectly encoded: the body is not valid UTF-8. Send UTF-8 text.',
      )
    }
  }
  let pos = 0
  const fail = (what: string): never => {
    const near = JSON.stringify(source.slice(Math.max(0, pos - 10), pos + 10))
    throw new PhpJsonError(
      'syntax',
      `Syntax error at character ${pos} (near ${near}): ${what}. PHP json_decode would return null.`,
    )
  }
  // PHP's parser reports a closing bracket of the other kind (`[1}`, `{]`) as a state mismatch.
  const mismatch = (closing: string, expected: string): never => {
    throw new PhpJsonError(
      'state-mismatch',
      `State mismatch (invalid or malformed JSON) at character ${pos}: "${closing}" closes what "${expected === ']' ? '[' : '{'}" opened; close it with "${expected}". PHP json_decode would return null.`,
    )
  }
  const skipWs = (): void => {
    while (pos < source.length) {
      const c = source.charCodeAt(pos)
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++
      else break
    }
  }
  const parseString = (): string => {
    const start = pos
    pos++ // opening quote
    let out = ''
    for (;;) {
      if (pos >= source.length) {
        // PHP's scanner meets the text's terminating NUL inside the string: a control character error.
        throw new PhpJsonError(
          'ctrl-char',
          `Control character error, possibly incorrectly encoded: the string at character ${start} has no closing quote. PHP json_decode would return null.`,
        )
      }
      const c = source.charCodeAt(pos)
      if (c === 0x22) {
        pos++
        return out
      }
      if (c < 0x20) {
        throw new PhpJsonError(
          'ctrl-char',
          `Control character error at character ${pos}: a raw control character (0x${c.toString(16).padStart(2, '0')}) inside a string; escape it (e.g. \\n).`,
        )
      }
      if (c === 0x5c) {
        const e = source[pos + 1]
        pos += 2
        switch (e) {
          case '"':
            out += '"'
            break
          case '\\':
            out += '\\'
            break
          case '/':
            out += '/'
            break
          case 'b':
            out += '\b'
            break
          case 'f':
            out += '\f'
            break
          case 'n':
            out += '\n'
            break
          case 'r':
            out += '\r'
            break
          case 't':
            out += '\t'
            break
          case 'u': {
            const readHex = (at: number): number => {
              const h = source.slice(at, at + 4)
              if (!/^[0-9a-fA-F]{4}$/.test(h)) {
                pos = at
                fail('\\u must be followed by four hex digits')
              }
              return parseInt(h, 16)
            }
            const unit = readHex(pos)
            pos += 4
            if (unit >= 0xd800 && unit <= 0xdbff) {
              // PHP reports any high surrogate not followed by a low one as unpaired, even `\uD800\uZZ`.
              const lowHex = source.slice(pos + 2, pos + 6)
              const low =
                source.slice(pos, pos + 2) === '\\u' && /^[0-9a-fA-F]{4}$/.test(lowHex) ? parseInt(lowHex, 16) : -1
              if (low >= 0xdc00 && low <= 0xdfff) {
                out += String.fromCharCode(unit, low)
                pos += 6
                break
              }
              throw new PhpJsonError(
                'utf16',
                `Single unpaired UTF-16 surrogate in unicode escape at character ${pos - 6}; pair \\uD8xx with a following \\uDCxx.`,
              )
            }
            if (unit >= 0xdc00 && unit <= 0xdfff) {
              throw new PhpJsonError(
                'utf16',
                `Single unpaired UTF-16 surrogate in unicode escape at character ${pos - 6}; a low surrogate needs a high one before it.`,
              )
            }
            out += String.fromCharCode(unit)
            break
          }
          default:
            pos -= 1
            fail(`invalid escape \\${e ?? ''}`)
        }
        continue
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = source.charCodeAt(pos + 1)
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          out += source.slice(pos, pos + 2)
          pos += 2
          continue
        }
        throw new PhpJsonError(
          'utf8',
          `Malformed UTF-8 characters: lone surrogate at character ${pos}; the text cannot be UTF-8.`,
        )
      }
      out += source[pos]
      pos++
    }
  }
  const parseNumber = (): PhpValue => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(pos, pos + 400))
    if (!m) return fail('invalid number')
    const lexeme = m[0]
    pos += lexeme.length
    if (m[2] === undefined && m[3] === undefined) {
      const n = BigInt(lexeme)
      if (n < INT64_MIN || n > INT64_MAX) return new PhpFloat(Number(lexeme))
      if (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(n)
      return n
    }
    return new PhpFloat(Number(lexeme))
  }
  const parseValue = (level: number): PhpValue => {
    skipWs()
    const c = source[pos]
    if (c === '{' || c === '[') {
      if (level >= depth - 1) {
        throw new PhpJsonError(
          'depth',
          `Maximum stack depth exceeded at character ${pos}: PHP json_decode allows ${depth - 1} nested arrays/objects by default.`,
        )
      }
      pos++
      skipWs()
      if (c === '[') {
        const list: PhpValue[] = []
        if (source[pos] === ']') {
          pos++
          return list
        }
        if (source[pos] === '}') mismatch('}', ']')
        for (;;) {
          list.push(parseValue(level + 1))
          skipWs()
          if (source[pos] === ',') pos++
          else if (source[pos] === ']') {
            pos++
            return list
          } else if (source[pos] === '}') mismatch('}', ']')
          else fail('expected , or ]')
        }
      }
      const map = new Map<string, PhpValue>()
      if (source[pos] === '}') {
        pos++
        return map
      }
      if (source[pos] === ']') mismatch(']', '}')
      for (;;) {
        skipWs()
        if (source[pos] !== '"') fail('expected a "quoted" key')
        const key = parseString()
        skipWs()
        if (source[pos] !== ':') fail('expected :')
        pos++
        map.set(key, parseValue(level + 1))
        skipWs()
        if (source[pos] === ',') pos++
        else if (source[pos] === '}') {
          pos++
          return map
        } else if (source[pos] === ']') mismatch(']', '}')
        else fail('expected , or }')
      }
    }
    if (c === '"') return parseString()
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber()
    if (source.startsWith('true', pos)) {
      pos += 4
      return true
    }
    if (source.startsWith('false', pos)) {
      pos += 5
      return false
    }
    if (source.startsWith('null', pos)) {
      pos += 4
      return null
    }
    return fail(c === undefined ? 'unexpected end of input' : `unexpected ${JSON.stringify(c)}`)
  }
  const result = parseValue(0)
  skipWs()
  if (pos < source.length) fail('unexpected text after the JSON value')
  return result
}

// ---------------------------------------------------------------------------------------------
// ksort
// ---------------------------------------------------------------------------------------------

/** PHP 8 `is_numeric_string`: optional surrounding whitespace, sign, digits, fraction, exponent. */
function phpNumericValue(s: string): { int: bigint | null; num: number } | null {
  const m = /^[ \t\n\r\v\f]*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[ \t\n\r\v\f]*$/.exec(s)
  if (!m) return null
  const body = m[1]!
  if (/^[+-]?[0-9]+$/.test(body)) {
    const n = BigInt(body)
    if (n >= INT64_MIN && n <= INT64_MAX) return { int: n, num: Number(n) }
  }
  return { int: null, num: Number(body) }
}

/**
 * Compares two array keys as PHP 8's `ksort()` does (SORT_REGULAR): two numeric strings (ints
 * count as their decimal text) compare as numbers, anything else compares byte by byte in UTF-8
 * (`"B" < "_x" < "a"`; `"abc10" < "abc9"`; `9 < "1e1"`).
 *
 * @example
 * ['b', 'a', '10', '9'].sort(phpKeyCompare) // ['9', '10', 'a', 'b']
 */
export function phpKeyCompare(a: string | number | bigint, b: string | number | bigint): number {
  const sa = String(a)
  const sb = String(b)
  const na = phpNumericValue(sa)
  const nb = na && phpNumericValue(sb)
  if (na && nb) {
    if (na.int !== null && nb.int !== null) return na.int < nb.int ? -1 : na.int > nb.int ? 1 : 0
    return na.num < nb.num ? -1 : na.num > nb.num ? 1 : 0
  }
  const c = Buffer.compare(Buffer.from(sa, 'utf8'), Buffer.from(sb, 'utf8'))
  return c < 0 ? -1 : c > 0 ? 1 : 0
}

/**
 * `ksort($array)`: a new Map with the same entries ordered by key as PHP 8 orders them
 * ({@link phpKeyCompare}; the sort is stable). Accepts a Map or a plain object.
 * Limitation: with keys mixing numeric and non-numeric strings PHP's comparison can be
 * non-transitive, and then PHP's result depends on its sort algorithm; ordinary field names
 * are unaffected.
 *
 * @example
 * [...phpKsort({ pid: 'P1', amount: 100, email: 'a@b.c' }).keys()] // ['amount', 'email', 'pid']
 */
export function phpKsort<V>(
  input: ReadonlyMap<string | number, V> | { readonly [key: string]: V },
): Map<string | number, V> {
  const entries: Array<[string | number, V]> =
    input instanceof Map ? [...input.entries()] : Object.entries(input as Record<string, V>)
  entries.sort(([a], [b]) => phpKeyCompare(a, b))
  return new Map(entries)
}

// ---------------------------------------------------------------------------------------------
// base64
// ---------------------------------------------------------------------------------------------

/**
 * `base64_encode()`: standard alphabet, `=` padding, no line breaks. Strings are taken as UTF-8.
 *
 * @example
 * phpBase64Encode('0035::35kjfkh45') // 'MDAzNTo6MzVramZraDQ1'
 */
export function phpBase64Encode(data: string | Uint8Array): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64')
}

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const B64_REVERSE: Int16Array = (() => {
  const t = new Int16Array(256).fill(-2)
  for (let i = 0; i < 64; i++) t[B64_ALPHABET.charCodeAt(i)] = i
  for (const ws of [0x09, 0x0a, 0x0d, 0x20]) t[ws] = -1
  return t
})()

/**
 * `base64_decode($text, $strict)` exactly as PHP does it (on the UTF-8 bytes of a string).
 *
 * - Default (non-strict), like PHP: never fails; every character outside `A–Z a–z 0–9 + /`
 *   is skipped silently, `=` anywhere is ignored, and a dangling final character is dropped.
 *   Note this differs from Node's `Buffer.from(s, 'base64')`, which also accepts `-` and `_`.
 * - `strict = true`: returns `null` (PHP's `false`) on any character outside the alphabet
 *   except space/tab/CR/LF, on data after padding, on a truncated final group, or on wrong
 *   padding; missing padding is accepted.
 *
 * @example
 * phpBase64Decode('QUJD')?.toString()         // 'ABC'
 * phpBase64Decode('QU=JD-_')?.toString()      // 'ABC'  (junk skipped, as PHP)
 * phpBase64Decode('QUJDR', true)               // null   (truncated)
 */
export function phpBase64Decode(text: string | Uint8Array, strict = false): Buffer | null {
  const input = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
  const out = Buffer.alloc(Math.ceil((input.length * 3) / 4) + 1)
  let i = 0
  let padding = 0
  let j = 0
  for (const byte of input) {
    if (byte === 0x3d) {
      padding++
      continue
    }
    const ch = B64_REVERSE[byte]!
    if (!strict) {
      if (ch < 0) continue
    } else {
      if (ch === -1) continue
      if (ch === -2 || padding) return null
    }
    switch (i % 4) {
      case 0:
        out[j] = ch << 2
        break
      case 1:
        out[j++]! |= ch >> 4
        out[j] = (ch & 0x0f) << 4
        break
      case 2:
        out[j++]! |= ch >> 2
        out[j] = (ch & 0x03) << 6
        break
      case 3:
        out[j++]! |= ch
        break
    }
    i++
  }
  if (strict && i % 4 === 1) return null
  if (strict && padding && (padding > 2 || (i + padding) % 4 !== 0)) return null
  return out.subarray(0, j)
}

// ---------------------------------------------------------------------------------------------
// openssl_encrypt / openssl_decrypt argument handling
// ---------------------------------------------------------------------------------------------

/**
 * The key bytes PHP's `openssl_encrypt`/`openssl_decrypt` really use for a `$passphrase`: a
 * longer one is silently truncated to the cipher's key length, a shorter one silently NUL-padded
 * (no key derivation, no warning). Strings are taken as UTF-8 bytes.
 *
 * @example
 * phpOpensslKey(md5hex, 16) // aes-128-*: the first 16 hex CHARACTERS as ASCII, not hex-decoded
 */
export function phpOpensslKey(passphrase: string | Uint8Array, keyLength: number): Buffer {
  const bytes = typeof passphrase === 'string' ? Buffer.from(passphrase, 'utf8') : Buffer.from(passphrase)
  const key = Buffer.alloc(keyLength)
  bytes.copy(key, 0, 0, Math.min(bytes.length, keyLength))
  return key
}

/**
 * The IV bytes PHP's openssl functions really use (`php_openssl_validate_iv`), with the warning
 * PHP prints, word for word: a shorter IV is NUL-padded, a longer one truncated, an empty one
 * becomes all zeros (and `openssl_encrypt` warns that an empty IV is insecure). Strings are
 * taken as UTF-8 bytes.
 *
 * @example
 * phpOpensslIv('a1b2c3d4e5f6g7h8', 16) // { iv: <16 ASCII bytes>, warning: null }
 * phpOpensslIv('short', 16).warning
 * // 'IV passed is only 5 bytes long, cipher expects an IV of precisely 16 bytes, padding with \0'
 */
export function phpOpensslIv(
  iv: string | Uint8Array,
  ivLength: number,
  encrypting = true,
): { iv: Buffer; warning: string | null } {
  const bytes = typeof iv === 'string' ? Buffer.from(iv, 'utf8') : Buffer.from(iv)
  const out = Buffer.alloc(ivLength)
  bytes.copy(out, 0, 0, Math.min(bytes.length, ivLength))
  let warning: string | null = null
  if (bytes.length === 0) {
    warning = encrypting
      ? 'Using an empty Initialization Vector (iv) is potentially insecure and not recommended'
      : null
  } else if (bytes.length < ivLength) {
    warning = `IV passed is only ${bytes.length} bytes long, cipher expects an IV of precisely ${ivLength} bytes, padding with \\0`
  } else if (bytes.length > ivLength) {
    warning = `IV passed is ${bytes.length} bytes long which is longer than the ${ivLength} expected by selected cipher, truncating`
  }
  return { iv: out, warning }
}
