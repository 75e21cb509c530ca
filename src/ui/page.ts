import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/**
 * The frame of every page the sandbox serves to a person (hosted payment pages, docs): plain,
 * readable, no external assets, marked clearly as a sandbox.
 *
 * @example
 * return c.html(page('Approve payment', html`<p>Pay 10.00 USD</p>`))
 */
export function page(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>, provider?: string) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <div class="banner">psp-sandbox${provider ? ` · ${provider}` : ''} · test environment, no real money moves</div>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`
}

/** A definition list of label/value pairs. */
export function facts(rows: Array<[string, string | number | undefined]>) {
  return html`<dl>
    ${rows
      .filter(([, v]) => v !== undefined && v !== '')
      .map(
        ([k, v]) =>
          html`<dt>${k}</dt>
            <dd>${String(v)}</dd>`,
      )}
  </dl>`
}

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
.banner{background:#1d2330;color:#fff;padding:.4rem 1rem;font-size:.85rem}
main{max-width:34rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
dt{color:#5b6475}dd{margin:0;font-weight:600;word-break:break-all}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #c5cad3;background:#fff;cursor:pointer;margin:.3rem .3rem 0 0}
button.primary{background:#1f7a3a;border-color:#1f7a3a;color:#fff}
button.danger{background:#b3261e;border-color:#b3261e;color:#fff}
.status{padding:.5rem .8rem;border-radius:6px;background:#eef1f5}
pre,code{white-space:pre-wrap;overflow-wrap:anywhere}
p,li,td{overflow-wrap:anywhere}
img,svg{max-width:100%;height:auto}
@media (max-width:600px){main{margin:0;border-radius:0;box-shadow:none;padding:1rem}}
`
