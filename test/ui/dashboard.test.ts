import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ecommpay } from '../../src/client.js'
import { listen, type RunningServer } from '../../src/server.js'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import { connecxPayment, listener, seedPayIn } from '../helpers.js'
import { eventually, HAVE_CHROMIUM, horizontalOverflow, startChromium } from './browser.js'

// The dashboard and the hosted pages in Debian's Chromium, against a real server with a virtual
// clock and a real merchant listener. Nothing here reloads a page unless the test says so.

let sandbox: Sandbox
let server: RunningServer
let merchant: Awaited<ReturnType<typeof listener>>
let chrome: Awaited<ReturnType<typeof startChromium>>

const payIn = (paymentRef: string) =>
  fetch(
    connecxPayment(server.url, 'bdpayin', {
      ...seedPayIn(),
      paymentRef,
      requestSalt: `salt-${paymentRef}`,
      callbackUrl: `${merchant.url}/connecx`,
    }),
  ).then(async (res) => ({ status: res.status, body: JSON.parse(await res.text()) }))

const txOf = (reference: string) => sandbox.transactions.list({ provider: 'connecx', reference })[0]

describe.skipIf(!HAVE_CHROMIUM)('the dashboard in a real browser', () => {
  beforeAll(async () => {
    merchant = await listener()
    sandbox = createSandbox({ clock: 'virtual' })
    // Pay-ins named UI-* wait where they are; UI-CLOCK-* move after 10 s of clock time.
    sandbox.scenarios.use({
      provider: 'connecx',
      rules: [
        {
          name: 'clock test',
          match: { reference: { regex: '^UI-CLOCK' } },
          timeline: [{ after: '10s', status: 'approved' }],
        },
        { name: 'waits for the dashboard', match: { reference: { regex: '^UI-' } }, outcome: 'pending' },
      ],
    })
    server = await listen(sandbox, { port: 0 })
    chrome = await startChromium()
  }, 60_000)

  afterAll(async () => {
    await chrome?.close()
    await server?.close()
    await merchant?.close()
  })

  const open = async (path: string, width = 1280): Promise<Page> => {
    const page = await chrome.browser.newPage({ viewport: { width, height: 900 } })
    page.on('pageerror', (e) => {
      throw e
    })
    await page.goto(`${server.url}${path}`)
    return page
  }

  it('lists a pay-in created over the API without a reload, and its page shows history, wire exchange and callback; Decline and Redeliver reach the listener', async () => {
    const list = await open('/_sandbox/ui')
    await list.waitForSelector('#live-state.on')
    const created = await payIn('UI-1')
    expect(created.status).toBe(200)
    const link = list.locator('a.tx-link', { hasText: txOf('UI-1').id })
    await link.waitFor({ timeout: 30_000 })
    expect(await list.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1)

    await link.click()
    await list.waitForURL(/\/_sandbox\/ui\/transactions\//)
    const page = list
    await page.waitForSelector('#live-state.on')
    expect(await page.textContent('#tx-status')).toContain('pending')
    expect(await page.textContent('main')).toContain('waits for the dashboard')
    const exchange = page.locator('#exchange')
    expect(await exchange.textContent()).toContain('/mxapi/3568224497743/bdpayin')
    expect(await exchange.textContent()).toContain('Authenticated')
    expect(await exchange.textContent()).toContain('"paymentRef":"UI-1"')

    // Decline: the status changes on the page and a real callback reaches the listener.
    await page.click('#move-declined')
    await page.locator('#tx-status', { hasText: 'declined' }).waitFor()
    await eventually(() => merchant.received.some((r) => r.url === '/connecx'), 'the decline callback')
    const first = JSON.parse(merchant.received.find((r) => r.url === '/connecx')!.body)
    expect(first).toMatchObject({ paymentRef: 'UI-1' })
    await page.locator('.delivery .badge.acknowledged').first().waitFor()
    expect(await page.textContent('#callbacks')).toContain('acknowledged')

    // Redeliver: the same callback reaches the listener again.
    const before = merchant.received.length
    await page.click('.delivery button.redeliver')
    await eventually(() => merchant.received.length === before + 1, 'the redelivered callback')
    expect(merchant.received.at(-1)!.body).toBe(merchant.received.find((r) => r.url === '/connecx')!.body)
    await page.locator('.delivery table tbody tr').nth(1).waitFor()
    await page.close()
  }, 90_000)

  it('advancing the clock fires a timeline step', async () => {
    await payIn('UI-CLOCK-1')
    const tx = txOf('UI-CLOCK-1')
    const page = await open('/_sandbox/ui/clock')
    expect(await page.textContent('#live')).toContain(tx.id)
    await page.fill('#advance-by', '10s')
    await page.click('#advance button[type=submit]')
    await eventually(() => sandbox.transactions.get(tx.id)!.status === 'approved', 'the step to run')
    await page.locator('#live', { hasText: 'Nothing is waiting on the clock' }).waitFor()
    await page.goto(`${server.url}/_sandbox/ui/transactions/${tx.id}`)
    expect(await page.textContent('#tx-status')).toContain('approved')
    expect(await page.textContent('main')).toContain('timeline')
    await page.close()
  }, 90_000)

  it('shows why an uploaded scenario is refused, next to the editor', async () => {
    const page = await open('/_sandbox/ui/scenarios')
    await page.setInputFiles('#scenario-file', {
      name: 'sideways.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from('provider: connecx\nrules:\n  - name: sideways\n    outcome: sideways\n'),
    })
    await eventually(
      () =>
        page
          .locator('#scenario-text')
          .inputValue()
          .then((v) => v.includes('outcome: sideways')),
      'the file to load into the editor',
    )
    await page.click('#scenario-save')
    const error = page.locator('#scenario-error')
    await error.waitFor({ state: 'visible' })
    expect(await error.textContent()).toContain('`outcome` is "sideways"')
    await page.fill('#scenario-text', 'provider: connecx\nrules: [')
    await page.click('#scenario-save')
    await page.locator('#scenario-error', { hasText: 'not valid YAML' }).waitFor()
    expect(sandbox.engine.scenarios.layer('runtime')).toEqual([])
    await page.close()
  }, 90_000)

  it('every hosted page (and the ECommPay bad-signature page) fits a 375 px screen without sideways scrolling', async () => {
    const pages: Array<[string, string]> = []
    const connecxPayIn = await payIn('UI-HOSTED-1')
    pages.push(['Connecx authz page', new URL(connecxPayIn.body.authzUrl).pathname])

    const payatomRes = await fetch(`${server.url}/pay/request.php`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        pid: '000000000000',
        amount: '1',
        order_id: 'UI-HOSTED-2',
        phone: '9000000000',
        email: 'anushk@gmail.com',
        name: 'Anushk',
      }),
    })
    const { hash_value: code } = JSON.parse(await payatomRes.text())
    pages.push(['PayAtom connect.php page', `/pay/connect.php?code=${code}`])

    const paymentPage = ecommpay.paymentPageUrl(
      {
        project_id: 112,
        payment_id: 'UI-HOSTED-3',
        payment_amount: 250000,
        payment_currency: 'INR',
        customer_id: 'customer-with-a-rather-long-identifier-0123456789',
        merchant_callback_url: `${merchant.url}/ecommpay`,
      },
      undefined,
      { baseUrl: server.url },
    )
    pages.push(['ECommPay Payment Page', paymentPage.slice(server.url.length)])
    const badSignature = paymentPage.replace(/signature=[^&]+/, `signature=${'A'.repeat(86)}%3D%3D`)
    pages.push(['ECommPay bad-signature page', badSignature.slice(server.url.length)])

    const failures: string[] = []
    for (const [name, path] of pages) {
      const page = await open(path, 375)
      const { overflow, widest } = await horizontalOverflow(page)
      if (overflow > 0) failures.push(`${name} (${path.slice(0, 60)}…) scrolls ${overflow} px sideways: ${widest}`)
      if (name === 'ECommPay Payment Page') {
        // Through the method and bank choice to the bank page, checking each step.
        await page.click('#method-online-indian-banks')
        let step = await horizontalOverflow(page)
        if (step.overflow > 0) failures.push(`ECommPay bank list scrolls ${step.overflow} px sideways: ${step.widest}`)
        await page.click('#bank-412')
        step = await horizontalOverflow(page)
        if (step.overflow > 0) failures.push(`ECommPay bank page scrolls ${step.overflow} px sideways: ${step.widest}`)
      }
      await page.close()
    }
    expect(failures).toEqual([])

    // On a desktop too, PayAtom's UPI payment string stays inside its card.
    const desktop = await open(`/pay/connect.php?code=${code}`)
    const [upi, card] = await desktop.evaluate(() =>
      ['#upi-string', 'main'].map((s) => {
        const el = document.querySelector(s)!
        return el.getBoundingClientRect().right + (el.scrollWidth - el.clientWidth)
      }),
    )
    expect(upi).toBeLessThanOrEqual(card)
    await desktop.close()
  }, 90_000)

  it('the API docs page renders the admin document with Swagger UI from the package', async () => {
    const page = await open('/_sandbox/docs')
    await page
      .locator('#swagger-ui .opblock-summary-path', { hasText: '/_sandbox/clock/advance' })
      .first()
      .waitFor({ timeout: 80_000 })
    expect(await page.getAttribute('#dashboard-link', 'href')).toBe('/_sandbox/ui')
    const { overflow, widest } = await horizontalOverflow(page)
    expect(overflow, widest).toBeLessThanOrEqual(0)
    await page.close()
  }, 90_000)
})
