/**
 * ECommPay's flattened-tree signature, as pure functions: every leaf of the data becomes one
 * `path:value` line, the lines are sorted (in the documented order, or any official SDK's order),
 * joined with `;`, and signed with Base64(HMAC-SHA512(secret key, that string)). See `crypto.ts`
 * for where the signature travels; `signature-check.ts` verifies and explains.
 */
import { createHmac } from 'node:crypto'

// ---------------------------------------------------------------------------------------------
// Constants and public types
// ---------------------------------------------------------------------------------------------

/** Keys that no official SDK signs, at any depth. */
const SIGNATURE_IGNORED_KEYS: readonly string[] = ['frame_mode']

/** The ECommPay result code for "Invalid signature". */
export const INVALID_SIGNATURE_CODE = '3261'
/** The ECommPay result code for "Empty signature". */
export const EMPTY_SIGNATURE_CODE = '3262'

/**
 * The line orders the official SDKs produce. They agree except for lists of 10+ items and keys
 * that are a prefix of a sibling key followed by a character below `:` (digits, `-`, `.`).
 * - `sorted-lines`: whole `path:value` lines sorted byte by byte (UTF-8). ECommPay's docs, the
 *   Go, Java and .NET SDKs. The sandbox produces this order.
 * - `php-natural-keys`: the flattened keys sorted with PHP `ksort($a, SORT_NATURAL)` (PHP SDK,
 *   WooCommerce, Magento and PrestaShop plug-ins).
 * - `js-per-level`: keys sorted level by level, integer-like keys (list indexes) first in
 *   numeric order (JS SDK, npm `ecommpay`; it also leaves `:` inside keys undoubled).
 * - `python-keys`: the flattened keys sorted by code point (Python SDK).
 */
export const SIGNATURE_ORDERS = ['sorted-lines', 'php-natural-keys', 'js-per-level', 'python-keys'] as const
export type SignatureOrder = (typeof SIGNATURE_ORDERS)[number]

/** Plain-words names of the orders, used in explanations. */
export const SIGNATURE_ORDER_DESCRIPTIONS: Readonly<Record<SignatureOrder, string>> = {
  'sorted-lines': 'whole "path:value" lines sorted byte by byte, as ECommPay documents it (Go, Java, .NET SDKs)',
  'php-natural-keys': "the PHP SDK's natural key order (also the WooCommerce, Magento and PrestaShop plug-ins)",
  'js-per-level': 'the JS SDK\'s level-by-level order (npm "ecommpay"; list indexes in numeric order)',
  'python-keys': "the Python SDK's key order (flattened keys sorted by code point)",
}

/** Options for {@link signatureBaseString}. */
export interface SignatureBaseStringOptions {
  /** Line order; default `sorted-lines`, the order the sandbox produces. */
  order?: SignatureOrder
  /**
   * Write a `:` inside a key as `::` (PHP, Python, Java, .NET SDKs since 2023). Default `true`.
   * The JS SDK and older SDK versions leave it as is.
   */
  escapeColons?: boolean
}

// ---------------------------------------------------------------------------------------------
// Flattening
// ---------------------------------------------------------------------------------------------

/** One path segment: an object key or a list index. */
interface Segment {
  readonly key: string
  readonly index: boolean
}

/** One leaf of the data: its path and its signed text. */
interface Leaf {
  readonly segments: readonly Segment[]
  readonly text: string
}

/** How leaves are turned into text; the non-default settings only serve mismatch diagnoses. */
export interface FlattenRules {
  readonly ignoredKeys: ReadonlySet<string>
  readonly booleanText: (value: boolean) => string
  readonly nullText: string
}

export const STANDARD_RULES: FlattenRules = {
  ignoredKeys: new Set(SIGNATURE_IGNORED_KEYS),
  booleanText: (value) => (value ? '1' : '0'),
  nullText: '',
}

