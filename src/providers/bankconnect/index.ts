import { markSandboxDecisions } from '../sandbox-decisions.js'
import { BANKCONNECT_DECISIONS } from './decisions.js'
import type { Provider } from '../../engine/provider.js'
import { bankconnectCallbacks } from './callbacks.js'
import { bankconnectOpenApi } from './openapi.js'
import { bankconnectRoutes, restRefusal } from './routes.js'
import { DEFAULT_MERCHANT, NATIVE_STATUSES, SEED_RULES, UNKNOWN_METHOD } from './wire.js'
import { checkSeedSettings } from '../seed-rules.js'

/** nginx's answer to a body over `client_max_body_size`, byte for byte. */
const TOO_LARGE =
  '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

/**
 * Bankconnect payouts (bankconnect.online, the UBankConnect platform), seed
 * `000_f1a373677fb21da2.txt`: multipart form with an AES-128-CTR payload encrypted exactly as
 * PHP's openssl does it, `X-API-KEY` + Basic auth + `User-token`, JSON callbacks with an md5
 * checksum.
 *
 * @example
 * const sandbox = createSandbox({ clock: 'virtual', providers: [bankconnect] })
 */
export const bankconnect: Provider = {
  id: 'bankconnect',
  title: 'Bankconnect payouts',
  seed: '000_f1a373677fb21da2.txt',
  pathPrefixes: ['/apisecure'],
  hosts: ['https://www.bankconnect.online'],
  merchants: [{ ...DEFAULT_MERCHANT }],
  nativeStatuses: NATIVE_STATUSES,
  customerTimeout: '30m',
  operations: ['payout'],
  routes: bankconnectRoutes,
  checkMerchant: (m) => checkSeedSettings(m, Object.keys(SEED_RULES)),
  callbacks: bankconnectCallbacks,
  problem(c, problem) {
    switch (problem) {
      case 'body-too-large':
        return c.body(TOO_LARGE, 413, { 'Content-Type': 'text/html' })
      case 'route-not-found':
        return restRefusal(
          c,
          404,
          UNKNOWN_METHOD,
          `no Bankconnect API at ${c.req.method} ${new URL(c.req.url).pathname}; the APIs are POST /apisecure/payoutTransactionSecureIV and POST /apisecure/payoutTransactionStatus`,
        )
      case 'internal-error':
        return restRefusal(
          c,
          500,
          'Internal Server Error',
          'the sandbox failed while handling this request (the stack trace is in this journal entry)',
        )
    }
  },
  openapi: () => markSandboxDecisions(bankconnectOpenApi(), BANKCONNECT_DECISIONS),
}
