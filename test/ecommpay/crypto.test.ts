/**
 * ECommPay signatures, proven against values computed by implementations this project did not
 * write: ECommPay's own JS SDK (`vectors/ecommpay.json`), the official SDKs' unit tests and the
 * documentation examples (research `ecommpay.md` §1.4), and, for the edge cases where the SDKs
 * disagree, real PHP 8.2 running SDK-PHP's SignatureHandler code and the npm `ecommpay@0.1.7`
 * JS SDK (both run once in a scratch directory; this test does not depend on them).
 */
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  callbackSignatureBaseString,
  gateSignatureBaseString,
  signCallback,
  signGateRequest,
  verifyCallback,
  verifyGateRequest,
} from '../../src/providers/ecommpay/crypto.js'
import {
  buildPaymentPageUrl,
  parsePaymentPageQuery,
  signPaymentPageParams,
  verifyPaymentPageQuery,
} from '../../src/providers/ecommpay/payment-page-url.js'
import { verifySignature, type SignatureVerdict } from '../../src/providers/ecommpay/signature-check.js'
import {
  EMPTY_SIGNATURE_CODE,
  INVALID_SIGNATURE_CODE,
  SIGNATURE_ORDERS,
  computeSignature,
  hmacSha512Base64,
  signatureBaseString,
  type SignatureOrder,
} from '../../src/providers/ecommpay/signature.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

interface VectorFile {
  generated_by: string
  gate_bodies: Array<{ secret: string; body: JsonObject & { general: JsonObject }; signature: string }>
  callbacks: Array<{ secret: string; body: JsonObject; signature: string }>
  payment_page: Array<{ secret: string; project_id: number; url: string }>
}

const vectors = JSON.parse(readFileSync(new URL('../vectors/ecommpay.json', import.meta.url), 'utf8')) as VectorFile

// ---------------------------------------------------------------------------------------------
// Helpers: change one leaf of a body by one byte of its signed text
// ---------------------------------------------------------------------------------------------

type Path = Array<string | number>

/** Paths of every leaf whose signed text a one-byte change can alter (null signs like ""). */
function leafPaths(node: Json, path: Path = []): Path[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => leafPaths(v, [...path, i]))
  if (node !== null && typeof node === 'object') {
    return Object.entries(node)
      .filter(([k]) => k !== 'signature')
      .flatMap(([k, v]) => leafPaths(v, [...path, k]))
  }
  return node === null ? [] : [path]
}

function changedByOneByte(value: Json): Json {
  if (typeof value === 'boolean') return !value // signed as 1 / 0
  if (typeof value === 'number') {
    const text = String(value)
    const last = text.at(-1)!
    return Number(text.slice(0, -1) + (last === '9' ? '8' : String(Number(last) + 1)))
  }
  if (typeof value === 'string') {
    if (value === '') return 'x'
    return value.slice(0, -1) + (value.at(-1) === 'x' ? 'y' : 'x')
  }
  throw new Error('not a leaf')
}

function withLeafChanged<T extends Json>(data: T, path: Path): T {
  const copy = structuredClone(data)
  let node: Json = copy
  for (const segment of path.slice(0, -1)) node = (node as Record<string | number, Json>)[segment]!
  const last = path.at(-1)!
  const parent = node as Record<string | number, Json>
  parent[last] = changedByOneByte(parent[last]!)
  return copy
}

const isFrameMode = (path: Path) => path.includes('frame_mode')

/** Every one-leaf change is rejected (except frame_mode, which is never signed). */
function expectEveryLeafCovered(body: JsonObject, verifyBody: (b: JsonObject) => SignatureVerdict): void {
  const paths = leafPaths(body)
  expect(paths.length).toBeGreaterThan(0)
  for (const path of paths) {
    const verdict = verifyBody(withLeafChanged(body, path))
    if (isFrameMode(path)) {
      expect(verdict.valid, `frame_mode is not signed: ${path.join('.')}`).toBe(true)
    } else {
      expect(verdict.valid, `changed ${path.join('.')}`).toBe(false)
      expect(verdict.code).toBe(INVALID_SIGNATURE_CODE)
      expect(verdict.problem).toBe('mismatch')
    }
  }
}

function withGeneralSignature(body: JsonObject & { general: JsonObject }, signature: string): JsonObject {
  return { ...body, general: { ...body.general, signature } }
}

/** The same URL with one byte of one parameter's decoded value changed. */
function urlWithParamChanged(url: string, name: string): string {
  const [base, query] = url.split('?') as [string, string]
  const parts = query.split('&').map((pair) => {
    const [k, v = ''] = pair.split('=')
    if (k !== name) return pair
    const decoded = decodeURIComponent(v.replaceAll('+', ' '))
    return `${k}=${encodeURIComponent(changedByOneByte(decoded) as string)}`
  })
  return `${base}?${parts.join('&')}`
}

// ---------------------------------------------------------------------------------------------
// vectors/ecommpay.json: computed with ECommPay's own JS SDK (npm ecommpay@0.1.7)
// ---------------------------------------------------------------------------------------------

describe('vectors/ecommpay.json (official JS SDK)', () => {
  it('was produced by the official SDK', () => {
    expect(vectors.generated_by).toMatch(/ecommpay@0\.1\.7/)
    expect(vectors.gate_bodies).toHaveLength(5)
    expect(vectors.callbacks).toHaveLength(3)
    expect(vectors.payment_page).toHaveLength(1)
  })

  describe.each(
    vectors.gate_bodies.map((v, i) => ({ ...v, name: `gate body ${i + 1} (${v.body.general['payment_id']})` })),
  )('$name', ({ secret, body, signature }) => {
    it('reproduces the signature', () => {
      expect(computeSignature(body, secret)).toBe(signature)
      expect(hmacSha512Base64(gateSignatureBaseString(body), secret)).toBe(signature)
      const signed = signGateRequest(body, secret)
      expect(signed.general.signature).toBe(signature)
      expect(Object.keys(signed.general).at(-1)).toBe('signature')
      expect(body.general).not.toHaveProperty('signature') // input untouched
    })

    it('accepts the signed body', () => {
      const verdict = verifyGateRequest(withGeneralSignature(body, signature), secret)
      expect(verdict).toMatchObject({ valid: true, code: '0', problem: null, receivedSignature: signature })
      expect(verdict.matched?.order).toBe('sorted-lines')
    })

    it('rejects the body with any one value changed by one byte', () => {
      expectEveryLeafCovered(withGeneralSignature(body, signature), (b) => verifyGateRequest(b, secret))
    })

    it('rejects a one-byte change of the wire text', () => {
      const wire = JSON.stringify(withGeneralSignature(body, signature))
      const at = wire.indexOf('"payment_id":"') + '"payment_id":"'.length
      const tampered = wire.slice(0, at) + (wire[at] === 'Z' ? 'Y' : 'Z') + wire.slice(at + 1)
      expect(tampered).toHaveLength(wire.length)
      const verdict = verifyGateRequest(JSON.parse(tampered), secret)
      expect(verdict.valid).toBe(false)
      expect(verdict.code).toBe(INVALID_SIGNATURE_CODE)
    })
  })

  describe.each(vectors.callbacks.map((v, i) => ({ ...v, name: `callback ${i + 1}` })))(
    '$name',
    ({ secret, body, signature }) => {
      it('reproduces the signature, placed last as in the seed examples', () => {
        expect(computeSignature(body, secret)).toBe(signature)
        expect(hmacSha512Base64(callbackSignatureBaseString(body), secret)).toBe(signature)
        const signed = signCallback(body, secret)
        expect(signed.signature).toBe(signature)
        expect(JSON.stringify(signed)).toBe(`${JSON.stringify(body).slice(0, -1)},"signature":"${signature}"}`)
      })

      it('accepts the signed callback', () => {
        const verdict = verifyCallback({ ...body, signature }, secret)
        expect(verdict).toMatchObject({ valid: true, code: '0', signatureLocation: 'signature' })
      })

      it('rejects the callback with any one value changed by one byte', () => {
        expectEveryLeafCovered({ ...body, signature }, (b) => verifyCallback(b, secret))
      })
    },
  )

  it('leaves empty redirect_data.body / encrypted lists out of the signed string', () => {
    const redirect = vectors.callbacks[2]!
    expect(callbackSignatureBaseString(redirect.body)).not.toContain('redirect_data:body')
    expect(callbackSignatureBaseString(redirect.body)).toContain('redirect_data:method:GET;redirect_data:url:')
  })

  describe.each(vectors.payment_page)('Payment Page URL $url', ({ secret, url }) => {
    it('verifies the SDK URL', () => {
      const verdict = verifyPaymentPageQuery(url, secret)
      expect(verdict).toMatchObject({ valid: true, code: '0', signatureLocation: 'the "signature" query parameter' })
      expect(verifyPaymentPageQuery(new URL(url), secret).valid).toBe(true)
      expect(verifyPaymentPageQuery(new URL(url).searchParams, secret).valid).toBe(true)
    })

    it('rebuilds the URL byte for byte', () => {
      const params = parsePaymentPageQuery(url)
      const signature = params['signature']!
      delete params['signature']
      expect(signPaymentPageParams(params, secret)).toBe(signature)
      expect(buildPaymentPageUrl(params, secret)).toBe(url)
    })

    it('rejects any parameter changed by one byte', () => {
      const names = Object.keys(parsePaymentPageQuery(url)).filter((n) => n !== 'signature')
      expect(names.length).toBeGreaterThan(4)
      for (const name of names) {
        const verdict = verifyPaymentPageQuery(urlWithParamChanged(url, name), secret)
        expect(verdict.valid, name).toBe(false)
        expect(verdict.code).toBe(INVALID_SIGNATURE_CODE)
      }
    })
  })
})

