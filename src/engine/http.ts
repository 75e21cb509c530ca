import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { nginxErrorPage } from '../wire/nginx.js'
import type { Clock } from './clock.js'
import type { SandboxEnv } from './env.js'
import type { Journal } from './journal.js'
import type { AnyProvider } from './provider.js'
import type { Decision, Fault, RequestFacts, Scenarios } from './scenarios.js'

export type { NodeBindings, SandboxEnv } from './env.js'

/** What answering a request needs of the engine: its clock, and a signal that aborts on close. */
export interface Runtime {
  clock: Pick<Clock, 'sleep'>
  closing: AbortSignal
}

/** Header on a response whose socket must be reset; surfaces without sockets turn it into a network error. */
export const RESET_MARKER = 'x-psp-sandbox-fault'

/** Largest request body a provider route reads. */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * Records every request to a provider path in the journal with its answer, once the answer is
 * known. Routes add the operation, rule, auth verdict and notes to `c.get('journal')`.
 *
 * Cost model: the request body is read once, here, when its length is declared and within
 * `MAX_BODY_BYTES` (Hono caches it, so the route's `c.req.text()`/`json()`/`parseBody()` reuse
 * it), and the answer's text is taken where the route renders it (`c.body`, `c.text`, `c.json`,
 * `c.html`, or `answerText` for an answer built by hand), so neither stream is cloned.
 * In-process requests (msw, `app.fetch`) declare no length: their body stream is read here, up to
 * the limit. Only answers built another way (faults, redirects) and chunked bodies over a socket
 * fall back to reading a copy.
 */
export function journalRequests(engine: { journal: Journal }, provider: AnyProvider): MiddlewareHandler<SandboxEnv> {
  const max = engine.journal.maxBodyBytes
  return async (c, next) => {
    const started = Date.now()
    const url = c.req.url
    const entry = engine.journal.draft('request', {
      provider: provider.id,
      method: c.req.method,
      path: url.slice(url.indexOf('/', url.indexOf('//') + 2)),
    })
    c.set('journal', entry)
    const requestText = readBodyOnce(c) ?? (c.env?.incoming ? undefined : (await readStreamOnce(c))?.text)
    const copy = requestText === undefined && c.req.raw.body ? c.req.raw.clone() : undefined
    const rendered = captureRendered(c)
    try {
      await next()
    } finally {
      entry.status = c.res?.status
      entry.durationMs = Date.now() - started
      if (requestText !== undefined) entry.requestBody = await requestText.catch(() => '')
      else if (copy) entry.requestBody = await readPrefix(copy.body, max)
      const res = c.res
      const text = rendered.response !== undefined && rendered.response === res ? rendered.text : textOf.get(res)
      if (text !== undefined) entry.responseBody = text
      else if (res?.body && !res.headers.get(RESET_MARKER)) entry.responseBody = await readPrefix(res.clone().body, max)
      engine.journal.record(entry)
    }
  }
}

/** Texts of answers a provider built itself (`new Response(text)`), by answer: see `answerText`. */
const textOf = new WeakMap<Response, string>()

/**
 * Tells the journal the text of an answer built with `new Response(text, …)` rather than the
 * context's render helpers, so it records that text instead of reading a copy of the stream.
 *
 * @example
 * return answerText(new Response(body, { status, headers }), body)
 */
export function answerText(response: Response, text: string): Response {
  textOf.set(response, text)
  return response
}

/**
 * Reads a request body of declared length (at most `MAX_BODY_BYTES`) once and seeds Hono's body
 * cache with its bytes and text, so every later reader (route, journal) shares one read. Returns
 * the text, or undefined when the body is absent, chunked or too large (left to `limitBody`).
 */
function readBodyOnce(c: Context<SandboxEnv>): Promise<string> | undefined {
  const method = c.req.method
  if (method === 'GET' || method === 'HEAD') return undefined
  const raw = c.req.raw
  const length = raw.headers.get('content-length')
  if (length === null || raw.headers.has('transfer-encoding')) return undefined
  const size = Number(length)
  if (!(size >= 0 && size <= MAX_BODY_BYTES)) return undefined
  return seedBodyCache(c, raw.arrayBuffer())
}

/** Seeds Hono's body cache with the bytes and their text; returns the text. */
function seedBodyCache(c: Context<SandboxEnv>, bytes: Promise<ArrayBuffer>): Promise<string> {
  const text = bytes.then((b) => textDecoder.decode(b))
  // Bytes first: Hono derives formData/blob from the first cached entry, byte for byte.
  const cache = c.req.bodyCache as Record<string, Promise<unknown>>
  cache.arrayBuffer = bytes
  cache.text = text
  bytes.catch(() => {})
  text.catch(() => {})
  return text
}

