import { markSandboxDecisions } from '../sandbox-decisions.js'
import { CONNECX_DECISIONS } from './decisions.js'
import type { Provider } from '../../engine/provider.js'
import { moveBalance } from './balance.js'
import { SEED_SETTINGS } from '../seed-rules.js'
import { connecxCallbacks } from './callbacks.js'
import { DEFAULT_RECIPES } from './crypto.js'
import { connecxOpenApi } from './openapi.js'
import { connecxRoutes, refuse } from './routes.js'
import { checkConnecxMerchant, NATIVE_STATUSES } from './wire.js'

/**
 * Connecx Unified Payments ("paymesh"), seed `004_8c68b2730cf309b1.txt`: JSON over
 * `/mxapi/{merchantId}/…`, hex SHA-256 `X-paymesh-authz` tokens, 422 `{"msgCode","msgText"}`.
 *
 * @example
 * const sandbox = createSandbox({ providers: [connecx] })
 */
export const connecx: Provider = {
  id: 'connecx',
  title: 'Connecx Unified Payments',
  seed: '004_8c68b2730cf309b1.txt',
  pathPrefixes: ['/mxapi'],
  hosts: ['https://connecx.test'],
  merchants: [
    {
      provider: 'connecx',
      id: '3568224497743',
      name: 'Connecx sandbox merchant',
      apiKey: 'sandbox-api-key-0001',
      accountId: '1000000001',
      active: true,
      channels: ['USDMOCK-001', 'CHNL-101'],
      balances: { USD: 10000, CNY: 100000 },
      tokenRecipes: { ...DEFAULT_RECIPES },
      statusTimeStampUnit: 'seconds',
      callbackRetrySchedule: [...connecxCallbacks.retrySchedule],
      customer: SEED_SETTINGS.customer,
      relaxedRules: [],
    },
  ],
  hostedPage: (tx) => (tx.kind === 'payin' ? `/mxapi/authz/${tx.providerRef}` : undefined),
  nativeStatuses: NATIVE_STATUSES,
  customerTimeout: '30m',
  operations: ['payin', 'payout'],
  routes: connecxRoutes,
  callbacks: connecxCallbacks,
  problem(c, problem) {
    switch (problem) {
      case 'body-too-large':
        return refuse(c, 'E3000', 'the body is larger than the sandbox accepts (1 MiB)')
      case 'route-not-found':
        return refuse(c, 'E3000', `no Connecx API at ${c.req.method} ${new URL(c.req.url).pathname}`, 404)
      case 'internal-error':
        return refuse(c, 'E9999', 'the sandbox failed while handling this request (see the journal)', 500)
    }
  },
  checkMerchant: checkConnecxMerchant,
  onStatusChange: moveBalance,
  openapi: () => markSandboxDecisions(connecxOpenApi(), CONNECX_DECISIONS),
}