// ---------------------------------------------------------------------------------------------
// research/ecommpay.md §1.4 A: official SDK unit tests (copied verbatim)
// ---------------------------------------------------------------------------------------------

const SDK_VECTORS: Array<{ id: string; source: string; secret: string; data: JsonObject; signature: string }> = [
  {
    id: 'A1',
    source: 'SDK-PHP tests/SignatureHandlerTest.php; SDK-JS __tests__/data/signed.js',
    secret: 'secret',
    data: {
      customer: { project_id: 0, id: 'sutm_id' },
      card: { pan: '4242424242424242', year: 2020, month: 8, card_holder: 'John Smith', cvv: '123', save: true },
      frame_mode: 'popup',
    },
    signature: 'lY0LTSAzpR7zGce5qfYGacOuYlHGWqkMcQlqmjlsDDZI2gVcE1qVeWANnkIR7mdOqRXJnL1kO0lUmkQ0YYLWRg==',
  },
  {
    id: 'A2',
    source: 'SDK-PHP tests/data/callback.php; SDK-JS __tests__/data/callback.js',
    secret: 'secret',
    data: { payment: { id: '000049', status: 'success' } },
    signature: '/3TrhHVz9BHaLfgLyhoxO7dsQNzbzZa/TdO3pxQocXWwgVM6tGlzMLVfpOxFNTnkR9iiFVK/77ZedMcbkCjmng==',
  },
  {
    id: 'A3',
    source: 'SDK-PY tests/test_signature_handler.py',
    secret: 'qwerty',
    data: { payment: { id: 'test-payment', status: 'success' }, some_bool_param: true, frame_mode: 'popup' },
    signature: 'TZS0J65ReNUMgKzeXUey9xOGGyC7r4OhsFXt/3H8XZM2Le8Wot2E1NIjeSPOyV1F3sUU6F3kfo9om2dhbe3ieA==',
  },
  {
    id: 'A4',
    source: 'SDK-PY tests/test_signature_handler.py (multilevel callback)',
    secret: 'qwerty',
    data: {
      payment: { id: 'test-payment' },
      errors: [
        { code: '123', message: 'grand crash', description: ['description-str', { description1: 1 }] },
        { code: '456', message: 'minor crash', description: null },
      ],
    },
    signature: 'dxjnun8oySSl0CWlhhjy/k1V9CZcCtaHvu/Y5qJQbWHq8wd6TqTUt4bIfHrlWxT8ba9NOJfkgGHrGc5OgyQVGA==',
  },
  {
    id: 'A5',
    source: 'SDK-GO signature-handler_test.go',
    secret: 'qwerty',
    data: {
      project_id: 11,
      payment_currency: 'EUR',
      frame_mode: 'popup',
      some_bool_param: true,
      two_levels_param: { param1: 1, param2: 2 },
    },
    signature: 'ehwG+e+Sq6b0QEek2hmHGUFzViX9/Xfcgnh0Ysn1+AqCY8BsKhC/Vcyr4XH8CKXW3iS0vW9S2mTwOt/0Ozf5pg==',
  },
  {
    id: 'A6',
    source: 'SDK-GO callback_test.go',
    secret: 'qwerty',
    data: { payment: { id: '11', status: 'success' } },
    signature: 'Rk9xmCfiv/BJbVrCz+oazsOOuiMqrktLVXruRLM9WJ2zmYvufwOS7uxz5Pd36kfKPqbBwKZjMs/EEzF/VsbbNw==',
  },
  {
    id: 'A7',
    source: 'SDK-JAVA SignatureHandlerTest.java',
    secret: 'qwerty',
    data: {
      payment: { id: 'test.test-payment', status: 'success', valid: true },
      'some-data': 1234,
      frame_mode: 'popup',
    },
    signature: 'Z0YwpWdNwBspA/6wicHVr4f6n0xMFuyZnAlIxnO86Zu/EIo3FZUEntClEVjulKpBrVF+HlyPEK1X41iCjbFgWg==',
  },
  {
    id: 'A8',
    source: 'SDK-JAVA TestFixtures.java (callback)',
    secret: 'qwerty',
    data: { payment: { id: 'test.test-payment', status: 'success' } },
    signature: 'OonQm2ElTzZU80dNnsrS/ulnGU/eEMg7U1jfLRiKn0zx3GmnEOP2ne/pUOJ9LkzntYT7llgRhTpbxcT3ldHyEA==',
  },
  {
    id: 'A9',
    source: 'SDK-JAVA TestFixtures.java',
    secret: 'qwerty',
    data: { payment: { status: 'success' } },
    signature: 'jRtwdhnY6bQGt39FRUVrXEBTgplUTjRpCA/37x95/c5FvdsnZMnlLUGXVRpNjKOHbawT0s9AmUy3rajlexddwQ==',
  },
  {
    id: 'A10',
    source: 'SDK-JAVA TestFixtures.java (recurring-update callback, no payment)',
    secret: 'qwerty',
    data: {
      project_id: 123,
      recurring: {
        id: 321,
        status: 'active',
        type: 'Y',
        currency: 'EUR',
        exp_year: '2025',
        exp_month: '12',
        period: 'D',
        time: '11',
      },
    },
    signature: 'AThqkBCZ6WZtY3WrMV28o7SM/vq6OIVF9qiVbELN4e/Ux59Lb5LFFnEuTq6bHa5pRvaPIkQGABXdpIrNLaeJdQ==',
  },
]

