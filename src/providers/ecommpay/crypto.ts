/**
 * ECommPay signatures, as pure functions.
 *
 * ECommPay signs a request, a callback or a Payment Page query the same way (research
 * `ecommpay.md` §1): every leaf of the data becomes one `path:value` line (nested keys joined
 * with `:`, list items by their 0-based index, `true`/`false` as `1`/`0`, `null` as nothing,
 * empty `{}`/`[]` give no line, `frame_mode` is never signed, a `:` inside a key is written
 * `::`), the lines are sorted, joined with `;`, and the signature is
 * Base64(HMAC-SHA512(secret key, that string)): always 88 characters.
 *
 * The official SDKs sort the lines in slightly different ways that only disagree in rare cases
 * (lists of 10 or more items, a key that is a prefix of a sibling key). The sandbox therefore
 * accepts a signature made with any SDK's order, and produces signatures in the documented
 * order: whole lines sorted byte by byte.
 *
 * Where the signature travels:
 * - Gate request body: `general.signature`;
 * - callback: top-level `signature` (some callback layouts use `general.signature`);
 * - Payment Page: the `signature` query parameter, computed over the other (decoded) parameters.
 *
 * Only `node:crypto` is used.
 */
import { createHash, createHmac } from 'node:crypto'
import { sameBytes } from '../../wire/compare.js'

// ---------------------------------------------------------------------------------------------
// Constants and public types
// ---------------------------------------------------------------------------------------------

/** Keys that no official SDK signs, at any depth. */
export const SIGNATURE_IGNORED_KEYS: readonly string[] = ['frame_mode']

/** Where ECommPay's hosted Payment Page lives; `buildPaymentPageUrl` appends `/payment?…`. */
export const PAYMENT_PAGE_BASE_URL = 'https://paymentpage.ecommpay.com'

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

/** Options shared by the verify functions. */
export interface VerifyOptions {
  /**
   * Names the secret in explanations, e.g. `project 112`. Never the secret itself.
   * Default: "the project's secret key".
   */
  secretLabel?: string
}

/** What went wrong, when a signature check fails. */
export type SignatureProblem = 'missing-signature' | 'malformed-signature' | 'mismatch' | 'unsignable-data'

/** The outcome of checking one signature, with a plain-words explanation for the journal. */
export interface SignatureVerdict {
  /** True when the received signature matches the data under any official SDK's line order. */
  valid: boolean
  /**
   * ECommPay's result code for this outcome: `0` valid, `3262` empty signature, `3261` invalid
   * signature; `null` when the data itself cannot be signed (not a JSON object): that is a
   * request-format error, not a signature error.
   */
  code: '0' | typeof INVALID_SIGNATURE_CODE | typeof EMPTY_SIGNATURE_CODE | null
  /** Null when valid. */
  problem: SignatureProblem | null
  /** Where the signature was looked for: `general.signature`, `signature` or `the "signature" query parameter`. */
  signatureLocation: string
  /** The signature the sender supplied, or null when there was none (or it was not a string). */
  receivedSignature: string | null
  /** The signature the sandbox expects (documented order). Null when the data cannot be signed. */
  expectedSignature: string | null
  /** The string the sandbox signed (the "expected signature base string"). Null when unsignable. */
  expectedBaseString: string | null
  /** Which order (and base string) matched, when valid. */
  matched: { order: SignatureOrder; description: string; baseString: string } | null
  /**
   * Plain words for the developer: what was checked, what was expected (including the expected
   * signature base string) and the most likely cause of a mismatch. Multi-line.
   */
  explanation: string
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
interface FlattenRules {
  readonly ignoredKeys: ReadonlySet<string>
  readonly booleanText: (value: boolean) => string
  readonly nullText: string
}

const STANDARD_RULES: FlattenRules = {
  ignoredKeys: new Set(SIGNATURE_IGNORED_KEYS),
  booleanText: (value) => (value ? '1' : '0'),
  nullText: '',
}

function describePath(segments: readonly Segment[]): string {
  if (segments.length === 0) return 'the top level'
  return segments.map((s) => (s.index ? `[${s.key}]` : s.key)).join('.')
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
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
  if (segments.length === 0) {
    throw new TypeError('Cannot sign a bare value: the data to sign must be a JSON object.')
  }
  out.push({ segments, text: leafText(node, segments, rules) })
}

function flatten(data: unknown, rules: FlattenRules = STANDARD_RULES): Leaf[] {
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
function sortLeaves(leaves: readonly Leaf[], order: SignatureOrder, escapeColons: boolean): Leaf[] {
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

function renderLines(leaves: readonly Leaf[], escapeColons: boolean): string {
  return leaves.map((leaf) => lineOf(leaf, escapeColons)).join(';')
}

/** Each SDK's own habit for `:` inside keys. */
const NATIVE_ESCAPE: Readonly<Record<SignatureOrder, boolean>> = {
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
function omitKey(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key))
}

/** The body without `general.signature`; also without a top-level `signature` when `alsoTopLevel`. */
function withoutGateSignature(body: Record<string, unknown>, alsoTopLevel = true): Record<string, unknown> {
  const general = body['general']
  const rest = alsoTopLevel ? omitKey(body, 'signature') : body
  if (!isPlainObject(general) || !Object.hasOwn(general, 'signature')) return rest
  return Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, k === 'general' ? omitKey(general, 'signature') : v]),
  )
}

