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
import { callbackControl } from './crypto.js';
import { CALLBACK_STATUSES, dataOf, nativeState, type ConnPayMerchant } from './model.js';
import { appendQuery } from './wire.js';

/**
 * Progressive resend schedule: 30 resends over exactly 14 days (research §3: "30 times over 14
 * days on a progressive schedule"; the intervals are not published, these are sandbox contract).
 */
export const RETRY_SCHEDULE = stryMutAct_9fa48("72") ? [] : (stryCov_9fa48("72"), [stryMutAct_9fa48("73") ? "" : (stryCov_9fa48("73"), '1m'), stryMutAct_9fa48("74") ? "" : (stryCov_9fa48("74"), '2m'), stryMutAct_9fa48("75") ? "" : (stryCov_9fa48("75"), '5m'), stryMutAct_9fa48("76") ? "" : (stryCov_9fa48("76"), '10m'), stryMutAct_9fa48("77") ? "" : (stryCov_9fa48("77"), '12m'), stryMutAct_9fa48("78") ? "" : (stryCov_9fa48("78"), '30m'), stryMutAct_9fa48("79") ? "" : (stryCov_9fa48("79"), '1h'), stryMutAct_9fa48("80") ? "" : (stryCov_9fa48("80"), '1h'), stryMutAct_9fa48("81") ? "" : (stryCov_9fa48("81"), '2h'), stryMutAct_9fa48("82") ? "" : (stryCov_9fa48("82"), '2h'), stryMutAct_9fa48("83") ? "" : (stryCov_9fa48("83"), '3h'), stryMutAct_9fa48("84") ? "" : (stryCov_9fa48("84"), '4h'), stryMutAct_9fa48("85") ? "" : (stryCov_9fa48("85"), '6h'), stryMutAct_9fa48("86") ? "" : (stryCov_9fa48("86"), '8h'), stryMutAct_9fa48("87") ? "" : (stryCov_9fa48("87"), '10h'), stryMutAct_9fa48("88") ? "" : (stryCov_9fa48("88"), '12h'), stryMutAct_9fa48("89") ? "" : (stryCov_9fa48("89"), '12h'), stryMutAct_9fa48("90") ? "" : (stryCov_9fa48("90"), '12h'), stryMutAct_9fa48("91") ? "" : (stryCov_9fa48("91"), '12h'), stryMutAct_9fa48("92") ? "" : (stryCov_9fa48("92"), '12h'), stryMutAct_9fa48("93") ? "" : (stryCov_9fa48("93"), '12h'), stryMutAct_9fa48("94") ? "" : (stryCov_9fa48("94"), '12h'), stryMutAct_9fa48("95") ? "" : (stryCov_9fa48("95"), '12h'), stryMutAct_9fa48("96") ? "" : (stryCov_9fa48("96"), '12h'), stryMutAct_9fa48("97") ? "" : (stryCov_9fa48("97"), '24h'), stryMutAct_9fa48("98") ? "" : (stryCov_9fa48("98"), '24h'), stryMutAct_9fa48("99") ? "" : (stryCov_9fa48("99"), '24h'), stryMutAct_9fa48("100") ? "" : (stryCov_9fa48("100"), '30h'), stryMutAct_9fa48("101") ? "" : (stryCov_9fa48("101"), '40h'), stryMutAct_9fa48("102") ? "" : (stryCov_9fa48("102"), '48h')]);

/**
 * The callback parameters of a transaction in its current status, in the order they are sent
 * (research §3, underscore names): `status, orderid, merchant_order, client_orderid, type, amount,
 * control, descriptor, error_message, error_code, processor-tx-id`, then `merchantdata` when the
 * payout carried `merchant_data`. `control = sha1(status + orderid + client_orderid + control key)`.
 *
 * @example
 * callbackFields(tx, merchant) // [['status','approved'], ['orderid','6982864'], …]
 */
