import { describe, expect, it } from 'vitest'
import { payatom as client } from '../../src/providers/payatom/client.js'
import { istDay } from '../../src/providers/payatom/wire.js'
import {
  API_KEY,
  AUTO,
  B,
  errorText,
  json,
  OPS_KEY,
  PID,
  post,
  postV2,
  sandboxWith,
  SECRET,
  TOKEN,
  upi,
} from './support.js'

async function expectError(res: Response, message: string, status = 200) {
  expect(res.status).toBe(status)
  expect(await res.text()).toBe(errorText(message))
}

describe('wallet balance v1 (/api/wallet_balance.php)', () => {
  it('answers operator details and wallets, all values strings; refuses wrong token, email or code', async () => {
    const s = sandboxWith(AUTO)
    const body = { email: 'operator@payatom.test', verification_code: client.verificationCode('operator') }
    expect(body.verification_code).toBe('4b583376b2767b923c3e1da60d10de59')
    const res = await json(await s.fetch(post('/api/wallet_balance.php', body, { Authorization: OPS_KEY })))
    expect(Object.keys(res)).toEqual(['status', 'operator_details', 'wallets'])
    expect(res.operator_details).toEqual({ name: 'PayAtom Sandbox Operator', email: 'operator@payatom.test' })
    expect(Object.keys(res.wallets.upi[0])).toEqual([
      'account',
      'upi',
      'minimum_balance',
      'limit_volume',
      'usage_volume',
    ])
    expect(Object.keys(res.wallets.imps_upi[0])).toEqual([
      'account_holder',
      'account_number',
      'bank',
      'minimum_balance',
      'limit_volume',
      'usage_volume',
    ])
    expect(Object.values(res.wallets.upi[0]).every((v) => typeof v === 'string')).toBe(true)
    await expectError(await s.fetch(post('/api/wallet_balance.php', body)), 'Authorization header missing', 401)
    await expectError(
      await s.fetch(post('/api/wallet_balance.php', body, { Authorization: 'nope' })),
      'Invalid Authorization token',
      401,
    )
    await expectError(
      await s.fetch(
        post(
          '/api/wallet_balance.php',
          { ...body, verification_code: client.verificationCode('guess') },
          { Authorization: OPS_KEY },
        ),
      ),
      'Invalid email or verification code',
    )
    await expectError(
      await s.fetch(post('/api/wallet_balance.php', { email: body.email }, { Authorization: OPS_KEY })),
      'verification_code is required field',
    )
    await expectError(
      await s.fetch(post('/api/wallet_balance.php', '<xml/>', { Authorization: OPS_KEY })),
      'Invalid JSON',
    )
  })
})

describe('wallet balance v2 (/api/v2/wallet_balance.php)', () => {
  it('answers the documented shape; balances move with approved pay-ins and payouts; documented error codes', async () => {
    const s = sandboxWith(AUTO)
    const text = await (await s.fetch(postV2('/api/v2/wallet_balance.php', { pid: PID }))).text()
    expect(text).toBe(
      '{"status":"success","message":"Balance fetched successfully","user_balance":{"pid":"000000000000","payin_balance":25000,"payout_balance":18500,"payin_matured_balance":22000}}',
    )
    await s.fetch(post('/api/request.php', upi('ORD1234567890', { amount: 100 })))
    await s.fetch(
      post('/payout/api/request.php', {
        payment_mode: 'upi',
        pid: PID,
        order_id: 'PAYOUT00001',
        amount: 50,
        upi_id: 'r@upi',
        account_holder: 'R',
      }),
    )
    await s.clock.advance('2s')
    let b = (await json(await s.fetch(postV2('/api/v2/wallet_balance.php', { pid: PID })))).user_balance
    expect(b).toEqual({ pid: PID, payin_balance: 35000, payout_balance: 13500, payin_matured_balance: 22000 })
    await s.clock.advance('24h')
    b = (await json(await s.fetch(postV2('/api/v2/wallet_balance.php', { pid: PID })))).user_balance
    expect(b.payin_matured_balance).toBe(32000)
    await expectError(
      await s.fetch(post('/api/v2/wallet_balance.php', client.signV2({ pid: PID }, SECRET))),
      'X-Api-Key header is required',
      401,
    )
    await expectError(await s.fetch(postV2('/api/v2/wallet_balance.php', {})), 'pid not provided', 400)
    await expectError(
      await s.fetch(post('/api/v2/wallet_balance.php', { pid: PID }, { 'X-Api-Key': API_KEY })),
      'signature not provided',
      400,
    )
    await expectError(await s.fetch(postV2('/api/v2/wallet_balance.php', { pid: '111' })), 'Invalid PID', 400)
    await expectError(
      await s.fetch(postV2('/api/v2/wallet_balance.php', { pid: PID }, { 'X-Api-Key': 'nope' })),
      'Invalid API key',
      401,
    )
    await expectError(
      await s.fetch(
        post('/api/v2/wallet_balance.php', { pid: PID, signature: 'a'.repeat(64) }, { 'X-Api-Key': API_KEY }),
      ),
      'Invalid signature',
      401,
    )
    await expectError(
      await s.fetch(post('/api/v2/wallet_balance.php', 'nope', { 'X-Api-Key': API_KEY })),
      'Invalid JSON',
      400,
    )
  })
})

