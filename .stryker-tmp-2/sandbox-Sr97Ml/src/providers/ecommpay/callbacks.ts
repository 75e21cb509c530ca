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
import { signCallback } from './crypto.js';
import { dataOf, nativeState, renderCallbackBody } from './wire.js';

/**
 * ECommPay's retry schedule (research §5.1, docs "Callbacks"): 6 tries at 10 s intervals, then the
 * interval before attempt n grows as 70 + 10·1.12^(n−4) s until it reaches 4 h, then every 4 h;
 * at most 120 attempts (about 11 days). Entry i is the wait before attempt i + 2.
 */
export function retrySchedule(): string[] {
  if (stryMutAct_9fa48("159")) {
    {}
  } else {
    stryCov_9fa48("159");
    const out: string[] = stryMutAct_9fa48("160") ? ["Stryker was here"] : (stryCov_9fa48("160"), []);
    for (let attempt = 2; stryMutAct_9fa48("163") ? attempt > 120 : stryMutAct_9fa48("162") ? attempt < 120 : stryMutAct_9fa48("161") ? false : (stryCov_9fa48("161", "162", "163"), attempt <= 120); stryMutAct_9fa48("164") ? attempt-- : (stryCov_9fa48("164"), attempt++)) {
      if (stryMutAct_9fa48("165")) {
        {}
      } else {
        stryCov_9fa48("165");
        if (stryMutAct_9fa48("169") ? attempt > 6 : stryMutAct_9fa48("168") ? attempt < 6 : stryMutAct_9fa48("167") ? false : stryMutAct_9fa48("166") ? true : (stryCov_9fa48("166", "167", "168", "169"), attempt <= 6)) out.push(stryMutAct_9fa48("170") ? "" : (stryCov_9fa48("170"), '10s'));else {
          if (stryMutAct_9fa48("171")) {
            {}
          } else {
            stryCov_9fa48("171");
            const seconds = stryMutAct_9fa48("172") ? 70 - 10 * 1.12 ** (attempt - 4) : (stryCov_9fa48("172"), 70 + (stryMutAct_9fa48("173") ? 10 / 1.12 ** (attempt - 4) : (stryCov_9fa48("173"), 10 * 1.12 ** (stryMutAct_9fa48("174") ? attempt + 4 : (stryCov_9fa48("174"), attempt - 4)))));
            out.push((stryMutAct_9fa48("178") ? seconds < 14_400 : stryMutAct_9fa48("177") ? seconds > 14_400 : stryMutAct_9fa48("176") ? false : stryMutAct_9fa48("175") ? true : (stryCov_9fa48("175", "176", "177", "178"), seconds >= 14_400)) ? stryMutAct_9fa48("179") ? "" : (stryCov_9fa48("179"), '4h') : stryMutAct_9fa48("180") ? `` : (stryCov_9fa48("180"), `${Math.round(stryMutAct_9fa48("181") ? seconds / 1000 : (stryCov_9fa48("181"), seconds * 1000))}ms`));
          }
        }
      }
    }
    return out;
  }
}

/** Where a transaction's callbacks go: the request's callback URL, else the project's setting. */
export function callbackUrlOf(tx: Transaction, merchant: Merchant): string | undefined {
  if (stryMutAct_9fa48("182")) {
    {}
  } else {
    stryCov_9fa48("182");
    const d = dataOf(tx);
    const url = stryMutAct_9fa48("185") ? d.callbackUrl && (typeof merchant.callbackUrl === 'string' ? merchant.callbackUrl : '') : stryMutAct_9fa48("184") ? false : stryMutAct_9fa48("183") ? true : (stryCov_9fa48("183", "184", "185"), d.callbackUrl || ((stryMutAct_9fa48("188") ? typeof merchant.callbackUrl !== 'string' : stryMutAct_9fa48("187") ? false : stryMutAct_9fa48("186") ? true : (stryCov_9fa48("186", "187", "188"), typeof merchant.callbackUrl === (stryMutAct_9fa48("189") ? "" : (stryCov_9fa48("189"), 'string')))) ? merchant.callbackUrl : stryMutAct_9fa48("190") ? "Stryker was here!" : (stryCov_9fa48("190"), '')));
    return stryMutAct_9fa48("193") ? url && undefined : stryMutAct_9fa48("192") ? false : stryMutAct_9fa48("191") ? true : (stryCov_9fa48("191", "192", "193"), url || undefined);
  }
}

/**
 * Callbacks in the standard layout (seed examples), signed with the project's secret key in
 * top-level `signature` (last member). Sent for a Gate sale's redirect (`awaiting redirect
 * result`, with `redirect_data`) and for every final status of a sale, payout or refund.
 * Acknowledged by HTTP 200 only.
 */
