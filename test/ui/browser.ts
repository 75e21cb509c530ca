import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's Chromium (.ci/run installs it); the browser tests skip, saying so, where it is missing. */
export const CHROMIUM = '/usr/bin/chromium'
export const HAVE_CHROMIUM = existsSync(CHROMIUM)

/** Flags that keep Chromium from reaching for the (closed) network or a GPU. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Starts headless Chromium (Playwright gives it a new empty profile and removes it on close).
 *
 * @example
 * const chrome = await startChromium()
 * const page = await chrome.browser.newPage({ viewport: { width: 375, height: 740 } })
 */
export async function startChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
  return { browser, close: () => browser.close() }
}

/** How far a page scrolls sideways: `scrollWidth - innerWidth` (0 when nothing overflows). */
export async function horizontalOverflow(page: Page): Promise<{ overflow: number; widest: string }> {
  return page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - window.innerWidth
    // Name the element sticking out furthest, so a failure says what to fix.
    let widest = ''
    let right = window.innerWidth
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect()
      if (r.right > right) {
        right = r.right
        widest = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} reaches ${Math.round(r.right)} px`
      }
    }
    return { overflow, widest }
  })
}

/** Waits until `check` holds (polling), or fails with `what`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`)
}
