// @ts-nocheck
import { Buffer } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  bankconnectAesKey,
  bankconnectCallbackChecksum,
  bankconnectKeyText,
  bankconnectUserToken,
  checkBankconnectUserToken,
  decryptBankconnect,
  encryptBankconnect,
  type BankconnectCredentials,
} from '../../src/providers/bankconnect/crypto.js'
import { phpFloat } from '../../src/wire/php.js'

interface BankconnectVector {
  merchant_no: string
  secret: string
  iv: string
  key_md5_hex: string
  aes_key_ascii: string
  plaintext: string
  wire: string
  user_token: string
}
const vectors = JSON.parse(
  readFileSync(new URL('../vectors/php-bankconnect-payatom.json', import.meta.url), 'utf8'),
) as { bankconnect: BankconnectVector[] }

const creds = (v: BankconnectVector): BankconnectCredentials => ({
  merchantNo: v.merchant_no,
  secret: v.secret,
  iv: v.iv,
})
const DEFAULT: BankconnectCredentials = { merchantNo: '0035', secret: '35kjfkh45', iv: 'a1b2c3d4e5f6g7h8' }

describe('Bankconnect: the PHP vectors (test/vectors/php-bankconnect-payatom.json)', () => {
  it('has the vectors', () => {
    expect(vectors.bankconnect).toHaveLength(3)
  })

  describe.each(vectors.bankconnect.map((v, i) => [i, v] as const))('vector %i', (_i, v) => {
    it('derives the key text and the truncated AES key as PHP does', () => {
      expect(bankconnectKeyText(v.merchant_no, v.secret)).toBe(v.key_md5_hex)
      expect(bankconnectAesKey(v.merchant_no, v.secret).toString('latin1')).toBe(v.aes_key_ascii)
    })

    it("encrypts to PHP's exact wire value", () => {
      expect(encryptBankconnect(v.plaintext, creds(v))).toBe(v.wire)
    })

    it("decrypts PHP's wire value to the plaintext", () => {
      const result = decryptBankconnect(v.wire, creds(v))
      expect(result).toMatchObject({ ok: true, json: v.plaintext, notes: [] })
      if (result.ok) expect(result.value).toEqual(JSON.parse(v.plaintext))
    })

    it('builds the User-token', () => {
      expect(bankconnectUserToken(v.merchant_no, v.secret)).toBe(v.user_token)
      expect(checkBankconnectUserToken(v.user_token, v.merchant_no, v.secret).ok).toBe(true)
    })
  })
})

describe('Bankconnect: IVs that are not 16 bytes, as PHP 8.2 handles them', () => {
  // Literals from PHP 8.2.36: base64_encode(openssl_encrypt(base64_encode($plain), 'aes-128-ctr', md5('0035'.'35kjfkh45'), 0, $iv))
  const plain = '[{"order_id":"ORD/1","payeename":"Zo\\u00eb","amount":"10.00"}]'
  const cases: Array<[string, string, RegExp | null]> = [
    [
      'short',
      'RnpMbXBZbGVsRjB4aDV2NnQyYXF4Y2IvbVZydVpZODhCUmlNVG0vTjN0SnhUeVFQUzUvR2ZmZXhLN2kwMWFkTjlzS2pucGZxb0tGSU9EZ2xjK3QrZU55RElWWmNLbHBSd2k1UnlTbFlnRDlhVE4yVQ==',
      /only 5 bytes long.*padding with \\0/,
    ],
    [
      '0123456789abcdefXYZ',
      'd29hbXZsaFRKYVcxbXF2MWlJQ0p4bkcvT3N1Z2hDMUt3WjdUWWE5TWkxZmNteUVqYldCUUlmVytLa1NHWHNYbTFYUk9iVEZiRVhWQmplSzBOSFhaM1R0aFBvYXUrOFducFpka280em1aSUQ5Y3laRg==',
      /19 bytes long which is longer than the 16.*truncating/,
    ],
    [
      '',
      'Tkpld3MwZlFSbU1xK0wrTHhLN1cwQit1Tm0vUUwzQkVqSVBrRUU5MktqZmJIV29kdjI3bVdNR2QyaFRxTElQRjdiTi9Wc1VLYmlpN2lYOFYvZHVuZHpObEw0azBFREQ0TzJRSldMclRacFJ6MUNPYg==',
      null,
    ],
  ]
  it.each(cases)('IV %j', (iv, wire, warning) => {
    const c = { ...DEFAULT, iv }
    expect(encryptBankconnect(plain, c)).toBe(wire)
    const result = decryptBankconnect(wire, c)
    expect(result).toMatchObject({ ok: true, json: plain })
    if (warning) expect(result.notes.join(' ')).toMatch(warning)
    else expect(result.notes).toEqual([])
  })
})

