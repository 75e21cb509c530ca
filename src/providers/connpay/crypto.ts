/**
 * ConnPay (PaynetEasy platform) cryptography, as pure functions.
 *
 * - OAuth 1.0a (RFC 5849) with the RSA-SHA256 signature method, which is the only method the v4
 *   API (`/paynet/api/v4/payout`, `/paynet/api/v4/status`, ...) accepts: the generic
 *   `src/wire/oauth1/`, verified here against ConnPay's real hosts.
 * - The SHA-1 `control` checksums of the v2 status API and of merchant callbacks.
 *
 * Proven by `test/vectors/connpay.json` (python3-oauthlib 3.2.2 and PaynetEasy's own PHP
 * client), see `test/connpay/crypto.test.ts`. Sources: research on PaynetEasy (RFC 5849 as PaynetEasy applies it).
 */
import { createHash } from 'node:crypto'
import { sameBytes } from '../../wire/compare.js'
import { verify as verifyOAuth1, type VerifyInput, type VerifyResult } from '../../wire/oauth1/index.js'
import { CONNPAY_HOSTS } from './model.js'

/**
 * Verifies a ConnPay v4 request's OAuth 1.0a RSA-SHA256 signature the way the gateway does
 * (see `src/wire/oauth1/verify.ts`); a refusal's diagnosis also tries ConnPay's real hosts.
 * The gateway answers any refusal with HTTP 403 "Access is denied".
 *
 * @example
 * verifyConnpayRequest({ method: 'POST', url, authorization, contentType, body, publicKey }).ok
 */
export function verifyConnpayRequest(input: VerifyInput): VerifyResult {
  return verifyOAuth1({ knownHosts: CONNPAY_HOSTS, ...input })
}

// ---------------------------------------------------------------------------------------------
// SHA-1 control checksums

/**
 * Lower-case hex SHA-1 of the UTF-8 concatenation of `parts`: the PaynetEasy `control` scheme.
 *
 * @example
 * sha1Control('1111', '902B4FF5', '1042', 'john.smith@gmail.com', 'B17F59B4-A7DC-41B4-8FF9-37D986B43D20');
 * // 'c6bdd88a78834ef4b863b088827a459f039e8257'
 */
export function sha1Control(...parts: readonly (string | number)[]): string {
  return createHash('sha1').update(parts.map(String).join(''), 'utf8').digest('hex')
}

/**
 * `control` of a v2 status request: `sha1(login + client_orderid + orderid + merchant_control)`
 * (research/paynet.md §2.1). `orderId` is the gateway's `paynet-order-id`; pass `''` when the
 * request carried no `orderid`.
 *
 * @example
 * statusControl({ login: 'TestMerchant', clientOrderId: 'ORD-1', orderId: '6982864',
 *   controlKey: 'B17F59B4-A7DC-41B4-8FF9-37D986B43D20' });
 * // 'cde4d45c9062235f1b98e9c82f2d8d691b843980'
 */
export function statusControl(p: {
  readonly login: string
  readonly clientOrderId: string
  readonly orderId: string | number
  readonly controlKey: string
}): string {
  return sha1Control(p.login, p.clientOrderId, p.orderId, p.controlKey)
}

/**
 * `control` of a merchant callback: `sha1(status + orderid + client_orderid + merchant_control)`
 * (CONTRACT, research/paynet.md §3).
 *
 * @example
 * callbackControl({ status: 'approved', orderId: '6982864', clientOrderId: 'ORD-1',
 *   controlKey: 'B17F59B4-A7DC-41B4-8FF9-37D986B43D20' });
 * // '0f50e172e21d5fe9501894abc162b74c25ce84ce'
 */
export function callbackControl(p: {
  readonly status: string
  readonly orderId: string | number
  readonly clientOrderId: string
  readonly controlKey: string
}): string {
  return sha1Control(p.status, p.orderId, p.clientOrderId, p.controlKey)
}

/**
 * Compares a received `control` with the expected one: case-insensitive hex (clients send lower
 * case; upper case is tolerated), surrounding whitespace ignored, constant time.
 *
 * @example
 * controlMatches(body.control, statusControl({ login, clientOrderId, orderId, controlKey })); // true / false
 */
export function controlMatches(received: string | null | undefined, expected: string): boolean {
  if (received == null) return false
  return sameBytes(received.trim().toLowerCase(), expected.trim().toLowerCase())
}
