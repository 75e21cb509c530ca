// @ts-nocheck
import { Buffer } from 'node:buffer'
import { createCipheriv, createHash, createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  payatomDecrypt,
  payatomEncrypt,
  payatomKey,
  payatomPollingHash,
  payatomPostHash,
  payatomReconciliationSignature,
  payatomV2Signature,
  payatomV2SigningString,
  payatomVerificationCode,
  payatomWebhookHash,
  verifyPayatomPostHash,
  verifyPayatomV2Signature,
} from '../../src/providers/payatom/crypto.js'
import { phpFloat } from '../../src/wire/php.js'

interface PayatomVectors {
  webhook: Array<{
    order_id: string
    received_amount: string
    status: string
    secret_key: string
    iv_hex: string
    md5_plain: string
    post_hash: string
  }>
  status_polling: Array<{
    ref_code: string
    pid: string
    secret_key: string
    iv_hex: string
    md5_plain: string
    post_hash: string
  }>
  v2_signature: Array<{
    body: Record<string, string | number>
    secret_key: string
    string_to_hash: string
    signature: string
  }>
}
const vectors = (
  JSON.parse(readFileSync(new URL('../vectors/php-bankconnect-payatom.json', import.meta.url), 'utf8')) as {
    payatom: PayatomVectors
  }
).payatom

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex')

describe('PayAtom: the PHP vectors (test/vectors/php-bankconnect-payatom.json)', () => {
  it('has the vectors', () => {
    expect(vectors.webhook).toHaveLength(3)
    expect(vectors.status_polling).toHaveLength(1)
    expect(vectors.v2_signature).toHaveLength(2)
  })

  describe.each(vectors.webhook.map((v) => [v.order_id, v] as const))('webhook %s', (_id, v) => {
    const fields = [
      ['order_id', v.order_id],
      ['received_amount', v.received_amount],
      ['status', v.status],
    ] as const

    it('local hash md5(order_id . received_amount . status . secret_key)', () => {
      expect(
        payatomWebhookHash({
          orderId: v.order_id,
          amount: v.received_amount,
          status: v.status,
          secretKey: v.secret_key,
        }),
      ).toBe(v.md5_plain)
    })

    it("encrypts to PHP's exact post_hash with the fixed IV", () => {
      expect(payatomPostHash(v.md5_plain, v.secret_key, Buffer.from(v.iv_hex, 'hex'))).toBe(v.post_hash)
      expect(v.post_hash).toHaveLength(128)
    })

    it("decrypts PHP's post_hash (seed decrypt()) and passes the seed's local-hash check", () => {
      expect(payatomDecrypt(v.post_hash, v.secret_key)).toBe(v.md5_plain)
      expect(payatomDecrypt(Buffer.from(v.post_hash, 'base64'), v.secret_key)).toBe(v.md5_plain)
      expect(verifyPayatomPostHash(v.post_hash, v.secret_key, fields)).toMatchObject({
        ok: true,
        remoteHash: v.md5_plain,
        localHash: v.md5_plain,
      })
    })

    it('an integral JS number amount hashes like PHP\'s string "100"', () => {
      const asNumber = Number(v.received_amount)
      expect(
        payatomWebhookHash({ orderId: v.order_id, amount: asNumber, status: v.status, secretKey: v.secret_key }),
      ).toBe(v.md5_plain)
    })
  })

  describe.each(vectors.status_polling.map((v) => [v.ref_code, v] as const))('status polling %s', (_ref, v) => {
    it('local hash md5(ref_code . pid . secret_key), post_hash and its check', () => {
      expect(payatomPollingHash({ reference: v.ref_code, pid: v.pid, secretKey: v.secret_key })).toBe(v.md5_plain)
      expect(payatomPostHash(v.md5_plain, v.secret_key, Buffer.from(v.iv_hex, 'hex'))).toBe(v.post_hash)
      expect(payatomDecrypt(v.post_hash, v.secret_key)).toBe(v.md5_plain)
      expect(
        verifyPayatomPostHash(v.post_hash, v.secret_key, [
          ['ref_code', v.ref_code],
          ['pid', v.pid],
        ]).ok,
      ).toBe(true)
    })
  })

  describe.each(vectors.v2_signature.map((v, i) => [i, v] as const))('v2 signature %i', (_i, v) => {
    it("builds PHP's exact signing string and signature", () => {
      expect(payatomV2SigningString(v.body, v.secret_key)).toBe(v.string_to_hash)
      expect(payatomV2Signature(v.body, v.secret_key)).toBe(v.signature)
    })

    it('sorts the keys itself and ignores a "signature" field', () => {
      const shuffled = Object.fromEntries(Object.entries(v.body).reverse())
      expect(payatomV2Signature({ ...shuffled, signature: 'whatever' }, v.secret_key)).toBe(v.signature)
    })

    it('verifies a raw request body the way a PHP server would', () => {
      // The merchant's body as a JS client sends it: unsorted, "/" unescaped, raw UTF-8, signature last.
      const raw = JSON.stringify({ ...Object.fromEntries(Object.entries(v.body).reverse()), signature: v.signature })
      expect(verifyPayatomV2Signature(raw, v.secret_key)).toMatchObject({
        ok: true,
        expected: v.signature,
        signingString: v.string_to_hash,
      })
      expect(verifyPayatomV2Signature(Buffer.from(raw, 'utf8'), v.secret_key).ok).toBe(true)
    })
  })
})

