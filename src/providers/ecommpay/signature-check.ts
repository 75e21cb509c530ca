/**
 * Checking an ECommPay signature, accepting any official SDK's line order, with an explanation
 * that names the expected base string and the likely cause of a mismatch. Never throws.
 */
import { createHash, createHmac } from 'node:crypto'
import { sameBytes } from '../../wire/compare.js'
import {
  INVALID_SIGNATURE_CODE,
  EMPTY_SIGNATURE_CODE,
  type SignatureOrder,
  flatten,
  SIGNATURE_ORDERS,
  NATIVE_ESCAPE,
  renderLines,
  sortLeaves,
  hmacSha512Base64,
  type FlattenRules,
  STANDARD_RULES,
  isPlainObject,
  SIGNATURE_ORDER_DESCRIPTIONS,
} from './signature.js'

/** Options shared by the verify functions. */
export interface VerifyOptions {
  /**
   * Names the secret in explanations, e.g. `project 112`. Never the secret itself.
   * Default: "the project's secret key".
   */
  secretLabel?: string
}

/** What went wrong, when a signature check fails. */
export type SignatureProblem = 'missing-signature' | 'malformed-signature' | 'mismatch' | 'unsignable-data'

/** The outcome of checking one signature, with a plain-words explanation for the journal. */
export interface SignatureVerdict {
  /** True when the received signature matches the data under any official SDK's line order. */
  valid: boolean
  /**
   * ECommPay's result code for this outcome: `0` valid, `3262` empty signature, `3261` invalid
   * signature; `null` when the data itself cannot be signed (not a JSON object): that is a
   * request-format error, not a signature error.
   */
  code: '0' | typeof INVALID_SIGNATURE_CODE | typeof EMPTY_SIGNATURE_CODE | null
  /** Null when valid. */
  problem: SignatureProblem | null
  /** Where the signature was looked for: `general.signature`, `signature` or `the "signature" query parameter`. */
  signatureLocation: string
  /** The signature the sender supplied, or null when there was none (or it was not a string). */
  receivedSignature: string | null
  /** The signature the sandbox expects (documented order). Null when the data cannot be signed. */
  expectedSignature: string | null
  /** The string the sandbox signed (the "expected signature base string"). Null when unsignable. */
  expectedBaseString: string | null
  /** Which order (and base string) matched, when valid. */
  matched: { order: SignatureOrder; description: string; baseString: string } | null
  /**
   * Plain words for the developer: what was checked, what was expected (including the expected
   * signature base string) and the most likely cause of a mismatch. Multi-line.
   */
  explanation: string
}

// ---------------------------------------------------------------------------------------------
// Verification core
// ---------------------------------------------------------------------------------------------

interface Candidate {
  readonly order: SignatureOrder
  readonly escapeColons: boolean
  readonly baseString: string
  /** Why this data variant was tried (e.g. `_` parameters left out), or null for the main one. */
  readonly dataNote: string | null
}

export interface DataVariant {
  readonly data: unknown
  readonly note: string | null
}

/** Whether a key (not a list index) holds ":", which the SDKs escape differently. */
function keyHasColon(leaves: ReturnType<typeof flatten>): boolean {
  return leaves.some((l) => l.segments.some((s) => !s.index && s.key.includes(':')))
}

/** The documented base string of the canonical data: `candidateBaseStrings(variants)[0]`. Throws as `flatten` does. */
function canonicalCandidate(variant: DataVariant): Candidate {
  const leaves = flatten(variant.data)
  const order = SIGNATURE_ORDERS[0]!
  const escapeColons = keyHasColon(leaves) ? NATIVE_ESCAPE[order] : true
  const baseString = renderLines(sortLeaves(leaves, order, escapeColons), escapeColons)
  return { order, escapeColons, baseString, dataNote: variant.note }
}

