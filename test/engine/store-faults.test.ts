import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../src/sandbox.js'
import { listen, type RunningServer } from '../../src/server.js'
import { faultyFiles } from './faulty-files.js'
import { cases } from './store-support.js'

/**
 * A write failure injected at the file layer (a real file, a real server, real sockets): the
 * requests that waited on it get their provider's own internal-error answer, the health check
 * says why, the store recovers by itself when the disk does, and a restart shows every
 * acknowledged change and none of the failed ones.
 */

const dirs: string[] = []
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function dataFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-faults-'))
  dirs.push(dir)
  return join(dir, 'db.json')
}

/** Callback bodies and URLs the merchant received. */
const received: string[] = []

async function serve(data: string, files = faultyFiles().files): Promise<{ sandbox: Sandbox; server: RunningServer }> {
  const sandbox = createSandbox({
    clock: 'virtual',
    data,
    onCallback: (cb) => {
      received.push(`${cb.url} ${cb.body}`)
      return { status: 200, body: '' }
    },
    store: { files, probeEveryMs: 20 },
    // References here are short numbers: PayAtom's seed rule (order_id ≥ 10 characters) is relaxed.
    merchants: { payatom: [{ id: '000000000000', relaxedRules: ['order_id-min-length'] }] },
  })
  const server = await listen(sandbox, { port: 0 })
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await server.close()
    await sandbox.close()
  }
  cleanups.push(close)
  return { sandbox, server: { ...server, close } }
}

const references = (sandbox: Sandbox, provider: string) =>
  sandbox.transactions
    .list({ provider })
    .map((t) => t.reference)
    .sort()

describe.each(cases)('a failed write, $provider', (c) => {
  it.each(['ENOSPC', 'EIO', 'EROFS'] as const)(
    '%s: the waiting requests get the native internal error, health says why, the store recovers, a restart shows exactly the acknowledged changes',
    async (code) => {
      const data = dataFile()
      const disk = faultyFiles()
      const { sandbox, server } = await serve(data, disk.files)
      const send = (ref: string) => fetch(c.request(server.url, ref))

      const before = await send('1001')
      c.ok(before)
      await before.arrayBuffer()

      disk.fail(code)
      received.length = 0
      const failed = await Promise.all(['2001', '2002', '2003'].map(send))
      for (const res of failed) {
        const text = await res.text()
        expect(res.status, text).toBe(c.failure.status)
        expect(res.headers.get('content-type')).toContain(c.failure.type)
        expect(text).toMatch(c.failure.body)
      }
      // The failed changes are not visible, not even in memory.
      expect(references(sandbox, c.provider)).toEqual(['1001'])
      const health = await fetch(`${server.url}/_sandbox/health`)
      expect(health.status).toBe(503)
      const why = (await health.json()) as { status: string; reason: string }
      expect(why.status).toBe('failing')
      expect(why.reason).toContain(code)
      const note = sandbox.journal.list({ provider: c.provider, kind: 'request', limit: 1 })[0]!
      expect(note.notes.join('\n')).toContain('was not saved')

      // No callback went out for a change that was not saved.
      await sandbox.callbacks.idle()
      expect(received.filter((r) => /\b200[123]\b/.test(r))).toEqual([])

      disk.heal()
      // No request needed: a probe write notices the disk is back.
      await expect.poll(async () => (await fetch(`${server.url}/_sandbox/health`)).status, { timeout: 5000 }).toBe(200)
      const after = await send('3001')
      c.ok(after)
      await after.arrayBuffer()
      expect(references(sandbox, c.provider)).toEqual(['1001', '3001'])

      await server.close()
      const restarted = createSandbox({ clock: 'virtual', data, onCallback: () => ({ status: 200, body: '' }) })
      cleanups.push(() => restarted.close())
      await restarted.ready
      expect(references(restarted, c.provider)).toEqual(['1001', '3001'])
    },
  )
})
