import { spawnSync } from 'node:child_process'
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createSandbox } from '../../src/sandbox.js'
import { listen } from '../../src/server.js'
import { served } from './support.js'

/**
 * Finding 4 (any web page and anyone on the network could drive the admin API) and the admin
 * half of finding 7 (unbounded bodies; null and YAML alias bombs answered 500), over a socket.
 */
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** A raw HTTP request (fetch cannot set Host, Origin or Sec-Fetch-Site). */
function raw(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('cross-site and DNS-rebinding requests are refused', () => {
  it('a text/plain POST from a foreign Origin (no preflight needed) is 403 and changes nothing', async () => {
    const { sandbox, server } = await served()
    cleanups.push(() => server.close())
    const res = await raw(server.url, {
      method: 'POST',
      path: '/_sandbox/reset',
      headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example' },
      body: '{}',
    })
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body).error).toMatch(/origin https:\/\/evil.example may not drive the admin API/)
    sandbox.scenarios.use({ provider: 'connecx', rules: [] })
    const plain = await raw(server.url, {
      method: 'PUT',
      path: '/_sandbox/scenarios',
      headers: { 'Content-Type': 'text/plain' },
      body: '{"provider":"connecx","rules":[]}',
    })
    expect(plain.status).toBe(415)
    expect(JSON.parse(plain.body).error).toMatch(/needs Content-Type: application\/json/)
    const form = await raw(server.url, {
      method: 'PATCH',
      path: '/_sandbox/merchants/connecx/3568224497743',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'apiKey=stolen',
    })
    expect(form.status).toBe(415)
    expect(sandbox.merchants.get('connecx', '3568224497743')!.apiKey).toBe('sandbox-api-key-0001')
  })

  it('Sec-Fetch-Site cross-site or same-site is 403; same-origin and none pass; own Origin passes', async () => {
    const { server } = await served()
    cleanups.push(() => server.close())
    for (const site of ['cross-site', 'same-site'])
      expect((await raw(server.url, { path: '/_sandbox/merchants', headers: { 'Sec-Fetch-Site': site } })).status).toBe(
        403,
      )
    for (const site of ['same-origin', 'none'])
      expect((await raw(server.url, { path: '/_sandbox/merchants', headers: { 'Sec-Fetch-Site': site } })).status).toBe(
        200,
      )
    const own = await raw(server.url, {
      method: 'POST',
      path: '/_sandbox/clock/advance',
      headers: { Origin: server.url, 'Content-Type': 'application/json' },
      body: '{"by":"1s"}',
    })
    expect(own.status).toBe(200)
    expect((await raw(server.url, { path: '/_sandbox/health', headers: { Origin: 'null' } })).status).toBe(403)
  })

  it('an unknown Host is 403 (DNS rebinding) unless --allowed-hosts names it; providers answer any Host', async () => {
    const { server } = await served()
    cleanups.push(() => server.close())
    const evil = await raw(server.url, { path: '/_sandbox/merchants', headers: { Host: 'evil.example' } })
    expect(evil.status).toBe(403)
    expect(evil.body).not.toContain('sandbox-api-key-0001')
    expect(JSON.parse(evil.body).error).toMatch(/--allowed-hosts evil.example/)
    for (const host of ['localhost:1', '127.0.0.1', '[::1]:8080', 'app.localhost'])
      expect((await raw(server.url, { path: '/_sandbox/health', headers: { Host: host } })).status).toBe(200)
    const provider = await raw(server.url, { path: '/mxapi/1/txn/1', headers: { Host: 'evil.example' } })
    expect(provider.status).toBe(422)

    const allowed = await served({ admin: { allowedHosts: ['psp-sandbox'] } })
    cleanups.push(() => allowed.server.close())
    expect(
      (await raw(allowed.server.url, { path: '/_sandbox/health', headers: { Host: 'psp-sandbox:8080' } })).status,
    ).toBe(200)
  })
})

