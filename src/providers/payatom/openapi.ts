import { OpenApiBuilder, type OpenAPIObject, type OperationObject, type SchemaObject } from 'openapi3-ts/oas31'
import { RETRY_SCHEDULE } from './callbacks.js'
import { COMPLAINT_RESOLVE_MS, PAYOUT_RECONCILIATION_DAILY_LIMIT } from './operations.js'
import { MAX_FIELD_LENGTH, PAK_WALLETS, PAYMENT_MODES, WALLET_TYPES } from './shared.js'
import { NATIVE_STATUSES } from './wire.js'

/**
 * Where the seed and research leave a choice open, what the sandbox does. Rendered into the
 * OpenAPI description ("Sandbox contract") and the README section.
 */
const SANDBOX_CONTRACT: string[] = [
  'Default merchant: pid `000000000000`, secret_key `mysecretpassword`, v2 `X-Api-Key` `payatom-sandbox-api-key`, reconciliation/complaint `Token` `payatom-sandbox-token`, operations `Api-Key` (and v1 wallet-balance `Authorization`) `payatom-sandbox-ops-key`, operator `operator@payatom.test` / password `operator`. Change any of them with `PATCH /_sandbox/merchants/payatom/000000000000`.',
  'Webhook URLs are merchant settings, none by default (status polling only): `webhookUrl` (pay-ins and refunds) and `payoutWebhookUrl` (payouts).',
  'Every answer is HTTP 200 `{"status":"error","message":…}` unless a document gives another code (v2 wallet balance: 400/401 per its table; wallet transaction summary, wallet data and v1 wallet balance: 401 for a missing or wrong key). Content-Type `application/json; charset=utf-8`; JSON as PHP `json_encode` writes it (`\\/`, `\\uXXXX`).',
  'IP whitelisting is not enforced: every caller IP is accepted (v1 authenticates by IP only, so any v1 request with a known `pid` is accepted).',
  'A body that is not JSON (or not UTF-8, or not an object) is answered `{"status":"error","message":"Invalid JSON"}`; PHP ignores the Content-Type, so a JSON body is read whatever Content-Type says. The v1 status polling also reads form-urlencoded bodies (the 2023 documents). A body over 1 MiB gets nginx\'s 413 page; an unknown path nginx\'s 404 page.',
  'Missing fields are reported `<field> is required field` (the Pakistan page\'s wording), in the order pid, amount, order_id, then the others; "missing" is PHP `empty()` (so `0` and `"0"` are missing). A field of the wrong type (array/object) or longer than ' +
    MAX_FIELD_LENGTH +
    ' characters is `invalid <field>`; a non-positive or non-numeric amount (or one with more than 2 decimals) is `invalid amount`.',
  '`order_id` length: the documents ask for 10 or more characters (seed 001 l.59) and the seed\'s own example sends `"20"`; the sandbox follows the rule on every pay-in (`order_id must be at least 10 characters long`) and on payouts (10 or more letters and digits) unless the merchant setting `relaxedRules` lists `order_id-min-length` / `payout-order_id-format`.',
  'Pay-ins (hosted and seamless) wait for the customer: the buttons of `/pay/connect.php?code=<ref_code>` (form POSTs of `action=approve|decline|timeout`) or the admin API decide them; the merchant setting `customer: "auto"` approves them 2 s after acceptance instead.',
  'Duplicate `order_id` per pid and direction: hosted pay-in `Duplicate order_id Found` (2023 wording), other pay-ins and payouts `Duplicate order_id found` (Pakistan wording).',
  'Amounts are echoed and hashed as PHP prints the value sent (`"1"` → `1`, `100.0` → `100`, `"100.50"` → `100.50`). Webhook and polling amounts are strings (the documents\' polling example); reconciliation amounts are integers (documented).',
  'ref_code and the hosted `hash_value`/`code` are the same 64-hex value; status polling accepts it as `ref_code`.',
  'Hosted v2 (`/pay/v2/request.php`) answers `{"status":"success","ref_code","redirect_url","amount"}` (its response is not documented); v2 seamless answers as KAT reports `{"status":"success","ref_code","qr_code","redirect_url","amount","receiverVPA"}`. v2 errors are HTTP 200, including `X-Api-Key header is required` and `Invalid API key` (KAT).',
  'Seamless `/api/request.php` reads the kind of pay-in from the body: `pak_wallet` → Pakistan H2H, `wallet_type` → Bangladesh wallet, `payment_mode: "imps"` → IMPS (answers the collection bank account), otherwise UPI.',
  "UTR submission (path not documented): `POST /api/collection_utr.php` (v2: `/api/v2/collection_utr.php`) with `pid`, `ref_code` (or `order_id`) and a 12-digit `utr`; the UTR becomes the pay-in's `bank_ref`. It does not change the status (scenarios do).",
  'Payouts: response `{"status":"success","message":"Payout request accepted","order_id","ref_code"}`; v2 at `/payout/api/v2/request.php`; payout status polling at `/payout/api/status_polling.php` (v2 `/payout/api/v2/status_polling.php`); payout webhook body `{order_id, amount, status, post_hash, utr, ref_code}` with post_hash over md5(order_id . amount . status . secret_key). None of these are documented.',
  "Refunds at `/api/refund_request.php` (v2 `/api/v2/refund_request.php`, X-Api-Key, no signature) with `pid`, `ref_code` (or `order_id`), `post_hash` = base64(encrypt(md5(ref_code . pid . secret_key))), optional `amount` and `refund_notes`. Allowed on Approved, Late Approved, Amount Mismatch and Declined pay-ins, once (again after a failed one). The order shows `Refund Initiated` at once (webhook sent), `Refund Completed` 2 s later (clock time); a failed refund leaves the order's own status and `refund_info.refund_status` `Refund Failed`.",
  '`refund_info` is `[]` until a refund exists (the seed\'s polling example), then the object with the seed\'s six keys; times as PHP `date("F j, Y, g:i a")` in India time (`February 11, 2023, 4:34 pm`).',
  "`received_amount` is the amount for Approved/Late Approved (and while a refund runs), a scenario's `native.received_amount` or half the amount for Amount Mismatch, `0` otherwise. `bank_ref` is the submitted UTR or a 12-digit UTR assigned on approval; `sender_upi` the `upi_id` sent, or `<phone digits>@upi` once approved (without a phone, a realistic UPI handle such as `rageshwari.embranthiri@oksbi`). Made-up values come from faker's `en_IN` locale seeded by the transaction: the same in every run and after a restart.",
  'Status polling answers the seed\'s keys in the seed\'s order with the 2023 keys added: `order_id, upi_id, amount, requested_amount, received_amount, bank_ref, webhook_acknowledged, sender_upi, status, post_hash, refund_info`. `upi_id` is the collection account (VPA, wallet number or IMPS account). `webhook_acknowledged` is `"1"` once any webhook of the order was acknowledged. Not found: `Reference code not found.`; a post_hash that does not verify: `Invalid post_hash` (the journal says which step failed).',
  'The request post_hash is checked over ref_code when sent, else over order_id (2023 polling); when both are sent either matches.',
  `Webhooks: POST JSON on every status change, keys in the seed's order; acknowledged only by HTTP 200 whose body is a JSON object with "acknowledge":"yes"; otherwise resent every 60 s, ${RETRY_SCHEDULE.length} times. Every send, resends included, draws a fresh IV, so only post_hash differs between a webhook and its resends.`,
  'Hosted page: `/pay/connect.php?code=` shows the UPI id, a QR code of the UPI payment string (and the string, with an intent link) and Approve / Decline / Timeout buttons (→ Approved / Declined / User Timed Out), then redirects to `redirect_url` when one was sent. Without a button press the pay-in stays Pending and becomes User Timed Out after 15 minutes (clock time).',
  'Complaint APIs: `Authorization: Bearer <Token>` (the merchant token), `signature` = sha256_hex(pid . order_id . ref_code . secret_key) on submit and sha256_hex(pid . complaint_id . secret_key) on the status check (`/api/complaint/complaint_status.php`; the formula and path are not published). Answers `complaint_id` `CMP00000001`…; the status is `Open`, then `Resolved` ' +
    COMPLAINT_RESOLVE_MS / 3600_000 +
    ' h (clock time) after submission.',
  `Reconciliation errors are HTTP 200 with the documented category as message: Unauthorized Access (Token), Missing Parameters, Invalid User (pid), Verification Failed (signature), Invalid Date Format. Payout reconciliation allows ${PAYOUT_RECONCILIATION_DAILY_LIMIT} authenticated calls per pid per India-time day by the sandbox clock; the next is answered "Rate limit exceeded. Maximum 10 requests per day allowed.". Days are India time.`,
  'Wallet transaction summary (`/bot/api_v2/account_deposit.php`): body `account_number`, `date_type` (`created` or `updated`), `date` (`DD-MM-YYYY`); answers counts and amounts grouped by status. Wallet data: `GET /bot/api_v2/wallet_data.php`. Both shapes are sandbox choices; the operator is the merchant whose `opsApiKey` matches.',
  "v2 wallet balance amounts are in paise: the merchant setting `balances` (the document's sample 25000 / 18500 / 22000) moved by approved pay-ins, completed refunds and approved payouts; pay-ins older than 24 h count as matured.",
]