/** Every key named `signature` removed, at any depth, in objects and lists (PHP and JS SDKs). */
function withoutAnySignature(node: unknown): unknown {
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

function hasNestedSignatureKey(node: unknown, depth: number): boolean {
  if (Array.isArray(node)) return node.some((v) => hasNestedSignatureKey(v, depth + 1))
  if (isPlainObject(node)) {
    return Object.entries(node).some(
      ([k, v]) => (k === 'signature' && depth > 0) || hasNestedSignatureKey(v, depth + 1),
    )
  }
  return false
}

// ---------------------------------------------------------------------------------------------
// Verification core
// ---------------------------------------------------------------------------------------------

interface Candidate {
  readonly order: SignatureOrder
  readonly escapeColons: boolean
  readonly baseString: string
  /** Why this data variant was tried (e.g. `_` parameters left out), or null for the main one. */
  readonly dataNote: string | null
}

interface DataVariant {
  readonly data: unknown
  readonly note: string | null
}

/** Distinct base strings for every SDK order (and `:` habit) over each data variant; canonical first. */
function candidateBaseStrings(variants: readonly DataVariant[]): Candidate[] {
  const seen = new Set<string>()
  const out: Candidate[] = []
  for (const variant of variants) {
    const leaves = flatten(variant.data)
    const keyHasColon = leaves.some((l) => l.segments.some((s) => !s.index && s.key.includes(':')))
    for (const order of SIGNATURE_ORDERS) {
      const escapes = keyHasColon ? [NATIVE_ESCAPE[order], !NATIVE_ESCAPE[order]] : [true]
      for (const escapeColons of escapes) {
        const baseString = renderLines(sortLeaves(leaves, order, escapeColons), escapeColons)
        if (seen.has(baseString)) continue
        seen.add(baseString)
        out.push({ order, escapeColons, baseString, dataNote: variant.note })
      }
    }
  }
  return out
}

function safeEqual(a: string, b: string): boolean {
  return sameBytes(a, b)
}

/** A one-line reason why `received` is not even shaped like an ECommPay signature, or null. */
function formatProblem(received: string): string | null {
  if (/^[A-Za-z0-9+/]{86}==$/.test(received)) return null
  const n = received.length
  if (/^[0-9a-fA-F]{128}$/.test(received)) {
    return 'it is 128 hexadecimal characters: encode the raw 64 HMAC bytes with Base64, not hex.'
  }
  if (/^[0-9a-fA-F]{64}$/.test(received)) {
    return 'it is 64 hexadecimal characters, the size of a SHA-256 digest: use HMAC-SHA512 and Base64.'
  }
  if (n === 44 && /^[A-Za-z0-9+/]{43}=$/.test(received)) {
    return 'it is 44 Base64 characters, the size of a SHA-256 HMAC: ECommPay uses HMAC-SHA512 (88 characters).'
  }
  if (/^[A-Za-z0-9\-_]{86}(?:==)?$/.test(received)) {
    return 'it uses the URL-safe Base64 alphabet (- and _): use standard Base64 (+ and /) with == padding.'
  }
  if (/^[A-Za-z0-9+/ ]{86}==$/.test(received)) {
    return 'it contains spaces where "+" signs belong: a "+" was decoded as a space somewhere on the way.'
  }
  if (received.trim() !== received) {
    return 'it has spaces or line breaks around it: send the 88 characters only.'
  }
  return `it is ${n} characters long; an ECommPay signature is 88 characters of standard Base64 (a 64-byte HMAC-SHA512).`
}

interface Trial {
  readonly baseString: string
  readonly cause: string
}

/**
 * Common mistakes, tried one by one against the received signature. The first that reproduces it
 * is reported as the likely cause.
 */
function diagnose(received: string, canonical: string, secret: string, trials: readonly Trial[]): string | null {
  const key = Buffer.from(secret, 'utf8')
  const mac = (alg: 'sha512' | 'sha256', message: string) => createHmac(alg, key).update(message, 'utf8').digest()
  const c512 = mac('sha512', canonical)
  const encodings: Array<[string, string]> = [
    [c512.toString('hex'), 'the right HMAC, but hex-encoded: encode the raw HMAC bytes with Base64.'],
    [c512.toString('hex').toUpperCase(), 'the right HMAC, but hex-encoded: encode the raw HMAC bytes with Base64.'],
    [c512.toString('base64url'), 'the right HMAC, but in URL-safe Base64: use standard Base64 (+ and /) with padding.'],
    [
      c512.toString('base64').replaceAll('+', ' '),
      'the right signature, but every "+" became a space: percent-encode it (+ as %2B) when it travels in a URL or form.',
    ],
    [mac('sha256', canonical).toString('base64'), 'HMAC-SHA256 over the right string: ECommPay uses HMAC-SHA512.'],
    [
      createHash('sha512').update(canonical, 'utf8').digest('base64'),
      'a plain SHA-512 digest of the right string, without the secret key: use HMAC-SHA512 keyed with the secret.',
    ],
    [
      hmacSha512Base64(`${canonical};`, secret),
      'the lines were joined with a trailing ";": there is no ";" after the last line.',
    ],
  ]
  for (const [candidate, cause] of encodings) {
    if (candidate === received) return cause
  }
  for (const trial of trials) {
    if (trial.baseString !== canonical && hmacSha512Base64(trial.baseString, secret) === received) return trial.cause
  }
  return null
}

/** Trials derived from the data: booleans as words, null as "null", frame_mode signed, no sorting. */
function dataTrials(data: unknown): Trial[] {
  const trials: Trial[] = []
  const tryFlatten = (rules: FlattenRules, sorted: boolean, cause: string): void => {
    try {
      const leaves = flatten(data, rules)
      const ordered = sorted ? sortLeaves(leaves, 'sorted-lines', true) : leaves
      trials.push({ baseString: renderLines(ordered, true), cause })
    } catch {
      // A trial that cannot be built explains nothing.
    }
  }
  tryFlatten(
    STANDARD_RULES,
    false,
    'the lines were not sorted (they are in the order of the body): sort them before joining with ";".',
  )
  tryFlatten(
    { ...STANDARD_RULES, booleanText: (v) => (v ? 'true' : 'false') },
    true,
    'booleans were signed as "true"/"false": sign them as 1 and 0.',
  )
  tryFlatten(
    { ...STANDARD_RULES, nullText: 'null' },
    true,
    'null was signed as the word "null": sign it as an empty value (the line ends with ":").',
  )
  tryFlatten(
    { ...STANDARD_RULES, ignoredKeys: new Set() },
    true,
    'frame_mode was signed: it is never part of the signature.',
  )
  return trials
}

/** Warnings about data the SDKs treat differently, independent of the outcome. */
function dataWarnings(data: unknown): string[] {
  const warnings: string[] = []
  let floats = false
  let semicolons = false
  let colonKeys = false
  let longList = false
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      if (node.length >= 10) longList = true
      node.forEach(walk)
    } else if (isPlainObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (k.includes(':')) colonKeys = true
        if (k.includes(';')) semicolons = true
        walk(v)
      }
    } else if (typeof node === 'number' && !Number.isInteger(node)) {
      floats = true
    } else if (typeof node === 'string' && node.includes(';')) {
      semicolons = true
    }
  }
  walk(data)
  if (floats)
    warnings.push(
      'The data has non-integer numbers; the SDKs print them differently (Go truncates them). Send amounts as integers in minor units.',
    )
  if (semicolons)
    warnings.push(
      'A key or value contains ";", the line separator, so the signed string is ambiguous (the WooCommerce plug-in refuses to sign it). Avoid ";".',
    )
  if (colonKeys)
    warnings.push(
      'A key contains ":"; current PHP, Python, Java and .NET SDKs write it as "::", the JS SDK does not. Both were tried.',
    )
  if (longList)
    warnings.push(
      'A list has 10 or more items; the SDKs order its lines differently (x:10 before or after x:2). All SDK orders were tried.',
    )
  return warnings
}