/** Distinct base strings for every SDK order (and `:` habit) over each data variant; canonical first. */
function candidateBaseStrings(variants: readonly DataVariant[]): Candidate[] {
  const seen = new Set<string>()
  const out: Candidate[] = []
  for (const variant of variants) {
    const leaves = flatten(variant.data)
    const colon = keyHasColon(leaves)
    for (const order of SIGNATURE_ORDERS) {
      const escapes = colon ? [NATIVE_ESCAPE[order], !NATIVE_ESCAPE[order]] : [true]
      for (const escapeColons of escapes) {
        const baseString = renderLines(sortLeaves(leaves, order, escapeColons), escapeColons)
        if (seen.has(baseString)) continue
        seen.add(baseString)
        out.push({ order, escapeColons, baseString, dataNote: variant.note })
      }
    }
  }
  return out
}

function safeEqual(a: string, b: string): boolean {
  return sameBytes(a, b)
}

/** A one-line reason why `received` is not even shaped like an ECommPay signature, or null. */
function formatProblem(received: string): string | null {
  if (/^[A-Za-z0-9+/]{86}==$/.test(received)) return null
  const n = received.length
  if (/^[0-9a-fA-F]{128}$/.test(received)) {
    return 'it is 128 hexadecimal characters: encode the raw 64 HMAC bytes with Base64, not hex.'
  }
  if (/^[0-9a-fA-F]{64}$/.test(received)) {
    return 'it is 64 hexadecimal characters, the size of a SHA-256 digest: use HMAC-SHA512 and Base64.'
  }
  if (n === 44 && /^[A-Za-z0-9+/]{43}=$/.test(received)) {
    return 'it is 44 Base64 characters, the size of a SHA-256 HMAC: ECommPay uses HMAC-SHA512 (88 characters).'
  }
  if (/^[A-Za-z0-9\-_]{86}(?:==)?$/.test(received)) {
    return 'it uses the URL-safe Base64 alphabet (- and _): use standard Base64 (+ and /) with == padding.'
  }
  if (/^[A-Za-z0-9+/ ]{86}==$/.test(received)) {
    return 'it contains spaces where "+" signs belong: a "+" was decoded as a space somewhere on the way.'
  }
  if (received.trim() !== received) {
    return 'it has spaces or line breaks around it: send the 88 characters only.'
  }
  return `it is ${n} characters long; an ECommPay signature is 88 characters of standard Base64 (a 64-byte HMAC-SHA512).`
}

export interface Trial {
  readonly baseString: string
  readonly cause: string
}

/**
 * Common mistakes, tried one by one against the received signature. The first that reproduces it
 * is reported as the likely cause.
 */
function diagnose(received: string, canonical: string, secret: string, trials: readonly Trial[]): string | null {
  const key = Buffer.from(secret, 'utf8')
  const mac = (alg: 'sha512' | 'sha256', message: string) => createHmac(alg, key).update(message, 'utf8').digest()
  const c512 = mac('sha512', canonical)
  const encodings: Array<[string, string]> = [
    [c512.toString('hex'), 'the right HMAC, but hex-encoded: encode the raw HMAC bytes with Base64.'],
    [c512.toString('hex').toUpperCase(), 'the right HMAC, but hex-encoded: encode the raw HMAC bytes with Base64.'],
    [c512.toString('base64url'), 'the right HMAC, but in URL-safe Base64: use standard Base64 (+ and /) with padding.'],
    [
      c512.toString('base64').replaceAll('+', ' '),
      'the right signature, but every "+" became a space: percent-encode it (+ as %2B) when it travels in a URL or form.',
    ],
    [mac('sha256', canonical).toString('base64'), 'HMAC-SHA256 over the right string: ECommPay uses HMAC-SHA512.'],
    [
      createHash('sha512').update(canonical, 'utf8').digest('base64'),
      'a plain SHA-512 digest of the right string, without the secret key: use HMAC-SHA512 keyed with the secret.',
    ],
    [
      hmacSha512Base64(`${canonical};`, secret),
      'the lines were joined with a trailing ";": there is no ";" after the last line.',
    ],
  ]
  for (const [candidate, cause] of encodings) {
    if (candidate === received) return cause
  }
  for (const trial of trials) {
    if (trial.baseString !== canonical && hmacSha512Base64(trial.baseString, secret) === received) return trial.cause
  }
  return null
}

