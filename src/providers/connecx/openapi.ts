import {
  OpenApiBuilder,
  type ExampleObject,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
} from 'openapi3-ts/oas31'
import { MAX_BODY_BYTES } from '../../engine/http.js'
import { NEUTRAL_STATUSES, type NeutralStatus } from '../../engine/types.js'
import { builtInScenario } from '../kit/scenarios.js'
import { connecxCallbacks } from './callbacks.js'
import { CHANNELS, type ChannelSide } from './channels.js'
import { connecxToken, DEFAULT_RECIPES, recipeParts, type RecipeName } from './crypto.js'
import { DEFAULT_MERCHANT, IDENTITY as connecx } from './defaults.js'
import {
  ERRORS,
  NATIVE_STATUSES,
  RESULT_MESSAGES,
  nativeState,
  renderTxn,
  type ConnecxMerchant,
  type ConnecxTransaction,
  type ConnecxTxnData,
  type ErrorCode,
} from './wire.js'

/**
 * The seed's "PAY IN" sample request, in the currency CHNL-101's specs name (CNY): the sample as
 * printed sends USD, which the sandbox refuses (E2022) unless the merchant relaxes
 * `channel-currency`.
 */
const SEED_PAYIN = {
  channelCode: 'CHNL-101',
  accountId: '1000000001',
  requestSalt: 'abcd-xyz',
  txnAmount: 100,
  txnCurrency: 'CNY',
  paymentRef: 'abc123XYZ',
  paymentDesc: 'description',
  dupCheck: false,
  merchantTraceData: 'merchant trace data',
  callbackUrl: 'https://callback.com/call/back',
  resultUrl: 'https://result.url/result',
  endUserInfo: {
    identifier: '张三ABC',
    ipAddress: '10.0.0.1',
    firstName: 'John',
    lastName: 'Doe',
    phoneNumber: '2060987657',
    emailAddress: 'user@domain.com',
    address: {
      addressLine1: '123 ABC Street',
      cityTown: 'Queenstown',
      stateProv: 'Singapore',
      country: 'SG',
      postalCode: '238858',
    },
  },
  payInfo: { bankCode: 'CHTTST01', bankName: 'ABC', bankAccountNumber: '123' },
}

/**
 * The seed's "PAY OUT" sample request with the `payInfo.bankAccountName` USDMOCK-001's specs
 * require: the sample as printed lacks it and is refused (E9998) unless the merchant relaxes
 * `required-pay-info`.
 */
const SEED_PAYOUT = {
  ...SEED_PAYIN,
  channelCode: 'USDMOCK-001',
  txnCurrency: 'USD',
  payInfo: {
    bankCode: 'USD-TEST01',
    bankAccountNumber: '1234567869',
    bankRoutingCode: 'TEST0123456',
    bankAccountName: 'John Doe',
  },
}

/** The seed's sample response values: txnId and statusTimeStamp (seconds). */
const SEED_TXN_ID = '176272727440'
/** The txnId of the first transaction of a fresh sandbox (the seed's sample id + 1), so the query examples find the sample pay-in. */
const FIRST_TXN_ID = String(Number(SEED_TXN_ID) + 1)
const SEED_TIMESTAMP_MS = 1669868124 * 1000
const SEED_PAYREF = 'PREF-1659501526442'
const LOCAL_SERVER = 'http://127.0.0.1:8080'

/** When the sandbox answers each code. Typed by `ERRORS`, so a new code cannot go undocumented. */
const ERROR_WHEN: Record<ErrorCode, string> = {
  E0042: 'the `{merchantId}` path segment is not all digits',
  E1000: 'no Connecx merchant has that id (`GET /_sandbox/merchants` lists them)',
  E1001: "the merchant's `active` setting is false",
  E1022: "`accountId` is not 10 digits or is not the merchant's `accountId` setting",
  E2004:
    "the token does not match the merchant's recipe for this API (the journal entry shows the exact string the sandbox hashed and the token it expected)",
  E2005: 'the `X-paymesh-authz` header is missing (on pay-out: and so is `X-paypath-authz`)',
  E2020:
    "`txnAmount` is not a positive number, has more than 2 decimal places, or is outside the channel's limits for this direction",
  E2022:
    '`txnCurrency` is not accepted by the channel (pay-in/pay-out), or the merchant holds no balance in that currency (balance query)',
  E2029: 'a query by `txnId` or `paymentRef` finds no transaction of this merchant',
  E2045: '`paymentRef` is missing, null or empty',
  E2046: '`dupCheck` is true and the merchant already used this `paymentRef` (on any pay-in or pay-out)',
  E3000: `the body is not JSON or not a JSON object; the body is larger than ${MAX_BODY_BYTES} bytes (HTTP 422); no Connecx API at this method and path (HTTP 404)`,
  E9998:
    'any other validation failure: a required field missing or of the wrong type, a channel not assigned to the merchant or a direction not enabled on it, a URL that is not absolute http(s), an `endUserInfo`/`address` field missing or invalid, a `payInfo` field the channel requires missing, a `bankCode` not of the channel; bank codes and channel specs: the channel is not assigned to the merchant',
  E9999: 'the sandbox itself failed (HTTP 500); the journal entry has the stack trace',
}

/** Codes each API can answer with (HTTP 422 unless stated). */
const MERCHANT_CODES: ErrorCode[] = ['E0042', 'E1000', 'E1001', 'E2005', 'E2004']
const PAYMENT_CODES: ErrorCode[] = [...MERCHANT_CODES, 'E3000', 'E2045', 'E9998', 'E1022', 'E2022', 'E2020', 'E2046']

type Kind = 'payin' | 'payout'

function defaultMerchant(): ConnecxMerchant {
  return DEFAULT_MERCHANT
}

function recipes(merchant: ConnecxMerchant): Record<RecipeName, readonly string[]> {
  return { ...DEFAULT_RECIPES, ...merchant.tokenRecipes }
}

const recipeText = (recipe: readonly string[]) => `sha256_hex(${recipe.join(' + ')})`
const tick = (s: string | number) => `\`${s}\``

/** The token the default merchant sends for `values`, as the routes compute it. */
function tokenFor(recipe: RecipeName, values: Record<string, unknown>): string {
  const m = defaultMerchant()
  return connecxToken(recipeParts(recipes(m)[recipe], { ...values, merchantId: m.id, apiKey: m.apiKey }))
}

