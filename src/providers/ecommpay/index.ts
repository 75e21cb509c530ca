import { markSandboxDecisions } from '../sandbox-decisions.js'
import { ECOMMPAY_DECISIONS } from './decisions.js'
import { defineProvider } from '../../engine/provider.js'
import { ecommpayCallbacks } from './callbacks.js'
import { answerRefusal, Refusal } from '../kit/refusal.js'
import { ecommpayErrors, type EcommpayRefusal } from './errors.js'
import { ecommpayRoutes } from './routes.js'
import { NATIVE_STATUSES, requestId, type EcommpaySettings, type EcommpayTxData, type GateErrorCode } from './wire.js'
import { checkClarificationFields } from './clarification.js'
import { checkSeedSettings } from '../seed-rules.js'

/** The public test project of ECommPay's own plug-ins (CONTRACT; research §7). */
export const DEFAULT_PROJECT = { id: '112', secretKey: 'kHRhsQHHhOUHeD+rt4kgH7OZiwE=' } as const

/**
 * ECommPay Gate and Payment Page, Banks of India method, seed `002_273882d62223b5f6.txt`: JSON
 * requests signed with a flattened-tree HMAC-SHA512 in `general.signature`, a signed Payment
 * Page query, a bank page, and signed JSON callbacks in the standard layout.
 *
 * @example
 * const sandbox = createSandbox({ clock: 'virtual', providers: [ecommpay] })
 */
export const ecommpay = defineProvider<EcommpayTxData, EcommpaySettings>({
  id: 'ecommpay',
  title: 'ECommPay (Banks of India)',
  seed: '002_273882d62223b5f6.txt',
  pathPrefixes: ['/v2', '/payment'],
  hosts: ['https://api.ecommpay.com', 'https://paymentpage.ecommpay.com'],
  merchants: [
    {
      provider: 'ecommpay',
      id: DEFAULT_PROJECT.id,
      name: 'ECommPay public test project',
      secretKey: DEFAULT_PROJECT.secretKey,
      callbackUrl: '',
      payoutWorkingHours: false,
      customer: 'wait',
      clarificationFields: [],
    },
  ],
  hostedPage: (tx) => (tx.kind === 'sale' ? `/payment/bank/${tx.providerRef}` : undefined),
  nativeStatuses: NATIVE_STATUSES,
  customerTimeout: '60m',
  operations: ['sale', 'payout', 'refund'],
  counters: ['ecommpay.request', 'ecommpay.operation'],
  amountUnit: 'minor',
  routes: ecommpayRoutes,
  checkMerchant: (m) => [...checkSeedSettings(m, []), ...checkClarificationFields(m)],
  callbacks: ecommpayCallbacks,
  problem(c, problem) {
    const path = new URL(c.req.url).pathname
    const page = path === '/payment' || path.startsWith('/payment/')
    // A generic problem echoes no request's ids, even when the Gate had read them.
    const detail = { ids: { requestId: requestId('', '', 0), projectId: null, paymentId: null } }
    const refuse = (code: GateErrorCode, why: string, status?: number): EcommpayRefusal =>
      new Refusal(code, why, { status, detail })
    const refusal =
      problem === 'internal-error'
        ? refuse('501', 'the sandbox failed while handling this request (see the journal)', 500)
        : problem === 'body-too-large'
          ? refuse('702', `the ${page ? 'request ' : ''}body is larger than the sandbox accepts (1 MiB)`)
          : page
            ? refuse(
                '702',
                `nothing is served at ${c.req.method} ${path}: the Payment Page opens at GET /payment?…&signature=…`,
                404,
              )
            : /^\/v2\/(payment|info)\/banks\/(?!india\/)[^/]+/.test(path)
              ? refuse(
                  '2541',
                  `${path}: the sandbox emulates the Banks of India method only (/v2/payment/banks/india/…, /v2/info/banks/india/…)`,
                  404,
                )
              : refuse('702', `no ECommPay Gate API at ${c.req.method} ${path}`, 404)
    return answerRefusal(c, ecommpayErrors, refusal)
  },
  // Loaded on first use: start-up never pays for the document's builders.
  openapi: async () => markSandboxDecisions((await import('./openapi.js')).ecommpayOpenApi(), ECOMMPAY_DECISIONS),
})
