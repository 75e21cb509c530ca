import { describe, expect, it } from 'vitest'
import type { CallbackRequest, CallbackResponse } from '../../src/engine/provider.js'
import { disposables } from '../helpers.js'
import { MERCHANT_URL, TRIGGERS } from '../support/callbacks.js'

/**
 * The engine's delivery rules as each provider sets them, watched from outside: every retry
 * interval (one millisecond before it nothing, at it the next attempt) and each acknowledgement
 * rule's edges. The expected values are literals from the providers' documents and the contract,
 * never read from the provider modules.
 */
const use = disposables()

const m = 60_000
const h = 60 * m

/** ECommPay (research §5.1): 6 tries 10 s apart, then 70 + 10·1.12^(n−4) s until 4 h, then 4 h; 120 attempts. */
function ecommpayIntervals(): number[] {
  const out: number[] = []
  for (let n = 2; n <= 120; n++) {
    if (n <= 6) out.push(10_000)
    else out.push(Math.min(Math.round((70 + 10 * 1.12 ** (n - 4)) * 1000), 4 * h))
  }
  return out
}

const RETRY_INTERVALS: Record<string, number[]> = {
  // CONTRACT / research: 1m 5m 15m 1h 3h 6h after the first attempt.
  connecx: [1 * m, 5 * m, 15 * m, 1 * h, 3 * h, 6 * h],
  bankconnect: [1 * m, 5 * m, 15 * m, 1 * h, 3 * h],
  // PayAtom: resent every 60 s, 10 times.
  payatom: Array.from({ length: 10 }, () => 60_000),
  // ConnPay (research §3): 30 resends over 14 days, progressive (the sandbox's published steps).
  connpay: [
    1 * m,
    2 * m,
    5 * m,
    10 * m,
    12 * m,
    30 * m,
    1 * h,
    1 * h,
    2 * h,
    2 * h,
    3 * h,
    4 * h,
    6 * h,
    8 * h,
    10 * h,
    12 * h,
    12 * h,
    12 * h,
    12 * h,
    12 * h,
    12 * h,
    12 * h,
    12 * h,
    12 * h,
    24 * h,
    24 * h,
    24 * h,
    30 * h,
    40 * h,
    48 * h,
  ],
  ecommpay: ecommpayIntervals(),
}

describe('retry intervals, step by step', () => {
  it('the literal tables are what the documents say (ConnPay: 30 resends in exactly 14 days; ECommPay: 120 attempts, 4 h cap from attempt 69)', () => {
    expect(RETRY_INTERVALS.connpay).toHaveLength(30)
    expect(RETRY_INTERVALS.connpay.reduce((a, b) => a + b)).toBe(14 * 24 * h)
    expect(RETRY_INTERVALS.ecommpay).toHaveLength(119)
    expect(RETRY_INTERVALS.ecommpay[5]).toBe(84_049) // before attempt 7: 70 + 10·1.12³ s
    expect(RETRY_INTERVALS.ecommpay[66]).toBeLessThan(4 * h) // before attempt 68
    expect(RETRY_INTERVALS.ecommpay[67]).toBe(4 * h) // before attempt 69
  })

  for (const [provider, intervals] of Object.entries(RETRY_INTERVALS)) {
    it(`${provider}: ${intervals.length} retries, each exactly on its interval, then it gives up`, async () => {
      const attempts: number[] = []
      const sandbox = use.sandbox({
        providers: [provider],
        onCallback: () => {
          attempts.push(sandbox.clock.now())
          return { status: 500, body: 'down' }
        },
      })
      await sandbox.ready
      await TRIGGERS[provider](sandbox, '5001')
      await sandbox.clock.advance('2s')
      expect(attempts).toHaveLength(1)
      for (const [i, interval] of intervals.entries()) {
        await sandbox.clock.advance(interval - 1)
        expect(attempts, `attempt ${i + 2} came before its ${interval} ms interval`).toHaveLength(i + 1)
        await sandbox.clock.advance(1)
        expect(attempts, `attempt ${i + 2} did not come after ${interval} ms`).toHaveLength(i + 2)
        expect(attempts[i + 1] - attempts[i]).toBe(interval)
      }
      await sandbox.clock.advance('30d')
      expect(attempts).toHaveLength(intervals.length + 1)
      const [delivery] = sandbox.callbacks.list({ provider })
      expect(delivery.state).toBe('failed')
      expect(delivery.request.url).toContain(new URL(MERCHANT_URL).host)
    })
  }
})

type Answer = CallbackResponse & { acknowledged: boolean }
const ok = (status: number, body = ''): Answer => ({ status, body, acknowledged: true })
const no = (status: number, body = ''): Answer => ({ status, body, acknowledged: false })
const YES = '{"acknowledge":"yes"}'

