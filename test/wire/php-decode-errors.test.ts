import { Buffer } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { phpJsonDecode, phpJsonEncode } from '../../src/wire/php.js'
import { phpRefusal } from './support.js'

/**
 * phpJsonDecode's refusals against PHP 8.2: `fixtures/php-json-decode-errors.json` was printed by
 * `php fixtures/php-json-decode-errors.php` — json_decode($bytes, true, $depth) on byte strings
 * (hex, so invalid UTF-8 fits), then the re-encoded value or json_last_error() and its message.
 * Each refusal must name PHP's error (PhpJsonError.code) and start with PHP's message.
 */
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/php-json-decode-errors.json', import.meta.url), 'utf8'),
) as {
  cases: Array<{ hex: string; depth: number; encoded: string | null; error: string | null; message: string | null }>
}

describe("phpJsonDecode refuses what PHP 8.2's json_decode refuses, with PHP's error", () => {
  it.each(fixture.cases.map((c) => ({ ...c, text: Buffer.from(c.hex, 'hex').toString('latin1') })))(
    '$text (depth $depth) → $encoded$error',
    ({ hex, depth, encoded, error, message }) => {
      const bytes = Buffer.from(hex, 'hex')
      if (encoded !== null) {
        expect(phpJsonEncode(phpJsonDecode(bytes, depth))).toBe(encoded)
        return
      }
      const refused = phpRefusal(() => phpJsonDecode(bytes, depth))
      expect(refused.code).toBe(error)
      expect(refused.name).toBe('PhpJsonError')
      expect(refused.message.startsWith(message!.split(',')[0]!), refused.message).toBe(true)
    },
  )
})

