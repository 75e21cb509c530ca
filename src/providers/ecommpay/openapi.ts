import {
  OpenApiBuilder,
  type OpenAPIObject,
  type OperationObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
} from 'openapi3-ts/oas31'
import { MAX_BODY_BYTES } from '../../engine/http.js'
import { ecommpayCallbacks } from './callbacks.js'
import { BANKS, CODES, METHOD_CODE, NATIVE_STATUSES, PAYOUT_MAX, PAYOUT_MIN, type GateErrorCode } from './wire.js'

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` })
const tick = (s: string) => `\`${s}\``

/** When each Gate error code is answered. */
const ERROR_WHEN: Record<GateErrorCode, string> = {
  '501': 'the sandbox itself failed (HTTP 500; the journal has the details)',
  '502':
    'a field has the wrong type or format (a string amount, a non-numeric project_id, an object where text belongs, a value longer than the sandbox accepts)',
  '702':
    'the Content-Type is not JSON, the body is JSON but not an object, the body is over 1 MiB, or no Gate API exists at that path (HTTP 404)',
  '2003': 'the body is empty, not UTF-8, or not JSON',
  '2004':
    'a required object or field is missing (general, general.project_id, general.payment_id, customer, payment, return_url, account and their required fields)',
  '2442': 'general.project_id names no project of the sandbox',
  '2541': 'the path names another payment method than `india` (HTTP 404)',
  '2642': `a payout above ${PAYOUT_MAX} (500,000.00 INR)`,
  '2801': 'account.bank_id is not one of the 16 banks (ids 401–416)',
  '3023': 'a currency other than INR',
  '3041': 'general.payment_id was used before in the project (purchases and payouts)',
  '3060':
    'a refund of a purchase that is not `success`, of a payout, or of a purchase already refunded or being refunded',
  '3061': 'refund or status of a payment_id the project never registered',
  '3121': 'a currency that is not three capital letters',
  '3230': 'payment.merchant_refund_id was used before in the project',
  '3261': 'general.signature does not match (the journal shows the expected signature base string)',
  '3262': 'general.signature is missing or empty',
  '3284': 'a refund currency other than the purchase currency',
  '3358': `a payout below ${PAYOUT_MIN} (1,000.00 INR)`,
  '3609': 'a refund amount below the purchase amount (full refunds only)',
}

function errorTable(): string {
  const rows = (Object.keys(ERROR_WHEN) as GateErrorCode[]).map(
    (code) => `| ${tick(code)} | ${CODES[code]} | ${ERROR_WHEN[code]} |`,
  )
  return ['| code | message | answered when |', '|---|---|---|', ...rows].join('\n')
}