/** A transaction as the sandbox would hold it after the seed's sample request, rendered by `renderTxn`. */
function sampleResult(kind: Kind, status: NeutralStatus, nativeStatus?: string): Record<string, unknown> {
  const merchant = defaultMerchant()
  const request = kind === 'payin' ? SEED_PAYIN : SEED_PAYOUT
  const data: ConnecxTxnData = {
    txnAmount: request.txnAmount,
    merchantTraceData: request.merchantTraceData,
    resultUrl: request.resultUrl,
    origin: LOCAL_SERVER,
  }
  return renderTxn(sampleTx(kind, status, nativeStatus, data, merchant), merchant)
}

function sampleTx(
  kind: Kind,
  status: NeutralStatus,
  nativeStatus: string | undefined,
  data: ConnecxTxnData,
  merchant: ConnecxMerchant,
): ConnecxTransaction {
  return {
    id: 'connecx-1',
    provider: 'connecx',
    merchant: merchant.id,
    kind,
    reference: kind === 'payin' ? SEED_PAYIN.paymentRef : SEED_PAYOUT.paymentRef,
    // A fresh sandbox numbers the sample pay-in FIRST_TXN_ID and the sample pay-out sent after it the next one.
    providerRef: kind === 'payin' ? FIRST_TXN_ID : String(Number(FIRST_TXN_ID) + 1),
    amount: data.txnAmount,
    currency: kind === 'payin' ? SEED_PAYIN.txnCurrency : SEED_PAYOUT.txnCurrency,
    status,
    nativeStatus,
    createdAt: SEED_TIMESTAMP_MS,
    updatedAt: SEED_TIMESTAMP_MS,
    history: [],
    data,
  }
}

/** What a transaction shows (status, txnResultCode, txnResultMessage) for a neutral or native status name. */
function shows(kind: Kind, name: string): { status: string; txnResultCode: string; txnResultMessage: string } {
  const neutral = (NEUTRAL_STATUSES as readonly string[]).includes(name)
    ? (name as NeutralStatus)
    : NATIVE_STATUSES[name]
  const native = neutral === name ? undefined : name
  const data = { txnAmount: 1, origin: LOCAL_SERVER, request: {} } as ConnecxTxnData
  return nativeState(sampleTx(kind, neutral, native, data, defaultMerchant()))
}

/** Every `status` and `txnResultCode` the code can produce for either kind and any status name. */
function producedValues(): { statuses: string[]; codes: string[] } {
  const statuses = new Set<string>()
  const codes = new Set<string>()
  for (const kind of ['payin', 'payout'] as const)
    for (const name of [...NEUTRAL_STATUSES, ...Object.keys(NATIVE_STATUSES)]) {
      const s = shows(kind, name)
      statuses.add(s.status)
      codes.add(s.txnResultCode)
    }
  return { statuses: [...statuses], codes: [...codes] }
}

const showText = (s: { status: string; txnResultCode: string }) => `${s.status} / ${s.txnResultCode}`

function sideText(side: ChannelSide): string {
  const fields = side.requiredPayInfo?.map((f) => tick(f.fieldName)).join(', ') || 'none'
  return `${side.enabled ? 'enabled' : 'disabled'}; ${side.minTxnAmount}–${side.maxTxnAmount}; payInfo required: ${fields}; bankCode validated: ${side.validateBankCode ? 'yes' : 'no'}`
}

const builtIn = (name: string) => builtInScenario(name, 'connecx', Object.keys(NATIVE_STATUSES))

/** The magic words of `scenarios/connecx.yaml` then `scenarios/common.yaml`, in the order they are tried. */
function magicWordsTable(): string {
  const rows: string[] = []
  const own: string[] = []
  for (const [file, name] of [
    [builtIn('connecx.yaml'), 'scenarios/connecx.yaml'],
    [builtIn('common.yaml'), 'scenarios/common.yaml'],
  ] as const) {
    if (!file) {
      rows.push(`| — | ${name} could not be read | ${name} |`)
      continue
    }
    for (const rule of file.rules) {
      const condition = rule.match?.reference
      const word =
        typeof condition === 'object' && condition !== null && typeof condition.contains === 'string'
          ? condition.contains
          : undefined
      const onlyWord =
        word !== undefined && Object.keys(rule.match ?? {}).length === 1 && rule.times === undefined && !rule.once
      const effect = (rule.name ?? '').replace(/^.*? — /, '')
      const shadow = word !== undefined && file.provider === '*' && own.some((w) => word.includes(w))
      if (onlyWord && file.provider !== '*') own.push(word)
      const what =
        rule.match && Object.keys(rule.match).length
          ? word !== undefined
            ? tick(word)
            : tick(JSON.stringify(rule.match))
          : '(anything else)'
      rows.push(
        `| ${what} | ${effect}${shadow ? ' (never reached: the connecx.yaml rule above catches it first)' : ''} | ${name} |`,
      )
    }
  }
  return ['| Word in `paymentRef` | Result | File |', '|---|---|---|', ...rows].join('\n')
}

function channelTable(): string {
  const rows = Object.values(CHANNELS).map(
    (c) =>
      `| ${tick(c.channelCode)} | ${c.currency} | ${c.currencies.join(', ')} | ${c.banks.map((b) => tick(b.bankCode)).join(', ')} | ${sideText(c.payinSpecs)} | ${sideText(c.payoutSpecs)} |`,
  )
  return [
    '| Channel | Currency (specs) | Accepted txnCurrency | Banks | Pay-in | Pay-out |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n')
}

function recipeTable(merchant: ConnecxMerchant): string {
  const given: Record<RecipeName, string> = {
    payment: 'sandbox contract (the document says "talk to the support team")',
    callback: 'sandbox contract (the document says "contact the support team")',
    txn: 'the document',
    payref: 'the document',
    bankcodes: 'the document (it also lists a `requestSalt` request parameter, which is not part of the token)',
    balance: 'the document',
    channelspecs: 'the document',
  }
  const r = recipes(merchant)
  const rows = (Object.keys(DEFAULT_RECIPES) as RecipeName[]).map(
    (name) => `| ${tick(name)} | ${tick(recipeText(r[name]))} | ${given[name]} |`,
  )
  return ['| Recipe | Default | Source |', '|---|---|---|', ...rows].join('\n')
}

function statusTable(): string {
  const rows = NEUTRAL_STATUSES.map(
    (n) => `| ${tick(n)} | ${showText(shows('payin', n))} | ${showText(shows('payout', n))} |`,
  )
  return ['| Neutral status | Pay-in shows (status / txnResultCode) | Pay-out shows |', '|---|---|---|', ...rows].join(
    '\n',
  )
}

