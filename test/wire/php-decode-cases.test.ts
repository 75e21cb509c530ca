import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { phpJsonDecode, phpJsonEncode } from '../../src/wire/php.js'

/**
 * phpJsonDecode against PHP 8.2 itself: `fixtures/php-json-decode.json` was printed by
 * `php fixtures/php-json-decode.php` (json_decode($x, true), then json_encode of the result, or
 * json_last_error_msg()). Numbers at the 64-bit edges, duplicate and numeric keys, escapes,
 * whitespace, a BOM, and the syntax errors PHP refuses.
 */
const cases = JSON.parse(readFileSync(new URL('./fixtures/php-json-decode.json', import.meta.url), 'utf8')) as Array<
  [input: string, encoded: string | null, error: string | null]
>

describe("phpJsonDecode decodes what PHP 8.2's json_decode decodes, and refuses what it refuses", () => {
  it('has the cases', () => expect(cases.length).toBeGreaterThan(30))
  for (const [input, encoded, error] of cases) {
    it(`${JSON.stringify(input)} → ${encoded ?? error}`, () => {
      if (encoded !== null) expect(phpJsonEncode(phpJsonDecode(input))).toBe(encoded)
      else expect(() => phpJsonDecode(input)).toThrow(error!.split(',')[0])
    })
  }
})
