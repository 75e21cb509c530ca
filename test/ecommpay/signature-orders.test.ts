/**
 * The SDKs' line orders on keys chosen to reach every rule of each order, against the orders
 * the SDKs' own languages produce: PHP 8.2's `ksort($a, SORT_NATURAL)` (PHP SDK and plug-ins),
 * ECommPay's JS SDK converter itself (npm `ecommpay` 0.1.7, run here), and Python's `sorted()`
 * (Python SDK). The PHP and Python outputs were printed once by those interpreters (scripts in the
 * comments) and are kept as literals.
 */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { verifySignature } from '../../src/providers/ecommpay/signature-check.js'
import { hmacSha512Base64, signatureBaseString } from '../../src/providers/ecommpay/signature.js'

const require = createRequire(import.meta.url)
const jsSdkConverter = require('ecommpay/src/converter.js') as (obj: unknown, ignored?: string[]) => string

/**
 * Keys for PHP's natural order: empty, leading zeros, whitespace (C isspace), digit runs of
 * different lengths, fractional runs (a run starting with 0), prefixes, upper case.
 */
const NATURAL_KEYS = [
  ...['', 'x', 'X', '0', '7', '10', '007', '07', '08x', '0a', '00', ' 5', '5 ', '  6', 'a b', 'a  c', 'a\tb', 'a\vb'],
  ...['ab', 'abc', 'ac', 'x2', 'x10', 'x02', 'x1.5', 'x1.05', 'x1.050', 'x05', 'x050', 'x5', 'x12', 'x13', 'x123'],
  ...['x1a', 'x1b', 'x1', 'y01z', 'y1z', 'y001', 'z9', 'z09', 'z 9', 'z  10', 'q0', 'q00', 'q000x', 'r10x2'],
  ...['r10x10', 'r9x', 'r010'],
]
/**
 * PHP 8.2.36, with the keys inserted in the order JS enumerates them (integer-like keys first, as
 * JSON.parse → json_decode would keep them for equal-comparing keys such as "7" and "007"):
 *   $a = []; foreach ($keys as $k) $a[$k] = 'v'; ksort($a, SORT_NATURAL); echo json_encode(array_map('strval', array_keys($a)));
 */
const PHP_NATURAL_ORDER = [
  ...['', '0', '00', '0a', ' 5', '5 ', '  6', '7', '007', '07', '08x', '10', 'X', 'a b', 'a\tb', 'a\u000bb', 'ab'],
  ...['abc', 'a  c', 'ac', 'q0', 'q00', 'q000x', 'r010', 'r9x', 'r10x2', 'r10x10', 'x', 'x02', 'x05', 'x050', 'x1'],
  ...['x1.05', 'x1.050', 'x1.5', 'x1a', 'x1b', 'x2', 'x5', 'x10', 'x12', 'x13', 'x123', 'y001', 'y01z', 'y1z', 'z09'],
  ...['z9', 'z 9', 'z  10'],
]

describe("the PHP SDK's natural key order (PHP 8.2 ksort SORT_NATURAL)", () => {
  it('orders leading zeros, whitespace, digit runs and fractions as PHP strnatcmp does', () => {
    const data = Object.fromEntries(NATURAL_KEYS.map((k) => [k, 'v']))
    expect(Object.keys(data).sort()).toEqual([...PHP_NATURAL_ORDER].sort()) // the same keys
    const expected = PHP_NATURAL_ORDER.map((k) => `${k}:v`).join(';')
    expect(signatureBaseString(data, { order: 'php-natural-keys' })).toBe(expected)
  })

  it('compares each pair as PHP does, either way round', () => {
    // Pairs in PHP's order; each pair alone, in both insertion orders, sorts the same way.
    const pairs: Array<[string, string]> = [
      ['', '0'],
      ['x05', 'x5'],
      ['x050', 'x1'],
      ['x1.05', 'x1.5'],
      ['x1', 'x1a'],
      ['x12', 'x123'],
      ['x12', 'x13'],
      ['x2', 'x10'],
      ['r9x', 'r10x2'],
      ['r10x2', 'r10x10'],
      ['y01', 'y1'], // zeros are skipped only at the start: "01" is a fraction, below "1"
      ['x007', 'x7'],
      ['x010', 'x02'], // a fraction: .010 before .02, though 10 > 2
      ['a\bb', 'ab'], // \b and \x0e are not whitespace
      ['a\x0eb', 'ab'],
      ['x/', 'x0'], // the bytes either side of the digits are not digits
      ['x9', 'x;'],
      ['y01z', 'y1z'],
      ['z 9', 'z  10'],
      ['ab', 'abc'],
      ['q00', 'q000x'],
    ]
    for (const [first, second] of pairs) {
      const expected = `${first}:v;${second}:v`
      for (const data of [
        { [first]: 'v', [second]: 'v' },
        { [second]: 'v', [first]: 'v' },
      ]) {
        expect(signatureBaseString(data, { order: 'php-natural-keys' }), JSON.stringify([first, second])).toBe(expected)
      }
    }
    // Equal once whitespace and leading zeros are skipped: kept in the order given (PHP 8 sorts stably).
    for (const [first, second] of [
      ['z9', 'z 9'],
      ['a\tb', 'ab'],
      ['a\rb', 'ab'],
      ['05x', '5x'],
      ['a  b', 'a b'],
    ]) {
      expect(signatureBaseString({ [first]: 'v', [second]: 'w' }, { order: 'php-natural-keys' })).toBe(
        `${first}:v;${second}:w`,
      )
      expect(signatureBaseString({ [second]: 'w', [first]: 'v' }, { order: 'php-natural-keys' })).toBe(
        `${second}:w;${first}:v`,
      )
    }
  })

  it('accepts a signature made in that order, which the documented order does not produce', () => {
    const data = Object.fromEntries(NATURAL_KEYS.map((k) => [k, 'v']))
    const phpSigned = hmacSha512Base64(PHP_NATURAL_ORDER.map((k) => `${k}:v`).join(';'), 'secret')
    const verdict = verifySignature(data, phpSigned, 'secret')
    expect(verdict).toMatchObject({ valid: true, matched: { order: 'php-natural-keys' } })
    expect(verdict.explanation).toContain("lines in the PHP SDK's natural key order")
  })
})

