/**
 * What a developer reads in the journal when an ECommPay signature check fails (or passes only in
 * another SDK's order): the whole explanation, line by line. The expected signature base strings
 * and signatures come from ECommPay's JS SDK (vectors/ecommpay.json) or are restated from the
 * documented rule and signed with node:crypto here; the prose is the sandbox's own contract.
 */
import { createHash, createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { verifyCallback, verifyGateRequest } from '../../src/providers/ecommpay/crypto.js'
import { verifyPaymentPageQuery } from '../../src/providers/ecommpay/payment-page-url.js'
import { verifySignature } from '../../src/providers/ecommpay/signature-check.js'

interface GateVector {
  secret: string
  body: Record<string, unknown> & { general: Record<string, unknown> }
  signature: string
}
const vectors = JSON.parse(readFileSync(new URL('../vectors/ecommpay.json', import.meta.url), 'utf8')) as {
  gate_bodies: GateVector[]
}
const { secret: SECRET, body: BODY, signature: SIGNATURE } = vectors.gate_bodies[0]!
/** The base string of gate body 1 (ECommPay's documented order). */
const BASE =
  'account:bank_code:SBIN0000001;account:bank_id:403;account:customer_name:John Waynen;account:number:5588994446666;customer:id:24900;customer:ip_address:1.2.3.4;general:payment_id:ORDER_I1558600157;general:project_id:112;payment:amount:150000;payment:currency:INR'

const withSignature = (signature: unknown) => ({ ...BODY, general: { ...BODY.general, signature } })
const hmac = (algorithm: string, message: string, key = SECRET) => createHmac(algorithm, key).update(message).digest()
const sign = (message: string, key = 'secret') => hmac('sha512', message, key).toString('base64')

const METHOD =
  'Each value becomes one "path:value" line (nested keys joined with ":", list items by index, true/false as 1/0, ' +
  'null as nothing, empty {} and [] left out, frame_mode and the signature itself left out); the lines are sorted ' +
  'and joined with ";"; the signature is Base64(HMAC-SHA512(secret key, that string)).'
const expectedBlock = (derivation: string, base: string, signature: string) => [
  `Expected signature base string (what the sandbox signed: ${derivation}):`,
  base,
  `Expected signature: ${signature}`,
]
const GATE_BLOCK = expectedBlock('the body without general.signature', BASE, SIGNATURE)
const NO_CAUSE =
  'Likely cause: none of the common mistakes reproduces the received signature. Compare your signed string with ' +
  'the expected signature base string above, byte for byte. If they are identical, you signed with a different ' +
  "secret key than the project's secret key (GET /_sandbox/merchants lists the sandbox's projects)."
const invalidGate = (received: string, ...rest: string[]) =>
  [
    "Invalid signature (ECommPay code 3261): general.signature does not match the request body signed with the project's secret key.",
    `Received signature: ${received}`,
    ...rest,
  ].join('\n')
const shape = (why: string) => `The received value is not shaped like an ECommPay signature: ${why}`
/** The explanation of a received value not shaped like a signature: why, and the likely cause. */
const malformed = (received: string, why: string, cause: string) =>
  invalidGate(received, shape(why), METHOD, ...GATE_BLOCK, cause)

describe('a missing or mistyped signature', () => {
  it('none in general: code 3262, where it belongs, what to sign', () => {
    const verdict = verifyGateRequest(BODY, SECRET)
    expect(verdict).toEqual({
      valid: false,
      code: '3262',
      problem: 'missing-signature',
      signatureLocation: 'general.signature',
      receivedSignature: null,
      expectedSignature: SIGNATURE,
      expectedBaseString: BASE,
      matched: null,
      explanation: [
        'Empty signature (ECommPay code 3262): the request body has no general.signature.',
        "What to do: sign the body without general.signature with the project's secret key and send the result in general.signature.",
        METHOD,
        ...GATE_BLOCK,
      ].join('\n'),
    })
  })

  it('no general object and a top-level signature: both pointed out, with the secret’s label', () => {
    const body = { payment: { amount: 1 }, signature: SIGNATURE }
    const verdict = verifyGateRequest(body, SECRET, { secretLabel: 'project 112' })
    expect(verdict.code).toBe('3262')
    expect(verdict.explanation).toBe(
      [
        'Empty signature (ECommPay code 3262): the request body has no general.signature.',
        'The body has no "general" object; a Gate request carries general.project_id, general.payment_id and general.signature. ' +
          'A top-level "signature" was found: Gate requests carry it in general.signature.',
        'What to do: sign the body without general.signature with project 112 and send the result in general.signature.',
        METHOD,
        ...expectedBlock('the body without general.signature', 'payment:amount:1', sign('payment:amount:1', SECRET)),
      ].join('\n'),
    )
    // a general object without a signature, plus a top-level one: only the second hint
    const second = verifyGateRequest({ ...BODY, signature: SIGNATURE }, SECRET).explanation.split('\n')[1]
    expect(second).toBe('A top-level "signature" was found: Gate requests carry it in general.signature.')
  })

  it.each([
    ['a list', [SIGNATURE]],
    ['a number', 5],
    ['a boolean', true],
    ['a object', { value: SIGNATURE }],
  ])('a signature that is %s, not a string: code 3261', (got, value) => {
    const verdict = verifyGateRequest(withSignature(value), SECRET)
    expect(verdict).toMatchObject({
      valid: false,
      code: '3261',
      problem: 'malformed-signature',
      receivedSignature: null,
    })
    expect(verdict.explanation).toBe(
      [
        `Invalid signature (ECommPay code 3261): general.signature is ${got}, not a string.`,
        'What to do: send the 88-character Base64 signature as a JSON string in general.signature.',
        METHOD,
        ...GATE_BLOCK,
      ].join('\n'),
    )
  })

  it('a Payment Page URL without a signature names the URL', () => {
    const verdict = verifyPaymentPageQuery('project_id=1', 'secret')
    expect(verdict.code).toBe('3262')
    expect(verdict.explanation.split('\n').slice(0, 2)).toEqual([
      'Empty signature (ECommPay code 3262): the Payment Page URL has no "signature" query parameter.',
      'What to do: sign the decoded query parameters except signature, frame_mode and names starting with "_" with ' +
        'the project\'s secret key and send the result in the "signature" query parameter.',
    ])
    expect(verdict.expectedSignature).toBe(sign('project_id:1'))
  })

  it('data that cannot be signed: no code (a format error), the reason', () => {
    expect(verifySignature({ at: new Date(0) }, 'x', 'secret')).toEqual({
      valid: false,
      code: null,
      problem: 'unsignable-data',
      signatureLocation: 'signature',
      receivedSignature: 'x',
      expectedSignature: null,
      expectedBaseString: null,
      matched: null,
      explanation:
        'The signature could not be checked: Cannot sign a Date at at: only plain JSON objects and arrays can be ' +
        'signed. Convert it to JSON data first (e.g. a date to its string).',
    })
    expect(verifySignature({ at: new Date(0) }, 5, 'secret').receivedSignature).toBeNull()
    expect(verifySignature({ at: [1, () => 1] }, 'x', 'secret').explanation).toBe(
      'The signature could not be checked: Cannot sign a function at at.[1]: only JSON data (objects, arrays, ' +
        'strings, numbers, booleans, null) can be signed. Pass the parsed JSON body.',
    )
    expect(verifySignature({ a: { b: Infinity } }, 'x', 'secret').explanation).toBe(
      'The signature could not be checked: Cannot sign Infinity at a.b: JSON has no such number. Send a finite ' +
        'integer (amounts in minor units).',
    )
  })

  it.each([
    ['a JSON array', []],
    ['empty', null],
    ['empty', undefined],
    ['a string', '{}'],
    ['a number', 1],
  ])('a body that is %s', (what, body) => {
    expect(verifyCallback(body, 'secret')).toEqual({
      valid: false,
      code: null,
      problem: 'unsignable-data',
      signatureLocation: 'signature',
      receivedSignature: null,
      expectedSignature: null,
      expectedBaseString: null,
      matched: null,
      explanation: `The signature could not be checked: the callback body is ${what}, not a JSON object. Send a JSON object ({...}).`,
    })
    expect(verifyGateRequest(body, 'secret').explanation).toBe(
      `The signature could not be checked: the request body is ${what}, not a JSON object. Send a JSON object ({...}).`,
    )
    expect(verifySignature(body, 'x', 'secret').explanation).toBe(
      `The signature could not be checked: the signed data is ${what}, not a JSON object. Send a JSON object ({...}).`,
    )
  })
})

describe('a signature that does not match: its shape, and the mistake that reproduces it', () => {
  const right = hmac('sha512', BASE)

  it('hex instead of Base64 (lower or upper case)', () => {
    for (const hex of [right.toString('hex'), right.toString('hex').toUpperCase()]) {
      const verdict = verifyGateRequest(withSignature(hex), SECRET)
      expect(verdict).toMatchObject({ problem: 'malformed-signature', receivedSignature: hex, matched: null })
      expect(verdict.explanation).toBe(
        malformed(
          hex,
          'it is 128 hexadecimal characters: encode the raw 64 HMAC bytes with Base64, not hex.',
          'Likely cause: the right HMAC, but hex-encoded: encode the raw HMAC bytes with Base64.',
        ),
      )
    }
  })

  it('URL-safe Base64, with or without padding', () => {
    const url = right.toString('base64url')
    for (const received of [url, `${url}==`]) {
      const verdict = verifyGateRequest(withSignature(received), SECRET)
      expect(verdict.explanation.split('\n')[2]).toBe(
        shape('it uses the URL-safe Base64 alphabet (- and _): use standard Base64 (+ and /) with == padding.'),
      )
    }
    expect(verifyGateRequest(withSignature(url), SECRET).explanation).toBe(
      malformed(
        url,
        'it uses the URL-safe Base64 alphabet (- and _): use standard Base64 (+ and /) with == padding.',
        'Likely cause: the right HMAC, but in URL-safe Base64: use standard Base64 (+ and /) with padding.',
      ),
    )
  })

  it('"+" turned into spaces', () => {
    expect(SIGNATURE).toContain('+')
    const spaced = SIGNATURE.replaceAll('+', ' ')
    expect(verifyGateRequest(withSignature(spaced), SECRET).explanation).toBe(
      malformed(
        spaced,
        'it contains spaces where "+" signs belong: a "+" was decoded as a space somewhere on the way.',
        'Likely cause: the right signature, but every "+" became a space: percent-encode it (+ as %2B) when it travels in a URL or form.',
      ),
    )
  })

  it('HMAC-SHA256 (Base64: 44 characters; hex: 64)', () => {
    const b64 = hmac('sha256', BASE).toString('base64')
    expect(verifyGateRequest(withSignature(b64), SECRET).explanation).toBe(
      malformed(
        b64,
        'it is 44 Base64 characters, the size of a SHA-256 HMAC: ECommPay uses HMAC-SHA512 (88 characters).',
        'Likely cause: HMAC-SHA256 over the right string: ECommPay uses HMAC-SHA512.',
      ),
    )
    const hex = hmac('sha256', BASE).toString('hex')
    expect(verifyGateRequest(withSignature(hex), SECRET).explanation).toBe(
      malformed(
        hex,
        'it is 64 hexadecimal characters, the size of a SHA-256 digest: use HMAC-SHA512 and Base64.',
        NO_CAUSE,
      ),
    )
  })

  it('a plain SHA-512 digest, and a trailing ";": well-shaped, so a mismatch', () => {
    const plain = createHash('sha512').update(BASE).digest('base64')
    const verdict = verifyGateRequest(withSignature(plain), SECRET)
    expect(verdict.problem).toBe('mismatch')
    expect(verdict.explanation).toBe(
      invalidGate(
        plain,
        METHOD,
        ...GATE_BLOCK,
        'Likely cause: a plain SHA-512 digest of the right string, without the secret key: use HMAC-SHA512 keyed with the secret.',
      ),
    )
    const trailing = hmac('sha512', `${BASE};`).toString('base64')
    expect(verifyGateRequest(withSignature(trailing), SECRET).explanation).toBe(
      invalidGate(
        trailing,
        METHOD,
        ...GATE_BLOCK,
        'Likely cause: the lines were joined with a trailing ";": there is no ";" after the last line.',
      ),
    )
  })

  it('spaces around it, or the wrong length', () => {
    const padded = ` ${SIGNATURE}\n`
    expect(verifyGateRequest(withSignature(padded), SECRET).explanation).toBe(
      malformed(padded, 'it has spaces or line breaks around it: send the 88 characters only.', NO_CAUSE),
    )
    expect(verifyGateRequest(withSignature('abc'), SECRET).explanation).toBe(
      malformed(
        'abc',
        'it is 3 characters long; an ECommPay signature is 88 characters of standard Base64 (a 64-byte HMAC-SHA512).',
        NO_CAUSE,
      ),
    )
    // 88 characters with a character outside Base64 is not well shaped either
    const odd = `${SIGNATURE.slice(0, 10)}*${SIGNATURE.slice(11)}`
    expect(verifyGateRequest(withSignature(odd), SECRET).explanation.split('\n')[2]).toBe(
      shape(
        'it is 88 characters long; an ECommPay signature is 88 characters of standard Base64 (a 64-byte HMAC-SHA512).',
      ),
    )
  })

  it.each([
    [
      'unsorted lines',
      { b: 1, a: 2 },
      'b:1;a:2',
      'the lines were not sorted (they are in the order of the body): sort them before joining with ";".',
    ],
    [
      'booleans as words',
      { a: true, b: false },
      'a:true;b:false',
      'booleans were signed as "true"/"false": sign them as 1 and 0.',
    ],
    [
      'null as "null"',
      { a: null, b: 'x' },
      'a:null;b:x',
      'null was signed as the word "null": sign it as an empty value (the line ends with ":").',
    ],
    [
      'frame_mode signed',
      { a: 1, frame_mode: 'popup' },
      'a:1;frame_mode:popup',
      'frame_mode was signed: it is never part of the signature.',
    ],
  ])('diagnoses %s', (_name, data, clientString, cause) => {
    const verdict = verifySignature(data, sign(clientString), 'secret')
    expect(verdict.problem).toBe('mismatch')
    expect(verdict.explanation.split('\n').at(-1)).toBe(`Likely cause: ${cause}`)
  })

  it('data the SDKs treat differently: a warning for each kind, after the cause', () => {
    const data = { a: 1.5, 'b;': 'x', 'd:e': 1, l: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }
    const received = `${'A'.repeat(86)}==`
    const verdict = verifySignature(data, received, 'secret')
    const base = 'a:1.5;b;:x;d::e:1;l:0:0;l:1:1;l:2:2;l:3:3;l:4:4;l:5:5;l:6:6;l:7:7;l:8:8;l:9:9'
    expect(verdict.explanation).toBe(
      [
        "Invalid signature (ECommPay code 3261): signature does not match the data signed with the project's secret key.",
        `Received signature: ${received}`,
        METHOD,
        ...expectedBlock('the data as given', base, sign(base)),
        "The other official SDKs' line orders were also tried; none matched.",
        NO_CAUSE,
        'The data has non-integer numbers; the SDKs print them differently (Go truncates them). Send amounts as integers in minor units.',
        'A key or value contains ";", the line separator, so the signed string is ambiguous (the WooCommerce plug-in refuses to sign it). Avoid ";".',
        'A key contains ":"; current PHP, Python, Java and .NET SDKs write it as "::", the JS SDK does not. Both were tried.',
        'A list has 10 or more items; the SDKs order its lines differently (x:10 before or after x:2). All SDK orders were tried.',
      ].join('\n'),
    )
    // each warning on its own; a ";" in a value counts too; nine items, integers, plain keys: none
    const warnings = (d: unknown) => verifySignature(d, received, 'secret').explanation.split('\n').slice(6)
    expect(warnings({ a: { b: 'x;y' } })).toEqual([
      NO_CAUSE,
      'A key or value contains ";", the line separator, so the signed string is ambiguous (the WooCommerce plug-in refuses to sign it). Avoid ";".',
    ])
    expect(warnings({ a: [{ b: 0.5 }] }).slice(1)).toEqual([
      'The data has non-integer numbers; the SDKs print them differently (Go truncates them). Send amounts as integers in minor units.',
    ])
    expect(warnings({ a: 1, l: [0, 1, 2, 3, 4, 5, 6, 7, 8], s: 'x:y' })).toEqual([NO_CAUSE])
  })
})

describe('a signature valid only in another SDK’s way', () => {
  it('the JS SDK’s order with ":" in keys not doubled (its own signature, from the SDK)', () => {
    const data = { 'e:f': 1, e: { f: 2 }, 'x:y': { z: [true, null] } }
    const js = '2JKENwfRAGtZjWjQKLUoq8EIkupxtNFq2FKOgc9FvLx60WIfbHNnN1QS46vr385O3IWVEFN7DLdwJ+R/f07lFQ=='
    const verdict = verifySignature(data, js, 'secret')
    const description = 'the JS SDK\'s level-by-level order (npm "ecommpay"; list indexes in numeric order)'
    expect(verdict).toMatchObject({
      valid: true,
      code: '0',
      problem: null,
      receivedSignature: js,
      matched: { order: 'js-per-level', description, baseString: 'e:f:2;e:f:1;x:y:z:0:1;x:y:z:1:' },
    })
    expect(verdict.explanation).toBe(
      [
        `Signature valid: signature matches the data (line order: ${description}).`,
        `It matched only with lines in ${description}; ":" inside keys not doubled, not as ECommPay documents the ` +
          'signature; the live platform may reject it. The string that matched:',
        'e:f:2;e:f:1;x:y:z:0:1;x:y:z:1:',
        ...expectedBlock(
          'the data as given',
          'e::f:1;e:f:2;x::y:z:0:1;x::y:z:1:',
          'Cw7vw25uweSfVkZIALMQ99EzpochGGty/W+Go1ZE+VHCmgaxBZDw2eedhRTncgVg8mNpCkcl9S7o5On2AEBsSw==',
        ),
      ].join('\n'),
    )
  })

  it('a callback signed with its nested "signature" key kept (WooCommerce, Magento)', () => {
    const received = sign('extra:signature:n;payment:id:P1')
    const verdict = verifyCallback({ payment: { id: 'P1' }, extra: { signature: 'n' }, signature: received }, 'secret')
    expect(verdict.valid).toBe(true)
    expect(verdict.explanation).toBe(
      [
        'Signature valid: signature matches the callback body (line order: whole "path:value" lines sorted byte by ' +
          'byte, as ECommPay documents it (Go, Java, .NET SDKs)).',
        'It matched only with only signature removed, nested "signature" keys kept, not as ECommPay documents the ' +
          'signature; the live platform may reject it. The string that matched:',
        'extra:signature:n;payment:id:P1',
        ...expectedBlock('the body without any "signature" key', 'payment:id:P1', sign('payment:id:P1')),
      ].join('\n'),
    )
  })

  it('a Payment Page URL with "_" parameters signed and "true" signed as 1 (JS SDK)', () => {
    const received = sign('_x:1;flag:1;project_id:1')
    const verdict = verifyPaymentPageQuery(
      `project_id=1&flag=true&_x=1&signature=${encodeURIComponent(received)}`,
      'secret',
    )
    expect(verdict.valid).toBe(true)
    expect(verdict.explanation.split('\n').slice(1, 3)).toEqual([
      'It matched only with parameters starting with "_" signed too; "true"/"false" signed as 1/0, not as ECommPay ' +
        'documents the signature; the live platform may reject it. The string that matched:',
      '_x:1;flag:1;project_id:1',
    ])
    // "_" parameters signed, no boolean words
    const underscore = verifyPaymentPageQuery(
      `project_id=1&_x=1&signature=${encodeURIComponent(sign('_x:1;project_id:1'))}`,
      'secret',
    )
    expect(underscore.explanation.split('\n')[1]).toMatch(
      /^It matched only with parameters starting with "_" signed too, not as/,
    )
    // a URL signed with its percent-encoded values
    const encoded = verifyPaymentPageQuery(
      `project_id=1&payment_id=a%2Fb&signature=${encodeURIComponent(sign('payment_id:a%2Fb;project_id:1'))}`,
      'secret',
    )
    expect(encoded.explanation.split('\n').at(-1)).toBe(
      'Likely cause: the percent-encoded values were signed: sign the parameter values before URL-encoding them.',
    )
  })
})
