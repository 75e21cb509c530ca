import { Buffer } from 'node:buffer'
import { createCipheriv, createHash, createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  payatomComplaintSignature,
  payatomDecrypt,
  payatomPostHash,
  verifyPayatomPostHash,
  verifyPayatomV2Signature,
} from '../../src/providers/payatom/crypto.js'

// How the sandbox explains a merchant's broken post_hash or v2 signature. Each broken client is
// built here from the seed's PHP (restated with node:crypto) or was printed by PHP 8.2.36; the
// expected text is the sandbox's documented explanation for that mistake.

const polling = (
  JSON.parse(readFileSync(new URL('../vectors/php-bankconnect-payatom.json', import.meta.url), 'utf8')) as {
    payatom: {
      status_polling: Array<{ ref_code: string; pid: string; secret_key: string; md5_plain: string; post_hash: string }>
    }
  }
).payatom.status_polling[0]!
const fields = [
  ['ref_code', polling.ref_code],
  ['pid', polling.pid],
] as const
const FORMULA = 'md5(ref_code . pid . secret_key)'
const aesKey = createHash('sha256').update(polling.secret_key).digest() // hash('sha256', $secret_key, true)
const iv = Buffer.alloc(16, 7)
const ciphertext = (() => {
  const c = createCipheriv('aes-256-cbc', aesKey, iv)
  return Buffer.concat([c.update(polling.md5_plain), c.final()])
})()
const hmac = (key: Buffer, data: Buffer[]) => createHmac('sha256', key).update(Buffer.concat(data))

