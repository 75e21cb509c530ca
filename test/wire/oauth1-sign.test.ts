import { createPrivateKey, createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAuthorizationHeader, publicKeyFingerprint, sign, verify } from '../../src/wire/oauth1/index.js'

// The merchant side of OAuth 1.0a RSA-SHA256 against python-oauthlib's request
// (test/vectors/connpay.json → oauth[0]) and openssl's own view of the test key.
const vectorDir = new URL('../vectors/', import.meta.url)
const vector = (
  JSON.parse(readFileSync(new URL('connpay.json', vectorDir), 'utf8')) as {
    oauth: Array<{
      url: string
      body: string
      nonce: string
      timestamp: string
      base_string: string
      authorization: string
    }>
  }
).oauth[0]!
const PRIVATE_KEY = readFileSync(new URL('connpay-test-merchant.key.pem', vectorDir), 'utf8')
const PUBLIC_KEY = readFileSync(new URL('connpay-test-merchant.pub.pem', vectorDir), 'utf8')
const oauthlibSignature = parseAuthorizationHeader(vector.authorization).params.find(
  ([k]) => k === 'oauth_signature',
)![1]

describe('sign() as a merchant client', () => {
  const base = {
    url: vector.url,
    consumerKey: 'TestMerchant',
    privateKey: PRIVATE_KEY,
    nonce: vector.nonce,
    timestamp: Number(vector.timestamp),
  }

  it('POST by default; the body as text, as pairs or as a record signs to oauthlib’s signature', () => {
    const pairs = vector.body.split('&').map((p) => p.split('=').map(decodeURIComponent) as [string, string])
    for (const body of [vector.body, pairs, Object.fromEntries(pairs)]) {
      const signed = sign({ ...base, body })
      expect(signed.body).toBe(vector.body)
      expect(signed.baseString).toBe(vector.base_string)
      expect(signed.signature).toBe(oauthlibSignature)
      expect(signed.contentType).toBe('application/x-www-form-urlencoded')
      expect(signed.nonce).toBe(vector.nonce)
      expect(signed.timestamp).toBe(vector.timestamp)
    }
    expect(sign({ ...base, method: 'post', body: vector.body }).signature).toBe(oauthlibSignature)
  })

  it('writes the header with every protocol parameter sorted, values percent-encoded and quoted', () => {
    const signed = sign({ ...base, body: vector.body })
    expect(signed.authorization).toBe(
      `OAuth oauth_consumer_key="TestMerchant", oauth_nonce="${vector.nonce}", ` +
        `oauth_signature="${encodeURIComponent(oauthlibSignature)}", oauth_signature_method="RSA-SHA256", ` +
        `oauth_timestamp="${vector.timestamp}", oauth_version="1.0"`,
    )
  })

  it('puts a realm first, with quotes and backslashes escaped; realm takes no part in the signature', () => {
    const signed = sign({ ...base, body: vector.body, realm: 'Ex"am\\ple' })
    expect(signed.authorization.startsWith('OAuth realm="Ex\\"am\\\\ple", oauth_consumer_key=')).toBe(true)
    expect(parseAuthorizationHeader(signed.authorization).realm).toBe('Ex"am\\ple')
    expect(signed.signature).toBe(oauthlibSignature)
  })

  it('an empty body, another method, a KeyObject key', () => {
    const signed = sign({ ...base, method: 'get', privateKey: createPrivateKey(PRIVATE_KEY) })
    expect(signed.body).toBe('')
    expect(
      signed.baseString.startsWith(
        'GET&https%3A%2F%2Fsandbox.connpay.com%2Fpaynet%2Fapi%2Fv4%2Fpayout%2F39915&oauth_consumer_key%3DTestMerchant%26',
      ),
    ).toBe(true)
    expect(
      verify({
        method: 'GET',
        url: vector.url,
        authorization: signed.authorization,
        body: '',
        publicKey: PUBLIC_KEY,
        nowSeconds: Number(vector.timestamp),
      }).ok,
    ).toBe(true)
  })

  it('without a nonce or timestamp: a fresh 32-character alphanumeric nonce and the current Unix time in seconds', () => {
    const before = Math.floor(Date.now() / 1000)
    const a = sign({ url: vector.url, consumerKey: 'TestMerchant', privateKey: PRIVATE_KEY })
    const b = sign({ url: vector.url, consumerKey: 'TestMerchant', privateKey: PRIVATE_KEY })
    const after = Math.floor(Date.now() / 1000)
    expect(a.nonce).toMatch(/^[A-Za-z0-9]{32}$/)
    expect(a.nonce).not.toBe(b.nonce)
    expect(Number(a.timestamp)).toBeGreaterThanOrEqual(before)
    expect(Number(a.timestamp)).toBeLessThanOrEqual(after)
    expect(a.timestamp).toMatch(/^\d{10}$/)
  })

  it('reads the private key from DER bytes as openssl writes them (PKCS#8 and PKCS#1)', () => {
    for (const file of ['connpay-test-merchant.key.pkcs8.der', 'connpay-test-merchant.key.pkcs1.der']) {
      const privateKey = readFileSync(new URL(file, vectorDir))
      expect(sign({ ...base, body: vector.body, privateKey }).signature, file).toBe(oauthlibSignature)
    }
  })

  it('refuses a key it cannot read, saying what to pass', () => {
    expect(() => sign({ ...base, privateKey: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]) })).toThrow(
      /^Cannot read the RSA private key/,
    )
    expect(() => sign({ ...base, privateKey: 'not a key' })).toThrow(TypeError)
    expect(() => sign({ ...base, privateKey: 'not a key' })).toThrow(
      /^Cannot read the RSA private key \(.*\)\. Pass a PEM private key \("-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----"\), DER bytes or a KeyObject\.$/,
    )
  })
})

describe('publicKeyFingerprint', () => {
  // openssl pkey -pubin -in connpay-test-merchant.pub.pem -outform DER | sha256sum
  const OPENSSL = 'a88f7c03125726089f12f5f653b63887b8da0b8d53ed715ab0ae415b4dda695e'

  it('is the SHA-256 of the key’s SubjectPublicKeyInfo DER, from a PEM, a KeyObject or the private key', () => {
    expect(publicKeyFingerprint(PUBLIC_KEY)).toBe(OPENSSL)
    expect(publicKeyFingerprint(PUBLIC_KEY)).toBe(OPENSSL) // cached parse
    expect(publicKeyFingerprint(createPublicKey(PUBLIC_KEY))).toBe(OPENSSL)
    expect(publicKeyFingerprint(createPrivateKey(PRIVATE_KEY))).toBe(OPENSSL)
    expect(publicKeyFingerprint(Buffer.from(PUBLIC_KEY))).toBe(OPENSSL)
    for (const file of ['connpay-test-merchant.pub.spki.der', 'connpay-test-merchant.pub.pkcs1.der'])
      expect(publicKeyFingerprint(readFileSync(new URL(file, vectorDir))), file).toBe(OPENSSL)
  })

  it('refuses a key it cannot read, saying what to pass', () => {
    expect(() => publicKeyFingerprint('nope')).toThrow(
      /^Cannot read the RSA public key \(.*\)\. Pass a PEM public key \("-----BEGIN PUBLIC KEY-----" or "-----BEGIN RSA PUBLIC KEY-----"\), a certificate, DER bytes or a KeyObject\.$/,
    )
  })
})