describe('complaints', () => {
  it('submit, then status Open, Resolved 24 h later; signature and token checked', async () => {
    const s = sandboxWith(AUTO)
    const { ref_code } = await json(await s.fetch(post('/api/request.php', upi('ORD1234567890'))))
    const auth = { Authorization: `Bearer ${TOKEN}` }
    const sig = client.complaintSignature([PID, 'ORD1234567890', ref_code], SECRET)
    const submit = {
      pid: PID,
      order_id: 'ORD1234567890',
      ref_code,
      signature: sig,
      complaint_description: 'Paid, still pending',
      screenshot_images: ['iVBORw0KGgo='],
    }
    const res = await json(await s.fetch(post('/api/complaint/submit_complaint.php', submit, auth)))
    expect(res).toEqual({ status: 'success', message: 'Complaint submitted successfully', complaint_id: 'CMP00000001' })
    const statusReq = {
      pid: PID,
      complaint_id: 'CMP00000001',
      signature: client.complaintSignature([PID, 'CMP00000001'], SECRET),
    }
    const open = await json(await s.fetch(post('/api/complaint/complaint_status.php', statusReq, auth)))
    expect(open).toMatchObject({
      status: 'success',
      complaint_id: 'CMP00000001',
      order_id: 'ORD1234567890',
      ref_code,
      complaint_status: 'Open',
      complaint_description: 'Paid, still pending',
    })
    await s.clock.advance('24h')
    expect(
      (await json(await s.fetch(post('/api/complaint/complaint_status.php', statusReq, auth)))).complaint_status,
    ).toBe('Resolved')
    await expectError(await s.fetch(post('/api/complaint/submit_complaint.php', submit)), 'Unauthorized', 401)
    await expectError(
      await s.fetch(post('/api/complaint/submit_complaint.php', submit, { Authorization: 'Bearer nope' })),
      'Unauthorized',
      401,
    )
    await expectError(
      await s.fetch(
        post(
          '/api/complaint/submit_complaint.php',
          { ...submit, signature: sig.replace(/^./, sig[0] === 'a' ? 'b' : 'a') },
          auth,
        ),
      ),
      'Invalid signature',
    )
    await expectError(
      await s.fetch(
        post(
          '/api/complaint/submit_complaint.php',
          {
            ...submit,
            ref_code: 'f'.repeat(64),
            signature: client.complaintSignature([PID, 'ORD1234567890', 'f'.repeat(64)], SECRET),
          },
          auth,
        ),
      ),
      'Transaction not found',
    )
    await expectError(
      await s.fetch(
        post('/api/complaint/submit_complaint.php', { ...submit, screenshot_images: ['not base64 !'] }, auth),
      ),
      'invalid screenshot_images',
    )
    await expectError(
      await s.fetch(post('/api/complaint/submit_complaint.php', { ...submit, ref_code: undefined }, auth)),
      'ref_code is required field',
    )
    await expectError(
      await s.fetch(
        post(
          '/api/complaint/complaint_status.php',
          { ...statusReq, complaint_id: 'CMP9', signature: client.complaintSignature([PID, 'CMP9'], SECRET) },
          auth,
        ),
      ),
      'Complaint not found',
    )
    await expectError(
      await s.fetch(post('/api/complaint/complaint_status.php', { ...statusReq, pid: '111' }, auth)),
      'invalid pid',
    )
  })
})

