/**
 * Limits every provider body is held to before it is decoded, so hostile input is refused in the
 * provider's own format instead of reaching the store: nesting depth (a 20,000-deep array would
 * otherwise be stored and break every later `JSON.stringify`), number of fields, string length.
 * The check is one linear scan of the text that builds nothing (skipped for text too small to break
 * any limit); the body size itself is bounded earlier (`MAX_BODY_BYTES`).
 */
export interface BodyLimits {
  /** Deepest nesting of objects and arrays (the top-level object is depth 1). */
  maxDepth: number
  /** Most values in the whole document (object members plus array elements). */
  maxFields: number
  /** Longest string (key or value), in characters of the JSON text. */
  maxStringLength: number
}

/** The limits every provider applies to a parsed body unless it sets its own. */
export const BODY_LIMITS: BodyLimits = { maxDepth: 64, maxFields: 10_000, maxStringLength: 262_144 }

/** A body over one of the `BodyLimits`. A `SyntaxError`, so code that refuses bad JSON refuses it too. */
export class BodyLimitError extends SyntaxError {
  constructor(message: string) {
    super(message)
    this.name = 'BodyLimitError'
  }
}

/**
 * Throws `BodyLimitError` when JSON text exceeds a limit; otherwise returns nothing. Text that is
 * not JSON passes (the parser refuses it with its own message).
 *
 * @example
 * checkJsonLimits('[[[1]]]', { ...BODY_LIMITS, maxDepth: 2 })
 * // BodyLimitError: the JSON nests 3 levels deep at character 3; the sandbox reads at most 2
 */
export function checkJsonLimits(text: string, limits: BodyLimits = BODY_LIMITS): void {
  if (withinByShape(text, limits)) return
  let depth = 0
  let fields = 0
  let inString = false
  let stringStart = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 0x5c /* \ */) i++
      else if (ch === 0x22 /* " */) {
        inString = false
        if (i - stringStart > limits.maxStringLength)
          throw new BodyLimitError(
            `a string at character ${stringStart} is ${i - stringStart} characters long; the sandbox reads strings of at most ${limits.maxStringLength}`,
          )
      }
      continue
    }
    if (ch === 0x22) {
      inString = true
      stringStart = i + 1
    } else if (ch === 0x5b /* [ */ || ch === 0x7b /* { */) {
      depth++
      fields++
      if (depth > limits.maxDepth)
        throw new BodyLimitError(
          `the JSON nests ${depth} levels deep at character ${i + 1}; the sandbox reads at most ${limits.maxDepth}`,
        )
    } else if (ch === 0x5d /* ] */ || ch === 0x7d /* } */) depth--
    else if (ch === 0x2c /* , */ && ++fields > limits.maxFields)
      throw new BodyLimitError(
        `the JSON holds more than ${limits.maxFields} values; the sandbox reads at most ${limits.maxFields}`,
      )
  }
  if (inString && text.length - stringStart > limits.maxStringLength)
    throw new BodyLimitError(
      `a string at character ${stringStart} is longer than ${limits.maxStringLength} characters; the sandbox reads strings of at most ${limits.maxStringLength}`,
    )
}

/**
 * True when no limit can be exceeded whatever the text holds: it is no longer than the longest
 * string allowed, has no more characters than values allowed, and has no more `{` and `[` than
 * levels allowed. The usual small body passes with two native searches instead of the scan.
 */
function withinByShape(text: string, limits: BodyLimits): boolean {
  if (text.length > limits.maxStringLength || text.length > limits.maxFields) return false
  let opens = 0
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1))
      if (++opens > limits.maxDepth) return false
  }
  return true
}

/**
 * `JSON.parse` within `BODY_LIMITS`: throws `SyntaxError` (a `BodyLimitError` for a limit) on
 * anything it will not read.
 *
 * @example
 * parseJson('{"a":1}')   // { a: 1 }
 * parseJson('['.repeat(100_000))   // BodyLimitError: the JSON nests 65 levels deep …
 */
export function parseJson(text: string, limits: BodyLimits = BODY_LIMITS): unknown {
  checkJsonLimits(text, limits)
  return JSON.parse(text)
}

/**
 * Throws `BodyLimitError` when a decoded form (urlencoded or multipart) has more fields than
 * `maxFields` or a value longer than `maxStringLength`.
 *
 * @example
 * checkFormLimits(new URLSearchParams('a=1&b=2'))
 */
export function checkFormLimits(entries: Iterable<[string, unknown]>, limits: BodyLimits = BODY_LIMITS): void {
  let fields = 0
  for (const [name, value] of entries) {
    if (++fields > limits.maxFields)
      throw new BodyLimitError(
        `the form holds more than ${limits.maxFields} fields; the sandbox reads at most ${limits.maxFields}`,
      )
    for (const v of Array.isArray(value) ? value : [value])
      if (typeof v === 'string' && v.length > limits.maxStringLength)
        throw new BodyLimitError(
          `form field "${name.slice(0, 64)}" is ${v.length} characters long; the sandbox reads values of at most ${limits.maxStringLength}`,
        )
  }
}
