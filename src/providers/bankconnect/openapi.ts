import { OpenApiBuilder, type OpenAPIObject, type SchemaObject } from 'openapi3-ts/oas31'
import { MAX_BODY_BYTES } from '../../engine/http.js'
import { builtInScenario } from '../kit/scenarios.js'
import { bankconnectCallbacks } from './callbacks.js'
import { encryptBankconnect, bankconnectUserToken } from './crypto.js'
import {
  APP_ERRORS,
  DEFAULT_MERCHANT,
  FIELDS,
  INVALID_API_KEY,
  MAX_PAYOUTS_PER_REQUEST,
  NATIVE_STATUSES,
  PAYMENT_CODES,
  settings,
} from './wire.js'

/** The seed's "Decrypted Payout Request Example" (the PDF's line breaks removed). */
const SEED_REQUEST_JSON =
  '[{"order_id":"93893832223","bank":"0","trx_type":"NEFT","payeename":"Test","bnf_nick_name":"test","amount":"1.00","account_no":"893338378373","ifsc":"SBINXXXXXXX","address1":"madanpur","city":"saritavihar","state":"delhi","pincode":"110076","email":"m@gmail.com","phone":"9821593611"}]'
/** The seed's "Decrypted Payout Response Example". */
const SEED_RESPONSE_JSON =
  '[{"status":"SUCCESS","order_id":"93893832223","payment_code":"SUCC200","message":"","utr":"39389383983"}]'

const tick = (s: string | number) => `\`${s}\``

const builtIn = (name: string) => builtInScenario(name, 'bankconnect', Object.keys(NATIVE_STATUSES))

function magicTable(): string {
  const file = builtIn('bankconnect.yaml')
  if (!file) return '(scenarios/bankconnect.yaml could not be read)'
  const rows = file.rules.map((rule) => {
    const [field, cond] = Object.entries(rule.match ?? {})[0] ?? ['', '']
    const value =
      typeof cond === 'object' && cond !== null && 'contains' in cond
        ? `contains ${tick(String(cond.contains))}`
        : tick(String(cond))
    return `| ${tick(field.replace(/^request\./, ''))} | ${value} | ${(rule.name ?? '').replace(/^.*? — /, '')} |`
  })
  return ['| Field | Value | Result |', '|---|---|---|', ...rows].join('\n')
}

function fieldTable(): string {
  const rows = FIELDS.map(
    (f) =>
      `| ${tick(f.name)} | ${f.seedType} | ${f.seedMax} | ${f.required ? 'yes' : 'no'} | ${f.max}${f.max !== f.seedMax && f.name !== 'bank' ? ' (see below)' : ''} | ${f.shape ?? (f.kind === 'text' ? 'any text' : '')} |`,
  )
  return [
    '| Field | Seed type | Seed max | Required | Sandbox max | Shape |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n')
}

