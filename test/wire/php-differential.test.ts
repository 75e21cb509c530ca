import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  phpBase64Decode,
  phpFloat,
  phpFloatToString,
  phpJsonDecode,
  phpJsonEncode,
  phpJsonFloat,
  phpKsort,
  phpToString,
  type PhpJsonEncodeOptions,
} from '../../src/wire/php.js'

/**
 * src/wire/php.ts against PHP 8.2 itself: `fixtures/php-differential.json` was printed by
 * `php fixtures/php-differential.php` — (string)$float at several `precision` settings,
 * json_encode of floats, ksort, base64_decode (strict and not) and json_encode under each flag,
 * on inputs chosen to reach the edges (rounding, exponent switch-over, numeric-string keys,
 * padding, escapes).
 */
interface Fixture {
  floats: Array<{ input: string; json: string; json_zero_fraction: string; string: Record<string, string> }>
  ksort: Array<{ keys: string[]; sorted: string[] }>
  base64: Array<{ input: string; loose: string; strict: string | null }>
  json: Array<Record<string, string>>
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/php-differential.json', import.meta.url), 'utf8'),
) as Fixture

const FLAGS: Record<string, PhpJsonEncodeOptions> = {
  none: {},
  slashes: { unescapedSlashes: true },
  unicode: { unescapedUnicode: true },
  unicode_lines: { unescapedUnicode: true, unescapedLineTerminators: true },
  lines_only: { unescapedLineTerminators: true },
  pretty: { prettyPrint: true },
  zero: { preserveZeroFraction: true },
}

describe('floats print as PHP prints them', () => {
  it.each(fixture.floats)('$input', (row) => {
    const value = Number(row.input)
    expect(phpJsonFloat(value)).toBe(row.json)
    expect(phpJsonFloat(value, true)).toBe(row.json_zero_fraction)
    expect(phpJsonEncode(phpFloat(value))).toBe(row.json)
    expect(phpJsonEncode(phpFloat(value), { preserveZeroFraction: true })).toBe(row.json_zero_fraction)
    for (const [precision, text] of Object.entries(row.string)) {
      expect(phpFloatToString(value, Number(precision)), `precision ${precision}`).toBe(text)
    }
    expect(phpToString(phpFloat(value))).toBe(row.string['14'])
  })
})

describe('ksort orders keys as PHP 8 does', () => {
  it.each(fixture.ksort)('$keys', ({ keys, sorted }) => {
    const input = new Map(keys.map((k) => [k, true]))
    expect([...phpKsort(input).keys()].map(String)).toEqual(sorted)
  })
})

describe('base64_decode, strict and not', () => {
  it.each(fixture.base64)('$input', ({ input, loose, strict }) => {
    expect(phpBase64Decode(input)?.toString('hex')).toBe(loose)
    expect(phpBase64Decode(input, true)?.toString('hex') ?? null).toBe(strict)
    expect(phpBase64Decode(Buffer.from(input, 'utf8'))?.toString('hex')).toBe(loose)
  })
})

describe('json_encode under each flag, of what json_decode($x, true) read', () => {
  it.each(fixture.json)('$input', (row) => {
    const value = phpJsonDecode(row.input!)
    for (const [name, options] of Object.entries(FLAGS)) {
      expect(phpJsonEncode(value, options), name).toBe(row[name])
    }
  })
})