describe('admin token', () => {
  it('listen() refuses a non-loopback address without a token, saying how to set one', async () => {
    const sandbox = createSandbox({ clock: 'virtual' })
    cleanups.push(() => sandbox.close())
    await expect(listen(sandbox, { port: 0, host: '0.0.0.0' })).rejects.toThrow(
      /binding 0.0.0.0 would open the admin API .* --admin-token <token> or the environment variable PSP_SANDBOX_ADMIN_TOKEN/,
    )
  })

  it('the command line exits 1 with that message; a token shorter than 8 characters is refused', () => {
    const cli = new URL('../../dist/cli.js', import.meta.url).pathname
    const run = spawnSync(process.execPath, [cli, '--host', '0.0.0.0', '--port', '0', '--data', 'memory'], {
      encoding: 'utf8',
      env: { ...process.env, PSP_SANDBOX_ADMIN_TOKEN: '' },
      timeout: 20_000,
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/PSP_SANDBOX_ADMIN_TOKEN/)
    const short = spawnSync(process.execPath, [cli, '--admin-token', 'abc', '--data', 'memory'], {
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(short.stderr).toMatch(/at least 8 characters/)
  })

  it('with a token: every admin route but health needs it; merchant secrets only with it', async () => {
    const sandbox = createSandbox({ clock: 'virtual', admin: { token: 'a-long-admin-token' } })
    const server = await listen(sandbox, { port: 0, host: '0.0.0.0' })
    cleanups.push(() => server.close())
    expect((await fetch(`${server.url}/_sandbox/health`)).status).toBe(200)
    const anonymous = await fetch(`${server.url}/_sandbox/merchants`)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(await anonymous.text()).not.toContain('sandbox-api-key-0001')
    const wrong = await fetch(`${server.url}/_sandbox/merchants`, { headers: { Authorization: 'Bearer wrong' } })
    expect(wrong.status).toBe(401)
    const nonAscii = await fetch(`${server.url}/_sandbox/merchants`, {
      headers: { Authorization: 'Bearer \u00e9\u00e9' },
    })
    expect(nonAscii.status).toBe(401)
    const ok = await fetch(`${server.url}/_sandbox/merchants`, {
      headers: { Authorization: 'Bearer a-long-admin-token' },
    })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toContain('sandbox-api-key-0001')
    const cookie = await fetch(`${server.url}/_sandbox/callbacks`, {
      headers: { Cookie: 'psp-sandbox-admin-token=a-long-admin-token' },
    })
    expect(cookie.status).toBe(200)
    const reset = await fetch(`${server.url}/_sandbox/reset`, { method: 'POST' })
    expect(reset.status).toBe(401)
  })
})

describe('admin bodies', () => {
  it('every malformed body is a 400 saying what was wrong; nothing changes', async () => {
    const { sandbox, server } = await served()
    cleanups.push(() => server.close())
    const send = (method: string, path: string, body: string, type = 'application/json') =>
      fetch(`${server.url}/_sandbox${path}`, { method, headers: { 'Content-Type': type }, body }).then(async (r) => ({
        status: r.status,
        error: ((await r.json()) as { error: string }).error,
      }))
    const tx = await sandbox.fetch(
      new Request(`${server.url}/mxapi/3568224497743/txn/1`), // any request: makes sure state is loaded
    )
    expect(tx.status).toBe(422)
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...Array.from({ length: 8 }, (_, i) => {
        const [me, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)]
        return `${me}: &${me} [${Array(9).fill(`*${prev}`).join(',')}]`
      }),
      'provider: connecx',
      'rules: []',
    ].join('\n')
    const cases: Array<[string, string, string, string | undefined, RegExp]> = [
      ['PUT', '/scenarios', 'null', undefined, /the body is null; send a JSON object or a list of them/],
      ['PATCH', '/merchants/connecx/3568224497743', 'null', undefined, /the body is null; send a JSON object/],
      ['PATCH', '/merchants/connecx/3568224497743', '[1]', undefined, /the body is a list/],
      ['POST', '/clock/advance', '"1s"', undefined, /the body is a string/],
      ['POST', '/transactions/x/transition', '{', undefined, /.*/], // 404 first: no such transaction
      ['PUT', '/scenarios', bomb, 'application/yaml', /not valid YAML: .*alias/i],
      ['PUT', '/scenarios', `${'['.repeat(100)}${']'.repeat(100)}`, undefined, /nests 65 levels/],
      ['PUT', '/scenarios', '{"provider":', undefined, /not valid JSON/],
    ]
    for (const [method, path, body, type, error] of cases) {
      const res = await send(method, path, body, type)
      expect(res.status, `${method} ${path} ${body.slice(0, 20)}`).toBe(path.includes('/transactions/x') ? 404 : 400)
      expect(res.error).toMatch(error)
    }
    expect(sandbox.merchants.get('connecx', '3568224497743')!.apiKey).toBe('sandbox-api-key-0001')
  })

  it('a body over 1 MiB is 413 on every admin route, with Connection: close', async () => {
    const { server } = await served()
    cleanups.push(() => server.close())
    const big = JSON.stringify({ provider: 'connecx', description: 'x'.repeat(2 * 1024 * 1024), rules: [] })
    for (const [method, path] of [
      ['PUT', '/scenarios'],
      ['PATCH', '/merchants/connecx/3568224497743'],
      ['POST', '/clock/advance'],
      ['POST', '/reset'],
    ] as const) {
      const res = await fetch(`${server.url}/_sandbox${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: big,
      })
      expect(res.status, path).toBe(413)
      expect(res.headers.get('connection')).toBe('close')
      expect((await res.json()).error).toMatch(/larger than 1048576 bytes/)
    }
  })
})
