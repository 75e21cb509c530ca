// @ts-nocheck
import { Buffer } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  isPhpFloat,
  phpBase64Decode,
  phpBase64Encode,
  phpConcat,
  phpFloat,
  PhpFloat,
  phpFloatToString,
  phpJsonDecode,
  phpJsonEncode,
  PhpJsonError,
  phpJsonFloat,
  phpKeyCompare,
  phpKsort,
  phpOpensslIv,
  phpOpensslKey,
  phpToString,
  type PhpValue,
} from '../../src/wire/php.js'

// Every expected string literal in this file was produced by PHP 8.2.36 (php-cli, Debian 12):
// json_encode / (string) / ksort / base64_decode run on the same inputs, output pasted verbatim.

interface PhpVectors {
  payatom: {
    v2_signature: Array<{ body: Record<string, string | number>; secret_key: string; string_to_hash: string }>
  }
}
const vectors = JSON.parse(
  readFileSync(new URL('../vectors/php-bankconnect-payatom.json', import.meta.url), 'utf8'),
) as PhpVectors

describe('phpJsonEncode writes what PHP 8 json_encode writes', () => {
  it('escapes "/", non-ASCII (with surrogate pairs), control characters, quotes; leaves DEL raw', () => {
    const value = {
      url: 'https://x.in/a?b=c&d=e',
      name: 'Zoë',
      emoji: '😀',
      ctrl: '\x00\x1f\x7f\t\n\r\b\f',
      quote: '"\\',
      ls: '\u2028\u2029',
      cjk: '张三ABC',
      '': '',
    }
    // PHP: json_encode(['url'=>'https://x.in/a?b=c&d=e', 'name'=>'Zoë', …])
    expect(phpJsonEncode(value)).toBe(
      '{"url":"https:\\/\\/x.in\\/a?b=c&d=e","name":"Zo\\u00eb","emoji":"\\ud83d\\ude00","ctrl":"\\u0000\\u001f\x7f\\t\\n\\r\\b\\f",' +
        '"quote":"\\"\\\\","ls":"\\u2028\\u2029","cjk":"\\u5f20\\u4e09ABC","":""}',
    )
  })

  it('honours JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE (U+2028/2029 still escaped) and JSON_UNESCAPED_LINE_TERMINATORS', () => {
    const value = { url: 'https://x.in/a', name: 'Zoë', emoji: '😀', ls: '\u2028\u2029' }
    expect(phpJsonEncode(value, { unescapedSlashes: true, unescapedUnicode: true })).toBe(
      '{"url":"https://x.in/a","name":"Zoë","emoji":"😀","ls":"\\u2028\\u2029"}',
    )
    expect(phpJsonEncode({ ls: '\u2028\u2029' }, { unescapedUnicode: true, unescapedLineTerminators: true })).toBe(
      '{"ls":"\u2028\u2029"}',
    )
  })

  const floats = [
    phpFloat(100),
    100.5,
    0.1 + 0.2,
    phpFloat(-0),
    phpFloat(1e15),
    phpFloat(1e16),
    phpFloat(1e17),
    phpFloat(1e22),
    1.5e300,
    0.0001,
    0.00001,
    1e-7,
    phpFloat(123456789012345),
    5e-324,
    1.7976931348623157e308,
    2500.5,
    1.005,
    -1.5e-10,
    0.5,
  ]

  it('prints floats with serialize_precision -1: an integral float has NO ".0" by default', () => {
    expect(phpJsonEncode(floats)).toBe(
      '[100,100.5,0.30000000000000004,-0,1000000000000000,10000000000000000,1.0e+17,1.0e+22,1.5e+300,0.0001,1.0e-5,1.0e-7,' +
        '123456789012345,5.0e-324,1.7976931348623157e+308,2500.5,1.005,-1.5e-10,0.5]',
    )
  })

  it('adds ".0" only with JSON_PRESERVE_ZERO_FRACTION', () => {
    expect(phpJsonEncode(floats, { preserveZeroFraction: true })).toBe(
      '[100.0,100.5,0.30000000000000004,-0.0,1000000000000000.0,10000000000000000.0,1.0e+17,1.0e+22,1.5e+300,0.0001,1.0e-5,1.0e-7,' +
        '123456789012345.0,5.0e-324,1.7976931348623157e+308,2500.5,1.005,-1.5e-10,0.5]',
    )
    expect(phpJsonFloat(100, true)).toBe('100.0')
  })

  it('writes ints exactly, including 64-bit ones as bigint; integral JS numbers are ints', () => {
    expect(phpJsonEncode([0, -1, 9007199254740993n, 9223372036854775807n, -9223372036854775808n])).toBe(
      '[0,-1,9007199254740993,9223372036854775807,-9223372036854775808]',
    )
    expect(phpJsonEncode(1e17)).toBe('100000000000000000')
    expect(phpJsonEncode(phpFloat(1e17))).toBe('1.0e+17')
  })

  it('tells lists from maps as PHP arrays do; plain objects are always objects', () => {
    const value = {
      e: [],
      o: {},
      l: [1, 2],
      m: new Map([
        [1, 'a'],
        [0, 'b'],
      ]),
      list: new Map([
        [0, 'a'],
        [1, 'b'],
      ]),
      gap: new Map([
        [0, 'a'],
        [2, 'b'],
      ]),
      t: true,
      f: false,
      n: null,
      nested: { a: { b: [] } },
    }
    // PHP: ['e'=>[], 'o'=>new stdClass, 'l'=>[1,2], 'm'=>[1=>'a',0=>'b'], 'list'=>[0=>'a',1=>'b'], 'gap'=>[0=>'a',2=>'b'], …]
    expect(phpJsonEncode(value)).toBe(
      '{"e":[],"o":{},"l":[1,2],"m":{"1":"a","0":"b"},"list":["a","b"],"gap":{"0":"a","2":"b"},"t":true,"f":false,"n":null,"nested":{"a":{"b":[]}}}',
    )
    expect(phpJsonEncode(new Map())).toBe('[]')
    expect(phpJsonEncode(new Map([['0', 'a']]))).toBe('["a"]')
  })

  it('keeps insertion order with a Map, even for integer-like keys', () => {
    const map = new Map<string, PhpValue>([
      ['b', 1],
      ['a', 2],
      ['10', 3],
      ['9', 4],
    ])
    expect(phpJsonEncode(map)).toBe('{"b":1,"a":2,"10":3,"9":4}')
  })

  it('pretty-prints like JSON_PRETTY_PRINT', () => {
    const value = { a: [1, [], {}, { x: '/' }], b: [], c: phpFloat(1) }
    expect(phpJsonEncode(value, { prettyPrint: true })).toBe(
      '{\n    "a": [\n        1,\n        [],\n        {},\n        {\n            "x": "\\/"\n        }\n    ],\n    "b": [],\n    "c": 1\n}',
    )
  })

  it('leaves out undefined properties', () => {
    expect(phpJsonEncode({ a: 1, b: undefined })).toBe('{"a":1}')
  })

  it('fails where PHP returns false, with an explanation', () => {
    expect(() => phpJsonEncode(NaN)).toThrow(/Inf and NaN cannot be JSON encoded/)
    expect(() => phpJsonEncode('\ud800x')).toThrow(PhpJsonError)
    expect(() => phpJsonEncode(new Date())).toThrow(/Date has no PHP JSON form/)
    expect(() => phpJsonEncode([undefined])).toThrow(/undefined/)
    let nested: unknown = []
    for (let i = 0; i < 511; i++) nested = [nested]
    expect(phpJsonEncode(nested)).toHaveLength(1024) // PHP: 512 levels encode
    expect(() => phpJsonEncode([nested])).toThrow(/Maximum stack depth exceeded/) // 513 levels do not
  })

  it('reproduces the PHP json_encode strings inside the PayAtom v2 signature vectors', () => {
    for (const v of vectors.payatom.v2_signature) {
      expect(phpJsonEncode(v.body) + v.secret_key).toBe(v.string_to_hash)
    }
  })
})

