import { readFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer } from 'node:https'
import type { Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpDeliver } from '../../src/engine/delivery.js'

// Merchant hosts of every kind a callback URL can name. `https:` callbacks go through node:https with a keep-alive agent. The merchant here is a real
// TLS server with a self-signed certificate for 127.0.0.1 (test/support/tls/, valid until 2126);
// Node's own switch lets this test trust it, as a developer would for a local merchant.

const tls = new URL('../support/tls/', import.meta.url)
let previous: string | undefined

beforeAll(() => {
  previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
})
afterAll(() => {
  if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous
})

describe('callbacks to an https merchant', () => {
  it('are sent over TLS with the provider headers, and reuse one kept-alive connection', async () => {
    const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = []
    const connections = new Set<Socket>()
    const server = createServer(
      { key: readFileSync(new URL('localhost.key', tls)), cert: readFileSync(new URL('localhost.crt', tls)) },
      (req, res) => {
        let body = ''
        req.setEncoding('utf8')
        req.on('data', (chunk: string) => (body += chunk))
        req.on('end', () => {
          seen.push({ method: req.method, url: req.url, headers: req.headers, body })
          res.end('OK')
        })
      },
    )
    server.on('secureConnection', (socket: Socket) => connections.add(socket))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const deliver = httpDeliver({ timeoutMs: 5_000 })
    try {
      const callback = {
        url: `https://127.0.0.1:${port}/cb?x=1`,
        method: 'POST' as const,
        headers: { 'Content-Type': 'application/json' },
        body: '{"status":"ok"}',
        event: 'e',
      }
      expect(await deliver(callback)).toEqual({ status: 200, body: 'OK' })
      expect(await deliver(callback)).toEqual({ status: 200, body: 'OK' })
      expect(seen).toHaveLength(2)
      expect(seen[0]).toMatchObject({ method: 'POST', url: '/cb?x=1', body: '{"status":"ok"}' })
      expect(seen[0].headers['content-type']).toBe('application/json')
      expect(seen[0].headers['content-length']).toBe('15')
      expect(connections.size).toBe(1)
    } finally {
      deliver.close()
      await new Promise((r) => server.close(r))
    }
  })
})

describe('callbacks to an IPv6 merchant', () => {
  it('reach a merchant on [::1] through the lean client, with the Host header as the URL has it', async () => {
    const seen: Array<string | undefined> = []
    const server = createHttpServer((req, res) => {
      seen.push(req.headers.host)
      req.resume().on('end', () => res.end('OK'))
    })
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '::1', resolve))
    const { port } = server.address() as { port: number }
    const deliver = httpDeliver({ timeoutMs: 5_000 })
    try {
      const callback = { url: `http://[::1]:${port}/cb`, method: 'POST' as const, headers: {}, body: '{}', event: 'e' }
      expect(await deliver(callback)).toEqual({ status: 200, body: 'OK' })
      expect(seen).toEqual([`[::1]:${port}`])
    } finally {
      deliver.close()
      await new Promise((r) => server.close(r))
    }
  })
})
