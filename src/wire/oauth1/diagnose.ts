/** Which common client mistake reproduces a signature that does not verify. */
import {
  baseStringUri,
  normalizeParameters,
  pairToParameter,
  rawToParameter,
  signatureBaseString,
  type SignatureInput,
  type SignatureParameter,
} from './base-string.js'
import { formDecodeRaw, percentEncode, toBytes } from './encode.js'

export interface DiagnoseInput {
  method: string
  url: string
  realm: string | undefined
  protocol: SignatureParameter[]
  others: SignatureParameter[]
  body: SignatureInput['body']
  bodyWasRead: boolean
  check: (base: string, algorithm?: string) => boolean
  /** The provider's real hosts: a client may have signed one of them instead of the sandbox's. */
  knownHosts: readonly string[]
}

/** Tries the usual client mistakes; returns the first that reproduces the signature. */
export function diagnose(d: DiagnoseInput): { mistake: string; clientBaseString: string } | undefined {
  const base = (params: readonly SignatureParameter[], url = d.url, method = d.method) =>
    signatureBaseString(method, url, normalizeParameters(params))
  const nonBody = d.others.filter((p) => p.source !== 'body')
  const bodyParams = d.others.filter((p) => p.source === 'body')
  const attempts: Array<{ mistake: string; base: () => string | undefined; algorithm?: string }> = []

  if (bodyParams.length > 0) {
    attempts.push({
      mistake:
        'Your client left the body parameters out of the signature. Every parameter of an ' +
        'application/x-www-form-urlencoded body is signed (RFC 5849 §3.4.1.3.1).',
      base: () => base([...d.protocol, ...nonBody]),
    })
  }
  if (d.body != null && !d.bodyWasRead) {
    const raw = formDecodeRaw(toBytes(d.body)).map((p) => rawToParameter(p, 'body'))
    attempts.push({
      mistake:
        'Your client signed the body parameters but sent a Content-Type other than ' +
        'application/x-www-form-urlencoded, so they do not count. Send Content-Type: application/x-www-form-urlencoded.',
      base: () => base([...d.protocol, ...nonBody, ...raw]),
    })
  }
  if (d.body != null && d.bodyWasRead && toBytes(d.body).includes(0x2b)) {
    const literalPlus = formDecodeRaw(toBytes(d.body), false).map((p) => rawToParameter(p, 'body'))
    attempts.push({
      mistake:
        'Your client signed "+" in the body as a literal plus sign. In a form body "+" means a space, which is ' +
        'signed as %20; a real plus sign must be sent as %2B. Send spaces as %20 (or sign the decoded values).',
      base: () => base([...d.protocol, ...nonBody, ...literalPlus]),
    })
  }
  if (bodyParams.some((p) => p.value !== p.value.trim() || p.name !== p.name.trim())) {
    const trimmed = bodyParams.map((p) => pairToParameter([p.name.trim(), p.value.trim()], 'body'))
    attempts.push({
      mistake:
        'Your client signed the values without the spaces or line breaks around them that the body carries. Send ' +
        'the body exactly as signed: name=value pairs joined by "&", with no line breaks.',
      base: () => base([...d.protocol, ...nonBody, ...trimmed]),
    })
  }
  for (const alt of urlVariants(d.url, d.knownHosts)) {
    attempts.push({
      mistake: `Your client signed the URL "${alt.url}" but the request arrived at "${d.url}". ${alt.advice}`,
      base: () =>
        alt.verbatim
          ? `${percentEncode(d.method.toUpperCase())}&${percentEncode(alt.url)}&${percentEncode(normalizeParameters([...d.protocol, ...d.others]))}`
          : base([...d.protocol, ...d.others], alt.url),
    })
  }
  attempts.push({
    mistake:
      'Your client did not percent-encode the normalized parameters a second time when it built the base string. ' +
      'The base string is METHOD&enc(URL)&enc(params), so "=" and "&" between parameters become %3D and %26.',
    base: () =>
      `${percentEncode(d.method.toUpperCase())}&${percentEncode(baseStringUri(d.url))}&${normalizeParameters([...d.protocol, ...d.others])}`,
  })
  const asSent = [...d.protocol, ...d.others]
  attempts.push({
    mistake:
      'Your client did not sort the parameters. Sort them by encoded name, then by encoded value, before joining ' +
      '(RFC 5849 §3.4.1.3.2).',
    base: () =>
      `${percentEncode(d.method.toUpperCase())}&${percentEncode(baseStringUri(d.url))}&${percentEncode(
        asSent.map((p) => `${p.encodedName}=${p.encodedValue}`).join('&'),
      )}`,
  })
  if (d.realm !== undefined) {
    attempts.push({
      mistake: 'Your client signed the realm parameter. Leave realm out of the signature (RFC 5849 §3.4.1.3.1).',
      base: () => base([...asSent, pairToParameter(['realm', d.realm!], 'header')]),
    })
  }
  if (d.method !== d.method.toUpperCase()) {
    attempts.push({
      mistake: `Your client signed the method in lower case. Sign it upper case ("${d.method.toUpperCase()}").`,
      base: () =>
        `${percentEncode(d.method)}&${percentEncode(baseStringUri(d.url))}&${percentEncode(normalizeParameters(asSent))}`,
    })
  }
  for (const algorithm of ['sha1', 'sha512', 'sha384', 'sha224']) {
    attempts.push({
      mistake:
        `Your client hashed with ${algorithm.toUpperCase().replace('SHA', 'SHA-')} instead of SHA-256. RSA-SHA256 means ` +
        `RSASSA-PKCS1-v1_5 with SHA-256 (PHP: openssl_sign($base, $sig, $key, OPENSSL_ALGO_SHA256)).`,
      base: () => base(asSent),
      algorithm,
    })
  }
  for (const attempt of attempts) {
    let candidate: string | undefined
    try {
      candidate = attempt.base()
    } catch {
      continue
    }
    if (candidate !== undefined && d.check(candidate, attempt.algorithm)) {
      return { mistake: attempt.mistake, clientBaseString: candidate }
    }
  }
  return undefined
}

