import { describe, expect, it } from 'vitest'
import {
  checkBankconnectUserToken,
  decryptBankconnect,
  type BankconnectCredentials,
} from '../../src/providers/bankconnect/crypto.js'

// How the sandbox explains a merchant's broken Bankconnect payload or User-token. The wires were
// printed by PHP 8.2.36 with the documented recipe and one mistake each (key md5('0035' . '35kjfkh45'),
// IV 'a1b2c3d4e5f6g7h8'); the expected text is the sandbox's explanation for that mistake.

const DEFAULT: BankconnectCredentials = { merchantNo: '0035', secret: '35kjfkh45', iv: 'a1b2c3d4e5f6g7h8' }
const KEY_WORDS =
  'key = first 16 characters of md5(merchant_no . secret) = md5("003535kjfkh45") = "de6ebcb24a03dcdd39643a6bc01ce636" ' +
  '→ "de6ebcb24a03dcdd" as ASCII bytes, IV = "a1b2c3d4e5f6g7h8"'
const refused = (wire: string) => {
  const result = decryptBankconnect(wire, DEFAULT)
  if (result.ok) throw new Error(`expected a refusal, got ${result.json}`)
  return result
}

describe('decryptBankconnect names the layer and the mistake', () => {
  it('an empty or blank value', () => {
    for (const wire of ['', '  \r\n']) {
      expect(refused(wire)).toEqual({
        ok: false,
        layer: 'outer-base64',
        explanation:
          'The encrypted value is empty. Send base64(openssl_encrypt(base64(json), "aes-128-ctr", md5(merchant_no . secret), 0, iv)).',
        notes: [],
      })
    }
  })

  it('not base64: the first five foreign characters, or a wrong length', () => {
    expect(refused('a!b@c#d$e%f^g&').explanation).toBe(
      'The value is not base64: it contains "!", "@", "#", "$", "%". Send base64_encode() of openssl_encrypt\'s output.',
    )
    expect(refused('QUJDR')).toMatchObject({
      layer: 'outer-base64',
      explanation:
        'The value is not base64: its length or "=" padding is wrong (was it cut off?). Send base64_encode() of openssl_encrypt\'s output.',
    })
  })

  it('base64 of bytes that are not openssl’s base64 text (PHP: base64_encode(bytes 0..19))', () => {
    expect(refused('AAECAwQFBgcICQoLDA0ODxAREhM=')).toMatchObject({
      layer: 'openssl-base64',
      explanation:
        'The value is base64, but it decodes to 20 bytes that are not the base64 text openssl_encrypt(..., 0, iv) returns. ' +
        'Check the layering: base64(openssl_encrypt(base64(json), "aes-128-ctr", md5(merchant_no . secret), 0, iv)) — options must be 0, not OPENSSL_RAW_DATA.',
    })
  })

  it('an upper-case md5 as the key (PHP: strtoupper(md5(…)))', () => {
    expect(
      refused(
        'Z285Ulc2NVJxbnBPamEwUmd4a0o3aDFPWXhSVTR2MVhjZ1Z3eU9oMmxIS0k4RUxiQTZUcTFtNG55bmxiT0lSTEIyWDBXek02WGpXNW5IRXU=',
      ),
    ).toMatchObject({
      layer: 'decryption',
      explanation: `The payload decrypts only with a wrong key or IV: you used upper-case hex for the md5; PHP's md5() is lower-case. The sandbox used ${KEY_WORDS}.`,
    })
  })

  it('text that is not base64 (PHP: openssl_encrypt("hello world!", …)): the inner base64 was skipped', () => {
    expect(refused('ZVQ1ZDdrQS9MUGZmYVZ6Rg==')).toMatchObject({
      layer: 'inner-base64',
      explanation:
        'The ciphertext decrypted to text, but not to base64: "hello world!". Did you skip the inner base64 step? ' +
        'base64-encode the JSON before openssl_encrypt.',
    })
  })

  it('shows 60 characters of such text, then "…"', () => {
    const sixty = 'a'.repeat(59) + '!'
    expect(
      refused(
        'Y0RwUTQwNStPdm5NWkZtRjBQSVBNNmRNdkFqaWp3ZEJUWStiVkswSEhwNHR2emF2WmJjd2RVV1RMUTYrVStoNndoaHZpVFJvUk5aaFZpd3o=',
      ).explanation,
    ).toContain(`base64: "${sixty}". Did`)
    expect(
      refused(
        'Y0RwUTQwNStPdm5NWkZtRjBQSVBNNmRNdkFqaWp3ZEJUWStiVkswSEhwNHR2emF2WmJjd2RVV1RMUTYrVStoNndoaHZpVFJvUk5aaFZpeHpSUT09',
      ).explanation,
    ).toContain(`base64: "${'a'.repeat(60)}…". Did`)
  })

  it('text in the base64 alphabet that is not whole base64 is text (PHP: openssl_encrypt("abcde", …))', () => {
    expect(refused('Y0RsUzVrbz0=')).toMatchObject({
      layer: 'inner-base64',
      explanation: expect.stringContaining('decrypted to text, but not to base64: "abcde".') as unknown,
    })
    // base64_encode('abcde'): an outer layer over 5 bytes that are not openssl's base64 text
    expect(refused('YWJjZGU=')).toMatchObject({
      layer: 'openssl-base64',
      explanation: expect.stringMatching(
        /^The value is base64, but it decodes to 5 bytes that are not the base64 text/,
      ) as unknown,
    })
  })

  it('bytes that are not UTF-8 are noise even without control characters (PHP: openssl_encrypt("\\xff\\xfe\\xfd", …))', () => {
    expect(refused('N3FYTQ==')).toMatchObject({
      layer: 'decryption',
      explanation: expect.stringMatching(/gives binary noise/) as unknown,
    })
  })

  it('the whole advice for a skipped inner base64 and for one layer too few', () => {
    // base64_encode(openssl_encrypt($json, …, 0, $iv)) and base64_encode(openssl_encrypt(base64_encode($json), …, OPENSSL_RAW_DATA, $iv))
    expect(
      refused('U2lBVDdWMTdQdXJ5YkZ6R2k3RlhZZjRVN2xHdzNGUVNIOHpXRjYwTEVJb2lxblgwSnVkL0pCVFFNVEk9').explanation,
    ).toBe(
      'The ciphertext decrypted straight to JSON: you skipped the inner base64 step. Encode the JSON with base64 BEFORE openssl_encrypt: ' +
        'base64(openssl_encrypt(base64(json), "aes-128-ctr", key, 0, iv)).',
    )
    expect(
      refused('RmhC600sEfP3XXKC0MQ/O4lElFzOlAEVYZSdT4EMNoYBpx69TbsXYEbBGhq7ccAt6hNLnRhNZN5mYX0v').explanation,
    ).toBe(
      'The value has one base64 layer too few: it decoded straight to the ciphertext. openssl_encrypt(..., 0, iv) already returns base64 text, and the ' +
        'documented request base64-encodes that text once more. Either you skipped the final base64_encode, or you passed OPENSSL_RAW_DATA instead of 0.',
    )
  })

  it('a ciphertext that decrypts to nothing is noise, not text (PHP: base64_encode("\\n"))', () => {
    expect(refused('Cg==')).toMatchObject({
      layer: 'decryption',
      explanation:
        "The envelope is well-formed, but decrypting with this merchant's key and IV gives binary noise, so the key or the IV differs. " +
        `The sandbox used ${KEY_WORDS}. Check merchant_no, the secret and the IV configured for this merchant.`,
    })
  })

  it('says why the decoded text is not JSON', () => {
    // PHP: base64_encode(openssl_encrypt(base64_encode('order_id=1&amount=2'), …))
    const result = refused('YzJoNzZYVkhFZjdNVW1uZC9NQTBPcVI2NUZqaGdEY1pZWW5IQ0E9PQ==')
    expect(result.layer).toBe('json')
    expect(result.explanation).toMatch(
      /^Decrypted and base64-decoded, but the result is not JSON: "order_id=1&amount=2" \(Syntax error at character 0 /,
    )
    expect(result.explanation).toMatch(/\)\. Encrypt the JSON text itself\.$/)
  })

  it('notes the characters PHP skipped in an accepted value', () => {
    // chunk_split() of the documented wire: "\r\n" every 76 characters
    const chunked =
      'Um1oQzYwMHNFZlAzWFhLQzBNUS9PNGxFbEZ6T2xBRVZZWlNkVDRFTU5vWUJweDY5VGJzWFlFYkJH\r\naHE3Y2NBdDZoTkxuUmhOWk41bVlYMHY=\r\n'
    const result = decryptBankconnect(chunked, DEFAULT)
    expect(result.ok).toBe(true)
    expect(result.notes).toEqual([
      'The value contained 4 character(s) outside the base64 alphabet ("\\r", "\\n"); PHP\'s base64_decode skips them silently.',
    ])
  })

  it('counts a skipped character outside the BMP once, and a lone surrogate once', () => {
    const documented =
      'Um1oQzYwMHNFZlAzWFhLQzBNUS9PNGxFbEZ6T2xBRVZZWlNkVDRFTU5vWUJweDY5VGJzWFlFYkJHaHE3Y2NBdDZoTkxuUmhOWk41bVlYMHY='
    const result = decryptBankconnect(`${documented.slice(0, 10)}😀\uD800${documented.slice(10)}`, DEFAULT)
    expect(result.ok).toBe(true)
    expect(result.notes).toEqual([
      'The value contained 2 character(s) outside the base64 alphabet ("😀", "\\ud800"); PHP\'s base64_decode skips them silently.',
    ])
  })

  it('an IV that is not 16 bytes is noted with PHP’s warning', () => {
    const result = decryptBankconnect('IA==', { ...DEFAULT, iv: 'short' })
    expect(result.notes).toEqual([
      'The merchant\'s IV is not 16 bytes; PHP says: "IV passed is only 5 bytes long, cipher expects an IV of precisely 16 bytes, padding with \\0".',
    ])
  })
})

