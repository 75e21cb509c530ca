import http from 'node:http'
import https from 'node:https'
import { types } from 'node:util'
import { Http1Client, Http1TimeoutError } from '../wire/http1.js'
import type { Deliver } from './callbacks.js'
import type { CallbackRequest, CallbackResponse } from './provider.js'

export interface HttpDeliveryOptions {
  /** Gives up on an attempt after this many ms (real time), from the moment it is sent. */
  timeoutMs: number
  /** Attempts in flight to one merchant host (`host:port`) at a time; the rest wait their turn. Default 32. */
  maxPerHost?: number
  /** Reads at most this much of an answer (the ack rules need little). Default 1 MiB. */
  maxAnswerBytes?: number
}

/** `node:http`'s own `request` as this module found it. */
const NODE_REQUEST = http.request

/**
 * True when `http.request` is still Node's own: nothing (msw's `setupServer`, nock) replaced or
 * wrapped it to intercept requests. msw wraps it in a Proxy; nock assigns an anonymous function.
 */
function nodeRequestUntouched(): boolean {
  const current = http.request
  return current === NODE_REQUEST && current.name === 'request' && !types.isProxy(current)
}

/**
 * The default `Deliver`: real HTTP with kept-alive connections.
 *
 * On the wire a callback carries exactly the provider's headers (`request.headers`, names as
 * written) plus what HTTP itself needs: `Host`, `Content-Length` (for a body) and
 * `Connection: keep-alive`. No client defaults (`User-Agent`, `Accept`, `Accept-Language`,
 * `Sec-Fetch-Mode`, `Accept-Encoding`), which `fetch` would add and no provider sends.
 *
 * `http:` callbacks go through {@link Http1Client} (the same bytes as `node:http` writes, at a
 * quarter of its CPU); `https:` ones through `node:https` with a keep-alive agent. When something
 * intercepts `node:http` (msw's `setupServer`, nock), every callback goes through `node:http`,
 * so msw intercepts these requests like `fetch` ones.
 *
 * Attempts to one merchant host run at most `maxPerHost` at a time over reused connections; the
 * rest queue in due order, so a burst of due callbacks neither opens thousands of sockets nor
 * floods one merchant.
 *
 * @example
 * const deliver = httpDeliver({ timeoutMs: 10_000 })
 * await deliver({ url: 'http://127.0.0.1:4000/cb', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', event: 'COMPLETED' })
 * // → { status: 200, body: 'OK' }
 */
export function httpDeliver(options: HttpDeliveryOptions): Deliver & { close(): void } {
  const maxPerHost = options.maxPerHost ?? 32
  const maxAnswerBytes = options.maxAnswerBytes ?? 1024 * 1024
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: maxPerHost }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: maxPerHost }),
  }
  const client = new Http1Client({ timeoutMs: options.timeoutMs, maxAnswerBytes })
  const hosts = new Map<string, { active: number; waiting: Array<() => void> }>()

  /** Takes a free slot on `host`, or waits for one; the function it gives frees the slot. */
  const acquire = (host: string): (() => void) | Promise<() => void> => {
    let slot = hosts.get(host)
    if (!slot) hosts.set(host, (slot = { active: 0, waiting: [] }))
    const taken = slot
    const release = () => {
      taken.active--
      const next = taken.waiting.shift()
      if (next) next()
      else if (taken.active === 0) hosts.delete(host)
    }
    if (taken.active < maxPerHost) {
      taken.active++
      return release
    }
    return new Promise<() => void>((resolve) =>
      taken.waiting.push(() => {
        taken.active++
        resolve(release)
      }),
    )
  }

  /** An `http:` callback through the lean client: the same bytes as `node:http` would write. */
  const sendLean = (url: URL, request: CallbackRequest): Promise<CallbackResponse & { reused: boolean }> => {
    const headers = Object.entries(request.headers)
    const body = request.method === 'GET' ? undefined : Buffer.from(request.body, 'utf8')
    if (body && !headers.some(([h]) => h.toLowerCase() === 'content-length'))
      headers.push(['Content-Length', String(body.byteLength)])
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
    return client.request(
      { hostname, port: url.port ? Number(url.port) : 80, path: `${url.pathname}${url.search}` },
      request.method,
      headers,
      body,
    )
  }

  const send = (url: URL, request: CallbackRequest): Promise<CallbackResponse & { reused: boolean }> =>
    new Promise((resolve, reject) => {
      const client = url.protocol === 'https:' ? https : http
      const headers: Record<string, string> = { ...request.headers }
      const body = request.method === 'GET' ? undefined : Buffer.from(request.body, 'utf8')
      if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length'))
        headers['Content-Length'] = String(body.byteLength)
      const req = client.request(url, {
        method: request.method,
        headers,
        agent: agents[url.protocol as 'http:' | 'https:'],
      })
      const timer = setTimeout(() => req.destroy(new Http1TimeoutError(options.timeoutMs)), options.timeoutMs)
      req.once('error', (error) => {
        clearTimeout(timer)
        reject(Object.assign(error, { reused: req.reusedSocket }))
      })
      req.once('response', (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          if (size < maxAnswerBytes) chunks.push(chunk)
          size += chunk.byteLength
        })
        res.once('end', () => {
          clearTimeout(timer)
          const text = Buffer.concat(chunks).subarray(0, maxAnswerBytes).toString('utf8')
          resolve({ status: res.statusCode ?? 0, body: text, reused: req.reusedSocket })
        })
        res.once('error', (error) => {
          clearTimeout(timer)
          reject(error)
        })
      })
      req.end(body)
    })

  const deliver = async (request: CallbackRequest): Promise<CallbackResponse> => {
    const url = new URL(request.url)
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`"${request.url}" is not an http(s) URL; the callback cannot be sent`)
    const slot = acquire(url.host)
    const release = typeof slot === 'function' ? slot : await slot
    const exchange = url.protocol === 'http:' && nodeRequestUntouched() ? sendLean : send
    try {
      try {
        const { status, body } = await exchange(url, request)
        return { status, body }
      } catch (error) {
        // A kept-alive connection the merchant closed meanwhile: one fresh try, as browsers do.
        const e = error as NodeJS.ErrnoException & { reused?: boolean }
        if (!e.reused || (e.code !== 'ECONNRESET' && e.code !== 'EPIPE')) throw error
        const { status, body } = await exchange(url, request)
        return { status, body }
      }
    } finally {
      release()
    }
  }
  return Object.assign(deliver, {
    close: () => {
      client.close()
      agents['http:'].destroy()
      agents['https:'].destroy()
    },
  })
}
