import { describe, expect, it } from 'vitest'
import type { CallbackRequest } from '../../src/engine/provider.js'
import { CONNECX, connecxPayment, disposables, seedPayIn } from '../helpers.js'

// The dashboard's pages, assets and the admin routes it relies on, in-process (the browser test
// in dashboard.test.ts drives the same pages in Chromium).

const B = 'http://localhost:8080'
const use = disposables()

function setup() {
  const sent: CallbackRequest[] = []
  const sandbox = use.sandbox({
    // pay-ins here are vehicles for dashboard pages: their customer approves at once
    merchants: { connecx: [{ id: '3568224497743', customer: 'auto' }] },
    onCallback: (cb) => {
      sent.push(cb)
    },
  })
  const get = (path: string, headers: Record<string, string> = {}) =>
    sandbox.fetch(new Request(`${B}${path}`, { headers }))
  const post = (path: string, body: unknown) =>
    sandbox.fetch(
      new Request(`${B}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    )
  const payIn = async (paymentRef: string) => {
    const res = await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef }))
    expect(res.status).toBe(200)
    return sandbox.transactions.list({ reference: paymentRef })[0]
  }
  return { sandbox, sent, get, post, payIn }
}

describe('dashboard pages', () => {
  it('GET / redirects to the dashboard; every section answers HTML with its assets from the package', async () => {
    const { get } = setup()
    const root = await get('/')
    expect(root.status).toBe(302)
    expect(root.headers.get('location')).toBe('/_sandbox/ui')
    for (const path of [
      '/_sandbox/ui',
      '/_sandbox/ui/journal',
      '/_sandbox/ui/clock',
      '/_sandbox/ui/merchants',
      '/_sandbox/ui/scenarios',
      '/_sandbox/docs',
    ]) {
      const res = await get(path)
      expect(res.status, path).toBe(200)
      const html = await res.text()
      expect(html, path).toContain('<link rel="stylesheet" href="/_sandbox/ui/assets/dashboard.css" />')
      expect(html, path).not.toMatch(/(src|href)="https?:\/\//) // nothing from the network
    }
    const css = await get('/_sandbox/ui/assets/dashboard.css')
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    const js = await get('/_sandbox/ui/assets/dashboard.js')
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await js.text()).toContain("new EventSource('/_sandbox/events')")
    const swagger = await get('/_sandbox/docs/assets/swagger-ui-bundle.js')
    expect(swagger.status).toBe(200)
    expect((await swagger.arrayBuffer()).byteLength).toBeGreaterThan(100_000)
    expect((await get('/_sandbox/docs/assets/..%2Fpackage.json')).status).toBe(404)
    expect((await get('/_sandbox/ui/assets/nope.js')).status).toBe(404)
  })

  it('lists transactions newest first, filters by the provider id, pages by 25, and answers only the live region when asked', async () => {
    const { get, payIn } = setup()
    const first = await payIn('DASH-0')
    for (let i = 1; i <= 26; i++) await payIn(`DASH-${i}`)
    const page1 = await (await get('/_sandbox/ui')).text()
    expect(page1.indexOf('DASH-26')).toBeLessThan(page1.indexOf('DASH-25'))
    expect(page1).not.toContain('>DASH-0<')
    expect(page1).toContain('page 1 of 2 · 27 transactions')
    const page2 = await (await get('/_sandbox/ui?page=2')).text()
    expect(page2).toContain('>DASH-0<')
    const byProviderRef = await (await get(`/_sandbox/ui?providerRef=${first.providerRef}`)).text()
    expect(byProviderRef).toContain('1 transaction<')
    const live = await (await get('/_sandbox/ui', { 'x-psp-live': '1' })).text()
    expect(live).not.toContain('<html')
    expect(live).toContain('DASH-26')
  })

  it('a transaction page shows history with the deciding rule, the wire exchange with the auth verdict, and its actions', async () => {
    const { get, payIn, sandbox } = setup()
    const tx = await payIn('DASH-TX')
    await sandbox.clock.advance('2s')
    const html = await (await get(`/_sandbox/ui/transactions/${tx.id}`)).text()
    expect(html).toContain(tx.rule!.replace(/"/g, '&quot;'))
    expect(html).toContain('Authenticated')
    expect(html).toContain(`/mxapi/${CONNECX.merchantId}/bdpayin`)
    expect(html).toContain('id="move-declined"')
    expect(html).toContain(`href="/mxapi/authz/${tx.providerRef}"`)
    expect(html).toContain('class="redeliver"')
    const missing = await get('/_sandbox/ui/transactions/connecx-999')
    expect(missing.status).toBe(404)
  })
})

describe('admin routes the dashboard uses', () => {
  it('copies a callback: a duplicate is the same bytes, a badly signed copy differs in its signature only', async () => {
    const { payIn, post, sandbox, sent } = setup()
    const tx = await payIn('DASH-COPY')
    await sandbox.clock.advance('2s')
    const [original] = sandbox.callbacks.list({ reference: 'DASH-COPY' })
    expect(original.state).toBe('acknowledged')
    const dup = await post(`/_sandbox/callbacks/${original.id}/copy`, { kind: 'duplicate' })
    expect(dup.status).toBe(200)
    expect(await dup.json()).toMatchObject({ state: 'acknowledged', transactionId: tx.id, signature: 'valid' })
    expect(sent.at(-1)!.body).toBe(sent[0].body)
    const bad = await post(`/_sandbox/callbacks/${original.id}/copy`, { kind: 'invalid' })
    expect(await bad.json()).toMatchObject({ signature: 'invalid' })
    expect(sent).toHaveLength(3)
    expect(sent[2].url).toBe(sent[0].url)
    expect(sent[2].headers).not.toEqual(sent[0].headers)
    expect((await post(`/_sandbox/callbacks/${original.id}/copy`, { kind: 'twice' })).status).toBe(400)
    expect((await post('/_sandbox/callbacks/cb-999/copy', { kind: 'duplicate' })).status).toBe(404)
  })

  it('the clock lists due work; the journal filters refused requests', async () => {
    const { get, payIn, sandbox } = setup()
    const tx = await payIn('DASH-DUE')
    const clock = await (await get('/_sandbox/clock')).json()
    expect(clock.due).toEqual([expect.objectContaining({ kind: 'step', transactionId: tx.id })])
    await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'DASH-BAD' }, { token: 'f00' }))
    const refused = await (await get('/_sandbox/journal?refused=true')).json()
    expect(refused).toHaveLength(1)
    expect(refused[0]).toMatchObject({ reference: 'DASH-BAD', auth: { ok: false } })
  })

  it('the scenario editor target takes YAML text and answers problems as details', async () => {
    const { post, sandbox } = setup()
    const bad = await post('/_sandbox/ui/scenarios', { text: 'provider: connecx\nrules:\n  - outcome: sideways\n' })
    expect(bad.status).toBe(400)
    const body = await bad.json()
    expect(body.details[0]).toContain('`outcome` is "sideways"')
    expect((await post('/_sandbox/ui/scenarios', { text: 'rules: [' })).status).toBe(400)
    expect((await post('/_sandbox/ui/scenarios', {})).status).toBe(400)
    // JSON `null` (found by the fuzz suite: it answered 500) and a list are refused like {}
    expect((await post('/_sandbox/ui/scenarios', null)).status).toBe(400)
    expect((await post('/_sandbox/ui/scenarios', [1])).status).toBe(400)
    const good = await post('/_sandbox/ui/scenarios', { text: 'provider: connecx\nrules:\n  - outcome: declined\n' })
    expect(good.status).toBe(200)
    expect(sandbox.engine.scenarios.layer('runtime')).toEqual([
      { provider: 'connecx', rules: [{ outcome: 'declined' }] },
    ])
  })

  it('GET /_sandbox/events streams what changes, ids and states only', async () => {
    const { get, payIn } = setup()
    const res = await get('/_sandbox/events')
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    const until = async (needle: string) => {
      while (!text.includes(needle)) text += decoder.decode((await reader.read()).value)
    }
    await until('event: hello')
    const tx = await payIn('DASH-SSE')
    await until('event: transaction')
    expect(text).toContain(`data: {"id":"${tx.id}","provider":"connecx","status":"pending"`)
    await until('event: journal')
    expect(text).not.toContain('DASH-SSE') // no bodies, no references
    await reader.cancel()
  })
})