// research/ecommpay.md §1.4 D: documentation examples (copied verbatim; D3 spelled out from its description)
const D2_BODY: JsonObject & { general: JsonObject } = {
  general: { project_id: 3254, payment_id: 'id_38202316' },
  customer: {
    id: '585741',
    email: 'johndoe@example.com',
    first_name: 'John',
    last_name: 'Doe',
    address: 'Downing str., 23',
    identify: { doc_number: '54122312544' },
    ip_address: '198.51.100.47',
  },
  payment: { amount: 10800, currency: 'USD', description: 'Computer keyboards' },
  receipt_data: { positions: [{ quantity: '10', amount: '108', description: 'Computer keyboard' }] },
  return_url: {
    success: 'https://paymentpage.example.com/complete-redirect?id=success',
    decline: 'https://paymentpage.example.com/complete-redirect?id=decline',
  },
}
const D3_BODY: JsonObject & { general: JsonObject } = {
  general: { project_id: 3254, payment_id: 'id_38202316' },
  customer: {
    id: '585741',
    email: 'johndoe@mycompany.com',
    first_name: 'John',
    last_name: 'Doe',
    address: 'Downing str., 23',
    identify: { doc_number: '54122312544' },
    ip_address: '111.222.333.444',
  },
  payment: { amount: 10800, currency: 'USD', description: 'Computer keyboards' },
  receipt_data: { positions: [{ quantity: 10, amount: 108, description: 'Computer keyboard' }] },
  return_url: {
    success: 'https://paymentpage.mycompany.com/complete-redirect?id=success',
    decline: 'https://paymentpage.mycompany.com/complete-redirect?id=decline',
  },
}
const D1_PARAMS = {
  project_id: 12345,
  payment_id: 'X03936',
  payment_amount: 2035,
  payment_currency: 'USD',
  payment_description: 'Guyliner purchase',
  customer_first_name: 'Jack',
  customer_id: 'user007',
  customer_last_name: 'Sparrow',
  customer_phone: '02081234567',
  close_on_missclick: true,
}
const D4_CALLBACK: JsonObject = {
  project_id: 28051,
  payment: {
    id: '5242723',
    type: 'purchase',
    status: 'success',
    date: '2023-03-10T12:26:17+0000',
    method: 'card',
    sum: { amount: 5200, currency: 'EUR' },
    description: '',
  },
  account: {
    number: '424242******4242',
    token: 'c8175453f68ec7c8fb3f052b8d786c661261efebcb91155327a6c7b8f8e66359',
    type: 'visa',
    card_holder: 'TEST TEST',
    expiry_month: '01',
    expiry_year: '2025',
  },
  customer: { id: '782572' },
  operation: {
    id: 5028800010128225,
    type: 'sale',
    status: 'success',
    date: '2023-03-10T12:26:17+0000',
    created_date: '2023-03-10T12:26:15+0000',
    request_id: '1f6d3ac37444142f5bd27e7491faa360633fd5a2-fc98e73d475fa4cd6ee02fc6340c964f0267b3d8-05028801',
    sum_initial: { amount: 5200, currency: 'EUR' },
    sum_converted: { amount: 5200, currency: 'EUR' },
    provider: {
      id: 6,
      payment_id: '16784511766816',
      date: '2023-03-10T10:26:17+0000',
      auth_code: '563253',
      endpoint_id: 6,
    },
    code: '0',
    message: 'Success',
  },
}
const D5_DATA: JsonObject = {
  interval: { from: '2020-01-01 14:53:55', to: '2020-01-30 13:53:59' },
  limit: 3,
  offset: 0,
  project_id: [183],
  token: 'WKiarERJ5pcceNerpM9R5TNnyPTQMl',
  tz: 'Asia/Singapore',
}

const DOC_VECTORS: Array<{ id: string; data: JsonObject; signature: string }> = [
  {
    id: 'D1 (Payment Page example)',
    data: D1_PARAMS,
    signature: 'SyA3cx/dmFrwjRcpbnwEK9zaklWKR9buIfTctQob/EHUTutFLpI0zWpSDFEWEwbZt/04i83395RCdEhtUMw83A==',
  },
  {
    id: 'D2 (Gate request example)',
    data: D2_BODY,
    signature: 'lagSnuspAn+F6XkmQISqwtBg0PsiTy62fF9x33TM+278mnufIDZyi1yP0BQALuCxyikkIxIMbodBn2F8hMdRwA==',
  },
  {
    id: 'D3 (Gate request, older variant)',
    data: D3_BODY,
    signature: 'VLLZzVNGevQNhr1b4TEhbC4qqHD17Kyn/M6FPNN93ttyk/amJgD/R6dayTKVvW6/QCRdq4hOf8R2w/xbUa8f2w==',
  },
  {
    id: 'D4 (callback example)',
    data: D4_CALLBACK,
    signature: 'Y0qjN9dDnPTdddkVvXKS1pGp2z8ZpIl60P1CocND3YRxuBNx05ZMnhUaGFt90fPzgwsI/UpLw0q2RR/XTiDQBg==',
  },
  {
    id: 'D5 (Data API example)',
    data: D5_DATA,
    signature: 'Ini3aKje6aZskajTuRS761YOzVqierlVRafZdxIz48wmVnL7yxgy9vDsp7T2/LGPGHJ/DHoKOgP7VqObJALrUA==',
  },
]

describe('research §1.4 A: official SDK unit-test vectors', () => {
  describe.each(SDK_VECTORS)('$id — $source', ({ secret, data, signature }) => {
    it('reproduces the signature', () => {
      expect(computeSignature(data, secret)).toBe(signature)
    })

    it('verifies it (as data and as a callback)', () => {
      expect(verifySignature(data, signature, secret).valid).toBe(true)
      expect(verifyCallback({ ...data, signature }, secret).valid).toBe(true)
      // The general.signature layout: the SDKs strip it, and the then-empty general signs nothing.
      expect(verifyCallback({ ...data, general: { signature } }, secret)).toMatchObject({
        valid: true,
        signatureLocation: 'general.signature',
      })
    })

    it('rejects any one value changed by one byte', () => {
      expectEveryLeafCovered({ ...data, signature }, (b) => verifyCallback(b, secret))
    })
  })
})

describe('research §1.4 D: documentation examples (secret "secret")', () => {
  describe.each(DOC_VECTORS)('$id', ({ data, signature }) => {
    it('reproduces the signature and verifies it', () => {
      expect(computeSignature(data, 'secret')).toBe(signature)
      expect(verifySignature(data, signature, 'secret').valid).toBe(true)
    })

    it('rejects any one value changed by one byte', () => {
      expectEveryLeafCovered(data, (b) => verifySignature(b, signature, 'secret'))
    })
  })

  it('D1 gives the documented signing string and works as a Payment Page URL', () => {
    expect(signatureBaseString(D1_PARAMS)).toBe(
      'close_on_missclick:1;customer_first_name:Jack;customer_id:user007;customer_last_name:Sparrow;customer_phone:02081234567;payment_amount:2035;payment_currency:USD;payment_description:Guyliner purchase;payment_id:X03936;project_id:12345',
    )
    const signature = 'SyA3cx/dmFrwjRcpbnwEK9zaklWKR9buIfTctQob/EHUTutFLpI0zWpSDFEWEwbZt/04i83395RCdEhtUMw83A=='
    expect(signPaymentPageParams(D1_PARAMS, 'secret')).toBe(signature)
    const url = buildPaymentPageUrl(D1_PARAMS, 'secret')
    expect(url).toContain('close_on_missclick=1&')
    expect(url.endsWith(`&signature=${encodeURIComponent(signature)}`)).toBe(true)
    expect(verifyPaymentPageQuery(url, 'secret').valid).toBe(true)
  })

  it('D2 and D3 verify as Gate requests carrying general.signature', () => {
    const d2 = withGeneralSignature(D2_BODY, DOC_VECTORS[1]!.signature)
    const d3 = withGeneralSignature(D3_BODY, DOC_VECTORS[2]!.signature)
    expect(verifyGateRequest(d2, 'secret').valid).toBe(true)
    expect(verifyGateRequest(d3, 'secret').valid).toBe(true)
    expectEveryLeafCovered(d2, (b) => verifyGateRequest(b, 'secret'))
  })

  it('D4 rejects the deliberately wrong signature the docs print (starts with IszjSnH+)', () => {
    const verdict = verifyCallback({ ...D4_CALLBACK, signature: 'IszjSnH+' + 'A'.repeat(78) + '==' }, 'secret')
    expect(verdict.valid).toBe(false)
  })
})

