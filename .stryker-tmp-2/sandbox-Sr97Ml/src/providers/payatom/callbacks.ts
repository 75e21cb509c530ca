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
import type { CallbackRequest, CallbackResponse, ProviderCallbacks } from '../../engine/provider.js';
import type { Merchant, Transaction } from '../../engine/types.js';
import { phpJsonEncode } from '../../wire/php.js';
import { payatomPostHash, payatomWebhookHash } from './crypto.js';
import { bankRef, dataOf, nativeStatus, payinView, refundInfo, secretOf, type ParentSnapshot, type RefundSnapshot } from './wire.js';

/** Resent every 60 s, 10 times, until acknowledged (CONTRACT). */
export const RETRY_SCHEDULE = Array.from(stryMutAct_9fa48("237") ? {} : (stryCov_9fa48("237"), {
  length: 10
}), stryMutAct_9fa48("238") ? () => undefined : (stryCov_9fa48("238"), () => stryMutAct_9fa48("239") ? "" : (stryCov_9fa48("239"), '60s')));

/**
 * `base64_encode(encrypt(md5(order_id . amount . status . secret_key), secret_key))` with a fresh
 * random IV; a deliberately bad one is encrypted with the wrong key.
 */
export function postHashFor(orderId: string, amount: string, status: string, secret: string, signature: 'valid' | 'invalid' = stryMutAct_9fa48("240") ? "" : (stryCov_9fa48("240"), 'valid')): string {
  if (stryMutAct_9fa48("241")) {
    {}
  } else {
    stryCov_9fa48("241");
    const key = (stryMutAct_9fa48("244") ? signature !== 'invalid' : stryMutAct_9fa48("243") ? false : stryMutAct_9fa48("242") ? true : (stryCov_9fa48("242", "243", "244"), signature === (stryMutAct_9fa48("245") ? "" : (stryCov_9fa48("245"), 'invalid')))) ? stryMutAct_9fa48("246") ? `` : (stryCov_9fa48("246"), `${secret}-not-the-secret`) : secret;
    return payatomPostHash(payatomWebhookHash(stryMutAct_9fa48("247") ? {} : (stryCov_9fa48("247"), {
      orderId,
      amount,
      status,
      secretKey: secret
    })), key);
  }
}

/** The refund as a pay-in shows it, from the refund transaction itself. */
export function refundSnapshotOf(refund: Transaction): RefundSnapshot {
  if (stryMutAct_9fa48("248")) {
    {}
  } else {
    stryCov_9fa48("248");
    const d = dataOf(refund) as ReturnType<typeof dataOf> & {
      parent: ParentSnapshot;
    };
    const status = nativeStatus(refund);
    const completed = (stryMutAct_9fa48("251") ? status !== 'Refund Completed' : stryMutAct_9fa48("250") ? false : stryMutAct_9fa48("249") ? true : (stryCov_9fa48("249", "250", "251"), status === (stryMutAct_9fa48("252") ? "" : (stryCov_9fa48("252"), 'Refund Completed')))) ? stryMutAct_9fa48("254") ? [...refund.history].find(h => h.status === 'refunded' || h.status === 'approved')?.at : stryMutAct_9fa48("253") ? [...refund.history].reverse().find(h => h.status === 'refunded' || h.status === 'approved').at : (stryCov_9fa48("253", "254"), (stryMutAct_9fa48("255") ? [] : (stryCov_9fa48("255"), [...refund.history])).reverse().find(stryMutAct_9fa48("256") ? () => undefined : (stryCov_9fa48("256"), h => stryMutAct_9fa48("259") ? h.status === 'refunded' && h.status === 'approved' : stryMutAct_9fa48("258") ? false : stryMutAct_9fa48("257") ? true : (stryCov_9fa48("257", "258", "259"), (stryMutAct_9fa48("261") ? h.status !== 'refunded' : stryMutAct_9fa48("260") ? false : (stryCov_9fa48("260", "261"), h.status === (stryMutAct_9fa48("262") ? "" : (stryCov_9fa48("262"), 'refunded')))) || (stryMutAct_9fa48("264") ? h.status !== 'approved' : stryMutAct_9fa48("263") ? false : (stryCov_9fa48("263", "264"), h.status === (stryMutAct_9fa48("265") ? "" : (stryCov_9fa48("265"), 'approved')))))))?.at) : undefined;
    return stryMutAct_9fa48("266") ? {} : (stryCov_9fa48("266"), {
      refundId: refund.id,
      refCode: refund.providerRef,
      amountText: d.amountText,
      status,
      initiatedAt: refund.createdAt,
      completedAt: completed,
      notes: stryMutAct_9fa48("267") ? d.refundNotes && '' : (stryCov_9fa48("267"), d.refundNotes ?? (stryMutAct_9fa48("268") ? "Stryker was here!" : (stryCov_9fa48("268"), ''))),
      upi: stryMutAct_9fa48("271") ? d.parent.senderUpi && d.parent.upiId : stryMutAct_9fa48("270") ? false : stryMutAct_9fa48("269") ? true : (stryCov_9fa48("269", "270", "271"), d.parent.senderUpi || d.parent.upiId)
    });
  }
}

