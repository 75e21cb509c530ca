import { describe, expect, it } from 'vitest'
import { sameBytes } from '../../src/wire/compare.js'
import { BODY_LIMITS, BodyLimitError, checkFormLimits, checkJsonLimits, parseJson } from '../../src/wire/limits.js'
import { nginxErrorPage } from '../../src/wire/nginx.js'

// Unit tests of the generic wire helpers, against the rules their documents state (the limits'
// JSDoc, nginx's ngx_http_special_response.c). The providers' answers to a refused body are
// checked end to end in test/hardening/inputs.test.ts.

const small = (over: Partial<typeof BODY_LIMITS>) => ({ maxDepth: 3, maxFields: 3, maxStringLength: 3, ...over })
const refusal = (f: () => unknown): string => {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(BodyLimitError)
    return (error as Error).message
  }
  throw new Error('expected a BodyLimitError')
}

describe('checkJsonLimits: nesting depth', () => {
  it('reads exactly maxDepth levels and refuses one more, naming the depth and the character', () => {
    expect(() => checkJsonLimits('[[1]]', small({ maxDepth: 2 }))).not.toThrow()
    expect(refusal(() => checkJsonLimits('[[[1]]]', small({ maxDepth: 2 })))).toBe(
      'the JSON nests 3 levels deep at character 3; the sandbox reads at most 2',
    )
    expect(refusal(() => checkJsonLimits('{"a":{"b":{}}}', small({ maxDepth: 2 })))).toBe(
      'the JSON nests 3 levels deep at character 11; the sandbox reads at most 2',
    )
  })

  it('a closed array or object gives its level back', () => {
    expect(() => checkJsonLimits('[[1],[2],[3]]', small({ maxDepth: 2, maxFields: 10 }))).not.toThrow()
    expect(() => checkJsonLimits('{"a":{},"b":{},"c":{}}', small({ maxDepth: 2, maxFields: 10 }))).not.toThrow()
  })

  it('brackets inside strings, escaped quotes included, are text', () => {
    expect(() => checkJsonLimits('["[[[{{{"]', small({ maxDepth: 1, maxStringLength: 10 }))).not.toThrow()
    expect(() => checkJsonLimits('["\\"[[[["]', small({ maxDepth: 1, maxStringLength: 10 }))).not.toThrow()
    expect(() => checkJsonLimits('["\\\\",[[1]]]', small({ maxDepth: 2, maxStringLength: 10 }))).toThrow(
      /nests 3 levels deep at character 8/,
    )
  })

  it('the defaults are 64 levels, 10,000 values and 262,144-character strings', () => {
    expect(BODY_LIMITS).toEqual({ maxDepth: 64, maxFields: 10_000, maxStringLength: 262_144 })
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
    expect(() => checkJsonLimits(nested(64))).not.toThrow()
    expect(() => checkJsonLimits(nested(65))).toThrow(
      /nests 65 levels deep at character 65; the sandbox reads at most 64/,
    )
  })
})

describe('checkJsonLimits: short bodies', () => {
  // A body shorter than every limit skips the scan when its brackets are few enough; each case is
  // short by two of the measures and over the limit by the third, so only the scan can refuse it.
  it('a body over one limit is refused however short it is by the others', () => {
    const roomy = { maxDepth: 64, maxFields: 10_000, maxStringLength: 262_144 }
    expect(refusal(() => checkJsonLimits('[[[1]]]', { ...roomy, maxDepth: 2 }))).toBe(
      'the JSON nests 3 levels deep at character 3; the sandbox reads at most 2',
    )
    expect(refusal(() => checkJsonLimits('{"a":{"b":{"c":1}}}', { ...roomy, maxDepth: 2 }))).toBe(
      'the JSON nests 3 levels deep at character 11; the sandbox reads at most 2',
    )
    expect(refusal(() => checkJsonLimits('["abcdefg"]', { ...roomy, maxStringLength: 5 }))).toBe(
      'a string at character 2 is 7 characters long; the sandbox reads strings of at most 5',
    )
    expect(refusal(() => checkJsonLimits('[1,2,3,4,5]', { ...roomy, maxFields: 3 }))).toBe(
      'the JSON holds more than 3 values; the sandbox reads at most 3',
    )
  })
})

describe('checkJsonLimits: number of values', () => {
  it('counts array elements and object members: maxFields of them pass, one more is refused', () => {
    expect(() => checkJsonLimits('[1,2,3]', small({}))).not.toThrow()
    expect(refusal(() => checkJsonLimits('[1,2,3,4]', small({})))).toBe(
      'the JSON holds more than 3 values; the sandbox reads at most 3',
    )
    expect(() => checkJsonLimits('{"a":1,"b":2,"c":3}', small({ maxStringLength: 5 }))).not.toThrow()
    expect(() => checkJsonLimits('{"a":1,"b":2,"c":3,"d":4}', small({}))).toThrow(/more than 3 values/)
    // nested containers count too (the count is checked at each comma): [[1],[2,3]] holds 5 values
    expect(() => checkJsonLimits('[[1],[2,3]]', small({ maxFields: 5 }))).not.toThrow()
    expect(() => checkJsonLimits('[[1],[2,3]]', small({ maxFields: 4 }))).toThrow(/more than 4 values/)
  })

  it('commas inside strings are text', () => {
    expect(() => checkJsonLimits('[",,,,,,,,"]', small({ maxFields: 1, maxStringLength: 10 }))).not.toThrow()
  })
})

