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
import { connecxToken, DEFAULT_RECIPES, recipeParts } from './crypto.js';
import { renderTxn } from './wire.js';

/**
 * Connecx posts the result object to `callbackUrl` when a transaction becomes COMPLETED,
 * CANCELLED or FAILED, with an `X-paymesh-authz` header (recipe per merchant; sandbox contract
 * default sha256_hex(merchantId + txnId + apiKey)). Acknowledged by any HTTP 2xx (sandbox
 * contract: the document states no rule).
 */
export const connecxCallbacks: ProviderCallbacks = stryMutAct_9fa48("37") ? {} : (stryCov_9fa48("37"), {
  build(tx: Transaction, merchant: Merchant, {
    signature
  }): CallbackRequest | null {
    if (stryMutAct_9fa48("38")) {
      {}
    } else {
      stryCov_9fa48("38");
      if (stryMutAct_9fa48("41") ? !FINAL_STATUSES.has(tx.status) && !tx.callbackUrl : stryMutAct_9fa48("40") ? false : stryMutAct_9fa48("39") ? true : (stryCov_9fa48("39", "40", "41"), (stryMutAct_9fa48("42") ? FINAL_STATUSES.has(tx.status) : (stryCov_9fa48("42"), !FINAL_STATUSES.has(tx.status))) || (stryMutAct_9fa48("43") ? tx.callbackUrl : (stryCov_9fa48("43"), !tx.callbackUrl)))) return null;
      const body = renderTxn(tx, merchant);
      const recipe = ((merchant.tokenRecipes as Record<string, string[]> | undefined)?.callback ?? DEFAULT_RECIPES.callback) as readonly string[];
      const values = stryMutAct_9fa48("44") ? {} : (stryCov_9fa48("44"), {
        ...body,
        txnId: tx.providerRef,
        merchantId: merchant.id,
        apiKey: (stryMutAct_9fa48("47") ? signature !== 'invalid' : stryMutAct_9fa48("46") ? false : stryMutAct_9fa48("45") ? true : (stryCov_9fa48("45", "46", "47"), signature === (stryMutAct_9fa48("48") ? "" : (stryCov_9fa48("48"), 'invalid')))) ? stryMutAct_9fa48("49") ? `` : (stryCov_9fa48("49"), `${merchant.apiKey}-wrong`) : merchant.apiKey
      });
      return stryMutAct_9fa48("50") ? {} : (stryCov_9fa48("50"), {
        url: tx.callbackUrl,
        method: stryMutAct_9fa48("51") ? "" : (stryCov_9fa48("51"), 'POST'),
        headers: stryMutAct_9fa48("52") ? {} : (stryCov_9fa48("52"), {
          'Content-Type': stryMutAct_9fa48("53") ? "" : (stryCov_9fa48("53"), 'application/json'),
          'X-paymesh-authz': connecxToken(recipeParts(recipe, values))
        }),
        body: JSON.stringify(body),
        event: String(body.status)
      });
    }
  },
  ackRule: stryMutAct_9fa48("54") ? "" : (stryCov_9fa48("54"), 'any HTTP 2xx answer'),
  isAcknowledged: stryMutAct_9fa48("55") ? () => undefined : (stryCov_9fa48("55"), response => stryMutAct_9fa48("58") ? response.status >= 200 || response.status < 300 : stryMutAct_9fa48("57") ? false : stryMutAct_9fa48("56") ? true : (stryCov_9fa48("56", "57", "58"), (stryMutAct_9fa48("61") ? response.status < 200 : stryMutAct_9fa48("60") ? response.status > 200 : stryMutAct_9fa48("59") ? true : (stryCov_9fa48("59", "60", "61"), response.status >= 200)) && (stryMutAct_9fa48("64") ? response.status >= 300 : stryMutAct_9fa48("63") ? response.status <= 300 : stryMutAct_9fa48("62") ? true : (stryCov_9fa48("62", "63", "64"), response.status < 300)))),
  retrySchedule: stryMutAct_9fa48("65") ? [] : (stryCov_9fa48("65"), [stryMutAct_9fa48("66") ? "" : (stryCov_9fa48("66"), '1m'), stryMutAct_9fa48("67") ? "" : (stryCov_9fa48("67"), '5m'), stryMutAct_9fa48("68") ? "" : (stryCov_9fa48("68"), '15m'), stryMutAct_9fa48("69") ? "" : (stryCov_9fa48("69"), '1h'), stryMutAct_9fa48("70") ? "" : (stryCov_9fa48("70"), '3h'), stryMutAct_9fa48("71") ? "" : (stryCov_9fa48("71"), '6h')])
});