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
import { connecxCallbacks } from './callbacks.js'
import { CHANNELS } from './channels.js'
import { type RecipeName } from './crypto.js'
import { IDENTITY as connecx } from './defaults.js'
import { ERRORS, type ErrorCode } from './wire.js'
import {
  recipes,
  defaultMerchant,
  tick,
  recipeText,
  ERROR_WHEN,
  type Kind,
  SEED_PAYIN,
  SEED_PAYOUT,
  tokenFor,
  sampleResult,
  SEED_TXN_ID,
  SEED_PAYREF,
  showText,
  shows,
  PAYMENT_CODES,
  MERCHANT_CODES,
  FIRST_TXN_ID,
  openApiDescription,
  LOCAL_SERVER,
} from './openapi-description.js'
import {
  ref,
  paymentRequestSchema,
  payInfoSchema,
  endUserInfoSchema,
  addressSchema,
  resultSchema,
  errorSchema,
  channelSideSchema,
} from './openapi-schemas.js'

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
    .addDescription(openApiDescription())
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