function description(): string {
  const m = settings(DEFAULT_MERCHANT)
  const retries = bankconnectCallbacks.retrySchedule
  return `Bankconnect payouts (bankconnect.online, seed document \`000_f1a373677fb21da2.txt\`, "API Integration Guide" v1.3) as psp-sandbox serves it. Point your integration's base URL at the sandbox; the paths are Bankconnect's own.

Every request is recorded in the journal (\`GET /_sandbox/journal?provider=bankconnect\`) with the auth verdict and, when a payload cannot be read, **which layer failed and what the sandbox expected** (e.g. "the ciphertext decrypted to text, but not to base64: did you skip the inner base64 step?").

## Sandbox contract

Where the seed is silent, the sandbox decides as follows.

### Default test account
Provisioned on every fresh start (merchant settings, changeable with \`PATCH /_sandbox/merchants/bankconnect/${m.merchantNo}\` or the config file): \`merchant_no\` ${tick(m.merchantNo)} (setting \`id\`), \`secretkey\` ${tick(m.secret)}, \`iv\` ${tick(m.iv)}, \`apiKey\` ${tick(m.apiKey)} (header \`X-API-KEY\`), \`basicUser\` ${tick(m.basicUser)} / \`basicPassword\` ${tick(m.basicPassword)} (HTTP Basic), so \`User-token\` is ${tick(bankconnectUserToken(m.merchantNo, m.secret))}.

### Encryption
\`enc_payout_json\` and the payout answer are \`base64_encode(openssl_encrypt(base64_encode($json), 'aes-128-ctr', md5($merchant_no . $secretkey), 0, $iv))\`: three base64 layers counting openssl's own. PHP uses only the **first 16 characters** of the md5 hex text, as ASCII, as the AES key; an IV that is not 16 bytes is NUL-padded or cut as PHP does. Decryption is as lenient as PHP's (characters outside the base64 alphabet are skipped and noted in the journal). CTR mode has no integrity check: a changed byte inside a string value can still decrypt to valid JSON, exactly as with the real provider.

### Authentication, in this order
1. \`X-API-KEY\` must be the \`apiKey\` of some merchant, else HTTP 403 \`{"status":false,"error":"${INVALID_API_KEY}"}\` (the key is never echoed).
2. \`Authorization: Basic\` must carry that merchant's \`basicUser:basicPassword\`, else HTTP 401 \`{"status":false,"error":"Unauthorized"}\` with \`WWW-Authenticate: Basic realm="REST API"\`. Note the seed's curl sample header decodes to other credentials (\`akonto_api_version_1:…\`); use the documented ones.
3. Payout only: \`User-token\` must be \`base64_encode(merchant_no . "::" . secretkey)\` of that merchant, else HTTP 200 \`{"status":"FAILED","payment_code":"SUCC202","message":"${APP_ERRORS.userToken}"}\`. The User-token chooses the merchant whose key and IV decrypt the payload.

Shapes of 1 and 2 are CodeIgniter RestServer's (inferred: \`X-API-KEY\` plus Basic auth is that library's pair; not confirmed for Bankconnect).

### Request-level refusals
After authentication, a request that cannot be processed at all is answered HTTP 200, \`Content-Type: application/json; charset=utf-8\`, **unencrypted**: \`{"status":"FAILED","payment_code":"SUCC202","message":"…"}\` (SUCC202 is the code the platform uses for every rejected request). Messages, in the order checked:

| message | when |
|---|---|
| ${Object.entries(APP_ERRORS)
    .filter(([k]) => !k.startsWith('status'))
    .map(([k, v]) => `${v} | ${REQUEST_WHEN[k] ?? ''}`)
    .join(' |\n| ')} |

Only \`multipart/form-data\` and \`application/x-www-form-urlencoded\` bodies are read; any other content type reads no field (so \`end_point_url is required\`), and the journal says why. A field sent as a file upload counts as missing (PHP puts it in \`$_FILES\`). \`customer_order_id\` is also read under the seed table's spelling \`Customer_order_id\`.

### Payout objects
\`enc_payout_json\` decrypts to a JSON array of 1 to ${MAX_PAYOUTS_PER_REQUEST} payout objects. Each is checked against the seed's table; the answer has **one entry per object, in order**, encrypted like the request: \`[{"status","order_id","payment_code","message","utr"}]\`.

${fieldTable()}

- Integer/Numeric fields accept a string of digits or a JSON number (a whole number must be exact in JSON); Text/String fields must be JSON strings. Lengths count characters.
- \`address1\`, \`city\`, \`state\`: at most 10 characters, as the seed's table says, although its own example sends \`"city":"saritavihar"\` (11 characters): the rule wins, so the example is refused (\`city must be at most 10 characters\`) unless the merchant setting \`relaxedRules\` lists \`address-max-length\` (then up to 50, with a journal note over 10).
- \`ifsc\`: 11 capital letters or digits, the first 4 letters. The seed's example \`SBINXXXXXXX\` is a placeholder without the real IFSC's \`0\` in fifth place; it is accepted with a journal note.
- \`email\` is not in the table but in the example: optional.
- \`order_id\` is digits only (the seed's type is Integer) and is echoed as a JSON string.
- A refused object is \`{"status":"FAILED","order_id":…,"payment_code":"SUCC202","message":"<field> is required" | "Invalid <field>" | "<field> must be at most N characters","utr":""}\` and creates nothing. An \`order_id\` the merchant used before (or earlier in the same request) is \`{"status":"FAILED",…,"payment_code":"ERR411","message":"Duplicate Order ID","utr":""}\`; other merchants may reuse it.
- An accepted object is answered \`{"status":"SUCCESS","payment_code":"SUCC200","message":""}\` ("submitted successfully", as the seed's example) with a fresh 11-digit \`utr\`, counting up from the seed's \`39389383983\` on a fresh start (so the seed's example answers the seed's response byte for byte).

### Statuses over time
A payout is SUCC201 (\`"status":"PENDING"\`, "${PAYMENT_CODES.SUCC201}") until it is final: SUCC200 (\`SUCCESS\`, message \`""\`) or SUCC202 (\`FAILED\`, "${PAYMENT_CODES.SUCC202}", or a scenario's \`native.message\`). Unless a scenario says otherwise it becomes SUCC200 2 s (clock time) after acceptance. A payout that times out does so after 30 minutes and shows SUCC202. Scenario files and \`POST /_sandbox/transactions/{id}/transition\` accept the native names ${Object.entries(
    NATIVE_STATUSES,
  )
    .map(([k, v]) => `${tick(k)} (${v})`)
    .join(', ')}; every neutral status that is not approved, pending or processing shows as SUCC202.

### Status API
\`POST /apisecure/payoutTransactionStatus\` with form fields \`merchant_no\`, \`secretkey\`, \`order_id\` and the \`X-API-KEY\` and Basic headers (no User-token, as in the seed's sample). It answers HTTP 200 with **one** entry as a plain JSON object (not an array, not encrypted), the merchant's newest payout with that \`order_id\`. Refusals use the same entry shape with SUCC202: "${APP_ERRORS.statusCredentials}" (merchant_no/secretkey wrong or missing), "${APP_ERRORS.statusOrderMissing}", "${APP_ERRORS.statusNotFound}".

### Callbacks
When a payout becomes final (SUCC200 or SUCC202; never for SUCC201), \`POST\` to the request's \`end_point_url\`, \`Content-Type: application/json\`, body written by \`json_encode\`: the status entry plus \`amount\` (exactly as the merchant sent it, string or number) and \`checksum\` = \`md5(merchant_no . order_id . amount . status . secretkey)\` with PHP's string conversion (\`"1.00"\` stays \`1.00\`; \`2500.5\` prints \`2500.5\`), e.g. \`{"status":"SUCCESS","order_id":"93893832223","payment_code":"SUCC200","message":"","utr":"39389383983","amount":"1.00","checksum":"3c11d70e253e2446779e0bc8227ab9c2"}\`. Acknowledged by ${bankconnectCallbacks.ackRule}. Otherwise retried after ${retries.map(tick).join(', ')} (clock time, ${retries.length + 1} attempts in all), then marked \`failed\`; \`POST /_sandbox/callbacks/{id}/redeliver\` sends it again. An \`end_point_url\` that is not an absolute http(s) URL (the seed's example sends \`enter_your_webhook_url\`) is accepted, and its callback is logged as refused; one pointing back at the sandbox is never called (loop guard).

### Other decisions
- Request bodies over ${MAX_BODY_BYTES} bytes get nginx's HTTP 413 HTML page without being read. Another method or path under \`/apisecure\` gets HTTP 404 \`{"status":false,"error":"Unknown method"}\`; a sandbox failure HTTP 500 \`{"status":false,"error":"Internal Server Error"}\`.
- The encrypted payout answer has \`Content-Type: text/html; charset=UTF-8\` (PHP's default for echoed text); JSON answers \`application/json; charset=utf-8\`.
- Amounts are INR.

### Magic values
Bankconnect's \`order_id\` is digits only, so the common magic words (DECLINE, FAIL, PENDING, TIMEOUT, HANG, SLOW) work in \`payeename\` instead, and these test account numbers work in \`account_no\` (\`scenarios/bankconnect.yaml\`, tried top to bottom; rules you add are tried first):

${magicTable()}
`
}