interface VerifySubject {
  /** Data variants to accept, canonical first. */
  readonly variants: readonly DataVariant[]
  readonly received: unknown
  readonly location: string
  /** What the signature was checked against, e.g. "the request body". */
  readonly subject: string
  /** What carries the signature, e.g. "the Payment Page URL" (defaults to `subject`). */
  readonly container?: string
  /** How the sandbox derived the signed data, e.g. "the body without general.signature". */
  readonly derivation: string
  readonly secretLabel: string
  /** Hints when the signature is missing, e.g. that it was found at the wrong place. */
  readonly missingHint: string | null
  readonly extraTrials: readonly Trial[]
}

const METHOD_SUMMARY =
  'Each value becomes one "path:value" line (nested keys joined with ":", list items by index, ' +
  'true/false as 1/0, null as nothing, empty {} and [] left out, frame_mode and the signature itself ' +
  'left out); the lines are sorted and joined with ";"; the signature is Base64(HMAC-SHA512(secret key, that string)).'

function verify(subject: VerifySubject, secret: string): SignatureVerdict {
  const { location } = subject
  let candidates: Candidate[]
  try {
    candidates = candidateBaseStrings(subject.variants)
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    return {
      valid: false,
      code: null,
      problem: 'unsignable-data',
      signatureLocation: location,
      receivedSignature: typeof subject.received === 'string' ? subject.received : null,
      expectedSignature: null,
      expectedBaseString: null,
      matched: null,
      explanation: `The signature could not be checked: ${why}`,
    }
  }
  const canonical = candidates[0]!
  const expectedSignature = hmacSha512Base64(canonical.baseString, secret)
  const base = {
    signatureLocation: location,
    expectedSignature,
    expectedBaseString: canonical.baseString,
  }
  const shownBase = canonical.baseString === '' ? '(empty: nothing to sign)' : canonical.baseString
  const expectedBlock =
    `Expected signature base string (what the sandbox signed: ${subject.derivation}):\n${shownBase}\n` +
    `Expected signature: ${expectedSignature}`
  const warnings = dataWarnings(subject.variants[0]!.data)

  // Missing or not a string.
  if (subject.received === undefined || subject.received === null || subject.received === '') {
    const lines = [
      `Empty signature (ECommPay code ${EMPTY_SIGNATURE_CODE}): ${subject.container ?? subject.subject} has no ${location}.`,
    ]
    if (subject.missingHint) lines.push(subject.missingHint)
    lines.push(
      `What to do: sign ${subject.derivation} with ${subject.secretLabel} and send the result in ${location}.`,
      METHOD_SUMMARY,
      expectedBlock,
      ...warnings,
    )
    return {
      ...base,
      valid: false,
      code: EMPTY_SIGNATURE_CODE,
      problem: 'missing-signature',
      receivedSignature: null,
      matched: null,
      explanation: lines.join('\n'),
    }
  }
  if (typeof subject.received !== 'string') {
    const got = Array.isArray(subject.received) ? 'a list' : `a ${typeof subject.received}`
    const lines = [
      `Invalid signature (ECommPay code ${INVALID_SIGNATURE_CODE}): ${location} is ${got}, not a string.`,
      `What to do: send the 88-character Base64 signature as a JSON string in ${location}.`,
      METHOD_SUMMARY,
      expectedBlock,
    ]
    return {
      ...base,
      valid: false,
      code: INVALID_SIGNATURE_CODE,
      problem: 'malformed-signature',
      receivedSignature: null,
      matched: null,
      explanation: lines.join('\n'),
    }
  }

  const received = subject.received
  for (const candidate of candidates) {
    if (safeEqual(hmacSha512Base64(candidate.baseString, secret), received)) {
      const description = SIGNATURE_ORDER_DESCRIPTIONS[candidate.order]
      const lines = [`Signature valid: ${location} matches ${subject.subject} (line order: ${description}).`]
      if (candidate !== canonical) {
        const how = [
          candidate.dataNote,
          candidate.order !== canonical.order ? `lines in ${description}` : null,
          candidate.escapeColons ? null : '":" inside keys not doubled',
        ].filter((s): s is string => s !== null)
        lines.push(
          `It matched only with ${how.join('; ')}, not as ECommPay documents the signature; ` +
            'the live platform may reject it. The string that matched:',
          candidate.baseString,
          expectedBlock,
        )
      }
      return {
        ...base,
        valid: true,
        code: '0',
        problem: null,
        receivedSignature: received,
        matched: { order: candidate.order, description, baseString: candidate.baseString },
        explanation: lines.join('\n'),
      }
    }
  }

  const shape = formatProblem(received)
  const cause = diagnose(received, canonical.baseString, secret, [
    ...subject.extraTrials,
    ...dataTrials(subject.variants[0]!.data),
  ])
  const lines = [
    `Invalid signature (ECommPay code ${INVALID_SIGNATURE_CODE}): ${location} does not match ${subject.subject} signed with ${subject.secretLabel}.`,
    `Received signature: ${received}`,
  ]
  if (shape) lines.push(`The received value is not shaped like an ECommPay signature: ${shape}`)
  lines.push(METHOD_SUMMARY, expectedBlock)
  if (candidates.length > 1) {
    lines.push("The other official SDKs' line orders were also tried; none matched.")
  }
  if (cause) {
    lines.push(`Likely cause: ${cause}`)
  } else {
    lines.push(
      'Likely cause: none of the common mistakes reproduces the received signature. Compare your signed string with ' +
        'the expected signature base string above, byte for byte. If they are identical, you signed with a different ' +
        `secret key than ${subject.secretLabel} (GET /_sandbox/merchants lists the sandbox's projects).`,
    )
  }
  lines.push(...warnings)
  return {
    ...base,
    valid: false,
    code: INVALID_SIGNATURE_CODE,
    problem: shape ? 'malformed-signature' : 'mismatch',
    receivedSignature: received,
    matched: null,
    explanation: lines.join('\n'),
  }
}

