/**
 * A compact text form of stored records, for the records nobody is working on. The JSON of a
 * stored Connecx pay-in is about 580 characters, most of them key names and strings every record
 * repeats (provider, merchant, currency, status, callback URL, the rule that decided it); in this
 * form it is about 170: a record is a JSON array whose first item names its keys (a "shape" kept
 * once), and a string that many records hold is written as a short reference to a word kept once.
 * V8 keeps such a string at one byte per character, against some 900 bytes of objects, numbers
 * and strings for the same record as live objects.
 *
 * `decode(encode(v, id), id)` is a fresh object equal to `JSON.parse(JSON.stringify(v))`, with
 * its keys in the same order: what a restart would read back (keys holding `undefined` are
 * dropped, `toJSON` is honoured, non-finite numbers become `null`). Strings equal to the record's
 * id come back as the `id` given to `decode` (the map key, so the record adds no copy of it).
 *
 * Words and shapes are only ever added (an encoded record must stay readable), and bounded: a
 * key slot admits up to {@link SLOT_WORDS} different words (a currency or a status stays a word;
 * a reference, which differs in every record, soon stops being admitted and is written out), and
 * the codec holds at most {@link MAX_WORDS} words and {@link MAX_SHAPES} shapes, past which
 * records are written with their keys and strings in full (larger, never wrong).
 *
 * @example
 * const codec = new RecordCodec()
 * const text = codec.encode({ id: 'connecx-1', currency: 'USD', history: [] }, 'connecx-1')
 * codec.decode(text, 'connecx-1') // { id: 'connecx-1', currency: 'USD', history: [] }
 */
export class RecordCodec {
  /** Keys of each shape, by shape number. */
  private readonly shapes: string[][] = []
  /** Shapes by their keys in order: a tree with one level per key. */
  private readonly shapeTree: ShapeNode = { shape: -1 }
  private shapeNodes = 0
  /** Words admitted so far per shape, per key slot. */
  private readonly slotWords: number[][] = []
  private readonly words: string[] = []
  /** Each word's reference as written in a record (`"\x7f<n>"`), made once. */
  private readonly refs: string[] = []
  /** Each reference's JSON literal. */
  private readonly refJson: string[] = []
  private readonly wordIds = new Map<string, number>()
  /** Each word's JSON literal, and each shape's keys as `"key":`, made when first written by {@link json}. */
  private readonly wordJson: string[] = []
  private readonly keyJson: string[][] = []

  /** The record's compact text. `id` is the key it is stored under. */
  encode(value: unknown, id: string): string {
    return flat(this.text(value, id, -1, 0, ''))
  }

  /** The record a text from {@link encode} stands for: a new object each call. */
  decode(text: string, id: string): unknown {
    return this.revive(JSON.parse(text), id)
  }

  /**
   * The JSON text of the record a text from {@link encode} stands for: the same characters as
   * `JSON.stringify(decode(text, id))`, written straight from the compact form without building
   * the record (a compaction writes every record nobody holds this way).
   */
  json(text: string, id: string): string {
    return this.emit(JSON.parse(text), id)
  }

  /**
   * What an encoded text holding the string `s` must contain: its JSON literal, or the quoted
   * reference to its word. A text containing none of these does not hold `s` as any value (a text
   * containing one may still not: the caller decodes and checks). A string that begins with the
   * mark is written escaped; for such a string (and the record's own id, written as the mark) this
   * gives the empty string, which every text contains.
   *
   * @example
   * codec.probe('USD') // ['"USD"', '"\u007f3"'] when USD is word 3
   */
  probe(s: string): string[] {
    if (s.charCodeAt(0) === MARK_CODE) return ['']
    const word = this.wordIds.get(s)
    const literal = JSON.stringify(s)
    return word === undefined ? [literal] : [literal, JSON.stringify(this.refs[word])]
  }

  /** Words, shapes and nodes of the shape tree held (for tests and benchmarks). */
  get size(): { words: number; shapes: number; shapeNodes: number } {
    return { words: this.words.length, shapes: this.shapes.length, shapeNodes: this.shapeNodes }
  }

  /**
   * A value's packed JSON text, written as it is walked (no packed arrays are built first): an
   * object is `[shape,…values]` (or `[-2,key,value,…]` past the shape limit), an array
   * `[-1,…items]`, a shared string its word's reference. The text is what `JSON.stringify` gives
   * the packed form, character for character.
   */
  private text(value: unknown, id: string, shape: number, slot: number, key: string): string {
    if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function')
      value = (value as { toJSON(key: string): unknown }).toJSON(key)
    switch (typeof value) {
      case 'string':
        return this.string(value, id, shape, slot)
      case 'number':
        return Number.isFinite(value) ? String(value) : 'null'
      case 'boolean':
        return value ? 'true' : 'false'
      case 'object':
        if (value === null) return 'null'
        return Array.isArray(value) ? this.array(value, id) : this.object(value as Record<string, unknown>, id)
      case 'bigint':
        // As JSON.stringify: a BigInt cannot be stored.
        throw new TypeError('Do not know how to serialize a BigInt')
      default:
        return 'null'
    }
  }

  /** A string's packed JSON literal: the record's id as the mark, a shared string as its word. */
  private string(s: string, id: string, shape: number, slot: number): string {
    if (s === id) return MARK_JSON
    let word = this.wordIds.get(s)
    if (word === undefined && shape >= 0 && s.length <= MAX_WORD_LENGTH && this.words.length < MAX_WORDS) {
      const admitted = this.slotWords[shape]
      if (admitted[slot] < SLOT_WORDS) {
        admitted[slot]++
        word = this.words.length
        const ref = MARK + word.toString(36)
        this.words.push(s)
        this.refs.push(ref)
        this.refJson.push(JSON.stringify(ref))
        this.wordIds.set(s, word)
      }
    }
    if (word !== undefined) return this.refJson[word]
    return JSON.stringify(s.charCodeAt(0) === MARK_CODE ? MARK + s : s)
  }