/** The pay-in webhook body, keys in the seed's order. */
export function payinWebhookBody(view: ParentSnapshot & {
  refundInfo: Record<string, string> | [];
}, merchant: Merchant, signature: 'valid' | 'invalid' = stryMutAct_9fa48("272") ? "" : (stryCov_9fa48("272"), 'valid')): Record<string, unknown> {
  if (stryMutAct_9fa48("273")) {
    {}
  } else {
    stryCov_9fa48("273");
    return stryMutAct_9fa48("274") ? {} : (stryCov_9fa48("274"), {
      order_id: view.orderId,
      requested_amount: view.amountText,
      status: view.status,
      post_hash: postHashFor(view.orderId, view.receivedAmount, view.status, secretOf(merchant), signature),
      received_amount: view.receivedAmount,
      bank_ref: view.bankRef,
      sender_upi: view.senderUpi,
      ref_code: view.refCode,
      refund_info: view.refundInfo
    });
  }
}

/** The payout webhook body (sandbox contract: the documents do not show it). */
export function payoutBody(tx: Transaction, merchant: Merchant, signature: 'valid' | 'invalid' = stryMutAct_9fa48("275") ? "" : (stryCov_9fa48("275"), 'valid')): Record<string, unknown> {
  if (stryMutAct_9fa48("276")) {
    {}
  } else {
    stryCov_9fa48("276");
    const d = dataOf(tx);
    const status = nativeStatus(tx);
    return stryMutAct_9fa48("277") ? {} : (stryCov_9fa48("277"), {
      order_id: tx.reference,
      amount: d.amountText,
      status,
      post_hash: postHashFor(tx.reference, d.amountText, status, secretOf(merchant), signature),
      utr: bankRef(tx),
      ref_code: tx.providerRef
    });
  }
}
const urlSetting = stryMutAct_9fa48("278") ? () => undefined : (stryCov_9fa48("278"), (() => {
  const urlSetting = (value: unknown) => (stryMutAct_9fa48("281") ? typeof value === 'string' || value.trim() !== '' : stryMutAct_9fa48("280") ? false : stryMutAct_9fa48("279") ? true : (stryCov_9fa48("279", "280", "281"), (stryMutAct_9fa48("283") ? typeof value !== 'string' : stryMutAct_9fa48("282") ? true : (stryCov_9fa48("282", "283"), typeof value === (stryMutAct_9fa48("284") ? "" : (stryCov_9fa48("284"), 'string')))) && (stryMutAct_9fa48("286") ? value.trim() === '' : stryMutAct_9fa48("285") ? true : (stryCov_9fa48("285", "286"), (stryMutAct_9fa48("287") ? value : (stryCov_9fa48("287"), value.trim())) !== (stryMutAct_9fa48("288") ? "Stryker was here!" : (stryCov_9fa48("288"), '')))))) ? value : undefined;
  return urlSetting;
})());

