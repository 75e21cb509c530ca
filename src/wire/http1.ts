import { connect, type Socket } from 'node:net'

/**
 * A lean HTTP/1.1 client for plain `http:` over kept-alive sockets: one `write` per request, a
 * small answer parser, no streams or events per exchange. It exists for the callback queue,
 * where `node:http`'s `ClientRequest`/`IncomingMessage` machinery cost about four times the CPU
 * of the exchange itself (0.3 ms against 0.08 ms per callback on the project's 2-core machine).
 *
 * On the wire a request is what `node:http` writes for the same call, byte for byte: the request
 * line, the given headers in their order and spelling, then `Host` (unless given; the port only
 * when it is not 80) and `Connection: keep-alive` (unless a `Connection` header is given), an
 * empty line and the body. Header names and values are checked as `node:http` checks them (a
 * value holding CR or LF is refused before anything is sent).
 *
 * Answers: status line and headers (at most `maxHeaderBytes`), then a body by `Content-Length`,
 * `Transfer-Encoding: chunked`, or up to the close; `1xx` interim answers are skipped; `204` and
 * `304` have no body. A connection is reused when the answer allows it (HTTP/1.1 without
 * `Connection: close`, or HTTP/1.0 with `keep-alive`) and nothing followed the answer. Errors
 * carry `code` as `node:http`'s do (`ECONNREFUSED`, `ECONNRESET` "socket hang up", …) and
 * `reused` when the socket had served an earlier request (the server may have closed it meanwhile:
 * the caller may retry once on a fresh one).
 *
 * @example
 * const client = new Http1Client({ timeoutMs: 10_000, maxAnswerBytes: 1 << 20 })
 * await client.request({ hostname: '127.0.0.1', port: 4000, path: '/cb' }, 'POST', [['Content-Type', 'application/json'], ['Content-Length', '2']], Buffer.from('{}'))
 * // → { status: 200, body: 'OK', reused: false }
 * client.close()
 */
export class Http1Client {
  private readonly idle = new Map<string, Connection[]>()
  private readonly open = new Set<Connection>()
  private readonly timeoutMs: number
  private readonly maxAnswerBytes: number
  private readonly maxHeaderBytes: number
  private closed = false

  constructor(options: { timeoutMs: number; maxAnswerBytes: number; maxHeaderBytes?: number }) {
    this.timeoutMs = options.timeoutMs
    this.maxAnswerBytes = options.maxAnswerBytes
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024
  }

  /**
   * Sends one request and resolves with the answer's status and body (UTF-8, cut at
   * `maxAnswerBytes`); rejects with the socket's error, a parse error, or a `TimeoutError` when
   * no complete answer came within `timeoutMs` of sending.
   */
  request(
    target: Http1Target,
    method: string,
    headers: ReadonlyArray<readonly [string, string]>,
    body: Buffer | undefined,
  ): Promise<Http1Answer> {
    let head: string
    try {
      head = requestHead(target, method, headers)
    } catch (error) {
      return Promise.reject(error)
    }
    const bytes = Buffer.allocUnsafe(Buffer.byteLength(head, 'latin1') + (body?.byteLength ?? 0))
    const at = bytes.write(head, 'latin1')
    body?.copy(bytes, at)
    return new Promise<Http1Answer>((resolve, reject) => {
      if (this.closed) return reject(new Error('the HTTP client is closed'))
      const key = `${target.hostname}:${target.port}`
      const connection = this.takeIdle(key) ?? this.connect(key, target)
      connection.start(new Exchange(resolve, reject, this.maxAnswerBytes, this.maxHeaderBytes), bytes, this.timeoutMs)
    })
  }

  /** Destroys every socket, idle or busy (busy requests fail). */
  close(): void {
    this.closed = true
    for (const c of this.open) c.socket.destroy()
    this.open.clear()
    this.idle.clear()
  }

