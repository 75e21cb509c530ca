import { describe, expect, it } from 'vitest'
import {
  phpConcat,
  phpFloat,
  PhpFloat,
  phpJsonEncode,
  phpKeyCompare,
  phpKsort,
  phpOpensslIv,
  phpOpensslKey,
  phpToString,
} from '../../src/wire/php.js'
import { phpRefusal } from './support.js'

// Expected strings printed by PHP 8.2.36 (php -r 'echo json_encode(...)') on the equivalent PHP
// array; the refusals are where PHP's json_encode returns false.

describe('a Map is a PHP array: keys normalised as PHP normalises them', () => {
  it('"1" and 1 are one key (first place, last value); "05" and "-0" stay strings', () => {
    expect(
      phpJsonEncode(
        new Map<string | number, string>([
          ['1', 'a'],
          [1, 'b'],
        ]),
      ),
    ).toBe('{"1":"b"}')
    expect(
      phpJsonEncode(
        new Map<string | number, string>([
          ['0', 'x'],
          [0, 'y'],
        ]),
      ),
    ).toBe('["y"]')
    expect(
      phpJsonEncode(
        new Map<string | number, number>([
          ['05', 1],
          [5, 2],
        ]),
      ),
    ).toBe('{"05":1,"5":2}')
    expect(
      phpJsonEncode(
        new Map<string | number, number>([
          ['-0', 1],
          [0, 2],
        ]),
      ),
    ).toBe('{"-0":1,"0":2}')
    expect(
      phpJsonEncode(
        new Map([
          ['9223372036854775807', 1],
          ['9223372036854775808', 2],
        ]),
      ),
    ).toBe('{"9223372036854775807":1,"9223372036854775808":2}')
    expect(
      phpJsonEncode(
        new Map([
          ['-9223372036854775808', 1],
          ['-9223372036854775809', 2],
        ]),
      ),
    ).toBe('{"-9223372036854775808":1,"-9223372036854775809":2}')
    expect(
      phpJsonEncode(
        new Map([
          ['-1', 'n'],
          ['1', 'p'],
        ]),
      ),
    ).toBe('{"-1":"n","1":"p"}')
    expect(
      phpJsonEncode(
        new Map([
          [0n, 'a'],
          [1n, 'b'],
        ]),
      ),
    ).toBe('["a","b"]')
    expect(
      phpJsonEncode(
        new Map([
          ['1', 'a'],
          ['0', 'b'],
        ]),
      ),
    ).toBe('{"1":"a","0":"b"}')
    expect(
      phpJsonEncode(
        new Map([
          ['0', 'a'],
          ['1', 'b'],
          ['x', 'c'],
        ]),
      ),
    ).toBe('{"0":"a","1":"b","x":"c"}')
  })

  it('an undefined value is unset: [0 => a, 2 => c] is no longer a list', () => {
    expect(
      phpJsonEncode(
        new Map([
          [0, 'a'],
          [1, undefined],
          [2, 'c'],
        ]),
      ),
    ).toBe('{"0":"a","2":"c"}')
    expect(
      phpJsonEncode(
        new Map([
          [0, 'a'],
          [1, undefined],
        ]),
      ),
    ).toBe('["a"]')
    expect(phpJsonEncode({ a: 1, b: undefined })).toBe('{"a":1}')
  })

  it('refuses keys PHP arrays cannot have', () => {
    const float = phpRefusal(() => phpJsonEncode(new Map([[1.5, 'a']])))
    expect(float.code).toBe('unsupported-type')
    expect(float.message).toBe('Map key 1.5 is not an integer; PHP array keys are ints or strings. Use a string key.')
    const symbol = phpRefusal(() => phpJsonEncode(new Map([[Symbol('k'), 'a']])))
    expect(symbol.code).toBe('unsupported-type')
    expect(symbol.message).toBe('Map key of type symbol cannot be a PHP array key; use strings or integers.')
    expect(phpRefusal(() => phpJsonEncode(new Map([[true, 'a']]))).message).toMatch(/^Map key of type boolean/)
  })
})