function secretLabelOf(options: VerifyOptions): string {
  return options.secretLabel ?? "the project's secret key"
}

function notAnObject(location: string, subjectName: string, data: unknown): SignatureVerdict {
  const what = Array.isArray(data) ? 'a JSON array' : data === null || data === undefined ? 'empty' : `a ${typeof data}`
  return {
    valid: false,
    code: null,
    problem: 'unsignable-data',
    signatureLocation: location,
    receivedSignature: null,
    expectedSignature: null,
    expectedBaseString: null,
    matched: null,
    explanation: `The signature could not be checked: ${subjectName} is ${what}, not a JSON object. Send a JSON object ({...}).`,
  }
}

/** Options for {@link verifySignature}. */
export interface VerifySignatureOptions extends VerifyOptions {
  /** Names where the signature came from, for the explanation. Default `signature`. */
  signatureLocation?: string
}

/**
 * Checks `signature` against `data` exactly as given (nothing is removed except `frame_mode`),
 * accepting any official SDK's line order. Use it for data whose signature travels separately;
 * prefer {@link verifyGateRequest}, {@link verifyCallback} or {@link verifyPaymentPageQuery} for
 * those wire formats. Never throws.
 *
 * @example
 * verifySignature({ payment: { id: '000049', status: 'success' } },
 *   '/3TrhHVz9BHaLfgLyhoxO7dsQNzbzZa/TdO3pxQocXWwgVM6tGlzMLVfpOxFNTnkR9iiFVK/77ZedMcbkCjmng==', 'secret').valid // → true
 */