describe('reconciliation', () => {
  const recon = (path: string, date: string, headers: Record<string, string> = { Token: TOKEN }) =>
    post(path, { pid: PID, date, signature: client.reconciliationSignature(PID, SECRET, date) }, headers)

  it("pay-in: the day's pay-ins with the documented keys and integer amounts", async () => {
    const s = sandboxWith(AUTO)
    await s.fetch(post('/api/request.php', upi('ORD1234567890', { amount: '100' })))
    await s.fetch(post('/api/request.php', upi('ORDMISMATCH2', { amount: '100' })))
    await s.clock.advance('2s')
    const today = istDay(s.clock.now())
    const res = await json(await s.fetch(recon('/api/reconcile_polling.php', today)))
    expect(res.status).toBe('success')
    expect(res.message).toBe('Success')
    expect(res.data).toHaveLength(2)
    expect(Object.keys(res.data[0])).toEqual([
      'orderCreateDateTime',
      'statusChangeDateTime',
      'order_id',
      'ref_code',
      'amount_requested',
      'amount_received',
      'transaction_status',
      'bank_ref',
    ])
    expect(res.data[1]).toMatchObject({
      order_id: 'ORDMISMATCH2',
      amount_requested: 100,
      amount_received: 50,
      transaction_status: 'Amount Mismatch',
    })
    expect((await json(await s.fetch(recon('/api/reconcile_polling.php', '01-01-2001')))).data).toEqual([])
  })

  it('errors: Unauthorized Access, Missing Parameters, Invalid User, Verification Failed, Invalid Date Format', async () => {
    const s = sandboxWith(AUTO)
    const today = istDay(s.clock.now())
    await expectError(await s.fetch(recon('/api/reconcile_polling.php', today, {})), 'Unauthorized Access')
    await expectError(await s.fetch(recon('/api/reconcile_polling.php', today, { Token: 'x' })), 'Unauthorized Access')
    await expectError(
      await s.fetch(post('/api/reconcile_polling.php', { pid: PID, date: today }, { Token: TOKEN })),
      'Missing Parameters',
    )
    await expectError(
      await s.fetch(post('/api/reconcile_polling.php', { pid: '1', date: today, signature: 'x' }, { Token: TOKEN })),
      'Invalid User',
    )
    await expectError(
      await s.fetch(post('/api/reconcile_polling.php', { pid: PID, date: today, signature: 'x' }, { Token: TOKEN })),
      'Verification Failed',
    )
    await expectError(await s.fetch(recon('/api/reconcile_polling.php', '2023-10-15')), 'Invalid Date Format')
    await expectError(await s.fetch(recon('/api/reconcile_polling.php', '31-02-2023')), 'Invalid Date Format')
  })

  it('payout: approved payouts only, 10 calls per pid per day (sandbox clock), then refused until the next day', async () => {
    const s = sandboxWith(AUTO)
    await s.fetch(
      post('/payout/api/request.php', {
        payment_mode: 'upi',
        pid: PID,
        order_id: 'PAYOUT00001',
        amount: 50,
        upi_id: 'r@upi',
        account_holder: 'R',
      }),
    )
    await s.fetch(
      post('/payout/api/request.php', {
        payment_mode: 'upi',
        pid: PID,
        order_id: 'PAYDECLINE02',
        amount: 50,
        upi_id: 'r@upi',
        account_holder: 'R',
      }),
    )
    await s.clock.advance('2s')
    const today = istDay(s.clock.now())
    const first = await json(await s.fetch(recon('/payout/api/payout_reconcile_polling.php', today)))
    expect(first.data).toHaveLength(1)
    expect(Object.keys(first.data[0])).toEqual([
      'orderCreateDateTime',
      'statusChangeDateTime',
      'order_id',
      'ref_code',
      'amount_requested',
      'amount_processed',
      'transaction_status',
      'bank_ref',
    ])
    expect(first.data[0]).toMatchObject({
      order_id: 'PAYOUT00001',
      amount_requested: 50,
      amount_processed: 50,
      transaction_status: 'Approved',
    })
    // unauthenticated calls do not count
    await s.fetch(
      post('/payout/api/payout_reconcile_polling.php', { pid: PID, date: today, signature: 'x' }, { Token: TOKEN }),
    )
    for (let i = 2; i <= 10; i++)
      expect((await json(await s.fetch(recon('/payout/api/payout_reconcile_polling.php', today)))).status).toBe(
        'success',
      )
    await expectError(
      await s.fetch(recon('/payout/api/payout_reconcile_polling.php', today)),
      'Rate limit exceeded. Maximum 10 requests per day allowed.',
    )
    // the pay-in reconciliation is not limited
    expect((await json(await s.fetch(recon('/api/reconcile_polling.php', today)))).status).toBe('success')
    await s.clock.advance('24h')
    expect((await json(await s.fetch(recon('/payout/api/payout_reconcile_polling.php', today)))).status).toBe('success')
  })
})