export const ecommpayCallbacks: ProviderCallbacks = stryMutAct_9fa48("194") ? {} : (stryCov_9fa48("194"), {
  build(tx: Transaction, merchant: Merchant, {
    signature
  }): CallbackRequest | null {
    if (stryMutAct_9fa48("195")) {
      {}
    } else {
      stryCov_9fa48("195");
      const d = dataOf(tx);
      if (stryMutAct_9fa48("197") ? false : stryMutAct_9fa48("196") ? true : (stryCov_9fa48("196", "197"), d.callbackDisabled)) return null;
      const redirect = stryMutAct_9fa48("200") ? tx.kind === 'sale' && tx.status === 'pending' || d.channel === 'gate' : stryMutAct_9fa48("199") ? false : stryMutAct_9fa48("198") ? true : (stryCov_9fa48("198", "199", "200"), (stryMutAct_9fa48("202") ? tx.kind === 'sale' || tx.status === 'pending' : stryMutAct_9fa48("201") ? true : (stryCov_9fa48("201", "202"), (stryMutAct_9fa48("204") ? tx.kind !== 'sale' : stryMutAct_9fa48("203") ? true : (stryCov_9fa48("203", "204"), tx.kind === (stryMutAct_9fa48("205") ? "" : (stryCov_9fa48("205"), 'sale')))) && (stryMutAct_9fa48("207") ? tx.status !== 'pending' : stryMutAct_9fa48("206") ? true : (stryCov_9fa48("206", "207"), tx.status === (stryMutAct_9fa48("208") ? "" : (stryCov_9fa48("208"), 'pending')))))) && (stryMutAct_9fa48("210") ? d.channel !== 'gate' : stryMutAct_9fa48("209") ? true : (stryCov_9fa48("209", "210"), d.channel === (stryMutAct_9fa48("211") ? "" : (stryCov_9fa48("211"), 'gate')))));
      if (stryMutAct_9fa48("214") ? !redirect || !FINAL_STATUSES.has(tx.status) : stryMutAct_9fa48("213") ? false : stryMutAct_9fa48("212") ? true : (stryCov_9fa48("212", "213", "214"), (stryMutAct_9fa48("215") ? redirect : (stryCov_9fa48("215"), !redirect)) && (stryMutAct_9fa48("216") ? FINAL_STATUSES.has(tx.status) : (stryCov_9fa48("216"), !FINAL_STATUSES.has(tx.status))))) return null;
      const url = callbackUrlOf(tx, merchant);
      if (stryMutAct_9fa48("219") ? false : stryMutAct_9fa48("218") ? true : stryMutAct_9fa48("217") ? url : (stryCov_9fa48("217", "218", "219"), !url)) return null;
      const secret = String(merchant.secretKey);
      const body = signCallback(renderCallbackBody(tx, merchant), (stryMutAct_9fa48("222") ? signature !== 'invalid' : stryMutAct_9fa48("221") ? false : stryMutAct_9fa48("220") ? true : (stryCov_9fa48("220", "221", "222"), signature === (stryMutAct_9fa48("223") ? "" : (stryCov_9fa48("223"), 'invalid')))) ? stryMutAct_9fa48("224") ? `` : (stryCov_9fa48("224"), `${secret}-not-the-project-key`) : secret);
      const state = nativeState(tx);
      return stryMutAct_9fa48("225") ? {} : (stryCov_9fa48("225"), {
        url,
        method: stryMutAct_9fa48("226") ? "" : (stryCov_9fa48("226"), 'POST'),
        headers: stryMutAct_9fa48("227") ? {} : (stryCov_9fa48("227"), {
          'Content-Type': stryMutAct_9fa48("228") ? "" : (stryCov_9fa48("228"), 'application/json')
        }),
        body: JSON.stringify(body),
        event: stryMutAct_9fa48("229") ? `` : (stryCov_9fa48("229"), `${tx.kind} ${state.operationStatus}${redirect ? stryMutAct_9fa48("230") ? "" : (stryCov_9fa48("230"), ' (redirect_data)') : stryMutAct_9fa48("231") ? "Stryker was here!" : (stryCov_9fa48("231"), '')}, payment ${state.paymentStatus}`)
      });
    }
  },
  ackRule: stryMutAct_9fa48("232") ? "" : (stryCov_9fa48("232"), 'HTTP 200'),
  isAcknowledged: stryMutAct_9fa48("233") ? () => undefined : (stryCov_9fa48("233"), response => stryMutAct_9fa48("236") ? response.status !== 200 : stryMutAct_9fa48("235") ? false : stryMutAct_9fa48("234") ? true : (stryCov_9fa48("234", "235", "236"), response.status === 200)),
  retrySchedule: retrySchedule()
});