/**
 * Races a review found, each replayed against the real emulators: a customer's payment
 * racing an auto-debit, a payment after a worker died mid-charge, and two installments of one
 * plan paid at the same moment.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repayPlan } from '../../shared/application/plan-actions.ts';
import { runAgendaAction } from '../../shared/application/run-agenda-action.ts';
import { sweepAgenda } from '../../shared/application/sweep-agenda.ts';
import { attemptId } from '../../shared/domain/repayment.ts';
import type { PlanRepository } from '../../shared/ports/plan-repository.port.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Races on one plan', () => {
  let t: TestStack;

  async function newPlan(key: string, overrides: Record<string, unknown> = {}) {
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    return (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, { periods: 3, ...overrides }), headers: { 'idempotency-key': key } })).body
      .planId as string;
  }
  const charges = (planId: string) => t.stack.gateway.charges().filter((c) => c.planId === planId);

  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses a customer payment planned before an auto-debit that completed before its lock', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const planId = await newPlan('race-1');
    await t.stack.run(new Date('2026-02-28T01:00:00Z')); // the auto-debit pays period 1
    expect(charges(planId)).toHaveLength(1);
    // Prepare: the customer's request read the plan while period 1 was still unpaid.
    const plans = t.stack.deps.plans;
    const stale = await plans.get(planId);
    stale!.installments[0] = { ...stale!.installments[0]!, status: 'due', amountPaid: 0 };
    stale!.plan.paidPeriods = 0;
    let reads = 0;
    t.stack.deps.plans = new Proxy(plans, {
      get: (target, prop) =>
        prop === 'get' ? async (id: string) => (reads++ === 0 ? structuredClone(stale) : target.get(id)) : (Reflect.get(target, prop, target) as () => unknown).bind(target),
    }) as PlanRepository;

    // Act
    const result = await repayPlan(t.stack.deps, { planId, scope: 'next', idempotencyKey: 'pay-now-1' });
    t.stack.deps.plans = plans;

    // Assess: refused, one charge.
    expect(result).toMatchObject({ ok: false, error: { code: 'REPAYMENT.PLAN_CHANGED' } });
    expect(charges(planId)).toHaveLength(1);
  });

  it('will not charge a customer beside an automatic attempt whose worker died after charging', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const planId = await newPlan('race-2');
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    t.stack.clock.set(new Date('2026-02-28T01:00:00Z'));
    await sweepAgenda(t.stack.deps);
    const detail = await t.stack.deps.plans.get(planId);
    const claim = detail!.installments[0]!.claim!;
    const id = attemptId(planId, 1, 1);
    // The worker locked, the gateway captured, the worker died.
    await t.stack.deps.plans.lockAttempt(planId, 1, claim, { id, provider: 'simulated', since: t.stack.clock.now() }, new Date('2026-02-28T01:02:00Z'), t.stack.clock.now());
    t.stack.gateway.captureSilently({ idempotencyKey: id, provider: 'simulated', token: 'tok_ok', methodType: 'bank_card', amount: 54_392, currency: 'CNY', planId, mode: 'auto' });

    // Act: after the lock's lease, before the agenda's, the customer pays.
    t.stack.clock.set(new Date('2026-02-28T01:05:00Z'));
    const manual = await repayPlan(t.stack.deps, { planId, scope: 'next', idempotencyKey: 'pay-now-2' });

    // Assess: refused; the agenda then resumes the attempt and records the one capture.
    expect(manual).toMatchObject({ ok: false, error: { code: 'REPAYMENT.IN_PROGRESS' } });
    await t.stack.drain();
    await t.stack.run(new Date('2026-02-28T01:30:00Z'));
    expect(charges(planId)).toHaveLength(1);
    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records).toEqual([expect.objectContaining({ id, status: 'succeeded' })]);
  });

  it('keeps the plan totals right when two of its installments are paid at the same moment', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const planId = await newPlan('race-3');
    // Prepare: both the first and the second debit are due when the sweep runs.
    t.stack.clock.set(new Date('2026-04-01T02:00:00Z'));
    const sqs = new SQSClient({
      endpoint: t.stack.endpoints.sqs,
      region: 'us-east-1',
      useQueueUrlAsEndpoint: false,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    for (let i = 0; i < 6; i++) {
      await sweepAgenda(t.stack.deps);
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: t.stack.resources.queues.repaymentAttempts.url, MaxNumberOfMessages: 10 }));
      // Act: every claimed action of the plan at once, as one Lambda batch would.
      await Promise.all(Messages.map((m) => runAgendaAction(t.stack.deps, JSON.parse(m.Body!))));
    }

    // Assess
    const detail = await t.stack.deps.plans.get(planId);
    const paid = detail!.installments.filter((i) => i.status === 'paid');
    expect(paid.map((i) => i.period)).toEqual([1, 2]);
    expect(detail!.plan.paidPeriods).toBe(2);
    expect(detail!.plan.amountPaid).toBe(paid.reduce((s, i) => s + i.amountPaid, 0));
  });
});

describe('A customer payment whose request died', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('is finished by the agenda from its pending record: charged once, recorded as asked', async () => {
    // Prepare: a plan; the customer pays the next installment and the request dies right
    // after the gateway captured.
    t.stack.clock.set(new Date('2026-02-10T04:00:00Z'));
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    const planId = (
      await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, { periods: 3, purchaseDate: '2026-02-01' }), headers: { 'idempotency-key': 'died-1' } })
    ).body.planId;
    const gateway = t.stack.deps.gateway;
    t.stack.deps.gateway = {
      ...gateway,
      charge: async (r) => {
        await gateway.charge(r);
        throw new Error('the request died');
      },
    };
    await expect(repayPlan(t.stack.deps, { planId, scope: 'next', idempotencyKey: 'pay-died' })).rejects.toThrow('the request died');
    t.stack.deps.gateway = gateway;

    // Act: the customer never retries; the agenda comes by after the payment's lock ran out.
    await t.stack.run(new Date('2026-02-10T05:00:00Z'));

    // Assess
    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records).toEqual([expect.objectContaining({ kind: 'manual', scope: 'next', status: 'succeeded', periods: [1] })]);
    expect(t.stack.gateway.charges().filter((c) => c.planId === planId)).toHaveLength(1);
    const detail = await t.stack.deps.plans.get(planId);
    expect(detail!.installments[0]).toMatchObject({ status: 'paid' });
    expect(detail!.installments[0]!.inflightAttemptId).toBeUndefined();
    expect(detail!.plan).toMatchObject({ paidPeriods: 1 });
  });
});