/** Trials derived from the data: booleans as words, null as "null", frame_mode signed, no sorting. */
function dataTrials(data: unknown): Trial[] {
  const trials: Trial[] = []
  const tryFlatten = (rules: FlattenRules, sorted: boolean, cause: string): void => {
    try {
      const leaves = flatten(data, rules)
      const ordered = sorted ? sortLeaves(leaves, 'sorted-lines', true) : leaves
      trials.push({ baseString: renderLines(ordered, true), cause })
    } catch {
      // A trial that cannot be built explains nothing.
    }
  }
  tryFlatten(
    STANDARD_RULES,
    false,
    'the lines were not sorted (they are in the order of the body): sort them before joining with ";".',
  )
  tryFlatten(
    { ...STANDARD_RULES, booleanText: (v) => (v ? 'true' : 'false') },
    true,
    'booleans were signed as "true"/"false": sign them as 1 and 0.',
  )
  tryFlatten(
    { ...STANDARD_RULES, nullText: 'null' },
    true,
    'null was signed as the word "null": sign it as an empty value (the line ends with ":").',
  )
  tryFlatten(
    { ...STANDARD_RULES, ignoredKeys: new Set() },
    true,
    'frame_mode was signed: it is never part of the signature.',
  )
  return trials
}

/** Warnings about data the SDKs treat differently, independent of the outcome. */
function dataWarnings(data: unknown): string[] {
  const warnings: string[] = []
  let floats = false
  let semicolons = false
  let colonKeys = false
  let longList = false
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      if (node.length >= 10) longList = true
      node.forEach(walk)
    } else if (isPlainObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (k.includes(':')) colonKeys = true
        if (k.includes(';')) semicolons = true
        walk(v)
      }
    } else if (typeof node === 'number' && !Number.isInteger(node)) {
      floats = true
    } else if (typeof node === 'string' && node.includes(';')) {
      semicolons = true
    }
  }
  walk(data)
  if (floats)
    warnings.push(
      'The data has non-integer numbers; the SDKs print them differently (Go truncates them). Send amounts as integers in minor units.',
    )
  if (semicolons)
    warnings.push(
      'A key or value contains ";", the line separator, so the signed string is ambiguous (the WooCommerce plug-in refuses to sign it). Avoid ";".',
    )
  if (colonKeys)
    warnings.push(
      'A key contains ":"; current PHP, Python, Java and .NET SDKs write it as "::", the JS SDK does not. Both were tried.',
    )
  if (longList)
    warnings.push(
      'A list has 10 or more items; the SDKs order its lines differently (x:10 before or after x:2). All SDK orders were tried.',
    )
  return warnings
}

export interface VerifySubject {
  /** Data variants to accept, canonical first. */
  readonly variants: readonly DataVariant[]
  readonly received: unknown
  readonly location: string
  /** What the signature was checked against, e.g. "the request body". */
  readonly subject: string
  /** What carries the signature, e.g. "the Payment Page URL" (defaults to `subject`). */
  readonly container?: string
  /** How the sandbox derived the signed data, e.g. "the body without general.signature". */
  readonly derivation: string
  readonly secretLabel: string
  /** Hints when the signature is missing, e.g. that it was found at the wrong place. */
  readonly missingHint: string | null
  readonly extraTrials: readonly Trial[]
}

const METHOD_SUMMARY =
  'Each value becomes one "path:value" line (nested keys joined with ":", list items by index, ' +
  'true/false as 1/0, null as nothing, empty {} and [] left out, frame_mode and the signature itself ' +
  'left out); the lines are sorted and joined with ";"; the signature is Base64(HMAC-SHA512(secret key, that string)).'

