/**
 * The dashboard's only assets, served from the package at `/_sandbox/ui/assets/*` (no CDN, no
 * inline scripts): one stylesheet and one small script.
 *
 * The script does four things: keeps the `[data-live]` region of a page current by re-fetching
 * it when `/_sandbox/events` (SSE) reports a change; sends `button[data-post]` actions and
 * `form[data-json]` forms to the admin API as same-origin `fetch` calls with a JSON body (what
 * the admin API's protections accept); shows their errors next to the form; and keeps `<details>`
 * open across refreshes.
 */
export const DASHBOARD_CSS = `
:root{--ink:#1d2330;--muted:#5b6475;--line:#dde1e8;--bg:#f4f5f7;--card:#fff;--accent:#2453a6;--ok:#1f7a3a;--bad:#b3261e;--warn:#8a5a00}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:var(--bg);color:var(--ink)}
a{color:var(--accent)}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
header.top{background:var(--ink);color:#fff;display:flex;flex-wrap:wrap;align-items:center;gap:.2rem 1rem;padding:.5rem 1rem}
header.top .brand{color:#fff;font-weight:700;text-decoration:none;margin-right:.5rem}
header.top nav{display:flex;flex-wrap:wrap;gap:.1rem .2rem}
header.top nav a{color:#cfd6e4;text-decoration:none;padding:.25rem .55rem;border-radius:4px}
header.top nav a.here,header.top nav a:hover{background:#ffffff1f;color:#fff}
#live-state{margin-left:auto;font-size:.8rem;color:#9aa3b5}
#live-state.on{color:#7fd49a}#live-state.off{color:#f0a090}
main{max-width:78rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.4rem 0 .8rem}
h2{font-size:1.05rem;margin:1.4rem 0 .5rem}
h3{font-size:.95rem;margin:.8rem 0 .3rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:.6rem 0;overflow-wrap:anywhere}
.muted{color:var(--muted)}.small{font-size:.85rem}.big{font-size:1.15rem}.t{white-space:nowrap}
table{border-collapse:collapse;width:100%;background:var(--card)}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.8rem;color:var(--muted);font-weight:600;background:#fafbfc}
tr:hover td{background:#f8f9fb}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.table{border:1px solid var(--line);border-radius:8px;overflow:hidden}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.78rem;font-weight:600;background:#e8ebf0;color:var(--ink);white-space:nowrap}
.badge.approved,.badge.acknowledged,.badge.ok{background:#dcf2e3;color:var(--ok)}
.badge.declined,.badge.failed,.badge.refused,.badge.bad{background:#fbe0de;color:var(--bad)}
.badge.pending,.badge.processing,.badge.scheduled{background:#fdf0d2;color:var(--warn)}
.badge.refunded{background:#dfe9fb;color:var(--accent)}
.badge.kind{background:#eef1f5;color:var(--muted);font-weight:500}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:.4rem 0 .8rem}
label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted);gap:.15rem}
label.inline{flex-direction:row;align-items:center;gap:.35rem;font-size:.9rem;color:var(--ink)}
input,select,textarea{font:inherit;padding:.35rem .5rem;border:1px solid #c5cad3;border-radius:6px;background:#fff;color:var(--ink);max-width:100%}
textarea{width:100%;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
button,.button{font:inherit;font-size:.9rem;padding:.4rem .8rem;border-radius:6px;border:1px solid #c5cad3;background:#fff;color:var(--ink);cursor:pointer;text-decoration:none;display:inline-block}
button:hover,.button:hover{border-color:var(--accent)}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
button.ok{background:var(--ok);border-color:var(--ok);color:#fff}
button.danger{background:var(--bad);border-color:var(--bad);color:#fff}
.actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
#flash{position:fixed;right:1rem;bottom:1rem;max-width:min(32rem,calc(100vw - 2rem));padding:.6rem .9rem;border-radius:8px;background:var(--ink);color:#fff;box-shadow:0 4px 12px #0003;display:none;white-space:pre-wrap;z-index:5}
#flash.ok{display:block;background:var(--ok)}#flash.error{display:block;background:var(--bad)}#flash.busy{display:block}
.form-error{color:var(--bad);background:#fdeceb;border:1px solid #f3c4c0;border-radius:6px;padding:.5rem .7rem;white-space:pre-wrap;margin:.5rem 0}
.form-error:empty{display:none}
pre.wire{background:#f6f7f9;border:1px solid var(--line);border-radius:6px;padding:.5rem .6rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:.3rem 0;max-height:28rem;overflow:auto}
details{border-bottom:1px solid var(--line);padding:.35rem 0}
details>summary{cursor:pointer;list-style-position:outside;display:flex;flex-wrap:wrap;gap:.2rem .6rem;align-items:baseline}
details>summary::-webkit-details-marker{display:none}
details>summary:before{content:"▸";color:var(--muted)}details[open]>summary:before{content:"▾"}
details .inner{padding:.3rem 0 .3rem 1rem}
.verdict{padding:.35rem .6rem;border-radius:6px;margin:.3rem 0}
.verdict.ok{background:#e6f5ea}.verdict.bad{background:#fdeceb}
.pager{display:flex;gap:.8rem;align-items:center;margin:.6rem 0}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,22rem),1fr));gap:.8rem}
.settings{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.35rem .8rem;align-items:center}
.settings label{font-size:.85rem;color:var(--muted)}
.empty{padding:1rem;color:var(--muted);text-align:center}
@media (max-width:720px){
  main{padding:.6rem}
  table.cards thead{display:none}
  table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
  table.cards tr{border-bottom:1px solid var(--line);padding:.3rem 0}
  table.cards td{border:0;padding:.1rem .6rem;display:flex;gap:.6rem}
  table.cards td:before{content:attr(data-label);color:var(--muted);min-width:7.5rem;font-size:.8rem}
  td.num{text-align:left}
  .settings{grid-template-columns:1fr}
  #live-state{margin-left:0}
}
`