function nativeTable(): string {
  const rows = Object.entries(NATIVE_STATUSES).map(
    ([name, neutral]) =>
      `| ${tick(name)} | ${neutral} | ${showText(shows('payin', name))} | ${showText(shows('payout', name))} |`,
  )
  return ['| Native name | Neutral | Pay-in shows | Pay-out shows |', '|---|---|---|---|', ...rows].join('\n')
}

function errorTable(): string {
  const rows = (Object.keys(ERRORS) as ErrorCode[]).map(
    (code) => `| ${tick(code)} | ${ERRORS[code]} | ${ERROR_WHEN[code]} |`,
  )
  return ['| msgCode | msgText | Returned when |', '|---|---|---|', ...rows].join('\n')
}

function description(): string {
  const m = defaultMerchant()
  const retries = connecxCallbacks.retrySchedule
  const initialIn = shows('payin', 'pending')
  const initialOut = shows('payout', 'processing')
  const insufficient = shows('payout', 'INSUFFICENT_FUNDS')
  const expired = shows('payin', 'expired')
  const approved = shows('payin', 'approved')
  return `The Connecx Unified Payments API (seed document \`${connecx.seed}\`) as psp-sandbox serves it: JSON over \`/mxapi/{merchantId}/…\`, hex SHA-256 \`X-paymesh-authz\` tokens, and HTTP 422 \`{"msgCode","msgText"}\` errors. Point your integration's base URL at the sandbox; the paths are Connecx's own.

Every request is recorded in the journal (\`GET /_sandbox/journal?provider=connecx\`) with the decision taken and, when a token does not match, the exact string the sandbox hashed.

## Sandbox contract

Where the Connecx document leaves a choice open, the sandbox decides as follows. Guesses about how a real Connecx account is set up (token recipes, the \`statusTimeStamp\` unit, assigned channels, balances, whether the account is active) are merchant settings you can change; the others are fixed and listed here so you know what to expect.

### Default test merchant
Provisioned on every fresh start, so the document's samples work as they are: merchantId ${tick(m.id)}, API key ${tick(String(m.apiKey))}, accountId ${tick(String(m.accountId))}, channels ${m.channels.map(tick).join(', ')}, opening balances ${Object.entries(
    m.balances,
  )
    .map(([c, v]) => `${v} ${c}`)
    .join(
      ', ',
    )}, \`statusTimeStampUnit\` ${tick(String(m.statusTimeStampUnit))}, \`active\` ${tick(String(m.active))}. Settings change with \`PATCH /_sandbox/merchants/connecx/${m.id}\` (see the admin API's document) or the config file's \`merchants\` section.

### Tokens
A token is the values of a recipe's fields concatenated with no separator, hashed with SHA-256 and hex-encoded; the sandbox writes lowercase and **compares exactly** (an uppercase-hex token is refused with E2004; a merchant may relax this with \`relaxedRules: ["token-exact"]\`). Recipes are the per-merchant setting \`tokenRecipes\`, an object of recipe name → ordered list of field names. A field name is \`merchantId\`, \`apiKey\`, or any request field (body field for pay-in/pay-out, path or \`requestSalt\` query field for queries); an absent field counts as empty text, a number is written as JavaScript prints it, an object as its JSON. A recipe missing from the setting falls back to the default below.

${recipeTable(m)}

Pay-in and pay-out use the same \`payment\` recipe. Pay-out also accepts the token in the seed's \`X-paypath-authz\` header (\`X-paymesh-authz\` wins when both are sent).

### Callbacks
Sent when a transaction becomes COMPLETED, CANCELLED or FAILED (never for FORAUTHZ, INPROCESS or PENDING): \`POST\` to the request's \`callbackUrl\`, \`Content-Type: application/json\`, the body is the result object exactly as the pay-in/pay-out answer renders it, and an \`X-paymesh-authz\` header made with the \`callback\` recipe (default ${tick(recipeText(DEFAULT_RECIPES.callback))}, \`txnId\` as its decimal digits). Acknowledged by ${connecxCallbacks.ackRule} (the document states no rule). When an attempt is not acknowledged it is retried after ${retries.map(tick).join(', ')} (clock time, ${retries.length + 1} attempts in all), then the delivery is marked \`failed\`; each attempt waits 10 s for an answer by default (\`callbackTimeout\` option). \`POST /_sandbox/callbacks/{id}/redeliver\` sends one again. A \`callbackUrl\` that points back at the sandbox's own provider or admin paths is never called (loop guard).

### \`statusTimeStamp\`
The key is spelled as in the document's samples (\`statusTimeStamp\`, not the table's \`statusTimestamp\`), and its unit follows the samples (\`1669868124\` is seconds) although the table says "long milliseconds": seconds by default, milliseconds when the merchant setting \`statusTimeStampUnit\` is \`"milliseconds"\` (any other value means seconds). It is the time of the transaction's latest status change.

### Channels and limits
${channelTable()}

- \`CHNL-101\` also accepts USD, because the document's own pay-in sample sends \`"txnCurrency": "USD"\` on it; its specs and bank codes still show CNY.
- \`USDMOCK-001\` pay-outs do not require \`payInfo.bankAccountName\`, because the document's own pay-out sample omits it (the document's channel-specs sample lists it).
- \`payInfo\` itself may be left out when the channel requires none of its fields. \`payInfo.bankCode\` is checked against the channel's banks only where \`validateBankCode\` is true.
- Lenient on types where the document's samples contradict its tables: \`txnAmount\` may be a number or a numeric string, \`accountId\` a string or a number, \`dupCheck\` a boolean or \`"true"\`/\`"false"\`.

### Statuses
A pay-in is answered ${showText(initialIn)} with an \`authzUrl\` (the hosted page at \`/mxapi/authz/{txnId}\`); a pay-out is answered ${showText(initialOut)}, as the document's pay-out sample shows. A pay-in waits for the customer: the hosted page's Approve/Decline buttons (plain form POSTs of \`action=approve\` or \`action=decline\` to \`/mxapi/authz/{txnId}\`) or \`POST /_sandbox/transactions/{id}/transition\` decide it, as only the customer's payment completes it at Connecx; the merchant setting \`customer: "auto"\` makes it ${showText(approved)} 2 s (clock time) after it was accepted instead. Unless a scenario says otherwise, a pay-out becomes ${showText(approved)} 2 s after it was accepted and its callback goes out then. A transaction that expires does so after ${connecx.customerTimeout} (clock time) and shows ${showText(expired)}.

${statusTable()}

Scenario files and \`POST /_sandbox/transactions/{id}/transition\` also accept Connecx's own names:

${nativeTable()}

A scenario rule's \`native\` object may override \`status\`, \`txnResultCode\` and \`txnResultMessage\` once the transaction is final. \`txnResultMessage\` is otherwise ${Object.entries(
    RESULT_MESSAGES,
  )
    .map(([code, text]) => `${code} → "${text}"`)
    .join(', ')}.

### Balances
Each merchant holds a balance per currency (setting \`balances\`, the opening ledger balance). A completed pay-in adds to the ledger; a pay-out is held in \`pendingPayouts\` from acceptance and leaves the ledger when it completes (released when it fails). \`availableBalance\` = \`ledgerBalance\` − \`pendingPayouts\`. A pay-out larger than the available balance is still accepted with HTTP 200 but answered ${showText(insufficient)} at once, and its callback is sent at once. A currency absent from \`balances\` has no balance API (E2022) and never limits pay-outs.

### Other decisions
- \`dupCheck: true\` refuses (E2046) a \`paymentRef\` the merchant used before on any pay-in or pay-out; without it, \`paymentRef\`s may repeat and the payref query returns them all, newest first. A payref query that finds nothing answers 422 E2029 rather than an empty array.
- \`processedAmount\` appears on every result (the amount once COMPLETED, otherwise 0), as the document's tables list it and its pay-out sample shows it; \`authzUrl\` and \`authzRef\` (\`AZ\` + txnId, a sandbox decision) appear on every pay-in result. \`merchantTraceData\` is echoed when it was sent, \`resultUrl\` always.
- \`txnId\` is a 12-digit number, unique across pay-ins and pay-outs.
- Request bodies larger than ${MAX_BODY_BYTES} bytes (1 MiB) are refused with HTTP 422 E3000 without being read. A method and path under \`/mxapi\` that is not one of these APIs is answered HTTP 404 E3000. A failure of the sandbox itself is answered HTTP 500 E9999.
- Checks run in this order, and the first failure answers: merchant (E0042, E1000, E1001), token header present (E2005), body is a JSON object (E3000), token matches (E2004), then the body's fields (E2045, E9998, E1022, E2022, E2020), then \`dupCheck\` (E2046).
- The appendix's login and MFA codes (E0000–E0013) and E1003 are never returned: no API here has a login or a redirect-URL setting.

### Magic words
Scenario rules decide outcomes from the merchant's \`paymentRef\`: a word anywhere in it, case-sensitive, rules tried top to bottom, the first match wins. Rules you add (\`PUT /_sandbox/scenarios\`, \`--scenarios\`, \`sandbox.scenarios.use()\`) are tried before these built-in ones.

${magicWordsTable()}

## Errors
Every refusal is HTTP 422 (404 for an unknown route, 500 for a sandbox failure) with \`Content-Type: application/json\` and the body \`{"msgCode": "…", "msgText": "…"}\`, the text verbatim from the document's appendix:

${errorTable()}
`
}

