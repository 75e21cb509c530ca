/** The OAuth 1.0a `Authorization: OAuth …` header (RFC 5849 §3.5.1). */
import { percentDecode, type FormPair } from './encode.js'

/** The result of {@link parseAuthorizationHeader}. */
export interface ParsedAuthorizationHeader {
  /** `realm`, if the header carried one (it never takes part in the signature). */
  readonly realm: string | undefined
  /** Every other parameter, percent-decoded, in header order (duplicates kept). */
  readonly params: readonly FormPair[]
}

/** Thrown by {@link parseAuthorizationHeader} when the header cannot be read at all. */
export class OAuthHeaderError extends Error {
  override readonly name = 'OAuthHeaderError'
}

/**
 * Parses an `Authorization: OAuth ...` header tolerantly (RFC 5849 §3.5.1): the scheme name in
 * any case, pairs separated by commas and/or any whitespace (including line breaks), values
 * quoted (`"..."`, backslash escapes honoured) or bare, names and values percent-decoded, `realm`
 * set apart. Duplicates are kept so the caller can refuse them.
 *
 * Throws {@link OAuthHeaderError} when the header is not OAuth or cannot be read.
 *
 * @example
 * parseAuthorizationHeader('OAuth realm="", oauth_consumer_key="TestMerchant", oauth_signature="a%2Bb%3D"');
 * // { realm: '', params: [['oauth_consumer_key', 'TestMerchant'], ['oauth_signature', 'a+b=']] }
 */
export function parseAuthorizationHeader(header: string): ParsedAuthorizationHeader {
  const text = header.trim()
  const scheme = /^oauth(?=$|[\s,])/i.exec(text)
  if (!scheme) {
    const given = text.split(/\s/, 1)[0] || '(empty)'
    throw new OAuthHeaderError(
      `The Authorization header uses the scheme "${given}", not "OAuth". ConnPay v4 requests must carry ` +
        `the header: Authorization: OAuth oauth_consumer_key="<login>", oauth_nonce="...", oauth_signature="...", ` +
        `oauth_signature_method="RSA-SHA256", oauth_timestamp="<unix seconds>", oauth_version="1.0"`,
    )
  }
  let i = scheme[0].length
  let realm: string | undefined
  const params: FormPair[] = []
  while (i < text.length) {
    while (i < text.length && isSeparator(text.charCodeAt(i))) i++
    if (i >= text.length) break
    const nameStart = i
    while (i < text.length && text.charCodeAt(i) !== EQUALS && !isSeparator(text.charCodeAt(i))) i++
    const rawName = text.slice(nameStart, i)
    let j = i
    while (j < text.length && isSpace(text.charCodeAt(j))) j++
    let rawValue = ''
    let quoted = false
    if (text[j] === '=') {
      i = j + 1
      while (i < text.length && isSpace(text.charCodeAt(i))) i++
      const quote = text[i]
      if (quote === '"' || quote === "'") {
        quoted = true
        i++
        let value = ''
        let closed = false
        // The usual value has no backslash before its closing quote: one slice.
        const close = text.indexOf(quote, i)
        const backslash = text.indexOf('\\', i)
        if (close !== -1 && (backslash === -1 || backslash > close)) {
          value = text.slice(i, close)
          i = close + 1
          closed = true
        }
        while (!closed && i < text.length) {
          const c = text[i]!
          if (c === '\\' && i + 1 < text.length) {
            value += text[i + 1]
            i += 2
            continue
          }
          if (c === quote) {
            closed = true
            i++
            break
          }
          value += c
          i++
        }
        if (!closed) {
          throw new OAuthHeaderError(
            `The Authorization header has an unterminated quoted value for "${rawName}" (no closing ${quote}). ` +
              `Quote every value: ${rawName}="...".`,
          )
        }
        rawValue = value
      } else {
        const valueStart = i
        while (i < text.length && !isSeparator(text.charCodeAt(i))) i++
        rawValue = text.slice(valueStart, i)
      }
    }
    if (rawName === '') {
      throw new OAuthHeaderError(
        `The Authorization header has a value without a parameter name near "${text.slice(nameStart, nameStart + 20)}". ` +
          `Write parameters as name="value", separated by ", ".`,
      )
    }
    const name = percentDecode(rawName)
    if (name.toLowerCase() === 'realm') {
      realm = quoted ? rawValue : percentDecode(rawValue)
    } else {
      params.push([name, percentDecode(rawValue)])
    }
  }
  if (params.length === 0) {
    throw new OAuthHeaderError(
      'The Authorization header says "OAuth" but carries no parameters. Send oauth_consumer_key, oauth_nonce, ' +
        'oauth_signature, oauth_signature_method, oauth_timestamp and oauth_version.',
    )
  }
  return { realm, params }
}

const EQUALS = 0x3d

/** What `/\s/` matches, by character code (the parser runs over every character of the header). */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d)
  if (code < 0xa0) return false
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  )
}

/** A comma or white space: what separates the header's parameters. */
function isSeparator(code: number): boolean {
  return code === 0x2c || isSpace(code)
}
