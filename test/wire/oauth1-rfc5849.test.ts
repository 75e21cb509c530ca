import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  baseStringUri,
  collectSignatureParameters,
  normalizeParameters,
  OAuthHeaderError,
  parseAuthorizationHeader,
  signatureBaseString,
} from '../../src/wire/oauth1/index.js'

/**
 * RFC 5849's own worked example (§3.4.1: the request, §3.4.1.3.2: its normalized parameters,
 * §3.4.1.1: its base string) and the base string URI examples of §3.4.1.2, quoted verbatim.
 */
const RFC_URL = 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b'
const RFC_AUTHORIZATION =
  'OAuth realm="Example",\r\n oauth_consumer_key="9djdj82h48djs9d2",\r\n oauth_token="kkk9d7dh3k39sjv7",\r\n' +
  ' oauth_signature_method="HMAC-SHA1",\r\n oauth_timestamp="137131201",\r\n oauth_nonce="7d8f3e4a",\r\n' +
  ' oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"'
const RFC_BODY = 'c2&a3=2+q'
const RFC_NORMALIZED =
  'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&' +
  'oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7'
const RFC_BASE_STRING =
  'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26' +
  'oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26' +
  'oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7'

describe('RFC 5849 §3.4.1 worked example', () => {
  const params = collectSignatureParameters({
    url: RFC_URL,
    authorization: RFC_AUTHORIZATION,
    body: RFC_BODY,
    contentType: 'application/x-www-form-urlencoded',
  })

  it('collects header (without realm and oauth_signature), query and body parameters, decoded', () => {
    expect(params.map((p) => [p.source, p.name, p.value])).toEqual([
      ['header', 'oauth_consumer_key', '9djdj82h48djs9d2'],
      ['header', 'oauth_token', 'kkk9d7dh3k39sjv7'],
      ['header', 'oauth_signature_method', 'HMAC-SHA1'],
      ['header', 'oauth_timestamp', '137131201'],
      ['header', 'oauth_nonce', '7d8f3e4a'],
      ['query', 'b5', '=%3D'],
      ['query', 'a3', 'a'],
      ['query', 'c@', ''],
      ['query', 'a2', 'r b'],
      ['body', 'c2', ''],
      ['body', 'a3', '2 q'],
    ])
  })

  it('normalizes them as §3.4.1.3.2 prints', () => {
    expect(normalizeParameters(params)).toBe(RFC_NORMALIZED)
  })

  it('builds the base string §3.4.1.1 prints', () => {
    expect(signatureBaseString('post', RFC_URL, RFC_NORMALIZED)).toBe(RFC_BASE_STRING)
  })

  it('a body of another content type takes no part (§3.4.1.3.1); an absent content type reads it', () => {
    const json = collectSignatureParameters({ url: RFC_URL, body: RFC_BODY, contentType: 'application/json' })
    expect(json.map((p) => p.source)).not.toContain('body')
    for (const contentType of [undefined, null, '', ' ', 'Application/X-WWW-Form-Urlencoded; charset=UTF-8']) {
      const read = collectSignatureParameters({ url: RFC_URL, body: RFC_BODY, contentType })
      expect(
        read.filter((p) => p.source === 'body').map((p) => p.name),
        String(contentType),
      ).toEqual(['c2', 'a3'])
    }
  })

  it('a query after a fragment mark is not read; a URL without a query has no query parameters', () => {
    const withFragment = collectSignatureParameters({ url: 'http://example.com/r?a=1#b=2', body: null })
    expect(withFragment.map((p) => [p.name, p.value])).toEqual([['a', '1']])
    expect(collectSignatureParameters({ url: 'http://example.com/r', body: '' })).toEqual([])
  })

  it('a non-OAuth Authorization header is not read as parameters; an empty OAuth one is refused', () => {
    expect(collectSignatureParameters({ url: 'http://example.com/r', authorization: 'Basic abc=' })).toEqual([])
    expect(collectSignatureParameters({ url: 'http://example.com/r', authorization: 'XOAuth a="1"' })).toEqual([])
    expect(() => collectSignatureParameters({ url: 'http://example.com/r', authorization: 'OAuth' })).toThrow(
      OAuthHeaderError,
    )
    expect(
      collectSignatureParameters({ url: 'http://example.com/r', authorization: ' OAuth a="1"' }).map((p) => p.name),
    ).toEqual(['a'])
  })
})