// ---------------------------------------------------------------------------------------------
// Schemas

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` })

function paymentRequestSchema(kind: Kind): SchemaObject {
  const payInfoRequired = kind === 'payin'
  return {
    type: 'object',
    description: `The ${kind === 'payin' ? 'pay-in' : 'pay-out'} request body (the document's "Request Body" table). Fields not listed are accepted and ignored, but a token recipe may name them.`,
    required: [
      'channelCode',
      'accountId',
      'requestSalt',
      'txnAmount',
      'txnCurrency',
      'paymentRef',
      'resultUrl',
      'callbackUrl',
      ...(payInfoRequired ? ['payInfo'] : []),
      'endUserInfo',
    ],
    properties: {
      channelCode: {
        type: 'string',
        enum: Object.keys(CHANNELS),
        description: "Direct payment channel selection code; one of the merchant's `channels` (E9998 otherwise).",
      },
      accountId: {
        type: ['string', 'integer'],
        pattern: '^\\d{10}$',
        description:
          "Assigned account ID, numeric, 10 digits; must equal the merchant's `accountId` setting (E1022). A JSON number is accepted too.",
      },
      requestSalt: {
        type: 'string',
        description:
          'Any string of any length, different for every request (the document suggests the current time in milliseconds). Part of the default `payment` token recipe.',
      },
      txnAmount: {
        type: ['number', 'string'],
        exclusiveMinimum: 0,
        pattern: '^\\d+(\\.\\d+)?$',
        description:
          "The amount, at most 2 decimal places, within the channel's limits (E2020). A numeric string is accepted too; it is echoed back as a number.",
      },
      txnCurrency: { type: 'string', description: 'Currency of the payment; one the channel accepts (E2022).' },
      paymentRef: {
        type: 'string',
        minLength: 1,
        description:
          'Your own transaction identifier (E2045 when missing or empty). Magic words in it choose the outcome (see the description).',
      },
      paymentDesc: { type: 'string', description: 'A description of the transaction.' },
      dupCheck: {
        type: ['boolean', 'string'],
        enum: [true, false, 'true', 'false'],
        default: false,
        description: 'When true, a `paymentRef` this merchant used before is refused with E2046.',
      },
      merchantTraceData: { type: 'string', description: 'Echoed back in the result, the callback and queries.' },
      resultUrl: {
        type: 'string',
        format: 'uri',
        pattern: '^[Hh][Tt][Tt][Pp][Ss]?://\\S+$',
        description: 'Where the hosted page sends the customer (303) after Approve or Decline; echoed back.',
      },
      callbackUrl: {
        type: 'string',
        format: 'uri',
        pattern: '^[Hh][Tt][Tt][Pp][Ss]?://\\S+$',
        description: 'Where the callback is POSTed when the transaction is final.',
      },
      payInfo: ref('PayInfo'),
      endUserInfo: ref('EndUserInfo'),
    },
    additionalProperties: true,
  }
}

