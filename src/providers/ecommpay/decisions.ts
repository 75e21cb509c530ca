import type { SandboxDecision } from '../sandbox-decisions.js'

const SALE = 'post /v2/payment/banks/india/sale'
const PAGE = ['get /payment', 'post /payment']
const BANK = ['get /payment/bank/{operationId}', 'post /payment/bank/{operationId}']

/** What the ECommPay sandbox decides where seed 002 is silent (see `markSandboxDecisions`). */
export const ECOMMPAY_DECISIONS: SandboxDecision[] = [
  {
    operations: [SALE, ...PAGE, ...BANK],
    decision:
      'A purchase waits for the customer on the sandbox\'s bank page (Approve / Decline / Abandon, form POSTs of `action=approve|decline|abandon`, or the admin API) and is declined with code 20602 at the 60-minute threshold; `customer: "auto"` makes it succeed 2 s after acceptance instead.',
    realProviders: "show the bank's own pages, and decline or expire on the bank's timing.",
  },
  {
    operations: [SALE],
    decision:
      'The Gate sale\'s redirect callback has status `awaiting redirect result`, code `9999` and `redirect_data` `{"body":[],"method":"GET","url":<bank page>,"encrypted":[]}`.',
    realProviders: 'use another status or a POST redirect with form fields in `body`.',
  },
  {
    operations: [SALE, 'post /v2/payment/clarification', ...PAGE],
    decision:
      'Clarification: the project setting `clarificationFields` (none by default; any of first_name, last_name, phone, email, zip, city, address) names the customer fields the provider needs. A Gate sale lacking one gets a signed callback with status `awaiting clarification`, code `3191` and `clarification_fields` as a JSON Schema object (`{"customer":{"type":"object","properties":{…},"required":[…]}}`); `POST /v2/payment/clarification` with `general` and `additional_data.customer` answers it, and the redirect_data callback follows. The Payment Page shows the missing fields as inputs named `customer_<field>`.',
    realProviders:
      'require other fields depending on the bank, shape `clarification_fields` differently, and take the answer at another Gate path; the seed names the flow but not these details.',
  },
  {
    operations: ['post /v2/info/banks/india/sale/list', 'post /v2/info/banks/india/payout/list'],
    decision:
      'The bank lists answer a JSON array `[{"id":401,"name":"Axis Bank"},…]` of the seed\'s Table 1, unsigned.',
    realProviders: 'wrap the list in an object, sign it, or list other banks per project.',
  },
  {
    operations: ['post /v2/payment/banks/india/payout'],
    decision:
      'Payout `account` fields are `customer_name`, `bank_code`, `bank_id`, `number`; the working-hours rule (Mon–Fri 10:30–19:00 GMT+8) is off unless `payoutWorkingHours` is true.',
    realProviders: 'name the account fields differently (IFSC) and always hold payouts to working hours.',
  },
]
