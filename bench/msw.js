// msw in-process overhead for `npm run bench`, in its own process (msw patches the global fetch):
// the same pay-in through the sandbox's msw handlers and through a trivial msw handler that parses
// the body and answers a fixed JSON, sequentially and alternating (one of each in turn, so a busy
// moment of a shared machine slows both alike). Prints one JSON line with both medians.
// Usage: node bench/msw.js <sandbox package dir> <requests>
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { connecxPayIn } from './requests.js'

const [dir = '.', count = '2000'] = process.argv.slice(2)
const n = Number(count)
// The msw the measured package resolves, so its handlers and setupServer share one msw instance.
const mswRoot = dirname(createRequire(resolve(dir, 'package.json')).resolve('msw/package.json'))
const { http, HttpResponse } = await import(pathToFileURL(join(mswRoot, 'lib/core/index.mjs')).href)
const { setupServer } = await import(pathToFileURL(join(mswRoot, 'lib/node/index.mjs')).href)
const { createHandlers } = await import(pathToFileURL(join(dir, 'dist/msw.js')).href)
const { createSandbox } = await import(pathToFileURL(join(dir, 'dist/index.js')).href)

const payIn = connecxPayIn('msw')

/** Milliseconds of one pay-in through `origin`'s handler. */
async function once(origin) {
  const { path, ...init } = payIn()
  const url = `${origin}${path}`
  const t = performance.now()
  const res = await fetch(url, init)
  await res.arrayBuffer()
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`)
  return performance.now() - t
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const sandbox = createSandbox({ clock: 'virtual' })
await sandbox.ready
const server = setupServer(
  http.post('https://trivial.test/*', async ({ request }) => {
    await request.json()
    return HttpResponse.json({ status: 'ok', txnId: 176272727441, message: null })
  }),
  ...createHandlers(sandbox),
)
server.listen({ onUnhandledRequest: 'error' })
const times = { trivial: [], sandboxed: [] }
for (let i = 0; i < n + 200; i++) {
  const trivial = await once('https://trivial.test')
  const sandboxed = await once('https://connecx.test')
  if (i < 200) continue // warm-up
  times.trivial.push(trivial)
  times.sandboxed.push(sandboxed)
}
server.close()
await sandbox.close()
const [trivial, sandboxed] = [median(times.trivial), median(times.sandboxed)]
console.log(JSON.stringify({ trivial, sandboxed, overhead: sandboxed - trivial }))
process.exit(0)
