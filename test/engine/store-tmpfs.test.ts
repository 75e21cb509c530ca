import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../src/sandbox.js'
import { listen } from '../../src/server.js'
import { cases } from './store-support.js'

/**
 * A real, small file system that fills up: every pay-in answered 200 is there after a restart,
 * every pay-in answered with the provider's internal error is not, and the sandbox recovers by
 * itself once space is freed. Needs root (mount); skipped with one line otherwise.
 */
const dir = mkdtempSync(join(tmpdir(), 'store-tmpfs-'))
let mounted = false
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'ignore' })
  mounted = true
} catch {
  console.log(`store-tmpfs: skipped, this user may not mount a tmpfs (the injected-fault tests cover the same path)`)
}
afterAll(() => {
  if (mounted) execFileSync('umount', [dir])
  rmSync(dir, { recursive: true, force: true })
})

const connecx = cases.find((c) => c.provider === 'connecx')!

describe.skipIf(!mounted)('a full tmpfs', () => {
  it('acknowledges only what is on disk, fails the rest natively, and recovers when space is freed', async () => {
    const data = join(dir, 'db.json')
    const sandbox = createSandbox({
      clock: 'virtual',
      data,
      providers: ['connecx'],
      store: { compactBytes: 1024 * 1024 * 1024, probeEveryMs: 20 },
    })
    const server = await listen(sandbox, { port: 0 })
    await sandbox.ready
    // Leave a little room: a few dozen pay-ins fit, then the disk is full.
    const filler = join(dir, 'filler')
    const free = () => Number(execFileSync('df', ['--output=avail', '-B1', dir]).toString().split('\n')[1])
    writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 24 * 1024)))
    const acknowledged: string[] = []
    const failed: string[] = []
    for (let i = 0; failed.length < 5 && i < 2000; i++) {
      const ref = String(500000 + i)
      const res = await fetch(connecx.request(server.url, ref))
      const text = await res.text()
      if (res.status === 200) acknowledged.push(ref)
      else {
        expect(res.status, text).toBe(connecx.failure.status)
        expect(text).toMatch(connecx.failure.body)
        failed.push(ref)
      }
    }
    expect(acknowledged.length).toBeGreaterThan(0)
    expect(failed).toHaveLength(5)
    expect((await fetch(`${server.url}/_sandbox/health`)).status).toBe(503)

    unlinkSync(filler)
    await expect.poll(async () => (await fetch(`${server.url}/_sandbox/health`)).status, { timeout: 5000 }).toBe(200)
    const last = await fetch(connecx.request(server.url, '999999'))
    expect(last.status).toBe(200)
    acknowledged.push('999999')
    await server.close()
    await sandbox.close()

    const restarted = createSandbox({ clock: 'virtual', data, providers: ['connecx'] })
    await restarted.ready
    const stored = restarted.transactions
      .list({ provider: 'connecx' })
      .map((t) => t.reference)
      .sort()
    expect(stored).toEqual(acknowledged.sort())
    await restarted.close()
  })
})
