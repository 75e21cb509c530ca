/**
 * OAuth 1.0a verification as a gateway does it: every refusal with its whole explanation, every
 * tolerated oddity with its note, and every client mistake the diagnosis names. The base strings
 * are written out here from RFC 5849 §3.4.1 (and, for a mistake, as that broken client builds
 * them), signed with node:crypto and the test merchant's key (test/vectors/); the public key's
 * fingerprint is openssl's (`openssl pkey -pubin -outform DER | openssl dgst -sha256`).
 */
import { createSign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { verify, type VerifyFailure, type VerifyInput, type VerifyResult } from '../../src/wire/oauth1/index.js'

const vectorDir = new URL('../vectors/', import.meta.url)
const PUBLIC_KEY = readFileSync(new URL('connpay-test-merchant.pub.pem', vectorDir), 'utf8')
const PRIVATE_KEY = readFileSync(new URL('connpay-test-merchant.key.pem', vectorDir), 'utf8')
const FINGERPRINT = 'a88f7c03125726089f12f5f653b63887b8da0b8d53ed715ab0ae415b4dda695e'
const FORM = 'application/x-www-form-urlencoded'
const URL_ = 'https://sandbox.connpay.com/paynet/api/v4/status/39915'
const BODY = 'login=TestMerchant&client_orderid=a%20b'

/** RFC 3986 percent-encoding of the unreserved set (encodeURIComponent also keeps !'()*, absent here). */
const enc = (s: string) => encodeURIComponent(s)
const PROTOCOL: Array<[string, string]> = [
  ['oauth_consumer_key', 'TestMerchant'],
  ['oauth_nonce', 'n1'],
  ['oauth_signature_method', 'RSA-SHA256'],
  ['oauth_timestamp', '1700000000'],
  ['oauth_version', '1.0'],
]
const SORTED_PARAMS =
  'client_orderid=a%20b&login=TestMerchant&oauth_consumer_key=TestMerchant&oauth_nonce=n1&' +
  'oauth_signature_method=RSA-SHA256&oauth_timestamp=1700000000&oauth_version=1.0'
const baseOf = (params: string, url = URL_, method = 'POST') => `${method}&${enc(url)}&${enc(params)}`
const BASE = baseOf(SORTED_PARAMS)

const rsa = (base: string, algorithm = 'RSA-SHA256') =>
  createSign(algorithm).update(base, 'utf8').sign(PRIVATE_KEY).toString('base64')
const header = (signature: string, params: Array<[string, string]> = PROTOCOL, prefix = 'OAuth ') =>
  prefix + [...params, ['oauth_signature', signature]].map(([k, v]) => `${k}="${enc(v)}"`).join(', ')
const request = (overrides: Partial<VerifyInput> = {}): VerifyInput => ({
  method: 'POST',
  url: URL_,
  authorization: header(rsa(BASE)),
  body: BODY,
  contentType: FORM,
  publicKey: PUBLIC_KEY,
  knownHosts: ['sandbox.connpay.com', 'gate.connpay.com'],
  ...overrides,
})
function refused(result: VerifyResult): VerifyFailure {
  if (result.ok) throw new Error('expected a refusal')
  return result
}

describe('verify() accepts', () => {
  it('the request as RFC 5849 signs it, and reports what it matched', () => {
    const result = verify(request())
    expect(result).toEqual({
      ok: true,
      oauth: {
        consumerKey: 'TestMerchant',
        nonce: 'n1',
        timestamp: '1700000000',
        signatureMethod: 'RSA-SHA256',
        version: '1.0',
        transmittedIn: 'header',
      },
      baseString: BASE,
      normalizedParameters: SORTED_PARAMS,
      parameters: expect.any(Array),
      url: URL_,
      notes: [],
    })
  })

  it('the second accepted URL, reported as the one that matched', () => {
    const local = 'http://localhost:8080/paynet/api/v4/status/39915'
    const result = verify(request({ url: [local, URL_] }))
    expect(result).toMatchObject({ ok: true, url: URL_, baseString: BASE })
    expect(() => verify(request({ url: [] }))).toThrow(new TypeError('verify() needs at least one URL in "url".'))
  })

  it('with notes: lower-case method name, no version, no Content-Type, a Basic header beside body parameters', () => {
    const params = PROTOCOL.filter(([k]) => k !== 'oauth_version').map(([k, v]): [string, string] =>
      k === 'oauth_signature_method' ? [k, 'rsa-sha256'] : [k, v],
    )
    const base = baseOf(
      'client_orderid=a%20b&login=TestMerchant&oauth_consumer_key=TestMerchant&oauth_nonce=n1&' +
        'oauth_signature_method=rsa-sha256&oauth_timestamp=1700000000',
    )
    const result = verify(request({ authorization: header(rsa(base), params), contentType: undefined }))
    expect(result).toMatchObject({ ok: true, oauth: { version: undefined, signatureMethod: 'rsa-sha256' } })
    expect(result.notes).toEqual([
      'The request had no Content-Type; the body was read as application/x-www-form-urlencoded.',
      'oauth_signature_method "rsa-sha256" was accepted as "RSA-SHA256".',
    ])
    expect(verify(request({ authorization: header(rsa(base), params), contentType: ' ' })).notes[0]).toBe(
      'The request had no Content-Type; the body was read as application/x-www-form-urlencoded.',
    )

    // OAuth parameters in the body, with a Basic header that is ignored
    const bodyTransmitted = `${BODY}&${PROTOCOL.map(([k, v]) => `${k}=${enc(v)}`).join('&')}&oauth_signature=${enc(rsa(BASE))}`
    const inBody = verify(request({ authorization: 'Basic dGVzdDp0ZXN0', body: bodyTransmitted }))
    expect(inBody).toMatchObject({ ok: true, oauth: { transmittedIn: 'body' } })
    expect(inBody.notes).toEqual([
      'The Authorization header is not OAuth ("Basic…"); it was ignored.',
      'The OAuth parameters came in the body, not in the Authorization header; accepted as RFC 5849 §3.5 allows, ' +
        "but PaynetEasy's own client sends them in the header.",
    ])
  })

  it('OAuth parameters in the query (no header)', () => {
    const query = `${PROTOCOL.map(([k, v]) => `${k}=${enc(v)}`).join('&')}`
    const url = `${URL_}?${query}`
    const signature = rsa(BASE)
    const result = verify(request({ url: `${url}&oauth_signature=${enc(signature)}`, authorization: undefined }))
    expect(result).toMatchObject({ ok: true, oauth: { transmittedIn: 'query' } })
    expect(result.notes).toEqual([
      'The OAuth parameters came in the query, not in the Authorization header; accepted as RFC 5849 §3.5 allows, ' +
        "but PaynetEasy's own client sends them in the header.",
    ])
  })

  it('a timestamp exactly at the edge of the window; no window without a tolerance', () => {
    expect(verify(request({ nowSeconds: 1700000300, timestampToleranceSeconds: 300 })).ok).toBe(true)
    expect(verify(request({ nowSeconds: 1699999700, timestampToleranceSeconds: 300 })).ok).toBe(true)
    expect(verify(request({ nowSeconds: 1 })).ok).toBe(true)
    expect(verify(request({ timestampToleranceSeconds: 0 })).ok).toBe(true)
  })
})

describe('verify() refuses, saying what was wrong', () => {
  it('an OAuth header without OAuth parameters', () => {
    const realmOnly = refused(verify(request({ authorization: 'OAuth realm="x"' })))
    expect(realmOnly).toMatchObject({ reason: 'malformed-authorization', notes: [] })
    expect(realmOnly.explanation).toBe(
      'The Authorization header says "OAuth" but carries no parameters. Send oauth_consumer_key, oauth_nonce, ' +
        'oauth_signature, oauth_signature_method, oauth_timestamp and oauth_version.',
    )
    const r = refused(verify(request({ authorization: 'OAuth foo="bar"' })))
    expect(r).toMatchObject({ reason: 'missing-authorization', notes: [] })
    expect(r.explanation).toBe(
      'The request carries no OAuth parameters (no OAuth Authorization header and no oauth_signature in the body or ' +
        'query). Sign the request with OAuth 1.0a RSA-SHA256 and send the parameters in the Authorization header.',
    )
  })

  it('no Authorization header and no parameters', () => {
    const r = refused(verify(request({ authorization: undefined })))
    expect(r.explanation).toBe(
      'The request has no Authorization header. Sign every ConnPay v4 request with OAuth 1.0a RSA-SHA256 and send ' +
        'the header: Authorization: OAuth oauth_consumer_key="<login>", oauth_nonce="...", oauth_signature="...", ' +
        'oauth_signature_method="RSA-SHA256", oauth_timestamp="<unix seconds>", oauth_version="1.0"',
    )
  })

  it('a body that is not a form: not read, with a note', () => {
    const r = refused(verify(request({ contentType: 'application/json' })))
    expect(r.notes[0]).toBe(
      'The body was not read as parameters because Content-Type is "application/json"; ConnPay expects ' +
        '"application/x-www-form-urlencoded".',
    )
    expect(r.normalizedParameters).toBe(
      'oauth_consumer_key=TestMerchant&oauth_nonce=n1&oauth_signature_method=RSA-SHA256&oauth_timestamp=1700000000&oauth_version=1.0',
    )
  })

  it('"%" signs that are not escapes: counted in a note', () => {
    const r = refused(verify(request({ body: `${BODY}&x=100%&y=%zz` })))
    expect(r.notes).toEqual([
      'The body has 2 "%" sign(s) not followed by two hex digits; they were read literally. Encode "%" as "%25".',
    ])
  })

  it('a protocol parameter twice (header, body transmission), or again in the body with another value', () => {
    const twice = refused(verify(request({ authorization: `${header(rsa(BASE))}, oauth_nonce="n2"` })))
    expect(twice).toMatchObject({ reason: 'duplicate-oauth-parameter' })
    expect(twice.explanation).toBe(
      'oauth_nonce appears 2 times in the Authorization header. Send each OAuth parameter exactly once.',
    )
    const inBody = `${BODY}&oauth_nonce=n1&oauth_nonce=n2&oauth_signature=x`
    expect(refused(verify(request({ authorization: undefined, body: inBody }))).explanation).toBe(
      'oauth_nonce appears 2 times in the body. Send each OAuth parameter exactly once.',
    )
    const again = refused(verify(request({ body: `${BODY}&oauth_nonce=n2` })))
    expect(again.explanation).toBe(
      'oauth_nonce is in the Authorization header ("n1") and again in the body with a different value ("n2"). ' +
        'Send each OAuth parameter once, in the Authorization header.',
    )
    const inQuery = verify(request({ url: `${URL_}?oauth_nonce=n1` }))
    expect(inQuery.notes).toEqual([
      'oauth_nonce was sent both in the Authorization header and in the query; it was counted once.',
    ])
  })

  it('missing (or empty) protocol parameters, all named', () => {
    const params = PROTOCOL.filter(([k]) => k !== 'oauth_timestamp').map(([k, v]): [string, string] =>
      k === 'oauth_nonce' ? [k, ''] : [k, v],
    )
    const r = refused(verify(request({ authorization: header(rsa(BASE), params) })))
    expect(r).toMatchObject({
      reason: 'missing-oauth-parameter',
      oauth: { consumerKey: 'TestMerchant', nonce: '', timestamp: undefined, transmittedIn: 'header' },
    })
    expect(r.explanation).toBe(
      'The OAuth parameters lack oauth_timestamp, oauth_nonce. A ConnPay v4 request needs oauth_consumer_key (your ' +
        'login), oauth_nonce, oauth_signature, oauth_signature_method="RSA-SHA256", oauth_timestamp (Unix seconds) ' +
        'and oauth_version="1.0".',
    )
  })

  it('another signature method, with a word on HMAC-SHA1', () => {
    const method = (m: string) =>
      refused(
        verify(
          request({
            authorization: header(
              rsa(BASE),
              PROTOCOL.map(([k, v]): [string, string] => (k === 'oauth_signature_method' ? [k, m] : [k, v])),
            ),
          }),
        ),
      )
    expect(method('hmac-sha1').explanation).toBe(
      'oauth_signature_method is "hmac-sha1", but the ConnPay v4 API accepts only "RSA-SHA256" (an RSA signature ' +
        'over SHA-256 with your private key; HMAC-SHA1 with the control key is only for some v2 commands).',
    )
    expect(method('PLAINTEXT')).toMatchObject({
      reason: 'unsupported-signature-method',
      explanation:
        'oauth_signature_method is "PLAINTEXT", but the ConnPay v4 API accepts only "RSA-SHA256" (an RSA ' +
        'signature over SHA-256 with your private key).',
      oauth: { signatureMethod: 'PLAINTEXT' },
    })
  })

  it('another version', () => {
    const params = PROTOCOL.map(([k, v]): [string, string] => (k === 'oauth_version' ? [k, '1.0a'] : [k, v]))
    expect(refused(verify(request({ authorization: header(rsa(BASE), params) })))).toMatchObject({
      reason: 'unsupported-oauth-version',
      explanation: 'oauth_version is "1.0a"; it must be "1.0" (or left out).',
      oauth: { version: '1.0a' },
    })
  })

  it('a timestamp that is not whole seconds, or outside the window either way', () => {
    const withTimestamp = (t: string) =>
      header(
        rsa(BASE),
        PROTOCOL.map(([k, v]): [string, string] => (k === 'oauth_timestamp' ? [k, t] : [k, v])),
      )
    const now = Math.floor(Date.now() / 1000)
    const ms = refused(verify(request({ authorization: withTimestamp('1700000000000') })))
    expect(ms.reason).toBe('invalid-timestamp')
    expect(ms.explanation).toMatch(
      /^oauth_timestamp is "1700000000000"; it must be the Unix time in whole seconds, e\.g\. "(\d+)" \(this looks like milliseconds: divide by 1000\)\.$/,
    )
    const example = Number(/e\.g\. "(\d+)"/.exec(ms.explanation)![1])
    expect(Math.abs(example - now)).toBeLessThan(60)
    const words = refused(verify(request({ authorization: withTimestamp('17e8') })))
    expect(words.explanation).toMatch(
      /^oauth_timestamp is "17e8"; it must be the Unix time in whole seconds, e\.g\. "\d+"\.$/,
    )
    expect(refused(verify(request({ authorization: withTimestamp('1234567890123456') }))).reason).toBe(
      'invalid-timestamp',
    )

    const late = refused(verify(request({ nowSeconds: 1700000301, timestampToleranceSeconds: 300 })))
    expect(late).toMatchObject({ reason: 'timestamp-out-of-window' })
    expect(late.explanation).toBe(
      'oauth_timestamp 1700000000 is 301 s in the past of the sandbox clock (1700000301); at most 300 s is ' +
        "accepted. Use the current time for every request (check your clock, or the sandbox's virtual clock).",
    )
    const early = refused(verify(request({ nowSeconds: 1699999699, timestampToleranceSeconds: 300 })))
    expect(early.explanation).toMatch(
      /^oauth_timestamp 1700000000 is 301 s in the future of the sandbox clock \(1699999699\)/,
    )
  })

  it('an unknown login, a lookup that fails, a key that cannot be used', () => {
    const unknown = refused(verify(request({ publicKey: () => undefined })))
    expect(unknown).toMatchObject({ reason: 'unknown-consumer', baseString: BASE, normalizedParameters: SORTED_PARAMS })
    expect(unknown.explanation).toBe(
      'No merchant with login (oauth_consumer_key) "TestMerchant" is known to the sandbox. Use the login the sandbox ' +
        'was configured with (default "TestMerchant"), or register this merchant and its public key.',
    )
    const failing = refused(
      verify(
        request({
          publicKey: () => {
            throw new Error('store closed')
          },
        }),
      ),
    )
    expect(failing.reason).toBe('unknown-consumer')
    expect(failing.notes).toEqual(['Looking up the public key of "TestMerchant" failed: store closed'])
    const bad = refused(verify(request({ publicKey: 'not a key' })))
    expect(bad).toMatchObject({ reason: 'invalid-public-key', baseString: BASE })
    expect(bad.explanation).toMatch(
      /^The public key registered for "TestMerchant" cannot be used: .+ This is a sandbox configuration problem, not a problem with the request\.$/,
    )
    expect(verify(request({ publicKey: (login) => (login === 'TestMerchant' ? PUBLIC_KEY : null) })).ok).toBe(true)
  })

  it('a signature that is not Base64, or not the key’s size', () => {
    const signature = rsa(BASE)
    expect(signature).toContain('+')
    const spaced = refused(
      verify(request({ authorization: header(signature).replace(enc(signature), signature.replaceAll('+', ' ')) })),
    )
    expect(spaced).toMatchObject({ reason: 'malformed-signature', baseString: BASE })
    expect(spaced.explanation).toBe(
      'oauth_signature contains spaces. A "+" of the Base64 signature was probably sent unencoded and read as a ' +
        'space: percent-encode the signature ("+" as %2B, "/" as %2F, "=" as %3D).',
    )
    const urlSafe = signature.replaceAll('+', '-').replaceAll('/', '_')
    expect(refused(verify(request({ authorization: header(urlSafe) }))).explanation).toBe(
      `oauth_signature "${urlSafe.slice(0, 40)}…" is not standard Base64 (it looks like base64url: use "+" and "/", ` +
        'not "-" and "_"). Send Base64(RSA-SHA256 signature), percent-encoded in the header.',
    )
    expect(refused(verify(request({ authorization: header('abc!') }))).explanation).toBe(
      'oauth_signature "abc!" is not standard Base64. Send Base64(RSA-SHA256 signature), percent-encoded in the header.',
    )
    const exactly40 = `${'A'.repeat(39)}!`
    expect(refused(verify(request({ authorization: header(exactly40) }))).explanation).toContain(
      `"${exactly40}" is not`,
    )
    const short = refused(verify(request({ authorization: header(signature.slice(4)) })))
    expect(short.explanation).toBe(
      'oauth_signature decodes to 253 bytes, but the 2048-bit key registered for "TestMerchant" makes 256-byte ' +
        `signatures. Sign with the private key whose public key you registered (fingerprint ${FINGERPRINT}), and ` +
        'send the whole Base64 value.',
    )
  })

  it('a signature made with another key: no mistake explains it', () => {
    const other = `${'A'.repeat(340)}AA==`
    const r = refused(verify(request({ authorization: header(other) })))
    expect(r).toMatchObject({ reason: 'signature-mismatch', baseString: BASE })
    expect(r.diagnosis).toBeUndefined()
    expect(r.explanation).toBe(
      'The signature does not match the request. None of the usual client mistakes explains it, so most likely the ' +
        'request was signed with a private key other than the one registered for "TestMerchant" (public key ' +
        `fingerprint ${FINGERPRINT}), or the URL, method or body changed after signing. A correct client signs this ` +
        `base string (RFC 5849 §3.4.1): ${BASE}`,
    )
  })
})

describe('verify() names the client mistake', () => {
  const PROTOCOL_PARAMS =
    'oauth_consumer_key=TestMerchant&oauth_nonce=n1&oauth_signature_method=RSA-SHA256&oauth_timestamp=1700000000&oauth_version=1.0'
  const diagnosed = (clientBase: string, overrides: Partial<VerifyInput> = {}, algorithm?: string) => {
    const r = refused(verify(request({ authorization: header(rsa(clientBase, algorithm)), ...overrides })))
    expect(r.reason).toBe('signature-mismatch')
    expect(r.diagnosis?.clientBaseString).toBe(clientBase)
    expect(r.explanation).toBe(
      `The signature does not match. ${r.diagnosis!.mistake} A correct client signs this base string (RFC 5849 ` +
        `§3.4.1): ${r.baseString}`,
    )
    return r.diagnosis!.mistake
  }

  it('the body left out', () => {
    expect(diagnosed(baseOf(PROTOCOL_PARAMS))).toBe(
      'Your client left the body parameters out of the signature. Every parameter of an ' +
        'application/x-www-form-urlencoded body is signed (RFC 5849 §3.4.1.3.1).',
    )
  })

  it('the body signed but sent as another content type', () => {
    expect(diagnosed(BASE, { contentType: 'text/plain' })).toBe(
      'Your client signed the body parameters but sent a Content-Type other than application/x-www-form-urlencoded, ' +
        'so they do not count. Send Content-Type: application/x-www-form-urlencoded.',
    )
  })

  it('"+" signed as a plus sign', () => {
    const body = 'login=TestMerchant&client_orderid=a+b'
    expect(diagnosed(baseOf(SORTED_PARAMS.replace('a%20b', 'a%2Bb')), { body })).toBe(
      'Your client signed "+" in the body as a literal plus sign. In a form body "+" means a space, which is signed ' +
        'as %20; a real plus sign must be sent as %2B. Send spaces as %20 (or sign the decoded values).',
    )
  })

  it('values signed without the spaces around them', () => {
    const body = 'login=TestMerchant%0A&client_orderid=a%20b'
    expect(diagnosed(BASE, { body })).toBe(
      'Your client signed the values without the spaces or line breaks around them that the body carries. Send the ' +
        'body exactly as signed: name=value pairs joined by "&", with no line breaks.',
    )
    const name = 'login%20=TestMerchant&client_orderid=a%20b'
    expect(diagnosed(BASE, { body: name })).toMatch(/^Your client signed the values without the spaces/)
  })

  it('another URL: the other scheme, the real host, the default port, the trailing slash, the query in the URL part', () => {
    const local = 'http://localhost:8080/paynet/api/v4/status/39915'
    const advice = (signed: string, sent: string, what: string) =>
      `Your client signed the URL "${signed}" but the request arrived at "${sent}". ${what}`
    const proxy =
      'Sign the URL you send the request to; behind a proxy, configure the sandbox to accept the outside URL too.'
    const http = 'http://sandbox.connpay.com/paynet/api/v4/status/39915'
    expect(diagnosed(baseOf(SORTED_PARAMS, http))).toBe(advice(http, URL_, proxy))
    expect(diagnosed(baseOf(SORTED_PARAMS, URL_), { url: http })).toBe(advice(URL_, http, proxy))
    const gate = 'https://gate.connpay.com/paynet/api/v4/status/39915'
    expect(diagnosed(baseOf(SORTED_PARAMS, gate), { url: local })).toBe(
      advice(gate, local, "Sign the URL you actually send to (after swapping the base URL for the sandbox's)."),
    )
    expect(diagnosed(baseOf(SORTED_PARAMS, URL_.replace('.com/', '.com:443/')))).toBe(
      advice(URL_.replace('.com/', '.com:443/'), URL_, 'Drop the default port from the signed URL.'),
    )
    expect(diagnosed(baseOf(SORTED_PARAMS, `${URL_}/`))).toBe(
      advice(`${URL_}/`, URL_, 'Sign the path exactly as requested.'),
    )
    expect(diagnosed(baseOf(SORTED_PARAMS, URL_), { url: `${URL_}/` })).toBe(
      advice(URL_, `${URL_}/`, 'Sign the path exactly as requested.'),
    )
    const withQuery = `${URL_}?x=1`
    const queryBase = `POST&${enc(withQuery)}&${enc(`client_orderid=a%20b&login=TestMerchant&${PROTOCOL_PARAMS}&x=1`)}`
    expect(diagnosed(queryBase, { url: withQuery })).toBe(
      advice(
        withQuery,
        withQuery,
        'The query string goes into the parameters, not into the base string URI; leave it out of the URL part.',
      ),
    )
    // port 80 for http
    expect(
      diagnosed(baseOf(SORTED_PARAMS, 'http://sandbox.connpay.com:80/paynet/api/v4/status/39915'), { url: http }),
    ).toBe(
      advice(
        'http://sandbox.connpay.com:80/paynet/api/v4/status/39915',
        http,
        'Drop the default port from the signed URL.',
      ),
    )
  })

  it('normalized parameters not encoded twice, parameters not sorted', () => {
    expect(diagnosed(`POST&${enc(URL_)}&${SORTED_PARAMS}`)).toMatch(
      /^Your client did not percent-encode the normalized/,
    )
    const asSent = `${PROTOCOL_PARAMS}&login=TestMerchant&client_orderid=a%20b`
    expect(diagnosed(baseOf(asSent))).toBe(
      'Your client did not sort the parameters. Sort them by encoded name, then by encoded value, before joining ' +
        '(RFC 5849 §3.4.1.3.2).',
    )
  })

  it('the realm signed', () => {
    const realmed = baseOf(`${SORTED_PARAMS}&realm=Payments`)
    const r = refused(verify(request({ authorization: header(rsa(realmed), PROTOCOL, 'OAuth realm="Payments", ') })))
    expect(r.diagnosis).toEqual({
      mistake: 'Your client signed the realm parameter. Leave realm out of the signature (RFC 5849 §3.4.1.3.1).',
      clientBaseString: realmed,
    })
  })

  it('the method signed in lower case', () => {
    const lower = baseOf(SORTED_PARAMS, URL_, 'post')
    const r = refused(verify(request({ method: 'post', authorization: header(rsa(lower)) })))
    expect(r.diagnosis).toEqual({
      mistake: 'Your client signed the method in lower case. Sign it upper case ("POST").',
      clientBaseString: lower,
    })
  })

  it.each([
    ['sha1', 'SHA-1'],
    ['sha512', 'SHA-512'],
    ['sha384', 'SHA-384'],
    ['sha224', 'SHA-224'],
  ])('hashed with %s', (algorithm, name) => {
    expect(diagnosed(BASE, {}, algorithm)).toBe(
      `Your client hashed with ${name} instead of SHA-256. RSA-SHA256 means RSASSA-PKCS1-v1_5 with SHA-256 ` +
        '(PHP: openssl_sign($base, $sig, $key, OPENSSL_ALGO_SHA256)).',
    )
  })
})