/**
 * Reads an in-process request's body stream (no declared length) once, up to `MAX_BODY_BYTES`,
 * into Hono's body cache. A larger body is handed on untouched (the bytes read so far, then the
 * rest) for `limitBody` to refuse; the result is then undefined.
 */
async function readStreamOnce(c: Context<SandboxEnv>): Promise<{ text: Promise<string> } | undefined> {
  const raw = c.req.raw
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || !raw.body || raw.bodyUsed) return undefined
  const reader = raw.body.getReader()
  const chunks: Uint8Array[] = []
  try {
    if (await readUpTo(reader, MAX_BODY_BYTES, chunks)) {
      const rest = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk)
        },
        async pull(controller) {
          const next = await reader.read()
          if (next.done) controller.close()
          else controller.enqueue(next.value)
        },
        cancel: (reason) => reader.cancel(reason),
      })
      c.req.raw = new Request(raw, { body: rest, duplex: 'half' } as RequestInit)
      return undefined
    }
  } catch {
    return { text: seedBodyCache(c, Promise.reject(new Error('the request body could not be read'))) }
  }
  const bytes = Buffer.concat(chunks)
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  return { text: seedBodyCache(c, Promise.resolve(buffer)) }
}

const textDecoder = new TextDecoder()

/**
 * Wraps the context's render helpers so the text of the answer is kept as the route renders it.
 * `response` is the Response that text became; the journal uses the text only if that Response is
 * still the answer (a later middleware may replace it).
 */
function captureRendered(c: Context<SandboxEnv>): { response?: Response; text?: string } {
  const seen: { response?: Response; text?: string } = {}
  const keep =
    <A extends unknown[]>(render: (data: never, ...rest: A) => Response | Promise<Response>) =>
    (data: unknown, ...rest: A) => {
      const out = render(data as never, ...rest)
      if (out instanceof Response) {
        seen.response = out
        seen.text = typeof data === 'string' || data instanceof String ? String(data) : undefined
        if (seen.text === undefined && data !== null && data !== undefined) seen.response = undefined
      }
      return out
    }
  const ctx = c as unknown as Record<'body' | 'text' | 'html' | 'json', unknown>
  const body = keep(c.body.bind(c) as never)
  ctx.body = body
  ctx.text = keep(c.text.bind(c) as never)
  ctx.html = keep(c.html.bind(c) as never)
  // Hono's c.json is c.body(JSON.stringify(value)) with a default content type; one stringify.
  ctx.json = (value: unknown, arg?: unknown, headers?: Record<string, string>) =>
    body(JSON.stringify(value), arg, { 'Content-Type': 'application/json', ...headers })
  return seen
}

/** Refuses bodies over `MAX_BODY_BYTES` without reading them whole, in the provider's own format. */
export function limitBody(provider: AnyProvider): MiddlewareHandler<SandboxEnv> {
  const refuse = (c: Context<SandboxEnv>) => {
    c.get('journal')?.notes.push(
      `the request body is larger than ${MAX_BODY_BYTES} bytes; the sandbox refused it without reading it`,
    )
    // The rest of the body is never read: say so, or the client reuses a socket the server
    // closes under it once node-server's short drain gives up.
    c.header('Connection', 'close')
    return Promise.resolve(provider.problem(c, 'body-too-large')).then(closeAfter)
  }
  const chunked = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => refuse(c as unknown as Context<SandboxEnv>) })
  return (c, next) => {
    // A declared length is checked from the header alone: touching `c.req.raw.body` would turn
    // the server's direct body read into a web stream.
    const headers = c.req.raw.headers
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    // Already read within the limit (an in-process request, see `journalRequests`).
    if ((c.req.bodyCache as Record<string, unknown>).arrayBuffer) return next()
    const length = headers.get('content-length')
    if (length !== null && !headers.has('transfer-encoding'))
      return Number(length) > MAX_BODY_BYTES ? Promise.resolve(refuse(c)) : next()
    return chunked(c, next)
  }
}

/** The response with `Connection: close` (a copy when its headers are immutable). */
function closeAfter(res: Response): Response {
  try {
    res.headers.set('connection', 'close')
    return res
  } catch {
    const copy = new Response(res.body, res)
    copy.headers.set('connection', 'close')
    return copy
  }
}

