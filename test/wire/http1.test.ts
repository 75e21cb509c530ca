import http from 'node:http'
import { createServer, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Http1Client, type Http1Target } from '../../src/wire/http1.js'

// The callback queue's HTTP/1.1 client against raw TCP servers: the request bytes are node:http's,
// and every way an answer can be framed (length, chunked, to the close, interim 1xx) is read.

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** A TCP server handing each connection to `onConnection`; records what each one received. */
async function tcp(onConnection: (socket: Socket, received: () => string) => void) {
  const sockets: Socket[] = []
  const server = createServer((socket) => {
    sockets.push(socket)
    let text = ''
    socket.on('data', (c) => (text += c.toString('latin1')))
    onConnection(socket, () => text)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => {
    for (const s of sockets) s.destroy()
    return new Promise((resolve) => server.close(resolve))
  })
  const port = (server.address() as { port: number }).port
  return { port, sockets, target: (path = '/cb'): Http1Target => ({ hostname: '127.0.0.1', port, path }) }
}

/** Answers every complete request (head + Content-Length body) with `answer(n)`, n from 1. */
function answering(answer: (n: number) => string | string[]) {
  let n = 0
  return (socket: Socket) => {
    let buffer = ''
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1')
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        const length = Number(/content-length: (\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0)
        if (buffer.length < end + 4 + length) return
        buffer = buffer.slice(end + 4 + length)
        const parts = answer(++n)
        for (const part of Array.isArray(parts) ? parts : [parts]) socket.write(part)
      }
    })
  }
}

