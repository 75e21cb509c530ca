/**
 * OAuth 1.0a (RFC 5849) with RSA-SHA256, as pure functions: percent encoding, the Authorization
 * header, the signature base string, signing as a client and verifying as a gateway, with a
 * diagnosis of the usual client mistakes. Provider-neutral: ConnPay (PaynetEasy) uses it with its
 * own hosts (`src/providers/connpay/crypto.ts`).
 *
 * Proven by `test/vectors/connpay.json` (python3-oauthlib 3.2.2 and PaynetEasy's own PHP
 * client), see `test/connpay/crypto.test.ts`.
 *
 * @example
 * const { authorization, body } = sign({ method: 'POST', url, consumerKey: 'TestMerchant', privateKey, params })
 * verify({ method: 'POST', url, authorization, contentType, body, publicKey }).ok // true
 */
export { formDecode, formEncode, percentDecode, percentEncode, type FormPair } from './encode.js'
export { OAuthHeaderError, parseAuthorizationHeader, type ParsedAuthorizationHeader } from './header.js'
export {
  baseStringUri,
  collectSignatureParameters,
  normalizeParameters,
  signatureBaseString,
  type ParameterSource,
  type SignatureInput,
  type SignatureParameter,
} from './base-string.js'
export {
  publicKeyFingerprint,
  rsaSha256Sign,
  sign,
  type KeyInput,
  type SignedRequest,
  type SignOptions,
} from './sign.js'
export {
  verify,
  type OAuthProtocolValues,
  type VerifyFailure,
  type VerifyFailureReason,
  type VerifyInput,
  type VerifyResult,
  type VerifySuccess,
} from './verify.js'