export function verifySubject(subject: VerifySubject, secret: string): SignatureVerdict {
  const { location } = subject
  // Most requests are signed as documented: check that first, and build every SDK's order (and
  // the explanations) only when it does not match. The verdict is the one the full check gives.
  if (typeof subject.received === 'string' && subject.received !== '') {
    let canonical: Candidate | undefined
    try {
      canonical = canonicalCandidate(subject.variants[0]!)
    } catch {
      // Unsignable data: the full check below says why.
    }
    const expectedSignature = canonical && hmacSha512Base64(canonical.baseString, secret)
    if (canonical && expectedSignature && safeEqual(expectedSignature, subject.received))
      return validVerdict(subject, canonical, expectedSignature, canonical.baseString, [])
  }
  let candidates: Candidate[]
  try {
    candidates = candidateBaseStrings(subject.variants)
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    return {
      valid: false,
      code: null,
      problem: 'unsignable-data',
      signatureLocation: location,
      receivedSignature: typeof subject.received === 'string' ? subject.received : null,
      expectedSignature: null,
      expectedBaseString: null,
      matched: null,
      explanation: `The signature could not be checked: ${why}`,
    }
  }
  const canonical = candidates[0]!
  const expectedSignature = hmacSha512Base64(canonical.baseString, secret)
  const base = {
    signatureLocation: location,
    expectedSignature,
    expectedBaseString: canonical.baseString,
  }
  const shownBase = canonical.baseString === '' ? '(empty: nothing to sign)' : canonical.baseString
  const expectedBlock =
    `Expected signature base string (what the sandbox signed: ${subject.derivation}):\n${shownBase}\n` +
    `Expected signature: ${expectedSignature}`
  const warnings = dataWarnings(subject.variants[0]!.data)

  // Missing or not a string.
  if (subject.received === undefined || subject.received === null || subject.received === '') {
    const lines = [
      `Empty signature (ECommPay code ${EMPTY_SIGNATURE_CODE}): ${subject.container ?? subject.subject} has no ${location.replace(/^the /, '')}.`,
    ]
    if (subject.missingHint) lines.push(subject.missingHint)
    lines.push(
      `What to do: sign ${subject.derivation} with ${subject.secretLabel} and send the result in ${location}.`,
      METHOD_SUMMARY,
      expectedBlock,
      ...warnings,
    )
    return {
      ...base,
      valid: false,
      code: EMPTY_SIGNATURE_CODE,
      problem: 'missing-signature',
      receivedSignature: null,
      matched: null,
      explanation: lines.join('\n'),
    }
  }
  if (typeof subject.received !== 'string') {
    const got = Array.isArray(subject.received) ? 'a list' : `a ${typeof subject.received}`
    const lines = [
      `Invalid signature (ECommPay code ${INVALID_SIGNATURE_CODE}): ${location} is ${got}, not a string.`,
      `What to do: send the 88-character Base64 signature as a JSON string in ${location}.`,
      METHOD_SUMMARY,
      expectedBlock,
    ]
    return {
      ...base,
      valid: false,
      code: INVALID_SIGNATURE_CODE,
      problem: 'malformed-signature',
      receivedSignature: null,
      matched: null,
      explanation: lines.join('\n'),
    }
  }

  const received = subject.received
  for (const candidate of candidates) {
    if (safeEqual(hmacSha512Base64(candidate.baseString, secret), received)) {
      const description = SIGNATURE_ORDER_DESCRIPTIONS[candidate.order]
      const more: string[] = []
      if (candidate !== canonical) {
        const how = [
          candidate.dataNote,
          candidate.order !== canonical.order ? `lines in ${description}` : null,
          candidate.escapeColons ? null : '":" inside keys not doubled',
        ].filter((s): s is string => s !== null)
        more.push(
          `It matched only with ${how.join('; ')}, not as ECommPay documents the signature; ` +
            'the live platform may reject it. The string that matched:',
          candidate.baseString,
          expectedBlock,
        )
      }
      return validVerdict(subject, candidate, expectedSignature, canonical.baseString, more)
    }
  }

  const shape = formatProblem(received)
  const cause = diagnose(received, canonical.baseString, secret, [
    ...subject.extraTrials,
    ...dataTrials(subject.variants[0]!.data),
  ])
  const lines = [
    `Invalid signature (ECommPay code ${INVALID_SIGNATURE_CODE}): ${location} does not match ${subject.subject} signed with ${subject.secretLabel}.`,
    `Received signature: ${received}`,
  ]
  if (shape) lines.push(`The received value is not shaped like an ECommPay signature: ${shape}`)
  lines.push(METHOD_SUMMARY, expectedBlock)
  if (candidates.length > 1) {
    lines.push("The other official SDKs' line orders were also tried; none matched.")
  }
  if (cause) {
    lines.push(`Likely cause: ${cause}`)
  } else {
    lines.push(
      'Likely cause: none of the common mistakes reproduces the received signature. Compare your signed string with ' +
        'the expected signature base string above, byte for byte. If they are identical, you signed with a different ' +
        `secret key than ${subject.secretLabel} (GET /_sandbox/merchants lists the sandbox's projects).`,
    )
  }
  lines.push(...warnings)
  return {
    ...base,
    valid: false,
    code: INVALID_SIGNATURE_CODE,
    problem: shape ? 'malformed-signature' : 'mismatch',
    receivedSignature: received,
    matched: null,
    explanation: lines.join('\n'),
  }
}

