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
 * The prose of the Connecx OpenAPI document: the seed's samples, the tables of magic words,
 * channels, token recipes, statuses and error codes, computed from the code they describe.
 */

/**
 * The seed's "PAY IN" sample request, in the currency CHNL-101's specs name (CNY): the sample as
 * printed sends USD, which the sandbox refuses (E2022) unless the merchant relaxes
 * `channel-currency`.
 */
export const SEED_PAYIN = {
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
export const SEED_PAYOUT = {
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
export const SEED_TXN_ID = '176272727440'
/** The txnId of the first transaction of a fresh sandbox (the seed's sample id + 1), so the query examples find the sample pay-in. */
export const FIRST_TXN_ID = String(Number(SEED_TXN_ID) + 1)
const SEED_TIMESTAMP_MS = 1669868124 * 1000
export const SEED_PAYREF = 'PREF-1659501526442'
export const LOCAL_SERVER = 'http://127.0.0.1:8080'

/** When the sandbox answers each code. Typed by `ERRORS`, so a new code cannot go undocumented. */
export const ERROR_WHEN: Record<ErrorCode, string> = {
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
export const MERCHANT_CODES: ErrorCode[] = ['E0042', 'E1000', 'E1001', 'E2005', 'E2004']
export const PAYMENT_CODES: ErrorCode[] = [
  ...MERCHANT_CODES,
  'E3000',
  'E2045',
  'E9998',
  'E1022',
  'E2022',
  'E2020',
  'E2046',
]

export type Kind = 'payin' | 'payout'

export function defaultMerchant(): ConnecxMerchant {
  return DEFAULT_MERCHANT
}

export function recipes(merchant: ConnecxMerchant): Record<RecipeName, readonly string[]> {
  return { ...DEFAULT_RECIPES, ...merchant.tokenRecipes }
}

export const recipeText = (recipe: readonly string[]) => `sha256_hex(${recipe.join(' + ')})`
export const tick = (s: string | number) => `\`${s}\``

/** The token the default merchant sends for `values`, as the routes compute it. */
export function tokenFor(recipe: RecipeName, values: Record<string, unknown>): string {
  const m = defaultMerchant()
  return connecxToken(recipeParts(recipes(m)[recipe], { ...values, merchantId: m.id, apiKey: m.apiKey }))
}

/** A transaction as the sandbox would hold it after the seed's sample request, rendered by `renderTxn`. */
export function sampleResult(kind: Kind, status: NeutralStatus, nativeStatus?: string): Record<string, unknown> {
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
export function shows(kind: Kind, name: string): { status: string; txnResultCode: string; txnResultMessage: string } {
  const neutral = (NEUTRAL_STATUSES as readonly string[]).includes(name)
    ? (name as NeutralStatus)
    : NATIVE_STATUSES[name]
  const native = neutral === name ? undefined : name
  const data: ConnecxTxnData = { txnAmount: 1, origin: LOCAL_SERVER }
  return nativeState(sampleTx(kind, neutral, native, data, defaultMerchant()))
}

/** Every `status` and `txnResultCode` the code can produce for either kind and any status name. */
export function producedValues(): { statuses: string[]; codes: string[] } {
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

export const showText = (s: { status: string; txnResultCode: string }) => `${s.status} / ${s.txnResultCode}`

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

export function errorTable(): string {
  const rows = (Object.keys(ERRORS) as ErrorCode[]).map(
    (code) => `| ${tick(code)} | ${ERRORS[code]} | ${ERROR_WHEN[code]} |`,
  )
  return ['| msgCode | msgText | Returned when |', '|---|---|---|', ...rows].join('\n')
}

export function openApiDescription(): string {
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