/**
 * PayAtom POSTs JSON to the merchant's webhook URL (a merchant setting: `webhookUrl` for pay-ins
 * and refunds, `payoutWebhookUrl` for payouts; none by default) on every status change. It is
 * acknowledged only by HTTP 200 with `{"acknowledge":"yes"}`, otherwise resent every 60 s, 10 times.
 */
export const payatomCallbacks: ProviderCallbacks = stryMutAct_9fa48("289") ? {} : (stryCov_9fa48("289"), {
  /** Every resend carries a `post_hash` with a fresh IV, as the seed's PHP `encrypt()` makes it; nothing else changes. */
  resign(request: CallbackRequest, merchant: Merchant, {
    signature
  }): CallbackRequest {
    if (stryMutAct_9fa48("290")) {
      {}
    } else {
      stryCov_9fa48("290");
      const sent = JSON.parse(request.body) as Record<string, unknown>;
      if (stryMutAct_9fa48("293") ? typeof sent.post_hash === 'string' : stryMutAct_9fa48("292") ? false : stryMutAct_9fa48("291") ? true : (stryCov_9fa48("291", "292", "293"), typeof sent.post_hash !== (stryMutAct_9fa48("294") ? "" : (stryCov_9fa48("294"), 'string')))) return request;
      const amount = String(stryMutAct_9fa48("295") ? sent.received_amount && sent.amount : (stryCov_9fa48("295"), sent.received_amount ?? sent.amount));
      const fresh = postHashFor(String(sent.order_id), amount, String(sent.status), secretOf(merchant), signature);
      return stryMutAct_9fa48("296") ? {} : (stryCov_9fa48("296"), {
        ...request,
        body: request.body.replace(phpJsonEncode(sent.post_hash), phpJsonEncode(fresh))
      });
    }
  },
  build(tx: Transaction, merchant: Merchant, {
    signature
  }): CallbackRequest | null {
    if (stryMutAct_9fa48("297")) {
      {}
    } else {
      stryCov_9fa48("297");
      let body: Record<string, unknown>;
      let url: string | undefined;
      if (stryMutAct_9fa48("300") ? tx.kind !== 'payout' : stryMutAct_9fa48("299") ? false : stryMutAct_9fa48("298") ? true : (stryCov_9fa48("298", "299", "300"), tx.kind === (stryMutAct_9fa48("301") ? "" : (stryCov_9fa48("301"), 'payout')))) {
        if (stryMutAct_9fa48("302")) {
          {}
        } else {
          stryCov_9fa48("302");
          url = urlSetting(merchant.payoutWebhookUrl);
          body = payoutBody(tx, merchant, signature);
        }
      } else if (stryMutAct_9fa48("305") ? tx.kind !== 'refund' : stryMutAct_9fa48("304") ? false : stryMutAct_9fa48("303") ? true : (stryCov_9fa48("303", "304", "305"), tx.kind === (stryMutAct_9fa48("306") ? "" : (stryCov_9fa48("306"), 'refund')))) {
        if (stryMutAct_9fa48("307")) {
          {}
        } else {
          stryCov_9fa48("307");
          url = urlSetting(merchant.webhookUrl);
          const d = dataOf(tx) as ReturnType<typeof dataOf> & {
            parent: ParentSnapshot;
          };
          const refund = refundSnapshotOf(tx);
          const status = (stryMutAct_9fa48("310") ? refund.status !== 'Refund Failed' : stryMutAct_9fa48("309") ? false : stryMutAct_9fa48("308") ? true : (stryCov_9fa48("308", "309", "310"), refund.status === (stryMutAct_9fa48("311") ? "" : (stryCov_9fa48("311"), 'Refund Failed')))) ? d.parent.status : refund.status;
          body = payinWebhookBody(stryMutAct_9fa48("312") ? {} : (stryCov_9fa48("312"), {
            ...d.parent,
            status,
            refundInfo: refundInfo(refund)
          }), merchant, signature);
        }
      } else {
        if (stryMutAct_9fa48("313")) {
          {}
        } else {
          stryCov_9fa48("313");
          url = urlSetting(merchant.webhookUrl);
          body = payinWebhookBody(payinView(tx), merchant, signature);
        }
      }
      if (stryMutAct_9fa48("316") ? false : stryMutAct_9fa48("315") ? true : stryMutAct_9fa48("314") ? url : (stryCov_9fa48("314", "315", "316"), !url)) return null;
      return stryMutAct_9fa48("317") ? {} : (stryCov_9fa48("317"), {
        url,
        method: stryMutAct_9fa48("318") ? "" : (stryCov_9fa48("318"), 'POST'),
        headers: stryMutAct_9fa48("319") ? {} : (stryCov_9fa48("319"), {
          'Content-Type': stryMutAct_9fa48("320") ? "" : (stryCov_9fa48("320"), 'application/json')
        }),
        body: phpJsonEncode(body),
        event: String(body.status)
      });
    }
  },
  ackRule: stryMutAct_9fa48("321") ? "" : (stryCov_9fa48("321"), 'HTTP 200 with the JSON body {"acknowledge":"yes"}'),
  isAcknowledged: stryMutAct_9fa48("322") ? () => undefined : (stryCov_9fa48("322"), (response: CallbackResponse) => stryMutAct_9fa48("325") ? response.status === 200 || acknowledges(response.body) : stryMutAct_9fa48("324") ? false : stryMutAct_9fa48("323") ? true : (stryCov_9fa48("323", "324", "325"), (stryMutAct_9fa48("327") ? response.status !== 200 : stryMutAct_9fa48("326") ? true : (stryCov_9fa48("326", "327"), response.status === 200)) && acknowledges(response.body))),
  retrySchedule: RETRY_SCHEDULE
});