describe('post_hash check: each failing step is named', () => {
  it('accepts the PHP vector, saying which formula matched', () => {
    expect(verifyPayatomPostHash(polling.post_hash, polling.secret_key, fields)).toEqual({
      ok: true,
      remoteHash: polling.md5_plain,
      localHash: polling.md5_plain,
      explanation: `post_hash matches ${FORMULA}`,
    })
  })

  it('missing, empty or blank', () => {
    for (const missing of [undefined, null, '', '  \n']) {
      expect(verifyPayatomPostHash(missing, polling.secret_key, fields)).toEqual({
        ok: false,
        remoteHash: null,
        localHash: polling.md5_plain,
        explanation: `post_hash is missing. Send base64_encode(encrypt(${FORMULA}, secret_key)).`,
      })
    }
  })

  it('"+" sent as spaces: refused, with the hash it would have carried', () => {
    const withPlus = payatomPostHash(polling.md5_plain, polling.secret_key, Buffer.alloc(16, 0xfb)) // iv bytes 0xfb → "+"
    expect(withPlus).toContain('+')
    const verdict = verifyPayatomPostHash(withPlus.replace(/\+/g, ' '), polling.secret_key, fields)
    expect(verdict).toMatchObject({ ok: false, remoteHash: polling.md5_plain })
    expect(verdict.explanation).toMatch(/^post_hash has spaces where base64 has "\+"/)
  })

  it('spaces that are not "+" are skipped as PHP base64_decode skips them', () => {
    const spaced = polling.post_hash.slice(0, 20) + ' ' + polling.post_hash.slice(20)
    expect(verifyPayatomPostHash(spaced, polling.secret_key, fields).ok).toBe(true)
    const junk = verifyPayatomPostHash('QUJD REVG', polling.secret_key, fields)
    expect(junk.ok).toBe(false)
    expect(junk.explanation).toMatch(/^post_hash decodes to 6 bytes, too short/)
  })

  it('too short below 64 bytes; from 64 bytes on, the HMAC is checked', () => {
    const short = verifyPayatomPostHash(Buffer.alloc(63, 1).toString('base64'), polling.secret_key, fields)
    expect(short).toMatchObject({ ok: false, remoteHash: null })
    expect(short.explanation).toBe(
      'post_hash decodes to 63 bytes, too short for iv(16) . hmac(32) . ciphertext(16+). Send base64_encode($iv . $hmac . $ciphertext) from the documented encrypt().',
    )
    const long = verifyPayatomPostHash(Buffer.alloc(64, 1).toString('base64'), polling.secret_key, fields)
    expect(long).toMatchObject({ ok: false, remoteHash: null })
    expect(long.explanation).toBe(
      'post_hash could not be verified: the HMAC does not match: the secret key differs, or post_hash was altered on the way.',
    )
  })

  it('an HMAC written as hex text (hash_hmac without its 4th argument)', () => {
    const hexMac = Buffer.from(hmac(aesKey, [ciphertext, iv]).digest('hex'), 'latin1')
    const verdict = verifyPayatomPostHash(
      Buffer.concat([iv, hexMac, ciphertext]).toString('base64'),
      polling.secret_key,
      fields,
    )
    expect(verdict.ok).toBe(false)
    expect(verdict.explanation).toBe(
      "post_hash could not be verified: the HMAC is hex text (64 characters); pass true as hash_hmac's 4th argument to get the 32 raw bytes.",
    )
  })

  it.each([
    [
      'the sha256 hex string',
      Buffer.from(createHash('sha256').update(polling.secret_key).digest('hex'), 'latin1'),
      'the key is the sha256 HEX string; use the 32 raw bytes: hash("sha256", $secret_key, true)',
    ],
    [
      'the secret itself',
      Buffer.from(polling.secret_key),
      'the HMAC key is the secret itself; PayAtom uses sha256(secret_key) as raw bytes for both AES and the HMAC',
    ],
  ])('%s used as the HMAC key', (_name, macKey, mistake) => {
    const mac = hmac(macKey, [ciphertext, iv]).digest()
    const verdict = verifyPayatomPostHash(
      Buffer.concat([iv, mac, ciphertext]).toString('base64'),
      polling.secret_key,
      fields,
    )
    expect(verdict.explanation).toBe(`post_hash could not be verified: ${mistake}.`)
  })

  it('an md5 without the secret, or with the secret first (PHP: md5("asas63elfe596ed8" . "5345f345345") and the secret first)', () => {
    const noSecret = verifyPayatomPostHash(
      payatomPostHash('8c7af945f34b4b97050e4f50bb8b007f', polling.secret_key),
      polling.secret_key,
      fields,
    )
    expect(noSecret).toMatchObject({ ok: false, remoteHash: '8c7af945f34b4b97050e4f50bb8b007f' })
    expect(noSecret.explanation).toBe(
      `post_hash decrypts to md5(ref_code . pid); the expected order is ${FORMULA}. Expected ${FORMULA} = ` +
        `md5("asas63elfe596ed85345f345345mysecretpassword") = ${polling.md5_plain}.`,
    )
    const secretFirst = verifyPayatomPostHash(
      payatomPostHash('b9452d9836783c1cb96fac9a9c1c26a6', polling.secret_key),
      polling.secret_key,
      fields,
    )
    expect(secretFirst.explanation).toMatch(/^post_hash decrypts to md5\(secret_key \. ref_code \. pid\);/)
  })

  it('a different md5: the secret is right, the values differ', () => {
    const other = createHash('md5').update('something else').digest('hex')
    const verdict = verifyPayatomPostHash(payatomPostHash(other, polling.secret_key), polling.secret_key, fields)
    expect(verdict).toMatchObject({ ok: false, remoteHash: other })
    expect(verdict.explanation).toBe(
      `post_hash decrypts fine (the secret key is right) but to ${other}, not ${polling.md5_plain}. Expected ${FORMULA} = ` +
        `md5("asas63elfe596ed85345f345345mysecretpassword") = ${polling.md5_plain}. ` +
        'Check the values and their text form (e.g. an amount written 100 vs 100.00).',
    )
  })

  it('an empty ciphertext with a hex HMAC is not taken for the hex-HMAC mistake', () => {
    const hexMac = Buffer.from(hmac(aesKey, [iv]).digest('hex'), 'latin1') // 80 bytes in all
    const verdict = verifyPayatomPostHash(Buffer.concat([iv, hexMac]).toString('base64'), polling.secret_key, fields)
    expect(verdict.explanation).toBe(
      'post_hash could not be verified: the HMAC does not match: the secret key differs, or post_hash was altered on the way.',
    )
  })

  it('decrypt(): bad PKCS#7 padding under a valid HMAC is nothing, as openssl_decrypt returns false', () => {
    const c = createCipheriv('aes-256-cbc', aesKey, iv).setAutoPadding(false)
    const unpadded = Buffer.concat([c.update('x'.repeat(16)), c.final()])
    const blob = Buffer.concat([iv, hmac(aesKey, [unpadded, iv]).digest(), unpadded])
    expect(payatomDecrypt(blob, polling.secret_key)).toBeNull()
  })

  it('decrypt(): a valid HMAC over no ciphertext is still nothing (PHP openssl_decrypt of "" is false)', () => {
    const blob = Buffer.concat([iv, hmac(aesKey, [iv]).digest()])
    expect(payatomDecrypt(blob, polling.secret_key)).toBeNull()
  })
})