/** Where a leaf sits, for error messages, e.g. `list.[0].m` (never empty: `flatten` takes only objects). */
function describePath(segments: readonly Segment[]): string {
  return segments.map((s) => (s.index ? `[${s.key}]` : s.key)).join('.')
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function leafText(value: unknown, segments: readonly Segment[], rules: FlattenRules): string {
  if (value === null) return rules.nullText
  switch (typeof value) {
    case 'string':
      return value
    case 'boolean':
      return rules.booleanText(value)
    case 'bigint':
      return value.toString()
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TypeError(
          `Cannot sign ${String(value)} at ${describePath(segments)}: JSON has no such number. ` +
            'Send a finite integer (amounts in minor units).',
        )
      }
      return String(value)
    default:
      throw new TypeError(
        `Cannot sign a ${typeof value} at ${describePath(segments)}: only JSON data ` +
          '(objects, arrays, strings, numbers, booleans, null) can be signed. Pass the parsed JSON body.',
      )
  }
}

function collectLeaves(node: unknown, segments: Segment[], rules: FlattenRules, out: Leaf[]): void {
  if (Array.isArray(node)) {
    node.forEach((item: unknown, i) => {
      // JSON has no `undefined`; inside a list JSON.stringify writes it as null.
      collectLeaves(item === undefined ? null : item, [...segments, { key: String(i), index: true }], rules, out)
    })
    return
  }
  if (node !== null && typeof node === 'object') {
    if (!isPlainObject(node)) {
      const name = (node as { constructor?: { name?: string } }).constructor?.name ?? 'object'
      throw new TypeError(
        `Cannot sign a ${name} at ${describePath(segments)}: only plain JSON objects and arrays can be ` +
          'signed. Convert it to JSON data first (e.g. a date to its string).',
      )
    }
    for (const key of Object.keys(node)) {
      if (rules.ignoredKeys.has(key)) continue
      const value = node[key]
      if (value === undefined) continue // absent on the wire, as JSON.stringify does
      collectLeaves(value, [...segments, { key, index: false }], rules, out)
    }
    return
  }
  out.push({ segments, text: leafText(node, segments, rules) })
}

export function flatten(data: unknown, rules: FlattenRules = STANDARD_RULES): Leaf[] {
  if (!isPlainObject(data)) {
    const what = Array.isArray(data) ? 'an array' : data === null ? 'null' : `a ${typeof data}`
    throw new TypeError(`Cannot sign ${what}: the data to sign must be a JSON object ({...}).`)
  }
  const out: Leaf[] = []
  collectLeaves(data, [], rules, out)
  return out
}

function keyOf(leaf: Leaf, escapeColons: boolean): string {
  return leaf.segments.map((s) => (escapeColons && !s.index ? s.key.replaceAll(':', '::') : s.key)).join(':')
}

function lineOf(leaf: Leaf, escapeColons: boolean): string {
  return `${keyOf(leaf, escapeColons)}:${leaf.text}`
}

// ---------------------------------------------------------------------------------------------
// The four orders
// ---------------------------------------------------------------------------------------------

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8')

function compareBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b)
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
// C isspace() in the "C" locale: space, \t \n \v \f \r.
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d)

/**
 * PHP's `strnatcmp_ex(a, b, case_sensitive)` (ext/standard/strnatcmp.c, PHP 8), byte for byte:
 * leading zeros skipped once, whitespace skipped, digit runs compared as numbers (or, when one
 * starts with `0`, left-aligned as fractions). A byte past the end reads as NUL, as in C.
 */