export function verifySignature(
  data: unknown,
  signature: unknown,
  secret: string,
  options: VerifySignatureOptions = {},
): SignatureVerdict {
  const location = options.signatureLocation ?? 'signature'
  if (!isPlainObject(data)) return notAnObject(location, 'the signed data', data)
  return verify(
    {
      variants: [{ data, note: null }],
      received: signature,
      location,
      subject: 'the data',
      derivation: 'the data as given',
      secretLabel: secretLabelOf(options),
      missingHint: null,
      extraTrials: [],
    },
    secret,
  )
}

// ---------------------------------------------------------------------------------------------
// Gate requests
// ---------------------------------------------------------------------------------------------

/**
 * The base string of a Gate request body: the body without `general.signature` (and without a
 * stray top-level `signature`), in the documented order.
 *
 * @example
 * gateSignatureBaseString({ general: { project_id: 112, payment_id: 'P1', signature: '…' } })
 * // → 'general:payment_id:P1;general:project_id:112'
 */
export function gateSignatureBaseString(body: object): string {
  return signatureBaseString(withoutGateSignature(body as Record<string, unknown>))
}

/**
 * Signs a Gate request body: returns a copy with `general.signature` set (as the last member of
 * `general`), computed over the body without it. Throws when the body has no `general` object.
 *
 * @example
 * const signed = signGateRequest({ general: { project_id: 112, payment_id: 'P1' }, payment: { amount: 100000, currency: 'INR' } }, secret);
 * signed.general.signature // 88 Base64 characters
 */
