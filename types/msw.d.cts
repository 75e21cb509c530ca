// Types of `psp-sandbox/msw` for CommonJS consumers (the `require` condition and node10
// resolution). The same declarations as dist/msw.d.ts, but in a .d.cts file, so TypeScript
// resolves `msw` here as a CommonJS consumer does (lib/core/index.d.ts): the HttpHandler these
// functions return is then the type that consumer's `setupServer` from `msw/node` expects.
// test/package.test.ts compiles CommonJS consumer projects against it.
import type { HttpHandler } from 'msw'
import type { Sandbox, SandboxOptions } from '../dist/sandbox.js'

export interface HandlerOptions {
  /** Base URLs to intercept per provider id; defaults to each provider's real hosts. */
  hosts?: Record<string, string[]>
}

/** msw handlers that route each provider's real base URLs into a sandbox's Hono app, in-process. */
export declare function createHandlers(target: Sandbox, options?: HandlerOptions): HttpHandler[]

/** A fresh in-memory sandbox with a virtual clock and its handlers at every provider's real hosts. */
export declare function sandboxHandlers(options?: SandboxOptions): {
  sandbox: Sandbox
  handlers: HttpHandler[]
}