export function callbackFields(tx: Transaction, merchant: Merchant, controlKey = String(merchant.controlKey)): Array<[string, string | undefined]> {
  if (stryMutAct_9fa48("103")) {
    {}
  } else {
    stryCov_9fa48("103");
    const state = nativeState(tx);
    const data = dataOf(tx);
    const control = callbackControl(stryMutAct_9fa48("104") ? {} : (stryCov_9fa48("104"), {
      status: state.status,
      orderId: tx.providerRef,
      clientOrderId: tx.reference,
      controlKey
    }));
    return stryMutAct_9fa48("105") ? [] : (stryCov_9fa48("105"), [stryMutAct_9fa48("106") ? [] : (stryCov_9fa48("106"), [stryMutAct_9fa48("107") ? "" : (stryCov_9fa48("107"), 'status'), state.status]), stryMutAct_9fa48("108") ? [] : (stryCov_9fa48("108"), [stryMutAct_9fa48("109") ? "" : (stryCov_9fa48("109"), 'orderid'), tx.providerRef]), stryMutAct_9fa48("110") ? [] : (stryCov_9fa48("110"), [stryMutAct_9fa48("111") ? "" : (stryCov_9fa48("111"), 'merchant_order'), tx.reference]), stryMutAct_9fa48("112") ? [] : (stryCov_9fa48("112"), [stryMutAct_9fa48("113") ? "" : (stryCov_9fa48("113"), 'client_orderid'), tx.reference]), stryMutAct_9fa48("114") ? [] : (stryCov_9fa48("114"), [stryMutAct_9fa48("115") ? "" : (stryCov_9fa48("115"), 'type'), stryMutAct_9fa48("116") ? "" : (stryCov_9fa48("116"), 'payout')]), stryMutAct_9fa48("117") ? [] : (stryCov_9fa48("117"), [stryMutAct_9fa48("118") ? "" : (stryCov_9fa48("118"), 'amount'), data.amount]), stryMutAct_9fa48("119") ? [] : (stryCov_9fa48("119"), [stryMutAct_9fa48("120") ? "" : (stryCov_9fa48("120"), 'control'), control]), stryMutAct_9fa48("121") ? [] : (stryCov_9fa48("121"), [stryMutAct_9fa48("122") ? "" : (stryCov_9fa48("122"), 'descriptor'), String(stryMutAct_9fa48("123") ? (merchant as ConnPayMerchant).descriptor && '' : (stryCov_9fa48("123"), (merchant as ConnPayMerchant).descriptor ?? (stryMutAct_9fa48("124") ? "Stryker was here!" : (stryCov_9fa48("124"), ''))))]), stryMutAct_9fa48("125") ? [] : (stryCov_9fa48("125"), [stryMutAct_9fa48("126") ? "" : (stryCov_9fa48("126"), 'error_message'), stryMutAct_9fa48("127") ? state.errorMessage && '' : (stryCov_9fa48("127"), state.errorMessage ?? (stryMutAct_9fa48("128") ? "Stryker was here!" : (stryCov_9fa48("128"), '')))]), stryMutAct_9fa48("129") ? [] : (stryCov_9fa48("129"), [stryMutAct_9fa48("130") ? "" : (stryCov_9fa48("130"), 'error_code'), stryMutAct_9fa48("131") ? state.errorCode && '' : (stryCov_9fa48("131"), state.errorCode ?? (stryMutAct_9fa48("132") ? "Stryker was here!" : (stryCov_9fa48("132"), '')))]), stryMutAct_9fa48("133") ? [] : (stryCov_9fa48("133"), [stryMutAct_9fa48("134") ? "" : (stryCov_9fa48("134"), 'processor-tx-id'), stryMutAct_9fa48("135") ? `` : (stryCov_9fa48("135"), `PNTEST-${tx.providerRef}`)]), stryMutAct_9fa48("136") ? [] : (stryCov_9fa48("136"), [stryMutAct_9fa48("137") ? "" : (stryCov_9fa48("137"), 'merchantdata'), data.merchantData])]);
  }
}

/**
 * ConnPay calls `server_callback_url` with HTTP GET when a payout reaches a final status
 * (approved, declined, filtered, error), the parameters appended to the URL's query; it resends
 * until the merchant answers HTTP 200.
 */
export const connpayCallbacks: ProviderCallbacks = stryMutAct_9fa48("138") ? {} : (stryCov_9fa48("138"), {
  build(tx: Transaction, merchant: Merchant, {
    signature
  }): CallbackRequest | null {
    if (stryMutAct_9fa48("139")) {
      {}
    } else {
      stryCov_9fa48("139");
      if (stryMutAct_9fa48("142") ? false : stryMutAct_9fa48("141") ? true : stryMutAct_9fa48("140") ? tx.callbackUrl : (stryCov_9fa48("140", "141", "142"), !tx.callbackUrl)) return null;
      const state = nativeState(tx);
      if (stryMutAct_9fa48("145") ? false : stryMutAct_9fa48("144") ? true : stryMutAct_9fa48("143") ? CALLBACK_STATUSES.has(state.status) : (stryCov_9fa48("143", "144", "145"), !CALLBACK_STATUSES.has(state.status))) return null;
      const key = String(merchant.controlKey);
      const fields = callbackFields(tx, merchant, (stryMutAct_9fa48("148") ? signature !== 'invalid' : stryMutAct_9fa48("147") ? false : stryMutAct_9fa48("146") ? true : (stryCov_9fa48("146", "147", "148"), signature === (stryMutAct_9fa48("149") ? "" : (stryCov_9fa48("149"), 'invalid')))) ? stryMutAct_9fa48("150") ? `` : (stryCov_9fa48("150"), `${key}-WRONG`) : key);
      return stryMutAct_9fa48("151") ? {} : (stryCov_9fa48("151"), {
        url: appendQuery(tx.callbackUrl, fields),
        method: stryMutAct_9fa48("152") ? "" : (stryCov_9fa48("152"), 'GET'),
        headers: {},
        body: stryMutAct_9fa48("153") ? "Stryker was here!" : (stryCov_9fa48("153"), ''),
        event: state.status
      });
    }
  },
  ackRule: stryMutAct_9fa48("154") ? "" : (stryCov_9fa48("154"), 'HTTP 200 (any body; 2xx other than 200 and redirects are not acknowledged)'),
  isAcknowledged: stryMutAct_9fa48("155") ? () => undefined : (stryCov_9fa48("155"), response => stryMutAct_9fa48("158") ? response.status !== 200 : stryMutAct_9fa48("157") ? false : stryMutAct_9fa48("156") ? true : (stryCov_9fa48("156", "157", "158"), response.status === 200)),
  retrySchedule: RETRY_SCHEDULE
});