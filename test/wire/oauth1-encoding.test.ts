import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formDecode, formEncode, percentDecode, percentEncode } from '../../src/wire/oauth1/index.js'

/**
 * The OAuth 1.0a encodings against Python's urllib.parse: `fixtures/oauth1-encoding.json` was
 * printed by `python3 fixtures/oauth1-encoding.py` — quote(…, safe='') for RFC 3986 percent
 * encoding of every byte, unquote for header components, parse_qsl(keep_blank_values=True) for
 * form bodies.
 */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/oauth1-encoding.json', import.meta.url), 'utf8')) as {
  every_byte: string
  encode: Array<[string, string]>
  decode: Array<[string, string]>
  form: Array<[string, Array<[string, string]>]>
}

describe('percentEncode is RFC 3986 (urllib.parse.quote with nothing safe)', () => {
  it('keeps A-Z a-z 0-9 - . _ ~ and writes every other byte as upper-case %XX', () => {
    expect(percentEncode(Uint8Array.from({ length: 256 }, (_, i) => i))).toBe(fixture.every_byte)
  })
  it.each(fixture.encode)('%j', (text, encoded) => {
    expect(percentEncode(text)).toBe(encoded)
  })
})

describe('percentDecode (urllib.parse.unquote): "+" stays a plus, a bad escape stays as it is', () => {
  it.each(fixture.decode)('%j', (text, decoded) => {
    expect(percentDecode(text)).toBe(decoded)
  })
  it('gives a text without escapes back as it is, a leading BOM included; a lone surrogate as U+FFFD', () => {
    for (const text of ['', 'a+b c', '\uFEFFx', 'Zoë 😀', 'd8VJ+jb/lx=='])
      expect(percentDecode(text)).toBe(
        new TextDecoder('utf-8', { ignoreBOM: true }).decode(new TextEncoder().encode(text)),
      )
    expect(percentDecode('a\uD800b')).toBe('a\uFFFDb')
    expect(percentDecode('\uDC00%41')).toBe('\uFFFDA')
  })
})

describe('formDecode (urllib.parse.parse_qsl, blank values kept)', () => {
  it.each(fixture.form)('%j', (body, pairs) => {
    expect(formDecode(body)).toEqual(pairs)
    expect(formDecode(new TextEncoder().encode(body))).toEqual(pairs)
    expect(formDecode(new TextEncoder().encode(body).buffer)).toEqual(pairs)
  })
})

describe('formEncode', () => {
  it('writes pairs in the given order, RFC 3986 encoded, from pairs or a record', () => {
    expect(
      formEncode([
        ['order_desc', 'Payout to bank'],
        ['amount', '10.42'],
        ['a b', '~+&='],
      ]),
    ).toBe('order_desc=Payout%20to%20bank&amount=10.42&a%20b=~%2B%26%3D')
    expect(formEncode({ amount: 10.42, order_desc: 'Payout to bank' })).toBe(
      'amount=10.42&order_desc=Payout%20to%20bank',
    )
    expect(formEncode([])).toBe('')
  })
})

describe('formDecode keeps a byte order mark', () => {
  it('a BOM at the start of a name is part of the name, as the bytes say', () => {
    expect(formDecode('%EF%BB%BFa=1')).toEqual([['\ufeffa', '1']])
  })
})
