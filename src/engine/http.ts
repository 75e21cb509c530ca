import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Engine } from './engine.js'
import type { JournalEntry } from './journal.js'
import type { Provider } from './provider.js'
import type { Decision, Fault, RequestFacts } from './scenarios.js'

/** Node-server bindings when served over a real socket; absent in msw and `app.request()`. */
export interface NodeBindings {
  incoming?: { socket?: { destroy(): void } }
}

/** Hono environment of every sandbox route. */
export type SandboxEnv = {
  Bindings: NodeBindings
  Variables: { journal: JournalEntry }
}

/** Header on a response whose socket must be reset; surfaces without sockets turn it into a network error. */
export const RESET_MARKER = 'x-psp-sandbox-fault'

/** Largest request body a provider route reads. */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * Records every request to a provider path in the journal with its answer, once the answer is
 * known. Routes add the operation, rule, auth verdict and notes to `c.var.journal`.
 */
export function journalRequests(engine: Engine, provider: Provider): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const started = Date.now()
    const url = new URL(c.req.url)
    const entry = engine.journal.draft('request', {
      provider: provider.id,
      method: c.req.method,
      path: url.pathname + url.search,
    })
    c.set('journal', entry)
    const copy = c.req.raw.body ? c.req.raw.clone() : undefined
    try {
      await next()
    } finally {
      entry.status = c.res?.status
      entry.durationMs = Date.now() - started
      if (copy) entry.requestBody = await readPrefix(copy.body, engine.journal.maxBodyBytes)
      if (c.res?.body && !c.res.headers.get(RESET_MARKER))
        entry.responseBody = await readPrefix(c.res.clone().body, engine.journal.maxBodyBytes)
      engine.journal.record(entry)
    }
  }
}

/** Refuses bodies over `MAX_BODY_BYTES` without reading them whole, in the provider's own format. */
export function limitBody(provider: Provider): MiddlewareHandler<SandboxEnv> {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: async (c) => {
      const ctx = c as unknown as Context<SandboxEnv>
      ctx.var.journal?.notes.push(
        `the request body is larger than ${MAX_BODY_BYTES} bytes; the sandbox refused it without reading it`,
      )
      // The rest of the body is never read: say so, or the client reuses a socket the server
      // closes under it once node-server's short drain gives up.
      ctx.header('Connection', 'close')
      return closeAfter(await provider.problem(ctx, 'body-too-large'))
    },
  })
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
export function decide(c: Context<SandboxEnv>, engine: Engine, provider: string, facts: RequestFacts): Decision {
  const decision = engine.scenarios.decide(provider, facts)
  const entry = c.var.journal
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
  engine: Engine,
  decision: Decision,
  produce: () => Promise<Response>,
): Promise<Response> {
  const spec = decision.respond
  if (!spec) return produce()
  if (spec.latency > 0) {
    c.var.journal?.notes.push(`answer delayed by ${spec.latency} ms (clock time) by ${decision.rule}`)
    await engine.clock.sleep(spec.latency)
  }
  if (!spec.fault) return produce()
  const processFirst = spec.processed || spec.fault === 'empty' || spec.fault === 'malformed'
  const normal = processFirst ? await produce() : undefined
  c.var.journal?.notes.push(
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

async function fault(c: Context<SandboxEnv>, engine: Engine, kind: Fault, normal?: Response): Promise<Response> {
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
  const html = `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  return new Response(html, { status, headers: { 'content-type': 'text/html' } })
}

/** Reads at most `max` bytes of a body as text, then cancels the rest. */
async function readPrefix(body: ReadableStream<Uint8Array> | null, max: number): Promise<string> {
  if (!body) return ''
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let more = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
      if (size > max) {
        more = true
        break
      }
    }
  } catch {
    /* an aborted body: journal what arrived */
  } finally {
    if (more) void reader.cancel().catch(() => {})
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return more ? `${text.slice(0, max)}… [body cut at ${max} bytes]` : text
}