describe('PayAtom encrypt()/decrypt() against more PHP output', () => {
  // Literals from PHP 8.2.36 running the seed's encrypt() with IV hex2bin('ffeeddccbbaa99887766554433221100')
  const iv = Buffer.from('ffeeddccbbaa99887766554433221100', 'hex')
  it.each([
    ['Hello, worlds!', '/+7dzLuqmYh3ZlVEMyIRALV0CI40QfRH1R9mj0fg3lxoBke6MMp6xEVTATpHXs1l5j+TqVHcscSh5vHSE2UmgA=='],
    ['', '/+7dzLuqmYh3ZlVEMyIRAKNPzMSocdgOlPuNz1g1orExbupzoByFghH8qfilZcQURxmSsPeqGkZytakFWSuB8A=='],
    [
      '0123456789abcdef',
      '/+7dzLuqmYh3ZlVEMyIRADug5yW0NBaINnOME65l830Wj4kidzB6oHIKwrde/fdtkvxSPHAIlS6EqJKAkoPlR8wRUB0MZ0JSkTirty/3/Qs=',
    ],
  ])('%j', (plaintext, postHash) => {
    expect(payatomEncrypt(plaintext, 'mysecretpassword', iv).toString('base64')).toBe(postHash)
    expect(payatomDecrypt(postHash, 'mysecretpassword')).toBe(plaintext)
  })

  it('draws a fresh random IV when none is given', () => {
    const a = payatomPostHash('38729a623d7272ed1ff8e5fcc78b2682', 'k')
    const b = payatomPostHash('38729a623d7272ed1ff8e5fcc78b2682', 'k')
    expect(a).not.toBe(b)
    expect(a).toHaveLength(128)
    expect(payatomDecrypt(a, 'k')).toBe('38729a623d7272ed1ff8e5fcc78b2682')
  })

  it("returns null where the seed's PHP returns null/false", () => {
    const v = vectors.webhook[0]!
    expect(payatomDecrypt(v.post_hash, 'wrong-secret')).toBeNull()
    expect(payatomDecrypt(Buffer.alloc(10), v.secret_key)).toBeNull()
    expect(() => payatomEncrypt('x', 'k', Buffer.alloc(8))).toThrow(/16-byte IV/)
  })

  it('hashes amounts as PHP prints them', () => {
    // PHP 8.2: md5('ORD1' . 100.5 . 'Approved' . 'k') and md5('ORD1' . 100.0 . 'Approved' . 'k')
    expect(payatomWebhookHash({ orderId: 'ORD1', amount: 100.5, status: 'Approved', secretKey: 'k' })).toBe(
      'c5611327dcde311d70525ac8afa5906b',
    )
    expect(payatomWebhookHash({ orderId: 'ORD1', amount: phpFloat(100), status: 'Approved', secretKey: 'k' })).toBe(
      'c40e9bd742e07a8b991641a882e5d152',
    )
    expect(payatomWebhookHash({ orderId: 'ORD1', amount: 100, status: 'Approved', secretKey: 'k' })).toBe(
      'c40e9bd742e07a8b991641a882e5d152',
    )
  })
})