// ---------------------------------------------------------------------------------------------
// research/ecommpay.md §1.4 A: flattening-only vectors; §1.4 E: derived fixtures (not official)
// ---------------------------------------------------------------------------------------------

describe('research §1.4: flattening vectors', () => {
  it('SDK-JS __tests__/converter.js', () => {
    const input: JsonObject = {
      0: null,
      a: { b: 1, c: 2 },
      d: false,
      f: ['g', { h: 7, i: { k: 8 } }],
      e: [4, 5],
      l: { m: [{ n: 9 }] },
    }
    const expected = '0:;a:b:1;a:c:2;d:0;e:0:4;e:1:5;f:0:g;f:1:h:7;f:1:i:k:8;l:m:0:n:9'
    for (const order of SIGNATURE_ORDERS) expect(signatureBaseString(input, { order }), order).toBe(expected)
  })

  it('SDK-GO signature-handler_test.go', () => {
    const input: JsonObject = {
      a: { b: 1111111111111111, c: 2 },
      d: false,
      f: ['g', { h: 7, i: { k: 8 } }],
      e: [4, 5],
      j: null,
    }
    expect(signatureBaseString(input)).toBe('a:b:1111111111111111;a:c:2;d:0;e:0:4;e:1:5;f:0:g;f:1:h:7;f:1:i:k:8;j:')
  })

  it('A4 multilevel callback', () => {
    expect(signatureBaseString(SDK_VECTORS[3]!.data)).toBe(
      'errors:0:code:123;errors:0:description:0:description-str;errors:0:description:1:description1:1;errors:0:message:grand crash;errors:1:code:456;errors:1:description:;errors:1:message:minor crash;payment:id:test-payment',
    )
  })

  it('E1–E3 (derived by the research author, not official)', () => {
    const e1: JsonObject & { general: JsonObject } = {
      general: { project_id: 12345, payment_id: 'inr_0001' },
      customer: {
        id: 'cust_1',
        ip_address: '198.51.100.47',
        first_name: 'Asha',
        last_name: 'Rao',
        email: 'asha@example.com',
      },
      account: { bank_id: 1234 },
      payment: { amount: 150000, currency: 'INR', description: 'Order 1' },
      return_url: { success: 'https://shop.example/ok', decline: 'https://shop.example/fail' },
    }
    expect(gateSignatureBaseString(e1)).toBe(
      'account:bank_id:1234;customer:email:asha@example.com;customer:first_name:Asha;customer:id:cust_1;customer:ip_address:198.51.100.47;customer:last_name:Rao;general:payment_id:inr_0001;general:project_id:12345;payment:amount:150000;payment:currency:INR;payment:description:Order 1;return_url:decline:https://shop.example/fail;return_url:success:https://shop.example/ok',
    )
    expect(signGateRequest(e1, 'secret').general.signature).toBe(
      'DNy9kKXBZUScoNIaFasm7bZb4Hf+bH51yXTkbofmIcc/X6Zr1E//+/InljDI7RPxEaerCgT73EsN/bmSm8ykBQ==',
    )
    expect(computeSignature({ general: { project_id: 12345, payment_id: 'inr_0001' } }, 'secret')).toBe(
      'GBLvJVuVYHmZ6kGFsle8/A8HIUgzRdskejt+Bc5yvbVz/Hd8nuKGVW/LmGhioanIF27nmeeViBBN26xRgSCSPw==',
    )
    expect(signatureBaseString({ a: [], b: {}, c: '', d: false, 'e:f': 1 })).toBe('c:;d:0;e::f:1')
    expect(signatureBaseString({ a: [], b: {}, c: '', d: false, 'e:f': 1 }, { escapeColons: false })).toBe(
      'c:;d:0;e:f:1',
    )
  })
})

// ---------------------------------------------------------------------------------------------
// research/ecommpay.md §1.4 B: Payment Page URL vectors
// ---------------------------------------------------------------------------------------------

