import type { SandboxDecision } from '../sandbox-decisions.js'

const PAYINS = [
  'get /pay/request.php',
  'post /pay/request.php',
  'post /pay/v2/request.php',
  'post /api/request.php',
  'post /api/v2/request.php',
]
const PAGE = ['get /pay/connect.php', 'post /pay/connect.php']
const PAYOUTS = ['post /payout/api/request.php', 'post /payout/api/v2/request.php']

/** What the PayAtom sandbox decides where seed 001 is silent (see `markSandboxDecisions`). */
export const PAYATOM_DECISIONS: SandboxDecision[] = [
  {
    operations: [...PAYINS, ...PAGE],
    decision:
      'Every pay-in, hosted or seamless, waits for the customer: the Approve / Decline / Timeout buttons of `/pay/connect.php?code=<ref_code>` (form POSTs of `action=approve|decline|timeout`; for a seamless pay-in the page stands in for the UPI or wallet app) or the admin API; untouched it becomes User Timed Out after 15 minutes. `customer: "auto"` approves pay-ins 2 s after acceptance instead.',
    realProviders:
      'complete only when the customer pays in their UPI/wallet app, report Late Approved after a timeout, and use other session lengths.',
  },
  {
    operations: PAYINS,
    decision:
      'The `order_id` rule (at least 10 characters, seed 001 l.59) applies to every pay-in, hosted and seamless, and refuses the seed\'s own example (`"20"`) with `order_id must be at least 10 characters long`; the merchant setting `relaxedRules: ["order_id-min-length"]` accepts shorter ones.',
    realProviders: 'apply the rule only to hosted pay-ins, or accept the example as printed.',
  },
  {
    operations: PAYOUTS,
    decision:
      'Payout answer `{"status":"success","message":"Payout request accepted","order_id","ref_code"}`, `order_id` 10 or more letters and digits (`relaxedRules: ["payout-order_id-format"]`), and a payout webhook `{order_id, amount, status, post_hash, utr, ref_code}` to the merchant setting `payoutWebhookUrl`.',
    realProviders: "answer and notify payouts with other fields; compare with your provider's payout document.",
  },
  {
    operations: ['post /api/collection_utr.php', 'post /api/v2/collection_utr.php'],
    decision:
      'UTR submission is at `/api/collection_utr.php` with `pid`, `ref_code` and a 12-digit `utr`; it does not change the status.',
    realProviders: 'use another path or fields, or approve the pay-in once the UTR matches.',
  },
  {
    operations: ['post /api/refund_request.php', 'post /api/v2/refund_request.php'],
    decision:
      'Refunds: Refund Initiated at once, Refund Completed 2 s later, one per order (again after a failed one).',
    realProviders: 'take hours or days, and allow partial or repeated refunds.',
  },
]
