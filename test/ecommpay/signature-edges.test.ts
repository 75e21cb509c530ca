/**
 * ECommPay signing at the edges of its input: JSON values the rule names (null-prototype objects,
 * big integers, `undefined` as JSON.stringify treats it), data that cannot be signed, `signature`
 * keys at every depth, and the Payment Page URL's encodings and query forms. Expected values are
 * restated from the documented rule and signed with node:crypto here, or printed by PHP 8.2.
 */
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signCallback, verifyCallback } from '../../src/providers/ecommpay/crypto.js'
import {
  buildPaymentPageUrl,
  parsePaymentPageQuery,
  verifyPaymentPageQuery,
} from '../../src/providers/ecommpay/payment-page-url.js'
import { computeSignature, signatureBaseString } from '../../src/providers/ecommpay/signature.js'

const sign = (message: string, key = 'secret') => createHmac('sha512', key).update(message).digest('base64')

describe('what is signed', () => {
  it('a null-prototype object is a plain JSON object; a bigint is its digits', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 10n, a: { c: 1 } })
    expect(signatureBaseString(bare)).toBe('a:c:1;b:10')
    expect(signatureBaseString({ n: Object.assign(Object.create(null) as object, { x: 2n ** 70n }) })).toBe(
      'n:x:1180591620717411303424',
    )
  })

  it('undefined is left out of an object and is null (an empty value) in a list, as JSON.stringify writes them', () => {
    const data = { a: undefined, b: [undefined, 1], c: 'x' }
    expect(JSON.stringify(data)).toBe('{"b":[null,1],"c":"x"}')
    expect(signatureBaseString(data)).toBe('b:0:;b:1:1;c:x')
    expect(computeSignature(data, 'secret')).toBe(sign('b:0:;b:1:1;c:x'))
  })

  it('says what cannot be signed, and where', () => {
    expect(() => signatureBaseString([1])).toThrow(
      new TypeError('Cannot sign an array: the data to sign must be a JSON object ({...}).'),
    )
    expect(() => signatureBaseString(null)).toThrow(
      new TypeError('Cannot sign null: the data to sign must be a JSON object ({...}).'),
    )
    expect(() => signatureBaseString('a=1')).toThrow(
      new TypeError('Cannot sign a string: the data to sign must be a JSON object ({...}).'),
    )
    expect(() => signatureBaseString(new Map())).toThrow(/^Cannot sign a object: /)
    expect(() => signatureBaseString({ list: [{ m: new Map() }] })).toThrow(
      new TypeError(
        'Cannot sign a Map at list.[0].m: only plain JSON objects and arrays can be signed. Convert it to JSON data first (e.g. a date to its string).',
      ),
    )
    const orphan = Object.create(Object.create(null) as object) as object
    expect(() => signatureBaseString({ o: orphan })).toThrow(/^Cannot sign a object at o: only plain JSON objects/)
    expect(() => signatureBaseString({ s: Symbol('x') })).toThrow(
      new TypeError(
        'Cannot sign a symbol at s: only JSON data (objects, arrays, strings, numbers, booleans, null) can be signed. Pass the parsed JSON body.',
      ),
    )
    expect(() => signatureBaseString({ n: -Infinity })).toThrow(/^Cannot sign -Infinity at n: JSON has no such number/)
  })
})

describe('signature keys at any depth', () => {
  it('a callback with "signature" keys inside list items verifies as the PHP and JS SDKs check it (all removed)', () => {
    const body = { list: [{ signature: 'inner', a: 1 }], payment: { id: 'P1' } }
    const verdict = verifyCallback({ ...body, signature: sign('list:0:a:1;payment:id:P1') }, 'secret')
    expect(verdict).toMatchObject({ valid: true, expectedBaseString: 'list:0:a:1;payment:id:P1' })
    expect(verdict.explanation.split('\n')).toHaveLength(1) // the documented way: no "matched only with"
  })

  it('signCallback refuses a "signature" key inside a list item', () => {
    expect(() => signCallback({ list: [{ signature: 'x' }] }, 'secret')).toThrow(/nested key is named "signature"/)
    expect(() => signCallback({ list: [[{ a: { signature: 'x' } }]] }, 'secret')).toThrow(/nested key/)
    // a top-level one is replaced, and keys merely containing the word are kept
    const signed = signCallback({ signature_note: 'kept', signature: 'old' }, 'secret')
    expect(JSON.stringify(signed)).toBe(`{"signature_note":"kept","signature":"${sign('signature_note:kept')}"}`)
  })

  it('signCallback refuses what is not a plain object', () => {
    expect(() => signCallback([] as unknown as object, 'secret')).toThrow(
      new TypeError('Cannot sign this callback: the body must be a plain JSON object.'),
    )
  })
})