const str: SchemaObject = { type: 'string' }
const num: SchemaObject = { type: ['string', 'integer', 'number'] }
const obj = (props: Record<string, SchemaObject>, required: string[] = []): SchemaObject => ({
  type: 'object',
  properties: props,
  required,
})
const errorSchema: SchemaObject = obj({ status: { const: 'error' }, message: str }, ['status', 'message'])

function op(
  summary: string,
  description: string,
  body: SchemaObject | undefined,
  example: unknown,
  response: unknown,
  extra: Partial<OperationObject> = {},
): OperationObject {
  return {
    summary,
    description,
    tags: ['PayAtom'],
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body, example } } } } : {}),
    responses: {
      '200': {
        description: 'Success, or `{"status":"error","message":…}` (HTTP 200 unless stated)',
        content: { 'application/json': { schema: { oneOf: [{ type: 'object' }, errorSchema] }, example: response } },
      },
    },
    ...extra,
  }
}

const payinFields = {
  pid: str,
  order_id: str,
  amount: num,
  name: str,
  email: str,
  phone: str,
  redirect_url: str,
  upi_id: str,
  wallet_type: { type: 'string', enum: WALLET_TYPES } as SchemaObject,
  pak_wallet: { type: 'string', enum: PAK_WALLETS } as SchemaObject,
  account_number: str,
  payment_mode: str,
}
const v2Fields = { ...payinFields, ip: str, latitude: str, longitude: str, customer_id: str, signature: str }
const apiKeyHeader = { name: 'X-Api-Key', in: 'header' as const, required: true, schema: str }
const REF = '1304d033331712f0de5d44665d10a2285241fe7d6a78753d779941cb7cd7f9c3'
const SEED_HOSTED = {
  pid: '000000000000',
  amount: '1',
  order_id: '20',
  phone: '9000000000',
  email: 'anushk@gmail.com',
  name: 'Anushk',
}

