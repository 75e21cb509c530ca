import type { SandboxDecision } from '../sandbox-decisions.js'

const PAYOUT = 'post /apisecure/payoutTransactionSecureIV'
const STATUS = 'post /apisecure/payoutTransactionStatus'

/** What the Bankconnect sandbox decides where seed 000 is silent (see `markSandboxDecisions`). */
export const BANKCONNECT_DECISIONS: SandboxDecision[] = [
  {
    operations: [PAYOUT],
    decision:
      'The callback to `end_point_url` is a JSON POST of the status entry plus `amount` and `checksum` = md5(merchant_no . order_id . amount . status . secretkey), acknowledged by any HTTP 2xx, sent when the payout becomes final.',
    realProviders: 'send another body, checksum or content type, or no callback at all (poll the status API).',
  },
  {
    operations: [PAYOUT],
    decision:
      'address1, city and state are held to the seed\'s 10 characters, so the seed\'s own example (`"city":"saritavihar"`, 11) is refused entry by entry; `relaxedRules: ["address-max-length"]` accepts up to 50.',
    realProviders: 'accept longer values or cut them.',
  },
  {
    operations: [PAYOUT, STATUS],
    decision:
      'Authentication failures answer CodeIgniter RestServer\'s shapes (403 `Invalid API key `, 401 `Unauthorized`); request-level refusals are HTTP 200 `{"status":"FAILED","payment_code":"SUCC202","message":…}` unencrypted.',
    realProviders: 'answer other statuses and messages.',
  },
  {
    operations: [STATUS],
    decision: 'The status API answers the entry shape as plain JSON (not encrypted), SUCC201 while processing.',
    realProviders: 'encrypt it like the payout answer.',
  },
]
