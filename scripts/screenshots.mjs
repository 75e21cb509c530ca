// Takes the dashboard screenshots in docs/images/ (run after `npm run build`):
//   node scripts/screenshots.mjs
// A sandbox on a virtual clock with a few transactions, a merchant listener that refuses one
// callback, and Debian's Chromium at /usr/bin/chromium.
import { createServer } from 'node:http'
import { chromium } from 'playwright-core'
import { connecx } from '../dist/client.js'
import { createSandbox, listen } from '../dist/index.js'

const OUT = new URL('../docs/images/', import.meta.url).pathname
const MERCHANT = { merchantId: '3568224497743', apiKey: 'sandbox-api-key-0001' }

const listener = createServer((req, res) => {
  req.resume()
  req.on('end', () => (req.url.includes('busy') ? res.writeHead(503).end('busy') : res.writeHead(200).end('OK')))
})
await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve))
const shop = `http://127.0.0.1:${listener.address().port}`

const sandbox = createSandbox({ clock: 'virtual' })
const server = await listen(sandbox, { port: 0 })

const connecxBody = (paymentRef, amount, callbackPath = '/connecx') => ({
  channelCode: 'CHNL-101',
  accountId: '1000000001',
  requestSalt: `salt-${paymentRef}`,
  txnAmount: amount,
  txnCurrency: 'USD',
  paymentRef,
  paymentDesc: 'Order from the shop',
  dupCheck: false,
  callbackUrl: `${shop}${callbackPath}`,
  resultUrl: 'https://shop.example/result',
  endUserInfo: {
    identifier: 'customer-1',
    ipAddress: '10.0.0.1',
    firstName: 'Asha',
    lastName: 'Rao',
    phoneNumber: '2060987657',
    emailAddress: 'asha@example.com',
    address: { addressLine1: '1 Main St', cityTown: 'Pune', stateProv: 'MH', country: 'IN', postalCode: '411001' },
  },
  payInfo: { bankCode: 'CHTTST01', bankName: 'ABC', bankAccountNumber: '123' },
})
const payIn = (body, token = connecx.tokenFor('payment', { ...MERCHANT, ...body })) =>
  fetch(`${server.url}/mxapi/${MERCHANT.merchantId}/bdpayin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-paymesh-authz': token },
    body: JSON.stringify(body),
  })

await payIn(connecxBody('ORDER-1001', 120))
await payIn(connecxBody('ORDER-1002-DECLINE', 75))
await payIn(connecxBody('ORDER-1003', 310, '/busy'))
await payIn(connecxBody('ORDER-1004', 20), 'not-the-right-token')
await fetch(`${server.url}/pay/request.php`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    pid: '000000000000',
    amount: '499',
    order_id: 'PA-7781',
    phone: '9000000000',
    email: 'a@b.in',
    name: 'Anushk',
  }),
})
await sandbox.clock.advance('3s')
await payIn(connecxBody('ORDER-1005-PENDING', 42))
await sandbox.clock.advance('1s')

const chrome = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
})
async function shot(path, name, { width = 1280, height = 800, full = false, before } = {}) {
  const page = await chrome.newPage({ viewport: { width, height }, deviceScaleFactor: 1 })
  await page.goto(`${server.url}${path}`)
  await page.waitForSelector('#live-state.on', { timeout: 5000 }).catch(() => {})
  if (before) await before(page)
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage: full })
  await page.close()
  console.log(`wrote docs/images/${name}.png`)
}

const [waiting] = sandbox.transactions.list({ reference: 'ORDER-1005-PENDING' })
await shot('/_sandbox/ui', 'transactions')
await shot(`/_sandbox/ui/transactions/${waiting.id}`, 'transaction', {
  height: 1100,
  before: async (page) => {
    await page.click('#move-declined')
    await page.locator('.delivery .badge.acknowledged').first().waitFor()
    await page.click('.delivery button.redeliver')
    await page.locator('.delivery table tbody tr').nth(1).waitFor()
    await page.evaluate(() => document.querySelector('#flash').setAttribute('class', ''))
  },
})
await shot('/_sandbox/ui/journal', 'journal', {
  before: async (page) => {
    const refused = page.locator('details.refused').first()
    await refused.locator('summary').click()
  },
})
await shot('/_sandbox/ui/clock', 'clock', { height: 520 })
await shot('/_sandbox/ui/scenarios', 'scenarios', {
  height: 700,
  before: async (page) => {
    await page.fill(
      '#scenario-text',
      'provider: connecx\nrules:\n  - name: big pay-ins\n    match: { amount: { gte: 500 } }\n    outcome: rejected\n',
    )
    await page.click('#scenario-save')
    await page.locator('#scenario-error', { hasText: 'outcome' }).waitFor()
  },
})
await shot('/_sandbox/ui', 'transactions-phone', { width: 375, height: 740 })
await shot('/_sandbox/docs', 'docs', {
  height: 900,
  before: (page) => page.locator('#swagger-ui .opblock').first().waitFor(),
})

await chrome.close()
await server.close()
listener.close()
