import type { Context } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import { admit, admitIf, type AuthVerdict } from '../kit/guard.js'
import { providerApp, Refusal } from '../kit/refusal.js'
import { connpayErrors, denied, formAnswer, refusal } from './errors.js'
import { signatureBaseString, type VerifyResult } from '../../wire/oauth1/index.js'
import { controlMatches, statusControl, verifyConnpayRequest } from './crypto.js'
import {
  CONNPAY_HOSTS,
  DEFAULT_MERCHANT,
  ERROR_CODES,
  clientOrderIdOf,
  dataOf,
  nativeState,
  validatePayout,
  type ConnPayMerchant,
  type ConnPayPort,
  type ConnPaySettings,
  type ConnPayTransaction,
  type ConnPayTxnData,
} from './model.js'
import {
  formatProcessingDate,
  formatSerialNumber,
  parseForm,
  renderAsyncResponse,
  renderStatusResponse,
} from './wire.js'

type C = Context<SandboxEnv>

/**
 * Counters start so that a fresh sandbox answers the seed's example with the seed's own ids:
 * `serial-number` …000002e2c322 and `paynet-order-id` 6982864.
 */
const SERIAL_BASE = 0x2e2c322 - 1
const ORDER_ID_BASE = 6982864 - 1
/** Refuses bytes that are not UTF-8 (one decoder for every request: it keeps no state between calls). */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })
/** Nonces kept for the replay check when no timestamp window bounds them. */
const MAX_NONCES = 10_000

/** The request as the gateway reads it. */
interface ReadRequest {
  raw: Uint8Array
  contentType: string | undefined
  /** Query then body fields (a servlet's getParameter order), trimmed, first value of each name. */
  fields: Record<string, string>
}

function isForm(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true
  return contentType.split(';', 1)[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded'
}

async function readRequest(c: C): Promise<ReadRequest> {
  const raw = new Uint8Array(await c.req.arrayBuffer())
  const contentType = c.req.header('content-type')
  const notes = c.get('journal').notes
  const query = parseForm(new URL(c.req.url).search.slice(1))
  const fields: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [k, v] of query.pairs) if (!(k in fields)) fields[k] = v
  if (raw.length > 0) {
    if (!isForm(contentType)) {
      notes.push(
        `Content-Type is "${contentType}", so the body was not read as parameters: ConnPay reads only application/x-www-form-urlencoded bodies. Send Content-Type: application/x-www-form-urlencoded.`,
      )
    } else {
      try {
        STRICT_UTF8.decode(raw)
      } catch {
        notes.push(
          'The body is not valid UTF-8; bytes that cannot be decoded were read as U+FFFD. Percent-encode UTF-8 bytes (e.g. ë as %C3%AB).',
        )
      }
      const body = parseForm(raw)
      notes.push(...body.notes)
      for (const [k, v] of body.pairs) if (!(k in fields)) fields[k] = v
      if (contentType === undefined || contentType.trim() === '')
        notes.push('The request had no Content-Type; the body was read as application/x-www-form-urlencoded.')
    }
  }
  return { raw, contentType, fields }
}

/** Refuses a `client_orderid` that is missing or malformed (a validation-error without merchant-order-id). */
function requireClientOrderId(clientOrderId: string | Refusal | undefined): asserts clientOrderId is string {
  if (clientOrderId instanceof Refusal)
    throw refusal('validation-error', clientOrderId.code, ERROR_CODES.validation, clientOrderId.why)
  if (clientOrderId === undefined)
    throw refusal(
      'validation-error',
      'Parameter client_orderid is required',
      ERROR_CODES.validation,
      'client_orderid is missing or empty',
    )
}

/**
 * ConnPay routes at their real paths under `/paynet`: v4 payout (endpoint and group), v4 status
 * (OAuth RSA-SHA256) and v2 status (SHA-1 `control`).
 */