function description(): string {
  const retries = ecommpayCallbacks.retrySchedule
  return `ECommPay's Gate API and Payment Page for the **Banks of India** method (seed document \`002_273882d62223b5f6.txt\`), as psp-sandbox serves them. Point the Gate base URL (\`https://api.ecommpay.com\`) and the Payment Page host (\`https://paymentpage.ecommpay.com\`) at the sandbox; the paths are ECommPay's own. Every request is in the journal (\`GET /_sandbox/journal?provider=ecommpay\`) with the signature verdict and, on a mismatch, the exact string the sandbox signed.

## Signatures
Base64(HMAC-SHA512(project secret key, the data flattened to \`path:value\` lines, sorted, joined with \`;\`)), research \`ecommpay.md\` §1. Gate requests carry it in \`general.signature\`; the Payment Page in the \`signature\` query parameter (over the decoded parameters, except \`signature\`, \`frame_mode\` and names starting with \`_\`); callbacks and the status reply in top-level \`signature\` (last member). The sandbox accepts a signature made with any official SDK's line order (whole lines byte order, PHP natural key order, JS per-level order, Python key order) and boolean words \`true\`/\`false\` in Payment Page URLs signed as \`1\`/\`0\`; it produces the documented order.

## Sandbox contract
Where the seed and the research leave a choice open, the sandbox decides as follows.

### Default project
\`project_id\` **112**, secret key \`kHRhsQHHhOUHeD+rt4kgH7OZiwE=\` (the public test project of ECommPay's own plug-ins), provisioned on every fresh start. Settings (\`PATCH /_sandbox/merchants/ecommpay/112\`): \`callbackUrl\` (the project's callback URL, empty by default: then only requests that send \`general.merchant_callback_url\` / \`merchant_callback_url\` get callbacks), \`secretKey\`, \`payoutWorkingHours\` (false).

### Gate replies
- Accepted: HTTP 200, \`Content-Type: application/json\`, \`{"status":"success","request_id":…,"project_id":…,"payment_id":…}\` (not signed). \`request_id\` is 40 hex digits, \`-\`, and an 8-digit counter, like the seed's examples.
- Refused: **HTTP 400** (404 for an unknown path, 500 for a sandbox failure), \`{"status":"error","request_id":…,"project_id":…,"payment_id":…,"code":"…","message":"…"}\` with \`code\` a string, not signed; \`project_id\` and \`payment_id\` echo what the request gave (\`null\` when it gave none).
- Checks run in this order: Content-Type (JSON or none), UTF-8 and JSON, \`general\`, \`general.project_id\`, the project, the signature, \`general.payment_id\`, then the operation's objects and fields in the order the seed lists them, then the business rules.
- Lenient: \`general.project_id\`, amounts and \`bank_id\` may be JSON integers or strings of digits; text fields may be integers. Unknown fields are accepted (and signed).
- Bodies larger than ${MAX_BODY_BYTES} bytes are refused (702) without being read.

${errorTable()}

### Bank lists
\`/v2/info/banks/india/{sale,payout}/list\` answer a JSON array \`[{"id":401,"name":"Axis Bank"},…]\` in the order of the seed's Table 1 (not signed; the real shape is undocumented). Both lists hold all 16 banks:

${BANKS.map((b) => `- ${b.id} ${b.name}`).join('\n')}

### Purchases
- **Gate sale**: answered at once; then a callback with \`payment.status\` and \`operation.status\` \`awaiting redirect result\`, \`operation.code\` \`9999\` ("Awaiting processing") and \`redirect_data\` \`{"body":[],"method":"GET","url":…,"encrypted":[]}\` whose \`url\` is the sandbox's bank page (\`{base URL the request came to}/payment/bank/{operation id}\`). With \`account.bank_id\` the page confirms that bank; without it the page asks for the bank first (selection on the provider side).
- **Payment Page**: \`GET /payment?…&signature=…\` verifies the query, then shows the banks: one "Banks of India" button (\`#method-${METHOD_CODE}\`) by default, one button per bank (\`#bank-<id>\`) with \`payment_methods_options={"online_indian_banks":{"split_banks":true}}\` or \`banks_id\`, the bank list directly with \`force_payment_method=${METHOD_CODE}\`, and straight to the bank page when \`force_payment_method\` is given with exactly one bank in \`banks_id\`. \`banks_id\` may be a JSON list or the text "416, 415". Opening the page registers nothing; the payment exists once a bank (or the method) is chosen. Errors are HTML pages showing the code (\`#code\`) and the reason. Reopening the URL while its purchase waits returns to its bank page; after that, 3041.
- **Bank page** (\`/payment/bank/{operation id}\`): buttons \`#approve\`, \`#decline\`, \`#abandon\` (\`#bank-<id>\` first when no bank is chosen). Approve → \`success\`; Decline → \`decline\` code 20000; Abandon changes nothing. The customer is then sent (303) to: Gate \`return_url.success\` / \`return_url.decline\` (else \`return_url.return\`) / \`return_url.return\`; Payment Page \`redirect_success_url\` or \`merchant_success_url\` / \`redirect_fail_url\` or \`merchant_fail_url\` / \`merchant_return_url\`; without one, the page shows the result.
- A purchase nobody finishes is **declined at the 60-minute threshold** (seed): \`payment.status\` \`decline\`, code \`20602\` "Time-out".
- The Payment Page sends no \`redirect_data\` callback (the platform gives it to the page).

### Payouts and refunds
- Payout limits ${PAYOUT_MIN}–${PAYOUT_MAX} minor units, inclusive. Required: the seed's list (\`payment.amount\`, \`payment.currency\`, \`customer.id\`, \`customer.ip_address\`, \`account.number\`, \`account.bank_code\`, \`account.bank_id\`, \`account.customer_name\`). No callback while processing; success 2 s after acceptance by default.
- **Working hours** (Monday–Friday 10:30–19:00 GMT+8, seed) are off by default. On for a payout when the project setting \`payoutWorkingHours\` is true or the deciding scenario rule has \`native: { working_hours: true }\` (built-in: \`WORKING_HOURS\` in \`payment_id\`): a payout accepted outside the hours is answered at once and its timeline starts at the next opening.
- Refunds name the purchase's own \`general.payment_id\`; \`payment.description\` is required (seed). Without \`payment.amount\` the refund is full. A smaller amount is refused (3609); a larger one is **accepted and then declined by callback with code 3283**, as the seed's declined-refund example shows. One successful refund per purchase.
- The refund callback shows \`payment.type\` \`purchase\`, \`payment.status\` \`refunded\` with \`payment.sum.amount\` 0 on success (the remaining balance), or the purchase's \`success\` and amount on a decline; \`payment.merchant_refund_id\` is the request's, else the payment id; \`operation.type\` \`refund\`.

### Callbacks
\`POST\`, \`Content-Type: application/json\`, compact JSON in the seed's standard layout and key order: \`project_id\`, \`payment\` {\`id\`, \`type\`, \`status\`, \`date\`, \`method\` "India banks", \`sum\`, [\`merchant_refund_id\`], \`description\`}, [\`account\` {\`number\`}] on payouts, \`customer\` {\`id\`, [\`phone\`]}, \`operation\` {\`id\`, \`type\`, \`status\`, \`date\`, \`created_date\`, \`request_id\`, \`sum_initial\`, \`sum_converted\`, \`code\`, \`message\`, \`provider\` {\`id\` 2080, \`payment_id\`, \`auth_code\`}}, [\`redirect_data\`], \`signature\`. \`project_id\` and \`operation.id\` are numbers, \`operation.code\` a string, amounts minor units, dates \`2020-05-13T09:06:45+0000\` (UTC). Sent to \`general.merchant_callback_url\` / \`merchant_callback_url\`, else the project's \`callbackUrl\`; \`callback.force_disable: 1\` turns them off. Acknowledged by ${ecommpayCallbacks.ackRule} only; otherwise retried on ECommPay's schedule (research §5.1): 10 s four more times, then 70 + 10·1.12^(n−4) s, then every 4 h, ${retries.length + 1} attempts in all (about 11 days of clock time). \`callback.delay\` is not emulated.

### Statuses
Neutral → ECommPay: \`pending\` → \`awaiting redirect result\` (purchase) / \`processing\`; \`processing\` → \`processing\`; \`approved\` → \`success\` (code 0 "Success"); \`declined\` → \`decline\` (code 20000, message "decline" for purchases and "General decline" for payouts, as in the seed; a scenario's \`native.code\` gives another 2xxxx code and its message); \`failed\` → payment \`error\`, operation \`external error\` (code 20202); \`expired\` → \`decline\` code 20602 "Time-out"; \`cancelled\` → \`decline\` code 20301. Native names accepted by scenarios and the admin API: ${Object.entries(
    NATIVE_STATUSES,
  )
    .map(([n, s]) => `${tick(n)} (${s})`)
    .join(', ')}.

### Payment status
\`POST /v2/payment/status\` answers HTTP 200 \`{"project_id","payment","account"(payouts),"customer","operations":[…],"signature"}\`, signed like a callback (top-level \`signature\`). \`operations\` lists the purchase or payout operation, then its refunds. A payment_id never registered is 3061.

### Magic values
In \`customer.id\` (Gate) or \`customer_id\` (Payment Page): \`DECLINE_<code>\` for 20100, 20101, 20102, 20105, 20106, 20201, 20301, 20401, 20602 declines with that code. In \`payment_id\`: \`DECLINE\` (20000), \`FAIL\` (error), \`PENDING\` (never moves), \`TIMEOUT\` (60-minute threshold), \`HANG\` (no answer), \`SLOW\` (answer after 5 s), \`WORKING_HOURS\` (payouts). See \`scenarios/ecommpay.yaml\`.
`
}