const REQUEST_WHEN: Record<string, string> = {
  userToken: 'the User-token header is missing or not base64(merchant_no::secretkey) of a merchant of this X-API-KEY',
  endPointUrlMissing: '`end_point_url` is missing or empty',
  endPointUrlInvalid: '`end_point_url` is longer than 256 characters',
  customerOrderId: '`customer_order_id` is longer than 20 characters',
  encMissing: '`enc_payout_json` is missing or empty',
  decrypt: "`enc_payout_json` does not decrypt with the merchant's key and IV (base64 layers, key or IV wrong)",
  json: 'it decrypts, but the result is not JSON',
  notList: 'the JSON is not a non-empty array',
  tooMany: `more than ${MAX_PAYOUTS_PER_REQUEST} payout objects`,
}

const entrySchema: SchemaObject = {
  type: 'object',
  required: ['status', 'order_id', 'payment_code', 'message', 'utr'],
  properties: {
    status: { type: 'string', enum: ['SUCCESS', 'PENDING', 'FAILED'] },
    order_id: { type: 'string' },
    payment_code: {
      type: 'string',
      enum: Object.keys(PAYMENT_CODES),
      description: Object.entries(PAYMENT_CODES)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; '),
    },
    message: { type: 'string' },
    utr: { type: 'string', description: 'Bank reference (11 digits); empty on a refused object.' },
  },
}