describe('Bankconnect: decrypting tells which layer failed and why', () => {
  // Literals from PHP 8.2.36 (key = md5('0035'.'35kjfkh45'), IV 'a1b2c3d4e5f6g7h8', $json = '[{"order_id":"93893832223","amount":"1.00"}]')
  const json = '[{"order_id":"93893832223","amount":"1.00"}]'
  const php = {
    // base64_encode(openssl_encrypt(base64_encode($json), 'aes-128-ctr', $key, 0, $iv))
    documented:
      'Um1oQzYwMHNFZlAzWFhLQzBNUS9PNGxFbEZ6T2xBRVZZWlNkVDRFTU5vWUJweDY5VGJzWFlFYkJHaHE3Y2NBdDZoTkxuUmhOWk41bVlYMHY=',
    // chunk_split($documented, 76, "\r\n"); PHP decrypts it fine (base64_decode skips whitespace)
    chunked:
      'Um1oQzYwMHNFZlAzWFhLQzBNUS9PNGxFbEZ6T2xBRVZZWlNkVDRFTU5vWUJweDY5VGJzWFlFYkJH\r\naHE3Y2NBdDZoTkxuUmhOWk41bVlYMHY=\r\n',
    // base64_encode(openssl_encrypt($json, …, 0, $iv)): no inner base64
    skippedInnerBase64: 'U2lBVDdWMTdQdXJ5YkZ6R2k3RlhZZjRVN2xHdzNGUVNIOHpXRjYwTEVJb2lxblgwSnVkL0pCVFFNVEk9',
    // …, hex2bin(md5(…)), …
    hexDecodedKey:
      'djZSMVk1RzhERGhuNlZmdUVEWEVBeDVJZU44YjBYYWEvemc5WWd4WVlXdGJyaHVUUHRlTzZ2Z3hDckpHYkJBWDRkV3ppT09XL0IyWEtnMlg=',
    // …, md5($secret . $merchant_no), …
    swappedKey:
      'YTFlMFFKQTd3QS9LdnIvVXJiWEJvR214OFlBc1FxTDJGUXpLS1Bhcmh0UW02U3lINDZVVWZzaTFDbHNlditkWC9VZ3NqMENmVXlveDl3a3I=',
    // openssl_encrypt(…, 'aes-256-ctr', …)
    aes256:
      'VlZBSGQ1TnVIRkFEUXVNUWlTSmtXR2JNS2Ntc3FnZXdkTWFCQTg2RXlZNGpMWHQxOXNxaldIRldJUm43MFFhS1RoL3pva3Btb0VxaEZtN1Y=',
    // IV str_repeat("\0", 16)
    zeroIv:
      'Tkpld3MwZlFSbU1xK0wrTHhLN1cwQit1TlFySVBrWUhqS3JLR1V0eUlTYnpNM1VDbEc3bVdQbjl4VmZIQTdxRi9KRnZWTVVKZVNpVXRqaEI=',
    // base64_encode(openssl_encrypt(base64_encode($json), …, OPENSSL_RAW_DATA, $iv))
    rawDataOnce: 'RmhC600sEfP3XXKC0MQ/O4lElFzOlAEVYZSdT4EMNoYBpx69TbsXYEbBGhq7ccAt6hNLnRhNZN5mYX0v',
    // …(base64_encode('order_id=1&amount=2'), …)
    notJson: 'YzJoNzZYVkhFZjdNVW1uZC9NQTBPcVI2NUZqaGdEY1pZWW5IQ0E9PQ==',
    // key md5('0035' . 'other')
    wrongSecret:
      'dmowQk1DZFFmTzVXWlV0ZWdoTnN1Ly90TStKSStCYS9NcEZ4NHBBOXhaNTZqWm9Ta2xCVFhCS0FQTWtLWXVaSmk0NzNGTU5adkRDazV5bis=',
  }

  it('accepts the documented layering', () => {
    expect(encryptBankconnect(json, DEFAULT)).toBe(php.documented)
    expect(decryptBankconnect(php.documented, DEFAULT)).toMatchObject({ ok: true, json })
  })

  it('accepts line-wrapped base64 as PHP does, and notes it', () => {
    const result = decryptBankconnect(php.chunked, DEFAULT)
    expect(result).toMatchObject({ ok: true, json })
    expect(result.notes.join(' ')).toMatch(/skips them silently/)
  })

  const failures: Array<[string, string, string, RegExp]> = [
    ['empty value', '', 'outer-base64', /empty/],
    ['not base64 at all', 'not base64!!', 'outer-base64', /not base64: it contains "!"/],
    [
      'one layer too few (OPENSSL_RAW_DATA, or no final base64)',
      php.rawDataOnce,
      'openssl-base64',
      /one base64 layer too few/,
    ],
    ['one layer too many', Buffer.from(php.documented).toString('base64'), 'outer-base64', /one base64 layer too many/],
    ['inner base64 skipped', php.skippedInnerBase64, 'inner-base64', /skipped the inner base64 step/],
    ['md5 key hex-decoded', php.hexDecodedKey, 'decryption', /hex-decoded/],
    ['md5(secret . merchant_no)', php.swappedKey, 'decryption', /md5\(secret \. merchant_no\)/],
    ['aes-256-ctr', php.aes256, 'decryption', /aes-256-ctr/],
    ['all-zero IV', php.zeroIv, 'decryption', /empty \(all-zero\) IV/],
    ['wrong secret', php.wrongSecret, 'decryption', /binary noise.*"de6ebcb24a03dcdd" as ASCII bytes/],
    ['not JSON inside', php.notJson, 'json', /not JSON: "order_id=1&amount=2"/],
  ]
  it.each(failures)('%s', (_name, wire, layer, explanation) => {
    const result = decryptBankconnect(wire, DEFAULT)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.layer).toBe(layer)
      expect(result.explanation).toMatch(explanation)
    }
  })

  it('a correct wire never contains "+" or "/" (it is base64 of base64 text), so form-urlencoding cannot damage it', () => {
    for (const v of vectors.bankconnect) expect(v.wire).toMatch(/^[A-Za-z0-9]+=*$/)
  })
})