describe('research §1.4 B: Payment Page URLs', () => {
  it('B1 (SDK-PHP tests/PaymentPageTest.php): builds the URL byte for byte and verifies it', () => {
    const url =
      'https://paymentpage.ecommpay.com/payment?project_id=100&interface_type=%7B%22id%22%3A23%7D&payment_id=test+payment+id&payment_description=B%26W&signature=97JFQpAyJ4HPfGVedJh0M1MqQDOFt%2FMCbdh8VrsT7DdRyTBDAF2mvUOsDANx1ZPfbvZg0%2BVUbF43xJnq0jEeLA%3D%3D'
    const params = {
      project_id: 100,
      interface_type: '{"id":23}',
      payment_id: 'test payment id',
      payment_description: 'B&W',
    }
    expect(signPaymentPageParams(params, 'secret')).toBe(
      '97JFQpAyJ4HPfGVedJh0M1MqQDOFt/MCbdh8VrsT7DdRyTBDAF2mvUOsDANx1ZPfbvZg0+VUbF43xJnq0jEeLA==',
    )
    expect(buildPaymentPageUrl(params, 'secret', { encoding: 'form' })).toBe(url)
    expect(verifyPaymentPageQuery(url, 'secret')).toMatchObject({ valid: true, code: '0' })
    // the same parameters with %20 instead of + (JS style) verify too
    expect(verifyPaymentPageQuery(url.replaceAll('+', '%20'), 'secret').valid).toBe(true)
    expect(verifyPaymentPageQuery(url.replace('B%26W', 'B%26V'), 'secret').valid).toBe(false)
  })

  it('B2 (SDK-GO payment-page_test.go): signs the boolean as 1 and accepts the Go URL that says "true"', () => {
    const signature = '+NGChjO/3L6vSJkEUSXBDPJBSUuEu4rXw4wtAoXiTDATSMerNixVYKdh9Cg2jTXSu1Ez9R+LxX/ioWr70Tlxew=='
    const params = {
      project_id: 11,
      payment_id: 'test_payment_id',
      payment_currency: 'EUR',
      payment_amount: 1000,
      some_future_bool_param: true,
      interface_type: '{"id": 20}',
    }
    expect(signPaymentPageParams(params, 'qwerty')).toBe(signature)
    // What Go's url.QueryEscape produces, parameters in any order, the boolean written as "true".
    const goUrl =
      'https://paymentpage.ecommpay.com/payment?payment_amount=1000&some_future_bool_param=true&interface_type=%7B%22id%22%3A+20%7D' +
      `&project_id=11&payment_id=test_payment_id&payment_currency=EUR&signature=${encodeURIComponent(signature)}`
    const verdict = verifyPaymentPageQuery(goUrl, 'qwerty')
    expect(verdict.valid).toBe(true)
    expect(verdict.explanation).toMatch(/"true"\/"false" signed as 1\/0/)
    expect(verifyPaymentPageQuery(goUrl.replace('payment_amount=1000', 'payment_amount=1001'), 'qwerty').valid).toBe(
      false,
    )
  })

  it('B3 (SDK-JAVA TestFixtures.java)', () => {
    const params = {
      project_id: 60481,
      payment_id: 'test_payment',
      interface_type: '{"id": 21}',
      best_before: '2200-12-12T12:12:12+03:00',
    }
    const signature = 'xdIXTiffRnObgBtT6YVSn10lvtdZQznyBDL2aafvTETigagUr5iof6CYCv097qoJDRROGGH4xNb+aF2GRTgA9Q=='
    expect(signPaymentPageParams(params, 'qwerty')).toBe(signature)
    const url = buildPaymentPageUrl(params, 'qwerty', { encoding: 'form' })
    expect(verifyPaymentPageQuery(url, 'qwerty').valid).toBe(true)
    expect(verifyPaymentPageQuery(urlWithParamChanged(url, 'best_before'), 'qwerty').valid).toBe(false)
  })

  it('another SDK-JAVA fixture URL (TestFixtures.compareParams, newer version) verifies as sent', () => {
    const url =
      'https://paymentpage.ecommpay.com/payment?project_id=123&payment_id=test_payment&account_token=qwerty&interface_type=%7B%22id%22%3A+21%7D&best_before=2200-12-12T12%3A12%3A12%2B03%3A00&signature=Isx3ivYhho57twVTh943HLLger8nUAxu8599dbieXVnbQHgl5FJ%2BUrMohHXUW3uZ16qBam%2F4nvxeFZUvaSF6gg%3D%3D'
    expect(verifyPaymentPageQuery(url, 'qwerty').valid).toBe(true)
    expect(buildPaymentPageUrl(parsePaymentPageQuery(url), 'qwerty', { encoding: 'form' })).toBe(url)
  })

  it('ignores frame_mode and _-prefixed parameters added after signing; accepts them when signed (JS SDK)', () => {
    const params = {
      project_id: 112,
      payment_id: 'P1',
      payment_amount: 100000,
      payment_currency: 'INR',
      customer_id: 'c1',
    }
    const url = buildPaymentPageUrl(params, 'kHRhsQHHhOUHeD+rt4kgH7OZiwE=')
    expect(
      verifyPaymentPageQuery(`${url}&frame_mode=popup&_plugin_version=5.0.0`, 'kHRhsQHHhOUHeD+rt4kgH7OZiwE=').valid,
    ).toBe(true)
    // A JS SDK merchant who sets _x before signing signs it too.
    const jsSigned = computeSignature({ ...params, _x: '1' }, 'kHRhsQHHhOUHeD+rt4kgH7OZiwE=')
    const q = `project_id=112&payment_id=P1&payment_amount=100000&payment_currency=INR&customer_id=c1&_x=1&signature=${encodeURIComponent(jsSigned)}`
    expect(verifyPaymentPageQuery(q, 'kHRhsQHHhOUHeD+rt4kgH7OZiwE=').valid).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------
// research/ecommpay.md §1.4 C: SDK-PHP tests/data/callbackFormats.php (secret "123"), general.signature
// ---------------------------------------------------------------------------------------------

const CALLBACK_FORMATS: string[] = [
  '{"general":{"signature":"R5wq+3/y4lG9ty5sHR6MuscWBRg/bzAo9dxlMkVOUhQ+KpS7FwHMx+5saiLQnn90Rl7rhp1U37dgThSorpn1Ew==","project_id":"[2] projectId"},"request":{"action":"[36] action","errors":"[38] errors","id":"[3] requestId","status":"[37] status"},"customer":{"id":"[18] userLogin"},"token_status":"[71] status","token_created_at":"[70] created_at","token":"[68] tokenString"}',
  '{"general":{"signature":"+XNqUNPEo/mr1I3H/tGRCnNoWxqyqpzQIRIWv3eXfEzhfrqdZXHKHOWYlVryp1WayLTImLSqNUaDoqi3/G/y9w=="},"project_id":"[2] projectId","recurring":{"id":"[100] id","status":"[101] status","type":"[102] type","currency":"[107] currency","exp_year":"[103] exp_year","exp_month":"[104] exp_month","period":"[105] period","time":"[106] time"}}',
  '{"general":{"signature":"NpJuOiG6jSzh6CDNBYT9fqKZs9PkaXZQr3aqaN5yTvZdFj1sJaqWEhl1o4wCxyen2w0VhwdJ8p6ddplEqMWhUg==","project_id":"[2] projectId"},"card":{"exp_month":"[73] month","exp_year":"[72] year","holder":"[74] holderName","number":"[21] cardPanMasked"},"request":{"action":"[36] action","errors":"[38] errors","status":"[37] status","id":"[3] requestId"},"customer":{"id":"[18] userLogin"},"token_status":"[71] status","token_created_at":"[70] created_at","token":"[68] tokenString"}',
  '{"general":{"project_id":"[2] projectId","signature":"OIRodGzsjGGrrKpvH0hOE64zNKBrS7SvGbzxYSyhLmsoPCv2KuFXXQ6LXML7UnZWyLsvHfNV5TS0x4zmP0vXCw=="},"card":{"exp_month":"[73] month","exp_year":"[72] year","holder":"[74] holderName","number":"[21] cardPanMasked","country":"[86] country","issuer_name":"[88] issuer_name"},"request":{"action":"[36] action","errors":"[38] errors","status":"[37] status","id":"[3] requestId"},"customer":{"id":"[18] userLogin"},"token_status":"[71] status","token_created_at":"[70] created_at","token":"[68] tokenString"}',
  '{"general":{"signature":"O5nJHj7yS4/6XC81VijFZFtEVhr6+OJ8Rb4FaRmHWR9Ti2H9L9jcvS8f9x2hQ5NgQQwlsEocrTb+YrDfnsSVHQ=="},"project_id":"[2] projectId","payment":{"id":"[40] paymentId","type":"[26] transactionType","status":"[27] transactionStatus","description":"[44] description","date":"[30] internalProcessingDateTime","method":"[17] paymentMethodTitle","sum":"[23] transactionSum","merchant_refund_id":"[451] merchantRefundId"},"account":{"token":"[41] token","number":"[56] accountNumber"},"customer":{"id":"[18] userLogin","phone":"[76] phone"},"clarification_fields":"[82] clarificationFields","avs_result":"[83] avsResult","provider_extra_fields":"[90] providerExtraFields","recurring":{"id":"[100] id","currency":"[107] currency","valid_thru":"[108] valid_thru"},"operation":{"id":"[192] operation_id","type":"[193] operation_type","status":"[194] operation_status","date":"[195] operation_date","created_date":"[196] operation_created_date","request_id":"[197] operation_request_id","sum_initial":{"amount":"[198] operation_sum_initial_amount","currency":"[199] operation_sum_initial_currency"},"sum_converted":{"amount":"[200] operation_sum_converted_amount","currency":"[201] operation_sum_converted_currency"},"code":"[202] operation_code","message":"[203] operation_message","eci":"[205] operation_eci","provider":{"id":"[206] operation_provider_id","payment_id":"[207] operation_provider_payment_id","auth_code":"[210] operation_provider_auth_code","endpoint_id":"[211] operation_provider_endpoint_id","date":"[212] operation_provider_date"}}}',
  '{"general":{"signature":"Cm0L/+dLPg6Au/jEG0yr1FktzA1QwojRp95R9o5O4Wxx6MzjwTrso5B4rBXekM/fp5znut0WVGLFGG+TtJjuHQ=="},"redirectData":{"method":"GET","body":[],"encrypted":[],"url":"url data"},"payment":{"id":"qwerty123"}}',
  '{"general":{"signature":"FZWW+aSwLzMDpS7A1IVNZ6uLYHphXIX8e9zdkHQB9IAqqWXKB5f/21vci2dv3h+kIB2kqTY2OKZCURs6v0th/w=="},"operation":{"sum_initial":{"amount":"[198] operation_sum_initial_amount","currency":"[199] operation_sum_initial_currency"},"sum_converted":{"amount":"[200] operation_sum_converted_amount","currency":"[201] operation_sum_converted_currency"},"eci":"[205] operation_eci","provider":{"id":"[206] operation_provider_id","payment_id":"[207] operation_provider_payment_id","auth_code":"[210] operation_provider_auth_code","endpoint_id":"[211] operation_provider_endpoint_id","date":"[212] operation_provider_date"},"id":"[192] operation_id","type":"[193] operation_type","status":"[194] operation_status","date":"[195] operation_date","created_date":"[196] operation_created_date","request_id":"[197] operation_request_id"},"customer":{"phone":"[76] phone","id":"[18] userLogin"},"recurring":{"id":"[100] id","currency":"[107] currency","valid_thru":"[108] valid_thru"},"provider_extra_fields":"[90] providerExtraFields","clarification_fields":"[82] clarificationFields","avs_result":"[83] avsResult","account":{"token":"[41] token","number":"[56] accountNumber"},"project_id":"[2] projectId","payment":{"id":"[40] paymentId","type":"[26] transactionType","status":"[27] transactionStatus","description":"[44] description","date":"[30] internalProcessingDateTime","method":"[17] paymentMethodTitle","sum":"[23] transactionSum"},"errors":"[38] errors"}',
  '{"general":{"project_id":"[43] site_id","payment_id":"[39] order_id","signature":"q1aOeD+qH3L050pmRbw65p6vmUqMKT6f0hu1xGgMuh77Z9wDQvV7ySDH1y/mjFqy9Sc1qbnLDp2U83U8bWarIg=="},"threeds2":"[171] threeds2","display_data":"[141] displayData","additional_terminal_data":"[127] terminalAdditionalInfo","payment":{"cascading_with_redirect":"[125] cascadingRedirect","is_new_attempts_available":"[66] isNewAttemptsAvailable","attempts_timeout":"[67] attemptsTimeout","provider_id":"[45] id","status":"[57] transactionStatusNonMapped","id":"[40] paymentId","method":"[17] paymentMethodTitle","date":"[30] internalProcessingDateTime","result_code":"[33] processorCode","result_message":"[34] processorMessage","split_with_redirect":"[381] splitWithRedirect"},"provider_extra_fields":"[90] providerExtraFields","rrn":"[110] rrn","AuthCode":"[31] authCode","return_url":"[113] redirectData","qr_code":"[114] qrCodeData","acs":"[12] acsData","clarification_fields":"[82] clarificationFields","avs_result":"[83] avsResult","account":{"number":"[56] accountNumber","token":"[41] token"},"customer":{"id":"[18] userLogin"},"errors":"[38] errors","request_id":"[3] requestId","transaction":{"id":"[1] transactionId","date":"[30] internalProcessingDateTime","type":"[26] transactionType"},"description":"[44] description","sum_request":{"amount":"[48] amount_incoming","currency":"[49] currency_incoming"},"sum_real":{"amount":"[24] transactionAmountChannel","currency":"[25] transactionCurrencyChannel"},"sum_refund":{"amount":"[46] transactionAmountRefund","currency":"[47] transactionCurrencyRefund"}}',
]

describe('research §1.4 C: callback layouts with general.signature (SDK-PHP callbackFormats.php)', () => {
  it.each(CALLBACK_FORMATS.map((text, i) => ({ i: i + 1, text })))(
    'layout $i verifies; any changed value is rejected',
    ({ text }) => {
      const body = JSON.parse(text) as JsonObject
      const verdict = verifyCallback(body, '123')
      expect(verdict).toMatchObject({ valid: true, signatureLocation: 'general.signature' })
      expectEveryLeafCovered(body, (b) => verifyCallback(b, '123'))
    },
  )

  it('sorts case-sensitively: AuthCode before account', () => {
    const base = callbackSignatureBaseString(withoutGeneral(JSON.parse(CALLBACK_FORMATS[7]!) as JsonObject))
    expect(base.indexOf('AuthCode:')).toBeLessThan(base.indexOf('account:'))
  })
})

function withoutGeneral(body: JsonObject): JsonObject {
  const { general: _general, ...rest } = body
  return rest
}

// SDK-JAVA TestFixtures.java (newer version): callbackDataWithArray, lists of objects with booleans.
it('SDK-JAVA callbackDataWithArray verifies', () => {
  const body: JsonObject = {
    errors: [
      { message: 'error1', code: 1, fail: true },
      { message: 'error2', code: 2, fail: false },
      { message: 'error3', code: 3, fail: { 'sub-fail': { test: 1 } } },
    ],
    sum_converted: { amount: 10000, currency: 'EUR' },
    signature: 'oXF9a0F80FBkT5plV1aVcQIVSWr3l07StkQ2izUKmy//H2S9gMX982Kgm4tXB4+Ze1S5E1jeKhwheIgYMZ4J+w==',
  }
  expect(verifyCallback(body, 'qwerty').valid).toBe(true)
  expectEveryLeafCovered(body, (b) => verifyCallback(b, 'qwerty'))
})

// ---------------------------------------------------------------------------------------------
// Where the SDKs' orders disagree: every order is accepted, the documented one is produced
// ---------------------------------------------------------------------------------------------

describe('SDK line orders', () => {
  // research §1.3: a 12-item list signed with "secret". Its "natural" value is the PHP SDK's; its
  // "plain" value is the Python SDK's key order (x:1, x:10, x:11, x:2). Whole-line byte order
  // (x:0, x:10, x:11, x:1: ':' sorts after digits) gives a third value, computed once in a scratch
  // directory with Java's Collections.sort as SDK-JAVA's SignatureHandler does (and with Python's sorted()).
  const TWELVE = { x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }
  const TWELVE_NUMERIC = 'TUZR32jYt9ZqltUyV0uNJ2qSgCVtEXAE9l3O8fhvNTqKULHefPpcH5n1MgQi5fTrj+im27Z1K5IRDM9UcaIYrg=='
  const TWELVE_PYTHON = 'vbyT/mRy0HTswTlDTiJXDgBxiqZvIZk+PcFvGZxrit/AztfYh40cB/OGI3ju6D1wX/9xYE0IKwFxcXOBothqWA=='
  const TWELVE_LINES = 'r8EsrO/MnrvSe07tHP4w1LlMb8tgOb1teM7RXkmgVskm1avJu/PvNg4mEPCljUga7aWZDbezJSq5YMLjoqmhiA=='

  it('research §1.3 12-item list: produces whole-line byte order, accepts all three SDK values', () => {
    expect(signatureBaseString(TWELVE)).toBe(
      'x:0:0;x:10:10;x:11:11;x:1:1;x:2:2;x:3:3;x:4:4;x:5:5;x:6:6;x:7:7;x:8:8;x:9:9',
    )
    expect(computeSignature(TWELVE, 'secret')).toBe(TWELVE_LINES)
    expect(hmacSha512Base64(signatureBaseString(TWELVE, { order: 'php-natural-keys' }), 'secret')).toBe(TWELVE_NUMERIC)
    // The real JS SDK (ecommpay@0.1.7) also yields the numeric order: its per-level copy enumerates
    // integer-like keys numerically, although it sorts them as strings first.
    expect(hmacSha512Base64(signatureBaseString(TWELVE, { order: 'js-per-level' }), 'secret')).toBe(TWELVE_NUMERIC)
    expect(hmacSha512Base64(signatureBaseString(TWELVE, { order: 'python-keys' }), 'secret')).toBe(TWELVE_PYTHON)
    const matchedOrder = (signature: string) => verifyCallback({ ...TWELVE, signature }, 'secret').matched?.order
    expect(matchedOrder(TWELVE_LINES)).toBe('sorted-lines')
    expect(matchedOrder(TWELVE_NUMERIC)).toBe('php-natural-keys')
    expect(matchedOrder(TWELVE_PYTHON)).toBe('python-keys')
    const natural = verifyCallback({ ...TWELVE, signature: TWELVE_NUMERIC }, 'secret')
    expect(natural.explanation).toMatch(/It matched only with lines in the PHP SDK's natural key order.*may reject it/)
    expect(
      verifyCallback({ x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12], signature: TWELVE_NUMERIC }, 'secret').valid,
    ).toBe(false)
  })

  // Computed once in a scratch directory: "php" = PHP 8.2.36 running SDK-PHP's
  // SignatureHandler::getParamsToSign + sign; "js" = npm ecommpay@0.1.7 src/signer.js. Secret "secret".
  const CROSS: Array<{ name: string; data: JsonObject; php: [string, string]; js: [string, string]; bytes: string }> = [
    {
      name: 'key that is a prefix of its siblings',
      data: { a: 1, a0: 2, 'a-b': 3, 'a.c': 4 },
      php: [
        'a:1;a-b:3;a.c:4;a0:2',
        '7Ty0qAbRMjmZx+V/9VOz1hHbDuZaxdlHkUScM6bBhKSR+2gTyMozB1/adKs7KOqX0KrX8wfRjQRRkO+hAjyJ0g==',
      ],
      js: [
        'a:1;a-b:3;a.c:4;a0:2',
        '7Ty0qAbRMjmZx+V/9VOz1hHbDuZaxdlHkUScM6bBhKSR+2gTyMozB1/adKs7KOqX0KrX8wfRjQRRkO+hAjyJ0g==',
      ],
      bytes: 'a-b:3;a.c:4;a0:2;a:1',
    },
    {
      name: 'natural-order corner cases (leading zero, space, case, non-ASCII)',
      data: { k: { v2: 1, v10: 2, v02: 3, 'v 1': 4, V3: 5, é: 6, z: 7 } },
      php: [
        'k:V3:5;k:v02:3;k:v 1:4;k:v2:1;k:v10:2;k:z:7;k:é:6',
        'hG1K6N49a6NIdSvX9X0S6l0ChV/SfU6EKNGtV0pIKuScDxNCRwV4QR3gTRCoUtlV/IXbQvRuaQyU+4amunvesA==',
      ],
      js: [
        'k:V3:5;k:v 1:4;k:v02:3;k:v10:2;k:v2:1;k:z:7;k:é:6',
        'uPQsc52kM4NF4yu01yeB45vtG0mdBSvJigXpEUQTr+DpUNl6tbZH/lDWzhHpCZWtL42zsqIPeJ071mVev/TkCw==',
      ],
      bytes: 'k:V3:5;k:v 1:4;k:v02:3;k:v10:2;k:v2:1;k:z:7;k:é:6',
    },
    {
      name: 'colons inside keys (PHP doubles them, JS does not)',
      data: { 'e:f': 1, e: { f: 2 }, 'x:y': { z: [true, null] } },
      php: [
        'e::f:1;e:f:2;x::y:z:0:1;x::y:z:1:',
        'Cw7vw25uweSfVkZIALMQ99EzpochGGty/W+Go1ZE+VHCmgaxBZDw2eedhRTncgVg8mNpCkcl9S7o5On2AEBsSw==',
      ],
      js: [
        'e:f:2;e:f:1;x:y:z:0:1;x:y:z:1:',
        '2JKENwfRAGtZjWjQKLUoq8EIkupxtNFq2FKOgc9FvLx60WIfbHNnN1QS46vr385O3IWVEFN7DLdwJ+R/f07lFQ==',
      ],
      bytes: 'e::f:1;e:f:2;x::y:z:0:1;x::y:z:1:',
    },
    {
      name: '12-item list of mixed items, frame_mode at two depths',
      data: {
        list: [{ n: 'a' }, { n: 'b' }, 2, 3, 4, 5, 6, 7, 8, 9, 'ten', 'eleven'],
        frame_mode: 'popup',
        nested: { frame_mode: 'x', ok: 'y' },
      },
      php: [
        'list:0:n:a;list:1:n:b;list:2:2;list:3:3;list:4:4;list:5:5;list:6:6;list:7:7;list:8:8;list:9:9;list:10:ten;list:11:eleven;nested:ok:y',
        'TDez5tXHCjZsOtm/4uubl1NhShl6CAlMMi6EpWzrNuwLhUQ1zUX2i1JzNtDw0fXbMihqII1sFIqmkxdrSjkIUA==',
      ],
      js: [
        'list:0:n:a;list:1:n:b;list:2:2;list:3:3;list:4:4;list:5:5;list:6:6;list:7:7;list:8:8;list:9:9;list:10:ten;list:11:eleven;nested:ok:y',
        'TDez5tXHCjZsOtm/4uubl1NhShl6CAlMMi6EpWzrNuwLhUQ1zUX2i1JzNtDw0fXbMihqII1sFIqmkxdrSjkIUA==',
      ],
      bytes:
        'list:0:n:a;list:10:ten;list:11:eleven;list:1:n:b;list:2:2;list:3:3;list:4:4;list:5:5;list:6:6;list:7:7;list:8:8;list:9:9;nested:ok:y',
    },
  ]

  describe.each(CROSS)('$name', ({ data, php, js, bytes }) => {
    it('reproduces PHP SDK and JS SDK strings and signatures', () => {
      expect(signatureBaseString(data, { order: 'php-natural-keys' })).toBe(php[0])
      expect(hmacSha512Base64(php[0], 'secret')).toBe(php[1])
      expect(signatureBaseString(data, { order: 'js-per-level', escapeColons: false })).toBe(js[0])
      expect(hmacSha512Base64(js[0], 'secret')).toBe(js[1])
      expect(signatureBaseString(data)).toBe(bytes)
    })

    it("accepts both SDKs' signatures, rejects them after a one-byte change", () => {
      for (const signature of [php[1], js[1], computeSignature(data, 'secret')]) {
        expect(verifySignature(data, signature, 'secret').valid).toBe(true)
        expect(verifyCallback({ ...data, signature }, 'secret').valid).toBe(true)
        expectEveryLeafCovered({ ...data, signature }, (b) => verifyCallback(b, 'secret'))
      }
    })
  })

  it('names every order it knows', () => {
    const orders: SignatureOrder[] = [...SIGNATURE_ORDERS]
    expect(orders).toEqual(['sorted-lines', 'php-natural-keys', 'js-per-level', 'python-keys'])
  })
})

// ---------------------------------------------------------------------------------------------
// Explanations for the journal
// ---------------------------------------------------------------------------------------------

describe('mismatch explanations', () => {
  const secret = 'kHRhsQHHhOUHeD+rt4kgH7OZiwE='
  const vector = vectors.gate_bodies[0]!
  const expectedBase =
    'account:bank_code:SBIN0000001;account:bank_id:403;account:customer_name:John Waynen;account:number:5588994446666;customer:id:24900;customer:ip_address:1.2.3.4;general:payment_id:ORDER_I1558600157;general:project_id:112;payment:amount:150000;payment:currency:INR'

  it('a changed body: code 3261, the expected base string, the expected signature', () => {
    const tampered = withGeneralSignature(
      { ...vector.body, payment: { amount: 150001, currency: 'INR' } },
      vector.signature,
    )
    const verdict = verifyGateRequest(tampered, secret, { secretLabel: 'project 112' })
    expect(verdict).toMatchObject({
      valid: false,
      code: INVALID_SIGNATURE_CODE,
      problem: 'mismatch',
      receivedSignature: vector.signature,
    })
    expect(verdict.expectedBaseString).toBe(expectedBase.replace('payment:amount:150000', 'payment:amount:150001'))
    expect(verdict.explanation).toContain('Invalid signature (ECommPay code 3261)')
    expect(verdict.explanation).toContain('project 112')
    expect(verdict.explanation).toContain(`Expected signature base string`)
    expect(verdict.explanation).toContain(verdict.expectedBaseString!)
    expect(verdict.explanation).toContain(verdict.expectedSignature!)
    expect(verdict.explanation).not.toContain(secret)
  })

  it('a missing signature: code 3262, says where it belongs, shows what to sign', () => {
    const verdict = verifyGateRequest(vector.body, secret)
    expect(verdict).toMatchObject({
      valid: false,
      code: EMPTY_SIGNATURE_CODE,
      problem: 'missing-signature',
      expectedBaseString: expectedBase,
      expectedSignature: vector.signature,
    })
    expect(verdict.explanation).toContain('general.signature')
    expect(verifyGateRequest(withGeneralSignature(vector.body, ''), secret).code).toBe(EMPTY_SIGNATURE_CODE)
  })

  it('a signature at the top level of a Gate body is pointed out', () => {
    const verdict = verifyGateRequest({ ...vector.body, signature: vector.signature }, secret)
    expect(verdict.code).toBe(EMPTY_SIGNATURE_CODE)
    expect(verdict.explanation).toMatch(/top-level "signature" was found/)
    expect(verdict.expectedBaseString).toBe(expectedBase)
  })

  it.each([
    ['hex', Buffer.from(vector.signature, 'base64').toString('hex'), /hex/],
    ['HMAC-SHA256', hmacSha256Base64(expectedBase, secret), /HMAC-SHA256/],
    ['URL-safe Base64', Buffer.from(vector.signature, 'base64').toString('base64url'), /URL-safe Base64/],
    ['a trailing ";"', hmacSha512Base64(`${expectedBase};`, secret), /trailing ";"/],
    ['unsorted lines', hmacSha512Base64(unsortedBase(vector.body), secret), /not sorted/],
  ])('diagnoses %s', (_name, received, cause) => {
    const verdict = verifyGateRequest(withGeneralSignature(vector.body, received), secret)
    expect(verdict.valid).toBe(false)
    expect(verdict.explanation).toMatch(cause)
  })

  it('diagnoses booleans signed as words and null signed as "null"', () => {
    const data = { payment: { id: 'P1', flag: true, note: null } }
    const words = hmacSha512Base64('payment:flag:true;payment:id:P1;payment:note:', 'secret')
    expect(verifySignature(data, words, 'secret').explanation).toMatch(/booleans were signed as "true"\/"false"/)
    const nullWord = hmacSha512Base64('payment:flag:1;payment:id:P1;payment:note:null', 'secret')
    expect(verifySignature(data, nullWord, 'secret').explanation).toMatch(/null was signed as the word "null"/)
  })

  it('diagnoses a Payment Page signature whose "+" became a space, and signed encoded values', () => {
    const params = {
      project_id: 112,
      payment_id: 'A B/C',
      payment_amount: 1000,
      payment_currency: 'INR',
      customer_id: 'c1',
    }
    const signature = signPaymentPageParams(params, secret)
    expect(signature).toContain('+')
    const unencoded = buildPaymentPageUrl(params, secret).replace(/signature=.*$/, `signature=${signature}`)
    const spaced = verifyPaymentPageQuery(unencoded, secret)
    expect(spaced.valid).toBe(false)
    expect(spaced.explanation).toMatch(/"\+" became a space/)

    const encodedSigned = computeSignature({ ...params, payment_id: 'A%20B%2FC' }, secret)
    const url = buildPaymentPageUrl(params, secret).replace(
      /signature=.*$/,
      `signature=${encodeURIComponent(encodedSigned)}`,
    )
    expect(verifyPaymentPageQuery(url, secret).explanation).toMatch(/percent-encoded values were signed/)
  })

  it('a wrong secret: suggests comparing the base string, then the key', () => {
    const verdict = verifyGateRequest(
      withGeneralSignature(vector.body, computeSignature(vector.body, 'other')),
      secret,
      { secretLabel: 'project 112' },
    )
    expect(verdict.problem).toBe('mismatch')
    expect(verdict.explanation).toMatch(/byte for byte/)
    expect(verdict.explanation).toMatch(/different secret key than project 112/)
  })

  it('never throws on bad input', () => {
    for (const body of [null, 'text', 42, [], [{ general: {} }], { general: 'x' }, { general: { signature: 5 } }]) {
      const verdict = verifyGateRequest(body, secret)
      expect(verdict.valid).toBe(false)
      expect(verdict.explanation.length).toBeGreaterThan(20)
    }
    expect(verifyGateRequest([], secret)).toMatchObject({ code: null, problem: 'unsignable-data' })
    expect(verifyGateRequest({ general: { signature: 5 } }, secret)).toMatchObject({
      code: INVALID_SIGNATURE_CODE,
      problem: 'malformed-signature',
    })
    expect(verifyCallback('{}', secret).problem).toBe('unsignable-data')
    expect(verifyPaymentPageQuery('', secret)).toMatchObject({ code: EMPTY_SIGNATURE_CODE })
    expect(verifyPaymentPageQuery('%E0%A4%A=bad&signature=%%', secret).valid).toBe(false)
  })
})

// ---------------------------------------------------------------------------------------------
// Producing: what the sandbox sends
// ---------------------------------------------------------------------------------------------

describe('signing', () => {
  it('signCallback keeps field order, puts signature last and replaces an old one', () => {
    const body = { project_id: 112, payment: { id: 'P1', status: 'success' }, signature: 'old' }
    const signed = signCallback(body, 'secret')
    expect(Object.keys(signed)).toEqual(['project_id', 'payment', 'signature'])
    expect(signed.signature).toBe(
      computeSignature({ project_id: 112, payment: { id: 'P1', status: 'success' } }, 'secret'),
    )
    expect(verifyCallback(signed, 'secret').valid).toBe(true)
  })

  it('signCallback refuses nested "signature" keys, saying why', () => {
    expect(() => signCallback({ payment: { id: 'P1' }, provider_extra_fields: { signature: 'x' } }, 'secret')).toThrow(
      /nested key is named "signature"/,
    )
  })

  it('signGateRequest refuses a body without general', () => {
    expect(() => signGateRequest({ general: 'x' } as unknown as { general: object }, 'secret')).toThrow(
      /no "general" object/,
    )
  })

  it('signatureBaseString explains data it cannot sign', () => {
    expect(() => signatureBaseString([1])).toThrow(/must be a JSON object/)
    expect(() => signatureBaseString({ at: new Date(0) })).toThrow(/Cannot sign a Date at at/)
    expect(() => signatureBaseString({ n: Number.NaN })).toThrow(/finite integer/)
  })

  it('treats __proto__ as an ordinary key', () => {
    const body = JSON.parse('{"__proto__":{"x":"1"},"payment":{"id":"P1"}}') as JsonObject
    expect(signatureBaseString(body)).toBe('__proto__:x:1;payment:id:P1')
    const signed = signCallback(body, 'secret')
    expect(verifyCallback(JSON.parse(JSON.stringify(signed)), 'secret').valid).toBe(true)
  })
})

function hmacSha256Base64(message: string, secret: string): string {
  return createHmac('sha256', secret).update(message).digest('base64')
}

/** The body's lines in document order, unsorted (a common merchant mistake). */
function unsortedBase(body: JsonObject): string {
  const lines: string[] = []
  const walk = (node: Json, path: string[]): void => {
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...path, String(i)]))
    else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, [...path, k])
    else
      lines.push(
        `${path.join(':')}:${node === null ? '' : typeof node === 'boolean' ? (node ? '1' : '0') : String(node)}`,
      )
  }
  walk(body, [])
  return lines.join(';')
}