function phpStrnatcmp(a: Buffer, b: Buffer): number {
  const aend = a.length
  const bend = b.length
  if (aend === 0 || bend === 0) return aend === bend ? 0 : aend > bend ? 1 : -1
  const at = (buf: Buffer, i: number): number => (i < buf.length ? buf[i]! : 0)
  let ap = 0
  let bp = 0
  let ca = a[0]!
  let cb = b[0]!
  while (ca === 0x30 && ap + 1 < aend && isDigit(a[ap + 1]!)) ca = a[++ap]!
  while (cb === 0x30 && bp + 1 < bend && isDigit(b[bp + 1]!)) cb = b[++bp]!

  for (;;) {
    while (isSpace(ca)) ca = at(a, ++ap)
    while (isSpace(cb)) cb = at(b, ++bp)

    if (isDigit(ca) && isDigit(cb)) {
      const fractional = ca === 0x30 || cb === 0x30
      let result = 0
      if (fractional) {
        // compare_left: the first different digit wins.
        for (; ; ap++, bp++) {
          const aDone = ap >= aend || !isDigit(a[ap]!)
          const bDone = bp >= bend || !isDigit(b[bp]!)
          if (aDone && bDone) {
            result = 0
            break
          }
          if (aDone) {
            result = -1
            break
          }
          if (bDone) {
            result = 1
            break
          }
          if (a[ap]! < b[bp]!) {
            result = -1
            break
          }
          if (a[ap]! > b[bp]!) {
            result = 1
            break
          }
        }
      } else {
        // compare_right: the longest run wins, else the first difference (bias).
        let bias = 0
        for (; ; ap++, bp++) {
          const aDone = ap >= aend || !isDigit(a[ap]!)
          const bDone = bp >= bend || !isDigit(b[bp]!)
          if (aDone && bDone) {
            result = bias
            break
          }
          if (aDone) {
            result = -1
            break
          }
          if (bDone) {
            result = 1
            break
          }
          if (a[ap]! < b[bp]!) {
            if (!bias) bias = -1
          } else if (a[ap]! > b[bp]!) {
            if (!bias) bias = 1
          }
        }
      }
      if (result !== 0) return result
      if (ap === aend && bp === bend) return 0
      if (ap === aend) return -1
      if (bp === bend) return 1
      ca = a[ap]!
      cb = b[bp]!
    }

    if (ca < cb) return -1
    if (ca > cb) return 1
    ++ap
    ++bp
    if (ap >= aend && bp >= bend) return 0
    if (ap >= aend) return -1
    if (bp >= bend) return 1
    ca = a[ap]!
    cb = b[bp]!
  }
}

const MAX_ARRAY_INDEX = 4294967294

/** The numeric value of a key that a JS engine treats as an array index, else null. */
function jsArrayIndex(key: string): number | null {
  if (!/^(?:0|[1-9][0-9]{0,9})$/.test(key)) return null
  const n = Number(key)
  return n <= MAX_ARRAY_INDEX ? n : null
}

/**
 * The JS SDK sorts each level's keys with `Array.prototype.sort()` and copies them into a new
 * object; enumerating that object yields integer-like keys first, in numeric order, then the
 * others in sorted (UTF-16) order. So list indexes come out numerically, not as strings.
 */
function compareJsKeys(a: string, b: string): number {
  const ia = jsArrayIndex(a)
  const ib = jsArrayIndex(b)
  if (ia !== null && ib !== null) return ia - ib
  if (ia !== null) return -1
  if (ib !== null) return 1
  return a < b ? -1 : a > b ? 1 : 0
}

function compareJsPerLevel(a: Leaf, b: Leaf): number {
  const n = Math.min(a.segments.length, b.segments.length)
  for (let i = 0; i < n; i++) {
    const c = compareJsKeys(a.segments[i]!.key, b.segments[i]!.key)
    if (c !== 0) return c
  }
  return a.segments.length - b.segments.length
}

/** Sorts leaves in one SDK's order. Array.prototype.sort is stable, like PHP 8's ksort. */
export function sortLeaves(leaves: readonly Leaf[], order: SignatureOrder, escapeColons: boolean): Leaf[] {
  switch (order) {
    case 'sorted-lines': {
      const keyed = leaves.map((leaf) => ({ leaf, sortKey: utf8(lineOf(leaf, escapeColons)) }))
      keyed.sort((x, y) => compareBytes(x.sortKey, y.sortKey))
      return keyed.map((k) => k.leaf)
    }
    case 'php-natural-keys': {
      const keyed = leaves.map((leaf) => ({ leaf, sortKey: utf8(keyOf(leaf, escapeColons)) }))
      keyed.sort((x, y) => phpStrnatcmp(x.sortKey, y.sortKey))
      return keyed.map((k) => k.leaf)
    }
    case 'python-keys': {
      // UTF-8 byte order is code point order.
      const keyed = leaves.map((leaf) => ({ leaf, sortKey: utf8(keyOf(leaf, escapeColons)) }))
      keyed.sort((x, y) => compareBytes(x.sortKey, y.sortKey))
      return keyed.map((k) => k.leaf)
    }
    case 'js-per-level':
      return [...leaves].sort(compareJsPerLevel)
  }
}

export function renderLines(leaves: readonly Leaf[], escapeColons: boolean): string {
  return leaves.map((leaf) => lineOf(leaf, escapeColons)).join(';')
}