  private takeIdle(key: string): Connection | undefined {
    const list = this.idle.get(key)
    let connection: Connection | undefined
    while ((connection = list?.pop()) && connection.socket.destroyed);
    if (list && !list.length) this.idle.delete(key)
    return connection
  }

  private connect(key: string, target: Http1Target): Connection {
    const socket = connect({ host: target.hostname, port: target.port, noDelay: true })
    const connection = new Connection(socket, key, this)
    this.open.add(connection)
    return connection
  }

  /** A connection finished an exchange and may serve another. */
  release(connection: Connection): void {
    if (this.closed) return void connection.socket.destroy()
    let list = this.idle.get(connection.key)
    if (!list) this.idle.set(connection.key, (list = []))
    list.push(connection)
  }

  /** A connection closed: forget it. */
  forget(connection: Connection): void {
    this.open.delete(connection)
    const list = this.idle.get(connection.key)
    if (!list) return
    const i = list.indexOf(connection)
    if (i !== -1) list.splice(i, 1)
    if (!list.length) this.idle.delete(connection.key)
  }
}

/** Where a request goes: `hostname` as `net.connect` takes it (IPv6 without brackets). */
export interface Http1Target {
  hostname: string
  port: number
  /** Path and query, already percent-encoded (a WHATWG URL's `pathname + search`). */
  path: string
}

export interface Http1Answer {
  status: number
  body: string
  /** The socket had served an earlier request. */
  reused: boolean
}