const errorSchema: SchemaObject = {
  type: 'object',
  required: ['status', 'request_id', 'project_id', 'payment_id', 'code', 'message'],
  properties: {
    status: { type: 'string', const: 'error' },
    request_id: { type: 'string' },
    project_id: { type: ['integer', 'null'] },
    payment_id: { type: ['string', 'null'] },
    code: { type: 'string', enum: Object.keys(ERROR_WHEN) },
    message: { type: 'string' },
  },
  additionalProperties: false,
}

const acceptedSchema: SchemaObject = {
  type: 'object',
  required: ['status', 'request_id', 'project_id', 'payment_id'],
  properties: {
    status: { type: 'string', const: 'success' },
    request_id: { type: 'string' },
    project_id: { type: 'integer' },
    payment_id: { type: 'string' },
  },
  additionalProperties: false,
}

const general: SchemaObject = {
  type: 'object',
  required: ['project_id', 'payment_id', 'signature'],
  properties: {
    project_id: { type: 'integer', example: 112 },
    payment_id: { type: 'string', maxLength: 255 },
    signature: {
      type: 'string',
      description: 'Base64 HMAC-SHA512 over the body without general.signature (88 characters).',
    },
    merchant_callback_url: {
      type: 'string',
      format: 'uri',
      description: "Where this payment's callbacks go (else the project's callbackUrl).",
    },
  },
}