/** Each SDK's own habit for `:` inside keys. */
export const NATIVE_ESCAPE: Readonly<Record<SignatureOrder, boolean>> = {
  'sorted-lines': true,
  'php-natural-keys': true,
  'js-per-level': false,
  'python-keys': true,
}

// ---------------------------------------------------------------------------------------------
// Signing primitives
// ---------------------------------------------------------------------------------------------

/**
 * Base64(HMAC-SHA512(secret, message)), both taken as UTF-8: the last step of every ECommPay
 * signature. Always 88 characters.
 *
 * @example
 * hmacSha512Base64('payment:id:000049;payment:status:success', 'secret')
 * // → '/3TrhHVz9BHaLfgLyhoxO7dsQNzbzZa/TdO3pxQocXWwgVM6tGlzMLVfpOxFNTnkR9iiFVK/77ZedMcbkCjmng=='
 */
export function hmacSha512Base64(message: string, secret: string): string {
  return createHmac('sha512', Buffer.from(secret, 'utf8')).update(message, 'utf8').digest('base64')
}

/**
 * The string ECommPay signs for `data` (the "signature base string"): one `path:value` line per
 * leaf, sorted, joined with `;`. It signs exactly what it is given: strip the signature first
 * (or use {@link gateSignatureBaseString} / {@link callbackSignatureBaseString}). `frame_mode` is
 * skipped at any depth. Throws a TypeError naming the path when `data` is not JSON data.
 *
 * @example
 * signatureBaseString({ payment: { id: 'X1', paid: true, note: null }, items: [] })
 * // → 'payment:id:X1;payment:note:;payment:paid:1'
 * signatureBaseString({ x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, { order: 'js-per-level' })
 * // → 'x:0:0;x:1:1;…;x:9:9;x:10:10' (the default order puts x:10 before x:2)
 */
export function signatureBaseString(data: unknown, options: SignatureBaseStringOptions = {}): string {
  const order = options.order ?? 'sorted-lines'
  const escapeColons = options.escapeColons ?? true
  return renderLines(sortLeaves(flatten(data), order, escapeColons), escapeColons)
}

/**
 * The ECommPay signature of `data` in the documented order (whole lines sorted byte by byte),
 * which every official SDK reproduces for ordinary payloads. Signs exactly what it is given.
 *
 * @example
 * computeSignature({ payment: { id: '000049', status: 'success' } }, 'secret')
 * // → '/3TrhHVz9BHaLfgLyhoxO7dsQNzbzZa/TdO3pxQocXWwgVM6tGlzMLVfpOxFNTnkR9iiFVK/77ZedMcbkCjmng=='
 */
export function computeSignature(data: unknown, secret: string): string {
  return hmacSha512Base64(signatureBaseString(data), secret)
}

// ---------------------------------------------------------------------------------------------
// Removing the signature from the data
// ---------------------------------------------------------------------------------------------

/** A copy of `obj` without `key`; safe for keys such as `__proto__` (no assignment is used). */
export function omitKey(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key))
}

/** The body without `general.signature`; also without a top-level `signature` when `alsoTopLevel`. */
export function withoutGateSignature(body: Record<string, unknown>, alsoTopLevel = true): Record<string, unknown> {
  const general = body['general']
  const rest = alsoTopLevel ? omitKey(body, 'signature') : body
  if (!isPlainObject(general) || !Object.hasOwn(general, 'signature')) return rest
  return Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, k === 'general' ? omitKey(general, 'signature') : v]),
  )
}

/** Every key named `signature` removed, at any depth, in objects and lists (PHP and JS SDKs). */
export function withoutAnySignature(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutAnySignature)
  if (isPlainObject(node)) {
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k]) => k !== 'signature')
        .map(([k, v]) => [k, withoutAnySignature(v)]),
    )
  }
  return node
}

export function hasNestedSignatureKey(node: unknown, depth: number): boolean {
  if (Array.isArray(node)) return node.some((v) => hasNestedSignatureKey(v, depth + 1))
  if (isPlainObject(node)) {
    return Object.entries(node).some(
      ([k, v]) => (k === 'signature' && depth > 0) || hasNestedSignatureKey(v, depth + 1),
    )
  }
  return false
}