describe('wallet transaction summary and wallet data (Api-Key)', () => {
  it("summary groups the day's pay-ins of an account by status", async () => {
    const s = sandboxWith(AUTO)
    await s.fetch(post('/api/request.php', upi('ORD1234567890', { amount: 100 })))
    await s.fetch(post('/api/request.php', upi('ORD1234567891', { amount: 200 })))
    await s.fetch(post('/api/request.php', upi('ORDDECLINE03', { amount: 5 })))
    await s.clock.advance('2s')
    const today = istDay(s.clock.now())
    const res = await json(
      await s.fetch(
        post(
          '/bot/api_v2/account_deposit.php',
          { account_number: '50100012345678', date_type: 'created', date: today },
          { 'Api-Key': OPS_KEY },
        ),
      ),
    )
    expect(res).toMatchObject({
      status: 'success',
      account_number: '50100012345678',
      total_count: 3,
      total_amount: 305,
    })
    expect(res.summary).toEqual(
      expect.arrayContaining([
        { status: 'Approved', count: 2, amount: 300 },
        { status: 'Declined', count: 1, amount: 5 },
      ]),
    )
    await expectError(await s.fetch(post('/bot/api_v2/account_deposit.php', {})), 'Api-Key header missing', 401)
    await expectError(
      await s.fetch(post('/bot/api_v2/account_deposit.php', {}, { 'Api-Key': 'x' })),
      'Invalid or unauthorized Api-Key',
      401,
    )
    await expectError(
      await s.fetch(
        post('/bot/api_v2/account_deposit.php', { account_number: '1', date_type: 'created' }, { 'Api-Key': OPS_KEY }),
      ),
      'date is required field',
    )
    await expectError(
      await s.fetch(
        post(
          '/bot/api_v2/account_deposit.php',
          { account_number: '1', date_type: 'paid', date: today },
          { 'Api-Key': OPS_KEY },
        ),
      ),
      'invalid date_type',
    )
    await expectError(
      await s.fetch(
        post(
          '/bot/api_v2/account_deposit.php',
          { account_number: '1', date_type: 'created', date: 'today' },
          { 'Api-Key': OPS_KEY },
        ),
      ),
      'Invalid Date Format',
    )
    await expectError(
      await s.fetch(
        post(
          '/bot/api_v2/account_deposit.php',
          { account_number: '1', date_type: 'created', date: today },
          { 'Api-Key': OPS_KEY },
        ),
      ),
      'Account not found',
    )
  })

  it('wallet data lists active and inactive accounts; operatorActive false → 401', async () => {
    const s = sandboxWith(AUTO)
    const get = (h: Record<string, string> = { 'Api-Key': OPS_KEY }) =>
      s.fetch(new Request(`${B}/bot/api_v2/wallet_data.php`, { headers: h }))
    const res = await json(await get())
    expect(res.data).toMatchObject({ total_wallets: 6, active_wallets: 5, inactive_wallets: 1 })
    expect(res.data.wallets.find((w: { account_number: string }) => w.account_number === '01600000004').status).toBe(
      'inactive',
    )
    await expectError(await get({}), 'Api-Key header missing', 401)
    await expectError(
      await s.fetch(post('/bot/api_v2/wallet_data.php', {}, { 'Api-Key': OPS_KEY })),
      'Only GET method is allowed',
    )
    await s.merchants.patch('payatom', PID, { operatorActive: false })
    await expectError(await get(), 'Invalid or unauthorized Api-Key', 401)
  })
})

describe('OpenAPI document', () => {
  it('is current (openapi/payatom.json) and documents every route and the sandbox contract', async () => {
    const { payatom } = await import('../../src/providers/payatom/index.js')
    const { readFileSync } = await import('node:fs')
    const doc = await payatom.openapi()
    expect(readFileSync(new URL('../../openapi/payatom.json', import.meta.url), 'utf8')).toBe(
      JSON.stringify(doc, null, 2) + '\n',
    )
    expect(doc.info.description).toContain('## Sandbox contract')
    expect(Object.keys(doc.paths ?? {})).toHaveLength(23)
  })
})
