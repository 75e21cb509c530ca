/**
 * Merchant-side helpers for ConnPay test code: sign requests with OAuth 1.0a RSA-SHA256 exactly
 * as a merchant must, compute the v2 status `control`, read the gateway's line-broken answers
 * and check callbacks. Proven by `test/vectors/connpay.json` (python3-oauthlib and PaynetEasy's
 * own PHP client), so test suites need not re-implement the provider's crypto.
 *
 * @example
 * import { connpay } from 'psp-sandbox/client'
 * const req = connpay.payoutRequest('http://localhost:8080', { client_orderid: 'ORD-1', amount: '10.42',
 *   currency: 'USD', account_number: '1234567890', server_callback_url: 'http://localhost:4000/cb' })
 * const answer = connpay.parseResponse(await (await fetch(req)).text())
 * answer['paynet-order-id'] // '6982864'
 */
import { formEncode, sign, type FormPair, type KeyInput, type SignedRequest } from '../../wire/oauth1/index.js'
import { callbackControl, controlMatches, statusControl, verifyConnpayRequest } from './crypto.js'
import { parseForm } from './wire.js'

/**
 * The sandbox's default merchant and its published test key pair (`vectors/connpay-test-merchant.*.pem`).
 * Test material only: never use this key anywhere real.
 */
export const TEST_MERCHANT = {
  login: 'TestMerchant',
  endpointId: '39915',
  endpointGroupId: '777',
  controlKey: 'B17F59B4-A7DC-41B4-8FF9-37D986B43D20',
  privateKey: `-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAvJpJDdJsPYQUP23hQzFZ3MMHF+KyMen2tPqt0EBgzXavUk2/
Veb4l5Z+2WQxjPFS8x9DQO0t9xCy8fSj1pjqwuI7uCPGbZyiEgjO1vZ7myUXigyJ
uesXi3XPN97t0GQMwjIN5xSidLIW9AmOZX6My8mC2AyK7nWj0BWujfgPNLn4Dsti
LtNafOXbXjbYBG69YmFz4Nzqq0iTlqY40SYfJg5uIanufpbckKbNVMklPhsVPo5f
NQe0Mtes1MKA4XGTjLrHzIHBNeqv06kZ25wwGnQVlcEzZVJxITsjD4dGuieiJkPb
bK7u08kH2lBEG4W5X+qg8u5NNsbyn5Wq/DphUwIDAQABAoIBAAtJKYvz29mb2LZU
S0GBEivdWRmlzXH32nUeobNaLDC/Tw3GwedQXe8m6J+g7jzNMrXXrhI+3xxErzXp
T2XdBVdKFbbBdUiZMd2QZ12CUbKJTVehGRtl+k+0agT23cDgQR8xwuvhVo39xiqD
k+DLlNNGU1e9pbv6kCXjK5cqkTEKFtoQUTg/8x/HQco0x+4lJvIPxK/egriNeOJq
ZWQcauUEBiaETCukHb7NvYceKJz+0H/Eo+F66s7WYP/4SrTcflLsEYbQ/aihGYPH
LtsdPwApVU7cN+USwvS3fX4SbOvUlQ+BJZP/mzgUIKxtk63AtcaA+jyVriQYZhqK
XLx3kIECgYEA4C2ZFvVWpSWdjyJZd4TxD3v4YKVoUSWjOQpsYgKBD5NeLl2xR4kZ
t71R1WTD6RkOcXrvUoYSo78bl+1KdLzvOgZ56uwaczwYHm/iaanYCtmB3Ft59eMi
psptBJTWRRA4zMn2GNcm+0kH9LjAeg0s08JxIM5RGocdjmL6s8L//8ECgYEA11/p
mUhAMVKDk7SG9hPMSlCX8IyxP5B4MjD4YKRbXHbinIM1KfRyiyTKE/kXxREiIKWr
0tEytjW61Inn7xVwRvrhVMzqs2DCsiVNfX9J2ZHIU+RhkD2fkRotCrp+2fU1pVTv
fiQhaBWfRta8f3yTuMbVbe/rBxhKGAoBhZAz5hMCgYEAgkV9JP5E74tAWCEZ5H54
pwrfdyonyKAajdckzH+wCCEXJdKEZpGhREjb+SmpPxe0cPWDhW0r/8PagRr/nX79
dba1unKhnD1btrRF2ik8xnFHKYpvARiQ1mPjnjnvmgqnNzpVrHG60WPLH8cM8uAd
IKFppCrArq292zRhg3zZzwECgYBRZFbEbbCMszE0XbHvRxYaM5DoAFNvwSobVbRX
2WUJcYg8O72YqF+tQ+72U1lvSQVLrzBbEGIIyA9eCOvUx5ZRzLfhMzuzJGsPpdc+
CR+gkF5Tjehs+UzXKjxBZK9RsUBfxdRoKEFTs3Ao9jfwOeUdnE7GKDf6y2wc35Mp
pZBnbwKBgQCmYHXg9xwgynkiRMTAn7TDQIC4wyHZPwkP7CnM0g0wwRnAKnC1f/YA
hmFH3TYIpxwsAy4b/HNyI4bzlT3nNetXBsk2hGtiH9fx93ES5uUuRJhZJX5fjLey
jdRfb8u/gyU4E3407lPa5/R4LDdM8bJ4Zelck9P70grscVG2oZjJMQ==
-----END RSA PRIVATE KEY-----
`,
} as const

/** Body fields: pairs (order kept) or an object. */
export type Fields = Iterable<FormPair> | Readonly<Record<string, string | number>>

/** Who signs: defaults to {@link TEST_MERCHANT}. */
export interface Signer {
  consumerKey?: string
  privateKey?: KeyInput
  nonce?: string
  /** Unix seconds; defaults to now. */
  timestamp?: number | string
}