/**
 * URLs a client may have signed instead of the one the request arrived at. A `verbatim` one is
 * signed as written: the base string URI rules would turn it back into the request's URL (a
 * default port, a query string), which is exactly the client's mistake.
 */
function urlVariants(
  url: string,
  knownHosts: readonly string[],
): Array<{ url: string; advice: string; verbatim?: true }> {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return []
  }
  const out: Array<{ url: string; advice: string; verbatim?: true }> = []
  const seen = new Set([baseStringUri(url)])
  const add = (candidate: string, advice: string) => {
    const key = baseStringUri(candidate)
    if (seen.has(key)) return
    seen.add(key)
    out.push({ url: candidate, advice })
  }
  const path = u.pathname
  const proxyAdvice =
    'Sign the URL you send the request to; behind a proxy, configure the sandbox to accept the outside URL too.'
  add(`${u.protocol === 'https:' ? 'http:' : 'https:'}//${u.host}${path}`, proxyAdvice)
  for (const host of knownHosts) {
    add(`https://${host}${path}`, "Sign the URL you actually send to (after swapping the base URL for the sandbox's).")
  }
  if (u.port === '') {
    out.push({
      url: `${u.protocol}//${u.hostname}:${u.protocol === 'https:' ? 443 : 80}${path}`,
      advice: 'Drop the default port from the signed URL.',
      verbatim: true,
    })
  }
  add(
    `${u.protocol}//${u.host}${path.endsWith('/') ? path.slice(0, -1) : path + '/'}`,
    'Sign the path exactly as requested.',
  )
  if (u.search !== '') {
    out.push({
      url: `${u.protocol}//${u.host}${path}${u.search}`,
      advice: 'The query string goes into the parameters, not into the base string URI; leave it out of the URL part.',
      verbatim: true,
    })
  }
  return out
}