function payInfoSchema(): SchemaObject {
  const lines = Object.values(CHANNELS).flatMap((c) =>
    (['payinSpecs', 'payoutSpecs'] as const).map((side) => {
      const fields = c[side].requiredPayInfo?.map((f) => `\`${f.fieldName}\``).join(', ') || 'nothing'
      return `- ${c.channelCode} ${side === 'payinSpecs' ? 'pay-in' : 'pay-out'}: requires ${fields}${c[side].validateBankCode ? `; \`bankCode\` one of ${c.banks.map((b) => b.bankCode).join(', ')}` : ''}`
    }),
  )
  return {
    type: 'object',
    description: `Key-value pairs the channel needs (\`GET /mxapi/{merchantId}/channelspecs/{channelCode}\` lists them). A required field that is missing or empty answers E9998.\n\n${lines.join('\n')}`,
    properties: {
      bankCode: { type: 'string' },
      bankName: { type: 'string' },
      bankAccountNumber: { type: 'string' },
      bankAccountName: { type: 'string' },
      bankRoutingCode: { type: 'string' },
    },
    additionalProperties: true,
  }
}

function endUserInfoSchema(): SchemaObject {
  const nonEmpty = (description: string): SchemaObject => ({ type: 'string', minLength: 1, description })
  return {
    type: 'object',
    description: 'User information. A required field that is missing, not text or empty answers E9998.',
    required: ['ipAddress', 'firstName', 'lastName', 'phoneNumber', 'emailAddress'],
    properties: {
      identifier: { type: 'string', description: 'User identifier.' },
      ipAddress: nonEmpty('User IP address.'),
      firstName: nonEmpty('User first name.'),
      lastName: nonEmpty('User last name.'),
      phoneNumber: nonEmpty('User phone number.'),
      emailAddress: nonEmpty('User email address.'),
      address: ref('Address'),
    },
    additionalProperties: true,
  }
}

function addressSchema(): SchemaObject {
  return {
    type: 'object',
    description: 'Optional; when sent, every field is required (E9998 otherwise).',
    required: ['addressLine1', 'cityTown', 'stateProv', 'country', 'postalCode'],
    properties: {
      addressLine1: { type: 'string', description: 'Physical address.' },
      cityTown: { type: 'string', description: 'City or town.' },
      stateProv: { type: 'string', description: 'State or province.' },
      country: { type: 'string', pattern: '^[A-Za-z]{2}$', description: '2-letter country code.' },
      postalCode: { type: 'string', description: 'Postal code.' },
    },
    additionalProperties: true,
  }
}

/** The result object, keys in the exact order `renderTxn` writes them. */
function resultSchema(kind: Kind): SchemaObject {
  const { statuses, codes } = producedValues()
  const properties: Record<string, SchemaObject | ReferenceObject> = {
    txnType: { type: 'string', const: kind === 'payin' ? 'PAY-IN' : 'PAY-OUT' },
    txnId: {
      type: 'integer',
      description: "The sandbox's transaction identifier: a JSON number (12 digits), as in the document's sample.",
    },
    status: { type: 'string', enum: statuses, description: 'The status (see the status tables in the description).' },
    statusTimeStamp: {
      type: 'integer',
      description:
        'Time of the latest status change: Unix seconds by default, milliseconds when the merchant setting `statusTimeStampUnit` is `"milliseconds"`. Spelled as in the document\'s samples.',
    },
    paymentRef: { type: 'string', description: 'The payment reference you sent.' },
    txnResultCode: {
      type: 'string',
      enum: codes,
      description:
        "The result code (`INSUFFICENT_FUNDS` spelled as in the document). A scenario rule's `native` may set another.",
    },
    txnResultMessage: { type: 'string', description: 'A description of the result code.' },
    amount: { type: 'number', description: 'The requested amount, as a number.' },
  }
  properties.processedAmount = {
    type: 'number',
    description: `The amount ${kind === 'payin' ? 'received' : 'sent'}: equal to \`amount\` once COMPLETED, otherwise 0.`,
  }
  properties.currency = { type: 'string', description: 'The requested currency.' }
  if (kind === 'payin') {
    properties.authzUrl = {
      type: 'string',
      format: 'uri',
      description:
        'The hosted page where the customer approves or declines: `{base URL the request came to}/mxapi/authz/{txnId}`.',
    }
    properties.authzRef = {
      type: 'string',
      description: 'Reference number of the authorisation: `AZ` followed by the txnId.',
      'x-sandbox-decision':
        'The document names authzRef "Reference number" without a format; the real provider may send another reference (often the channel\'s own), or none.',
    } as SchemaObject
  }
  properties.merchantTraceData = { type: 'string', description: 'Echoed when the request had it.' }
  properties.resultUrl = {
    type: 'string',
    format: 'uri',
    description:
      "The request's `resultUrl` (the sandbox always has one: the request requires it; the document's own samples omit it).",
  }
  const required = Object.keys(properties).filter((k) => k !== 'merchantTraceData' && k !== 'resultUrl')
  return {
    type: 'object',
    description: `The ${kind === 'payin' ? 'pay-in' : 'pay-out'} result object: the HTTP 200 answer, the callback body, and each query result. Keys come in the order listed.`,
    required,
    properties,
    additionalProperties: false,
  }
}

function errorSchema(): SchemaObject {
  return {
    type: 'object',
    description: `The error envelope (HTTP 422, also 404 and 500).\n\n${errorTable()}`,
    required: ['msgCode', 'msgText'],
    properties: {
      msgCode: { type: 'string', enum: Object.keys(ERRORS) },
      msgText: {
        type: 'string',
        enum: [...new Set(Object.values(ERRORS))],
        description: 'The appendix text for `msgCode`, verbatim.',
      },
    },
    additionalProperties: false,
  }
}

function channelSideSchema(): SchemaObject {
  const field: SchemaObject = {
    type: 'object',
    required: ['fieldName', 'description'],
    properties: { fieldName: { type: 'string' }, description: { type: 'string' } },
  }
  return {
    type: 'object',
    required: [
      'enabled',
      'minTxnAmount',
      'maxTxnAmount',
      'requiredEndUserInfo',
      'requiredPayInfo',
      'validateBankCode',
      'bankCodeRequired',
    ],
    properties: {
      enabled: { type: 'boolean' },
      minTxnAmount: { type: 'number' },
      maxTxnAmount: { type: 'number' },
      requiredEndUserInfo: { type: 'array', items: field },
      requiredPayInfo: { type: ['array', 'null'], items: field },
      validateBankCode: { type: 'boolean' },
      bankCodeRequired: { type: 'boolean' },
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Operations

function authHeader(recipe: RecipeName, example: string, name = 'X-paymesh-authz', required = true): ParameterObject {
  const r = recipes(defaultMerchant())[recipe]
  return {
    name,
    in: 'header',
    required,
    description: `Hex SHA-256 token, recipe \`${recipe}\`: ${tick(recipeText(r))} by default (merchant setting \`tokenRecipes.${recipe}\`). Hex case is ignored. Missing: E2005; wrong: E2004.`,
    schema: { type: 'string', pattern: '^[0-9A-Fa-f]{64}$' },
    example,
  }
}

function merchantIdParam(): ParameterObject {
  return {
    name: 'merchantId',
    in: 'path',
    required: true,
    description: 'Your merchant ID (digits; E0042 otherwise).',
    schema: { type: 'string', pattern: '^\\d+$' },
    example: defaultMerchant().id,
  }
}

function errorExamples(codes: ErrorCode[]): Record<string, ExampleObject> {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      { summary: `${ERRORS[code]} — ${ERROR_WHEN[code]}`, value: { msgCode: code, msgText: ERRORS[code] } },
    ]),
  )
}

function refusals(codes: ErrorCode[]): Record<string, ResponseObject> {
  return {
    '422': {
      description: `Refused. Codes this API answers with: ${codes.map(tick).join(', ')}.`,
      content: { 'application/json': { schema: ref('Error'), examples: errorExamples(codes) } },
    },
    '500': {
      description: 'The sandbox failed (E9999); the journal entry has the details.',
      content: { 'application/json': { schema: ref('Error'), example: { msgCode: 'E9999', msgText: ERRORS.E9999 } } },
    },
  }
}

function paymentOperation(kind: Kind): OperationObject {
  const sample = kind === 'payin' ? SEED_PAYIN : SEED_PAYOUT
  const token = tokenFor('payment', sample)
  const accepted = kind === 'payin' ? sampleResult('payin', 'pending') : sampleResult('payout', 'processing')
  const examples: Record<string, ExampleObject> =
    kind === 'payin'
      ? {
          accepted: {
            summary: "The sandbox's answer to the document's sample request (FORAUTHZ, with authzUrl)",
            value: accepted,
          },
          seedSample: {
            summary: "The document's own sample response",
            value: {
              txnType: 'PAY-IN',
              txnId: Number(SEED_TXN_ID),
              status: 'COMPLETED',
              statusTimeStamp: 1669868124,
              paymentRef: SEED_PAYREF,
              txnResultCode: 'SUCCESS',
              txnResultMessage: 'successful',
              amount: 1000,
              currency: 'CNY',
              authzUrl: 'https://paymentredirectlink.com/paymentxyz',
            },
          },
        }
      : {
          accepted: { summary: "The sandbox's answer to the document's sample request (INPROCESS)", value: accepted },
          insufficientFunds: {
            summary: 'A pay-out above the available balance: FAILED / INSUFFICENT_FUNDS at once',
            value: sampleResult('payout', 'declined', 'INSUFFICENT_FUNDS'),
          },
          seedSample: {
            summary: "The document's own sample response",
            value: {
              txnType: 'PAY-OUT',
              txnId: Number(SEED_TXN_ID),
              status: 'INPROCESS',
              statusTimeStamp: 1669868124,
              paymentRef: SEED_PAYREF,
              txnResultCode: 'SUCCESS',
              txnResultMessage: 'successful',
              amount: 100,
              processedAmount: 0,
              currency: 'USD',
            },
          },
        }
  const parameters: ParameterObject[] = [merchantIdParam()]
  if (kind === 'payin') parameters.push(authHeader('payment', token))
  else
    parameters.push(
      {
        ...authHeader('payment', token, 'X-paymesh-authz', false),
        description: `${authHeader('payment', token).description} One of \`X-paymesh-authz\` or \`X-paypath-authz\` is required; \`X-paymesh-authz\` wins when both are sent.`,
      },
      {
        ...authHeader('payment', token, 'X-paypath-authz', false),
        description:
          'The same token under the header name the document\'s pay-out section gives ("X-paypath-authz"); accepted on pay-out only.',
      },
    )
  return {
    operationId: kind === 'payin' ? 'payIn' : 'payOut',
    tags: ['Payments'],
    summary:
      kind === 'payin' ? 'Pay in: accept a payment on a channel' : 'Pay out: withdraw to a bank account on a channel',
    description:
      kind === 'payin'
        ? `Creates a pay-in. Answered ${showText(shows('payin', 'pending'))} with an \`authzUrl\` to send the customer to; the final result comes by callback (${showText(shows('payin', 'approved'))} once the customer approves at \`authzUrl\`). Magic words in \`paymentRef\` change the outcome.`
        : `Creates a pay-out. Answered ${showText(shows('payout', 'processing'))}, as in the document's sample; the final result comes by callback (by default ${showText(shows('payout', 'approved'))} after 2 s). A pay-out above the available balance is answered ${showText(shows('payout', 'INSUFFICENT_FUNDS'))}.`,
    parameters,
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: ref(kind === 'payin' ? 'PayInRequest' : 'PayOutRequest'),
          examples: {
            seedSample: {
              summary: "The document's sample request (it works against the default merchant)",
              value: sample,
            },
          },
        },
      },
    },
    responses: {
      '200': {
        description: 'Accepted.',
        content: { 'application/json': { schema: ref(kind === 'payin' ? 'PayInResult' : 'PayOutResult'), examples } },
      },
      ...refusals(PAYMENT_CODES),
      '503': {
        description:
          'Only when a scenario rule says `respond: { fault: http-503 }`: a gateway error page. (`fault: http-500` gives the same page with 500; `timeout` never answers; `reset` drops the connection; `empty` and `malformed` garble a processed answer; `latency` delays it.)',
        content: { 'text/html': { schema: { type: 'string' } } },
      },
    },
  }
}

