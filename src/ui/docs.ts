import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Hono } from 'hono'
import { html } from 'hono/html'
import type { Engine } from '../engine/engine.js'
import { screen } from './layout.js'

/** The files of `swagger-ui-dist` the docs page uses, with their content types. */
const SWAGGER_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
}

/**
 * Starts Swagger UI on the page's documents. Try-it-out sends every request to this sandbox (a
 * provider document's own server URL is swapped for the page's origin), so the admin API and the
 * providers' paths can be called from the page. No online validator.
 */
const INIT_JS = `'use strict'
;(() => {
  const root = document.getElementById('swagger-ui')
  const urls = JSON.parse(root.dataset.urls)
  window.ui = SwaggerUIBundle({
    urls,
    'urls.primaryName': urls[0].name,
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    deepLinking: true,
    validatorUrl: null,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    requestInterceptor: (request) => {
      const url = new URL(request.url, location.origin)
      if (url.origin !== location.origin) request.url = location.origin + url.pathname + url.search
      return request
    },
  })
})()
`

const DOCS_CSS = `
#swagger-ui .topbar{background:#2a3142;padding:.4rem 0}
#swagger-ui .topbar .link{display:none}
#swagger-ui .information-container .info{margin:1rem 0}
#swagger-ui .wrapper{padding:0 .6rem}
#swagger-ui .renderedMarkdown table,#swagger-ui .markdown table{display:block;overflow-x:auto;max-width:100%}
#swagger-ui .renderedMarkdown td code{word-break:break-all}
#swagger-ui .markdown pre,#swagger-ui .markdown code{white-space:pre-wrap;overflow-wrap:anywhere}
.providers{margin:.2rem 0 0;padding-left:1.2rem}
`

/**
 * `/_sandbox/docs`: the admin and provider OpenAPI documents in Swagger UI (served from the
 * `swagger-ui-dist` package, nothing from the network), with try-it-out against this sandbox.
 *
 * @example
 * app.route('/_sandbox/docs', docsRoutes(engine))
 */
export function docsRoutes(engine: Engine): Hono {
  const app = new Hono()
  const cache = new Map<string, Buffer>()
  let dist: string | undefined

  app.get('/assets/:file', async (c) => {
    const file = c.req.param('file')
    if (file === 'docs.js') return c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' })
    if (file === 'docs.css') return c.body(DOCS_CSS, 200, { 'content-type': 'text/css; charset=utf-8' })
    const type = SWAGGER_FILES[file]
    if (!type)
      return c.json(
        { error: `no docs asset "${file}"; there are docs.js, docs.css, ${Object.keys(SWAGGER_FILES).join(', ')}` },
        404,
      )
    let bytes = cache.get(file)
    if (!bytes) {
      dist ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
      bytes = await readFile(join(dist, file))
      cache.set(file, bytes)
    }
    return c.body(new Uint8Array(bytes), 200, { 'content-type': type, 'cache-control': 'public, max-age=3600' })
  })

  app.get('/', (c) => {
    const urls = [
      { url: '/_sandbox/openapi/admin.json', name: 'admin — the sandbox admin API (/_sandbox)' },
      ...engine.providerList.map((p) => ({
        url: `/_sandbox/openapi/${p.id}.json`,
        name: `${p.id} — ${p.title} (${p.pathPrefixes.join(' ')})`,
      })),
    ]
    return screen(c, {
      title: 'API docs',
      section: 'docs',
      head: html`<link rel="stylesheet" href="/_sandbox/docs/assets/swagger-ui.css" />
        <link rel="stylesheet" href="/_sandbox/docs/assets/docs.css" />
        <link rel="icon" href="/_sandbox/docs/assets/favicon-32x32.png" />
        <script src="/_sandbox/docs/assets/swagger-ui-bundle.js" defer></script>
        <script src="/_sandbox/docs/assets/swagger-ui-standalone-preset.js" defer></script>
        <script src="/_sandbox/docs/assets/docs.js" defer></script>`,
      before: html`<div class="card small">
        <p style="margin-top:0">
          Every provider is served at its real paths on this port; the admin API lives under <code>/_sandbox</code>. The
          <a href="/_sandbox/ui" id="dashboard-link">dashboard</a> shows transactions, callbacks and the journal live.
          Pick a document in the bar below; <em>Try it out</em> sends the request to this sandbox.
        </p>
        <ul class="providers">
          ${engine.providerList.map(
            (p) =>
              html`<li>
                <strong>${p.title}</strong> (${p.id}) at <code>${p.pathPrefixes.join(' ')}</code> —
                <a href="/_sandbox/openapi/${p.id}.json">${p.id}.json</a>
              </li>`,
          )}
          <li>
            <strong>Admin API</strong> at <code>/_sandbox</code> — <a href="/_sandbox/openapi/admin.json">admin.json</a>
          </li>
        </ul>
      </div>`,
      after: html`<div id="swagger-ui" data-urls="${JSON.stringify(urls)}"></div>`,
    })
  })

  return app
}