describe('RFC 5849 §3.4.1.2 base string URI', () => {
  it('lower-cases scheme and host, drops the default port and the query, keeps path case', () => {
    expect(baseStringUri('HTTP://EXAMPLE.COM:80/r%20v/X?id=123')).toBe('http://example.com/r%20v/X')
    expect(baseStringUri('https://www.example.net:8080/?q=1')).toBe('https://www.example.net:8080/')
    expect(baseStringUri('https://example.net:443')).toBe('https://example.net/')
  })

  it('refuses a URL that is not absolute, saying what to pass', () => {
    expect(() => baseStringUri('/paynet/api/v4/payout')).toThrow(/not an absolute URL/)
  })
})

describe('parseAuthorizationHeader (RFC 5849 §3.5.1, read tolerantly)', () => {
  it('reads the RFC example: realm apart, values percent-decoded, header order kept', () => {
    const parsed = parseAuthorizationHeader(RFC_AUTHORIZATION)
    expect(parsed.realm).toBe('Example')
    expect(parsed.params).toEqual([
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['oauth_signature', 'bYT5CMsGcbgUdFHObYMEfcx6bsw='],
    ])
  })

  it('any scheme case; bare, single-quoted and escaped values; spaces around "="; duplicates kept', () => {
    const parsed = parseAuthorizationHeader(`oAuTh a=1  b = "x\\"y" , c='q r',d=%41, a="2",REALM=%20r`)
    expect(parsed.params).toEqual([
      ['a', '1'],
      ['b', 'x"y'],
      ['c', 'q r'],
      ['d', 'A'],
      ['a', '2'],
    ])
    expect(parsed.realm).toBe(' r')
    expect(parseAuthorizationHeader('OAuth realm="%20x", a="1"').realm).toBe('%20x')
    expect(parseAuthorizationHeader('OAuth flag').params).toEqual([['flag', '']])
    expect(parseAuthorizationHeader('OAuth a=""').params).toEqual([['a', '']])
  })

  it('refuses another scheme, an unterminated quote, a value without a name, and no parameters', () => {
    expect(() => parseAuthorizationHeader('Bearer abc')).toThrow(OAuthHeaderError)
    expect(() => parseAuthorizationHeader('Bearer abc')).toThrow(/uses the scheme "Bearer", not "OAuth"/)
    expect(() => parseAuthorizationHeader('')).toThrow(/scheme "\(empty\)"/)
    expect(() => parseAuthorizationHeader('OAuthx a="1"')).toThrow(/scheme "OAuthx"/)
    expect(() => parseAuthorizationHeader('XOAuth a="1"')).toThrow(/scheme "XOAuth"/)
    expect(() => parseAuthorizationHeader('OAuth a="1')).toThrow(
      'The Authorization header has an unterminated quoted value for "a" (no closing "). Quote every value: a="...".',
    )
    expect(() => parseAuthorizationHeader('OAuth ="1"')).toThrow(/a value without a parameter name near "="1""/)
    expect(() => parseAuthorizationHeader('OAuth')).toThrow(/carries no parameters/)
    expect(() => parseAuthorizationHeader(' OAuth , ')).toThrow(/carries no parameters/)
    try {
      parseAuthorizationHeader('Basic x')
    } catch (error) {
      expect((error as Error).name).toBe('OAuthHeaderError')
    }
  })

  it('separates parameters at every character /\\s/ matches and at commas, and at nothing else', () => {
    const wrong: string[] = []
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code)
      // Syntax of the header itself, and lone surrogates (percent-decoding reads them as U+FFFD).
      if ('="\'%\\'.includes(c) || (code >= 0xd800 && code <= 0xdfff)) continue
      const names = parseAuthorizationHeader(`OAuth a="1"${c}b="2"`).params.map(([name]) => name)
      const expected = /\s/.test(c) || c === ',' ? ['a', 'b'] : ['a', `${c}b`]
      if (names.join('|') !== expected.join('|')) wrong.push(`U+${code.toString(16).padStart(4, '0')}`)
    }
    expect(wrong).toEqual([])
  })

  it('reads any quoted value back, escaped quotes and backslashes included', () => {
    const value = fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', ',', '=', '"', "'", '\\', '+', '/', 'é') })
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 5 }), fc.constantFrom('"', "'"), (values, quote) => {
        const escaped = values.map((v) => v.replace(/[\\"']/g, (ch) => (ch === quote || ch === '\\' ? `\\${ch}` : ch)))
        const header = `OAuth ${escaped.map((v, i) => `p${i}=${quote}${v}${quote}`).join(', ')}`
        expect(parseAuthorizationHeader(header).params).toEqual(values.map((v, i) => [`p${i}`, v]))
      }),
    )
  })
})
