import type { Hono } from 'hono'
import type { SandboxEnv } from '../../engine/env.js'
import { providerApp } from '../kit/refusal.js'
import { bankPageRoutes } from './bank-page.js'
import { gateRoutes } from './gate.js'
import { paymentPageRoutes } from './payment-page.js'
import { ecommpayShared } from './shared.js'
import type { EcommpayPort } from './wire.js'

import { ecommpayErrors } from './errors.js'

/**
 * ECommPay Gate (`/v2/…`) and Payment Page (`/payment`) routes, with the bank page the customer
 * approves, declines or abandons a purchase on: one file per surface. Every refusal is rendered
 * by `ecommpayErrors`, in the format of the surface it came from.
 */
export function ecommpayRoutes(port: EcommpayPort): Hono<SandboxEnv> {
  const app = providerApp(ecommpayErrors)
  const shared = ecommpayShared(port)
  app.route('/', gateRoutes(port, shared))
  app.route('/', paymentPageRoutes(port, shared))
  app.route('/', bankPageRoutes(port))
  return app
}