/** The verdict for a signature that matched `candidate`; `more` explains a match off the documented order. */
function validVerdict(
  subject: VerifySubject,
  candidate: Candidate,
  expectedSignature: string,
  expectedBaseString: string,
  more: string[],
): SignatureVerdict {
  const { location } = subject
  const description = SIGNATURE_ORDER_DESCRIPTIONS[candidate.order]
  return {
    signatureLocation: location,
    expectedSignature,
    expectedBaseString,
    valid: true,
    code: '0',
    problem: null,
    receivedSignature: subject.received as string,
    matched: { order: candidate.order, description, baseString: candidate.baseString },
    explanation: [
      `Signature valid: ${location} matches ${subject.subject} (line order: ${description}).`,
      ...more,
    ].join('\n'),
  }
}

export function secretLabelOf(options: VerifyOptions): string {
  return options.secretLabel ?? "the project's secret key"
}

export function notAnObject(location: string, subjectName: string, data: unknown): SignatureVerdict {
  const what = Array.isArray(data) ? 'a JSON array' : data === null || data === undefined ? 'empty' : `a ${typeof data}`
  return {
    valid: false,
    code: null,
    problem: 'unsignable-data',
    signatureLocation: location,
    receivedSignature: null,
    expectedSignature: null,
    expectedBaseString: null,
    matched: null,
    explanation: `The signature could not be checked: ${subjectName} is ${what}, not a JSON object. Send a JSON object ({...}).`,
  }
}

/** Options for {@link verifySignature}. */
export interface VerifySignatureOptions extends VerifyOptions {
  /** Names where the signature came from, for the explanation. Default `signature`. */
  signatureLocation?: string
}

/**
 * Checks `signature` against `data` exactly as given (nothing is removed except `frame_mode`),
 * accepting any official SDK's line order. Use it for data whose signature travels separately;
 * prefer {@link verifyGateRequest}, {@link verifyCallback} or {@link verifyPaymentPageQuery} for
 * those wire formats. Never throws.
 *
 * @example
 * verifySignature({ payment: { id: '000049', status: 'success' } },
 *   '/3TrhHVz9BHaLfgLyhoxO7dsQNzbzZa/TdO3pxQocXWwgVM6tGlzMLVfpOxFNTnkR9iiFVK/77ZedMcbkCjmng==', 'secret').valid // → true
 */
export function verifySignature(
  data: unknown,
  signature: unknown,
  secret: string,
  options: VerifySignatureOptions = {},
): SignatureVerdict {
  const location = options.signatureLocation ?? 'signature'
  if (!isPlainObject(data)) return notAnObject(location, 'the signed data', data)
  return verifySubject(
    {
      variants: [{ data, note: null }],
      received: signature,
      location,
      subject: 'the data',
      derivation: 'the data as given',
      secretLabel: secretLabelOf(options),
      missingHint: null,
      extraTrials: [],
    },
    secret,
  )
}