const sum: SchemaObject = {
  type: 'object',
  required: ['amount', 'currency'],
  properties: { amount: { type: 'integer' }, currency: { type: 'string', const: 'INR' } },
}

function callbackSchema(): SchemaObject {
  return {
    type: 'object',
    description: 'The standard callback layout; keys in the order listed. `signature` last.',
    required: ['project_id', 'payment', 'customer', 'operation', 'signature'],
    properties: {
      project_id: { type: 'integer' },
      payment: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { type: 'string', enum: ['purchase', 'payout'] },
          status: {
            type: 'string',
            enum: ['awaiting redirect result', 'processing', 'success', 'decline', 'error', 'expired', 'refunded'],
          },
          date: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+0000$' },
          method: { type: 'string', const: 'India banks' },
          sum,
          merchant_refund_id: { type: 'string', description: 'Refund callbacks only.' },
          description: { type: 'string' },
        },
      },
      account: { type: 'object', description: 'Payouts only.', properties: { number: { type: 'string' } } },
      customer: { type: 'object', properties: { id: { type: 'string' }, phone: { type: 'string' } } },
      operation: ref('Operation'),
      redirect_data: {
        type: 'object',
        description: 'Only on the `awaiting redirect result` callback of a Gate sale.',
        properties: {
          body: { type: 'array', maxItems: 0 },
          method: { type: 'string', const: 'GET' },
          url: { type: 'string', format: 'uri' },
          encrypted: { type: 'array', maxItems: 0 },
        },
      },
      signature: { type: 'string' },
    },
  }
}

const operationSchema: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    type: { type: 'string', enum: ['sale', 'payout', 'refund'] },
    status: {
      type: 'string',
      enum: [
        'awaiting redirect result',
        'processing',
        'success',
        'decline',
        'external error',
        'internal error',
        'expired',
      ],
    },
    date: { type: 'string' },
    created_date: { type: 'string' },
    request_id: { type: 'string' },
    sum_initial: sum,
    sum_converted: sum,
    code: { type: 'string' },
    message: { type: 'string' },
    provider: {
      type: 'object',
      properties: { id: { type: 'integer' }, payment_id: { type: 'string' }, auth_code: { type: 'string' } },
    },
  },
}

function refusals(codes: GateErrorCode[]): Record<string, ResponseObject> {
  return {
    '400': {
      description: `Refused (not signed). Codes: ${codes.map(tick).join(', ')}.`,
      content: {
        'application/json': {
          schema: ref('Error'),
          examples: Object.fromEntries(
            codes.map((code) => [
              code,
              {
                summary: ERROR_WHEN[code],
                value: {
                  status: 'error',
                  request_id: '6dbba254d4a310324a8e0642c90295af3fb9e90d-00000001',
                  project_id: 112,
                  payment_id: 'ORDER_1',
                  code,
                  message: CODES[code],
                },
              },
            ]),
          ),
        },
      },
    },
    '500': { description: 'The sandbox failed (501).', content: { 'application/json': { schema: ref('Error') } } },
  }
}

