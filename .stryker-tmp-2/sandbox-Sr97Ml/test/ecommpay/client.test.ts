// @ts-nocheck
import { describe, expect, it } from 'vitest'
import { ecommpay } from '../../src/providers/ecommpay/client.js'

/**
 * The merchant-side helpers against values computed by ECommPay's official SDKs (research
 * `ecommpay.md` §1.4: A1–A10 from the SDKs' unit tests, B1–B3 Payment Page URLs, D1–D5 from the
 * documentation). Each vector is also checked to fail after a one-byte change.
 */
const A: Array<[string, string, unknown, string]> = [
  [
    'A1',
    'secret',
    {
      customer: { project_id: 0, id: 'sutm_id' },
      card: { pan: '4242424242424242', year: 2020, month: 8, card_holder: 'John Smith', cvv: '123', save: true },
      frame_mode: 'popup',
    },
    'lY0LTSAzpR7zGce5qfYGacOuYlHGWqkMcQlqmjlsDDZI2gVcE1qVeWANnkIR7mdOqRXJnL1kO0lUmkQ0YYLWRg==',
  ],
  [
    'A2',
    'secret',
    { payment: { id: '000049', status: 'success' } },
    '/3TrhHVz9BHaLfgLyhoxO7dsQNzbzZa/TdO3pxQocXWwgVM6tGlzMLVfpOxFNTnkR9iiFVK/77ZedMcbkCjmng==',
  ],
  [
    'A3',
    'qwerty',
    { payment: { id: 'test-payment', status: 'success' }, some_bool_param: true, frame_mode: 'popup' },
    'TZS0J65ReNUMgKzeXUey9xOGGyC7r4OhsFXt/3H8XZM2Le8Wot2E1NIjeSPOyV1F3sUU6F3kfo9om2dhbe3ieA==',
  ],
  [
    'A4',
    'qwerty',
    {
      payment: { id: 'test-payment' },
      errors: [
        { code: '123', message: 'grand crash', description: ['description-str', { description1: 1 }] },
        { code: '456', message: 'minor crash', description: null },
      ],
    },
    'dxjnun8oySSl0CWlhhjy/k1V9CZcCtaHvu/Y5qJQbWHq8wd6TqTUt4bIfHrlWxT8ba9NOJfkgGHrGc5OgyQVGA==',
  ],
  [
    'A5',
    'qwerty',
    {
      project_id: 11,
      payment_currency: 'EUR',
      frame_mode: 'popup',
      some_bool_param: true,
      two_levels_param: { param1: 1, param2: 2 },
    },
    'ehwG+e+Sq6b0QEek2hmHGUFzViX9/Xfcgnh0Ysn1+AqCY8BsKhC/Vcyr4XH8CKXW3iS0vW9S2mTwOt/0Ozf5pg==',
  ],
  [
    'A6',
    'qwerty',
    { payment: { id: '11', status: 'success' } },
    'Rk9xmCfiv/BJbVrCz+oazsOOuiMqrktLVXruRLM9WJ2zmYvufwOS7uxz5Pd36kfKPqbBwKZjMs/EEzF/VsbbNw==',
  ],
  [
    'A7',
    'qwerty',
    { payment: { id: 'test.test-payment', status: 'success', valid: true }, 'some-data': 1234, frame_mode: 'popup' },
    'Z0YwpWdNwBspA/6wicHVr4f6n0xMFuyZnAlIxnO86Zu/EIo3FZUEntClEVjulKpBrVF+HlyPEK1X41iCjbFgWg==',
  ],
  [
    'A8',
    'qwerty',
    { payment: { id: 'test.test-payment', status: 'success' } },
    'OonQm2ElTzZU80dNnsrS/ulnGU/eEMg7U1jfLRiKn0zx3GmnEOP2ne/pUOJ9LkzntYT7llgRhTpbxcT3ldHyEA==',
  ],
  [
    'A9',
    'qwerty',
    { payment: { status: 'success' } },
    'jRtwdhnY6bQGt39FRUVrXEBTgplUTjRpCA/37x95/c5FvdsnZMnlLUGXVRpNjKOHbawT0s9AmUy3rajlexddwQ==',
  ],
  [
    'A10',
    'qwerty',
    {
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
    'AThqkBCZ6WZtY3WrMV28o7SM/vq6OIVF9qiVbELN4e/Ux59Lb5LFFnEuTq6bHa5pRvaPIkQGABXdpIrNLaeJdQ==',
  ],
  [
    'D1',
    'secret',
    {
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
    },
    'SyA3cx/dmFrwjRcpbnwEK9zaklWKR9buIfTctQob/EHUTutFLpI0zWpSDFEWEwbZt/04i83395RCdEhtUMw83A==',
  ],
  [
    'D2',
    'secret',
    {
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
    },
    'lagSnuspAn+F6XkmQISqwtBg0PsiTy62fF9x33TM+278mnufIDZyi1yP0BQALuCxyikkIxIMbodBn2F8hMdRwA==',
  ],
  [
    'D3',
    'secret',
    {
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
    },
    'VLLZzVNGevQNhr1b4TEhbC4qqHD17Kyn/M6FPNN93ttyk/amJgD/R6dayTKVvW6/QCRdq4hOf8R2w/xbUa8f2w==',
  ],
  [
    'D4',
    'secret',
    {
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
    },
    'Y0qjN9dDnPTdddkVvXKS1pGp2z8ZpIl60P1CocND3YRxuBNx05ZMnhUaGFt90fPzgwsI/UpLw0q2RR/XTiDQBg==',
  ],
  [
    'D5',
    'secret',
    {
      interval: { from: '2020-01-01 14:53:55', to: '2020-01-30 13:53:59' },
      limit: 3,
      offset: 0,
      project_id: [183],
      token: 'WKiarERJ5pcceNerpM9R5TNnyPTQMl',
      tz: 'Asia/Singapore',
    },
    'Ini3aKje6aZskajTuRS761YOzVqierlVRafZdxIz48wmVnL7yxgy9vDsp7T2/LGPGHJ/DHoKOgP7VqObJALrUA==',
  ],
]

describe('ecommpay.sign and ecommpay.verifyCallback reproduce the official SDK vectors', () => {
  for (const [name, secret, data, signature] of A) {
    it(`${name}`, () => {
      expect(ecommpay.sign(data, secret)).toBe(signature)
      // As a callback: the helper finds the top-level signature and checks it.
      expect(ecommpay.verifyCallback({ ...(data as object), signature }, secret)).toBe(true)
      expect(ecommpay.verifyCallback(JSON.stringify({ ...(data as object), signature }), secret)).toBe(true)
      expect(ecommpay.verifyCallback({ ...(data as object), signature }, `${secret}x`)).toBe(false)
      const flipped = signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))
      expect(ecommpay.verifyCallback({ ...(data as object), signature: flipped }, secret)).toBe(false)
    })
  }

  it('D4 with the deliberately wrong signature the docs print is refused', () => {
    const [, secret, data] = A.find(([n]) => n === 'D4')!
    const verdict = ecommpay.checkCallback({ ...(data as object), signature: 'IszjSnH+' + 'A'.repeat(80) }, secret)
    expect(verdict.valid).toBe(false)
    expect(verdict.explanation.length).toBeGreaterThan(20)
  })
})