describe('Payment Page URLs', () => {
  it('PHP urlencode encoding (printed by PHP 8.2: urlencode("a b\\n~*é-_.+/=&"))', () => {
    const url = buildPaymentPageUrl({ 'x y': 'a b\n~*é-_.+/=&' }, 'secret', { encoding: 'form' })
    const signature = sign('x y:a b\n~*é-_.+/=&')
    expect(url).toBe(
      `https://paymentpage.ecommpay.com/payment?x+y=a+b%0A%7E%2A%C3%A9-_.%2B%2F%3D%26&signature=${encodeURIComponent(signature).replaceAll('%20', '+')}`,
    )
    expect(verifyPaymentPageQuery(url, 'secret').valid).toBe(true)
  })

  it('a base URL with trailing slashes, no parameters, booleans and a signature entry that is ignored', () => {
    expect(buildPaymentPageUrl({}, 'secret', { baseUrl: 'http://localhost:8080//' })).toBe(
      `http://localhost:8080/payment?signature=${encodeURIComponent(sign(''))}`,
    )
    expect(buildPaymentPageUrl({ on: true, off: false, signature: 'old' }, 'secret')).toBe(
      `https://paymentpage.ecommpay.com/payment?on=1&off=0&signature=${encodeURIComponent(sign('off:0;on:1'))}`,
    )
    expect(() => buildPaymentPageUrl({ amount: Number.NaN }, 'secret')).toThrow(
      new TypeError('Cannot put NaN in a Payment Page URL: use a finite integer.'),
    )
  })

  it('reads a query from a URL, a query string with or without "?", a fragment, or URLSearchParams', () => {
    const q = 'payment_id=a+b&project_id=112&payment_id=c%20d&flag'
    const expected = { payment_id: 'c d', project_id: '112', flag: '' }
    expect(parsePaymentPageQuery(`https://x.example/payment?${q}#frag=1`)).toEqual(expected)
    expect(Object.keys(parsePaymentPageQuery(q))).toEqual(['payment_id', 'project_id', 'flag'])
    expect(parsePaymentPageQuery(`?${q}`)).toEqual(expected)
    expect(parsePaymentPageQuery(new URL(`https://x.example/payment?${q}`))).toEqual(expected)
    expect(parsePaymentPageQuery(new URLSearchParams(q))).toEqual(expected)
    expect(parsePaymentPageQuery('')).toEqual({})
  })

  it('"false" signed as 0 is accepted; parameters named with "%" escapes are read for the encoded-values diagnosis', () => {
    const falseUrl = `project_id=1&flag=false&signature=${encodeURIComponent(sign('flag:0;project_id:1'))}`
    expect(verifyPaymentPageQuery(falseUrl, 'secret').valid).toBe(true)
    // signed with the still-encoded value of a parameter whose name is encoded too, with empty pairs around
    const encoded = `&pay%5Fid=a%2Fb&&project_id=1&bare&signature=${encodeURIComponent(sign('bare:;pay_id:a%2Fb;project_id:1'))}`
    expect(verifyPaymentPageQuery(encoded, 'secret').explanation.split('\n').at(-1)).toBe(
      'Likely cause: the percent-encoded values were signed: sign the parameter values before URL-encoding them.',
    )
    // a name that cannot be decoded is kept as it is
    const broken = `%E0%A4%A=x&signature=${encodeURIComponent(sign('%E0%A4%A:x'))}`
    expect(verifyPaymentPageQuery(broken, 'secret').explanation.split('\n').at(-1)).toBe(
      'Likely cause: the percent-encoded values were signed: sign the parameter values before URL-encoding them.',
    )
  })
})
