import type { AnyProvider } from '../engine/provider.js'
import { connecx } from './connecx/index.js'
import { bankconnect } from './bankconnect/index.js'
import { payatom } from './payatom/index.js'
import { ecommpay } from './ecommpay/index.js'
import { connpay } from './connpay/index.js'

/** Every provider module the sandbox serves, by id. */
export const PROVIDERS: AnyProvider[] = [connecx, bankconnect, payatom, ecommpay, connpay]
export { bankconnect, connecx, connpay, ecommpay, payatom }