describe('phpJsonDecode keeps what PHP json_decode($x, true) keeps', () => {
  it('re-encodes to exactly what PHP re-encodes', () => {
    const text =
      '{"b":1,"10":2,"9":3,"a":4.0,"x":-0,"y":-0.0,"z":1E2,"big":9223372036854775808,"big2":9223372036854775807,' +
      '"e":{},"l":{"0":"a","1":"b"},"u":"\\u00e9\\/\\ud83d\\ude00","dup":1,"dup":2,"f":1.10}'
    // PHP: json_encode(json_decode($text, true))
    expect(phpJsonEncode(phpJsonDecode(text))).toBe(
      '{"b":1,"10":2,"9":3,"a":4,"x":0,"y":-0,"z":100,"big":9.223372036854776e+18,"big2":9223372036854775807,"e":[],"l":["a","b"],' +
        '"u":"\\u00e9\\/\\ud83d\\ude00","dup":2,"f":1.1}',
    )
  })

  it('returns Maps, PhpFloat for floats, bigint for 64-bit ints', () => {
    const body = phpJsonDecode('{"amount":100.0,"n":100,"id":9007199254740993,"s":"x"}') as Map<string, PhpValue>
    expect(body).toBeInstanceOf(Map)
    expect(isPhpFloat(body.get('amount'))).toBe(true)
    expect((body.get('amount') as PhpFloat).value).toBe(100)
    expect(body.get('n')).toBe(100)
    expect(body.get('id')).toBe(9007199254740993n)
    expect(body.get('s')).toBe('x')
  })

  it('rejects what PHP rejects', () => {
    expect(() => phpJsonDecode('"\\ud800"')).toThrow(/Single unpaired UTF-16 surrogate/)
    expect(() => phpJsonDecode('"a\x01"')).toThrow(/Control character error/)
    expect(() => phpJsonDecode('{"a":1,}')).toThrow(/Syntax error/)
    expect(() => phpJsonDecode('')).toThrow(/Syntax error/)
    expect(() => phpJsonDecode(Buffer.from([0x22, 0xff, 0x22]))).toThrow(/Malformed UTF-8/)
    expect(() => phpJsonDecode('['.repeat(512) + ']'.repeat(512))).toThrow(/Maximum stack depth/) // PHP: error at 512
    expect(phpJsonDecode('['.repeat(511) + ']'.repeat(511))).toBeInstanceOf(Array) // PHP: fine at 511
  })
})