function client(options: Partial<{ timeoutMs: number; maxAnswerBytes: number }> = {}) {
  const c = new Http1Client({ timeoutMs: 5000, maxAnswerBytes: 1 << 20, ...options })
  cleanups.push(() => c.close())
  return c
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK'

describe('the request on the wire is what node:http writes', () => {
  it('POST and GET: the given headers in order, then Host and Connection; the body as UTF-8', async () => {
    const seen: string[] = []
    const server = await tcp((socket, received) => {
      answering(() => OK)(socket)
      socket.on('data', () => queueMicrotask(() => seen.push(received())))
    })
    const body = Buffer.from('{"name":"Zoë"}', 'utf8')
    const headers: Array<[string, string]> = [
      ['Content-Type', 'application/json'],
      ['X-paymesh-authz', 'abc'],
      ['Content-Length', String(body.byteLength)],
    ]
    const c = client()
    await c.request(server.target('/p%20a/th?x=1&y=%C3%A9'), 'POST', headers, body)
    await c.request(server.target('/p%20a/th?x=1&y=%C3%A9'), 'GET', [], undefined)
    const ours = seen.at(-1)!

    // The same two calls through node:http with a keep-alive agent, to a second server.
    const nodeSeen: string[] = []
    const other = await tcp((socket, received) => {
      answering(() => OK)(socket)
      socket.on('data', () => queueMicrotask(() => nodeSeen.push(received())))
    })
    const agent = new http.Agent({ keepAlive: true })
    cleanups.push(() => agent.destroy())
    for (const [method, sent] of [
      ['POST', body],
      ['GET', undefined],
    ] as const)
      await new Promise<void>((resolve, reject) => {
        const req = http.request(
          new URL(`http://127.0.0.1:${other.port}/p%20a/th?x=1&y=%C3%A9`),
          { method, agent, headers: sent ? Object.fromEntries(headers) : {} },
          (res) => res.resume().on('end', resolve),
        )
        req.on('error', reject)
        req.end(sent)
      })
    expect(ours.replaceAll(String(server.port), 'PORT')).toBe(nodeSeen.at(-1)!.replaceAll(String(other.port), 'PORT'))
    expect(ours).toBe(
      `POST /p%20a/th?x=1&y=%C3%A9 HTTP/1.1\r\nContent-Type: application/json\r\nX-paymesh-authz: abc\r\nContent-Length: 15\r\nHost: 127.0.0.1:${server.port}\r\nConnection: keep-alive\r\n\r\n{"name":"ZoÃ«"}` +
        `GET /p%20a/th?x=1&y=%C3%A9 HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: keep-alive\r\n\r\n`,
    )
  })

  it('a Host or Connection header given is sent instead of its own', async () => {
    let text = ''
    const server = await tcp((socket, received) => {
      answering(() => OK)(socket)
      socket.on('data', () => (text = received()))
    })
    await client().request(
      server.target(),
      'GET',
      [
        ['host', 'merchant.example'],
        ['Connection', 'close'],
      ],
      undefined,
    )
    expect(text).toBe('GET /cb HTTP/1.1\r\nhost: merchant.example\r\nConnection: close\r\n\r\n')
  })

  it('a header value with CR or LF, or a bad header name, is refused before anything is sent', async () => {
    let connections = 0
    const server = await tcp(() => connections++)
    const c = client()
    await expect(c.request(server.target(), 'POST', [['X-A', 'a\r\nX-Injected: 1']], Buffer.from(''))).rejects.toThrow(
      'Invalid character in header content ["X-A"]',
    )
    await expect(c.request(server.target(), 'POST', [['X A', 'a']], Buffer.from(''))).rejects.toThrow(
      'Header name must be a valid HTTP token ["X A"]',
    )
    expect(connections).toBe(0)
  })
})

describe('answers in every framing', () => {
  it('Content-Length, on one kept-alive connection for several requests', async () => {
    const server = await tcp(answering((n) => `HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nbody${n}`))
    const c = client()
    const a = await c.request(server.target(), 'GET', [], undefined)
    const b = await c.request(server.target(), 'GET', [], undefined)
    expect([a, b]).toEqual([
      { status: 201, body: 'body1', reused: false },
      { status: 201, body: 'body2', reused: true },
    ])
    expect(server.sockets).toHaveLength(1)
  })

  it('chunked, arriving one byte at a time, with extensions and trailers', async () => {
    const answer =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n{"ac\r\n0a\r\nknowledge"\r\n5\r\n:"yes\r\n2\r\n"}\r\n0\r\nX-Trailer: t\r\n\r\n'
    const server = await tcp(answering(() => [...answer]))
    const c = client()
    expect(await c.request(server.target(), 'GET', [], undefined)).toEqual({
      status: 200,
      body: '{"acknowledge":"yes"}',
      reused: false,
    })
    expect((await c.request(server.target(), 'GET', [], undefined)).reused).toBe(true)
  })

  it('no length: the body runs to the close, and the connection is not reused', async () => {
    const server = await tcp((socket) =>
      answering(() => {
        queueMicrotask(() => socket.end())
        return 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it'
      })(socket),
    )
    const c = client()
    expect(await c.request(server.target(), 'GET', [], undefined)).toEqual({
      status: 200,
      body: 'all of it',
      reused: false,
    })
    expect(await c.request(server.target(), 'GET', [], undefined)).toEqual({
      status: 200,
      body: 'all of it',
      reused: false,
    })
    expect(server.sockets).toHaveLength(2)
  })

  it('100 Continue and 103 Early Hints are skipped; 204 has no body', async () => {
    const server = await tcp(
      answering((n) =>
        n === 1
          ? 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes'
          : 'HTTP/1.1 204 No Content\r\n\r\n',
      ),
    )
    const c = client()
    expect(await c.request(server.target(), 'GET', [], undefined)).toMatchObject({ status: 200, body: 'yes' })
    expect(await c.request(server.target(), 'GET', [], undefined)).toMatchObject({ status: 204, body: '' })
  })

  it('Connection: close, or HTTP/1.0 without keep-alive: the next request opens a new connection', async () => {
    const server = await tcp(
      answering((n) =>
        n === 1
          ? 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nOK'
          : 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nOK',
      ),
    )
    const c = client()
    await c.request(server.target(), 'GET', [], undefined)
    await c.request(server.target(), 'GET', [], undefined)
    await c.request(server.target(), 'GET', [], undefined)
    expect(server.sockets).toHaveLength(3)
  })

  it('a body past maxAnswerBytes is read but not kept', async () => {
    const server = await tcp(answering(() => `HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789`))
    const c = client({ maxAnswerBytes: 4 })
    expect((await c.request(server.target(), 'GET', [], undefined)).body).toBe('0123')
    expect((await c.request(server.target(), 'GET', [], undefined)).reused).toBe(true)
  })
})

describe('failures say what happened, as node:http does', () => {
  it('not HTTP: a parse error', async () => {
    const server = await tcp(answering(() => 'SSH-2.0-OpenSSH_9.6\r\n\r\n'))
    await expect(client().request(server.target(), 'GET', [], undefined)).rejects.toThrow(
      /^Parse Error: expected an HTTP\/1.x status line, got "SSH-2.0-OpenSSH_9.6"$/,
    )
  })

  it('two different Content-Length values: a parse error', async () => {
    const server = await tcp(answering(() => 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nOK'))
    await expect(client().request(server.target(), 'GET', [], undefined)).rejects.toThrow(/invalid Content-Length/)
  })

  it('closed before a complete answer: ECONNRESET "socket hang up"', async () => {
    const server = await tcp((socket) =>
      answering(() => {
        queueMicrotask(() => socket.end())
        return 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort'
      })(socket),
    )
    await expect(client().request(server.target(), 'GET', [], undefined)).rejects.toMatchObject({
      code: 'ECONNRESET',
      message: 'socket hang up',
      reused: false,
    })
  })

  it('a kept-alive connection the server closed while idle is not used again', async () => {
    const server = await tcp(answering(() => OK))
    const c = client()
    await c.request(server.target(), 'GET', [], undefined)
    // Closed on both sides once the client has seen the end.
    await new Promise((resolve) => server.sockets[0].end().once('close', resolve))
    expect(await c.request(server.target(), 'GET', [], undefined)).toEqual({ status: 200, body: 'OK', reused: false })
  })

  it('a reused connection reset by the server: the error says it was reused (the caller retries)', async () => {
    const server = await tcp(answering((n) => (n === 1 ? OK : '')))
    const c = client()
    await c.request(server.target(), 'GET', [], undefined)
    server.sockets[0].on('data', () => server.sockets[0].resetAndDestroy())
    await expect(c.request(server.target(), 'GET', [], undefined)).rejects.toMatchObject({
      code: 'ECONNRESET',
      reused: true,
    })
  })

  it('connection refused', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    await new Promise((resolve) => server.close(resolve))
    await expect(
      client().request({ hostname: '127.0.0.1', port, path: '/' }, 'GET', [], undefined),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('no answer in time: a TimeoutError, and the connection is dropped', async () => {
    const server = await tcp(() => {})
    const started = Date.now()
    await expect(client({ timeoutMs: 150 }).request(server.target(), 'GET', [], undefined)).rejects.toMatchObject({
      name: 'TimeoutError',
      message: 'no answer within 150 ms',
    })
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })
})
