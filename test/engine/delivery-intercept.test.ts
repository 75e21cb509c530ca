import http from 'node:http'
import { createServer } from 'node:http'
import { describe, expect, it, vi } from 'vitest'
import { httpDeliver } from '../../src/engine/delivery.js'

// `http:` callbacks go out through the lean HTTP/1.1 client, unless something intercepts
// node:http (msw wraps `http.request` in a Proxy, nock assigns its own function): then through
// node:http, so the interceptor sees them (test/msw.test.ts covers msw end to end).

/** A merchant that answers every callback 200 `OK`, and a callback to it. */
async function merchant() {
  const server = createServer((req, res) => req.resume().on('end', () => res.end('OK')))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/cb`
  return {
    callback: { url, method: 'POST' as const, headers: {}, body: '{}', event: 'e' },
    close: () => new Promise((r) => server.close(r)),
  }
}

describe('callbacks and request interceptors', () => {
  it('a replaced http.request sees every callback while it is in place', async () => {
    const { callback, close } = await merchant()
    const deliver = httpDeliver({ timeoutMs: 5000 })
    const original = http.request
    let seen = 0
    try {
      expect(await deliver(callback)).toEqual({ status: 200, body: 'OK' })
      // As nock does: a plain function assigned in place of node's own.
      http.request = function (...args: unknown[]) {
        seen++
        return (original as (...a: unknown[]) => http.ClientRequest)(...args)
      } as typeof http.request
      expect(await deliver(callback)).toEqual({ status: 200, body: 'OK' })
      expect(seen).toBe(1)
      // As msw does: a Proxy around node's own.
      http.request = new Proxy(original, {
        apply: (target, self, args) => (seen++, Reflect.apply(target, self, args)),
      })
      expect(await deliver(callback)).toEqual({ status: 200, body: 'OK' })
      expect(seen).toBe(2)
      http.request = original
      expect(await deliver(callback)).toEqual({ status: 200, body: 'OK' })
      expect(seen).toBe(2)
    } finally {
      http.request = original
      deliver.close()
      await close()
    }
  })

  // An interceptor installed before the sandbox was imported (msw's setupServer in a test setup
  // file): `http.request` is then already the interceptor's when delivery.ts takes its copy, so
  // only the name and Proxy checks can tell.
  const installedFirst = [
    {
      name: 'a Proxy (msw)',
      make: (original: typeof http.request, see: () => void) =>
        new Proxy(original, { apply: (target, self, args) => (see(), Reflect.apply(target, self, args)) }),
    },
    {
      name: 'a function of another name (nock)',
      make: (original: typeof http.request, see: () => void) =>
        function overriddenRequest(...args: unknown[]) {
          see()
          return (original as (...a: unknown[]) => http.ClientRequest)(...args)
        } as typeof http.request,
    },
  ]
  for (const { name, make } of installedFirst) {
    it(`${name} installed before the sandbox is imported still sees every callback`, async () => {
      const { callback, close } = await merchant()
      const original = http.request
      let seen = 0
      http.request = make(original, () => seen++)
      vi.resetModules()
      const fresh = (await import('../../src/engine/delivery.js')) as typeof import('../../src/engine/delivery.js')
      const deliver = fresh.httpDeliver({ timeoutMs: 5000 })
      try {
        expect(await deliver(callback)).toEqual({ status: 200, body: 'OK' })
        expect(seen).toBe(1)
      } finally {
        http.request = original
        deliver.close()
        await close()
        // The instance imported above took the interceptor for node's own: no later import
        // (another test file sharing this module graph) may get it.
        vi.resetModules()
      }
    })
  }

  it('a function named "request" put in place of node\'s own is an interceptor too', async () => {
    const { callback, close } = await merchant()
    const deliver = httpDeliver({ timeoutMs: 5000 })
    const original = http.request
    let seen = 0
    try {
      http.request = function request(...args: unknown[]) {
        seen++
        return (original as (...a: unknown[]) => http.ClientRequest)(...args)
      } as typeof http.request
      expect(await deliver(callback)).toEqual({ status: 200, body: 'OK' })
      expect(seen).toBe(1)
    } finally {
      http.request = original
      deliver.close()
      await close()
    }
  })
})
