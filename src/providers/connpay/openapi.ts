import {
  OpenApiBuilder,
  type OpenAPIObject,
  type OperationObject,
  type ResponseObject,
  type SchemaObject,
} from 'openapi3-ts/oas31'
import { MAX_BODY_BYTES } from '../../engine/http.js'
import { RETRY_SCHEDULE } from './callbacks.js'
import {
  DEFAULT_MERCHANT,
  ERROR_CODES,
  NATIVE_STATUSES,
  NEUTRAL_TO_NATIVE,
  PAYOUT_FIELDS,
  PAYOUT_REQUIRED,
  STATUS_ERRORS,
  EXPIRED_MESSAGE,
} from './model.js'
import { ACCESS_DENIED_HTML, RESPONSE_CONTENT_TYPE } from './wire.js'

const SEED_SUCCESS =
  'type=async-response\n&serial-number=00000000-0000-0000-0000-000002e2c322\n&merchant-order-id=1\n&paynet-order-id=6982864\n&end-point-id=39915'
const SEED_REQUEST =
  'account_name=1234&account_number=1234&amount=10.42&client_orderid=1&currency=USD&routing_number=15&server_callback_url=https%3A%2F%2Fhttpstat.us%2F200'

const tick = (s: string | number) => `\`${s}\``

