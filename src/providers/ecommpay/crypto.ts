/**
 * ECommPay signatures, as pure functions.
 *
 * ECommPay signs a request, a callback or a Payment Page query the same way (research
 * `ecommpay.md` §1): every leaf of the data becomes one `path:value` line (nested keys joined
 * with `:`, list items by their 0-based index, `true`/`false` as `1`/`0`, `null` as nothing,
 * empty `{}`/`[]` give no line, `frame_mode` is never signed, a `:` inside a key is written
 * `::`), the lines are sorted, joined with `;`, and the signature is
 * Base64(HMAC-SHA512(secret key, that string)): always 88 characters.
 *
 * The official SDKs sort the lines in slightly different ways that only disagree in rare cases
 * (lists of 10 or more items, a key that is a prefix of a sibling key). The sandbox therefore
 * accepts a signature made with any SDK's order, and produces signatures in the documented
 * order: whole lines sorted byte by byte.
 *
 * Where the signature travels:
 * - Gate request body: `general.signature`;
 * - callback: top-level `signature` (some callback layouts use `general.signature`);
 * - Payment Page: the `signature` query parameter, computed over the other (decoded) parameters.
 *
 * This file signs and checks the Gate and callbacks; the flattened-tree signature itself is in
 * `signature.ts`, checking it with explanations in `signature-check.ts`, and the Payment Page URL
 * in `payment-page-url.ts`. Only `node:crypto` is used.
 */
import {
  type VerifyOptions,
  type SignatureVerdict,
  notAnObject,
  secretLabelOf,
  verifySubject,
} from './signature-check.js'
import {
  signatureBaseString,
  withoutGateSignature,
  isPlainObject,
  hmacSha512Base64,
  omitKey,
  hasNestedSignatureKey,
  withoutAnySignature,
} from './signature.js'

// ---------------------------------------------------------------------------------------------
// Gate requests
// ---------------------------------------------------------------------------------------------

/**
 * The base string of a Gate request body: the body without `general.signature` (and without a
 * stray top-level `signature`), in the documented order.
 *
 * @example
 * gateSignatureBaseString({ general: { project_id: 112, payment_id: 'P1', signature: '…' } })
 * // → 'general:payment_id:P1;general:project_id:112'
 */
export function gateSignatureBaseString(body: object): string {
  return signatureBaseString(withoutGateSignature(body as Record<string, unknown>))
}

/**
 * Signs a Gate request body: returns a copy with `general.signature` set (as the last member of
 * `general`), computed over the body without it. Throws when the body has no `general` object.
 *
 * @example
 * const signed = signGateRequest({ general: { project_id: 112, payment_id: 'P1' }, payment: { amount: 100000, currency: 'INR' } }, secret);
 * signed.general.signature // 88 Base64 characters
 */
export function signGateRequest<T extends { general: object }>(
  body: T,
  secret: string,
): T & { general: { signature: string } } {
  const general = (body as { general: unknown }).general
  if (!isPlainObject(general)) {
    throw new TypeError(
      'Cannot sign this Gate request: it has no "general" object. Add general.project_id and general.payment_id; the signature goes into general.signature.',
    )
  }
  const signature = hmacSha512Base64(gateSignatureBaseString(body), secret)
  const signedGeneral = { ...omitKey(general, 'signature'), signature }
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, k === 'general' ? signedGeneral : v])) as T & {
    general: { signature: string }
  }
}

/**
 * Checks the `general.signature` of a Gate request body (parsed JSON), accepting any official
 * SDK's line order. Never throws: the verdict says what was wrong, with an explanation that
 * includes the expected signature base string, for the journal.
 *
 * @example
 * const verdict = verifyGateRequest(JSON.parse(rawBody), secret, { secretLabel: 'project 112' });
 * if (!verdict.valid) journal.note(verdict.explanation); // verdict.code: '3261' or '3262'
 */
