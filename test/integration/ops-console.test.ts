/**
 * The operations console's routes on the emulators: the counters the plan commits keep (each
 * debit counted once in its day and hour, duplicate deliveries included), the agenda and daily
 * metrics read from them, and dead letters listed and redriven back to work.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

async function newPlan(t: TestStack, token: string) {
  const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
  await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token }) });
  const plan = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, { periods: 3 }), headers: { 'idempotency-key': `ops-${cus.id}` } });
  expect(plan.status).toBe(201);
  return { planId: plan.body.planId as string, customerId: cus.id as string, firstAmount: plan.body.installments[0].amountDue.amount as number };
}

describe('Operations counters, agenda and daily metrics', () => {
  let t: TestStack;
  let paid: Awaited<ReturnType<typeof newPlan>>;

  beforeAll(async () => {
    t = await startTestStack();
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    paid = await newPlan(t, 'tok_ok');
    await newPlan(t, 'tok_insufficient_funds');
    // Every SQS message is delivered twice from here on.
    await t.http('POST', '/local/chaos', { body: { duplicateDelivery: true } });
    // The first debits run on 28 February at 09:00 Shanghai (01:00 UTC).
    await t.stack.run(new Date('2026-02-28T03:00:00Z'));
    await t.http('POST', '/local/chaos', { body: { duplicateDelivery: false } });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('counts each debit once, in the local day and hour it was made, though every message came twice', async () => {
    const res = await t.http('GET', '/v1/ops/agenda?date=2026-02-28', { token: t.adminToken });

    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe('Asia/Shanghai');
    expect(res.body.totals).toMatchObject({ due: 2, attempted: 2, paid: 1, failed: 1, pending: 0, reminded: 0 });
    expect(res.body.totals.collected).toEqual([{ amount: paid.firstAmount, currency: 'CNY' }]);
    expect(res.body.hours).toHaveLength(24);
    expect(res.body.hours[9]).toMatchObject({ hour: 9, due: 2, attempted: 2, paid: 1, failed: 1 });
    expect(res.body.hours.filter((h: { attempted: number }) => h.attempted > 0)).toHaveLength(1);
    // Only the debit wrote money: exactly one charge at the gateway, and one counted.
    expect(t.stack.gateway.charges().filter((c) => c.planId === paid.planId)).toHaveLength(1);
  });

  it('counts the reminders of the days before on their own days', async () => {
    const [before3, before1] = await Promise.all(
      ['2026-02-25', '2026-02-27'].map(async (date) => (await t.http('GET', `/v1/ops/agenda?date=${date}`, { token: t.adminToken })).body),
    );
    expect(before3.totals).toMatchObject({ reminded: 2, attempted: 0 });
    expect(before3.hours[10].reminded).toBe(2);
    expect(before1.totals.reminded).toBe(2);
  });

  it('gives the days with collections, failure rate and decline reasons', async () => {
    const res = await t.http('GET', '/v1/ops/metrics/daily?from=2026-02-26&to=2026-02-28', { token: t.adminToken });

    expect(res.status).toBe(200);
    expect(res.body.days.map((d: { date: string }) => d.date)).toEqual(['2026-02-26', '2026-02-27', '2026-02-28']);
    expect(res.body.days[0]).toMatchObject({ failureRate: null, collected: [] });
    expect(res.body.days[2]).toMatchObject({ paid: 1, failed: 1, failureRate: 0.5, collected: [{ amount: paid.firstAmount, currency: 'CNY' }] });
    expect(res.body.declineReasons).toEqual([{ code: 'insufficient_funds', count: 1 }]);
    expect(res.body.rollRates).toEqual({ currentToOverdue: 0, overdueToDefaulted: null });
    expect(await t.contractViolations()).toEqual([]);
  });

  it('counts installments and plans turning overdue when the grace period ends', async () => {
    // Grace is 3 days: the declined installment is overdue on 3 March (its retries decline too).
    await t.stack.run(new Date('2026-03-04T03:00:00Z'));
    const res = await t.http('GET', '/v1/ops/metrics/daily?from=2026-02-28&to=2026-03-04', { token: t.adminToken });
    const sum = (k: string) => res.body.days.reduce((s: number, d: Record<string, number>) => s + d[k]!, 0);
    expect(sum('overdue')).toBe(1);
    expect(sum('plansOverdue')).toBe(1);
    expect(sum('due')).toBe(2);
    expect(res.body.rollRates.currentToOverdue).toBe(0.5);
    expect(sum('failed')).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('refuses a range backwards or longer than 92 days, and a date that is not one', async () => {
    const backwards = await t.http('GET', '/v1/ops/metrics/daily?from=2026-03-01&to=2026-02-01', { token: t.adminToken });
    expect(backwards.status).toBe(422);
    expect(backwards.body.code).toBe('METRICS.RANGE_INVALID');
    const long = await t.http('GET', '/v1/ops/metrics/daily?from=2025-01-01&to=2026-02-01', { token: t.adminToken });
    expect(long.status).toBe(422);
    expect(long.body.code).toBe('METRICS.RANGE_TOO_LONG');
    const bad = await t.http('GET', '/v1/ops/agenda?date=2026-02-30', { token: t.adminToken });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('date');
  });

  it('answers 403 to a customer on every operations route', async () => {
    const token = await t.stack.token(paid.customerId);
    for (const [method, path] of [
      ['GET', '/v1/ops/agenda'],
      ['GET', '/v1/ops/metrics/daily'],
      ['GET', '/v1/ops/dead-letters'],
      ['GET', '/v1/ops/dead-letters/notices/messages'],
      ['POST', '/v1/ops/dead-letters/notices/redrive'],
    ] as const) {
      const res = await t.http(method, path, { token });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.code).toBe('AUTH.ADMIN_REQUIRED');
    }
  });
});

describe('Dead letters in the operations console', () => {
  let t: TestStack;
  let sqs: SQSClient;

  beforeAll(async () => {
    t = await startTestStack();
    sqs = new SQSClient({ endpoint: t.stack.endpoints.sqs, region: 'us-east-1', useQueueUrlAsEndpoint: false, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('lists a dead letter, shows it, and gets its debit done by a redrive', async () => {
    // Prepare: a debit that is due is claimed and queued, and dead-lettered before anyone handled it.
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    const plan = await newPlan(t, 'tok_ok');
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    t.stack.clock.set(new Date('2026-02-28T01:05:00Z'));
    await t.stack.sweep({}, {} as never);
    const q = t.stack.resources.queues.repaymentAttempts;
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(1);
    await sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: Messages[0]!.Body! }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: Messages[0]!.ReceiptHandle! }));

    // Act + Assess: the console sees it.
    const list = await t.http('GET', '/v1/ops/dead-letters', { token: t.adminToken });
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual({ queue: 'repaymentAttempts', depth: 1, inFlight: 0 });
    expect(list.body.items).toContainEqual({ queue: 'notices', depth: 0, inFlight: 0 });
    const look = await t.http('GET', '/v1/ops/dead-letters/repaymentAttempts/messages?limit=5', { token: t.adminToken });
    expect(look.body.items).toHaveLength(1);
    expect(JSON.parse(look.body.items[0].body).planId).toBe(plan.planId);
    // Looking takes nothing away.
    expect((await t.http('GET', '/v1/ops/dead-letters', { token: t.adminToken })).body.items).toContainEqual({ queue: 'repaymentAttempts', depth: 1, inFlight: 0 });

    const redrive = await t.http('POST', '/v1/ops/dead-letters/repaymentAttempts/redrive', { token: t.adminToken });
    expect(redrive.status).toBe(202);
    expect(redrive.body).toEqual({ queue: 'repaymentAttempts', mode: 'moved', moved: 1 });
    expect((await t.http('GET', '/v1/ops/dead-letters', { token: t.adminToken })).body.items).toContainEqual({ queue: 'repaymentAttempts', depth: 0, inFlight: 0 });
    await t.stack.drain();

    const detail = (await t.http('GET', `/v1/plans/${plan.planId}`, { token: t.adminToken })).body;
    expect(detail.installments[0].status).toBe('paid');
    const agenda = (await t.http('GET', '/v1/ops/agenda?date=2026-02-28', { token: t.adminToken })).body;
    expect(agenda.totals).toMatchObject({ attempted: 1, paid: 1 });
    expect(await t.contractViolations()).toEqual([]);
  }, 60_000);

  it('refuses a queue it does not know with 400 naming it', async () => {
    const res = await t.http('POST', '/v1/ops/dead-letters/payments/redrive', { token: t.adminToken });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('queue');
  });
});
