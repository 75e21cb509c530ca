import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import type { Document as YamlDocument, LineCounter } from 'yaml'
import { yaml } from './yaml.js'

/**
 * One thing wrong with a config or scenario file: where (a path into the parsed document) and
 * what, in words that say what to do.
 *
 * @example
 * { path: ['rules', 0, 'match', 'operation'], message: '`operation` "salez" is not a connecx operation (did you mean `sale`?)' }
 */
export interface Problem {
  path: Array<string | number>
  message: string
}

/**
 * ` (did you mean \`x\`?)` when one of `candidates` is a likely typo of `word`, else `''`.
 *
 * @example
 * didYouMean('ecompay', ['ecommpay', 'connpay']) // ' (did you mean `ecommpay`?)'
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  const allowed = Math.max(1, Math.ceil(word.length / 3))
  return best !== undefined && bestDistance <= allowed ? ` (did you mean \`${best}\`?)` : ''
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = row
  }
  return previous[b.length]
}

/**
 * Renders problems as `file:line: message`, one per line, finding each problem's line in the
 * source text (YAML or JSON) by its path; a path that does not resolve falls back to its parent.
 *
 * @example
 * formatProblems('my.yaml', text, problems) // ['my.yaml:4: rule 1: match.amout: unknown fact `amout` (did you mean `amount`?) …']
 */
export function formatProblems(file: string, text: string | undefined, problems: Problem[]): string[] {
  const { LineCounter, parseDocument } = yaml()
  const lines = new LineCounter()
  const doc = text === undefined ? undefined : parseDocument(text, { lineCounter: lines, keepSourceTokens: false })
  return problems
    .map((p) => ({ line: doc ? lineOf(doc, lines, p.path) : undefined, message: p.message }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .map(({ line, message }) => `${file}${line ? `:${line}` : ''}: ${message}`)
}

function lineOf(doc: YamlDocument, lines: LineCounter, path: Array<string | number>): number {
  for (let n = path.length; n >= 0; n--) {
    const parent = n === 0 ? doc.contents : doc.getIn(path.slice(0, n - 1), true)
    // A missing or unknown key is best shown at the key itself, so look the key node up.
    let node: unknown = n === 0 ? doc.contents : undefined
    if (n > 0 && parent && typeof parent === 'object' && 'items' in parent) {
      const items = (parent as { items: Array<{ key?: unknown; value?: unknown }> }).items
      const last = path[n - 1]
      const pair = items.find(
        (item) => item && typeof item === 'object' && 'key' in item && scalarValue(item.key) === String(last),
      )
      node = pair ? pair.key : typeof last === 'number' ? items[last] : undefined
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range
    if (range) return lines.linePos(range[0]).line
  }
  return 1
}

function scalarValue(node: unknown): string | undefined {
  const v = (node as { value?: unknown } | undefined)?.value
  return v === undefined ? undefined : String(v)
}

/**
 * Reads a JSON (`.json`) or YAML file: its text (for line numbers) and its parsed value, or the
 * reason it cannot be read or parsed.
 *
 * @example
 * const file = readDataFile('sandbox.yaml')
 * if ('error' in file) console.error(file.error)
 */
export function readDataFile(path: string): { text: string; parsed: unknown } | { error: string } {
  try {
    const text = readFileSync(path, 'utf8')
    return { text, parsed: extname(path) === '.json' ? JSON.parse(text) : yaml().parse(text) }
  } catch (e) {
    return { error: `cannot be read or parsed: ${(e as Error).message}` }
  }
}
