/**
 * Repeated strings of stored records, kept once. Records arrive with their own copies of strings
 * that most records share (a merchant id from a URL, a callback URL from a JSON body, a currency,
 * a status read back from a log line): 100,000 stored transactions would otherwise hold 100,000
 * copies of each. The pool swaps each string value for an equal one it already holds.
 *
 * The pool is bounded: strings longer than `maxLength` are left alone, and when it holds `max`
 * strings it starts again (a record's unique strings, such as its reference, pass through it too;
 * the shared ones are back after a few records). Swapping a string for an equal one changes
 * nothing a reader can see, so the pool may be emptied at any time.
 *
 * @example
 * const pool = new StringPool()
 * pool.record({ merchant: '3568224497743', data: { origin: 'http://localhost' } })
 * // the same object, its strings now shared with every other record holding them
 */
export class StringPool {
  private pool = new Map<string, string>()

  constructor(
    private readonly max = 4096,
    private readonly maxLength = 256,
  ) {}

  /** The pooled string equal to `s` (pooling `s` when there is none). */
  intern(s: string): string {
    if (s.length > this.maxLength) return s
    const pooled = this.pool.get(s)
    if (pooled !== undefined) return pooled
    if (this.pool.size >= this.max) this.pool.clear()
    this.pool.set(s, s)
    return s
  }

  /**
   * Pools the string values of a record in place: its own, and those of the objects and arrays
   * it holds, `depth` levels down (frozen objects are left as they are). Returns the record.
   */
  record<T>(value: T, depth = 3): T {
    // A frozen object is a shared constant (ONE_CALLBACK): already one copy, and not writable.
    if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i]
        if (typeof item === 'string') value[i] = this.intern(item)
        else if (depth > 1 && typeof item === 'object' && item !== null) this.record(item, depth - 1)
      }
      return value
    }
    const record = value as Record<string, unknown>
    for (const key in record) {
      const item = record[key]
      // Always assigned: equal strings compare equal, so whether it was another copy cannot be told.
      if (typeof item === 'string') record[key] = this.intern(item)
      else if (depth > 1 && typeof item === 'object' && item !== null) this.record(item, depth - 1)
    }
    return value
  }
}