describe('Payment Page URLs (B1–B3)', () => {
  it('B1 (PHP SDK test): the exact URL with form encoding', () => {
    const url = ecommpay.paymentPageUrl(
      { project_id: 100, interface_type: '{"id":23}', payment_id: 'test payment id', payment_description: 'B&W' },
      'secret',
      { encoding: 'form' },
    )
    expect(url).toBe(
      'https://paymentpage.ecommpay.com/payment?project_id=100&interface_type=%7B%22id%22%3A23%7D&payment_id=test+payment+id&payment_description=B%26W&signature=97JFQpAyJ4HPfGVedJh0M1MqQDOFt%2FMCbdh8VrsT7DdRyTBDAF2mvUOsDANx1ZPfbvZg0%2BVUbF43xJnq0jEeLA%3D%3D',
    )
  })
  it('B2 (Go SDK test): a boolean signed as 1', () => {
    expect(
      ecommpay.signPaymentPageParams(
        {
          project_id: 11,
          payment_id: 'test_payment_id',
          payment_currency: 'EUR',
          payment_amount: 1000,
          some_future_bool_param: true,
          interface_type: '{"id": 20}',
        },
        'qwerty',
      ),
    ).toBe('+NGChjO/3L6vSJkEUSXBDPJBSUuEu4rXw4wtAoXiTDATSMerNixVYKdh9Cg2jTXSu1Ez9R+LxX/ioWr70Tlxew==')
  })
  it('B3 (Java SDK test)', () => {
    expect(
      ecommpay.signPaymentPageParams(
        {
          project_id: 60481,
          payment_id: 'test_payment',
          interface_type: '{"id": 21}',
          best_before: '2200-12-12T12:12:12+03:00',
        },
        'qwerty',
      ),
    ).toBe('xdIXTiffRnObgBtT6YVSn10lvtdZQznyBDL2aafvTETigagUr5iof6CYCv097qoJDRROGGH4xNb+aF2GRTgA9Q==')
  })
})

describe('Gate helpers', () => {
  it('signGateRequest puts the signature last in general and defaults to the test project 112', () => {
    const signed = ecommpay.signGateRequest({ general: { project_id: 112, payment_id: 'ORDER_155860015' } })
    expect(Object.keys(signed.general)).toEqual(['project_id', 'payment_id', 'signature'])
    expect(signed.general.signature).toBe(
      '1566Fa8J/3UflTlUuRwB4hXHHdLdbsSc9pDI4cmAptGbA+tDk+OtwNz0BimIGMC0TkQRggHUW76Ygs8Sk3g4Ow==',
    ) // vectors/ecommpay.json
    expect(ecommpay.project).toEqual({ id: 112, secretKey: 'kHRhsQHHhOUHeD+rt4kgH7OZiwE=' })
  })
})
