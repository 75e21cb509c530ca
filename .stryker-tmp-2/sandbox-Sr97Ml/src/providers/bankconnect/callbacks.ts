// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import type { CallbackRequest, ProviderCallbacks } from '../../engine/provider.js';
import type { Merchant, Transaction } from '../../engine/types.js';
import { FINAL_STATUSES } from '../../engine/types.js';
import { phpJsonEncode } from '../../wire/php.js';
import { bankconnectCallbackChecksum } from './crypto.js';
import { settings, statusEntry, type BankconnectTxnData } from './wire.js';

/**
 * The callback body (CONTRACT): the status entry plus `amount` (as the merchant sent it) and
 * `checksum` = md5(merchant_no . order_id . amount . status . secret), written by `json_encode`.
 * `wrongSecret` signs it with a different secret (scenario `signature: invalid`).
 */
export function callbackBody(tx: Transaction, merchant: Merchant, wrongSecret = stryMutAct_9fa48("0") ? true : (stryCov_9fa48("0"), false)): string {
  if (stryMutAct_9fa48("1")) {
    {}
  } else {
    stryCov_9fa48("1");
    const entry = statusEntry(tx);
    const data = tx.data as unknown as BankconnectTxnData;
    const {
      merchantNo,
      secret
    } = settings(merchant);
    const checksum = bankconnectCallbackChecksum(stryMutAct_9fa48("2") ? {} : (stryCov_9fa48("2"), {
      merchantNo,
      orderId: entry.order_id,
      amount: data.amount,
      status: entry.status,
      secret: wrongSecret ? stryMutAct_9fa48("3") ? `` : (stryCov_9fa48("3"), `${secret}-wrong`) : secret
    }));
    return phpJsonEncode(stryMutAct_9fa48("4") ? {} : (stryCov_9fa48("4"), {
      ...entry,
      amount: data.amount,
      checksum
    }));
  }
}

/**
 * Bankconnect posts to the request's `end_point_url` when a payout becomes final (SUCC200 or
 * SUCC202), `Content-Type: application/json`. Acknowledged by any HTTP 2xx (CONTRACT).
 */
export const bankconnectCallbacks: ProviderCallbacks = stryMutAct_9fa48("5") ? {} : (stryCov_9fa48("5"), {
  build(tx: Transaction, merchant: Merchant, {
    signature
  }): CallbackRequest | null {
    if (stryMutAct_9fa48("6")) {
      {}
    } else {
      stryCov_9fa48("6");
      if (stryMutAct_9fa48("9") ? !FINAL_STATUSES.has(tx.status) && !tx.callbackUrl : stryMutAct_9fa48("8") ? false : stryMutAct_9fa48("7") ? true : (stryCov_9fa48("7", "8", "9"), (stryMutAct_9fa48("10") ? FINAL_STATUSES.has(tx.status) : (stryCov_9fa48("10"), !FINAL_STATUSES.has(tx.status))) || (stryMutAct_9fa48("11") ? tx.callbackUrl : (stryCov_9fa48("11"), !tx.callbackUrl)))) return null;
      const body = callbackBody(tx, merchant, stryMutAct_9fa48("14") ? signature !== 'invalid' : stryMutAct_9fa48("13") ? false : stryMutAct_9fa48("12") ? true : (stryCov_9fa48("12", "13", "14"), signature === (stryMutAct_9fa48("15") ? "" : (stryCov_9fa48("15"), 'invalid'))));
      return stryMutAct_9fa48("16") ? {} : (stryCov_9fa48("16"), {
        url: tx.callbackUrl,
        method: stryMutAct_9fa48("17") ? "" : (stryCov_9fa48("17"), 'POST'),
        headers: stryMutAct_9fa48("18") ? {} : (stryCov_9fa48("18"), {
          'Content-Type': stryMutAct_9fa48("19") ? "" : (stryCov_9fa48("19"), 'application/json')
        }),
        body,
        event: statusEntry(tx).payment_code
      });
    }
  },
  ackRule: stryMutAct_9fa48("20") ? "" : (stryCov_9fa48("20"), 'any HTTP 2xx answer'),
  isAcknowledged: stryMutAct_9fa48("21") ? () => undefined : (stryCov_9fa48("21"), response => stryMutAct_9fa48("24") ? response.status >= 200 || response.status < 300 : stryMutAct_9fa48("23") ? false : stryMutAct_9fa48("22") ? true : (stryCov_9fa48("22", "23", "24"), (stryMutAct_9fa48("27") ? response.status < 200 : stryMutAct_9fa48("26") ? response.status > 200 : stryMutAct_9fa48("25") ? true : (stryCov_9fa48("25", "26", "27"), response.status >= 200)) && (stryMutAct_9fa48("30") ? response.status >= 300 : stryMutAct_9fa48("29") ? response.status <= 300 : stryMutAct_9fa48("28") ? true : (stryCov_9fa48("28", "29", "30"), response.status < 300)))),
  retrySchedule: stryMutAct_9fa48("31") ? [] : (stryCov_9fa48("31"), [stryMutAct_9fa48("32") ? "" : (stryCov_9fa48("32"), '1m'), stryMutAct_9fa48("33") ? "" : (stryCov_9fa48("33"), '5m'), stryMutAct_9fa48("34") ? "" : (stryCov_9fa48("34"), '15m'), stryMutAct_9fa48("35") ? "" : (stryCov_9fa48("35"), '1h'), stryMutAct_9fa48("36") ? "" : (stryCov_9fa48("36"), '3h')])
});