function signedRequest(url: string, fields: Fields, signer: Signer = {}, signedUrl = url): Request {
  const signed = sign({
    url: signedUrl,
    consumerKey: signer.consumerKey ?? TEST_MERCHANT.login,
    privateKey: signer.privateKey ?? TEST_MERCHANT.privateKey,
    body: fields,
    nonce: signer.nonce,
    timestamp: signer.timestamp,
  })
  return new Request(url, {
    method: 'POST',
    body: signed.body,
    headers: { Authorization: signed.authorization, 'Content-Type': signed.contentType },
  })
}

export const connpay = {
  TEST_MERCHANT,

  /**
   * Signs a request (OAuth 1.0a, RSA-SHA256, two-legged) and returns the Authorization header,
   * the body to send and the base string that was signed.
   *
   * @example
   * const s = connpay.sign({ url: 'https://sandbox.connpay.com/paynet/api/v4/payout/39915',
   *   consumerKey: 'TestMerchant', privateKey: pem, body: { client_orderid: '1', amount: '10.42', currency: 'USD' } })
   * s.authorization // 'OAuth oauth_consumer_key="TestMerchant", oauth_nonce="…", oauth_signature="…", …'
   */
  sign: sign as (options: Parameters<typeof sign>[0]) => SignedRequest,

  /** Encodes a form body the way PaynetEasy's PHP client does (RFC 3986, space as %20). */
  formEncode,

  /**
   * A signed `POST /paynet/api/v4/payout/{endpoint}` (or `/payout/group/{id}` with `{ group }`).
   *
   * @example
   * await sandbox.fetch(connpay.payoutRequest('http://localhost', { client_orderid: 'A1', amount: '5', currency: 'EUR' }))
   */
  payoutRequest(base: string, fields: Fields, options: Signer & { endpoint?: string; group?: string } = {}): Request {
    const path =
      options.group !== undefined
        ? `/paynet/api/v4/payout/group/${options.group}`
        : `/paynet/api/v4/payout/${options.endpoint ?? TEST_MERCHANT.endpointId}`
    return signedRequest(`${base.replace(/\/$/, '')}${path}`, fields, options)
  },

  /**
   * A signed v4 status request (`login` defaults to the signer's login).
   *
   * @example
   * connpay.statusRequest('http://localhost', { client_orderid: 'A1', orderid: '6982864' })
   */
  statusRequest(
    base: string,
    fields: Readonly<Record<string, string>>,
    options: Signer & { endpoint?: string; group?: string } = {},
  ): Request {
    const path =
      options.group !== undefined
        ? `/paynet/api/v4/status/group/${options.group}`
        : `/paynet/api/v4/status/${options.endpoint ?? TEST_MERCHANT.endpointId}`
    return signedRequest(
      `${base.replace(/\/$/, '')}${path}`,
      { login: options.consumerKey ?? TEST_MERCHANT.login, ...fields },
      options,
    )
  },

  /**
   * A v2 status request with its SHA-1 `control` (no OAuth).
   *
   * @example
   * connpay.statusV2Request('http://localhost', { client_orderid: 'A1', orderid: '6982864' })
   */
  statusV2Request(
    base: string,
    fields: { client_orderid: string; orderid?: string; login?: string; 'by-request-sn'?: string },
    options: { controlKey?: string; endpoint?: string; group?: string } = {},
  ): Request {
    const login = fields.login ?? TEST_MERCHANT.login
    const control = statusControl({
      login,
      clientOrderId: fields.client_orderid,
      orderId: fields.orderid ?? '',
      controlKey: options.controlKey ?? TEST_MERCHANT.controlKey,
    })
    const path =
      options.group !== undefined
        ? `/paynet/api/v2/status/group/${options.group}`
        : `/paynet/api/v2/status/${options.endpoint ?? TEST_MERCHANT.endpointId}`
    return new Request(`${base.replace(/\/$/, '')}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formEncode({ ...fields, login, control }),
    })
  },

  /** `sha1(login + client_orderid + orderid + control key)` of a v2 status request. */
  statusControl,
  /** `sha1(status + orderid + client_orderid + control key)` of a callback. */
  callbackControl,

  /**
   * Reads a gateway answer (`type=…\n&serial-number=…`) into an object.
   *
   * @example
   * connpay.parseResponse('type=async-response\n&paynet-order-id=6982864')['paynet-order-id'] // '6982864'
   */
  parseResponse(body: string): Record<string, string> {
    return { ...parseForm(body).fields }
  },

  /**
   * Checks a callback's `control` (pass the callback URL, its query string or its parameters).
   *
   * @example
   * connpay.verifyCallback(req.url, TEST_MERCHANT.controlKey) // true
   */
  verifyCallback(
    callback: string | URLSearchParams | Readonly<Record<string, string>>,
    controlKey: string = TEST_MERCHANT.controlKey,
  ): boolean {
    let params: Record<string, string>
    if (typeof callback === 'string') {
      const q = callback.includes('?') ? callback.slice(callback.indexOf('?') + 1) : callback
      params = { ...parseForm(q.split('#')[0]).fields }
    } else if (callback instanceof URLSearchParams) params = Object.fromEntries(callback)
    else params = { ...callback }
    if (!params.status || !params.orderid || params.client_orderid === undefined) return false
    return controlMatches(
      params.control,
      callbackControl({
        status: params.status,
        orderId: params.orderid,
        clientOrderId: params.client_orderid,
        controlKey,
      }),
    )
  },

  /** The sandbox's own verifier (for checking what your client signs, without a server). */
  verify: verifyConnpayRequest,
}
