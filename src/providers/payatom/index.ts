import { defineProvider } from '../../engine/provider.js'
import { markSandboxDecisions } from '../sandbox-decisions.js'
import { PAYATOM_DECISIONS } from './decisions.js'
import { checkSeedSettings } from '../seed-rules.js'
import { SEED_RULES } from './seed-rules.js'
import type { NeutralStatus } from '../../engine/types.js'
import { answerRefusal } from '../kit/refusal.js'
import { nginxErrorPage } from '../../wire/nginx.js'
import { payatomCallbacks, refundSnapshotOf } from './callbacks.js'
import { payatomRoutes } from './routes.js'
import {
  NATIVE_STATUSES,
  payatomErrors,
  refusal,
  type PayatomPort,
  type PayatomSettings,
  type PayatomTransaction,
  type PayatomTxData,
} from './wire.js'

/** A refund's status change shows on its pay-in (polling, reconciliation, later webhooks). */
function onStatusChange(port: PayatomPort, tx: PayatomTransaction, _previous: NeutralStatus | undefined): void {
  if (tx.kind !== 'refund') return
  const parentId = tx.data.parentId
  const parent = parentId ? port.transactions.get(parentId) : undefined
  if (!parent) return
  parent.data = { ...parent.data, refund: refundSnapshotOf(tx) }
  port.transactions.save(parent)
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
export const payatom = defineProvider<PayatomTxData, PayatomSettings>({
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
      customer: 'wait',
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
  nativeStatuses: NATIVE_STATUSES,
  customerTimeout: '15m',
  hostedPage: (tx) =>
    tx.kind === 'payin' && /^[0-9a-f]{64}$/.test(tx.providerRef)
      ? `/pay/connect.php?code=${tx.providerRef}`
      : undefined,
  fakeLocale: 'en_IN',
  operations: ['payin-hosted', 'payin-upi', 'payin-imps', 'payin-wallet', 'payin-pakistan', 'payout', 'refund'],
  counters: ['payatom.ref', 'payatom.complaint'],
  settingsSchema: {
    webhookUrl: { type: ['string', 'null'], description: 'pay-in and refund webhook URL' },
    payoutWebhookUrl: { type: ['string', 'null'], description: 'payout webhook URL' },
  },
  routes: payatomRoutes,
  callbacks: payatomCallbacks,
  problem(c, problem) {
    switch (problem) {
      case 'body-too-large':
        return c.body(nginxErrorPage(413, 'Request Entity Too Large'), 413, { 'Content-Type': 'text/html' })
      case 'route-not-found':
        c.get('journal')?.notes.push(
          `no PayAtom API at ${c.req.method} ${new URL(c.req.url).pathname}; nginx answers its 404 page`,
        )
        return c.body(nginxErrorPage(404, 'Not Found'), 404, { 'Content-Type': 'text/html' })
      case 'internal-error':
        return answerRefusal(
          c,
          payatomErrors,
          refusal('Internal Server Error', 'the sandbox failed while handling this request (see the journal)', 500),
        )
    }
  },
  onStatusChange,
  checkMerchant: (m) => checkSeedSettings(m, Object.keys(SEED_RULES)),
  // Loaded on first use: start-up never pays for the document's builders.
  openapi: async () => markSandboxDecisions((await import('./openapi.js')).payatomOpenApi(), PAYATOM_DECISIONS),
})
