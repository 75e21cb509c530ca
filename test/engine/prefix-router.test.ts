import { Hono } from 'hono'
import { SmartRouter } from 'hono/router/smart-router'
import { RegExpRouter } from 'hono/router/reg-exp-router'
import { TrieRouter } from 'hono/router/trie-router'
import { describe, expect, it } from 'vitest'
import { PrefixRouter } from '../../src/engine/prefix-router.js'
import { createSandbox } from '../../src/sandbox.js'

/** Every served route's path with its parameters filled in, plus paths no route serves. */
function requestPaths(routes: Array<{ path: string }>): string[] {
  const filled = routes.map((r) =>
    r.path
      .replace(/:[A-Za-z0-9_]+(\{[^}]*\})?/g, '12345')
      .replace(/\/\*$/, '/any/thing')
      .replace(/^\*$/, '/'),
  )
  return [...new Set([...filled, '/', '/nothing', '/mxapi', '/mxapi/', '/mxapi/authz/payref', '/_sandbox'])]
}

/** What a router answers, as comparable data: handler identities and parameter values in order. */
function answer(
  router: { match(m: string, p: string): unknown },
  method: string,
  path: string,
  ids: Map<unknown, number>,
) {
  const [matches, stash] = router.match(method, path) as [Array<[unknown, Record<string, unknown>]>, unknown[]?]
  return matches.map(([handler, params]) => [
    ids.get(handler),
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, stash ? stash[v as number] : v])),
  ])
}

describe('PrefixRouter', () => {
  it("matches the sandbox's routes exactly as one SmartRouter does: same handlers, same order, same parameters", async () => {
    const sandbox = createSandbox({ clock: 'virtual' })
    const routes = sandbox.app.routes
    const prefix = new PrefixRouter<unknown>()
    const smart = new SmartRouter<unknown>({ routers: [new RegExpRouter(), new TrieRouter()] })
    const ids = new Map<unknown, number>()
    for (const r of routes) {
      ids.set(r.handler, ids.size)
      prefix.add(r.method, r.path, r.handler)
      smart.add(r.method, r.path, r.handler)
    }
    for (const path of requestPaths(routes))
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
        const expected = answer(smart, method, path, ids)
        expect(answer(prefix, method, path, ids), `${method} ${path}`).toEqual(expected)
        // Remembered answers are the same answers.
        expect(answer(prefix, method, path, ids), `${method} ${path} (again)`).toEqual(expected)
      }
    await sandbox.close()
  })

  it('gives path groups their own router: the others keep the RegExpRouter when one group cannot', async () => {
    const app = new Hono({ router: new PrefixRouter() })
    app.use('*', async (c, next) => {
      await next()
      c.header('x-seen', 'yes')
    })
    app.get('/a/fixed/:id', (c) => c.text(`fixed ${c.req.param('id')}`))
    app.get('/a/:other/more', (c) => c.text(`other ${c.req.param('other')}`))
    app.get('/b/:id', (c) => c.text(`b ${c.req.param('id')}`))
    const res = await app.request('/a/fixed/7')
    expect([await res.text(), res.headers.get('x-seen')]).toEqual(['fixed 7', 'yes'])
    expect(await (await app.request('/a/x/more')).text()).toBe('other x')
    expect(await (await app.request('/b/9')).text()).toBe('b 9')
    expect((await app.request('/c')).status).toBe(404)
  })
})