  private array(items: unknown[], id: string): string {
    let out = '[-1'
    for (let i = 0; i < items.length; i++) out += `,${this.text(items[i], id, -1, 0, String(i))}`
    return `${out}]`
  }

  private object(record: Record<string, unknown>, id: string): string {
    // The shape is found by walking a tree of its keys, one map lookup per key (no joined name).
    // Once the shapes are all taken the tree no longer grows: a key list it lacks has none.
    const room = this.shapes.length < MAX_SHAPES
    let node: ShapeNode | undefined = this.shapeTree
    const keys: string[] = []
    for (const k of Object.keys(record)) {
      const v = record[k]
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue
      keys.push(k)
      if (!node) continue
      let next: ShapeNode | undefined = node.next?.get(k)
      if (!next && room) {
        ;(node.next ??= new Map()).set(k, (next = { shape: -1 }))
        this.shapeNodes++
      }
      node = next
    }
    let shape = node?.shape ?? -1
    if (node && shape < 0 && room) {
      node.shape = shape = this.shapes.length
      this.shapes.push(keys)
      this.slotWords.push(keys.map(() => 0))
    }
    if (shape < 0) {
      let out = '[-2'
      for (const k of keys) out += `,${JSON.stringify(k)},${this.text(record[k], id, -1, 0, k)}`
      return `${out}]`
    }
    let out = `[${shape}`
    for (let i = 0; i < keys.length; i++) out += `,${this.text(record[keys[i]], id, shape, i, keys[i])}`
    return `${out}]`
  }

  /** A packed value's JSON text (see {@link json}). */
  private emit(x: unknown, id: string): string {
    if (typeof x === 'string') {
      if (x.charCodeAt(0) !== MARK_CODE) return JSON.stringify(x)
      if (x.length === 1) return JSON.stringify(id)
      if (x.charCodeAt(1) === MARK_CODE) return JSON.stringify(x.slice(1))
      const word = parseInt(x.slice(1), 36)
      return (this.wordJson[word] ??= JSON.stringify(this.words[word]))
    }
    if (typeof x !== 'object' || x === null) return JSON.stringify(x)
    const packed = x as unknown[]
    const tag = packed[0] as number
    let out: string
    if (tag === -1) {
      out = '['
      for (let i = 1; i < packed.length; i++) out += (i > 1 ? ',' : '') + this.emit(packed[i], id)
      return out + ']'
    }
    out = '{'
    if (tag === -2) {
      for (let i = 1; i < packed.length; i += 2)
        out += `${i > 1 ? ',' : ''}${JSON.stringify(packed[i])}:${this.emit(packed[i + 1], id)}`
      return out + '}'
    }
    const keys = (this.keyJson[tag] ??= this.shapes[tag].map((k) => `${JSON.stringify(k)}:`))
    for (let i = 0; i < keys.length; i++) out += (i > 0 ? ',' : '') + keys[i] + this.emit(packed[i + 1], id)
    return out + '}'
  }

  private revive(x: unknown, id: string): unknown {
    if (typeof x === 'string') {
      if (x.charCodeAt(0) !== MARK_CODE) return x
      if (x.length === 1) return id
      if (x.charCodeAt(1) === MARK_CODE) return x.slice(1)
      return this.words[parseInt(x.slice(1), 36)]
    }
    if (typeof x !== 'object' || x === null) return x
    const packed = x as unknown[]
    const tag = packed[0] as number
    if (tag === -1) {
      const out = new Array<unknown>(packed.length - 1)
      for (let i = 1; i < packed.length; i++) out[i - 1] = this.revive(packed[i], id)
      return out
    }
    const out: Record<string, unknown> = {}
    if (tag === -2) {
      for (let i = 1; i < packed.length; i += 2) set(out, packed[i] as string, this.revive(packed[i + 1], id))
      return out
    }
    const keys = this.shapes[tag]
    for (let i = 0; i < keys.length; i++) set(out, keys[i], this.revive(packed[i + 1], id))
    return out
  }
}

/** Marks a word reference (`"\x7f<n>"`), the record's id (`"\x7f"`) or, doubled, a string that begins with it. */
const MARK = '\u007f'
const MARK_CODE = 0x7f
const MARK_JSON = JSON.stringify(MARK)
/** Different words one key slot of one shape may add. */
const SLOT_WORDS = 64
const MAX_WORDS = 65_536
const MAX_SHAPES = 4_096
const MAX_WORD_LENGTH = 256

/**
 * The same string, stored flat. V8's JSON.stringify returns a longer result as a tree of the
 * pieces it was built from (about 100 bytes more for a 150-character record, kept as long as the
 * string is); converting a string to a number flattens it in place, and the garbage collector then
 * drops the tree. (An implementation detail of V8: without it the result is only larger.)
 */
function flat(text: string): string {
  flattened = Number(text)
  return text
}
/** Written so that the conversion in {@link flat} is never optimised away as unused. */
export let flattened = 0

/** A node of the shape tree: the shape whose keys end here (-1: none yet), and the keys that follow. */
interface ShapeNode {
  shape: number
  next?: Map<string, ShapeNode>
}

function set(out: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` as an own key, as JSON.parse makes it (an assignment would set the prototype).
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  else out[key] = value
}