export function signGateRequest<T extends { general: object }>(
  body: T,
  secret: string,
): T & { general: { signature: string } } {
  const general = (body as { general: unknown }).general
  if (!isPlainObject(general)) {
    throw new TypeError(
      'Cannot sign this Gate request: it has no "general" object. Add general.project_id and general.payment_id; the signature goes into general.signature.',
    )
  }
  const signature = hmacSha512Base64(gateSignatureBaseString(body), secret)
  const signedGeneral = { ...omitKey(general, 'signature'), signature }
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, k === 'general' ? signedGeneral : v])) as T & {
    general: { signature: string }
  }
}

/**
 * Checks the `general.signature` of a Gate request body (parsed JSON), accepting any official
 * SDK's line order. Never throws: the verdict says what was wrong, with an explanation that
 * includes the expected signature base string, for the journal.
 *
 * @example
 * const verdict = verifyGateRequest(JSON.parse(rawBody), secret, { secretLabel: 'project 112' });
 * if (!verdict.valid) journal.note(verdict.explanation); // verdict.code: '3261' or '3262'
 */
export function verifyGateRequest(body: unknown, secret: string, options: VerifyOptions = {}): SignatureVerdict {
  const location = 'general.signature'
  if (!isPlainObject(body)) return notAnObject(location, 'the request body', body)
  const general = body['general']
  const received = isPlainObject(general) ? general['signature'] : undefined
  let missingHint: string | null = null
  if (!isPlainObject(general)) {
    missingHint =
      'The body has no "general" object; a Gate request carries general.project_id, general.payment_id and general.signature.'
  }
  if (received === undefined && Object.hasOwn(body, 'signature')) {
    missingHint = `${missingHint ? `${missingHint} ` : ''}A top-level "signature" was found: Gate requests carry it in general.signature.`
  }
  return verify(
    {
      variants: [{ data: withoutGateSignature(body), note: null }],
      received,
      location,
      subject: 'the request body',
      derivation: 'the body without general.signature',
      secretLabel: secretLabelOf(options),
      missingHint,
      extraTrials: [],
    },
    secret,
  )
}

