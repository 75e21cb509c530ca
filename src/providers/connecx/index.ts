import { defineProvider } from '../../engine/provider.js'
import { markSandboxDecisions } from '../sandbox-decisions.js'
import { CONNECX_DECISIONS } from './decisions.js'
import { answerRefusal, Refusal } from '../kit/refusal.js'
import { moveBalance } from './balance.js'
import { connecxCallbacks } from './callbacks.js'
import { DEFAULT_MERCHANT, IDENTITY } from './defaults.js'
import { connecxErrors, connecxRoutes } from './routes.js'
import {
  checkConnecxMerchant,
  NATIVE_STATUSES,
  type ConnecxRefusal,
  type ConnecxSettings,
  type ConnecxTxnData,
} from './wire.js'

/**
 * Connecx Unified Payments ("paymesh"), seed `004_8c68b2730cf309b1.txt`: JSON over
 * `/mxapi/{merchantId}/…`, hex SHA-256 `X-paymesh-authz` tokens, 422 `{"msgCode","msgText"}`.
 *
 * @example
 * const sandbox = createSandbox({ providers: [connecx] })
 */
export const connecx = defineProvider<ConnecxTxnData, ConnecxSettings>({
  ...IDENTITY,
  merchants: [DEFAULT_MERCHANT],
  hostedPage: (tx) => (tx.kind === 'payin' ? `/mxapi/authz/${tx.providerRef}` : undefined),
  nativeStatuses: NATIVE_STATUSES,
  operations: ['payin', 'payout'],
  counters: ['connecx.txnId'],
  routes: connecxRoutes,
  callbacks: connecxCallbacks,
  problem(c, problem) {
    const refusal =
      problem === 'body-too-large'
        ? new Refusal('E3000', 'the body is larger than the sandbox accepts (1 MiB)')
        : problem === 'route-not-found'
          ? new Refusal('E3000', `no Connecx API at ${c.req.method} ${new URL(c.req.url).pathname}`, { status: 404 })
          : new Refusal('E9999', 'the sandbox failed while handling this request (see the journal)', { status: 500 })
    return answerRefusal(c, connecxErrors, refusal as ConnecxRefusal)
  },
  checkMerchant: checkConnecxMerchant,
  onStatusChange: moveBalance,
  // Loaded on first use: start-up never pays for the document's builders.
  openapi: async () => markSandboxDecisions((await import('./openapi.js')).connecxOpenApi(), CONNECX_DECISIONS),
})