/** The sandbox-contract decisions, in words: also the README section's source. */
const SANDBOX_CONTRACT = [
  `Default merchant: login / oauth_consumer_key ${tick(DEFAULT_MERCHANT.id)} (the engine's merchant id), endpoint ${tick(DEFAULT_MERCHANT.endpoints[0])}, group ${tick(DEFAULT_MERCHANT.endpointGroups[0])} routed to endpoint ${tick(DEFAULT_MERCHANT.groupEndpoint)}, public key = vectors/connpay-test-merchant.pub.pem, control key ${tick(DEFAULT_MERCHANT.controlKey)}. Settings (PATCH /_sandbox/merchants/connpay/TestMerchant): endpoints, endpointGroups, groupEndpoint, publicKey (PEM), controlKey, oauthTimestampWindowSeconds, oauthNonceReplayCheck, descriptor.`,
  'OAuth: RFC 5849 base string, RSASSA-PKCS1-v1_5 SHA-256; header parsed tolerantly (realm, any order, any spacing, quoted or bare values); body `+` and `%20` both mean space; an oauth_* parameter repeated with the same value in header and body counts once, with another value it is refused. The signature is accepted for the URL the request arrived at and for https://sandbox.connpay.com and https://gate.connpay.com with the same path (so clients that sign the real URL while sending to localhost work); the journal says which matched.',
  "Any OAuth failure (missing/malformed header, unknown consumer key, wrong key, other signature method, timestamp, nonce) answers HTTP 403 with the seed's \"Access is denied\" page byte for byte (517 bytes as the seed prints it; the seed's header says 735, whitespace lost in the document). The journal entry's auth explanation names the problem and shows the base string the sandbox computed (for each accepted URL) and, when a common client mistake reproduces the signature, the base string that client signed.",
  'Replay protection (not documented by ConnPay) is off by default: oauthTimestampWindowSeconds 0 means no timestamp check (so recorded requests and the vectors work), oauthNonceReplayCheck false. When on, they compare with the sandbox clock and refuse with the 403 page; a nonce is unique per consumer key and timestamp (RFC 5849 §3.3).',
  'Checks run in this order: OAuth (403), endpoint or group belongs to the login, then the seed table; the first failure answers. Errors are HTTP 200 `type=validation-error` or `type=error` with `serial-number`, `merchant-order-id` (when the request had one), `error-message`, `error-code`.',
  `error-code values (no catalogue is published): ${Object.entries(ERROR_CODES)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}. error-message texts are the sandbox's own wording in the style of "Parameter X is required".`,
  'Validation per the seed table: required client_orderid (or client-order-id; both present with different values is refused), amount (digits with an optional "." part, > 0, at most 10 characters), currency (three upper-case letters); every field of the table checked for its maximum (and minimum) length in characters, also under its "also can be sent as" alias; digits-only for credit_card_number, expire_month, expire_year, cvv2, customer_id, card_recurring_payment_id, recurring-payment-id; URLs must be absolute http(s); redirect_url with redirect_success_url/redirect_fail_url refused; card_recurring_payment_id with credit_card_number refused. "Numeric" fields that real data writes with other characters (receiver_birthday, receiver_zip_code, receiver_phone) are checked for length only. Unknown parameters are accepted and kept.',
  'Bodies: values trimmed, line breaks between pairs tolerated, a UTF-8 BOM ignored, invalid UTF-8 and stray "%" read leniently (noted in the journal); query-string parameters count too (servlet order: query first). A Content-Type other than application/x-www-form-urlencoded means the body is not read as parameters. No Content-Type: read as a form.',
  `Answers: HTTP 200, Content-Type ${tick(RESPONSE_CONTENT_TYPE)}, the seed's headers (Server, Vary, X-XSS-Protection, X-Content-Type-Options, Strict-Transport-Security twice, Content-Language), pairs joined by LF + "&", no LF after the last value (the seed's Content-Length 137 wins over research). Over a real socket the two Strict-Transport-Security headers arrive as one combined field (Node's HTTP server).`,
  "serial-number: `00000000-0000-0000-0000-` + 12 hex digits of a counter shared by every answer that has one; paynet-order-id: an increasing integer. Both start at the seed example's values (…000002e2c322, 6982864), so a fresh sandbox answers the seed's request with the seed's bytes.",
  `Statuses: a payout starts \`processing\`; without a matching rule it becomes \`approved\` 2 s (clock time) later. Native names ${Object.entries(
    NATIVE_STATUSES,
  )
    .map(([k, v]) => `${k}→${v}`)
    .join(', ')}; neutral statuses show as ${Object.entries(NEUTRAL_TO_NATIVE)
    .map(([k, v]) => `${k}→${v}`)
    .join(', ')}. Default error-message/error-code: ${Object.entries(STATUS_ERRORS)
    .map(([k, v]) => `${k} ${v.message}/${v.code}`)
    .join(
      ', ',
    )}, expired ${EXPIRED_MESSAGE}/${ERROR_CODES.declined}; a scenario's native { error-message, error-code } overrides them. TIMEOUT expires after 1 h.`,
  'Status APIs: v4 requires `login` equal to the OAuth consumer key; v2 checks control = sha1(login + client_orderid + orderid + control key) (orderid empty when absent; hex case ignored). The order is found by orderid + client_orderid, or by client_orderid alone (newest). status-response fields: type, serial-number, merchant-order-id, paynet-order-id, status, amount (as sent), currency, transaction-type `payout`, paynet-processing-date (Moscow time, "YYYY-MM-DD HH:MM:SS MSK", the time the payout was accepted), error-message and error-code when not approved, by-request-sn (echo), merchantdata (echo of merchant_data). by-request-sn must be the payout\'s serial-number and shows the status as of that answer.',
  `Callbacks: HTTP GET to server_callback_url (its own query kept, parameters appended) when the payout reaches approved, declined, filtered or error; parameters in order status, orderid, merchant_order, client_orderid, type (payout), amount, control, descriptor, error_message, error_code (empty when approved), processor-tx-id (PNTEST-<orderid>), merchantdata; values encoded as Java's URLEncoder. control = sha1(status + orderid + client_orderid + control key). Acknowledged only by HTTP 200; otherwise resent ${RETRY_SCHEDULE.length} times after ${RETRY_SCHEDULE.join(', ')} (exactly 14 days in all, clock time), then failed. Any port is called (the real gateway calls only 80, 8080, 443, 8443; the journal warns).`,
  `Generic problems, in ConnPay's form encoding without serial-number: a body over ${MAX_BODY_BYTES} bytes → HTTP 200 type=validation-error "Request is too large" (1); no API at the method and path → HTTP 404 type=error (7); a sandbox failure → HTTP 500 type=error (8).`,
]