const appErrorSchema: SchemaObject = {
  type: 'object',
  required: ['status', 'payment_code', 'message'],
  properties: {
    status: { const: 'FAILED' },
    payment_code: { const: 'SUCC202' },
    message: {
      type: 'string',
      enum: Object.values(APP_ERRORS).filter((v) => !/merchant credentials|order_id is required|not found/.test(v)),
    },
  },
}

const restErrorSchema: SchemaObject = {
  type: 'object',
  required: ['status', 'error'],
  properties: { status: { const: false }, error: { type: 'string' } },
}

const authHeaders = (withToken: boolean) => [
  {
    name: 'X-API-KEY',
    in: 'header' as const,
    required: true,
    schema: { type: 'string' as const },
    example: DEFAULT_MERCHANT.apiKey,
  },
  {
    name: 'Authorization',
    in: 'header' as const,
    required: true,
    schema: { type: 'string' as const },
    example: `Basic ${Buffer.from(`${DEFAULT_MERCHANT.basicUser}:${DEFAULT_MERCHANT.basicPassword}`).toString('base64')}`,
  },
  ...(withToken
    ? [
        {
          name: 'User-token',
          in: 'header' as const,
          required: true,
          schema: { type: 'string' as const },
          example: bankconnectUserToken(DEFAULT_MERCHANT.id, String(DEFAULT_MERCHANT.secretkey)),
        },
      ]
    : []),
]

const authResponses = {
  '401': {
    description: 'Basic auth missing or wrong (`WWW-Authenticate: Basic realm="REST API"`).',
    content: {
      'application/json; charset=utf-8': { schema: restErrorSchema, example: { status: false, error: 'Unauthorized' } },
    },
  },
  '403': {
    description: 'X-API-KEY missing or unknown.',
    content: {
      'application/json; charset=utf-8': {
        schema: restErrorSchema,
        example: { status: false, error: INVALID_API_KEY },
      },
    },
  },
  '404': {
    description: 'No such method or path.',
    content: {
      'application/json; charset=utf-8': {
        schema: restErrorSchema,
        example: { status: false, error: 'Unknown method' },
      },
    },
  },
  '413': {
    description: "Body over 1 MiB: nginx's HTML page.",
    content: { 'text/html': { schema: { type: 'string' as const } } },
  },
}

