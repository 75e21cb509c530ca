import { readFileSync } from 'node:fs'
import type { OpenAPIObject } from 'openapi3-ts/oas31'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../src/sandbox.js'
import { adminOpenApi } from '../src/admin/openapi.js'
import { PROVIDERS } from '../src/providers/index.js'
import { connecxOpenApi } from '../src/providers/connecx/openapi.js'

/** Every document `npm run openapi` writes: the admin API and one per provider (built on first use). */
const providerDocuments = new Map(await Promise.all(PROVIDERS.map(async (p) => [p.id, await p.openapi()] as const)))
const documents: Record<string, () => OpenAPIObject> = {
  admin: adminOpenApi,
  ...Object.fromEntries(PROVIDERS.map((p) => [p.id, () => providerDocuments.get(p.id)!])),
}

/** Which document describes the routes under each prefix. */
const PREFIXES: Array<[prefix: string, document: string]> = [
  ['/_sandbox', 'admin'],
  ...PROVIDERS.flatMap((p) => p.pathPrefixes.map((prefix) => [prefix, p.id] as [string, string])),
]

// Scenario rules play no part in what is served or documented here.
/** Where two texts first differ: line and column, with both versions around that point. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n')
  const e = expected.split('\n')
  let line = a.findIndex((text, n) => text !== e[n])
  if (line === -1) line = a.length
  const [x, y] = [a[line] ?? '', e[line] ?? '']
  let col = 0
  while (col < x.length && x[col] === y[col]) col++
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, col - 30), col + 50))
  return `line ${line + 1}, column ${col + 1}: checked in ${around(x)}, generated ${around(y)}`
}

const sandbox = createSandbox({ clock: 'virtual', builtInScenarios: false })
afterAll(() => sandbox.close())

describe('the checked-in OpenAPI documents', () => {
  for (const [name, generate] of Object.entries(documents)) {
    it(`openapi/${name}.json is the generated document`, () => {
      const file = new URL(`../openapi/${name}.json`, import.meta.url)
      const expected = `${JSON.stringify(generate(), null, 2)}\n`
      let actual: string | undefined
      try {
        actual = readFileSync(file, 'utf8')
      } catch {
        actual = undefined
      }
      if (actual === expected) return
      const stale =
        actual === undefined
          ? 'is missing'
          : `is out of date (first difference at ${firstDifference(actual, expected)})`
      expect.fail(`openapi/${name}.json ${stale}: run \`npm run openapi\` and check the result in`)
    })
  }
})

/** A path with its parameter names blanked: `/txn/:txnId` and `/txn/{id}` are the same route. */
const shape = (path: string) => path.replace(/:[A-Za-z0-9_]+|\{[^}]+\}/g, '{}')

describe('every served route is documented', () => {
  const served = () =>
    sandbox.app.routes
      .filter((r) => !(r.method === 'ALL' && r.path.endsWith('*')))
      .map((r) => ({ method: r.method.toLowerCase(), path: shape(r.path) }))

  for (const [prefix, name] of PREFIXES) {
    it(`${prefix} routes are in ${name}.json`, () => {
      const doc = documents[name]()
      const routes = served().filter((r) => r.path === prefix || r.path.startsWith(`${prefix}/`))
      expect(routes.length).toBeGreaterThan(0)
      const documented = new Set(
        Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
          Object.keys(item as object).map((m) => `${m} ${shape(path)}`),
        ),
      )
      // A route for every method (PHP scripts answer any method) is documented by any method.
      const undocumented = routes
        .filter(
          (r) =>
            !(r.method === 'all'
              ? [...documented].some((d) => d.endsWith(` ${r.path}`))
              : documented.has(`${r.method} ${r.path}`)),
        )
        .map((r) => `${r.method.toUpperCase()} ${r.path}`)
      expect(undocumented, `served but not documented in ${name}.json`).toEqual([])
    })
  }

  it('documents no route the app does not serve', () => {
    const routes = new Set(served().map((r) => `${r.method} ${r.path}`))
    for (const [, name] of PREFIXES) {
      const extra = Object.entries(documents[name]().paths ?? {}).flatMap(([path, item]) =>
        ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']
          .filter((m) => (item as Record<string, unknown>)[m])
          .map((m) => `${m} ${shape(path)}`)
          .filter((key) => !routes.has(key) && !routes.has(`all ${key.slice(key.indexOf(' ') + 1)}`)),
      )
      expect(extra, `documented in ${name}.json but not served`).toEqual([])
    }
  })
})

describe('the served documents', () => {
  for (const name of Object.keys(documents)) {
    it(`GET /_sandbox/openapi/${name}.json answers the generated document`, async () => {
      const res = await sandbox.app.request(`/_sandbox/openapi/${name}.json`)
      expect(res.status).toBe(200)
      expect(await res.json()).toStrictEqual(JSON.parse(JSON.stringify(documents[name]())))
    })
  }
})

describe('the documented Connecx examples', () => {
  it('work in document order against a fresh sandbox, and the answers are the documented ones', async () => {
    const fresh = createSandbox({ clock: 'virtual', builtInScenarios: false, onCallback: () => {} })
    try {
      const doc = connecxOpenApi()
      const base = doc.servers![0].url
      type Param = { name: string; in: string; example?: unknown }
      type Operation = {
        parameters?: Param[]
        requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> }
        responses: Record<string, { content?: Record<string, { examples?: Record<string, { value: unknown }> }> }>
      }
      const sent: string[] = []
      for (const [path, item] of Object.entries(doc.paths ?? {})) {
        for (const method of ['post', 'get'] as const) {
          const op = (item as Record<string, Operation | undefined>)[method]
          if (!op || (method === 'post' && !op.requestBody?.content['application/json'])) continue
          const params = op.parameters ?? []
          const url = new URL(
            base +
              path.replace(/\{(\w+)\}/g, (_, name: string) =>
                encodeURIComponent(String(params.find((p) => p.in === 'path' && p.name === name)!.example)),
              ),
          )
          for (const p of params)
            if (p.in === 'query' && p.example !== undefined) url.searchParams.set(p.name, String(p.example))
          const headers: Record<string, string> = { 'Content-Type': 'application/json' }
          for (const p of params)
            if (p.in === 'header' && p.name === 'X-paymesh-authz') headers[p.name] = String(p.example)
          const body = op.requestBody?.content['application/json'].examples?.seedSample.value
          const res = await fresh.fetch(
            new Request(url, {
              method: method.toUpperCase(),
              headers,
              body: body === undefined ? undefined : JSON.stringify(body),
            }),
          )
          const text = await res.text()
          expect(res.status, `${method.toUpperCase()} ${url.pathname}: ${text.slice(0, 200)}`).toBe(200)
          sent.push(`${method.toUpperCase()} ${path}`)
          const accepted = op.responses['200'].content?.['application/json']?.examples?.accepted?.value
          if (accepted) {
            const withoutTime = (v: unknown) => JSON.stringify({ ...(v as object), statusTimeStamp: 0 })
            expect(withoutTime(JSON.parse(text)), `${path}: the answer, key order included`).toBe(withoutTime(accepted))
          }
        }
      }
      expect(sent.length).toBeGreaterThanOrEqual(8)
    } finally {
      await fresh.close()
    }
  })
})