const formAnswer = (description: string, example: string): ResponseObject => ({
  description,
  content: { [RESPONSE_CONTENT_TYPE]: { schema: { type: 'string' }, example } },
})

const denied: ResponseObject = {
  description: 'OAuth signature missing or wrong: the seed\'s "Access is denied" page (Content-Type text/html).',
  content: { 'text/html': { schema: { type: 'string' }, example: ACCESS_DENIED_HTML } },
}

function payoutSchema(): SchemaObject {
  const properties: Record<string, SchemaObject> = {}
  for (const [name, rule] of Object.entries(PAYOUT_FIELDS)) {
    properties[name] = {
      type: 'string',
      maxLength: rule.max,
      ...(rule.min !== undefined ? { minLength: rule.min } : {}),
      ...(rule.type === 'digits'
        ? { pattern: '^\\d+$' }
        : rule.type === 'decimal'
          ? { pattern: '^\\d+(\\.\\d+)?$' }
          : {}),
      ...(rule.aliases ? { description: `Also accepted as ${rule.aliases.map(tick).join(', ')}.` } : {}),
    }
  }
  return { type: 'object', required: [...PAYOUT_REQUIRED], properties, additionalProperties: { type: 'string' } }
}

const statusSchema: SchemaObject = {
  type: 'object',
  required: ['login', 'client_orderid'],
  properties: {
    login: { type: 'string', description: 'Merchant login (must equal oauth_consumer_key on v4).' },
    client_orderid: { type: 'string' },
    orderid: { type: 'string', description: 'paynet-order-id (recommended).' },
    'by-request-sn': { type: 'string', description: 'serial-number of the payout answer: status as of then.' },
  },
}

const STATUS_EXAMPLE =
  'type=status-response\n&serial-number=00000000-0000-0000-0000-000002e2c323\n&merchant-order-id=1\n&paynet-order-id=6982864\n&status=approved\n&amount=10.42\n&currency=USD\n&transaction-type=payout\n&paynet-processing-date=2023-03-03+11%3A10%3A34+MSK'
const ERROR_EXAMPLE =
  'type=validation-error\n&serial-number=00000000-0000-0000-0000-000002e2c324\n&merchant-order-id=1\n&error-message=Parameter+amount+is+required\n&error-code=1'

function op(
  summary: string,
  description: string,
  schema: SchemaObject,
  ok: ResponseObject,
  oauth: boolean,
): OperationObject {
  return {
    summary,
    description,
    security: oauth ? [{ OAuthRsaSha256: [] }] : [],
    requestBody: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema,
          ...(summary.startsWith('Payout') ? { example: SEED_REQUEST } : {}),
        },
      },
    },
    responses: {
      '200': ok,
      ...(oauth ? { '403': denied } : {}),
      '404': formAnswer(
        'No API at this method and path.',
        'type=error\n&error-message=No+API+at+GET+%2Fpaynet%2Fapi%2Fv4%2Fpayout%2F39915\n&error-code=7',
      ),
      '500': formAnswer(
        'The sandbox itself failed (journal has the stack trace).',
        'type=error\n&error-message=Internal+error\n&error-code=8',
      ),
    },
  }
}

