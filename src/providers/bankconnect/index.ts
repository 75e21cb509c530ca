import { defineProvider } from '../../engine/provider.js'
import { markSandboxDecisions } from '../sandbox-decisions.js'
import { BANKCONNECT_DECISIONS } from './decisions.js'
import { checkSeedSettings } from '../seed-rules.js'
import { nginxErrorPage } from '../../wire/nginx.js'
import { answerRefusal } from '../kit/refusal.js'
import { bankconnectCallbacks } from './callbacks.js'
import { bankconnectErrors, bankconnectRoutes, restRefusal } from './routes.js'
import {
  DEFAULT_MERCHANT,
  NATIVE_STATUSES,
  SEED_RULES,
  UNKNOWN_METHOD,
  type BankconnectSettings,
  type BankconnectTxnData,
} from './wire.js'

/**
 * Bankconnect payouts (bankconnect.online, the UBankConnect platform), seed
 * `000_f1a373677fb21da2.txt`: multipart form with an AES-128-CTR payload encrypted exactly as
 * PHP's openssl does it, `X-API-KEY` + Basic auth + `User-token`, JSON callbacks with an md5
 * checksum.
 *
 * @example
 * const sandbox = createSandbox({ clock: 'virtual', providers: [bankconnect] })
 */
export const bankconnect = defineProvider<BankconnectTxnData, BankconnectSettings>({
  id: 'bankconnect',
  title: 'Bankconnect payouts',
  seed: '000_f1a373677fb21da2.txt',
  pathPrefixes: ['/apisecure'],
  hosts: ['https://www.bankconnect.online'],
  merchants: [{ ...DEFAULT_MERCHANT }],
  nativeStatuses: NATIVE_STATUSES,
  operations: ['payout'],
  counters: ['bankconnect.utr'],
  checkMerchant: (m) => checkSeedSettings(m, Object.keys(SEED_RULES)),
  customerTimeout: '30m',
  routes: bankconnectRoutes,
  callbacks: bankconnectCallbacks,
  problem(c, problem) {
    switch (problem) {
      case 'body-too-large':
        return c.body(nginxErrorPage(413, 'Request Entity Too Large'), 413, { 'Content-Type': 'text/html' })
      case 'route-not-found':
        return answerRefusal(
          c,
          bankconnectErrors,
          restRefusal(
            404,
            UNKNOWN_METHOD,
            `no Bankconnect API at ${c.req.method} ${new URL(c.req.url).pathname}; the APIs are POST /apisecure/payoutTransactionSecureIV and POST /apisecure/payoutTransactionStatus`,
          ),
        )
      case 'internal-error':
        return answerRefusal(
          c,
          bankconnectErrors,
          restRefusal(
            500,
            'Internal Server Error',
            'the sandbox failed while handling this request (the stack trace is in this journal entry)',
          ),
        )
    }
  },
  // Loaded on first use: start-up never pays for the document's builders.
  openapi: async () => markSandboxDecisions((await import('./openapi.js')).bankconnectOpenApi(), BANKCONNECT_DECISIONS),
})
