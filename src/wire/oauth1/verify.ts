/** OAuth 1.0a RSA-SHA256 verification as a gateway does it, with an explanation for every refusal. */
import { KeyObject, verify as rsaVerify } from 'node:crypto'
import {
  isFormContentType,
  normalizeParameters,
  pairToParameter,
  queryOf,
  rawToParameter,
  signatureBaseString,
  type ParameterSource,
  type SignatureInput,
  type SignatureParameter,
} from './base-string.js'
import { diagnose } from './diagnose.js'
import { formDecodeRaw, toBytes, type FormPair } from './encode.js'
import { parseAuthorizationHeader } from './header.js'
import { publicKeyFingerprint, publicKeyOf, type KeyInput } from './sign.js'

// ---------------------------------------------------------------------------------------------
// Sandbox-side verification

/** Why a request was refused; `explanation` says it in words. */
export type VerifyFailureReason =
  | 'missing-authorization'
  | 'malformed-authorization'
  | 'missing-oauth-parameter'
  | 'duplicate-oauth-parameter'
  | 'unsupported-signature-method'
  | 'unsupported-oauth-version'
  | 'invalid-timestamp'
  | 'timestamp-out-of-window'
  | 'unknown-consumer'
  | 'invalid-public-key'
  | 'malformed-signature'
  | 'signature-mismatch'

/** What {@link verify} checks. */
export interface VerifyInput extends Omit<SignatureInput, 'url'> {
  /** HTTP method of the request. */
  readonly method: string
  /**
   * The URL the request arrived at, or several accepted spellings of it (e.g. the local URL and
   * the provider's real one behind a proxy). The first is the one shown when verification fails.
   */
  readonly url: string | readonly string[]
  /**
   * The merchant's public key, or a lookup from `oauth_consumer_key` (the merchant login) to it;
   * `undefined` from the lookup means "no such merchant".
   */
  readonly publicKey: KeyInput | ((consumerKey: string) => KeyInput | null | undefined)
  /** Current time in Unix seconds; with `timestampToleranceSeconds`, old or future timestamps are refused. */
  readonly nowSeconds?: number
  /** Largest accepted distance between `oauth_timestamp` and `nowSeconds`; unchecked when absent. */
  readonly timestampToleranceSeconds?: number
  /**
   * The provider's real hosts (e.g. `sandbox.connpay.com`): when a signature does not verify, the
   * diagnosis tries whether the client signed one of them instead of the URL it sent to.
   */
  readonly knownHosts?: readonly string[]
}

/** The OAuth protocol values of a request. */
export interface OAuthProtocolValues {
  readonly consumerKey: string
  readonly nonce: string
  readonly timestamp: string
  readonly signatureMethod: string
  readonly version: string | undefined
  /** Where the protocol parameters were found. */
  readonly transmittedIn: ParameterSource
}

/** A successful {@link verify}. */
export interface VerifySuccess {
  readonly ok: true
  readonly oauth: OAuthProtocolValues
  /** The base string that the signature matched. */
  readonly baseString: string
  readonly normalizedParameters: string
  readonly parameters: readonly SignatureParameter[]
  /** The accepted URL that matched. */
  readonly url: string
  /** Oddities that were tolerated, in words (for the journal). */
  readonly notes: readonly string[]
}

/** A refused {@link verify}. */
export interface VerifyFailure {
  readonly ok: false
  readonly reason: VerifyFailureReason
  /** What was wrong and what to do, in plain words. */
  readonly explanation: string
  /** The base string the sandbox computed, when it got that far: what a correct client signs. */
  readonly baseString?: string
  readonly normalizedParameters?: string
  readonly parameters?: readonly SignatureParameter[]
  readonly oauth?: Partial<OAuthProtocolValues>
  /** When a common client mistake reproduces the signature: which one, and the string that client signed. */
  readonly diagnosis?: { readonly mistake: string; readonly clientBaseString: string }
  readonly notes: readonly string[]
}

/** The result of {@link verify}. */
export type VerifyResult = VerifySuccess | VerifyFailure

const PROTOCOL_REQUIRED = [
  'oauth_consumer_key',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
] as const