/** ConnPay's OpenAPI 3.1 document, with the sandbox contract in its description. */
export function connpayOpenApi(): OpenAPIObject {
  const idParam = (name: string, what: string) => ({
    name,
    in: 'path' as const,
    required: true,
    schema: { type: 'string' as const },
    description: what,
  })
  const payoutOk = formAnswer(
    'Accepted (`type=async-response`), or refused (`validation-error` / `error`).',
    SEED_SUCCESS,
  )
  const statusOk = formAnswer('`status-response`, or `validation-error` / `error`.', STATUS_EXAMPLE)
  const builder = OpenApiBuilder.create({
    openapi: '3.1.0',
    info: {
      title: 'ConnPay (PaynetEasy platform) payouts — psp-sandbox',
      version: '1.0.0',
      description:
        'ConnPay v4 payouts (seed `003_d7bfa93757572c78.txt`, "3.26 /api/v4/payout") and the status APIs, as psp-sandbox serves them at their real paths. ' +
        'Requests are application/x-www-form-urlencoded; v4 is authenticated with OAuth 1.0a RSA-SHA256, v2 status with a SHA-1 `control`. ' +
        `Errors are form-encoded, e.g.:\n\n\`\`\`\n${ERROR_EXAMPLE}\n\`\`\`\n\n` +
        'Test accounts (seed): account_number 1234567890 → approved, 0987654321 → declined, 1987654321 → error PROCESSOR_INTERNAL_ERROR, any other → approved. ' +
        'Magic words in client_orderid: FILTERED, UNKNOWN, LONG (scenarios/connpay.yaml), DECLINE, FAIL, PENDING, TIMEOUT, HANG, SLOW (scenarios/common.yaml).\n\n' +
        '## Sandbox contract\n\n' +
        SANDBOX_CONTRACT.map((s) => `- ${s}`).join('\n'),
    },
    paths: {},
  })
  builder.addServer({ url: 'http://127.0.0.1:8080', description: 'psp-sandbox' })
  builder.addServer({
    url: 'https://sandbox.connpay.com',
    description: 'ConnPay integration (intercepted by psp-sandbox/msw)',
  })
  builder.addSecurityScheme('OAuthRsaSha256', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'OAuth 1.0a, oauth_signature_method="RSA-SHA256", two-legged (no token), oauth_consumer_key = login. Signed with the merchant private key; verified with the registered public key.',
  })
  builder.addPath('/paynet/api/v4/payout/{ENDPOINTID}', {
    post: op('Payout to an endpoint', 'Seed "3.26 /api/v4/payout".', payoutSchema(), payoutOk, true),
    parameters: [idParam('ENDPOINTID', 'Endpoint id, e.g. 39915.')],
  })
  builder.addPath('/paynet/api/v4/payout/group/{ENDPOINTGROUPID}', {
    post: op(
      'Payout to an endpoint group',
      '`end-point-id` of the answer is the endpoint chosen (the merchant setting groupEndpoint).',
      payoutSchema(),
      payoutOk,
      true,
    ),
    parameters: [idParam('ENDPOINTGROUPID', 'Endpoint group id, e.g. 777.')],
  })
  for (const [version, oauth] of [
    ['v4', true],
    ['v2', false],
  ] as const) {
    const schema: SchemaObject = oauth
      ? statusSchema
      : {
          ...statusSchema,
          required: ['login', 'client_orderid', 'control'],
          properties: {
            ...statusSchema.properties,
            control: {
              type: 'string',
              description: 'sha1(login + client_orderid + orderid + merchant control key), lower-case hex.',
            },
          },
        }
    builder.addPath(`/paynet/api/${version}/status/{ENDPOINTID}`, {
      post: op(
        `Status (${version})`,
        oauth ? 'OAuth RSA-SHA256.' : 'SHA-1 control, no Authorization header.',
        schema,
        statusOk,
        oauth,
      ),
      parameters: [idParam('ENDPOINTID', 'Endpoint id.')],
    })
    builder.addPath(`/paynet/api/${version}/status/group/{ENDPOINTGROUPID}`, {
      post: op(
        `Status (${version}, group)`,
        oauth ? 'OAuth RSA-SHA256.' : 'SHA-1 control, no Authorization header.',
        schema,
        statusOk,
        oauth,
      ),
      parameters: [idParam('ENDPOINTGROUPID', 'Endpoint group id.')],
    })
  }
  return builder.getSpec()
}
