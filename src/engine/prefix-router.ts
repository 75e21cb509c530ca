import type { Result, Router } from 'hono/router'
import { RegExpRouter } from 'hono/router/reg-exp-router'
import { SmartRouter } from 'hono/router/smart-router'
import { TrieRouter } from 'hono/router/trie-router'

/**
 * A Hono router that splits routes by their first path segment (`/mxapi`, `/_sandbox`, …) and
 * gives each group its own `SmartRouter`, so one group's path shapes that Hono's fast
 * `RegExpRouter` cannot take (`/mxapi/authz/:txnId` beside `/mxapi/:merchantId/bdpayin`) send only
 * that group to the slower `TrieRouter`, and a request searches only its own group. Routes whose
 * first segment is not plain text (`*`, `/:id`, `/*`) belong to every group, in the order they were
 * added, so middleware runs exactly as with one router. Results are remembered by method and path
 * (a pay-in's path repeats for every pay-in of a merchant; Hono only reads them), up to
 * `MEMO_ENTRIES` paths of at most `MEMO_PATH_CHARS` characters.
 *
 * @example
 * const app = new Hono({ router: new PrefixRouter() })
 */
export class PrefixRouter<T> implements Router<T> {
  name = 'PrefixRouter'
  private readonly routes: Array<{ method: string; path: string; handler: T; segment?: string }> = []
  /** Built on the first match: a router per first segment, and one for every other path. */
  private groups?: Groups<T>

  add(method: string, path: string, handler: T): void {
    this.routes.push({ method, path, handler, segment: firstSegmentOfRoute(path) })
    this.groups = undefined
  }

  match(method: string, path: string): Result<T> {
    const groups = (this.groups ??= this.build())
    if (path.length > MEMO_PATH_CHARS) return this.search(groups, method, path)
    const key = `${method} ${path}`
    let result = groups.memo.get(key)
    if (result) return result
    result = this.search(groups, method, path)
    if (groups.memo.size >= MEMO_ENTRIES) groups.memo.clear()
    groups.memo.set(key, result)
    return result
  }

  private search(groups: Groups<T>, method: string, path: string): Result<T> {
    const end = path.indexOf('/', 1)
    const segment = end === -1 ? path.slice(1) : path.slice(1, end)
    return (groups.bySegment.get(segment) ?? groups.other).match(method, path)
  }

  private build(): Groups<T> {
    const group = (segment: string | undefined) => {
      const router = new SmartRouter<T>({ routers: [new RegExpRouter(), new TrieRouter()] })
      for (const r of this.routes)
        if (r.segment === undefined || r.segment === segment) router.add(r.method, r.path, r.handler)
      return router
    }
    const segments = new Set(this.routes.flatMap((r) => (r.segment === undefined ? [] : [r.segment])))
    return {
      memo: new Map(),
      bySegment: new Map([...segments].map((s) => [s, group(s)])),
      other: this.routes.some((r) => r.segment === undefined)
        ? group(undefined)
        : { name: 'none', add() {}, match: () => [[]] },
    }
  }
}

interface Groups<T> {
  /** Results by `METHOD path`: the TrieRouter's search costs microseconds per request. */
  memo: Map<string, Result<T>>
  bySegment: Map<string, Router<T>>
  other: Router<T>
}

const MEMO_ENTRIES = 1000
const MEMO_PATH_CHARS = 256

/** The first path segment of a route when it is plain text (`/mxapi/:id` → `mxapi`), else undefined. */
function firstSegmentOfRoute(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined
  const end = path.indexOf('/', 1)
  const segment = end === -1 ? path.slice(1) : path.slice(1, end)
  return /^[^:*{}?()]*$/.test(segment) ? segment : undefined
}