export function connpayRoutes(port: ConnPayPort) {
  const nextSerial = () => formatSerialNumber(SERIAL_BASE + port.counters.next('connpay.serial'))

  const app = providerApp(connpayErrors({ next: nextSerial, commit: () => port.commit() }))

  const merchantOf = (login: string): ConnPayMerchant | undefined => port.merchants.get(login)

  /** The URLs a client may have signed: where the request arrived, and ConnPay's real hosts. */
  const signedUrls = (c: C): string[] => {
    const arrived = new URL(c.req.url)
    const urls = [c.req.url]
    for (const host of CONNPAY_HOSTS) {
      const candidate = `https://${host}${arrived.pathname}${arrived.search}`
      if (!urls.includes(candidate)) urls.push(candidate)
    }
    return urls
  }

  /** OAuth 1.0a RSA-SHA256 (research §1), then the merchant's timestamp window and nonce check. */
  const authenticate = (c: C, request: ReadRequest): ConnPayMerchant => admit(c, verdictOf(c, request))

  /** The verdict on a request's signature, timestamp and nonce, with the base strings that explain it. */
  const verdictOf = (c: C, request: ReadRequest): AuthVerdict<ConnPaySettings> => {
    const entry = c.get('journal')
    const urls = signedUrls(c)
    const result: VerifyResult = verifyConnpayRequest({
      method: c.req.method,
      url: urls,
      authorization: c.req.header('authorization'),
      contentType: request.contentType,
      body: request.raw,
      publicKey: (login) => merchantOf(login)?.publicKey,
    })
    entry.notes.push(...result.notes)
    const consumerKey = result.oauth?.consumerKey
    if (consumerKey) entry.merchant = consumerKey
    if (!result.ok) {
      const lines = [result.explanation]
      if (result.normalizedParameters !== undefined) {
        // One base string per accepted URL: the one the request arrived at, then ConnPay's real hosts.
        const bases = urls.map((u) => signatureBaseString(c.req.method, u, result.normalizedParameters!))
        lines.push(`Base string the sandbox computed (what a correct client signs): ${bases[0]}`)
        for (let i = 1; i < urls.length; i++) lines.push(`…or, for a client that signs ${urls[i]}: ${bases[i]}`)
      }
      if (result.diagnosis)
        lines.push(`Base string your client appears to have signed: ${result.diagnosis.clientBaseString}`)
      return {
        ok: false,
        explanation: lines.join('\n'),
        refusal: denied(`refused with HTTP 403 "Access is denied" (${result.reason})`),
      }
    }
    const merchant = merchantOf(result.oauth.consumerKey)!
    const arrived = urls[0]
    const matched =
      result.url === arrived
        ? `the URL it arrived at (${arrived})`
        : `${result.url} (ConnPay's real host; it arrived at ${arrived})`
    const explanation = `OAuth 1.0a RSA-SHA256 signature of ${merchant.id} verified, signed for ${matched}. Base string: ${result.baseString}`

    const nowSeconds = Math.floor(port.clock.now() / 1000)
    const window = Number(merchant.oauthTimestampWindowSeconds) || 0
    const timestamp = Number(result.oauth.timestamp)
    if (window > 0 && Math.abs(timestamp - nowSeconds) > window) {
      const skew = timestamp - nowSeconds
      return {
        ok: false,
        refusal: denied(),
        explanation:
          `The signature is right, but oauth_timestamp ${timestamp} is ${Math.abs(skew)} s ${skew < 0 ? 'behind' : 'ahead of'} the sandbox clock (${nowSeconds}); ` +
          `merchant ${merchant.id} accepts at most ${window} s (setting oauthTimestampWindowSeconds; 0 turns the check off). Sign every request with the current time.`,
      }
    }
    if (merchant.oauthNonceReplayCheck === true) {
      const key = `${merchant.id}\u0000${result.oauth.timestamp}\u0000${result.oauth.nonce}`
      const seen = { ...(port.state.get<Record<string, number>>('connpay.nonces') ?? {}) }
      if (key in seen) {
        return {
          ok: false,
          refusal: denied(),
          explanation:
            `The signature is right, but oauth_nonce "${result.oauth.nonce}" with oauth_timestamp ${result.oauth.timestamp} was already used by ${merchant.id} ` +
            `(RFC 5849 §3.3: a nonce must be unique per timestamp). Draw a new random nonce for every request, retries included (setting oauthNonceReplayCheck).`,
        }
      }
      seen[key] = nowSeconds
      // Timestamps outside the window are refused anyway, so their nonces need not be kept.
      const keep = Object.entries(seen).filter(
        ([k]) => window === 0 || Number(k.split('\u0000')[1]) >= nowSeconds - window,
      )
      port.state.set('connpay.nonces', Object.fromEntries(keep.slice(-MAX_NONCES)))
    }
    return { ok: true, merchant, explanation }
  }

  /** Path endpoint or group → the endpoint id that handles it, or a refusal. */
  const endpointOf = async (
    c: C,
    merchant: ConnPayMerchant,
    orderId?: string,
  ): Promise<{ endPointId: string; groupId?: string }> => {
    const groupId = c.req.param('groupId')
    if (groupId !== undefined) {
      if (!merchant.endpointGroups.includes(groupId))
        throw refusal(
          'validation-error',
          `Endpoint group ${groupId} is not found`,
          ERROR_CODES.validation,
          `endpoint group ${groupId} is not one of ${merchant.id}'s groups (${merchant.endpointGroups.join(', ')}; setting endpointGroups)`,
          orderId,
        )
      return { endPointId: merchant.groupEndpoint, groupId }
    }
    const endPointId = c.req.param('endpointId') ?? ''
    if (!merchant.endpoints.includes(endPointId))
      throw refusal(
        'validation-error',
        `Endpoint ${endPointId} is not found`,
        ERROR_CODES.validation,
        `endpoint ${endPointId} is not one of ${merchant.id}'s endpoints (${merchant.endpoints.join(', ')}; setting endpoints)`,
        orderId,
      )
    return { endPointId }
  }

  // --- payout ---------------------------------------------------------------------------------

  const payout = async (c: C) => {
    c.get('journal').operation = 'payout'
    const request = await readRequest(c)
    const earlyId = clientOrderIdOf(request.fields)
    if (typeof earlyId === 'string') c.get('journal').reference = earlyId
    const merchant = authenticate(c, request)
    const orderIdForErrors = typeof earlyId === 'string' ? earlyId : undefined
    const endpoint = await endpointOf(c, merchant, orderIdForErrors)
    const valid = validatePayout(request.fields, orderIdForErrors)

    const decision = port.decide(c, {
      operation: 'payout',
      merchant: merchant.id,
      reference: valid.clientOrderId,
      amount: valid.amountNumber,
      currency: valid.currency,
      request: valid.fields,
    })
    return port.respond(c, decision, async () => {
      const serial = nextSerial()
      const data: ConnPayTxnData = {
        amount: valid.amount,
        endPointId: endpoint.endPointId,
        endPointGroupId: endpoint.groupId,
        serials: [{ serial, at: port.clock.now() }],
        merchantData: valid.merchantData,
      }
      const tx = await port.transactions.open(
        {
          merchant: merchant.id,
          kind: 'payout',
          reference: valid.clientOrderId,
          providerRef: String(ORDER_ID_BASE + port.counters.next('connpay.orderid')),
          amount: valid.amountNumber,
          currency: valid.currency,
          callbackUrl: valid.callbackUrl,
          initial: 'processing',
          data: data,
        },
        decision,
      )
      c.get('journal').transactionId = tx.id
      if (valid.callbackUrl) {
        const port = new URL(valid.callbackUrl).port
        if (port !== '' && !['80', '8080', '443', '8443'].includes(port))
          c.get('journal').notes.push(
            `server_callback_url uses port ${port}; the sandbox calls it, but the real ConnPay gateway only calls ports 80, 8080, 443 and 8443`,
          )
      }
      return formAnswer(
        renderAsyncResponse({
          serialNumber: serial,
          merchantOrderId: valid.clientOrderId,
          paynetOrderId: tx.providerRef,
          endPointId: endpoint.endPointId,
        }),
      )
    })
  }

  // --- status ---------------------------------------------------------------------------------

  /** Finds the order and answers its `status-response` (shared by v4 and v2). */
  const statusAnswer = async (
    c: C,
    merchant: ConnPayMerchant,
    fields: Record<string, string>,
    clientOrderId: string,
  ): Promise<Response> => {
    const orderId = fields.orderid
    let tx: ConnPayTransaction | undefined
    if (orderId !== undefined && orderId !== '') {
      const found = port.transactions.byProviderRef(orderId)
      tx = found && found.merchant === merchant.id && found.reference === clientOrderId ? found : undefined
    } else {
      tx = port.transactions.byReference(merchant.id, clientOrderId)[0]
    }
    if (!tx)
      throw refusal(
        'error',
        'Order not found',
        ERROR_CODES.notFound,
        orderId
          ? `no payout of ${merchant.id} has orderid ${orderId} with client_orderid "${clientOrderId}"`
          : `no payout of ${merchant.id} has client_orderid "${clientOrderId}"`,
        clientOrderId,
      )
    c.get('journal').transactionId = tx.id
    const data = dataOf(tx)
    const bySerial = fields['by-request-sn']
    let shown: Pick<ConnPayTransaction, 'status' | 'nativeStatus' | 'native'> = tx
    if (bySerial !== undefined && bySerial !== '') {
      const request = data.serials.find((s) => s.serial === bySerial)
      if (!request)
        throw refusal(
          'validation-error',
          `Request with serial number ${bySerial} is not found`,
          ERROR_CODES.validation,
          `by-request-sn "${bySerial}" is not the serial-number of a request about order ${tx.providerRef} (known: ${data.serials.map((s) => s.serial).join(', ')})`,
          clientOrderId,
        )
      const then = [...tx.history].reverse().find((h) => h.at <= request.at) ?? tx.history[0]
      shown = { status: then.status, nativeStatus: then.nativeStatus, native: tx.native }
    }
    const state = nativeState(shown)
    const body = renderStatusResponse({
      serialNumber: nextSerial(),
      merchantOrderId: tx.reference,
      paynetOrderId: tx.providerRef,
      status: state.status,
      amount: data.amount,
      currency: tx.currency,
      more: [
        ['transaction-type', 'payout'],
        ['paynet-processing-date', formatProcessingDate(new Date(tx.createdAt))],
        ['error-message', state.errorMessage],
        ['error-code', state.errorCode],
        ['by-request-sn', bySerial || undefined],
        ['merchantdata', data.merchantData],
      ],
    })
    await port.commit()
    return formAnswer(body)
  }

  const statusV4 = async (c: C) => {
    const request = await readRequest(c)
    const merchant = authenticate(c, request)
    const clientOrderId = clientOrderIdOf(request.fields)
    if (typeof clientOrderId === 'string') c.get('journal').reference = clientOrderId
    const orderIdForErrors = typeof clientOrderId === 'string' ? clientOrderId : undefined
    c.get('journal').operation = 'status'
    await endpointOf(c, merchant, orderIdForErrors)
    const login = request.fields.login
    if (login === undefined || login === '')
      throw refusal(
        'validation-error',
        'Parameter login is required',
        ERROR_CODES.validation,
        'login is missing or empty; send your merchant login',
        orderIdForErrors,
      )
    if (login !== merchant.id)
      throw refusal(
        'validation-error',
        'Parameter login does not match',
        ERROR_CODES.validation,
        `login is "${login}" but the request is signed with oauth_consumer_key "${merchant.id}"; they must be the same login`,
        orderIdForErrors,
      )
    requireClientOrderId(clientOrderId)
    return statusAnswer(c, merchant, request.fields, clientOrderId)
  }

  const statusV2 = async (c: C) => {
    const request = await readRequest(c)
    c.get('journal').operation = 'status'
    const fields = request.fields
    const clientOrderId = clientOrderIdOf(fields)
    if (typeof clientOrderId === 'string') c.get('journal').reference = clientOrderId
    const orderIdForErrors = typeof clientOrderId === 'string' ? clientOrderId : undefined
    const login = fields.login
    if (login === undefined || login === '')
      throw refusal(
        'validation-error',
        'Parameter login is required',
        ERROR_CODES.validation,
        'login is missing or empty',
        orderIdForErrors,
      )
    c.get('journal').merchant = login
    requireClientOrderId(clientOrderId)
    if (fields.control === undefined || fields.control === '')
      throw refusal(
        'validation-error',
        'Parameter control is required',
        ERROR_CODES.validation,
        'control is missing; send sha1(login + client_orderid + orderid + merchant_control)',
        clientOrderId,
      )
    const merchant = merchantOf(login)
    if (!merchant)
      admit(c, {
        ok: false,
        explanation: `no ConnPay merchant with login "${login}" (default: ${DEFAULT_MERCHANT.id}; GET /_sandbox/merchants)`,
        refusal: refusal(
          'error',
          'Invalid control code',
          ERROR_CODES.control,
          `login "${login}" is unknown`,
          clientOrderId,
        ),
      })
    const orderId = fields.orderid ?? ''
    const expected = statusControl({ login, clientOrderId, orderId, controlKey: merchant.controlKey })
    const good = controlMatches(fields.control, expected)
    admitIf(
      c,
      good,
      merchant,
      good
        ? `control matches sha1(login + client_orderid + orderid + control key of ${login})`
        : `control "${fields.control}" does not match. The sandbox computed sha1("${login}" + "${clientOrderId}" + "${orderId}" + <control key of ${login}>) = ${expected} (research §2.1: login + client_orderid + orderid + merchant_control, the key as issued, upper case).`,
      () =>
        refusal(
          'error',
          'Invalid control code',
          ERROR_CODES.control,
          'the control checksum does not match (the journal auth entry shows the expected one)',
          clientOrderId,
        ),
    )
    await endpointOf(c, merchant, clientOrderId)
    return statusAnswer(c, merchant, fields, clientOrderId)
  }

  app.post('/paynet/api/v4/payout/group/:groupId', payout)
  app.post('/paynet/api/v4/payout/:endpointId', payout)
  app.post('/paynet/api/v4/status/group/:groupId', statusV4)
  app.post('/paynet/api/v4/status/:endpointId', statusV4)
  app.post('/paynet/api/v2/status/group/:groupId', statusV2)
  app.post('/paynet/api/v2/status/:endpointId', statusV2)
  return app
}
