import { providerApp } from '../kit/refusal.js'
import { operationsRoutes } from './operations.js'
import { type PayatomPort, payatomErrors } from './wire.js'
import { connectPageRoutes } from './connect-page.js'
import { payinRoutes } from './payin.js'
import { payoutRoutes } from './payout.js'
import { refundRoutes } from './refund.js'
import { payatomShared } from './shared.js'
import { statusRoutes } from './status.js'

/**
 * PayAtom routes at their documented paths under `/pay`, `/api`, `/payout`, `/bot`: hosted and
 * seamless pay-ins (v1 and v2), UTR submission, payouts, status polling, refunds, the hosted
 * `connect.php` page, and the operations APIs.
 */
export function payatomRoutes(port: PayatomPort) {
  const app = providerApp(payatomErrors)

  const shared = payatomShared(port)
  app.route('/', payinRoutes(port, shared))
  app.route('/', statusRoutes(port, shared))
  app.route('/', payoutRoutes(port, shared))
  app.route('/', refundRoutes(port, shared))
  app.route('/', connectPageRoutes(port, shared))
  app.route('/', operationsRoutes(port))
  return app
}
