import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { sameBytes } from '../wire/compare.js'

/**
 * Who may drive the admin API (every path under `/_sandbox`, the dashboard included).
 *
 * @example
 * createSandbox({ admin: { token: process.env.PSP_SANDBOX_ADMIN_TOKEN, allowedHosts: ['psp-sandbox'] } })
 */
export interface AdminAccess {
  /**
   * When set, every admin request but `GET /_sandbox/health` must carry it as
   * `Authorization: Bearer <token>` (or the `psp-sandbox-admin-token` cookie). Required to bind a
   * non-loopback address.
   */
  token?: string
  /**
   * Host names (without port) the admin API answers besides the loopback ones (`localhost`,
   * `*.localhost`, `127.0.0.1`, `::1`); `*` answers any. Guards against DNS rebinding.
   */
  allowedHosts?: string[]
}

/** Largest admin request body (scenario files included). */
const MAX_ADMIN_BODY_BYTES = 1024 * 1024

/** The cookie a browser dashboard may use instead of the `Authorization` header. */
const ADMIN_TOKEN_COOKIE = 'psp-sandbox-admin-token'

const LOOPBACK_NAMES = /^(localhost|.+\.localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|\[?::ffff:127(?:\.\d{1,3}){3}\]?)$/i
const BODY_TYPES = /^(application\/(json|yaml|x-yaml|[\w.+-]+\+json)|text\/yaml)$/i
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** True for a loopback host name or address (`localhost`, `127.x.x.x`, `::1`). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.test(host.replace(/^\[(.*)\]$/, '$1'))
}

/** The host name of a `Host` header value, without port or IPv6 brackets. */
function hostName(value: string): string {
  const v = value.trim().toLowerCase()
  if (v.startsWith('[')) return v.slice(1, v.indexOf(']') > 0 ? v.indexOf(']') : undefined)
  return v.replace(/:\d*$/, '')
}

/**
 * The admin API's front door, in this order: the `Host` must be a known name (DNS rebinding);
 * a browser request must come from this origin (`Sec-Fetch-Site`, `Origin`); a state-changing
 * request with a body must say it is JSON (or YAML), which no plain HTML form or "simple" cross-site
 * `fetch` can; the token must match when one is configured; the body may not exceed
 * `MAX_ADMIN_BODY_BYTES`. Every refusal is `{"error": "…"}` saying what to change.
 *
 * @example
 * app.use('/_sandbox/*', ...guardAdmin({ token: 's3cret' }, engine.selfHosts))
 */
export function guardAdmin(access: AdminAccess = {}, selfHosts: ReadonlySet<string> = new Set()): MiddlewareHandler[] {
  const allowed = new Set((access.allowedHosts ?? []).map((h) => hostName(h)))
  const knownHost = (name: string, hostAndPort = name) =>
    allowed.has('*') || allowed.has(name) || isLoopbackHost(name) || selfHosts.has(hostAndPort)
  const refuse = (status: 400 | 401 | 403 | 413 | 415, error: string) =>
    new Response(JSON.stringify({ error }), {
      status,
      headers: {
        'content-type': 'application/json',
        ...(status === 401 ? { 'www-authenticate': 'Bearer realm="psp-sandbox admin"' } : {}),
      },
    })

  // `selfHosts` holds the `host:port` values surfaces serve (msw adds each provider's hosts).
  const front: MiddlewareHandler = async (c, next) => {
    const hostHeader = c.req.header('host') ?? new URL(c.req.url).host
    const host = hostName(hostHeader)
    if (!knownHost(host, hostHeader.trim().toLowerCase()))
      return refuse(
        403,
        `the admin API does not answer to Host "${hostHeader}" (a guard against DNS rebinding); call it at 127.0.0.1 or localhost, or start the sandbox with --allowed-hosts ${host}`,
      )
    const site = c.req.header('sec-fetch-site')
    if (site && site !== 'same-origin' && site !== 'none')
      return refuse(
        403,
        `a ${site} browser request may not drive the admin API (Sec-Fetch-Site: ${site}); open the sandbox's own pages, or call it from a script or curl`,
      )
    const origin = c.req.header('origin')
    if (origin !== undefined) {
      let from: URL | undefined
      try {
        from = new URL(origin)
      } catch {
        /* "null" or garbage: refused below */
      }
      const sameOrigin = from !== undefined && from.host.toLowerCase() === hostHeader.trim().toLowerCase()
      if (!from || (!sameOrigin && !knownHost(hostName(from.host))))
        return refuse(
          403,
          `a browser request from origin ${origin} may not drive the admin API; only pages of this sandbox (or of --allowed-hosts) may`,
        )
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim()
      const hasBody = c.req.raw.body !== null && c.req.header('content-length') !== '0'
      if ((hasBody || type) && !BODY_TYPES.test(type))
        return refuse(
          415,
          `${c.req.method} ${c.req.path} needs Content-Type: application/json (or application/yaml for scenarios)${type ? `, not ${type}` : ''}; the admin API refuses other types so that no web page can send it a form or a text/plain request`,
        )
    }
    if (access.token !== undefined && !(c.req.method === 'GET' && c.req.path === '/_sandbox/health')) {
      const given = bearer(c.req.header('authorization')) ?? cookie(c.req.header('cookie'), ADMIN_TOKEN_COOKIE)
      if (given === undefined)
        return refuse(
          401,
          `the admin API needs the admin token: send Authorization: Bearer <token> (the value of --admin-token or PSP_SANDBOX_ADMIN_TOKEN)`,
        )
      if (!sameBytes(given, access.token))
        return refuse(401, 'the admin token is wrong: send the value of --admin-token or PSP_SANDBOX_ADMIN_TOKEN')
    }
    await next()
  }

  const limit = bodyLimit({
    maxSize: MAX_ADMIN_BODY_BYTES,
    onError: (c) => {
      const res = refuse(
        413,
        `the body is larger than ${MAX_ADMIN_BODY_BYTES} bytes; split the change (e.g. one scenario file per PUT)`,
      )
      res.headers.set('connection', 'close')
      return res
    },
  })
  return [front, limit]
}

function bearer(value: string | undefined): string | undefined {
  const m = value?.match(/^\s*Bearer\s+(\S+)\s*$/i)
  return m?.[1]
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.split('=')
    if (k?.trim() === name) {
      try {
        return decodeURIComponent(v.join('=').trim())
      } catch {
        return v.join('=').trim()
      }
    }
  }
  return undefined
}