describe('Bankconnect: User-token check explains mistakes', () => {
  it.each([
    [undefined, /missing/],
    ['MDAzNTozNWtqZmtoNDU=', /one colon/], // base64('0035:35kjfkh45')
    ['Basic MDAzNTo6MzVramZraDQ1', /drop the "Basic "/],
    ['MzVramZraDQ1OjowMDM1', /secret first/], // base64('35kjfkh45::0035')
    ['MDAzNTo6d3Jvbmc=', /different secret/], // base64('0035::wrong')
    ['%%%', /not base64/],
  ])('%j', (header, message) => {
    const verdict = checkBankconnectUserToken(header, '0035', '35kjfkh45')
    expect(verdict.ok).toBe(false)
    expect(verdict.explanation).toMatch(message)
    expect(verdict.explanation).toContain('MDAzNTo6MzVramZraDQ1')
  })
})

describe('Bankconnect: callback checksum md5(merchant_no . order_id . amount . status . secret)', () => {
  it('matches PHP, amount concatenated as PHP prints it', () => {
    // PHP 8.2: md5('0035' . '93893832223' . '1.00' . 'SUCCESS' . '35kjfkh45')
    expect(
      bankconnectCallbackChecksum({
        merchantNo: '0035',
        orderId: '93893832223',
        amount: '1.00',
        status: 'SUCCESS',
        secret: '35kjfkh45',
      }),
    ).toBe('3c11d70e253e2446779e0bc8227ab9c2')
    // PHP 8.2: md5('0035' . '93893832223' . 1.0 . 'SUCCESS' . '35kjfkh45') — the float 1.0 prints as "1"
    expect(
      bankconnectCallbackChecksum({
        merchantNo: '0035',
        orderId: '93893832223',
        amount: phpFloat(1),
        status: 'SUCCESS',
        secret: '35kjfkh45',
      }),
    ).toBe('b3945e31e2f5e4e4b25a1a3091cf71b3')
  })
})
