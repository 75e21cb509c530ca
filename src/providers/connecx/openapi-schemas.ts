import { type ReferenceObject, type SchemaObject } from 'openapi3-ts/oas31'
import { CHANNELS } from './channels.js'
import { ERRORS } from './wire.js'
import { type Kind, producedValues, errorTable } from './openapi-description.js'

/** The JSON Schemas of the Connecx OpenAPI document: requests, results, errors, channel specs. */

// ---------------------------------------------------------------------------------------------
// Schemas

export const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` })

export function paymentRequestSchema(kind: Kind): SchemaObject {
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

export function payInfoSchema(): SchemaObject {
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

export function endUserInfoSchema(): SchemaObject {
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

export function addressSchema(): SchemaObject {
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
export function resultSchema(kind: Kind): SchemaObject {
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

export function errorSchema(): SchemaObject {
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

export function channelSideSchema(): SchemaObject {
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
