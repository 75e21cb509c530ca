// @ts-nocheck
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ecommpay } from '../../src/client.js'
import { listen } from '../../src/server.js'
import { disposables } from '../helpers.js'
import { SANDBOX_OPTIONS } from './support.js'

// A person's path through the Payment Page in Debian's Chromium (.ci/run installs it; a machine
// without /usr/bin/chromium skips this file and says so).
const CHROMIUM = '/usr/bin/chromium'
const use = disposables(SANDBOX_OPTIONS)
let browser: BrowserContext | undefined
let profile: string

describe.skipIf(!existsSync(CHROMIUM))(`ECommPay Payment Page in a real browser (${CHROMIUM})`, () => {
  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'chromium-'))
    // A new empty profile; the flags keep Chromium from reaching for the (closed) network.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    rmSync(profile, { recursive: true, force: true })
  })

  it('opens the Payment Page, picks a bank, approves, and the merchant listener gets the success callback', async () => {
    const merchant = await use.listener((r) => (r.url === '/ok' ? { status: 200, body: 'thank you' } : { status: 200 }))
    const sandbox = use.sandbox()
    const server = await listen(sandbox, { port: 0 })
    use.defer(() => server.close())
    const url = ecommpay.paymentPageUrl(
      {
        project_id: 112,
        payment_id: 'BROWSER-1',
        payment_amount: 250000,
        payment_currency: 'INR',
        customer_id: 'c-1',
        merchant_callback_url: `${merchant.url}/cb`,
        merchant_success_url: `${merchant.url}/ok`,
      },
      undefined,
      { baseUrl: server.url },
    )

    const page = await browser!.newPage()
    await page.goto(url)
    await page.click('#method-online-indian-banks')
    await page.click('#bank-412')
    await expect(page.locator('h1').textContent()).resolves.toContain('HDFC Bank')
    await Promise.all([page.waitForURL(`${merchant.url}/ok`), page.click('#approve')])
    expect(await page.textContent('body')).toBe('thank you')
    await page.close()

    for (let i = 0; i < 50 && !merchant.received.some((r) => r.url === '/cb'); i++)
      await new Promise((r) => setTimeout(r, 20))
    const callback = JSON.parse(merchant.received.find((r) => r.url === '/cb')!.body)
    expect(callback.payment).toMatchObject({ id: 'BROWSER-1', status: 'success' })
    expect(ecommpay.verifyCallback(callback)).toBe(true)
  })
})