describe("the JS SDK's level-by-level order (npm ecommpay 0.1.7 converter)", () => {
  const data = {
    b: { '10': 'ten', '9': 'nine', '01': 'zero-one', '4294967294': 'max-index', '4294967295': 'not-an-index', x: 'x' },
    a: [['p', 'q'], 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    'a-b': 1,
    ab: { c: true, d: null, e: false },
    Z: 'upper',
    frame_mode: 'iframe',
  }

  it('list indexes and integer-like keys (up to 2^32 − 2) in numeric order, then the rest in sorted order', () => {
    const sdk = jsSdkConverter(data, ['frame_mode'])
    expect(sdk).toBe(
      'Z:upper;a:0:0:p;a:0:1:q;a:1:1;a:2:2;a:3:3;a:4:4;a:5:5;a:6:6;a:7:7;a:8:8;a:9:9;a:10:10;a:11:11;a-b:1;' +
        'ab:c:1;ab:d:;ab:e:0;b:9:nine;b:10:ten;b:4294967294:max-index;b:01:zero-one;b:4294967295:not-an-index;b:x:x',
    )
    expect(signatureBaseString(data, { order: 'js-per-level', escapeColons: false })).toBe(sdk)
  })

  it('a key that is a prefix of its sibling comes first, at every level', () => {
    const nested = { k: { a: { b: 1 }, 'a-': 2, a0: 3 }, 'k-': 4, k0: { x: [5] } }
    expect(signatureBaseString(nested, { order: 'js-per-level', escapeColons: false })).toBe(
      jsSdkConverter(nested, ['frame_mode']),
    )
    expect(jsSdkConverter(nested, ['frame_mode'])).toBe('k:a:b:1;k:a-:2;k:a0:3;k-:4;k0:x:0:5')
  })

  it("accepts the SDK's signature, and says the order differs from the documented one", () => {
    const signature = hmacSha512Base64(jsSdkConverter(data, ['frame_mode']), 'secret')
    const verdict = verifySignature(data, signature, 'secret')
    expect(verdict).toMatchObject({ valid: true, matched: { order: 'js-per-level' } })
    expect(verdict.explanation).toContain('It matched only with lines in the JS SDK')
  })
})

describe("the Python SDK's key order (sorted() by code point)", () => {
  const data = {
    l: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    a: 1,
    'a-b': 2,
    'a:b': 3,
    '\uff01': 'fullwidth',
    '\u{1F600}': 'emoji',
    'a b': { c: true, d: null },
  }
  /**
   * Python 3, the keys flattened (":" in keys doubled) and sorted with sorted():
   *   ';'.join(f"{k}:{flat[k]}" for k in sorted(flat))
   */
  const PYTHON =
    'a:1;a b:c:1;a b:d:;a-b:2;a::b:3;l:0:0;l:1:1;l:10:10;l:11:11;l:2:2;l:3:3;l:4:4;l:5:5;l:6:6;l:7:7;l:8:8;l:9:9;' +
    '\uff01:fullwidth;\u{1F600}:emoji'

  it('sorts flattened keys by code point (U+FF01 before U+1F600, unlike UTF-16 order)', () => {
    expect(signatureBaseString(data, { order: 'python-keys' })).toBe(PYTHON)
    // the documented order sorts whole lines: "a-b:2" before "a:1" (- is below :), "a:1" before "a::b:3"
    expect(signatureBaseString(data)).toBe(
      'a b:c:1;a b:d:;a-b:2;a:1;a::b:3;l:0:0;l:10:10;l:11:11;l:1:1;l:2:2;l:3:3;l:4:4;l:5:5;l:6:6;l:7:7;l:8:8;l:9:9;' +
        '\uff01:fullwidth;\u{1F600}:emoji',
    )
  })

  it("accepts the Python SDK's signature", () => {
    const verdict = verifySignature(data, hmacSha512Base64(PYTHON, 'secret'), 'secret')
    expect(verdict).toMatchObject({ valid: true, matched: { order: 'python-keys' } })
  })
})