export const DASHBOARD_JS = `'use strict'
;(() => {
  const live = document.querySelector('[data-live]')
  const dot = document.getElementById('live-state')
  const flashBox = document.getElementById('flash')
  let timer = 0
  let busy = false
  let again = false
  let flashTimer = 0

  function flash(text, kind) {
    if (!flashBox) return
    flashBox.textContent = text
    flashBox.className = kind
    clearTimeout(flashTimer)
    if (kind !== 'busy') flashTimer = setTimeout(() => (flashBox.className = ''), kind === 'error' ? 9000 : 2500)
  }

  async function refresh() {
    if (!live) return
    if (busy) return void (again = true)
    busy = true
    try {
      const open = Array.from(live.querySelectorAll('details[open][id]'), (d) => d.id)
      const res = await fetch(location.pathname + location.search, { headers: { 'x-psp-live': '1' } })
      if (res.ok) {
        live.innerHTML = await res.text()
        for (const id of open) document.getElementById(id)?.setAttribute('open', '')
        live.dispatchEvent(new CustomEvent('refreshed', { bubbles: true }))
      }
    } catch {
      /* the next event tries again */
    } finally {
      busy = false
      if (again) {
        again = false
        schedule()
      }
    }
  }

  function schedule() {
    clearTimeout(timer)
    timer = setTimeout(refresh, 120)
  }

  if (live && 'EventSource' in window) {
    const source = new EventSource('/_sandbox/events')
    source.onopen = () => {
      if (dot) (dot.className = 'on'), (dot.textContent = '● live')
    }
    source.onerror = () => {
      if (dot) (dot.className = 'off'), (dot.textContent = '○ reconnecting')
    }
    for (const type of ['journal', 'transaction', 'delivery', 'clock', 'reset']) source.addEventListener(type, schedule)
    addEventListener('pagehide', () => source.close())
  }

  function describe(data, status) {
    const details = Array.isArray(data && data.details) ? '\\n' + data.details.map((d) => '• ' + d).join('\\n') : ''
    return ((data && data.error) || 'HTTP ' + status) + details
  }

  async function send(url, method, body) {
    flash('Working…', 'busy')
    let res
    try {
      res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      })
    } catch (e) {
      const text = 'The sandbox did not answer: ' + e.message
      flash(text, 'error')
      return { ok: false, text }
    }
    const data = await res.json().catch(() => ({}))
    if (!res.ok) {
      const text = describe(data, res.status)
      flash(text, 'error')
      return { ok: false, text, data }
    }
    return { ok: true, data }
  }

  function valueOf(el) {
    if (el.type === 'checkbox') return el.checked
    const type = el.dataset.type || 'string'
    if (type === 'number') return el.value.trim() === '' ? null : Number(el.value)
    if (type === 'json') return el.value.trim() === '' ? null : JSON.parse(el.value)
    if (type === 'nullable') return el.value === '' ? null : el.value
    return el.value
  }

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-post]')
    if (!button) return
    event.preventDefault()
    let body = button.dataset.body ? JSON.parse(button.dataset.body) : {}
    for (const id of (button.dataset.from || '').split(',').filter(Boolean)) {
      const el = document.getElementById(id)
      if (el) body[el.name] = valueOf(el)
    }
    if (button.dataset.confirm && !confirm(button.dataset.confirm)) return
    button.disabled = true
    const result = await send(button.dataset.post, button.dataset.method || 'POST', body)
    button.disabled = false
    if (result.ok) {
      flash(button.dataset.done || 'Done', 'ok')
      if (button.dataset.reload !== undefined) location.reload()
      else schedule()
    }
  })

  document.addEventListener('submit', async (event) => {
    const form = event.target.closest('form[data-json]')
    if (!form) return
    event.preventDefault()
    const errorBox = form.querySelector('.form-error')
    if (errorBox) errorBox.textContent = ''
    const body = {}
    try {
      for (const el of form.elements) {
        if (!el.name || el.disabled) continue
        if (form.dataset.changed !== undefined) {
          const now = el.type === 'checkbox' ? String(el.checked) : el.value
          if (now === el.dataset.initial) continue
        }
        body[el.name] = valueOf(el)
      }
    } catch (e) {
      if (errorBox) errorBox.textContent = 'Not valid JSON: ' + e.message
      return
    }
    if (form.dataset.changed !== undefined && Object.keys(body).length === 0) {
      if (errorBox) errorBox.textContent = 'Nothing changed.'
      return
    }
    const result = await send(form.getAttribute('action'), form.dataset.method || 'POST', body)
    if (!result.ok) {
      if (errorBox) {
        errorBox.textContent = result.text
        flashBox.className = ''
      }
      return
    }
    flash(form.dataset.done || 'Saved', 'ok')
    if (form.dataset.reload !== undefined) setTimeout(() => location.reload(), 400)
    else schedule()
  })

  document.addEventListener('change', async (event) => {
    const input = event.target.closest('input[type=file][data-into]')
    const file = input && input.files && input.files[0]
    const target = input && document.getElementById(input.dataset.into)
    if (file && target) target.value = await file.text()
  })

  document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-fill]')
    if (!button) return
    const target = document.getElementById(button.dataset.fill)
    const source = document.getElementById(button.dataset.source)
    if (target && source) target.value = source.textContent
  })
})()
`