function queryOperation(
  operationId: string,
  summary: string,
  description: string,
  params: ParameterObject[],
  recipe: RecipeName,
  tokenValues: Record<string, unknown>,
  codes: ErrorCode[],
  ok: ResponseObject,
): OperationObject {
  return {
    operationId,
    tags: ['Queries'],
    summary,
    description,
    parameters: [merchantIdParam(), ...params, authHeader(recipe, tokenFor(recipe, tokenValues))],
    responses: { '200': ok, ...refusals([...MERCHANT_CODES, ...codes]) },
  }
}

const json = (
  schema: SchemaObject | ReferenceObject,
  examples: Record<string, ExampleObject>,
): ResponseObject['content'] => ({ 'application/json': { schema, examples } })

function bankCodesExample(code: string) {
  const c = CHANNELS[code]
  return {
    channelCode: c.channelCode,
    supportedCurrency: c.currency,
    payinBankCodeRequired: c.payinSpecs.bankCodeRequired,
    payoutBankCodeRequired: c.payoutSpecs.bankCodeRequired,
    message: null,
    banks: c.banks,
  }
}

function channelSpecsExample(code: string) {
  const c = CHANNELS[code]
  return { channelCode: c.channelCode, currency: c.currency, payinSpecs: c.payinSpecs, payoutSpecs: c.payoutSpecs }
}