const COMMON: GateErrorCode[] = ['702', '2003', '2004', '502', '2442', '3262', '3261']

function gateOperation(
  summary: string,
  descriptionText: string,
  schema: SchemaObject,
  example: unknown,
  codes: GateErrorCode[],
  ok: ResponseObject,
): OperationObject {
  return {
    summary,
    description: descriptionText,
    tags: ['Gate'],
    requestBody: { required: true, content: { 'application/json': { schema, example } } },
    responses: { '200': ok, ...refusals([...COMMON, ...codes]) },
    callbacks: {
      result: {
        '{$request.body#/general/merchant_callback_url}': {
          post: {
            requestBody: { content: { 'application/json': { schema: ref('Callback') } } },
            responses: { '200': { description: 'Acknowledged (only HTTP 200 is).' } },
          },
        },
      },
    },
  }
}

const accepted: ResponseObject = {
  description: 'Accepted for processing; the result comes by callback.',
  content: { 'application/json': { schema: ref('Accepted') } },
}

/** The ECommPay OpenAPI 3.1 document. */
export function ecommpayOpenApi(): OpenAPIObject {
  const obj = (required: string[], properties: Record<string, SchemaObject | ReferenceObject>): SchemaObject => ({
    type: 'object',
    required,
    properties,
  })
  const saleSchema = obj(['general', 'customer', 'payment', 'return_url'], {
    general,
    customer: obj(['id', 'ip_address'], {
      id: { type: 'string' },
      ip_address: { type: 'string' },
      first_name: { type: 'string' },
      last_name: { type: 'string' },
      phone: { type: 'string' },
      email: { type: 'string' },
      zip: { type: 'string' },
      city: { type: 'string' },
      address: { type: 'string' },
    }),
    payment: obj(['amount', 'currency'], {
      amount: { type: 'integer', minimum: 1 },
      currency: { type: 'string', const: 'INR' },
      description: { type: 'string' },
    }),
    return_url: obj(['success'], {
      success: { type: 'string' },
      decline: { type: 'string' },
      return: { type: 'string' },
    }),
    account: obj([], { bank_id: { type: 'integer', enum: BANKS.map((b) => b.id) } }),
    callback: obj([], { force_disable: { type: 'integer', enum: [0, 1] } }),
  })
  const payoutSchema = obj(['general', 'payment', 'customer', 'account'], {
    general,
    payment: obj(['amount', 'currency'], {
      amount: { type: 'integer', minimum: PAYOUT_MIN, maximum: PAYOUT_MAX },
      currency: { type: 'string', const: 'INR' },
      description: { type: 'string' },
    }),
    customer: obj(['id', 'ip_address'], { id: { type: 'string' }, ip_address: { type: 'string' } }),
    account: obj(['number', 'bank_code', 'bank_id', 'customer_name'], {
      number: { type: 'string' },
      bank_code: { type: 'string', description: 'IFSC code of the bank branch' },
      bank_id: { type: 'integer', enum: BANKS.map((b) => b.id) },
      customer_name: { type: 'string' },
    }),
  })
  const refundSchema = obj(['general', 'payment'], {
    general,
    payment: obj(['description'], {
      description: { type: 'string' },
      amount: { type: 'integer', description: 'Optional; must equal the purchase amount.' },
      currency: { type: 'string' },
      merchant_refund_id: { type: 'string' },
    }),
  })
  const listSchema = obj(['general', 'payment'], {
    general,
    payment: obj(['amount', 'currency'], { amount: { type: 'integer' }, currency: { type: 'string', const: 'INR' } }),
  })
  const bankList: ResponseObject = {
    description: 'The banks (not signed).',
    content: {
      'application/json': {
        schema: { type: 'array', items: obj(['id', 'name'], { id: { type: 'integer' }, name: { type: 'string' } }) },
        example: BANKS.map((b) => ({ id: b.id, name: b.name })),
      },
    },
  }
  const sig = '…88 Base64 characters…'
  const html = (d: string): ResponseObject => ({
    description: d,
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  return new OpenApiBuilder()
    .addOpenApiVersion('3.1.0')
    .addInfo({
      title: 'ECommPay Gate and Payment Page — Banks of India (psp-sandbox)',
      version: '1.0.0',
      description: description(),
    })
    .addServer({ url: 'https://api.ecommpay.com', description: 'Gate (point it at the sandbox)' })
    .addServer({ url: 'https://paymentpage.ecommpay.com', description: 'Payment Page (point it at the sandbox)' })
    .addServer({ url: 'http://localhost:8080', description: 'psp-sandbox' })
    .addSchema('Accepted', acceptedSchema)
    .addSchema('Error', errorSchema)
    .addSchema('Operation', operationSchema)
    .addSchema('Callback', callbackSchema())
    .addPath('/v2/payment/banks/india/sale', {
      post: gateOperation(
        'Purchase (redirect to the bank)',
        'Registers a purchase; the `awaiting redirect result` callback carries `redirect_data` to send the customer to the bank page. Waits for the customer; declined at the 60-minute threshold.',
        saleSchema,
        {
          general: { project_id: 112, payment_id: 'ORDER_1558600157', signature: sig },
          customer: { id: 'customer1', ip_address: '1.2.3.4', phone: '123456789' },
          payment: { amount: 1500, currency: 'INR' },
          return_url: { success: 'https://www.example.com' },
        },
        ['2801', '3023', '3121', '3041'],
        accepted,
      ),
    })
    .addPath('/v2/payment/banks/india/payout', {
      post: gateOperation(
        'Payout to an Indian bank account',
        `Limits ${PAYOUT_MIN}–${PAYOUT_MAX} minor units. Success 2 s after acceptance by default.`,
        payoutSchema,
        {
          general: { project_id: 112, payment_id: 'ORDER_I1558600157', signature: sig },
          payment: { amount: 150000, currency: 'INR' },
          customer: { id: '24900', ip_address: '1.2.3.4' },
          account: { customer_name: 'John Waynen', bank_code: 'test_code', bank_id: 401, number: '5588994446666' },
        },
        ['2801', '3023', '3121', '3358', '2642', '3041'],
        accepted,
      ),
    })
    .addPath('/v2/payment/banks/india/refund', {
      post: gateOperation(
        'Full refund of a purchase',
        'Refunds the purchase named by general.payment_id. A larger amount than paid is accepted, then declined by callback with 3283 (seed).',
        refundSchema,
        {
          general: { project_id: 112, payment_id: 'ECT_TEST_1572258898441234343232', signature: sig },
          payment: { description: 'test_refund' },
        },
        ['3061', '3060', '3230', '3284', '3609'],
        accepted,
      ),
    })
    .addPath('/v2/info/banks/india/sale/list', {
      post: {
        ...gateOperation(
          'Banks for purchases',
          "The seed's Table 1.",
          listSchema,
          {
            general: { project_id: 112, payment_id: 'ORDER_155860015', signature: sig },
            payment: { amount: 1000, currency: 'INR' },
          },
          ['3023', '3121'],
          bankList,
        ),
        callbacks: undefined,
      },
    })
    .addPath('/v2/info/banks/india/payout/list', {
      post: {
        ...gateOperation(
          'Banks for payouts',
          "The seed's Table 1.",
          listSchema,
          {
            general: { project_id: 112, payment_id: 'ORDER_155860015', signature: sig },
            payment: { amount: 100000, currency: 'INR' },
          },
          ['3023', '3121'],
          bankList,
        ),
        callbacks: undefined,
      },
    })
    .addPath('/v2/payment/status', {
      post: {
        ...gateOperation(
          'Payment status',
          'The payment with its operations, signed in top-level `signature`.',
          obj(['general'], { general }),
          { general: { project_id: 112, payment_id: 'ORDER_I1558600157', signature: sig } },
          ['3061'],
          {
            description: 'The payment.',
            content: {
              'application/json': {
                schema: obj(['project_id', 'payment', 'customer', 'operations', 'signature'], {
                  project_id: { type: 'integer' },
                  payment: { type: 'object' },
                  account: { type: 'object' },
                  customer: { type: 'object' },
                  operations: { type: 'array', items: ref('Operation') },
                  signature: { type: 'string' },
                }),
              },
            },
          },
        ),
        callbacks: undefined,
      },
    })
    .addPath('/v2/payment/clarification', {
      post: {
        ...gateOperation(
          'Additional payment information (answer to a clarification)',
          'Answers a callback with status `awaiting clarification`: `additional_data` carries every field its `clarification_fields` lists (e.g. `{"customer":{"last_name":"Waynen","zip":"400009"}}`). Accepted at once; the redirect_data callback follows. Refused with 3060 when the payment is not awaiting clarification, 2004 when a listed field is missing. Which fields a purchase needs is the project setting `clarificationFields` (none by default).',
          obj(['general', 'additional_data'], { general, additional_data: { type: 'object' } }),
          {
            general: { project_id: 112, payment_id: 'ORDER_1558600157', signature: sig },
            additional_data: { customer: { last_name: 'Waynen', zip: '400009' } },
          },
          ['3060', '3061'],
          accepted,
        ),
      },
    })
    .addPath('/payment', {
      get: {
        tags: ['Payment Page'],
        summary: 'Open the Payment Page (signed query)',
        description: `Parameters: \`project_id\`, \`payment_id\`, \`payment_amount\`, \`payment_currency\` (INR), \`customer_id\` required; \`force_payment_method=${METHOD_CODE}\`, \`payment_methods_options\` (JSON), \`payment_description\`, \`customer_phone\`, \`merchant_callback_url\`, \`merchant_success_url\`, \`merchant_fail_url\`, \`merchant_return_url\`, \`redirect_success_url\`, \`redirect_fail_url\`; \`signature\`. Any other parameter is accepted and signed.`,
        parameters: [
          { name: 'project_id', in: 'query', required: true, schema: { type: 'integer' } },
          { name: 'payment_id', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'payment_amount', in: 'query', required: true, schema: { type: 'integer' } },
          { name: 'payment_currency', in: 'query', required: true, schema: { type: 'string', const: 'INR' } },
          { name: 'customer_id', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'force_payment_method', in: 'query', schema: { type: 'string', const: METHOD_CODE } },
          {
            name: 'payment_methods_options',
            in: 'query',
            schema: { type: 'string' },
            example: '{"online_indian_banks": {"split_banks": true, "banks_id": [416, 415]}}',
          },
          { name: 'signature', in: 'query', required: true, schema: { type: 'string' } },
        ],
        responses: {
          '200': html('The method or bank choice (`#method-online-indian-banks`, `#bank-<id>`).'),
          '303': { description: 'Straight to the bank page (one forced bank), or back to a waiting purchase.' },
          '400': html('Error page with `#code` (3262, 3261, 2442, 2004, 502, 3023, 3121, 2541, 2801).'),
          '409': html('3041: the payment_id was used.'),
        },
      },
      post: {
        tags: ['Payment Page'],
        summary: 'Choose the method or a bank (form field bank_id, empty for the method)',
        responses: { '303': { description: 'To /payment/bank/{operationId}.' } },
      },
    })
    .addPath('/payment/bank/{operationId}', {
      get: {
        tags: ['Payment Page'],
        summary: 'The bank page',
        parameters: [{ name: 'operationId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': html(
            'Bank choice (`#bank-<id>`) or Approve / Decline / Abandon (`#approve`, `#decline`, `#abandon`); `#status`.',
          ),
          '404': html('Unknown operation.'),
        },
      },
      post: {
        tags: ['Payment Page'],
        summary: 'Choose the bank (bank_id) or press a button (action=approve|decline|abandon)',
        parameters: [{ name: 'operationId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '303': { description: 'To the return URL.' },
          '200': html('The result, when there is no return URL.'),
          '400': html('No such bank or action.'),
          '409': html('Already final.'),
        },
      },
    })
    .getSpec()
}