/** Names an attempt that got no complete answer in time (as `AbortSignal.timeout` would). */
export class Http1TimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`)
    this.name = 'TimeoutError'
  }
}

const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/
const INVALID_PATH = /[^\u0021-\u00ff]/

/** The request line and headers as `node:http` writes them (see the class comment). */
function requestHead(target: Http1Target, method: string, headers: ReadonlyArray<readonly [string, string]>): string {
  if (!TOKEN.test(method)) throw codeError(`Method must be a valid HTTP token ["${method}"]`, 'ERR_INVALID_HTTP_TOKEN')
  if (INVALID_PATH.test(target.path))
    throw codeError('Request path contains unescaped characters', 'ERR_UNESCAPED_CHARACTERS')
  let head = `${method} ${target.path} HTTP/1.1\r\n`
  let host = false
  let connection = false
  for (const [name, value] of headers) {
    if (!TOKEN.test(name))
      throw codeError(`Header name must be a valid HTTP token ["${name}"]`, 'ERR_INVALID_HTTP_TOKEN')
    if (INVALID_VALUE.test(value))
      throw codeError(`Invalid character in header content ["${name}"]`, 'ERR_INVALID_CHAR')
    const lower = name.length === 4 || name.length === 10 ? name.toLowerCase() : ''
    if (lower === 'host') host = true
    else if (lower === 'connection') connection = true
    head += `${name}: ${value}\r\n`
  }
  if (!host) {
    const name = target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname
    head += target.port === 80 ? `Host: ${name}\r\n` : `Host: ${name}:${target.port}\r\n`
  }
  if (!connection) head += 'Connection: keep-alive\r\n'
  return `${head}\r\n`
}

function codeError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code })
}

/** One kept-alive socket; serves one exchange at a time. */
class Connection {
  private exchange?: Exchange
  private timer?: NodeJS.Timeout
  private served = 0

  constructor(
    readonly socket: Socket,
    readonly key: string,
    private readonly client: Http1Client,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('end', () => this.onEnd())
    socket.on('error', (error: Error) => this.fail(error))
    socket.on('close', () => {
      this.fail(hangUp())
      client.forget(this)
    })
  }

  start(exchange: Exchange, bytes: Buffer, timeoutMs: number): void {
    exchange.reused = this.served > 0
    this.served++
    this.exchange = exchange
    this.socket.ref()
    this.timer = setTimeout(() => this.socket.destroy(new Http1TimeoutError(timeoutMs)), timeoutMs)
    this.socket.write(bytes)
  }

  private onData(chunk: Buffer): void {
    const exchange = this.exchange
    // Bytes while idle: the server is not speaking HTTP/1.1 as agreed; never reuse this socket.
    if (!exchange) return void this.socket.destroy()
    let outcome: ReturnType<Exchange['feed']>
    try {
      outcome = exchange.feed(chunk)
    } catch (error) {
      return void this.socket.destroy(error as Error)
    }
    if (outcome === 'more') return
    this.finish()
    exchange.complete()
    if (outcome === 'reuse') {
      this.socket.unref()
      this.client.release(this)
    } else this.socket.destroy()
  }

  private onEnd(): void {
    const exchange = this.exchange
    if (exchange?.endsAtClose()) {
      this.finish()
      exchange.complete()
    }
    this.client.forget(this)
    this.socket.destroy()
  }

  private fail(error: Error): void {
    const exchange = this.exchange
    if (!exchange) return
    this.finish()
    exchange.reject(Object.assign(error, { reused: exchange.reused }))
  }

  private finish(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.exchange = undefined
  }
}

/** node:http's error for a connection closed before a complete answer. */
function hangUp(): Error {
  return codeError('socket hang up', 'ECONNRESET')
}

function parseError(reason: string): Error {
  return codeError(`Parse Error: ${reason}`, 'HPE_INVALID_RESPONSE')
}

type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'close' | 'done'

/** Parses one answer from the bytes it is fed. */
class Exchange {
  reused = false
  private phase: Phase = 'head'
  private pending: Buffer | undefined
  private status = 0
  private keepAlive = false
  private remaining = 0
  private chunks: Buffer[] = []
  private kept = 0

  constructor(
    private readonly resolve: (answer: Http1Answer) => void,
    readonly reject: (error: Error) => void,
    private readonly maxAnswerBytes: number,
    private readonly maxHeaderBytes: number,
  ) {}

  /** `more` until the answer is complete; then whether the connection may serve another request. */
  feed(chunk: Buffer): 'more' | 'reuse' | 'close' {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk
    this.pending = undefined
    for (;;) {
      switch (this.phase) {
        case 'head': {
          const end = headEnd(buf)
          if (end === -1) {
            if (buf.length > this.maxHeaderBytes) throw parseError('the answer headers are too large')
            this.pending = buf
            return 'more'
          }
          this.head(buf.toString('latin1', 0, end.at))
          buf = buf.subarray(end.at + end.length)
          break
        }
        case 'length':
          buf = this.body(buf)
          if (this.remaining > 0) return 'more'
          this.phase = 'done'
          break
        case 'chunk-size': {
          const eol = buf.indexOf(10)
          if (eol === -1) {
            if (buf.length > 1024) throw parseError('a chunk size line is too long')
            this.pending = buf
            return 'more'
          }
          const line = buf.toString('latin1', 0, eol).replace(/\r$/, '')
          const hex = line.split(';')[0].trim()
          if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw parseError(`invalid chunk size "${line}"`)
          this.remaining = parseInt(hex, 16)
          this.phase = this.remaining === 0 ? 'trailers' : 'chunk-data'
          buf = buf.subarray(eol + 1)
          break
        }
        case 'chunk-data':
          buf = this.body(buf)
          if (this.remaining > 0) return 'more'
          this.phase = 'chunk-end'
          break
        case 'chunk-end': {
          const skip = buf[0] === 13 ? 2 : 1
          if (buf.length < skip) {
            this.pending = buf
            return 'more'
          }
          if (buf[skip - 1] !== 10) throw parseError('a chunk does not end with CRLF')
          buf = buf.subarray(skip)
          this.phase = 'chunk-size'
          break
        }
        case 'trailers': {
          // Trailer fields, then an empty line; the fields themselves are ignored.
          const eol = buf.indexOf(10)
          if (eol === -1) {
            if (buf.length > this.maxHeaderBytes) throw parseError('the answer trailers are too large')
            this.pending = buf
            return 'more'
          }
          const empty = eol === 0 || (eol === 1 && buf[0] === 13)
          buf = buf.subarray(eol + 1)
          if (empty) this.phase = 'done'
          break
        }
        case 'close':
          this.keep(buf)
          return 'more'
        case 'done':
          // Anything after the answer (we never pipeline): do not trust the connection again.
          return this.keepAlive && buf.length === 0 ? 'reuse' : 'close'
      }
    }
  }

  /** The connection ended: true when that completes the answer (a body read to the close). */
  endsAtClose(): boolean {
    return this.phase === 'close'
  }

  complete(): void {
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks)
    this.resolve({ status: this.status, body: body.toString('utf8'), reused: this.reused })
  }

  /** Reads up to `remaining` bytes of the body from `buf`; returns what follows them. */
  private body(buf: Buffer): Buffer {
    const take = Math.min(this.remaining, buf.length)
    this.keep(buf.subarray(0, take))
    this.remaining -= take
    return buf.subarray(take)
  }

  private keep(bytes: Buffer): void {
    if (this.kept >= this.maxAnswerBytes || bytes.length === 0) return
    const part =
      bytes.length > this.maxAnswerBytes - this.kept ? bytes.subarray(0, this.maxAnswerBytes - this.kept) : bytes
    this.chunks.push(part)
    this.kept += part.length
  }

  /** Reads the status line and headers; sets how the body is framed. */
  private head(text: string): void {
    const lines = text.split(/\r?\n/)
    const m = /^HTTP\/(\d)\.(\d) (\d{3})(?: [^\r\n]*)?$/.exec(lines[0])
    if (!m) throw parseError(`expected an HTTP/1.x status line, got ${JSON.stringify(lines[0].slice(0, 80))}`)
    const status = Number(m[3])
    let length: string | undefined
    let chunked = false
    let coded = false
    let connection = ''
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]
      const colon = line.indexOf(':')
      if (colon <= 0) throw parseError(`invalid header line ${JSON.stringify(line.slice(0, 80))}`)
      const name = line.slice(0, colon).toLowerCase()
      const value = line.slice(colon + 1).trim()
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== value))
          throw parseError(`invalid Content-Length ${JSON.stringify(value)}`)
        length = value
      } else if (name === 'transfer-encoding') {
        coded = true
        chunked = /(?:^|,)\s*chunked\s*$/i.test(value)
      } else if (name === 'connection') connection += `${value.toLowerCase()},`
    }
    // Interim answers (100 Continue, 103 Early Hints): the real one follows.
    if (status >= 100 && status < 200 && status !== 101) return
    this.status = status
    const http11 = m[1] === '1' && m[2] === '1'
    this.keepAlive = http11 ? !/(?:^|[\s,])close\s*,/.test(connection) : /(?:^|[\s,])keep-alive\s*,/.test(connection)
    if (status === 204 || status === 304 || status === 101) this.phase = 'done'
    else if (coded) this.phase = chunked ? 'chunk-size' : 'close'
    else if (length !== undefined) {
      this.remaining = Number(length)
      this.phase = this.remaining === 0 ? 'done' : 'length'
    } else this.phase = 'close'
    if (this.phase === 'close' || status === 101) this.keepAlive = false
  }
}

/** Where the header block ends (CRLF CRLF, or bare LF LF as lenient parsers accept), or -1. */
function headEnd(buf: Buffer): { at: number; length: number } | -1 {
  const crlf = buf.indexOf('\r\n\r\n', 0, 'latin1')
  const lf = buf.indexOf('\n\n', 0, 'latin1')
  if (crlf === -1 && lf === -1) return -1
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return { at: crlf, length: 4 }
  return { at: lf, length: 2 }
}