describe('PayAtom post_hash check explains failures', () => {
  const v = vectors.status_polling[0]!
  const fields = [
    ['ref_code', v.ref_code],
    ['pid', v.pid],
  ] as const

  it('missing', () => {
    expect(verifyPayatomPostHash(undefined, v.secret_key, fields).explanation).toMatch(
      /missing.*md5\(ref_code \. pid \. secret_key\)/,
    )
  })

  it('"+" turned into spaces by form-urlencoding', () => {
    const w = vectors.webhook[0]!
    expect(w.post_hash).toContain('+')
    const verdict = verifyPayatomPostHash(w.post_hash.replace(/\+/g, ' '), w.secret_key, [
      ['order_id', w.order_id],
      ['received_amount', w.received_amount],
      ['status', w.status],
    ])
    expect(verdict.ok).toBe(false)
    expect(verdict.explanation).toMatch(/form-urlencoded/)
  })

  it('too short', () => {
    expect(verifyPayatomPostHash('AAAA', v.secret_key, fields).explanation).toMatch(/too short/)
  })

  it('wrong secret or tampered', () => {
    expect(verifyPayatomPostHash(v.post_hash, 'other', fields).explanation).toMatch(
      /secret key differs, or post_hash was altered/,
    )
  })

  it('HMAC over iv . ciphertext instead of ciphertext . iv', () => {
    const key = payatomKey(v.secret_key)
    const iv = Buffer.alloc(16, 7)
    const c = createCipheriv('aes-256-cbc', key, iv)
    const ct = Buffer.concat([c.update(v.md5_plain), c.final()])
    const mac = createHmac('sha256', key)
      .update(Buffer.concat([iv, ct]))
      .digest()
    const verdict = verifyPayatomPostHash(Buffer.concat([iv, mac, ct]).toString('base64'), v.secret_key, fields)
    expect(verdict.explanation).toMatch(/over iv \. ciphertext/)
  })

  it('the md5 fields in another order', () => {
    const wrong = createHash('md5')
      .update(v.pid + v.ref_code + v.secret_key)
      .digest('hex')
    const verdict = verifyPayatomPostHash(payatomPostHash(wrong, v.secret_key), v.secret_key, fields)
    expect(verdict).toMatchObject({ ok: false, remoteHash: wrong, localHash: v.md5_plain })
    expect(verdict.explanation).toMatch(
      /decrypts to md5\(pid \. ref_code \. secret_key\); the expected order is md5\(ref_code \. pid \. secret_key\)/,
    )
  })

  it('a different value', () => {
    const verdict = verifyPayatomPostHash(v.post_hash, v.secret_key, [
      ['ref_code', 'other'],
      ['pid', v.pid],
    ])
    expect(verdict.explanation).toMatch(/secret key is right/)
    expect(verdict.explanation).toContain('md5("other5345f345345mysecretpassword")')
  })
})

describe('PayAtom v2 signature check explains failures', () => {
  const v = vectors.v2_signature[1]! // has "/" and non-ASCII; the vector's body is already sorted
  const sorted = v.body
  const reversed = Object.fromEntries(Object.entries(v.body).reverse())
  // PHP's default escaping, written out independently for these ASCII/BMP test values
  const phpStyle = (o: object): string =>
    JSON.stringify(o)
      .replace(/\//g, '\\/')
      .replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
  const body = (signature: string): string => JSON.stringify({ ...reversed, signature })

  it('the test escaper agrees with the PHP vector', () => {
    expect(phpStyle(sorted) + v.secret_key).toBe(v.string_to_hash)
  })

  it.each([
    [
      'JSON.stringify instead of PHP json_encode',
      sha256(JSON.stringify(sorted) + v.secret_key),
      /without PHP's escaping/,
    ],
    ['unsorted keys', sha256(phpStyle(reversed) + v.secret_key), /in the order sent, not sorted/],
    ['secret not appended', sha256(v.string_to_hash.slice(0, -v.secret_key.length)), /without the secret key appended/],
    ['upper-case hex', v.signature.toUpperCase(), /upper-case/],
    ['garbage', 'deadbeef', /does not match/],
    ['missing', '', /signature not provided/],
  ])('%s', (_name, signature, message) => {
    const verdict = verifyPayatomV2Signature(body(signature), v.secret_key)
    expect(verdict.ok).toBe(false)
    expect(verdict.expected).toBe(v.signature)
    expect(verdict.explanation).toMatch(message)
  })

  it('rejects bodies PHP cannot decode', () => {
    expect(verifyPayatomV2Signature('{"pid":', 'k').explanation).toMatch(/not JSON that PHP can decode/)
    expect(verifyPayatomV2Signature('[1,2]', 'k').explanation).toMatch(/JSON object/)
  })

  it('re-encodes numbers as PHP does: 100.0 in the body is signed as 100', () => {
    const signature = payatomV2Signature({ amount: 100, pid: 'P1' }, 'k')
    expect(verifyPayatomV2Signature(`{"pid":"P1","amount":100.0,"signature":"${signature}"}`, 'k').ok).toBe(true)
    expect(verifyPayatomV2Signature(`{"pid":"P1","amount":"100","signature":"${signature}"}`, 'k').ok).toBe(false)
  })
})

describe('PayAtom: other hashes', () => {
  it('reconciliation signature sha256(pid . secret_key . date) and wallet verification_code md5(password)', () => {
    // PHP 8.2: hash('sha256', '000000000000' . 'mysecretpassword' . '15-10-2023'); md5('operator')
    expect(payatomReconciliationSignature('000000000000', 'mysecretpassword', '15-10-2023')).toBe(
      '7b692164da336b7d8576c115a916a8e68b9c3a354022ddcb7323e28fe628f1d4',
    )
    expect(payatomVerificationCode('operator')).toBe('4b583376b2767b923c3e1da60d10de59')
  })
})