describe('values PHP json_encode has no form for, named by path', () => {
  it('a function, an array hole, a class instance, an out-of-range bigint', () => {
    const fn = phpRefusal(() => phpJsonEncode({ a: { b: [1, () => 1] } }))
    expect(fn.code).toBe('unsupported-type')
    expect(fn.message).toBe(
      '$.a.b[]: a function has no PHP JSON form; PHP json_encode only takes scalars, arrays and objects.',
    )
    const hole = phpRefusal(() => phpJsonEncode({ list: [1, undefined] }))
    expect(hole.code).toBe('unsupported-type')
    expect(hole.message).toBe(
      '$.list[1] is undefined (an array hole?); PHP lists have no holes. Use null or remove the element.',
    )
    const date = phpRefusal(() => phpJsonEncode(new Map([['at', new Date(0)]])))
    expect(date.code).toBe('unsupported-type')
    expect(date.message).toMatch(/^\$\.at: a Date has no PHP JSON form here; use a plain object/)
    expect(phpRefusal(() => phpJsonEncode(Buffer.from('x'))).message).toMatch(/^\$: a Buffer has no PHP JSON form/)
    expect(phpRefusal(() => phpJsonEncode(undefined)).message).toMatch(/^\$: a undefined has no PHP JSON form/)
    const big = phpRefusal(() => phpJsonEncode({ x: 2n ** 63n }))
    expect(big.code).toBe('unsupported-type')
    expect(big.message).toBe(
      '$.x: 9223372036854775808 does not fit a PHP int (64-bit); PHP would hold it as a float. Use phpFloat(Number(x)) or a string.',
    )
    expect(phpRefusal(() => phpJsonEncode(-(2n ** 63n) - 1n)).code).toBe('unsupported-type')
    expect(phpJsonEncode([2n ** 63n - 1n, -(2n ** 63n)])).toBe('[9223372036854775807,-9223372036854775808]')
  })

  it('objects without a prototype are plain objects', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 })
    expect(phpJsonEncode(bare)).toBe('{"a":1}')
  })

  it('Inf and NaN are refused (PHP: "Inf and NaN cannot be JSON encoded")', () => {
    for (const v of [Infinity, -Infinity, NaN]) {
      const e = phpRefusal(() => phpJsonEncode([v]))
      expect(e.code).toBe('inf-or-nan')
      expect(e.name).toBe('PhpJsonError')
    }
  })

  it('depth: json_encode($v, 0, 1) writes [1] and refuses [[1]] and ["a" => []]', () => {
    expect(phpJsonEncode([1], { depth: 1 })).toBe('[1]')
    expect(phpRefusal(() => phpJsonEncode([[1]], { depth: 1 })).code).toBe('depth')
    const nested = phpRefusal(() => phpJsonEncode({ a: [] }, { depth: 1 }))
    expect(nested.message).toBe(
      '$.a: Maximum stack depth exceeded (more than 1 levels of nesting); PHP json_encode would return false.',
    )
    expect(phpRefusal(() => phpJsonEncode([], { depth: 0 })).code).toBe('depth')
    const deep = JSON.parse('['.repeat(512) + ']'.repeat(512)) as unknown
    expect(() => phpJsonEncode(deep)).not.toThrow()
    expect(phpRefusal(() => phpJsonEncode([deep])).code).toBe('depth')
  })
})

describe('integers and floats at the 64-bit edge', () => {
  it('an integral JS number below 2^63 is an int; 2^63 is a float (PHP: 9.223372036854776e+18)', () => {
    expect(phpJsonEncode([2 ** 53 + 2, -(2 ** 53) - 2])).toBe('[9007199254740994,-9007199254740994]')
    expect(phpJsonEncode([2 ** 63, -(2 ** 63)])).toBe('[9.223372036854776e+18,-9.223372036854776e+18]')
    expect(phpToString(2 ** 63)).toBe('9.2233720368548E+18')
    expect(phpToString(-(2 ** 63))).toBe('-9.2233720368548E+18')
    expect(phpToString(2 ** 62)).toBe('4611686018427387904')
  })
})

describe('lone UTF-16 surrogates have no UTF-8 form (json_encode returns false)', () => {
  it('refuses a lone high or low surrogate, naming it and its index; a pair is one character', () => {
    const high = phpRefusal(() => phpJsonEncode('a\ud800'))
    expect(high.code).toBe('utf8')
    expect(high.message).toBe(
      'Malformed UTF-8 characters: the string has a lone UTF-16 surrogate (U+D800) at index 1, which has no UTF-8 form; ' +
        'PHP json_encode would return false. Fix the string (e.g. do not cut it in the middle of an emoji).',
    )
    expect(phpRefusal(() => phpJsonEncode('\udc00x')).message).toContain('(U+DC00) at index 0')
    expect(phpRefusal(() => phpJsonEncode('\ud800\ud800')).message).toContain('(U+D800) at index 0')
    expect(phpRefusal(() => phpJsonEncode('\udbff')).message).toContain('(U+DBFF)')
    expect(phpRefusal(() => phpJsonEncode('\udfff\udc00')).message).toContain('(U+DFFF)')
    expect(phpJsonEncode('\ud83d\ude00')).toBe('"\\ud83d\\ude00"')
    expect(phpJsonEncode('\udbff\udfff\ud800\udc00')).toBe('"\\udbff\\udfff\\ud800\\udc00"')
    expect(phpJsonEncode('\ud83d\ude00', { unescapedUnicode: true })).toBe('"😀"')
    expect(phpJsonEncode('\ud7ff\ue000')).toBe('"\\ud7ff\\ue000"')
  })
})