/**
 * Asks the scenarios what to do with a request and notes the verdict in the request's journal
 * entry.
 */
export function decide(
  c: Context<SandboxEnv>,
  engine: { scenarios: Pick<Scenarios, 'decide'> },
  provider: string,
  facts: RequestFacts,
): Decision {
  const decision = engine.scenarios.decide(provider, facts)
  const entry = c.get('journal')
  if (entry) {
    entry.operation = facts.operation
    entry.merchant ??= facts.merchant
    entry.reference ??= facts.reference
    entry.rule = decision.rule
  }
  return decision
}

/**
 * Produces the answer a decision asks for: waits `respond.latency` on the sandbox clock, then
 * either answers normally or misbehaves as `respond.fault` says. `timeout`, `reset` and
 * `http-5xx` happen before processing (nothing is stored) unless `processed: true`; `empty` and
 * `malformed` garble an answer that was processed.
 *
 * @example
 * return respond(c, engine, decision, async () => c.json(await accept()))
 */
export async function respond(
  c: Context<SandboxEnv>,
  engine: Runtime,
  decision: Decision,
  produce: () => Promise<Response>,
): Promise<Response> {
  const spec = decision.respond
  if (!spec) return produce()
  if (spec.latency > 0) {
    c.get('journal')?.notes.push(`answer delayed by ${spec.latency} ms (clock time) by ${decision.rule}`)
    await engine.clock.sleep(spec.latency)
  }
  if (!spec.fault) return produce()
  const processFirst = spec.processed || spec.fault === 'empty' || spec.fault === 'malformed'
  const normal = processFirst ? await produce() : undefined
  c.get('journal')?.notes.push(
    `fault "${spec.fault}" by ${decision.rule}: ${processFirst ? 'the request was processed, then' : 'nothing was stored;'} ${FAULT_WORDS[spec.fault]}`,
  )
  return fault(c, engine, spec.fault, normal)
}

const FAULT_WORDS: Record<Fault, string> = {
  timeout: 'the answer never comes (the client must time out)',
  reset: 'the connection was reset',
  empty: 'the answer has an empty body',
  malformed: 'the answer body was cut in half',
  'http-500': 'answered HTTP 500 from the gateway',
  'http-503': 'answered HTTP 503 from the gateway',
}

async function fault(c: Context<SandboxEnv>, engine: Runtime, kind: Fault, normal?: Response): Promise<Response> {
  const contentType = normal?.headers.get('content-type') ?? 'text/plain'
  switch (kind) {
    case 'timeout':
      await new Promise<void>((resolve) => {
        const signals = [c.req.raw.signal, engine.closing]
        for (const s of signals) {
          if (s?.aborted) return resolve()
          s?.addEventListener('abort', () => resolve(), { once: true })
        }
      })
      return new Response(null, { status: 504 })
    case 'reset':
      c.env?.incoming?.socket?.destroy()
      return new Response(null, { status: 502, headers: { [RESET_MARKER]: 'reset' } })
    case 'empty':
      return new Response('', { status: normal?.status ?? 200, headers: { 'content-type': contentType } })
    case 'malformed': {
      const text = normal ? await normal.text() : '{"status":'
      return new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), {
        status: normal?.status ?? 200,
        headers: { 'content-type': contentType },
      })
    }
    case 'http-500':
      return gatewayPage(500, 'Internal Server Error')
    case 'http-503':
      return gatewayPage(503, 'Service Temporarily Unavailable')
  }
}

function gatewayPage(status: number, text: string): Response {
  return new Response(nginxErrorPage(status, text), { status, headers: { 'content-type': 'text/html' } })
}

/**
 * Reads chunks into `chunks` until the stream ends (false) or more than `max` bytes arrived
 * (true; the rest stays unread). Throws what the stream throws, keeping what arrived.
 */
async function readUpTo(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  max: number,
  chunks: Uint8Array[],
): Promise<boolean> {
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return false
    chunks.push(value)
    size += value.byteLength
    if (size > max) return true
  }
}

/** Reads at most `max` bytes of a body as text, then cancels the rest. */
async function readPrefix(body: ReadableStream<Uint8Array> | null, max: number): Promise<string> {
  if (!body) return ''
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let more = false
  try {
    more = await readUpTo(reader, max, chunks)
  } catch {
    /* an aborted body: journal what arrived */
  } finally {
    if (more) void reader.cancel().catch(() => {})
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return more ? `${text.slice(0, max)}… [body cut at ${max} bytes]` : text
}
