// @ts-nocheck
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { connpay } from '../../src/providers/connpay/index.js'
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox.js'

export interface OAuthVector {
  method: string
  url: string
  body: string
  consumer_key: string
  nonce: string
  timestamp: string
  base_string: string
  authorization: string
}
export interface Vectors {
  oauth: OAuthVector[]
  status_control: Array<{
    login: string
    client_orderid: string
    orderid: string
    merchant_control: string
    control: string
  }>
  callback_control: Array<{
    status: string
    orderid: string
    client_orderid: string
    merchant_control: string
    control: string
  }>
  vendor_client_vector: OAuthVector & { public_key_pem: string }
}

const vectorDir = new URL('../vectors/', import.meta.url)
export const vectors = JSON.parse(readFileSync(new URL('connpay.json', vectorDir), 'utf8')) as Vectors
export const TEST_PUBLIC_KEY = readFileSync(new URL('connpay-test-merchant.pub.pem', vectorDir), 'utf8')
export const TEST_PRIVATE_KEY = readFileSync(new URL('connpay-test-merchant.key.pem', vectorDir), 'utf8')
export const FORM = 'application/x-www-form-urlencoded'
export const B = 'http://localhost'

/** The ConnPay scenario files, loaded explicitly so the tests do not depend on which providers are registered. */
export const SCENARIOS = [
  fileURLToPath(new URL('../../scenarios/connpay.yaml', import.meta.url)),
  fileURLToPath(new URL('../../scenarios/common.yaml', import.meta.url)),
]

/** A sandbox serving only ConnPay, with its built-in scenarios, on a virtual clock. */
export function connpaySandbox(options: SandboxOptions = {}): Sandbox {
  return createSandbox({
    clock: 'virtual',
    providers: [connpay],
    builtInScenarios: false,
    scenarios: SCENARIOS,
    ...options,
  })
}

/** A request exactly as a vector describes it, sent to `url` (default: the vector's own path on localhost). */
export function vectorRequest(
  v: { url: string; body: string; authorization: string },
  url = `${B}${new URL(v.url).pathname}`,
): Request {
  return new Request(url, {
    method: 'POST',
    headers: { Authorization: v.authorization, 'Content-Type': FORM },
    body: v.body,
  })
}

/** Reads the gateway's line-broken answer. */
export function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of text.split('\n&')) {
    const eq = part.indexOf('=')
    out[decodeURIComponent(part.slice(0, eq).replace(/\+/g, ' '))] = decodeURIComponent(
      part.slice(eq + 1).replace(/\+/g, ' '),
    )
  }
  return out
}

/**
 * Independent signatures, made during development with Debian's python3-oauthlib 3.2.2
 * (`oauthlib.oauth1.Client("TestMerchant", signature_method=SIGNATURE_RSA_SHA256,
 * rsa_key=<vectors/connpay-test-merchant.key.pem>, nonce=…, timestamp=…, realm=…)`, body encoded
 * with `urllib.parse.urlencode(…, quote_via=quote)`; for `plusBody` the signed parameters are sent
 * re-encoded with `quote_plus`, i.e. spaces as "+"). Pasted as literals so CI needs no python.
 */