function hostedPage(): Record<string, OperationObject> {
  const txnId: ParameterObject = {
    name: 'txnId',
    in: 'path',
    required: true,
    description: "The pay-in's `txnId`.",
    schema: { type: 'string', pattern: '^\\d+$' },
    example: FIRST_TXN_ID,
  }
  const html = (description: string): ResponseObject => ({
    description,
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  return {
    get: {
      operationId: 'authzPage',
      tags: ['Hosted page'],
      summary: 'The page behind authzUrl',
      description:
        'A sandbox page (not part of the document) showing the pay-in and, while it is not final, Approve and Decline buttons that POST `action` back to the same URL. No token.',
      parameters: [txnId],
      responses: { '200': html('The page.'), '404': html('No pay-in has this txnId.') },
    },
    post: {
      operationId: 'authzDecide',
      tags: ['Hosted page'],
      summary: 'Approve or decline the pay-in',
      description: `The customer's choice: \`approve\` makes the pay-in ${showText(shows('payin', 'approved'))}, \`decline\` makes it ${showText(shows('payin', 'declined'))}; the callback goes out at once and the browser is sent to the request's \`resultUrl\`.`,
      parameters: [txnId],
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: {
              type: 'object',
              required: ['action'],
              properties: { action: { type: 'string', enum: ['approve', 'decline'] } },
            },
            example: { action: 'approve' },
          },
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['action'],
              properties: { action: { type: 'string', enum: ['approve', 'decline'] } },
            },
          },
        },
      },
      responses: {
        '303': {
          description: "Decided; redirect to the request's `resultUrl`.",
          headers: { Location: { schema: { type: 'string', format: 'uri' }, example: SEED_PAYIN.resultUrl } },
        },
        '200': html('`action` is neither approve nor decline: the page again, with a notice.'),
        '404': html('No pay-in has this txnId.'),
        '409': html('The pay-in is already final: the page with its status and a notice; nothing changes.'),
        '422': {
          description: `The form is larger than ${MAX_BODY_BYTES} bytes (E3000).`,
          content: {
            'application/json': { schema: ref('Error'), example: { msgCode: 'E3000', msgText: ERRORS.E3000 } },
          },
        },
      },
    },
  }
}

/**
 * The Connecx OpenAPI 3.1 document: every route `routes.ts` serves, the callback as a webhook,
 * and the sandbox contract. Values (errors, channels, recipes, retries, merchant defaults, magic
 * words, statuses) are read from the code and the built-in scenario files, so it cannot drift.
 */
