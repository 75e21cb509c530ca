// @ts-nocheck
import { ecommpay } from '../../src/providers/ecommpay/index.js'
import type { SandboxOptions } from '../../src/sandbox.js'

/** An ECommPay-only sandbox on a virtual clock, with the built-in scenarios. */
export const SANDBOX_OPTIONS: SandboxOptions = { clock: 'virtual', providers: [ecommpay] }
