import { spawn } from 'node:child_process'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { attachServerLog, type LogFormat, type LogLevel } from '../src/log.js'
import { CONNECX, connecxPayment, disposables, seedPayIn } from './helpers.js'

const B = 'http://localhost:8080'
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const use = disposables()

/** A sandbox with its server log written into `lines`. */
async function logged(format: LogFormat, level: LogLevel = 'info') {
  const lines: string[] = []
  const sandbox = use.sandbox({
    // pay-ins here are a vehicle for log lines: the customer approves at once (no hosted page)
    merchants: { connecx: [{ id: CONNECX.merchantId, customer: 'auto' }] },
    onCallback: (cb) => (cb.url.includes('refuse') ? { status: 500, body: 'no thanks' } : { status: 200, body: 'OK' }),
  })
  const log = await attachServerLog(sandbox.engine, {
    format,
    level,
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
        done()
      },
    }),
  })
  use.defer(() => log.close())
  return { sandbox, lines }
}

describe('the server log', () => {
  it('json: one line per request (provider, operation, reference, status, rule, ms) and per callback attempt', async () => {
    const { sandbox, lines } = await logged('json')
    await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'LOG-1' }))
    await sandbox.clock.advance('2s')
    const [request, callback] = lines.map((l) => JSON.parse(l))
    expect(lines).toHaveLength(2)
    expect(request).toMatchObject({
      level: 30,
      event: 'request',
      provider: 'connecx',
      operation: 'payin',
      method: 'POST',
      path: `/mxapi/${CONNECX.merchantId}/bdpayin`,
      reference: 'LOG-1',
      status: 200,
      auth: 'ok',
      rule: expect.stringContaining('default'),
      ms: expect.any(Number),
    })
    expect(request.time).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(callback).toMatchObject({
      event: 'callback',
      provider: 'connecx',
      reference: 'LOG-1',
      target: 'https://callback.com/call/back',
      status: 200,
      acknowledged: true,
    })
  })

  it('says why a callback was not acknowledged, as a warning, and never logs secrets, bodies or query strings', async () => {
    const { sandbox, lines } = await logged('json')
    await sandbox.fetch(
      connecxPayment(B, 'bdpayin', {
        ...seedPayIn(),
        paymentRef: 'LOG-2',
        callbackUrl: 'https://shop.example/refuse?secret=s3cr3t-query',
      }),
    )
    await sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'LOG-3' }, { token: 'f00' }))
    await sandbox.clock.advance('2s')
    const entries = lines.map((l) => JSON.parse(l))
    const refused = entries.find((e) => e.reference === 'LOG-3')
    expect(refused).toMatchObject({ level: 40, status: 422, auth: 'refused' })
    const callback = entries.find((e) => e.event === 'callback')
    expect(callback).toMatchObject({
      level: 40,
      acknowledged: false,
      target: 'https://shop.example/refuse?…',
      reason: expect.stringContaining('not acknowledged'),
    })
    const all = lines.join('\n')
    // The auth explanation in the journal quotes the API key; the log must not.
    expect(sandbox.journal.list({ reference: 'LOG-3' })[0].auth!.explanation).toContain(CONNECX.apiKey)
    for (const secret of [CONNECX.apiKey, 's3cr3t-query', 'endUserInfo', 'X-paymesh-authz'])
      expect(all).not.toContain(secret)
  })

  it('pretty: one readable line per event; debug adds status changes; warn keeps only what went wrong; silent writes nothing', async () => {
    const pretty = await logged('pretty', 'debug')
    await pretty.sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'LOG-4' }))
    await pretty.sandbox.clock.advance('2s')
    expect(pretty.lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: connecx payin POST \/mxapi\/3568224497743\/bdpayin ref=LOG-4 → 200 \(\d+ ms\) rule="/,
    )
    expect(pretty.lines.some((l) => /DEBUG: .*pending → approved by timeline/.test(l))).toBe(true)
    expect(
      pretty.lines.some((l) => /INFO: connecx callback cb-1 POST https:\/\/callback.com\/call\/back/.test(l)),
    ).toBe(true)

    const warn = await logged('json', 'warn')
    await warn.sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'LOG-5' }))
    await warn.sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'LOG-6' }, { token: 'f00' }))
    expect(warn.lines.map((l) => JSON.parse(l).reference)).toEqual(['LOG-6'])

    const silent = await logged('silent')
    await silent.sandbox.fetch(connecxPayment(B, 'bdpayin', { ...seedPayIn(), paymentRef: 'LOG-7' }))
    expect(silent.lines).toEqual([])
  })

  it('psp-sandbox --log json writes JSON lines to stdout (the default when stdout is not a terminal); a bad --log is refused', async () => {
    const child = spawn(process.execPath, [CLI, '--port', '0', '--data', 'memory', '--log', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    use.defer(() => child.kill('SIGTERM'))
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 400 && !test(); i++) await new Promise((r) => setTimeout(r, 25))
    }
    await until(() => /listening on (http:\/\/\S+)/.test(out))
    const url = /listening on (http:\/\/[^\s"]+)/.exec(out)![1]
    await fetch(`${url}/mxapi/${CONNECX.merchantId}/bdpayin`, { method: 'POST', body: '{' })
    await until(() => out.includes('"event":"request"'))
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines[0]).toMatchObject({ event: 'server', url, clock: 'real' })
    expect(lines.find((l) => l.event === 'request')).toMatchObject({ provider: 'connecx', status: expect.any(Number) })

    const bad = spawn(process.execPath, [CLI, '--log', 'loud', '--data', 'memory'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let err = ''
    bad.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    const code = await new Promise((resolve) => bad.on('exit', resolve))
    expect(code).toBe(1)
    expect(err).toContain('--log must be pretty, json, silent, got "loud"')
  })
})