describe('checkJsonLimits: string length', () => {
  it('reads strings (keys too) of maxStringLength characters and refuses longer ones, naming where', () => {
    expect(() => checkJsonLimits('["abc"]', small({}))).not.toThrow()
    expect(refusal(() => checkJsonLimits('["abcd"]', small({})))).toBe(
      'a string at character 2 is 4 characters long; the sandbox reads strings of at most 3',
    )
    expect(refusal(() => checkJsonLimits('{"long":1}', small({})))).toBe(
      'a string at character 2 is 4 characters long; the sandbox reads strings of at most 3',
    )
    // an escape counts as the characters of the JSON text
    expect(() => checkJsonLimits('["a\\n"]', small({}))).not.toThrow()
    expect(() => checkJsonLimits('["ab\\n"]', small({}))).toThrow(/is 4 characters long/)
  })

  it('an unterminated string longer than the limit is refused; at the limit it is left to the parser', () => {
    expect(() => checkJsonLimits('["abc', small({}))).not.toThrow()
    expect(refusal(() => checkJsonLimits('["abcd', small({})))).toBe(
      'a string at character 2 is longer than 3 characters; the sandbox reads strings of at most 3',
    )
  })

  it('text that is not JSON passes; the parser refuses it', () => {
    expect(() => checkJsonLimits('not json at all', small({}))).not.toThrow()
    expect(() => parseJson('not json')).toThrow(SyntaxError)
  })
})

describe('parseJson', () => {
  it('parses within the limits it is given, or the defaults', () => {
    expect(parseJson('{"a":[1,"x"]}')).toEqual({ a: [1, 'x'] })
    expect(() => parseJson('[1,2,3,4]', small({}))).toThrow(BodyLimitError)
    expect(() => parseJson('['.repeat(100_000))).toThrow(/nests 65 levels/)
  })

  it('BodyLimitError is a SyntaxError named BodyLimitError', () => {
    const error = new BodyLimitError('too deep')
    expect(error).toBeInstanceOf(SyntaxError)
    expect(error.name).toBe('BodyLimitError')
    expect(error.message).toBe('too deep')
  })
})

describe('checkFormLimits', () => {
  it('reads maxFields fields and refuses one more', () => {
    expect(() => checkFormLimits(new URLSearchParams('a=1&b=2&c=3'), small({}))).not.toThrow()
    expect(refusal(() => checkFormLimits(new URLSearchParams('a=1&b=2&c=3&d=4'), small({})))).toBe(
      'the form holds more than 3 fields; the sandbox reads at most 3',
    )
  })

  it('refuses a value (or one of a repeated field’s values) over maxStringLength, naming the field', () => {
    expect(() => checkFormLimits([['name', 'abc']], small({}))).not.toThrow()
    expect(refusal(() => checkFormLimits([['name', 'abcd']], small({})))).toBe(
      'form field "name" is 4 characters long; the sandbox reads values of at most 3',
    )
    expect(refusal(() => checkFormLimits([['list', ['ok', 'abcd']]], small({})))).toBe(
      'form field "list" is 4 characters long; the sandbox reads values of at most 3',
    )
    const longName = 'n'.repeat(100)
    expect(refusal(() => checkFormLimits([[longName, 'abcd']], small({})))).toBe(
      `form field "${'n'.repeat(64)}" is 4 characters long; the sandbox reads values of at most 3`,
    )
  })

  it('file parts are not strings and are not measured here', () => {
    expect(() => checkFormLimits([['file', new Blob(['x'.repeat(10)])]], small({}))).not.toThrow()
  })

  it('the defaults: 10,000 fields and 262,144-character values', () => {
    expect(() => checkFormLimits(Array.from({ length: 10_000 }, (_, i) => [`f${i}`, 'v']))).not.toThrow()
    expect(() => checkFormLimits(Array.from({ length: 10_001 }, (_, i) => [`f${i}`, 'v']))).toThrow(
      /more than 10000 fields/,
    )
    expect(() => checkFormLimits([['v', 'x'.repeat(262_144)]])).not.toThrow()
    expect(() => checkFormLimits([['v', 'x'.repeat(262_145)]])).toThrow(/262145 characters long/)
  })
})

describe('sameBytes', () => {
  it('compares UTF-8 bytes: equal is true, any difference is false, never a throw', () => {
    expect(sameBytes('abc', 'abc')).toBe(true)
    expect(sameBytes('abc', 'abd')).toBe(false)
    expect(sameBytes('abc', 'abcd')).toBe(false)
    expect(sameBytes('abcd', 'abc')).toBe(false)
    expect(sameBytes('', '')).toBe(true)
    expect(sameBytes('é', 'é')).toBe(true)
    expect(sameBytes('é', 'e')).toBe(false) // 2 bytes against 1
    expect(sameBytes('é', 'ab')).toBe(false) // same byte length, different bytes
    expect(sameBytes(Buffer.from('é'), 'é')).toBe(true)
    expect(sameBytes('é', new Uint8Array([0xc3, 0xa9]))).toBe(true)
    expect(sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false)
  })
})

describe('nginxErrorPage', () => {
  it('is nginx’s own page: CRLF line ends, the status in title and h1, "nginx" in the footer', () => {
    expect(nginxErrorPage(404, 'Not Found')).toBe(
      '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n' +
        '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    )
  })
})