const ACK_EDGES: Record<string, Answer[]> = {
  // Seed: the merchant answers HTTP 200 with {"acknowledge":"yes"} (its PHP prints hash_status first).
  payatom: [
    ok(200, YES),
    ok(200, '{"hash_status":"HashMatched","acknowledge":"yes"}'),
    ok(200, `\uFEFF${YES}`),
    ok(200, ` \r\n\t${YES}\n`),
    no(201, YES),
    no(204),
    no(202, YES),
    no(200, '{"acknowledge":"Yes"}'),
    no(200, '{"acknowledge":"YES"}'),
    no(200, '{"Acknowledge":"yes"}'),
    no(200, '{"acknowledge":true}'),
    no(200, '{"hash_status":"HashMismatch","acknowledge":"no"}'),
    no(200, '"yes"'),
    no(200, 'OK'),
    no(200),
    no(500, YES),
  ],
  // PaynetEasy: HTTP 200, any body.
  connpay: [ok(200), ok(200, 'OK'), ok(200, 'anything'), no(201), no(204), no(302), no(404), no(500, 'OK')],
  // ECommPay: HTTP 200 only.
  ecommpay: [ok(200), ok(200, 'OK'), no(201, 'OK'), no(204), no(299), no(301), no(500)],
  // Connecx and Bankconnect: any 2xx.
  // (An in-process `onCallback` may answer any number: below 200 is not 2xx either.)
  connecx: [no(199), ok(200), ok(201), ok(204), ok(299), no(300), no(302), no(400), no(500)],
  bankconnect: [no(199), ok(200, 'OK'), ok(201), ok(204), ok(299), no(300), no(304), no(404), no(503)],
}

/** Each rule as the journal states it when an answer is refused (the providers' documents in words). */
const ACK_RULE_TEXT: Record<string, string> = {
  payatom: 'HTTP 200 with the JSON body {"acknowledge":"yes"}',
  connpay: 'HTTP 200 (any body; 2xx other than 200 and redirects are not acknowledged)',
  ecommpay: 'HTTP 200',
  connecx: 'any HTTP 2xx answer',
  bankconnect: 'any HTTP 2xx answer',
}

describe('acknowledgement rules at their edges', () => {
  for (const [provider, answers] of Object.entries(ACK_EDGES)) {
    for (const answer of answers) {
      it(`${provider}: HTTP ${answer.status} ${JSON.stringify(answer.body)} is ${answer.acknowledged ? '' : 'NOT '}an acknowledgement`, async () => {
        const seen: CallbackRequest[] = []
        const sandbox = use.sandbox({
          providers: [provider],
          onCallback: (cb) => {
            seen.push(cb)
            return { status: answer.status, body: answer.body }
          },
        })
        await sandbox.ready
        await TRIGGERS[provider](sandbox, '5002')
        await sandbox.clock.advance('2s')
        expect(seen).toHaveLength(1)
        const [delivery] = sandbox.callbacks.list({ provider })
        expect(delivery.attempts[0]).toMatchObject({ status: answer.status, acknowledged: answer.acknowledged })
        expect(delivery.state).toBe(answer.acknowledged ? 'acknowledged' : 'scheduled')
        if (!answer.acknowledged) {
          expect(delivery.attempts[0].error).toMatch(/^not acknowledged: .* expects /)
          expect(delivery.attempts[0].error).toContain(` expects ${ACK_RULE_TEXT[provider]}; got HTTP ${answer.status}`)
        }
      })
    }
  }
})

/**
 * Which status changes send a callback, per the documents: Connecx only COMPLETED, CANCELLED or
 * FAILED ("never for FORAUTHZ, INPROCESS or PENDING"), Bankconnect only SUCC200/SUCC202 ("never for
 * SUCC201"), ConnPay only approved, declined, filtered and error, ECommPay a final status (and a
 * Gate sale's redirect), PayAtom every status change.
 */
const NOT_FINAL: Record<string, { status: string; sends: boolean }> = {
  connecx: { status: 'processing', sends: false },
  bankconnect: { status: 'processing', sends: false },
  connpay: { status: 'processing', sends: false },
  // A payout back to pending is no Gate sale awaiting its redirect: nothing to say.
  ecommpay: { status: 'pending', sends: false },
  payatom: { status: 'processing', sends: true },
}

describe('a change to a status that is not final', () => {
  for (const [provider, { status, sends }] of Object.entries(NOT_FINAL)) {
    it(`${provider}: moved to ${status} before the approval, ${sends ? 'a callback says so' : 'no callback'}; the approval sends one`, async () => {
      const seen: CallbackRequest[] = []
      const sandbox = use.sandbox({
        providers: [provider],
        onCallback: (cb) => {
          seen.push(cb)
          return provider === 'payatom' ? { status: 200, body: YES } : { status: 200, body: 'OK' }
        },
      })
      await sandbox.ready
      await TRIGGERS[provider](sandbox, '5003')
      const [tx] = sandbox.transactions.list({ provider })
      await sandbox.transactions.transition(tx.id, status)
      await sandbox.clock.advance('1s')
      expect(sandbox.transactions.get(tx.id)!.status).toBe(status)
      expect(seen).toHaveLength(sends ? 1 : 0)
      expect(sandbox.callbacks.list({ provider })).toHaveLength(sends ? 1 : 0)
      await sandbox.clock.advance('1s')
      expect(sandbox.transactions.get(tx.id)!.status).toBe('approved')
      expect(seen).toHaveLength(sends ? 2 : 1)
    })
  }
})