describe('checkBankconnectUserToken', () => {
  const recipe = 'base64_encode(merchant_no . "::" . secretkey) = base64("0035::35kjfkh45") = MDAzNTo6MzVramZraDQ1'

  it('accepts the token with spaces around it', () => {
    expect(checkBankconnectUserToken(' MDAzNTo6MzVramZraDQ1 \t', '0035', '35kjfkh45')).toEqual({
      ok: true,
      explanation: 'User-token matches base64(merchant_no::secretkey).',
    })
  })

  it('missing or blank', () => {
    for (const header of [undefined, null, '', '   ']) {
      expect(checkBankconnectUserToken(header, '0035', '35kjfkh45')).toEqual({
        ok: false,
        explanation: `User-token header is missing. Send User-token: ${recipe}.`,
      })
    }
  })

  it.each([
    ['Bearer MDAzNTo6MzVramZraDQ1', 'drop the "Basic "/"Bearer " prefix: the header is the bare base64 text'],
    ['basic   MDAzNTo6MzVramZraDQ1', 'drop the "Basic "/"Bearer " prefix: the header is the bare base64 text'],
    ['aGVsbG8=', 'it decodes to "hello"'], // base64('hello')
    ['MDAzNTo6d3Jvbmc=', 'it carries merchant_no 0035 with a different secret'], // base64('0035::wrong')
  ])('%s', (header, hint) => {
    expect(checkBankconnectUserToken(header, '0035', '35kjfkh45')).toEqual({
      ok: false,
      explanation: `User-token is wrong: ${hint}. Expected ${recipe}.`,
    })
  })
})
