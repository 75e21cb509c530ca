import type { CommonSettings, Merchant } from '../../engine/types.js'
import { DEFAULT_RECIPES } from './crypto.js'
import type { ConnecxSettings } from './wire.js'

/** Who the provider is: spread into the `Provider`, quoted by the OpenAPI document. */
export const IDENTITY = {
  id: 'connecx',
  title: 'Connecx Unified Payments',
  seed: '004_8c68b2730cf309b1.txt',
  pathPrefixes: ['/mxapi'],
  hosts: ['https://connecx.test'],
  /** How long a pay-in waits for the customer at `authzUrl` before it expires. */
  customerTimeout: '30m',
}

/** Delays between callback attempts when the merchant's listener does not acknowledge. */
export const RETRY_SCHEDULE = ['1m', '5m', '15m', '1h', '3h', '6h']

/** The default test merchant, provisioned on every fresh start (the OpenAPI examples use it). */
export const DEFAULT_MERCHANT: Merchant<ConnecxSettings & CommonSettings> = {
  provider: 'connecx',
  id: '3568224497743',
  name: 'Connecx sandbox merchant',
  apiKey: 'sandbox-api-key-0001',
  accountId: '1000000001',
  active: true,
  channels: ['USDMOCK-001', 'CHNL-101'],
  balances: { USD: 10000, CNY: 100000 },
  tokenRecipes: { ...DEFAULT_RECIPES },
  statusTimeStampUnit: 'seconds',
  callbackRetrySchedule: [...RETRY_SCHEDULE],
  customer: 'wait',
  relaxedRules: [],
}