/** PayAtom's OpenAPI 3.1 document. */
export function payatomOpenApi(): OpenAPIObject {
  const statuses = Object.entries(NATIVE_STATUSES)
    .map(([n, s]) => `| ${n} | ${s} |`)
    .join('\n')
  const description = `PayAtom (seed document \`001_2ba833a2bd8f7455.txt\`, research §A) as psp-sandbox serves it, at PayAtom's own paths: hosted and seamless pay-ins (India UPI/IMPS, Bangladesh wallets, Pakistan H2H), payouts, status polling, refunds and the operations APIs, v1 and v2. Point the base URL at the sandbox.

Every request is journaled (\`GET /_sandbox/journal?provider=payatom\`) with the verdict: which post_hash step failed, the exact string a v2 signature hashes.

## post_hash
\`base64_encode(encrypt(md5(...), secret_key))\` where \`encrypt\` is the seed's PHP: key = sha256(secret_key) raw, random 16-byte IV, AES-256-CBC (PKCS#7), HMAC-SHA256(key, ciphertext . iv), blob = iv . hmac . ciphertext. Webhooks and polling answers hash md5(order_id . received_amount . status . secret_key); polling and refund requests md5(ref_code . pid . secret_key).

## v2 signature
\`sha256_hex(json_encode(ksort(fields without signature)) . secret_key)\`, PHP \`json_encode\` defaults (\`\\/\`, \`\\uXXXX\`), verified on the raw body. Status polling and refunds carry post_hash instead.

## Statuses
| native status | neutral |
|---|---|
${statuses}

Magic values (order_id words, \`scenarios/payatom.yaml\`): \`LATE\` → Late Approved, \`MISMATCH\` → Amount Mismatch, \`NOUTR\` → No Matching Payment for UTR, \`CANCEL\` → Cancelled, \`DECLINE\` → Declined, \`FAIL\` → Failed, \`PENDING\` → stays Pending, \`TIMEOUT\` → User Timed Out after 15 min, \`HANG\` → no answer, \`SLOW\` → answer after 5 s; refund amount \`13\` → refund stays Refund Initiated, \`14\` → refund fails. Otherwise hosted pay-ins wait for the page (or the admin API), everything else is Approved 2 s after acceptance.

## Sandbox contract
${SANDBOX_CONTRACT.map((d) => `- ${d}`).join('\n')}
`
  const b = OpenApiBuilder.create({
    openapi: '3.1.0',
    info: { title: 'PayAtom (psp-sandbox)', version: '1.0.0', description },
    paths: {},
  })
  b.addServer({ url: 'http://127.0.0.1:8080', description: 'psp-sandbox' })
  b.addPath('/pay/request.php', {
    get: {
      summary: 'Hosted (non-seamless) pay-in, v1, sent as GET',
      description:
        'Some PayAtom pages say GET: the same fields as the POST form, as query fields or a JSON body, and the same answer.',
      responses: {
        '200': {
          description: '`{"hash_value":…,"status":"ok"}` or `{"status":"error","message":…}`',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
    post: op(
      'Hosted (non-seamless) pay-in, v1',
      'Answers `hash_value`; redirect the customer to `/pay/connect.php?code=<hash_value>`. Also accepted as GET (some pages say GET) with a JSON body or query fields. Required: pid, amount, order_id, name, email, phone. Optional redirect_url, wallet_type (Bangladesh).',
      obj(payinFields, ['pid', 'amount', 'order_id', 'name', 'email', 'phone']),
      SEED_HOSTED,
      { hash_value: REF, status: 'ok' },
    ),
  })
  b.addPath('/pay/v2/request.php', {
    post: op(
      'Hosted pay-in, v2 (X-Api-Key + signature)',
      'Required: pid, amount, order_id, name, email, phone, redirect_url, signature.',
      obj(v2Fields, ['pid', 'amount', 'order_id', 'signature', 'redirect_url']),
      { ...SEED_HOSTED, amount: 100, redirect_url: 'https://merchant.example/return', signature: '<sha256>' },
      {
        status: 'success',
        ref_code: REF,
        redirect_url: `http://127.0.0.1:8080/pay/connect.php?code=${REF}`,
        amount: 100,
      },
      { parameters: [apiKeyHeader] },
    ),
  })
  b.addPath('/pay/connect.php', {
    get: {
      summary: 'Hosted payment page',
      tags: ['PayAtom'],
      parameters: [{ name: 'code', in: 'query', required: true, schema: str }],
      responses: {
        '200': {
          description: 'HTML page with UPI id, payment string, Approve / Decline / Timeout',
          content: { 'text/html': {} },
        },
        '404': { description: 'unknown code', content: { 'text/html': {} } },
      },
    },
    post: {
      summary: 'A button on the hosted page',
      tags: ['PayAtom'],
      parameters: [{ name: 'code', in: 'query', required: true, schema: str }],
      requestBody: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: obj({ action: { type: 'string', enum: ['approve', 'decline', 'timeout'] } }),
          },
        },
      },
      responses: {
        '200': { description: 'the page again' },
        '303': { description: 'to redirect_url' },
        '409': { description: 'already final' },
      },
    },
  })
  b.addPath('/api/request.php', {
    post: op(
      'Seamless pay-in, v1: UPI, IMPS, Bangladesh wallet, Pakistan H2H',
      'UPI answers the 2023 shape `{ref_code, qr_code, status}`; `wallet_type` → `{status, ref_code, wallet_id, wallet_type, amount, redirect_url}`; `pak_wallet` (JAZZCASH/EASYPAISA, `account_number` 03…) → `{status, ref_code, amount, wallet}`; `payment_mode: imps` → the collection bank account.',
      obj(payinFields, ['pid', 'amount', 'order_id']),
      { pid: '000000000000', order_id: '6876mhn', amount: '8128', upi_id: 'customer@upi' },
      {
        ref_code: REF,
        qr_code: 'upi://pay?pa=payatom.sandbox@upi&pn=PayAtom&am=8128&tn=6876mhn&cu=INR&mc=5411',
        status: 'success',
      },
    ),
  })
  b.addPath('/api/v2/request.php', {
    post: op(
      'Seamless pay-in, v2',
      'Same kinds as v1, with X-Api-Key and signature.',
      obj(v2Fields, ['pid', 'amount', 'order_id', 'signature']),
      { pid: '000000000000', amount: 100, order_id: 'ORD1234567890', upi_id: 'customer@upi', signature: '<sha256>' },
      {
        status: 'success',
        ref_code: REF,
        qr_code: 'upi://pay?…',
        redirect_url: 'http://127.0.0.1:8080/pay/connect.php?code=…',
        amount: 100,
        receiverVPA: 'payatom.sandbox@upi',
      },
      { parameters: [apiKeyHeader] },
    ),
  })
  const utr = obj({ pid: str, ref_code: str, order_id: str, utr: str, signature: str }, ['pid', 'utr'])
  b.addPath('/api/collection_utr.php', {
    post: op(
      "Submit the customer's UTR (P2P)",
      'Sandbox contract path.',
      utr,
      { pid: '000000000000', ref_code: REF, utr: '412345678901' },
      {
        status: 'success',
        message: 'UTR submitted successfully',
        order_id: 'ORD1234567890',
        ref_code: REF,
        utr: '412345678901',
      },
    ),
  })
  b.addPath('/api/v2/collection_utr.php', {
    post: op(
      'Submit the UTR, v2',
      'X-Api-Key + signature.',
      utr,
      { pid: '000000000000', ref_code: REF, utr: '412345678901', signature: '<sha256>' },
      { status: 'success' },
      { parameters: [apiKeyHeader] },
    ),
  })
  const poll = obj({ pid: str, ref_code: str, order_id: str, post_hash: str }, ['pid', 'post_hash'])
  const pollAnswer = {
    order_id: 'ORD1234567890',
    upi_id: 'payatom.sandbox@upi',
    amount: '100',
    requested_amount: '100',
    received_amount: '100',
    bank_ref: '412345678901',
    webhook_acknowledged: '1',
    sender_upi: 'customer@upi',
    status: 'Approved',
    post_hash: '<128 base64 characters>',
    refund_info: [],
  }
  b.addPath('/api/status_polling.php', {
    post: op(
      'Status polling, v1 (JSON or form)',
      'post_hash = base64(encrypt(md5(ref_code . pid . secret_key))); the 2023 form used order_id instead of ref_code.',
      poll,
      { ref_code: REF, pid: '000000000000', post_hash: '<base64>' },
      pollAnswer,
    ),
  })
  b.addPath('/api/v2/status_polling.php', {
    post: op(
      'Status polling, v2',
      'X-Api-Key; post_hash, no signature.',
      poll,
      { ref_code: REF, pid: '000000000000', post_hash: '<base64>' },
      pollAnswer,
      { parameters: [apiKeyHeader] },
    ),
  })
  const payoutFields = obj(
    {
      payment_mode: { type: 'string', enum: PAYMENT_MODES },
      pid: str,
      order_id: str,
      amount: num,
      account_holder: str,
      account_no: str,
      bank: str,
      ifsc: str,
      upi_id: str,
      wallet_type: str,
      signature: str,
    },
    ['payment_mode', 'pid', 'order_id', 'amount'],
  )
  const payoutExample = {
    payment_mode: 'imps',
    pid: '000000000000',
    order_id: 'PAYOUT00001',
    amount: 500,
    account_holder: 'Ravi Kumar',
    account_no: '1234567890',
    bank: 'HDFC Bank',
    ifsc: 'HDFC0001234',
  }
  b.addPath('/payout/api/request.php', {
    post: op(
      'Payout (IMPS, UPI, wallet), v1',
      'imps: account_holder, account_no, bank, ifsc; upi: upi_id, account_holder; wallet: account_no, wallet_type.',
      payoutFields,
      payoutExample,
      { status: 'success', message: 'Payout request accepted', order_id: 'PAYOUT00001', ref_code: REF },
    ),
  })
  b.addPath('/payout/api/v2/request.php', {
    post: op(
      'Payout, v2',
      'X-Api-Key + signature.',
      payoutFields,
      { ...payoutExample, signature: '<sha256>' },
      { status: 'success' },
      { parameters: [apiKeyHeader] },
    ),
  })
  const payoutPoll = {
    order_id: 'PAYOUT00001',
    ref_code: REF,
    amount: '500',
    status: 'Approved',
    utr: '412345678901',
    webhook_acknowledged: '0',
    post_hash: '<base64>',
  }
  b.addPath('/payout/api/status_polling.php', {
    post: op(
      'Payout status polling, v1',
      'Sandbox contract path; same post_hash as pay-in polling.',
      poll,
      { ref_code: REF, pid: '000000000000', post_hash: '<base64>' },
      payoutPoll,
    ),
  })
  b.addPath('/payout/api/v2/status_polling.php', {
    post: op(
      'Payout status polling, v2',
      'X-Api-Key.',
      poll,
      { ref_code: REF, pid: '000000000000', post_hash: '<base64>' },
      payoutPoll,
      { parameters: [apiKeyHeader] },
    ),
  })
  const refund = obj({ pid: str, ref_code: str, order_id: str, post_hash: str, amount: num, refund_notes: str }, [
    'pid',
    'post_hash',
  ])
  b.addPath('/api/refund_request.php', {
    post: op(
      'Refund a pay-in',
      'Progress shows in polling and webhooks: Refund Initiated → Refund Completed with refund_info.',
      refund,
      { pid: '000000000000', ref_code: REF, post_hash: '<base64>', amount: '100' },
      {
        status: 'success',
        message: 'Refund Initiated',
        order_id: 'ORD1234567890',
        ref_code: REF,
        refund_amount: '100',
      },
    ),
  })
  b.addPath('/api/v2/refund_request.php', {
    post: op(
      'Refund, v2',
      'X-Api-Key; post_hash, no signature.',
      refund,
      { pid: '000000000000', ref_code: REF, post_hash: '<base64>' },
      { status: 'success' },
      { parameters: [apiKeyHeader] },
    ),
  })
  b.addPath('/api/wallet_balance.php', {
    post: op(
      'P2P accounts wallet balance, v1',
      'Header `Authorization: <operator token>`; verification_code = md5(operator password). 401 for a missing or wrong token.',
      obj({ email: str, verification_code: str }, ['email', 'verification_code']),
      { email: 'operator@payatom.test', verification_code: '4b583376b2767b923c3e1da60d10de59' },
      {
        status: 'success',
        operator_details: { name: 'PayAtom Sandbox Operator', email: 'operator@payatom.test' },
        wallets: { upi: [], imps_upi: [] },
      },
      { parameters: [{ name: 'Authorization', in: 'header', required: true, schema: str }] },
    ),
  })
  b.addPath('/api/v2/wallet_balance.php', {
    post: op(
      'Wallet balance, v2',
      'Errors: 400 pid not provided / signature not provided / Invalid PID; 401 X-Api-Key header is required / Invalid API key / Invalid signature.',
      obj({ pid: str, signature: str }, ['pid', 'signature']),
      { pid: '000000000000', signature: '<sha256>' },
      {
        status: 'success',
        message: 'Balance fetched successfully',
        user_balance: {
          pid: '000000000000',
          payin_balance: 25000,
          payout_balance: 18500,
          payin_matured_balance: 22000,
        },
      },
      { parameters: [apiKeyHeader] },
    ),
  })
  const bearer = {
    name: 'Authorization',
    in: 'header' as const,
    required: true,
    schema: str,
    description: 'Bearer <Token>',
  }
  b.addPath('/api/complaint/submit_complaint.php', {
    post: op(
      'Submit a complaint',
      'signature = sha256_hex(pid . order_id . ref_code . secret_key).',
      obj(
        {
          pid: str,
          order_id: str,
          ref_code: str,
          signature: str,
          complaint_description: str,
          screenshot_images: { type: ['string', 'array'] },
        },
        ['pid', 'order_id', 'ref_code', 'signature'],
      ),
      {
        pid: '000000000000',
        order_id: 'ORD1234567890',
        ref_code: REF,
        signature: '<sha256>',
        complaint_description: 'Paid but pending',
      },
      { status: 'success', message: 'Complaint submitted successfully', complaint_id: 'CMP00000001' },
      { parameters: [bearer] },
    ),
  })
  b.addPath('/api/complaint/complaint_status.php', {
    post: op(
      'Complaint status',
      'signature = sha256_hex(pid . complaint_id . secret_key).',
      obj({ pid: str, complaint_id: str, signature: str }, ['pid', 'complaint_id', 'signature']),
      { pid: '000000000000', complaint_id: 'CMP00000001', signature: '<sha256>' },
      {
        status: 'success',
        complaint_id: 'CMP00000001',
        order_id: 'ORD1234567890',
        ref_code: REF,
        complaint_status: 'Open',
        complaint_description: 'Paid but pending',
        remarks: '',
        created_at: 'February 11, 2023, 4:34 pm',
        updated_at: 'February 11, 2023, 4:34 pm',
      },
      { parameters: [bearer] },
    ),
  })
  const recon = obj({ pid: str, date: { type: 'string', pattern: '^\\d{2}-\\d{2}-\\d{4}$' }, signature: str }, [
    'pid',
    'date',
    'signature',
  ])
  const token = { name: 'Token', in: 'header' as const, required: true, schema: str }
  b.addPath('/api/reconcile_polling.php', {
    post: op(
      'Pay-in reconciliation',
      'signature = sha256_hex(pid . secret_key . date).',
      recon,
      { pid: '000000000000', date: '15-10-2023', signature: '<sha256>' },
      {
        status: 'success',
        message: 'Success',
        data: [
          {
            orderCreateDateTime: 'October 15, 2023, 2:30 pm',
            statusChangeDateTime: 'October 15, 2023, 2:31 pm',
            order_id: 'ORD1234567890',
            ref_code: REF,
            amount_requested: 100,
            amount_received: 100,
            transaction_status: 'Approved',
            bank_ref: '412345678901',
          },
        ],
      },
      { parameters: [token] },
    ),
  })
  b.addPath('/payout/api/payout_reconcile_polling.php', {
    post: op(
      'Payout reconciliation (approved payouts)',
      `At most ${PAYOUT_RECONCILIATION_DAILY_LIMIT} calls per pid per day.`,
      recon,
      { pid: '000000000000', date: '15-10-2023', signature: '<sha256>' },
      {
        status: 'success',
        message: 'Success',
        data: [
          {
            orderCreateDateTime: 'October 15, 2023, 2:30 pm',
            statusChangeDateTime: 'October 15, 2023, 2:31 pm',
            order_id: 'PAYOUT00001',
            ref_code: REF,
            amount_requested: 500,
            amount_processed: 500,
            transaction_status: 'Approved',
            bank_ref: '',
          },
        ],
      },
      { parameters: [token] },
    ),
  })
  const apiKey = { name: 'Api-Key', in: 'header' as const, required: true, schema: str }
  b.addPath('/bot/api_v2/account_deposit.php', {
    post: op(
      'Wallet transaction summary',
      '401 `Api-Key header missing` / `Invalid or unauthorized Api-Key`.',
      obj({ account_number: str, date_type: { type: 'string', enum: ['created', 'updated'] }, date: str }, [
        'account_number',
        'date_type',
        'date',
      ]),
      { account_number: '50100012345678', date_type: 'created', date: '15-10-2023' },
      {
        status: 'success',
        account_number: '50100012345678',
        date_type: 'created',
        date: '15-10-2023',
        total_count: 1,
        total_amount: 100,
        summary: [{ status: 'Approved', count: 1, amount: 100 }],
      },
      { parameters: [apiKey] },
    ),
  })
  b.addPath('/bot/api_v2/wallet_data.php', {
    get: op(
      'Wallet data (cumulative, active and inactive accounts)',
      '401 for a missing or wrong Api-Key.',
      undefined,
      undefined,
      {
        status: 'success',
        data: {
          total_wallets: 6,
          active_wallets: 5,
          inactive_wallets: 1,
          total_transactions: 0,
          total_amount: 0,
          wallets: [],
        },
      },
      { parameters: [apiKey] },
    ),
  })
  return b.getSpec()
}