describe('phpToString, phpFloat', () => {
  it('prints scalars as PHP string conversion does, and refuses arrays', () => {
    expect([null, undefined, false, true, '', '0', 0, -0, 7n].map((v) => phpToString(v))).toEqual([
      '',
      '',
      '',
      '1',
      '',
      '0',
      '0',
      '0',
      '7',
    ])
    expect(phpConcat('A', 2500.5, phpFloat(1), null, true, false, 3n)).toBe('A2500.5113')
    expect(() => phpToString([] as never)).toThrow(TypeError)
    expect(() => phpToString({} as never)).toThrow(/phpToString\(\) got a object; PHP would print "Array" or fail/)
  })

  it('phpFloat refuses a non-number; prints as PHP (string)$f; is its number in arithmetic', () => {
    expect(() => phpFloat('1' as never)).toThrow(
      'phpFloat() needs a number, got string. Convert the value first, e.g. phpFloat(Number(text)).',
    )
    expect(String(phpFloat(1e15))).toBe('1.0E+15')
    expect(`${phpFloat(0.1 + 0.2)}`).toBe('0.3')
    expect(+phpFloat(2.5) * 2).toBe(5)
    expect(new PhpFloat(3).value).toBe(3)
  })
})

describe('openssl key and IV bytes', () => {
  it('keys: a string is its UTF-8 bytes, bytes are taken as they are; truncated or NUL-padded', () => {
    expect(phpOpensslKey('é', 4)).toEqual(Buffer.from([0xc3, 0xa9, 0, 0]))
    expect(phpOpensslKey(new Uint8Array([1, 2, 3]), 2)).toEqual(Buffer.from([1, 2]))
    expect(phpOpensslKey('abcdef', 4).toString()).toBe('abcd')
    expect(phpOpensslKey('ab', 4)).toEqual(Buffer.from([0x61, 0x62, 0, 0]))
  })

  it('IVs: the same, with PHP’s warnings', () => {
    expect(phpOpensslIv('é', 4)).toEqual({
      iv: Buffer.from([0xc3, 0xa9, 0, 0]),
      warning: 'IV passed is only 2 bytes long, cipher expects an IV of precisely 4 bytes, padding with \\0',
    })
    expect(phpOpensslIv(new Uint8Array([1, 2, 3, 4, 5]), 4)).toEqual({
      iv: Buffer.from([1, 2, 3, 4]),
      warning: 'IV passed is 5 bytes long which is longer than the 4 expected by selected cipher, truncating',
    })
    expect(phpOpensslIv(new Uint8Array([9, 9, 9, 9]), 4)).toEqual({ iv: Buffer.from([9, 9, 9, 9]), warning: null })
  })
})

describe('phpKeyCompare is PHP 8 key comparison (PHP: $a <=> $b on the same keys)', () => {
  it.each([
    ['a', 'a', 0],
    ['b', 'a', 1],
    ['a', 'b', -1],
    ['10', '9', 1],
    ['9', '10', -1],
    ['5', '05', 0],
    ['1.5', '1e0', 1],
    ['1e0', '1.5', -1],
    ['1.0', '1', 0],
    ['\v10', '9', 1],
    ['10\v', '9', 1],
    ['10.25', '9.5', 1],
    ['.75', '0.3', 1],
    ['1e+2', '99', 1],
    ['1e10', '9', 1],
    ['9007199254740993', '9007199254740992', 1],
    ['9223372036854775807', '9223372036854775806', 1],
    ['-9223372036854775808', '-9223372036854775807', -1],
    // an int key against a numeric string beyond 64 bits compares as floats: equal
    ['-9223372036854775808', '-9223372036854775809', 0],
    ['9223372036854775806', '9223372036854775808', 0],
  ])('%j <=> %j is %i', (a, b, expected) => {
    expect(phpKeyCompare(a, b)).toBe(expected)
  })

  it('ksort keeps keys that compare equal in the order given (PHP 8 sorts stably)', () => {
    const keys = (m: Map<string | number, number>) => [...m.keys()]
    expect(
      keys(
        phpKsort(
          new Map([
            ['-9223372036854775809', 1],
            ['-9223372036854775808', 2],
          ]),
        ),
      ),
    ).toEqual(['-9223372036854775809', '-9223372036854775808'])
    expect(
      keys(
        phpKsort(
          new Map([
            ['-9223372036854775808', 2],
            ['-9223372036854775809', 1],
          ]),
        ),
      ),
    ).toEqual(['-9223372036854775808', '-9223372036854775809'])
  })
})