/** The Bankconnect OpenAPI 3.1 document. */
export function bankconnectOpenApi(): OpenAPIObject {
  const m = settings(DEFAULT_MERCHANT)
  const creds = { merchantNo: m.merchantNo, secret: m.secret, iv: m.iv }
  const formSchema: SchemaObject = {
    type: 'object',
    required: ['end_point_url', 'enc_payout_json'],
    properties: {
      end_point_url: { type: 'string', maxLength: 256, description: 'Where the callbacks go.' },
      customer_order_id: { type: 'string', maxLength: 20, description: 'Optional; to tell sub-merchants apart.' },
      enc_payout_json: {
        type: 'string',
        description: 'The encrypted JSON array of payout objects (see the description).',
        example: encryptBankconnect(SEED_REQUEST_JSON, creds),
      },
    },
  }
  return new OpenApiBuilder()
    .addOpenApiVersion('3.1.0')
    .addInfo({ title: 'Bankconnect payouts (psp-sandbox)', version: '1.3', description: description() })
    .addServer({ url: 'http://localhost:8080', description: 'psp-sandbox' })
    .addServer({ url: 'https://www.bankconnect.online', description: 'Bankconnect (real)' })
    .addPath('/apisecure/payoutTransactionSecureIV', {
      post: {
        operationId: 'payoutTransactionSecureIV',
        summary: 'Submit encrypted payouts',
        parameters: authHeaders(true),
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': { schema: formSchema },
            'application/x-www-form-urlencoded': { schema: formSchema },
          },
        },
        responses: {
          '200': {
            description: `The encrypted JSON array of entries, one per payout object (decrypted: e.g. \`${SEED_RESPONSE_JSON}\`), or a plain JSON request-level refusal.`,
            content: {
              'text/html; charset=UTF-8': {
                schema: { type: 'string' },
                example: encryptBankconnect(SEED_RESPONSE_JSON, creds),
              },
              'application/json; charset=utf-8': {
                schema: appErrorSchema,
                example: { status: 'FAILED', payment_code: 'SUCC202', message: APP_ERRORS.decrypt },
              },
            },
          },
          ...authResponses,
        },
        callbacks: {
          payoutResult: {
            '{$request.body#/end_point_url}': {
              post: {
                requestBody: {
                  content: {
                    'application/json': {
                      schema: {
                        ...entrySchema,
                        required: [...(entrySchema.required ?? []), 'amount', 'checksum'],
                        properties: {
                          ...entrySchema.properties,
                          amount: { type: ['string', 'number'] },
                          checksum: {
                            type: 'string',
                            description: 'md5(merchant_no . order_id . amount . status . secretkey)',
                          },
                        },
                      },
                      example: {
                        status: 'SUCCESS',
                        order_id: '93893832223',
                        payment_code: 'SUCC200',
                        message: '',
                        utr: '39389383983',
                        amount: '1.00',
                        checksum: '3c11d70e253e2446779e0bc8227ab9c2',
                      },
                    },
                  },
                },
                responses: { '200': { description: 'Any 2xx acknowledges.' } },
              },
            },
          },
        },
      },
    })
    .addPath('/apisecure/payoutTransactionStatus', {
      post: {
        operationId: 'payoutTransactionStatus',
        summary: "A payout's status",
        parameters: authHeaders(false),
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['merchant_no', 'secretkey', 'order_id'],
                properties: {
                  merchant_no: { type: 'string', example: m.merchantNo },
                  secretkey: { type: 'string', example: m.secret },
                  order_id: { type: 'string', example: '93893832223' },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'One entry, plain JSON.',
            content: {
              'application/json; charset=utf-8': {
                schema: entrySchema,
                example: {
                  status: 'PENDING',
                  order_id: '93893832223',
                  payment_code: 'SUCC201',
                  message: PAYMENT_CODES.SUCC201,
                  utr: '39389383983',
                },
              },
            },
          },
          ...authResponses,
        },
      },
    })
    .getSpec()
}