describe('phpJsonDecode on JS strings', () => {
  it('a lone surrogate in the text cannot be UTF-8; a pair is one character', () => {
    expect(phpJsonDecode('"\ud83d\ude00"')).toBe('😀')
    expect(phpJsonDecode('["\udbff\udfff","\ud800\udc00"]')).toEqual(['\udbff\udfff', '\ud800\udc00'])
    for (const lone of ['"\ud800"', '"\udc00"', '"\udc00\ud800"', '"\ud800x"', '"x\udfff"']) {
      const refused = phpRefusal(() => phpJsonDecode(lone))
      expect(refused.code).toBe('utf8')
      expect(refused.message).toMatch(/^Malformed UTF-8 characters: lone surrogate at character \d/)
    }
    expect(phpRefusal(() => phpJsonDecode('"ab\ud800"')).message).toContain('at character 3;')
  })

  it('says where: the character and the text around it', () => {
    expect(phpRefusal(() => phpJsonDecode('[1,2,3,4,5,6,7,8,9,10 11]')).message).toBe(
      'Syntax error at character 22 (near ",7,8,9,10 11]"): expected , or ]. PHP json_decode would return null.',
    )
    expect(phpRefusal(() => phpJsonDecode('{"a":1 "b"}')).message).toBe(
      'Syntax error at character 7 (near "{\\"a\\":1 \\"b\\"}"): expected , or }. PHP json_decode would return null.',
    )
    expect(phpRefusal(() => phpJsonDecode('"\\q"')).message).toMatch(
      /^Syntax error at character 2 .*invalid escape \\q\./,
    )
    expect(phpRefusal(() => phpJsonDecode('"\\u12x4"')).message).toMatch(
      /^Syntax error at character 3 .*\\u must be followed by four hex digits/,
    )
    expect(phpRefusal(() => phpJsonDecode('"a\u0001"')).message).toBe(
      'Control character error at character 2: a raw control character (0x01) inside a string; escape it (e.g. \\n).',
    )
    expect(phpRefusal(() => phpJsonDecode('["abc')).message).toMatch(/the string at character 1 has no closing quote/)
    expect(phpRefusal(() => phpJsonDecode('[1}')).message).toMatch(/at character 2: "}" closes what "\[" opened/)
    expect(phpRefusal(() => phpJsonDecode('{]')).message).toMatch(/at character 1: "]" closes what "\{" opened/)
    expect(phpRefusal(() => phpJsonDecode('"\\ud800"')).message).toMatch(/surrogate in unicode escape at character 1;/)
    expect(phpRefusal(() => phpJsonDecode('"x\\udc00"')).message).toMatch(/surrogate in unicode escape at character 2;/)
    expect(phpRefusal(() => phpJsonDecode('[[1]]', 2)).message).toBe(
      'Maximum stack depth exceeded at character 1: PHP json_decode allows 1 nested arrays/objects by default.',
    )
    expect(phpRefusal(() => phpJsonDecode('')).message).toMatch(/unexpected end of input/)
    expect(phpRefusal(() => phpJsonDecode('[1] x')).message).toMatch(/unexpected text after the JSON value/)
    expect(phpRefusal(() => phpJsonDecode('x')).message).toMatch(/unexpected "x"/)
  })

  it('names what it expected where PHP only says "Syntax error"', () => {
    const what = (text: string) =>
      /\): (.*)\. PHP json_decode would return null\.$/.exec(phpRefusal(() => phpJsonDecode(text)).message)?.[1]
    expect(what('+1')).toBe('unexpected "+"')
    expect(what('[.5]')).toBe('unexpected "."')
    expect(what('-a')).toBe('invalid number')
    expect(what('{1:2}')).toBe('expected a "quoted" key')
    expect(what('{"a" 1}')).toBe('expected :')
    expect(what('{"a":1 "b":2}')).toBe('expected , or }')
    expect(what('[1 2]')).toBe('expected , or ]')
  })

  it('names both brackets of a state mismatch', () => {
    const mismatch = (text: string) => phpRefusal(() => phpJsonDecode(text))
    expect(mismatch('[}').message).toBe(
      'State mismatch (invalid or malformed JSON) at character 1: "}" closes what "[" opened; close it with "]". PHP json_decode would return null.',
    )
    expect(mismatch('[1}').message).toContain('at character 2: "}" closes what "[" opened; close it with "]".')
    expect(mismatch('{]').message).toBe(
      'State mismatch (invalid or malformed JSON) at character 1: "]" closes what "{" opened; close it with "}". PHP json_decode would return null.',
    )
    expect(mismatch('{"a":1]').message).toContain('at character 6: "]" closes what "{" opened; close it with "}".')
    expect(mismatch('[{]}').code).toBe('state-mismatch')
  })

  it('surrogates in JS strings: only a high one followed by a low one is a pair', () => {
    expect(phpJsonDecode('"\ue000\uffff\ud7ff"')).toBe('\ue000\uffff\ud7ff')
    for (const text of ['"\udfff\udc00"', '"\ud800\ue000"', '"\udc00\udc00"']) {
      expect(phpRefusal(() => phpJsonDecode(text)).code, JSON.stringify(text)).toBe('utf8')
    }
    expect(phpRefusal(() => phpJsonEncode('\ud800\ue000')).code).toBe('utf8')
    expect(phpJsonEncode('\ue000', { unescapedUnicode: true })).toBe('"\ue000"')
  })

  it('the default depth is 512: 511 nested arrays read, 512 do not', () => {
    expect(() => phpJsonDecode('['.repeat(511) + ']'.repeat(511))).not.toThrow()
    expect(phpRefusal(() => phpJsonDecode('['.repeat(512) + ']'.repeat(512))).code).toBe('depth')
  })

  it('numbers: safe integers are numbers, 64-bit ones bigint, beyond that floats', () => {
    expect(phpJsonDecode('[9007199254740991,-9007199254740991]')).toEqual([9007199254740991, -9007199254740991])
    expect(phpJsonDecode('[9007199254740992,-9007199254740992]')).toEqual([9007199254740992n, -9007199254740992n])
  })
})