export const OAUTHLIB = {
  plusBody: {
    url: 'https://sandbox.connpay.com/paynet/api/v4/payout/39915',
    body: 'client_orderid=IND-PLUS-1&amount=99.5&currency=EUR&account_number=1234567890&order_desc=Payout+to+bank+%26+co&receiver_first_name=Zo%C3%AB',
    authorization:
      'OAuth oauth_nonce="indep0000000000000000000000000001", oauth_timestamp="1700000300", oauth_version="1.0", oauth_signature_method="RSA-SHA256", oauth_consumer_key="TestMerchant", oauth_signature="ASHvu%2BwEdpsrs4zlXjzieJa31tmfGQXt%2FSjbQoQy5IrNmE3fskaV0N%2Bqr4ijEKUiUxfoR%2F9k55yae3xUKCdHPRMXG0Jfs51R5BD9GEJUI%2FMWI41v7c0i%2FF5d6nXIMKS1ZCOCcklCECbT1xBKqCqozvqa5rYFKBF47LO%2BwA%2FqNOeXMfh52nx%2FK09HzyYZgfMqqB9EbcjECAggLp2unLHTcpiX%2F8UIg8K2AZ6AWDjMsafE6XmWJar01QmDOxcS3VwCeeGANe5I7di2un2Mn6oVvpvLPJdnJRXIm5i5b2fdoiW%2Fzef6jo0%2BkMg28H1MDTOfZbOE5CrYGIpc1zUdP6CMOQ%3D%3D"',
  },
  localUrl: {
    url: 'http://localhost:8080/paynet/api/v4/payout/group/777',
    body: 'client-order-id=IND-LOCAL-1&amount=1.00&currency=USD&account_number=0987654321&server_callback_url=http%3A%2F%2F127.0.0.1%3A9%2Fcb%3Fa%3D1',
    authorization:
      'OAuth realm="ConnPay", oauth_nonce="indep0000000000000000000000000002", oauth_timestamp="1700000301", oauth_version="1.0", oauth_signature_method="RSA-SHA256", oauth_consumer_key="TestMerchant", oauth_signature="lNWuxD8dPhjeqvmH97T4w4Qrgk5ShRF1mnybvD4E2mZwMA1Oudp9ZGtb1pyvISbg8%2Bay3WZAc4YYXkcftBOkieCtp9j7s4xM49x1PlcOMuxede5LPctWUhbhGJnnOtJuUoqVwvAPeZgmzW2TP%2FmdmklFRF8S7SEeqjBZvqrnwlL%2FRveLuLMR8KgZ8Hmg1qSycjUsaeuVrgK1ewvOABOXC0e5qqt0eNIPj3ez%2BkkPHn4qloJdanc9t0beYQZlz47oTb10gIazScpao6NecWwPnDz76%2BtmVg3Ku3kg0cpslCLgUn%2Flb4BJNZCthBqiAq5klPHPtRXS3MqUhtjQmBl1bQ%3D%3D"',
  },
  statusGroup: {
    url: 'https://gate.connpay.com/paynet/api/v4/status/group/777',
    body: 'login=TestMerchant&client_orderid=IND-PLUS-1',
    authorization:
      'OAuth oauth_nonce="indep0000000000000000000000000003", oauth_timestamp="1700000302", oauth_version="1.0", oauth_signature_method="RSA-SHA256", oauth_consumer_key="TestMerchant", oauth_signature="tVgNZ%2FwE3u%2FeN6CaqIP467qohXruEFcMW47vQOUSMTR1%2B%2Bnc%2B6dTcDCS7uSldJOG%2Fm%2BVPZDsv8ikoaqkugTlP3MZ%2FWNpyLM%2FJL0OhMu0uCleWHspVoSwgrfxyrEg59Y8UUXmMKX3pkQoxP1Uq%2FXXHIRCViGeOprTDslLs6N4CPK7900Vc2DgNbDDOTIfA7XsJYqKO5aQ4Vy4bMMxXQTm%2Bwn8XrXYq73iJDfDFZNvPoolVhRdEprjKPDy72dalANRCpvyYC607iTDX1pqWNaJEYAeBXTbFsFGRarCYN5GupYjmXOIIB5ZSktjglqk3PJfahRo56CXUz6GQ3ee9eSjjA%3D%3D"',
  },
}

/** The seed's 403 page as the seed prints it (section "Fail Response Example"). */
export const SEED_403_BODY = `<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
<title>403</title>
<style type="text/css">
body {
font-family: Arial, sans-serif;
font-size: 130%;
background-color: #eee;
}
p {
margin: 10em auto 0;
width: 500px;
border: 1px solid gray;
text-align: center;
vertical-align: middle;
padding: 40px 20px;
background-color: #fff;
-webkit-border-radius: 20px;
-moz-border-radius: 20px;
border-radius: 20px;
}
</style>
</head>
<body>
<p>Access is denied</p>
</body>
</html>
`

/** The seed's "Success Response Example" body (Content-Length 137). */
export const SEED_SUCCESS_BODY =
  'type=async-response\n&serial-number=00000000-0000-0000-0000-000002e2c322\n&merchant-order-id=1\n&paynet-order-id=6982864\n&end-point-id=39915'
