import type { ProviderPort } from '../../engine/port.js'
import type { NeutralStatus } from '../../engine/types.js'
import { FINAL_STATUSES } from '../../engine/types.js'
import {
  double,
  type ConnecxMerchant,
  type ConnecxSettings,
  type ConnecxTransaction,
  type ConnecxTxnData,
} from './wire.js'

type Port = ProviderPort<ConnecxTxnData, ConnecxSettings>

/** A merchant's money in one currency. */
export interface Balance {
  /** The merchant's `balances` setting this ledger started from. */
  opening: number
  ledger: number
  pendingPayouts: number
}

const key = (merchant: string, currency: string) => `connecx.balance.${merchant}.${currency}`
const round = (n: number) => Math.round(n * 100) / 100

/**
 * The balance, starting from the merchant's `balances` setting, or undefined for a currency it
 * does not hold. Changing the setting (PATCH) sets the ledger to the new value; pending pay-outs
 * stay held.
 */
function balanceOf(port: Port, merchant: ConnecxMerchant, currency: string): Balance | undefined {
  const opening = merchant.balances?.[currency]
  if (opening === undefined) return undefined
  const stored = port.state.get<Balance>(key(merchant.id, currency))
  if (stored && stored.opening === opening) return stored
  return { opening, ledger: opening, pendingPayouts: stored?.pendingPayouts ?? 0 }
}

/**
 * The balance API's body, numbers written as the seed's sample writes them: `ledgerBalance` as
 * an integer where it is one, `pendingPayouts` and `availableBalance` as doubles (`0.0`).
 */
export function balanceBody(port: Port, merchant: ConnecxMerchant, currency: string): string | undefined {
  const b = balanceOf(port, merchant, currency)
  if (!b) return undefined
  const asOfDate = new Date(port.clock.now()).toISOString().replace('Z', '+00:00')
  return `{"currency":${JSON.stringify(currency)},"ledgerBalance":${b.ledger},"pendingPayouts":${double(b.pendingPayouts)},"availableBalance":${double(round(b.ledger - b.pendingPayouts))},"asOfDate":"${asOfDate}"}`
}

/** Available = ledger − pending pay-outs. */
export function hasFunds(port: Port, merchant: ConnecxMerchant, currency: string, amount: number): boolean {
  const b = balanceOf(port, merchant, currency)
  return !b || b.ledger - b.pendingPayouts >= amount
}

/**
 * Balances move with transactions: a completed pay-in adds to the ledger; a pay-out is held as
 * pending from acceptance, then leaves the ledger when completed or is released when it fails.
 */
export function moveBalance(port: Port, tx: ConnecxTransaction, previous: NeutralStatus | undefined): void {
  const merchant = port.merchants.get(tx.merchant)
  if (!merchant) return
  const b = balanceOf(port, merchant, tx.currency)
  if (!b) return
  const wasOpen = previous === undefined || !FINAL_STATUSES.has(previous)
  const next = { ...b }
  if (tx.kind === 'payin') {
    if (tx.status === 'approved' && previous !== 'approved') next.ledger = round(next.ledger + tx.amount)
  } else {
    if (previous === undefined && !FINAL_STATUSES.has(tx.status))
      next.pendingPayouts = round(next.pendingPayouts + tx.amount)
    else if (previous === undefined && tx.status === 'approved') next.ledger = round(next.ledger - tx.amount)
    else if (wasOpen && FINAL_STATUSES.has(tx.status)) {
      next.pendingPayouts = round(next.pendingPayouts - tx.amount)
      if (tx.status === 'approved') next.ledger = round(next.ledger - tx.amount)
    }
  }
  if (next.ledger !== b.ledger || next.pendingPayouts !== b.pendingPayouts)
    port.state.set(key(merchant.id, tx.currency), next)
}
