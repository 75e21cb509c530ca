import type { SandboxDecision } from '../sandbox-decisions.js'

const PAYIN = 'post /mxapi/{merchantId}/bdpayin'
const PAYOUT = 'post /mxapi/{merchantId}/bdpayout'
const AUTHZ = ['get /mxapi/authz/{txnId}', 'post /mxapi/authz/{txnId}']

/** What the Connecx sandbox decides where seed 004 is silent (see `markSandboxDecisions`). */
export const CONNECX_DECISIONS: SandboxDecision[] = [
  {
    operations: [PAYIN, PAYOUT],
    decision:
      'The pay-in/pay-out token is sha256_hex(merchantId + requestSalt + paymentRef + apiKey); the seed says to ask the support team.',
    realProviders:
      'hash other fields or another order; set the merchant setting `tokenRecipes.payment` to the list your provider gives you.',
  },
  {
    operations: [PAYIN, PAYOUT],
    decision:
      'Callbacks carry an `X-paymesh-authz` header with sha256_hex(merchantId + txnId + apiKey), retried on the schedule `callbackRetrySchedule` until an HTTP 2xx.',
    realProviders:
      'send no token, another recipe (`tokenRecipes.callback`), or retry differently; verify the body against a txn query if in doubt.',
  },
  {
    operations: [PAYIN, ...AUTHZ],
    decision:
      'A pay-in waits for the customer at `authzUrl`, a sandbox page with Approve / Decline buttons (form POSTs of `action=approve|decline`), and becomes CANCELLED / TIMED_OUT after 30 minutes untouched; `customer: "auto"` approves it 2 s after acceptance instead.',
    realProviders:
      "show the channel's own payment instructions at authzUrl, complete only when the money arrives, and expire on the channel's own timeout.",
  },
  {
    operations: [PAYIN],
    decision:
      '`authzRef` is `AZ` followed by the txnId; `processedAmount` is 0 until the pay-in is COMPLETED, then the amount.',
    realProviders: "send the channel's own reference (or none) and the amount actually received, which can differ.",
  },
  {
    operations: [
      PAYIN,
      PAYOUT,
      'get /mxapi/{merchantId}/channelspecs/{channelCode}',
      'get /mxapi/{merchantId}/bankcodes/{channelCode}',
    ],
    decision:
      "Channel `CHNL-101` (CNY only, bank `CHTTST01`, limits 1–50000) is the sandbox's; only `USDMOCK-001` answers the seed's samples. The seed's pay-in sample (USD on CHNL-101) is refused with E2022 unless the merchant relaxes `channel-currency`.",
    realProviders: 'assign other channels with other currencies, banks and limits; ask for your channel codes.',
  },
  {
    operations: [PAYIN, 'get /mxapi/{merchantId}/bankcodes/{channelCode}'],
    decision:
      "The bank-codes answer says `payinBankCodeRequired: true` for USDMOCK-001 as the seed's sample does, while its channel specs say `bankCodeRequired: false`; pay-ins are validated by the specs (no bank code needed).",
    realProviders: 'require a bank code on USDMOCK-001 pay-ins; send one when you have it.',
  },
  {
    operations: [PAYOUT],
    decision:
      "Pay-outs need every `requiredPayInfo` field of the channel's specs, so the seed's pay-out sample (no `bankAccountName`) is refused with E9998 unless the merchant relaxes `required-pay-info`.",
    realProviders: 'accept the sample as printed.',
  },
  {
    operations: [
      PAYIN,
      PAYOUT,
      'get /mxapi/{merchantId}/txn/{txnId}',
      'get /mxapi/{merchantId}/txn/payref/{paymentRef}',
    ],
    decision:
      '`statusTimeStamp` is in seconds, as the seed\'s samples show (its table says milliseconds); the merchant setting `statusTimeStampUnit: "milliseconds"` switches.',
    realProviders: 'send milliseconds.',
  },
]
