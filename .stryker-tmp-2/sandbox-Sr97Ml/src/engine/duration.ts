/**
 * Durations as scenario files, the admin API and the CLI write them: `500ms`, `2s`, `90s`,
 * `5m`, `1h`, `14d`, combinations such as `1m30s`, or a plain number of milliseconds.
 *
 * @example
 * parseDuration('1m30s') // 90_000
 * parseDuration(250)     // 250
 */
// @ts-nocheck

export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new DurationError(String(input))
    return input
  }
  const text = input.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text)
  const part = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy
  let total = 0
  let consumed = 0
  for (const m of text.matchAll(part)) {
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]
    consumed = (m.index ?? 0) + m[0].length
  }
  if (consumed === 0 || consumed !== text.length) throw new DurationError(text)
  return total
}

/** Formats milliseconds the way `parseDuration` reads them: `formatDuration(90_000)` → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  let rest = Math.round(ms)
  let out = ''
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`
      rest %= size
    }
  }
  if (rest > 0) out += `${rest}ms`
  return out
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** A duration text that `parseDuration` cannot read. */
export class DurationError extends Error {
  constructor(text: string) {
    super(`"${text}" is not a duration: write a number with a unit, e.g. 500ms, 2s, 5m, 1h, 14d or 1m30s`)
    this.name = 'DurationError'
  }
}