export function connecxOpenApi(): OpenAPIObject {
  const m = defaultMerchant()
  const currencyParam: ParameterObject = {
    name: 'currency',
    in: 'path',
    required: true,
    description: 'A currency the merchant holds a balance in (setting `balances`; E2022 otherwise).',
    schema: { type: 'string' },
    example: 'USD',
  }
  const channelParam: ParameterObject = {
    name: 'channelCode',
    in: 'path',
    required: true,
    description: "One of the merchant's channels (E9998 otherwise).",
    schema: { type: 'string', enum: Object.keys(CHANNELS) },
    example: 'USDMOCK-001',
  }
  const salt = (required: boolean, description: string): ParameterObject => ({
    name: 'requestSalt',
    in: 'query',
    required,
    description,
    schema: { type: 'string' },
    example: 'abc123',
  })
  const completedIn = sampleResult('payin', 'approved')
  const completedOut = sampleResult('payout', 'approved')
  const seedBalance = {
    currency: 'PHP',
    ledgerBalance: 1198,
    pendingPayouts: 0.0,
    availableBalance: 1198.0,
    asOfDate: '2024-07-18T16:48:40.707+00:00',
  }
  const opening = m.balances.USD

  const builder = OpenApiBuilder.create()
    .addTitle(`${connecx.title} (psp-sandbox)`)
    .addVersion('1.0.0')
    .addDescription(description())
    .addServer({
      url: LOCAL_SERVER,
      description: 'psp-sandbox started with `npm start` / `npx psp-sandbox` (default port)',
    })
  for (const host of connecx.hosts)
    builder.addServer({ url: host, description: 'Intercepted in-process by the `psp-sandbox/msw` handlers' })
  builder
    .addTag({ name: 'Payments', description: 'Pay-in and pay-out.' })
    .addTag({ name: 'Queries', description: 'Transaction, bank code, balance and channel specification queries.' })
    .addTag({ name: 'Hosted page', description: 'The sandbox page behind `authzUrl`.' })
    .addSchema('PayInRequest', paymentRequestSchema('payin'))
    .addSchema('PayOutRequest', paymentRequestSchema('payout'))
    .addSchema('PayInfo', payInfoSchema())
    .addSchema('EndUserInfo', endUserInfoSchema())
    .addSchema('Address', addressSchema())
    .addSchema('PayInResult', resultSchema('payin'))
    .addSchema('PayOutResult', resultSchema('payout'))
    .addSchema('TxnResult', {
      oneOf: [ref('PayInResult'), ref('PayOutResult')],
      discriminator: {
        propertyName: 'txnType',
        mapping: { 'PAY-IN': '#/components/schemas/PayInResult', 'PAY-OUT': '#/components/schemas/PayOutResult' },
      },
    })
    .addSchema('Error', errorSchema())
    .addSchema('BankCodes', {
      type: 'object',
      required: [
        'channelCode',
        'supportedCurrency',
        'payinBankCodeRequired',
        'payoutBankCodeRequired',
        'message',
        'banks',
      ],
      properties: {
        channelCode: { type: 'string' },
        supportedCurrency: {
          type: 'string',
          description: "The channel's own currency (CHNL-101 shows CNY although it also accepts USD).",
        },
        payinBankCodeRequired: { type: 'boolean' },
        payoutBankCodeRequired: { type: 'boolean' },
        message: { type: 'null' },
        banks: {
          type: 'array',
          items: {
            type: 'object',
            required: ['bankCode', 'bankName'],
            properties: { bankCode: { type: 'string' }, bankName: { type: 'string' } },
          },
        },
      },
    })
    .addSchema('Balance', {
      type: 'object',
      description:
        "Numbers are written as the document's sample writes them: `ledgerBalance` as an integer when it is one (`1198`), `pendingPayouts` and `availableBalance` always with a decimal point (`0.0`, `1198.0`). `asOfDate` is the sandbox clock's time in ISO 8601 with `+00:00`.",
      required: ['currency', 'ledgerBalance', 'pendingPayouts', 'availableBalance', 'asOfDate'],
      properties: {
        currency: { type: 'string' },
        ledgerBalance: { type: 'number' },
        pendingPayouts: { type: 'number' },
        availableBalance: { type: 'number', description: '`ledgerBalance` − `pendingPayouts`.' },
        asOfDate: { type: 'string', format: 'date-time' },
      },
    })
    .addSchema('ChannelSide', channelSideSchema())
    .addSchema('ChannelSpecs', {
      type: 'object',
      required: ['channelCode', 'currency', 'payinSpecs', 'payoutSpecs'],
      properties: {
        channelCode: { type: 'string' },
        currency: { type: 'string' },
        payinSpecs: ref('ChannelSide'),
        payoutSpecs: ref('ChannelSide'),
      },
    })
    .addPath('/mxapi/{merchantId}/bdpayin', { post: paymentOperation('payin') })
    .addPath('/mxapi/{merchantId}/bdpayout', { post: paymentOperation('payout') })
    .addPath('/mxapi/{merchantId}/txn/{txnId}', {
      get: queryOperation(
        'txnById',
        'Payment status by txnId',
        'The result object of one transaction of this merchant.',
        [
          {
            name: 'txnId',
            in: 'path',
            required: true,
            description:
              'The `txnId` from the pay-in/pay-out answer. (The example is the txnId a fresh sandbox gives the sample pay-in.)',
            schema: { type: 'string', pattern: '^\\d+$' },
            example: FIRST_TXN_ID,
          },
        ],
        'txn',
        { txnId: FIRST_TXN_ID },
        ['E2029'],
        {
          description: 'The transaction.',
          content: json(ref('TxnResult'), {
            payIn: { summary: 'A completed pay-in', value: completedIn },
            payOut: { summary: 'A completed pay-out', value: completedOut },
          }),
        },
      ),
    })
    .addPath('/mxapi/{merchantId}/txn/payref/{paymentRef}', {
      get: queryOperation(
        'txnByPaymentRef',
        'Payment status by paymentRef',
        'Every transaction of this merchant with this `paymentRef`, newest first (several when `dupCheck` was off). None found: 422 E2029, not an empty array.',
        [
          {
            name: 'paymentRef',
            in: 'path',
            required: true,
            description:
              "Your payment reference (URL-encoded in the path; the token uses the decoded value). The example is the sample requests' `paymentRef`.",
            schema: { type: 'string' },
            example: SEED_PAYIN.paymentRef,
          },
        ],
        'payref',
        { paymentRef: SEED_PAYIN.paymentRef },
        ['E2029'],
        {
          description: 'The transactions, newest first.',
          content: json(
            { type: 'array', minItems: 1, items: ref('TxnResult') },
            {
              twoTransactions: {
                summary: 'A pay-out and a pay-in sharing a paymentRef',
                value: [completedOut, completedIn],
              },
            },
          ),
        },
      ),
    })
    .addPath('/mxapi/{merchantId}/bankcodes/{channelCode}', {
      get: queryOperation(
        'bankCodes',
        'List of bank codes of a channel',
        'The valid bank identifiers of a channel assigned to the merchant.',
        [
          channelParam,
          salt(
            false,
            "Listed by the document as a request parameter; accepted and not part of the token (the document's token list omits it).",
          ),
        ],
        'bankcodes',
        { channelCode: 'USDMOCK-001' },
        ['E9998'],
        {
          description: 'The channel and its banks.',
          content: json(
            ref('BankCodes'),
            Object.fromEntries(Object.keys(CHANNELS).map((c) => [c, { value: bankCodesExample(c) }])),
          ),
        },
      ),
    })
    .addPath('/mxapi/{merchantId}/balance/{currency}', {
      get: queryOperation(
        'balance',
        'Merchant balance',
        'The merchant\'s balance in one currency, moved by completed pay-ins and by pay-outs (see "Balances" in the description).',
        [currencyParam, salt(true, 'Part of the token; a missing one counts as empty text.')],
        'balance',
        { currency: 'USD', requestSalt: 'abc123' },
        ['E2022'],
        {
          description: 'The balance.',
          content: json(ref('Balance'), {
            defaultMerchant: {
              summary: "The default merchant's opening USD balance",
              value: {
                currency: 'USD',
                ledgerBalance: opening,
                pendingPayouts: 0.0,
                availableBalance: opening,
                asOfDate: '2024-07-18T16:48:40.707+00:00',
              },
            },
            seedSample: { summary: "The document's sample", value: seedBalance },
          }),
        },
      ),
    })
    .addPath('/mxapi/{merchantId}/channelspecs/{channelCode}', {
      get: queryOperation(
        'channelSpecs',
        'Channel specifications',
        "What a channel requires for pay-ins and pay-outs. (The document's sample URL asks for `mock001`; the sandbox knows the channel only as `USDMOCK-001`.)",
        [channelParam, salt(true, 'Part of the token; a missing one counts as empty text.')],
        'channelspecs',
        { channelCode: 'USDMOCK-001', requestSalt: 'abc123' },
        ['E9998'],
        {
          description: 'The channel specification.',
          content: json(
            ref('ChannelSpecs'),
            Object.fromEntries(Object.keys(CHANNELS).map((c) => [c, { value: channelSpecsExample(c) }])),
          ),
        },
      ),
    })
    .addPath('/mxapi/authz/{txnId}', hostedPage())
    .addWebhook('transactionResult', {
      post: {
        operationId: 'transactionResultCallback',
        summary: 'Callback: the final result, POSTed to callbackUrl',
        description: `Sent when the transaction becomes COMPLETED, CANCELLED or FAILED. The body is the result object, byte for byte as the answers render it. Acknowledge with ${connecxCallbacks.ackRule}; otherwise it is retried after ${connecxCallbacks.retrySchedule.join(', ')}, then given up. A scenario step with \`callback: { signature: invalid }\` sends a wrong token, \`copies: N\` sends it N times.`,
        parameters: [
          {
            name: 'X-paymesh-authz',
            in: 'header',
            required: true,
            description: `Hex SHA-256 (lowercase), recipe \`callback\`: ${tick(recipeText(recipes(m).callback))} by default (merchant setting \`tokenRecipes.callback\`; a field name may also be any key of the body).`,
            schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            example: tokenFor('callback', { ...completedIn, txnId: FIRST_TXN_ID }),
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: ref('TxnResult'),
              examples: {
                payInCompleted: { value: completedIn },
                payInDeclined: {
                  summary: 'Declined on the hosted page or by the DECLINE magic word',
                  value: sampleResult('payin', 'declined', 'DECLINED'),
                },
                payOutCompleted: { value: completedOut },
                payOutInsufficientFunds: { value: sampleResult('payout', 'declined', 'INSUFFICENT_FUNDS') },
                payInTimedOut: { value: sampleResult('payin', 'expired') },
              },
            },
          },
        },
        responses: {
          '2XX': { description: 'Acknowledged; no further attempts.' },
          default: {
            description: 'Not acknowledged (or no answer within the callback timeout): retried on the schedule above.',
          },
        },
      },
    })
  return builder.getSpec()
}