/** Whether a merchant's answer body is a JSON object with `"acknowledge":"yes"`. */
export function acknowledges(body: string): boolean {
  if (stryMutAct_9fa48("328")) {
    {}
  } else {
    stryCov_9fa48("328");
    try {
      if (stryMutAct_9fa48("329")) {
        {}
      } else {
        stryCov_9fa48("329");
        const parsed = JSON.parse(body.replace(/^\uFEFF/, '').trim()) as unknown;
        return stryMutAct_9fa48("332") ? typeof parsed === 'object' && parsed !== null || (parsed as Record<string, unknown>).acknowledge === 'yes' : stryMutAct_9fa48("331") ? false : stryMutAct_9fa48("330") ? true : (stryCov_9fa48("330", "331", "332"), (stryMutAct_9fa48("334") ? typeof parsed === 'object' || parsed !== null : stryMutAct_9fa48("333") ? true : (stryCov_9fa48("333", "334"), (stryMutAct_9fa48("336") ? typeof parsed !== 'object' : stryMutAct_9fa48("335") ? true : (stryCov_9fa48("335", "336"), typeof parsed === (stryMutAct_9fa48("337") ? "" : (stryCov_9fa48("337"), 'object')))) && (stryMutAct_9fa48("339") ? parsed === null : stryMutAct_9fa48("338") ? true : (stryCov_9fa48("338", "339"), parsed !== null)))) && (stryMutAct_9fa48("341") ? (parsed as Record<string, unknown>).acknowledge !== 'yes' : stryMutAct_9fa48("340") ? true : (stryCov_9fa48("340", "341"), (parsed as Record<string, unknown>).acknowledge === (stryMutAct_9fa48("342") ? "" : (stryCov_9fa48("342"), 'yes')))));
      }
    } catch {
      if (stryMutAct_9fa48("343")) {
        {}
      } else {
        stryCov_9fa48("343");
        return stryMutAct_9fa48("344") ? true : (stryCov_9fa48("344"), false);
      }
    }
  }
}