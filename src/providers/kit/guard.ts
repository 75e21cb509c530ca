import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { SandboxEnv } from '../../engine/env.js'
import type { Merchant } from '../../engine/types.js'
import type { Refusal } from './refusal.js'

/** The environment of a route behind `guard()`: `c.get('merchant')` is the authenticated merchant. */
export type MerchantEnv<Settings> = {
  Bindings: SandboxEnv['Bindings']
  Variables: SandboxEnv['Variables'] & { merchant: Merchant<Settings> }
}

/** What a provider's authentication concluded, with the explanation the journal shows. */
export type AuthVerdict<Settings> =
  | { ok: true; merchant: Merchant<Settings>; explanation: string }
  | { ok: false; explanation: string; refusal: Refusal; merchant?: Merchant<Settings> }

/**
 * Notes an authentication verdict in the request's journal entry (`auth` and `merchant`) and
 * throws its refusal when it failed. For flows that authenticate inside a handler.
 *
 * @example
 * const merchant = admit(c, verifyPostHash(c, body))
 */
export function admit<Settings, E extends SandboxEnv = SandboxEnv>(
  c: Context<E>,
  verdict: AuthVerdict<Settings> & { ok: false },
): never
export function admit<Settings, E extends SandboxEnv = SandboxEnv>(
  c: Context<E>,
  verdict: AuthVerdict<Settings>,
): Merchant<Settings>
export function admit<Settings, E extends SandboxEnv>(
  c: Context<E>,
  verdict: AuthVerdict<Settings>,
): Merchant<Settings> {
  const entry = c.get('journal')
  if (entry) {
    entry.auth = { ok: verdict.ok, explanation: verdict.explanation }
    if (verdict.merchant) entry.merchant ??= verdict.merchant.id
  }
  if (!verdict.ok) throw verdict.refusal
  return verdict.merchant
}

/**
 * `admit()` for a yes/no check: admits `merchant` when `ok`, else throws `refusal()`; the journal
 * gets the explanation either way.
 *
 * @example
 * admitIf(c, same(given, expected), merchant, `signature must be ${expected}`, () => refusal('Invalid signature'))
 */
export function admitIf<Settings, E extends SandboxEnv = SandboxEnv>(
  c: Context<E>,
  ok: boolean,
  merchant: Merchant<Settings>,
  explanation: string,
  refusal: () => Refusal,
): Merchant<Settings> {
  return admit(c, ok ? { ok: true, merchant, explanation } : { ok: false, explanation, refusal: refusal() })
}

/**
 * Guard middleware: runs the provider's `authenticate`, notes the verdict in the journal, sets
 * `c.get('merchant')`, or throws the refusal (rendered by the provider's `providerApp`).
 * `authenticate` may itself throw a `Refusal` for requests that never reach a verdict (unknown
 * merchant, unreadable body).
 *
 * @example
 * app.get('/mxapi/:merchantId/txn/:txnId', guard(tokenFor('txn')), (c) => c.json(find(c.get('merchant'))))
 */
export function guard<Settings>(
  authenticate: (c: Context<SandboxEnv>) => AuthVerdict<Settings> | Promise<AuthVerdict<Settings>>,
): MiddlewareHandler<MerchantEnv<Settings>> {
  return createMiddleware<MerchantEnv<Settings>>(async (c, next) => {
    const plain = c as unknown as Context<SandboxEnv>
    c.set('merchant', admit(plain, await authenticate(plain)))
    await next()
  })
}