describe('phpToString / phpConcat print values as PHP string conversion does (precision 14)', () => {
  it('matches PHP (string)$float', () => {
    const inputs = [
      100,
      100.5,
      0.1 + 0.2,
      -0,
      1e15,
      1e14,
      99999999999999,
      123456789012345,
      1 / 3,
      5e-324,
      1.7976931348623157e308,
      0.00001,
      0.0001,
      2500.5,
      1.005,
      1e100,
      -1.5e-10,
      2.675,
      0.5,
      1234567.891,
    ]
    // PHP: (string)$f for the same floats; note 123456789012345.0 rounds half to even → …234E+14
    const php = [
      '100',
      '100.5',
      '0.3',
      '-0',
      '1.0E+15',
      '1.0E+14',
      '99999999999999',
      '1.2345678901234E+14',
      '0.33333333333333',
      '4.9406564584125E-324',
      '1.7976931348623E+308',
      '1.0E-5',
      '0.0001',
      '2500.5',
      '1.005',
      '1.0E+100',
      '-1.5E-10',
      '2.675',
      '0.5',
      '1234567.891',
    ]
    expect(inputs.map((f) => phpFloatToString(f))).toEqual(php)
    expect(inputs.map((f) => phpToString(phpFloat(f)))).toEqual(php)
  })

  it('matches PHP for other scalars', () => {
    // PHP: '' . true, '' . false, '' . null, '' . 42, '' . INF, '' . -INF, '' . NAN, '' . PHP_INT_MAX
    expect([true, false, null, 42, Infinity, -Infinity, NaN, 9223372036854775807n].map((v) => phpToString(v))).toEqual([
      '1',
      '',
      '',
      '42',
      'INF',
      '-INF',
      'NAN',
      '9223372036854775807',
    ])
  })

  it('rounds half to even at the precision, like zend_dtoa', () => {
    // PHP: ini_set('precision', 1); echo 2.5, 3.5, 25.0, 0.25  →  2 4 2.0E+1 0.2
    expect([2.5, 3.5, 25, 0.25].map((f) => phpFloatToString(f, 1))).toEqual(['2', '4', '2.0E+1', '0.2'])
  })

  it('concatenates like the PHP "." operator: ints as ints, strings verbatim', () => {
    expect(phpConcat('ORD1', 100, 'Approved', 'k')).toBe('ORD1100Approvedk')
    expect(phpConcat('ORD1', '100.00', phpFloat(100.0), 100.5)).toBe('ORD1100.00100100.5')
  })
})

