import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CONNECX, connecxPayment, seedPayIn } from '../helpers.js'
import { startCommand } from '../support/command.js'

/**
 * Crashes that really crash: the `psp-sandbox` command (dist/cli.js, built by the global setup)
 * runs in a child process on real lowdb files and is killed with SIGKILL — no close(), no
 * shutdown hook — in the middle of writes under load and in the middle of a callback delivery,
 * then started again on the same files.
 */
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'psp-crash-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Starts the command; resolves with its base URL once it is listening. */
const start = (dir: string, args: string[] = []) => startCommand(dir, args, (kill) => cleanups.push(kill))

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

async function transactions(url: string, reference?: string): Promise<Array<Record<string, any>>> {
  const res = await fetch(`${url}/_sandbox/transactions?provider=connecx${reference ? `&reference=${reference}` : ''}`)
  return res.json()
}

describe('SIGKILL mid-write, under load', { timeout: 60_000 }, () => {
  it('every acknowledged pay-in is there after a restart on the same files', async () => {
    const dir = tempDir()
    const first = await start(dir)
    const acknowledged: string[] = []
    const lost: string[] = []
    let next = 0
    let killing: Promise<void> | undefined
    // 12 clients send pay-ins back to back; after 60 acknowledgements the process is killed with
    // requests (and so group commits) in flight.
    const client = async (): Promise<void> => {
      while (!killing && next < 5_000) {
        const ref = `CRASH-${next++}`
        try {
          const res = await fetch(connecxPayment(first.url, 'bdpayin', { ...seedPayIn(), paymentRef: ref }))
          const text = await res.text()
          if (res.status === 200 && JSON.parse(text).paymentRef === ref) acknowledged.push(ref)
          else lost.push(`${ref}: ${res.status} ${text}`)
        } catch {
          return // the server died under this request: it was never acknowledged
        }
        if (acknowledged.length >= 60) killing ??= kill(first.child)
      }
    }
    await Promise.all(Array.from({ length: 12 }, client))
    await killing
    expect(lost).toEqual([])
    expect(first.child.signalCode).toBe('SIGKILL')
    // Requests usually are in flight at the kill (next > acknowledged), but on an idle machine the
    // process may answer them all before the signal lands: that is not a failure of the store.
    expect(statSync(join(dir, 'db.json.log')).size + statSync(join(dir, 'db.json')).size).toBeGreaterThan(0)

    const second = await start(dir)
    const stored = new Set((await transactions(second.url)).map((t) => t.reference))
    const missing = acknowledged.filter((ref) => !stored.has(ref))
    expect(missing, 'acknowledged but lost').toEqual([])
    // Nothing half-written either: every stored pay-in is whole and new ones still work.
    for (const t of await transactions(second.url)) expect(t).toMatchObject({ provider: 'connecx', amount: 100 })
    const after = await fetch(connecxPayment(second.url, 'bdpayin', { ...seedPayIn(), paymentRef: 'AFTER-CRASH' }))
    expect(after.status).toBe(200)
    await kill(second.child)
    const third = await start(dir)
    expect(await transactions(third.url, 'AFTER-CRASH')).toHaveLength(1)
    await kill(third.child)
  }, 60_000) // three process starts and a load phase: 20.8 s alone on a loaded 2-core machine
})

describe('SIGKILL mid-delivery', { timeout: 60_000 }, () => {
  it('a callback in flight when the process dies is sent again at once after the restart; a retry pending then resumes on time', async () => {
    const dir = tempDir()
    // Retry 3 s after a failed attempt (instead of 1 minute), so the resumed retry is seen in real time.
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        merchants: { connecx: [{ id: CONNECX.merchantId, callbackRetrySchedule: ['3s', '3s'], customer: 'auto' }] },
      }),
    )
    const received: Array<{ ref: string; at: number }> = []
    const held: ServerResponse[] = []
    let life = 1
    const merchant = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        const ref = JSON.parse(body).paymentRef
        received.push({ ref, at: Date.now() })
        if (life === 1 && ref === 'IN-FLIGHT')
          held.push(res) // never answered: in flight when the process dies
        else if (life === 1)
          res.writeHead(500).end('down') // a retry is pending when the process dies
        else res.writeHead(200).end('OK')
      })
    })
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => merchant.close(resolve)))
    cleanups.push(() => held.forEach((r) => r.destroy()))
    const callbackUrl = `http://127.0.0.1:${(merchant.address() as { port: number }).port}/cb`

    const first = await start(dir, ['--config', 'config.json'])
    for (const ref of ['IN-FLIGHT', 'TO-RETRY'])
      expect(
        (await fetch(connecxPayment(first.url, 'bdpayin', { ...seedPayIn(), paymentRef: ref, callbackUrl }))).status,
      ).toBe(200)
    // Default rule: approved 2 s after acceptance, callback then.
    await waitFor(() => received.length === 2)
    const failedAt = received.find((r) => r.ref === 'TO-RETRY')!.at
    // The failed attempt is in the delivery log (then give its commit a moment to reach the disk).
    await waitForAsync(async () => {
      const list = await (await fetch(`${first.url}/_sandbox/callbacks?reference=TO-RETRY`)).json()
      return list[0]?.attempts.length === 1
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await kill(first.child)
    held.splice(0).forEach((r) => r.destroy())

    life = 2
    const second = await start(dir, ['--config', 'config.json'])
    const listening = Date.now() // pending work is re-armed before the command listens
    await waitFor(() => received.length === 4)
    const again = (ref: string) => received.filter((r) => r.ref === ref)[1]!
    expect(again('IN-FLIGHT').at - listening, 'the in-flight callback is overdue: sent at once').toBeLessThan(3_000)
    expect(again('TO-RETRY').at - failedAt, 'the pending retry waits for its 3 s').toBeGreaterThanOrEqual(2_900)
    const deliveries = await (await fetch(`${second.url}/_sandbox/callbacks?provider=connecx`)).json()
    const byRef = Object.fromEntries(
      deliveries.map((d: { reference: string; state: string; attempts: Array<{ status?: number }> }) => [
        d.reference,
        { state: d.state, statuses: d.attempts.map((a) => a.status) },
      ]),
    )
    // The in-flight attempt never finished, so it is not in the log; the 500 was written before the kill.
    expect(byRef).toEqual({
      'IN-FLIGHT': { state: 'acknowledged', statuses: [200] },
      'TO-RETRY': { state: 'acknowledged', statuses: [500, 200] },
    })
    expect(existsSync(join(dir, 'db.json'))).toBe(true)
    await kill(second.child)
  })
})

async function waitFor(check: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`not true after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function waitForAsync(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not true after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
