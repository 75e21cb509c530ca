/**
 * Merchant-side Bankconnect helpers for test code: encrypt a payout request, decrypt the answer,
 * build the three auth headers and check a callback's checksum exactly as a merchant's PHP does
 * (proven by `test/vectors/php-bankconnect-payatom.json`).
 *
 * @example
 * import { bankconnect } from 'psp-sandbox/client'
 * const form = new FormData()
 * form.set('end_point_url', 'http://127.0.0.1:4000/payout-callback')
 * form.set('enc_payout_json', bankconnect.encrypt(JSON.stringify([payout])))
 * const res = await fetch('http://localhost:8080/apisecure/payoutTransactionSecureIV', { method: 'POST', headers: bankconnect.headers(), body: form })
 * bankconnect.decrypt(await res.text()) // [{ status: 'SUCCESS', payment_code: 'SUCC200', … }]
 *
 * @module
 */

import {
  bankconnectCallbackChecksum,
  bankconnectUserToken,
  decryptBankconnect,
  encryptBankconnect,
  type BankconnectCredentials,
} from './crypto.js'
import { phpBase64Encode, type PhpScalar } from '../../wire/php.js'
import { DEFAULT_MERCHANT } from './wire.js'

/** A merchant's full Bankconnect credentials (the default test account when omitted). */
export interface BankconnectAccount extends BankconnectCredentials {
  apiKey: string
  basicUser: string
  basicPassword: string
}

/** The CONTRACT's default test account: merchant_no 0035. */
const DEFAULT_ACCOUNT: BankconnectAccount = {
  merchantNo: DEFAULT_MERCHANT.id,
  secret: String(DEFAULT_MERCHANT.secretkey),
  iv: String(DEFAULT_MERCHANT.iv),
  apiKey: String(DEFAULT_MERCHANT.apiKey),
  basicUser: String(DEFAULT_MERCHANT.basicUser),
  basicPassword: String(DEFAULT_MERCHANT.basicPassword),
}

export const bankconnect = {
  /** The default test account. */
  account: DEFAULT_ACCOUNT,

  /**
   * `base64(openssl_encrypt(base64(json), 'aes-128-ctr', md5(merchant_no . secret), 0, iv))`.
   *
   * @example
   * bankconnect.encrypt('[{"order_id":"1",…}]')  // the enc_payout_json form value
   */
  encrypt(json: string, account: BankconnectCredentials = DEFAULT_ACCOUNT): string {
    return encryptBankconnect(json, account)
  },

  /**
   * Decrypts a payout answer (or an `enc_payout_json`) as `openssl_decrypt` plus the two
   * `base64_decode`s do, and parses the JSON. Throws with the failing layer explained.
   *
   * @example
   * bankconnect.decrypt(await res.text()) // [{ status: 'SUCCESS', order_id: '93893832223', … }]
   */
  decrypt<T = unknown>(wire: string, account: BankconnectCredentials = DEFAULT_ACCOUNT): T {
    return JSON.parse(bankconnect.decryptText(wire, account)) as T
  },

  /**
   * Like {@link bankconnect.decrypt} but returns the JSON text exactly as the sandbox wrote it.
   *
   * @example
   * bankconnect.decryptText(body) // '[{"status":"SUCCESS","order_id":"93893832223",…}]'
   */
  decryptText(wire: string, account: BankconnectCredentials = DEFAULT_ACCOUNT): string {
    const result = decryptBankconnect(wire, account)
    if (!result.ok) throw new Error(`Bankconnect decryption failed at the ${result.layer} layer: ${result.explanation}`)
    return result.json
  },

  /**
   * `base64_encode(merchant_no . '::' . secretkey)`.
   *
   * @example
   * bankconnect.userToken() // 'MDAzNTo6MzVramZraDQ1'
   */
  userToken(account: { merchantNo: string; secret: string } = DEFAULT_ACCOUNT): string {
    return bankconnectUserToken(account.merchantNo, account.secret)
  },

  /**
   * The three headers of a payout request: `X-API-KEY`, `Authorization: Basic …`, `User-token`
   * (`userToken: false` leaves it out, as the status API does).
   *
   * @example
   * bankconnect.headers() // { 'X-API-KEY': 'BANKCONNECT_1890', Authorization: 'Basic YmFua2Nvbm5lY3Rf…', 'User-token': 'MDAzNTo6MzVramZraDQ1' }
   */
  headers(
    account: BankconnectAccount = DEFAULT_ACCOUNT,
    options: { userToken?: boolean } = {},
  ): Record<string, string> {
    const headers: Record<string, string> = {
      'X-API-KEY': account.apiKey,
      Authorization: `Basic ${phpBase64Encode(`${account.basicUser}:${account.basicPassword}`)}`,
    }
    if (options.userToken !== false) headers['User-token'] = bankconnectUserToken(account.merchantNo, account.secret)
    return headers
  },

  /**
   * A callback's expected `checksum`: md5(merchant_no . order_id . amount . status . secret),
   * the amount as PHP prints it (a string as sent, `"1.00"` stays `1.00`).
   *
   * @example
   * bankconnect.checksum({ order_id: '93893832223', amount: '1.00', status: 'SUCCESS' }) // '3c11d70e253e2446779e0bc8227ab9c2'
   */
  checksum(
    body: { order_id: string | number; amount: PhpScalar; status: string },
    account: { merchantNo: string; secret: string } = DEFAULT_ACCOUNT,
  ): string {
    return bankconnectCallbackChecksum({
      merchantNo: account.merchantNo,
      orderId: body.order_id,
      amount: body.amount,
      status: body.status,
      secret: account.secret,
    })
  },

  /**
   * True when a callback body's `checksum` is right for this merchant.
   *
   * @example
   * bankconnect.verifyCallback(JSON.parse(body)) // true
   */
  verifyCallback(
    body: { order_id: string | number; amount: PhpScalar; status: string; checksum?: unknown },
    account: { merchantNo: string; secret: string } = DEFAULT_ACCOUNT,
  ): boolean {
    return typeof body.checksum === 'string' && body.checksum.toLowerCase() === bankconnect.checksum(body, account)
  },
}
