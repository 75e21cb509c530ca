import { markSandboxDecisions } from '../sandbox-decisions.js'
import { PAYATOM_DECISIONS } from './decisions.js'
import { checkSeedSettings, SEED_SETTINGS } from '../seed-rules.js'
import { SEED_RULES } from './seed-rules.js'
import type { Engine } from '../../engine/engine.js'
import type { Provider } from '../../engine/provider.js'
import type { NeutralStatus, Transaction } from '../../engine/types.js'
import { payatomCallbacks, refundSnapshotOf } from './callbacks.js'
import { payatomOpenApi } from './openapi.js'
import { payatomRoutes } from './routes.js'
import { fail, JSON_TYPE, NATIVE_STATUSES } from './wire.js'

/** nginx's own error page, as PHP behind nginx answers before the script runs. */
function nginxPage(status: number, text: string): string {
  return `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}

/** A refund's status change shows on its pay-in (polling, reconciliation, later webhooks). */
function onStatusChange(engine: Engine, tx: Transaction, _previous: NeutralStatus | undefined): void {
  if (tx.kind !== 'refund') return
  const parentId = (tx.data as { parentId?: string }).parentId
  const parent = parentId ? engine.transactions.get(parentId) : undefined
  if (!parent) return
  parent.data = { ...parent.data, refund: refundSnapshotOf(tx) }
  engine.store.put('transactions', parent.id, parent)
}

/**
 * PayAtom (seed `001_2ba833a2bd8f7455.txt`, research §A): India/Bangladesh/Pakistan pay-ins
 * (hosted and seamless, v1 and v2), payouts, status polling, refunds and operations APIs, PHP
 * JSON, md5 + AES-256-CBC/HMAC `post_hash`, v2 sha256 signatures, webhooks resent until the
 * merchant answers `{"acknowledge":"yes"}`.
 *
 * @example
 * const sandbox = createSandbox({ clock: 'virtual', providers: [payatom] })
 */
export const payatom: Provider = {
  id: 'payatom',
  title: 'PayAtom',
  seed: '001_2ba833a2bd8f7455.txt',
  pathPrefixes: ['/pay', '/api', '/payout', '/bot'],
  hosts: ['https://app.payatom.in', 'https://money.payatom.in'],
  merchants: [
    {
      provider: 'payatom',
      id: '000000000000',
      name: 'PayAtom sandbox merchant',
      secretKey: 'mysecretpassword',
      apiKey: 'payatom-sandbox-api-key',
      token: 'payatom-sandbox-token',
      opsApiKey: 'payatom-sandbox-ops-key',
      operatorName: 'PayAtom Sandbox Operator',
      operatorEmail: 'operator@payatom.test',
      operatorPassword: 'operator',
      operatorActive: true,
      webhookUrl: null,
      payoutWebhookUrl: null,
      customer: SEED_SETTINGS.customer,
      relaxedRules: [],
      displayName: 'PayAtom',
      collectionUpi: 'payatom.sandbox@upi',
      balances: { payin: 25000, payout: 18500, payinMatured: 22000 },
      wallets: {
        upi: [
          {
            account: '50100012345678',
            upi: 'payatom.sandbox@upi',
            minimum_balance: '1000',
            limit_volume: '500000',
            active: true,
          },
        ],
        imps_upi: [
          {
            account_holder: 'PayAtom Sandbox Collections',
            account_number: '50100087654321',
            bank: 'HDFC Bank',
            ifsc: 'HDFC0000001',
            minimum_balance: '1000',
            limit_volume: '1000000',
            active: true,
          },
        ],
        wallet: [
          { account_number: '01700000001', wallet_type: 'bKash', active: true },
          { account_number: '01800000002', wallet_type: 'Nagad', active: true },
          { account_number: '01900000003', wallet_type: 'Rocket', active: true },
          { account_number: '01600000004', wallet_type: 'Upay', active: false },
        ],
      },
    },
  ],
  hostedPage: (tx) =>
    tx.kind === 'payin' && /^[0-9a-f]{64}$/.test(tx.providerRef)
      ? `/pay/connect.php?code=${tx.providerRef}`
      : undefined,
  nativeStatuses: NATIVE_STATUSES,
  customerTimeout: '15m',
  fakeLocale: 'en_IN',
  operations: ['payin-hosted', 'payin-upi', 'payin-imps', 'payin-wallet', 'payin-pakistan', 'payout', 'refund'],
  settingsSchema: {
    webhookUrl: { type: ['string', 'null'], description: 'pay-in and refund webhook URL' },
    payoutWebhookUrl: { type: ['string', 'null'], description: 'payout webhook URL' },
  },
  routes: payatomRoutes,
  callbacks: payatomCallbacks,
  problem(c, problem) {
    switch (problem) {
      case 'body-too-large':
        return c.body(nginxPage(413, 'Request Entity Too Large'), 413, { 'Content-Type': 'text/html' })
      case 'route-not-found':
        c.var.journal?.notes.push(
          `no PayAtom API at ${c.req.method} ${new URL(c.req.url).pathname}; nginx answers its 404 page`,
        )
        return c.body(nginxPage(404, 'Not Found'), 404, { 'Content-Type': 'text/html' })
      case 'internal-error':
        return fail(c, 'Internal Server Error', 'the sandbox failed while handling this request (see the journal)', 500)
    }
  },
  checkMerchant: (m) => checkSeedSettings(m, Object.keys(SEED_RULES)),
  onStatusChange,
  openapi: () => markSandboxDecisions(payatomOpenApi(), PAYATOM_DECISIONS),
}

export { JSON_TYPE }