describe('v2 signature check: the mistake is named (signatures printed by PHP 8.2.36)', () => {
  // $f = ['pid' => 'P1', 'order_id' => 'ORD/1', 'name' => 'Zoë', 'amount' => 250]; secret 'k'
  const sent = '{"pid":"P1","order_id":"ORD/1","name":"Zoë","amount":250'
  const body = (signature: unknown) => `${sent},"signature":${JSON.stringify(signature)}}`
  const signingString = '{"amount":250,"name":"Zo\\u00eb","order_id":"ORD\\/1","pid":"P1"}k'
  const expected = '14c18bff47484aef4412845585c9de9b31533340c546bc92b95052dc30c3a615'
  const recipe = `sha256_hex(json_encode(ksort(fields without signature)) . secret_key) = sha256(${JSON.stringify(signingString)}) = ${expected}`

  it('accepts the PHP signature', () => {
    expect(verifyPayatomV2Signature(body(expected), 'k')).toEqual({
      ok: true,
      expected,
      signingString,
      explanation: 'signature matches sha256(json_encode(ksort(fields)) . secret_key)',
    })
  })

  it.each([
    [
      'e574a40db88c5c45d73f73646d9401a43a109b47cf5431d96ed182771697d6a2', // JSON_UNESCAPED_SLASHES|UNICODE|LINE_TERMINATORS
      'JSON written without PHP\'s escaping ("/" must be "\\/", non-ASCII "\\uXXXX"; JSON.stringify and json.dumps(ensure_ascii=False) do not do this)',
    ],
    [
      '7a1b375e4892e55016b62bd5b636dc47c8ef7b6b5e823fe979216c91dd97d0a0',
      'JSON written with "/" unescaped (PHP writes "\\/")',
    ],
    [
      '92f6783d68f798c290c1c027dc377d12f4d714c381265b3428257a1879b6949c',
      'JSON written with raw non-ASCII characters (PHP writes "\\uXXXX")',
    ],
    [
      '6c6a99e7de9189f8fdad40284266196942fb9629934241eaf69736f3c58a1258',
      'the fields in the order sent, not sorted by key',
    ],
    [
      '03d04847994bb096d4fd2b7663072995c7f8a980b4261afba8cb207ec9798978',
      "the fields unsorted and without PHP's escaping",
    ],
    ['cd5f12842d47e95542924c70b0284425f08d387d99284767e17667db9f1f7106', 'the JSON without the secret key appended'],
    [
      'e0b139e7eb3b5801a6570a69b8492a2cf69fa8e7c228db1ce271ddfbb2440a55',
      'the secret key put before the JSON instead of after it',
    ],
    [
      '0ed3067413e5bfad343c8447f83afe4828e73ebbfecafd3b9992e2c87386f60a',
      '"signature" included as an empty string (leave it out)',
    ],
  ])('%s', (signature, mistake) => {
    expect(verifyPayatomV2Signature(body(signature), 'k')).toEqual({
      ok: false,
      expected,
      signingString,
      explanation: `Invalid signature: it was computed over ${mistake}. Expected ${recipe}.`,
    })
  })

  it('U+2028 written raw counts as "without PHP\'s escaping" too', () => {
    // PHP: hash('sha256', json_encode(['note' => "a\u{2028}b/c", 'pid' => 'P1'], SLASHES|UNICODE|LINE_TERMINATORS) . 'k')
    const verdict = verifyPayatomV2Signature(
      '{"note":"a\\u2028b/c","pid":"P1","signature":"62efc7f01ca37e3e1f92ad5c837d47b3edb159d5aaebdb5a89dd914fbcb1d2e8"}',
      'k',
    )
    expect(verdict.expected).toBe('5e3650437f0e142cf3ff156e5c3efdc5655c8fe3d041bbb358f5b68d5e7fee3f')
    expect(verdict.explanation).toMatch(/^Invalid signature: it was computed over JSON written without PHP's escaping/)
  })

  it('missing, null, or not a string', () => {
    for (const missing of ['', null]) {
      expect(verifyPayatomV2Signature(body(missing), 'k')).toEqual({
        ok: false,
        expected,
        signingString,
        explanation: `signature not provided. Expected ${recipe}.`,
      })
    }
    expect(verifyPayatomV2Signature(`${sent}}`, 'k').explanation).toBe(`signature not provided. Expected ${recipe}.`)
    expect(verifyPayatomV2Signature(body(12345), 'k')).toEqual({
      ok: false,
      expected,
      signingString,
      explanation: `signature must be a string of 64 lowercase hex characters. Expected ${recipe}.`,
    })
  })

  it('a body that is not an object, or not JSON', () => {
    expect(verifyPayatomV2Signature('"x"', 'k')).toEqual({
      ok: false,
      expected: null,
      signingString: null,
      explanation: 'The body must be a JSON object with the request fields and "signature".',
    })
    expect(verifyPayatomV2Signature(Buffer.from([0x7b, 0xff, 0x7d]), 'k')).toMatchObject({
      ok: false,
      expected: null,
      signingString: null,
    })
  })

  it('anything else: no known mistake fits', () => {
    const wrong = 'ab'.repeat(32)
    expect(verifyPayatomV2Signature(body(wrong), 'k').explanation).toBe(
      `Invalid signature: ${wrong} does not match. Expected ${recipe}. Check the secret key and that every field sent (except signature) is signed with the value sent.`,
    )
  })
})

describe('complaint signature sha256(value1 . value2 … . secret_key)', () => {
  it('matches PHP, values printed as PHP prints them', () => {
    // PHP 8.2: hash('sha256', '000000000000' . 'ORD1234567890' . 'asas63elfe596ed8' . 'mysecretpassword')
    expect(payatomComplaintSignature(['000000000000', 'ORD1234567890', 'asas63elfe596ed8'], 'mysecretpassword')).toBe(
      '7b3a88d9121bb46c18993dc3b83058ae21ed0a40fd8557e625357273da1f2286',
    )
    // PHP 8.2: hash('sha256', '000000000000' . 100.5 . 'k')
    expect(payatomComplaintSignature(['000000000000', 100.5], 'k')).toBe(
      '6c070724969e478ba086a244e85d4d6b12dc3b584cf206d573db35252cf68316',
    )
  })
})
