import http from 'node:http'
import https from 'node:https'
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

/** Names the error of an attempt that took longer than the callback timeout. */
class CallbackTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`)
    this.name = 'TimeoutError'
  }
}

/**
 * The default `Deliver`: real HTTP through `node:http`/`node:https` with keep-alive agents.
 *
 * On the wire a callback carries exactly the provider's headers (`request.headers`, names as
 * written) plus what HTTP itself needs: `Host`, `Content-Length` (for a body) and Node's
 * `Connection: keep-alive`. No client defaults (`User-Agent`, `Accept`, `Accept-Language`,
 * `Sec-Fetch-Mode`, `Accept-Encoding`), which `fetch` would add and no provider sends.
 *
 * Attempts to one merchant host run at most `maxPerHost` at a time over reused connections; the
 * rest queue in due order, so a burst of due callbacks neither opens thousands of sockets nor
 * floods one merchant. msw's `setupServer` intercepts these requests like `fetch` ones.
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
  const hosts = new Map<string, { active: number; waiting: Array<() => void> }>()

  /** Waits for a free slot on `host`; the returned function frees it. */
  const acquire = async (host: string): Promise<() => void> => {
    let slot = hosts.get(host)
    if (!slot) hosts.set(host, (slot = { active: 0, waiting: [] }))
    if (slot.active >= maxPerHost) await new Promise<void>((resolve) => slot!.waiting.push(resolve))
    slot.active++
    return () => {
      slot!.active--
      const next = slot!.waiting.shift()
      if (next) next()
      else if (slot!.active === 0) hosts.delete(host)
    }
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
      const timer = setTimeout(() => req.destroy(new CallbackTimeoutError(options.timeoutMs)), options.timeoutMs)
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
    const release = await acquire(url.host)
    try {
      try {
        const { status, body } = await send(url, request)
        return { status, body }
      } catch (error) {
        // A kept-alive connection the merchant closed meanwhile: one fresh try, as browsers do.
        const e = error as NodeJS.ErrnoException & { reused?: boolean }
        if (!e.reused || (e.code !== 'ECONNRESET' && e.code !== 'EPIPE')) throw error
        const { status, body } = await send(url, request)
        return { status, body }
      }
    } finally {
      release()
    }
  }
  return Object.assign(deliver, {
    close: () => {
      agents['http:'].destroy()
      agents['https:'].destroy()
    },
  })
}