export function verifyGateRequest(body: unknown, secret: string, options: VerifyOptions = {}): SignatureVerdict {
  const location = 'general.signature'
  if (!isPlainObject(body)) return notAnObject(location, 'the request body', body)
  const general = body['general']
  const received = isPlainObject(general) ? general['signature'] : undefined
  let missingHint: string | null = null
  if (!isPlainObject(general)) {
    missingHint =
      'The body has no "general" object; a Gate request carries general.project_id, general.payment_id and general.signature.'
  }
  if (received === undefined && Object.hasOwn(body, 'signature')) {
    missingHint = `${missingHint ? `${missingHint} ` : ''}A top-level "signature" was found: Gate requests carry it in general.signature.`
  }
  return verifySubject(
    {
      variants: [{ data: withoutGateSignature(body), note: null }],
      received,
      location,
      subject: 'the request body',
      derivation: 'the body without general.signature',
      secretLabel: secretLabelOf(options),
      missingHint,
      extraTrials: [],
    },
    secret,
  )
}

// ---------------------------------------------------------------------------------------------
// Callbacks
// ---------------------------------------------------------------------------------------------

/**
 * The base string of a callback the sandbox sends: the body without its top-level `signature`.
 *
 * @example
 * callbackSignatureBaseString({ payment: { id: '000049', status: 'success' }, signature: '…' })
 * // → 'payment:id:000049;payment:status:success'
 */
export function callbackSignatureBaseString(body: object): string {
  return signatureBaseString(omitKey(body as Record<string, unknown>, 'signature'))
}

/**
 * Signs a callback body in the standard layout: returns a copy with `signature` as the LAST
 * top-level member (as in ECommPay's examples), computed over every other member. Key order
 * is kept, so serialize the result with JSON.stringify to get the wire body.
 * Throws when a `signature` key appears deeper in the body: the PHP and JS SDKs delete every
 * `signature` key before checking, others only the top-level one, so no SDK could agree.
 *
 * @example
 * const body = signCallback({ project_id: 112, payment: { id: 'P1', status: 'success' } }, secret);
 * JSON.stringify(body) // '{"project_id":112,"payment":{…},"signature":"…"}'
 */
export function signCallback<T extends object>(body: T, secret: string): Omit<T, 'signature'> & { signature: string } {
  if (!isPlainObject(body)) {
    throw new TypeError('Cannot sign this callback: the body must be a plain JSON object.')
  }
  const rest = omitKey(body, 'signature')
  if (hasNestedSignatureKey(rest, 0)) {
    throw new TypeError(
      'Cannot sign this callback: a nested key is named "signature". The PHP and JS SDKs delete every "signature" key ' +
        'before checking, the others only the top-level one, so merchants would disagree. Rename or remove the nested key.',
    )
  }
  const signature = hmacSha512Base64(signatureBaseString(rest), secret)
  return { ...rest, signature } as Omit<T, 'signature'> & { signature: string }
}

/**
 * Checks a callback's signature as the official SDKs do: taken from top-level `signature`, or
 * else `general.signature`; checked over the body with every `signature` key removed (PHP, JS)
 * or only that one (WooCommerce, Magento), in any SDK's line order. Never throws.
 *
 * @example
 * const verdict = verifyCallback(JSON.parse(callbackText), 'secret');
 * verdict.valid // true for every callback the sandbox signs with signCallback
 */
export function verifyCallback(body: unknown, secret: string, options: VerifyOptions = {}): SignatureVerdict {
  if (!isPlainObject(body)) return notAnObject('signature', 'the callback body', body)
  const general = body['general']
  const topLevel = Object.hasOwn(body, 'signature')
  const inGeneral = !topLevel && isPlainObject(general) && Object.hasOwn(general, 'signature')
  const location = inGeneral ? 'general.signature' : 'signature'
  const received = topLevel
    ? body['signature']
    : inGeneral
      ? (general as Record<string, unknown>)['signature']
      : undefined
  const onlyThatOne = topLevel ? omitKey(body, 'signature') : withoutGateSignature(body, false)
  return verifySubject(
    {
      variants: [
        { data: withoutAnySignature(body), note: null },
        { data: onlyThatOne, note: `only ${location} removed, nested "signature" keys kept` },
      ],
      received,
      location,
      subject: 'the callback body',
      derivation: 'the body without any "signature" key',
      secretLabel: secretLabelOf(options),
      missingHint: null,
      extraTrials: [],
    },
    secret,
  )
}