describe('phpKsort orders keys like PHP 8 ksort()', () => {
  it('matches PHP on numeric, mixed-case, underscore and non-ASCII keys', () => {
    const keys = [
      'b',
      '10',
      '9',
      'a',
      '1e1',
      'B',
      '_x',
      'é',
      'Z',
      ' 5',
      '010',
      '-3',
      '',
      'abc10',
      'abc9',
      'amount',
      'customer_id',
      'redirect_url',
      'ip',
    ]
    const map = new Map(keys.map((k, i) => [k, i]))
    // PHP: ksort($k); array_keys($k)
    expect([...phpKsort(map).keys()].map(String)).toEqual([
      '',
      '-3',
      ' 5',
      '9',
      '10',
      '1e1',
      '010',
      'B',
      'Z',
      '_x',
      'a',
      'abc10',
      'abc9',
      'amount',
      'b',
      'customer_id',
      'ip',
      'redirect_url',
      'é',
    ])
    expect(phpKeyCompare('abc10', 'abc9')).toBe(-1)
  })
})

describe('phpBase64Decode is PHP base64_decode, strict and not', () => {
  // PHP: [input, bin2hex(base64_decode($s)), base64_decode($s, true) === false ? null : bin2hex(…)]
  const cases: Array<[string, string, string | null]> = [
    ['QUJD', '414243', '414243'],
    ['QU=JD', '414243', null],
    ['QUJD-_', '414243', null],
    ['Q', '', null],
    ['QUJDRA', '41424344', '41424344'],
    ['QUJ DRA==', '41424344', '41424344'],
    ['QUJDRA=', '41424344', null],
    ['QUJDR', '414243', null],
    ['QU\x0bJD', '414243', null],
    ['QUJDRA==x', '414243440c', null],
    ['QUJDRA\n==', '41424344', '41424344'],
    ['=QUJD', '414243', null],
  ]
  it.each(cases)('%j', (input, lenient, strict) => {
    expect(phpBase64Decode(input)!.toString('hex')).toBe(lenient)
    expect(phpBase64Decode(input, true)?.toString('hex') ?? null).toBe(strict)
  })
  it('encodes like base64_encode', () => {
    expect(phpBase64Encode('0035::35kjfkh45')).toBe('MDAzNTo6MzVramZraDQ1')
  })
})

describe('openssl key and IV handling', () => {
  it('truncates or NUL-pads the passphrase silently', () => {
    expect(phpOpensslKey('de6ebcb24a03dcdd39643a6bc01ce636', 16).toString()).toBe('de6ebcb24a03dcdd')
    expect(phpOpensslKey('ab', 4)).toEqual(Buffer.from([0x61, 0x62, 0, 0]))
  })
  it("pads or truncates the IV with PHP 8.2's exact warnings", () => {
    // PHP 8.2 warnings from openssl_encrypt(…, 'aes-128-ctr', …, 0, 'short' / '0123456789abcdefXYZ' / '')
    expect(phpOpensslIv('short', 16).warning).toBe(
      'IV passed is only 5 bytes long, cipher expects an IV of precisely 16 bytes, padding with \\0',
    )
    expect(phpOpensslIv('0123456789abcdefXYZ', 16).warning).toBe(
      'IV passed is 19 bytes long which is longer than the 16 expected by selected cipher, truncating',
    )
    expect(phpOpensslIv('', 16).warning).toBe(
      'Using an empty Initialization Vector (iv) is potentially insecure and not recommended',
    )
    expect(phpOpensslIv('', 16, false).warning).toBeNull()
    expect(phpOpensslIv('short', 16).iv).toEqual(Buffer.concat([Buffer.from('short'), Buffer.alloc(11)]))
    expect(phpOpensslIv('a1b2c3d4e5f6g7h8', 16)).toEqual({ iv: Buffer.from('a1b2c3d4e5f6g7h8'), warning: null })
  })
})
