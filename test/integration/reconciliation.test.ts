/**
 * Reconciliation against the real emulators: the provider's own listing of captures (the
 * simulated gateway's ledger) against the succeeded records the sparse index holds, both ways,
 * for a local day in Asia/Shanghai; and the report served to operators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileDay } from '../../shared/application/reconcile-day.ts';
import { summarize } from '../../shared/domain/plan.ts';
import type { RepaymentRecord } from '../../shared/domain/repayment.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Reconciliation: provider captures against repayment records, both ways', () => {
  let t: TestStack;
  let seq = 0;
  const planIds: string[] = [];

  async function customerWithPlan(method: Record<string, unknown> = {}) {
    seq += 1;
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86139100${String(seq).padStart(5, '0')}` }) })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod(method) });
    const created = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(cus.id, { periods: 3, orderId: `ORD-RECON-${seq}` }),
      headers: { 'idempotency-key': `recon-${seq}` },
    });
    expect(created.status).toBe(201);
    return { customerId: cus.id as string, planId: created.body.planId as string };
  }

  /** Writes a succeeded record through the repository, in the same commit the worker uses. */
  async function recordSuccess(planId: string, id: string, createdAt: Date, amount = 1_000) {
    const detail = (await t.stack.deps.plans.get(planId))!;
    const record: RepaymentRecord = {
      id,
      planId,
      kind: 'manual',
      periods: [3],
      amount,
      currency: 'CNY',
      paymentMethodId: 'pm_test',
      paymentMethodDisplay: 'test card',
      provider: 'simulated',
      status: 'succeeded',
      gatewayReference: `ref_${id}`,
      createdAt: createdAt.toISOString(),
    };
    expect(await t.stack.deps.plans.commit({ plan: detail.plan, installments: [], record, guard: { kind: 'unlocked', now: createdAt } }, summarize(detail.installments))).toBe(
      'committed',
    );
  }

  const chargeRequest = (planId: string, idempotencyKey: string, amount = 1_000) =>
    ({ idempotencyKey, provider: 'simulated', token: 'tok_ok', methodType: 'bank_card', amount, currency: 'CNY', planId, mode: 'auto' }) as const;

  beforeAll(async () => {
    t = await startTestStack();
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    // Card debits, and a wallet whose debit is pending until its webhook settles it.
    for (const method of [{}, {}, { type: 'alipay', token: 'tok_async', display: 'alipay 139****0001' }]) planIds.push((await customerWithPlan(method)).planId);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reconciles a day of debits to zero differences, on its schedule during the run', async () => {
    // Act: run through 28 Feb (the first due date, debits at 09:00 Shanghai) and the 10:30 run of 1 March.
    await t.stack.run(new Date('2026-03-01T02:45:00Z'));

    // Assess: every debit captured and recorded (the wallet's record settled by its webhook).
    const captured = t.stack.gateway.charges().filter((c) => planIds.includes(c.planId));
    expect(captured).toHaveLength(3);
    const run = t.stack.reconciliations.find((r) => r.date === '2026-02-28');
    expect(run).toEqual({ at: '2026-03-01T02:30:00.000Z', date: '2026-02-28', captures: 3, records: 3, differences: 0, pending: [] });
    expect(t.stack.reconciliations.every((r) => r.differences === 0)).toBe(true);
    // Every day since the clock started was reconciled once.
    expect(t.stack.reconciliations.map((r) => r.date)).toContain('2026-02-01');
    expect(new Set(t.stack.reconciliations.map((r) => r.date)).size).toBe(t.stack.reconciliations.length);
  });

  it('reports a capture the database never recorded as missing_record', async () => {
    // Prepare: the provider captured (a worker that died and was never resumed), no record.
    t.stack.clock.set(new Date('2026-03-05T02:00:00Z'));
    const key = `${planIds[0]}:3:7`;
    t.stack.gateway.captureSilently(chargeRequest(planIds[0]!, key, 4_321));
    t.stack.clock.set(new Date('2026-03-06T03:00:00Z'));

    // Act
    const result = await reconcileDay(t.stack.deps, { date: '2026-03-05' });

    // Assess
    expect(result.ok && result.value.differences).toEqual([
      {
        kind: 'missing_record',
        provider: 'simulated',
        idempotencyKey: key,
        planId: planIds[0],
        capture: { amount: 4_321, currency: 'CNY', gatewayReference: expect.stringMatching(/^sim_/), capturedAt: '2026-03-05T02:00:00.000Z' },
      },
    ]);
  });

  it('reports a succeeded record the provider does not list as missing_capture', async () => {
    // Prepare: a record written through the repository, with no charge behind it.
    const key = `${planIds[1]}:manual:00000000deadbeef`;
    await recordSuccess(planIds[1]!, key, new Date('2026-03-07T03:00:00Z'), 2_500);
    t.stack.clock.set(new Date('2026-03-08T03:00:00Z'));

    // Act
    const result = await reconcileDay(t.stack.deps, { date: '2026-03-07' });

    // Assess
    expect(result.ok && result.value).toMatchObject({
      date: '2026-03-07',
      captures: 0,
      records: 1,
      differenceCount: 1,
      differences: [{ kind: 'missing_capture', idempotencyKey: key, planId: planIds[1], record: { amount: 2_500, currency: 'CNY', recordedAt: '2026-03-07T03:00:00.000Z' } }],
    });
  });

  it('does not call a capture at 23:59:59.9 recorded after midnight a difference, on either day', async () => {
    // Prepare: captured at 23:59:59.9 on 9 March in Shanghai, recorded at 00:00:00.1 on the 10th.
    const key = `${planIds[1]}:manual:00000000cafef00d`;
    t.stack.clock.set(new Date('2026-03-09T15:59:59.900Z'));
    expect(await t.stack.gateway.charge(chargeRequest(planIds[1]!, key))).toMatchObject({ outcome: 'captured' });
    t.stack.clock.set(new Date('2026-03-09T16:00:00.100Z'));
    await recordSuccess(planIds[1]!, key, t.stack.clock.now());
    t.stack.clock.set(new Date('2026-03-11T03:00:00Z'));

    // Act
    const ninth = await reconcileDay(t.stack.deps, { date: '2026-03-09' });
    const tenth = await reconcileDay(t.stack.deps, { date: '2026-03-10' });

    // Assess
    expect(ninth.ok && ninth.value).toMatchObject({ captures: 1, records: 0, differences: [] });
    expect(tenth.ok && tenth.value).toMatchObject({ captures: 0, records: 1, differences: [] });
  });

  describe('GET /v1/ops/reconciliation', () => {
    it('serves the stored report of a day to an admin', async () => {
      const res = await t.http('GET', '/v1/ops/reconciliation?date=2026-03-05', { token: t.adminToken });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        date: '2026-03-05',
        timeZone: 'Asia/Shanghai',
        ranAt: '2026-03-06T03:00:00.000Z',
        providers: ['simulated'],
        captures: 1,
        records: 0,
        differenceCount: 1,
        differences: [expect.objectContaining({ kind: 'missing_record', idempotencyKey: `${planIds[0]}:3:7` })],
      });
    });

    it('reconciles a finished day that has no report yet, and stores it', async () => {
      const res = await t.http('GET', '/v1/ops/reconciliation?date=2026-03-03', { token: t.adminToken });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ date: '2026-03-03', differences: [] });
      expect(await t.stack.deps.reconciliation.getReport('2026-03-03')).toMatchObject({ date: '2026-03-03' });
    });

    it('takes yesterday in Shanghai without a date', async () => {
      // 2026-03-11T03:00Z is 11:00 on the 11th in Shanghai.
      const res = await t.http('GET', '/v1/ops/reconciliation', { token: t.adminToken });
      expect(res.status).toBe(200);
      expect(res.body.date).toBe('2026-03-10');
    });

    it('refuses a day that is not over (409) and a malformed date (400)', async () => {
      const today = await t.http('GET', '/v1/ops/reconciliation?date=2026-03-11', { token: t.adminToken });
      expect(today.status).toBe(409);
      expect(today.body).toMatchObject({ code: 'RECONCILIATION.DAY_NOT_OVER' });
      const bad = await t.http('GET', '/v1/ops/reconciliation?date=2026-13-01', { token: t.adminToken });
      expect(bad.status).toBe(400);
    });

    it('answers 403 to a customer and 401 without a token', async () => {
      // A plan's purchase date must lie near today (intake), and the builder's is 31 January.
      t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
      const { customerId } = await customerWithPlan();
      const customer = await t.http('GET', '/v1/ops/reconciliation?date=2026-03-05', { token: await t.stack.token(customerId) });
      expect(customer.status).toBe(403);
      expect(customer.body).toMatchObject({ code: 'AUTH.ADMIN_REQUIRED' });
      expect(JSON.stringify(customer.body)).not.toContain('missing_record');
      expect((await t.http('GET', '/v1/ops/reconciliation?date=2026-03-05')).status).toBe(401);
    });
  });
});
