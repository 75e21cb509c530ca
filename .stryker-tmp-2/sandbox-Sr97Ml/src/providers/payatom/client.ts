/**
 * Merchant-side PayAtom helpers for test code: build and check exactly what a merchant must, with
 * the vector-tested crypto (`vectors/php-bankconnect-payatom.json`).
 *
 * @example
 * import { payatom } from 'psp-sandbox/client'
 * const body = payatom.pollingRequest({ pid: '000000000000', refCode, secretKey: 'mysecretpassword' })
 * const ok = payatom.verifyWebhook(JSON.parse(webhookBody), 'mysecretpassword') // true
 */
// @ts-nocheck

import {
  payatomComplaintSignature,
  payatomDecrypt,
  payatomEncrypt,
  payatomPollingHash,
  payatomPostHash,
  payatomReconciliationSignature,
  payatomV2Signature,
  payatomV2SigningString,
  payatomVerificationCode,
  payatomWebhookHash,
  verifyPayatomPostHash,
  verifyPayatomV2Signature,
} from './crypto.js'
import { phpJsonEncode, type PhpScalar } from '../../wire/php.js'

export const payatom = {
  /** The seed's PHP `encrypt()`: raw `iv . hmac . ciphertext` (fresh IV unless given). */
  encrypt: payatomEncrypt,
  /**
   * The seed's PHP `decrypt()`: the md5 inside a `post_hash` (base64 string or raw bytes), or null.
   *
   * @example
   * payatom.decrypt(webhook.post_hash, 'mysecretpassword') // '38729a62…'
   */
  decrypt: payatomDecrypt,
  /** `base64_encode(encrypt(localHash, secret))`. */
  postHash: payatomPostHash,
  /** md5(order_id . received_amount . status . secret_key). */
  webhookHash: payatomWebhookHash,
  /** md5(ref_code . pid . secret_key). */
  pollingHash: payatomPollingHash,
  /** Full verdict of a post_hash check, with the reason when it fails. */
  verifyPostHash: verifyPayatomPostHash,
  /** v2 `signature`: sha256_hex(json_encode(ksort(fields without signature)) . secret). */
  v2Signature: payatomV2Signature,
  v2SigningString: payatomV2SigningString,
  /** Checks a v2 body's signature from its raw bytes. */
  verifyV2Signature: verifyPayatomV2Signature,
  /** Reconciliation signature sha256_hex(pid . secret_key . date). */
  reconciliationSignature: payatomReconciliationSignature,
  /** Complaint signature sha256_hex(values… . secret_key) (sandbox contract). */
  complaintSignature: payatomComplaintSignature,
  /** v1 wallet-balance verification_code md5(password). */
  verificationCode: payatomVerificationCode,

  /**
   * The seed's webhook check: decrypt `post_hash`, compare with md5(order_id . received_amount .
   * status . secret_key). True means the seed's PHP would say "HashMatched".
   *
   * @example
   * payatom.verifyWebhook({ order_id, received_amount, status, post_hash }, 'mysecretpassword') // true
   */
  verifyWebhook(
    body: { order_id: string; received_amount?: PhpScalar; amount?: PhpScalar; status: string; post_hash: string },
    secretKey: string,
  ): boolean {
    const amount = body.received_amount !== undefined ? body.received_amount : body.amount
    return verifyPayatomPostHash(body.post_hash, secretKey, [
      ['order_id', body.order_id],
      ['amount', amount],
      ['status', body.status],
    ]).ok
  },

  /**
   * A status-polling (or refund) request body: `{pid, ref_code, post_hash}` with a fresh IV.
   *
   * @example
   * await fetch(`${base}/api/status_polling.php`, { method: 'POST', body: JSON.stringify(payatom.pollingRequest({ pid, refCode, secretKey })) })
   */
  pollingRequest(input: { pid: string; refCode: string; secretKey: string; iv?: Uint8Array }): {
    pid: string
    ref_code: string
    post_hash: string
  } {
    const hash = payatomPollingHash({ reference: input.refCode, pid: input.pid, secretKey: input.secretKey })
    return { pid: input.pid, ref_code: input.refCode, post_hash: payatomPostHash(hash, input.secretKey, input.iv) }
  },

  /**
   * A v2 JSON body with its `signature` added, written as PHP's `json_encode` would (what the
   * sandbox hashes is re-derived from the body, so any key order works).
   *
   * @example
   * const body = payatom.signV2({ pid, amount: 100, order_id: 'ORD1234567890' }, 'mysecretpassword')
   */
  signV2(fields: Record<string, unknown>, secretKey: string): string {
    return phpJsonEncode({ ...fields, signature: payatomV2Signature(fields, secretKey) })
  },

  /** The answer a merchant must give to stop the resends. */
  acknowledgement: '{"hash_status":"HashMatched","acknowledge":"yes"}',
}