/**
 * Verifies a ConnPay v4 request's OAuth 1.0a RSA-SHA256 signature the way the gateway does:
 * rebuilds the base string from the request as received and checks the signature with the
 * merchant's public key. Never throws for bad input: a refusal comes back as
 * `{ ok: false, reason, explanation, baseString }`, where `explanation` names the problem (and,
 * when a common client mistake reproduces the signature, that mistake) and `baseString` is what a
 * correct client signs. The gateway answers any refusal with HTTP 403 "Access is denied".
 *
 * Tolerated, as RFC 5849 allows: protocol parameters in the body or query instead of the header
 * (when there is no OAuth header), the same `oauth_*` name and value repeated in header and body
 * (counted once), `realm`, any header spacing or quoting, `+` or `%20` for spaces in the body.
 *
 * @example
 * const result = verify({
 *   method: 'POST',
 *   url: 'https://sandbox.connpay.com/paynet/api/v4/payout/39915',
 *   authorization: request.headers.get('authorization'),
 *   contentType: request.headers.get('content-type'),
 *   body: new Uint8Array(await request.arrayBuffer()),
 *   publicKey: (login) => merchants.get(login)?.publicKeyPem,
 * });
 * if (!result.ok) journal.note(result.explanation, result.baseString);
 */
export function verify(input: VerifyInput): VerifyResult {
  const notes: string[] = []
  const fail = (
    reason: VerifyFailureReason,
    explanation: string,
    extra: Partial<Omit<VerifyFailure, 'ok' | 'reason' | 'explanation' | 'notes'>> = {},
  ): VerifyFailure => ({ ok: false, reason, explanation, notes, ...extra })

  const urls = typeof input.url === 'string' ? [input.url] : [...input.url]
  if (urls.length === 0) throw new TypeError('verify() needs at least one URL in "url".')
  const primaryUrl = urls[0]!

  // 1. Find the protocol parameters.
  const authorization = input.authorization?.trim() ?? ''
  const hasOAuthHeader = /^oauth(\s|,|$)/i.test(authorization)
  let headerParams: readonly FormPair[] = []
  let realm: string | undefined
  if (hasOAuthHeader) {
    try {
      const parsed = parseAuthorizationHeader(authorization)
      headerParams = parsed.params
      realm = parsed.realm
    } catch (e) {
      return fail('malformed-authorization', (e as Error).message)
    }
  } else if (authorization !== '') {
    notes.push(`The Authorization header is not OAuth ("${authorization.split(/\s/, 1)[0]}…"); it was ignored.`)
  }

  const formBody = input.body != null && isFormContentType(input.contentType)
  if (input.body != null && !formBody) {
    notes.push(
      `The body was not read as parameters because Content-Type is "${input.contentType}"; ConnPay expects ` +
        `"application/x-www-form-urlencoded".`,
    )
  } else if (input.body != null && (input.contentType == null || input.contentType.trim() === '')) {
    notes.push('The request had no Content-Type; the body was read as application/x-www-form-urlencoded.')
  }
  const bodyRaw = formBody ? formDecodeRaw(toBytes(input.body!)) : []
  const bodyParams = bodyRaw.map((p) => rawToParameter(p, 'body'))
  const invalidEscapes = bodyRaw.reduce((n, p) => n + p.invalidEscapes, 0)
  if (invalidEscapes > 0) {
    notes.push(
      `The body has ${invalidEscapes} "%" sign(s) not followed by two hex digits; they were read literally. ` +
        `Encode "%" as "%25".`,
    )
  }
  const queryRaw = formDecodeRaw(toBytes(queryOf(primaryUrl)))
  const queryParams = queryRaw.map((p) => rawToParameter(p, 'query'))

  let transmittedIn: ParameterSource = 'header'
  let protocol: SignatureParameter[]
  let others: SignatureParameter[]
  const headerParameters = headerParams.map((p) => pairToParameter(p, 'header'))
  if (headerParameters.some((p) => p.name.startsWith('oauth_'))) {
    protocol = headerParameters
    others = []
    for (const p of [...queryParams, ...bodyParams]) {
      if (p.name.startsWith('oauth_')) {
        const twin = protocol.find((h) => h.name === p.name)
        if (twin && twin.value === p.value) {
          notes.push(`${p.name} was sent both in the Authorization header and in the ${p.source}; it was counted once.`)
          continue
        }
        if (twin) {
          return fail(
            'duplicate-oauth-parameter',
            `${p.name} is in the Authorization header ("${twin.value}") and again in the ${p.source} with a ` +
              `different value ("${p.value}"). Send each OAuth parameter once, in the Authorization header.`,
          )
        }
      }
      others.push(p)
    }
  } else {
    const inBody = bodyParams.some((p) => p.name === 'oauth_signature')
    const inQuery = queryParams.some((p) => p.name === 'oauth_signature')
    if (!inBody && !inQuery) {
      return fail(
        'missing-authorization',
        authorization === ''
          ? 'The request has no Authorization header. Sign every ConnPay v4 request with OAuth 1.0a RSA-SHA256 and ' +
              'send the header: Authorization: OAuth oauth_consumer_key="<login>", oauth_nonce="...", oauth_signature="...", ' +
              'oauth_signature_method="RSA-SHA256", oauth_timestamp="<unix seconds>", oauth_version="1.0"'
          : 'The request carries no OAuth parameters (no OAuth Authorization header and no oauth_signature in the ' +
              'body or query). Sign the request with OAuth 1.0a RSA-SHA256 and send the parameters in the ' +
              'Authorization header.',
      )
    }
    transmittedIn = inBody ? 'body' : 'query'
    notes.push(
      `The OAuth parameters came in the ${transmittedIn}, not in the Authorization header; accepted as RFC 5849 ` +
        `§3.5 allows, but PaynetEasy's own client sends them in the header.`,
    )
    protocol = []
    others = []
    for (const p of [...queryParams, ...bodyParams]) {
      if (p.name.startsWith('oauth_') && p.source === transmittedIn) protocol.push(p)
      else others.push(p)
    }
  }

  // 2. Check the protocol parameters.
  for (const name of new Set(protocol.map((p) => p.name))) {
    const values = protocol.filter((p) => p.name === name)
    if (values.length > 1) {
      return fail(
        'duplicate-oauth-parameter',
        `${name} appears ${values.length} times in the ${transmittedIn === 'header' ? 'Authorization header' : transmittedIn}. ` +
          `Send each OAuth parameter exactly once.`,
      )
    }
  }
  const get = (name: string) => protocol.find((p) => p.name === name)?.value
  const oauthPartial: Partial<OAuthProtocolValues> = {
    consumerKey: get('oauth_consumer_key'),
    nonce: get('oauth_nonce'),
    timestamp: get('oauth_timestamp'),
    signatureMethod: get('oauth_signature_method'),
    version: get('oauth_version'),
    transmittedIn,
  }
  const missing = PROTOCOL_REQUIRED.filter((n) => get(n) === undefined || get(n) === '')
  if (missing.length > 0) {
    return fail(
      'missing-oauth-parameter',
      `The OAuth parameters lack ${missing.join(', ')}. A ConnPay v4 request needs oauth_consumer_key (your login), ` +
        `oauth_nonce, oauth_signature, oauth_signature_method="RSA-SHA256", oauth_timestamp (Unix seconds) and ` +
        `oauth_version="1.0".`,
      { oauth: oauthPartial },
    )
  }
  const method = get('oauth_signature_method')!
  if (method.toUpperCase() !== 'RSA-SHA256') {
    return fail(
      'unsupported-signature-method',
      `oauth_signature_method is "${method}", but the ConnPay v4 API accepts only "RSA-SHA256" (an RSA signature ` +
        `over SHA-256 with your private key${method.toUpperCase() === 'HMAC-SHA1' ? '; HMAC-SHA1 with the control key is only for some v2 commands' : ''}).`,
      { oauth: oauthPartial },
    )
  }
  if (method !== 'RSA-SHA256') notes.push(`oauth_signature_method "${method}" was accepted as "RSA-SHA256".`)
  const version = get('oauth_version')
  if (version !== undefined && version !== '1.0') {
    return fail('unsupported-oauth-version', `oauth_version is "${version}"; it must be "1.0" (or left out).`, {
      oauth: oauthPartial,
    })
  }
  const timestamp = get('oauth_timestamp')!
  if (!/^\d{1,12}$/.test(timestamp)) {
    return fail(
      'invalid-timestamp',
      `oauth_timestamp is "${timestamp}"; it must be the Unix time in whole seconds, e.g. "${Math.floor(Date.now() / 1000)}"` +
        `${/^\d{13}$/.test(timestamp) ? ' (this looks like milliseconds: divide by 1000)' : ''}.`,
      { oauth: oauthPartial },
    )
  }
  if (input.nowSeconds !== undefined && input.timestampToleranceSeconds !== undefined) {
    const skew = Number(timestamp) - input.nowSeconds
    if (Math.abs(skew) > input.timestampToleranceSeconds) {
      return fail(
        'timestamp-out-of-window',
        `oauth_timestamp ${timestamp} is ${Math.abs(skew)} s ${skew < 0 ? 'in the past' : 'in the future'} of the ` +
          `sandbox clock (${input.nowSeconds}); at most ${input.timestampToleranceSeconds} s is accepted. Use the ` +
          `current time for every request (check your clock, or the sandbox's virtual clock).`,
        { oauth: oauthPartial },
      )
    }
  }

  // 3. The base string the sandbox expects.
  const signed = [...protocol.filter((p) => p.name !== 'oauth_signature'), ...others]
  const normalizedParameters = normalizeParameters(signed)
  // The other URLs' base strings are built only if the first one's signature does not match.
  const baseString = signatureBaseString(input.method, primaryUrl, normalizedParameters)
  const withBase = { baseString, normalizedParameters, parameters: signed, oauth: oauthPartial }

  // 4. The merchant's key.
  const consumerKey = get('oauth_consumer_key')!
  let keyInput: KeyInput | null | undefined
  try {
    keyInput = typeof input.publicKey === 'function' ? input.publicKey(consumerKey) : input.publicKey
  } catch (e) {
    keyInput = undefined
    notes.push(`Looking up the public key of "${consumerKey}" failed: ${(e as Error).message}`)
  }
  if (keyInput == null) {
    return fail(
      'unknown-consumer',
      `No merchant with login (oauth_consumer_key) "${consumerKey}" is known to the sandbox. Use the login the ` +
        `sandbox was configured with (default "TestMerchant"), or register this merchant and its public key.`,
      withBase,
    )
  }
  let publicKey: KeyObject
  try {
    publicKey = publicKeyOf(keyInput)
  } catch (e) {
    return fail(
      'invalid-public-key',
      `The public key registered for "${consumerKey}" cannot be used: ${(e as Error).message} This is a sandbox ` +
        `configuration problem, not a problem with the request.`,
      withBase,
    )
  }
  const keyBits = publicKey.asymmetricKeyDetails?.modulusLength

  // 5. The signature itself.
  const signatureText = get('oauth_signature')!
  if (/\s/.test(signatureText)) {
    return fail(
      'malformed-signature',
      `oauth_signature contains spaces. A "+" of the Base64 signature was probably sent unencoded and read as a ` +
        `space: percent-encode the signature ("+" as %2B, "/" as %2F, "=" as %3D).`,
      withBase,
    )
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureText)) {
    return fail(
      'malformed-signature',
      `oauth_signature "${signatureText.slice(0, 40)}${signatureText.length > 40 ? '…' : ''}" is not standard ` +
        `Base64${/[-_]/.test(signatureText) ? ' (it looks like base64url: use "+" and "/", not "-" and "_")' : ''}. ` +
        `Send Base64(RSA-SHA256 signature), percent-encoded in the header.`,
      withBase,
    )
  }
  const signatureBytes = Buffer.from(signatureText, 'base64')
  if (keyBits !== undefined && signatureBytes.length !== keyBits / 8) {
    return fail(
      'malformed-signature',
      `oauth_signature decodes to ${signatureBytes.length} bytes, but the ${keyBits}-bit key registered for ` +
        `"${consumerKey}" makes ${keyBits / 8}-byte signatures. Sign with the private key whose public key you ` +
        `registered (fingerprint ${publicKeyFingerprint(publicKey)}), and send the whole Base64 value.`,
      withBase,
    )
  }
  const check = (base: string, algorithm = 'sha256') =>
    rsaVerify(algorithm, Buffer.from(base, 'utf8'), publicKey, signatureBytes)
  for (let i = 0; i < urls.length; i++) {
    const base = i === 0 ? baseString : signatureBaseString(input.method, urls[i]!, normalizedParameters)
    if (check(base)) {
      return {
        ok: true,
        oauth: oauthPartial as OAuthProtocolValues,
        baseString: base,
        normalizedParameters,
        parameters: signed,
        url: urls[i]!,
        notes,
      }
    }
  }

  // 6. Refused: find out why, if a common mistake explains it.
  const diagnosis = diagnose({
    method: input.method,
    url: primaryUrl,
    realm,
    protocol: protocol.filter((p) => p.name !== 'oauth_signature'),
    others,
    body: input.body,
    bodyWasRead: formBody,
    check,
    knownHosts: input.knownHosts ?? [],
  })
  const explanation =
    (diagnosis
      ? `The signature does not match. ${diagnosis.mistake}`
      : `The signature does not match the request. None of the usual client mistakes explains it, so most likely ` +
        `the request was signed with a private key other than the one registered for "${consumerKey}" (public key ` +
        `fingerprint ${publicKeyFingerprint(publicKey)}), or the URL, method or body changed after signing.`) +
    ` A correct client signs this base string (RFC 5849 §3.4.1): ${baseString}`
  return fail('signature-mismatch', explanation, diagnosis ? { ...withBase, diagnosis } : withBase)
}
