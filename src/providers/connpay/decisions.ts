import type { SandboxDecision } from '../sandbox-decisions.js'

const PAYOUT = ['post /paynet/api/v4/payout/{ENDPOINTID}', 'post /paynet/api/v4/payout/group/{ENDPOINTGROUPID}']

/** What the ConnPay sandbox decides where seed 003 is silent (see `markSandboxDecisions`). */
export const CONNPAY_DECISIONS: SandboxDecision[] = [
  {
    operations: PAYOUT,
    decision:
      'Callbacks are HTTP GETs to `server_callback_url` with `control` = sha1(status + orderid + client_orderid + control key), acknowledged only by HTTP 200 and resent 30 times over 14 days (clock time); any port is called.',
    realProviders: 'call only ports 80, 8080, 443 and 8443, and retry on another schedule.',
  },
  {
    operations: PAYOUT,
    decision:
      "Account numbers other than the seed's test accounts (1234567890, 0987654321, 1987654321) are approved 2 s after acceptance.",
    realProviders: 'decline or hold unknown accounts in their sandbox.',
  },
]
