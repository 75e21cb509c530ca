import { markSandboxDecisions } from '../sandbox-decisions.js'
import { CONNPAY_DECISIONS } from './decisions.js'
import { defineProvider } from '../../engine/provider.js'
import { connpayCallbacks } from './callbacks.js'
import { DEFAULT_MERCHANT, ERROR_CODES, NATIVE_STATUSES, type ConnPaySettings, type ConnPayTxnData } from './model.js'
import { answerRefusal } from '../kit/refusal.js'
import { connpayErrors, refusal as connpayRefusal } from './errors.js'
import { connpayRoutes } from './routes.js'
import { MAX_BODY_BYTES } from '../../engine/http.js'

/**
 * ConnPay (PaynetEasy platform) payouts, seed `003_d7bfa93757572c78.txt`: form-encoded requests
 * under `/paynet`, OAuth 1.0a RSA-SHA256 (v4) or SHA-1 `control` (v2 status), line-broken
 * form-encoded answers, the "Access is denied" 403 page, GET callbacks with SHA-1 `control`.
 *
 * @example
 * const sandbox = createSandbox({ providers: [connpay] })
 */
export const connpay = defineProvider<ConnPayTxnData, ConnPaySettings>({
  id: 'connpay',
  title: 'ConnPay (PaynetEasy platform) payouts',
  seed: '003_d7bfa93757572c78.txt',
  pathPrefixes: ['/paynet'],
  hosts: ['https://sandbox.connpay.com', 'https://gate.connpay.com'],
  merchants: [{ ...DEFAULT_MERCHANT }],
  nativeStatuses: NATIVE_STATUSES,
  customerTimeout: '1h',
  operations: ['payout'],
  counters: ['connpay.serial', 'connpay.orderid'],
  routes: connpayRoutes,
  callbacks: connpayCallbacks,
  problem(c, problem) {
    const path = new URL(c.req.url).pathname
    const refusal =
      problem === 'body-too-large'
        ? connpayRefusal(
            'validation-error',
            'Request is too large',
            ERROR_CODES.validation,
            `the body is larger than ${MAX_BODY_BYTES} bytes; the sandbox did not read it`,
          )
        : problem === 'route-not-found'
          ? connpayRefusal(
              'error',
              `No API at ${c.req.method} ${path}`,
              ERROR_CODES.noRoute,
              `ConnPay serves POST /paynet/api/v4/payout/{ENDPOINTID}, /payout/group/{ID}, /paynet/api/v4/status/…, /paynet/api/v2/status/…; nothing at ${c.req.method} ${path}`,
              undefined,
              404,
            )
          : connpayRefusal(
              'error',
              'Internal error',
              ERROR_CODES.internal,
              'the sandbox failed while handling this request (the stack trace is in this journal entry)',
              undefined,
              500,
            )
    return answerRefusal(c, connpayErrors(), refusal)
  },
  // Loaded on first use: start-up never pays for the document's builders.
  openapi: async () => markSandboxDecisions((await import('./openapi.js')).connpayOpenApi(), CONNPAY_DECISIONS),
})