// ---------------------------------------------------------------------------------------------
// Callbacks
// ---------------------------------------------------------------------------------------------

/**
 * The base string of a callback the sandbox sends: the body without its top-level `signature`.
 *
 * @example
 * callbackSignatureBaseString({ payment: { id: '000049', status: 'success' }, signature: '…' })
 * // → 'payment:id:000049;payment:status:success'
 */
export function callbackSignatureBaseString(body: object): string {
  return signatureBaseString(omitKey(body as Record<string, unknown>, 'signature'))
}

/**
 * Signs a callback body in the standard layout: returns a copy with `signature` as the LAST
 * top-level member (as in ECommPay's examples), computed over every other member. Key order
 * is kept, so serialize the result with JSON.stringify to get the wire body.
 * Throws when a `signature` key appears deeper in the body: the PHP and JS SDKs delete every
 * `signature` key before checking, others only the top-level one, so no SDK could agree.
 *
 * @example
 * const body = signCallback({ project_id: 112, payment: { id: 'P1', status: 'success' } }, secret);
 * JSON.stringify(body) // '{"project_id":112,"payment":{…},"signature":"…"}'
 */
export function signCallback<T extends object>(body: T, secret: string): Omit<T, 'signature'> & { signature: string } {
  if (!isPlainObject(body)) {
    throw new TypeError('Cannot sign this callback: the body must be a plain JSON object.')
  }
  const rest = omitKey(body, 'signature')
  if (hasNestedSignatureKey(rest, 0)) {
    throw new TypeError(
      'Cannot sign this callback: a nested key is named "signature". The PHP and JS SDKs delete every "signature" key ' +
        'before checking, the others only the top-level one, so merchants would disagree. Rename or remove the nested key.',
    )
  }
  const signature = hmacSha512Base64(signatureBaseString(rest), secret)
  return { ...rest, signature } as Omit<T, 'signature'> & { signature: string }
}

/**
 * Checks a callback's signature as the official SDKs do: taken from top-level `signature`, or
 * else `general.signature`; checked over the body with every `signature` key removed (PHP, JS)
 * or only that one (WooCommerce, Magento), in any SDK's line order. Never throws.
 *
 * @example
 * const verdict = verifyCallback(JSON.parse(callbackText), 'secret');
 * verdict.valid // true for every callback the sandbox signs with signCallback
 */
export function verifyCallback(body: unknown, secret: string, options: VerifyOptions = {}): SignatureVerdict {
  if (!isPlainObject(body)) return notAnObject('signature', 'the callback body', body)
  const general = body['general']
  const topLevel = Object.hasOwn(body, 'signature')
  const inGeneral = !topLevel && isPlainObject(general) && Object.hasOwn(general, 'signature')
  const location = inGeneral ? 'general.signature' : 'signature'
  const received = topLevel
    ? body['signature']
    : inGeneral
      ? (general as Record<string, unknown>)['signature']
      : undefined
  const onlyThatOne = topLevel ? omitKey(body, 'signature') : withoutGateSignature(body, false)
  return verify(
    {
      variants: [
        { data: withoutAnySignature(body), note: null },
        { data: onlyThatOne, note: `only ${location} removed, nested "signature" keys kept` },
      ],
      received,
      location,
      subject: 'the callback body',
      derivation: 'the body without any "signature" key',
      secretLabel: secretLabelOf(options),
      missingHint: null,
      extraTrials: [],
    },
    secret,
  )
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
    if (byte < 0x80 && FORM_SAFE.test(ch)) out += ch
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
  return verify(
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
