/**
 * The agenda against the real emulators: claims, duplicate delivery, a worker that dies after
 * the charge, and a sweep that reads only what is due.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgendaAction } from '../../shared/application/run-agenda-action.ts';
import { sweepAgenda } from '../../shared/application/sweep-agenda.ts';
import { attemptId } from '../../shared/domain/repayment.ts';
import type { AgendaMessage } from '../../shared/ports/messaging.port.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Agenda on the local stack', () => {
  let t: TestStack;
  let sqs: SQSClient;

  async function newPlan(token = 'tok_ok', overrides: Record<string, unknown> = {}) {
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token }) });
    const plan = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, overrides), headers: { 'idempotency-key': `k-${cus.id}` } });
    return plan.body.planId as string;
  }

  async function takeAgendaMessages(): Promise<AgendaMessage[]> {
    const out: AgendaMessage[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: t.stack.resources.queues.repaymentAttempts.url, MaxNumberOfMessages: 10 }));
      if (Messages.length === 0) return out;
      out.push(...Messages.map((m) => JSON.parse(m.Body!) as AgendaMessage));
    }
  }

  beforeAll(async () => {
    t = await startTestStack();
    sqs = new SQSClient({ endpoint: t.stack.endpoints.sqs, region: 'us-east-1', useQueueUrlAsEndpoint: false, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('never queues the same action twice when sweeps overlap', async () => {
    // Prepare: three plans whose first reminder is due.
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    await Promise.all([newPlan(), newPlan(), newPlan()]);
    t.stack.clock.set(new Date('2026-02-25T02:00:00Z'));

    // Act: two sweeps at once.
    const [a, b] = await Promise.all([sweepAgenda(t.stack.deps), sweepAgenda(t.stack.deps)]);

    // Assess: three claims between them, three messages in the queue.
    expect(a.claimed + b.claimed).toBe(3);
    const messages = await takeAgendaMessages();
    expect(messages).toHaveLength(3);
    expect(new Set(messages.map((m) => `${m.planId}:${m.period}`)).size).toBe(3);
    // A later sweep within the claim lease finds nothing new.
    expect((await sweepAgenda(t.stack.deps)).claimed).toBe(0);
    await Promise.all(messages.map((m) => runAgendaAction(t.stack.deps, m)));
  });

  it('claims each due entry for exactly one of several sweeps claiming the same page at once', async () => {
    // Prepare: every installment of three plans is on the agenda; a far-future "now" makes them all due.
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const planIds = await Promise.all([newPlan(), newPlan(), newPlan()]);
    const later = new Date('2030-01-01T00:00:00Z');
    const shards = Array.from({ length: t.stack.deps.settings.agendaShards }, (_, s) => s);
    const entries = (await Promise.all(shards.map((s) => t.stack.deps.plans.findDue(s, later, 1000)))).flat().filter((e) => planIds.includes(e.planId));
    expect(entries.length).toBeGreaterThanOrEqual(36);
    const lease = new Date('2030-01-01T00:15:00Z');
    // One entry in four was claimed already by a sweep that got there first.
    const taken = entries.filter((_, i) => i % 4 === 0);
    for (const entry of taken) expect(await t.stack.deps.plans.claim(entry, `clm_first_${entry.planId}_${entry.period}`, lease)).toBe(true);

    // Act: three sweeps claim the whole page at the same moment, each in its own transactions.
    const results = await Promise.all(
      ['a', 'b', 'c'].map((who) =>
        t.stack.deps.plans.claimAll(
          entries.map((entry) => ({ entry, claim: `clm_${who}_${entry.planId}_${entry.period}` })),
          lease,
        ),
      ),
    );

    // Assess: the entries claimed before stay refused; every other entry went to exactly one sweep.
    entries.forEach((entry, i) => {
      const winners = results.filter((r) => r[i]).length;
      expect(winners).toBe(taken.includes(entry) ? 0 : 1);
    });
    // And the stored claim is the winner's.
    const detail = await t.stack.deps.plans.get(planIds[0]!);
    for (const inst of detail!.installments) {
      const i = entries.findIndex((e) => e.planId === planIds[0] && e.period === inst.period);
      if (i < 0) continue;
      const winner = taken.includes(entries[i]!) ? 'first' : ['a', 'b', 'c'][results.findIndex((r) => r[i])];
      expect(inst.claim).toBe(`clm_${winner}_${inst.planId}_${inst.period}`);
    }
  });

  it('charges once when the same debit message is delivered twice at the same time', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const planId = await newPlan();
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    t.stack.clock.set(new Date('2026-02-28T01:00:00Z'));
    await sweepAgenda(t.stack.deps);
    const [message] = (await takeAgendaMessages()).filter((m) => m.planId === planId);

    const outcomes = await Promise.all([runAgendaAction(t.stack.deps, message!), runAgendaAction(t.stack.deps, message!)]);

    expect(outcomes.filter((o) => o === 'paid')).toHaveLength(1);
    expect(t.stack.gateway.charges().filter((c) => c.planId === planId)).toHaveLength(1);
    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records.map((r) => r.status)).toEqual(['succeeded']);
    // A third, late copy re-publishes the outcome instead of charging.
    expect(await runAgendaAction(t.stack.deps, message!)).toBe('republished');
  });

  it('finds and records once a charge whose worker died before the database write', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const planId = await newPlan();
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    t.stack.clock.set(new Date('2026-02-28T01:00:00Z'));
    await sweepAgenda(t.stack.deps);
    const [message] = (await takeAgendaMessages()).filter((m) => m.planId === planId);
    const id = attemptId(planId, 1, 1);
    // Prepare: the worker took the lock and the gateway captured; then the worker died.
    expect(
      await t.stack.deps.plans.lockAttempt(
        planId,
        1,
        message!.claim,
        { id, provider: 'simulated', since: t.stack.clock.now() },
        new Date('2026-02-28T01:02:00Z'),
        t.stack.clock.now(),
      ),
    ).toBe(true);
    t.stack.gateway.captureSilently({ idempotencyKey: id, provider: 'simulated', token: 'tok_ok', methodType: 'bank_card', amount: 54_392, currency: 'CNY', planId, mode: 'auto' });

    // Act: the redelivered message after the lease.
    t.stack.clock.set(new Date('2026-02-28T01:05:00Z'));
    expect(await runAgendaAction(t.stack.deps, message!)).toBe('paid');

    // Assess: one capture, one succeeded record with the same id.
    expect(t.stack.gateway.charges().filter((c) => c.planId === planId)).toHaveLength(1);
    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records).toEqual([expect.objectContaining({ id, status: 'succeeded' })]);
  });

  it('resolves an unknown gateway outcome with a status query before any new charge', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const planId = await newPlan('tok_timeout', { periods: 3 });
    await t.stack.run(new Date('2026-06-01T00:00:00Z'));
    const records = await t.stack.deps.plans.listRepayments(planId);
    const charges = t.stack.gateway.charges().filter((c) => c.planId === planId);
    // Every succeeded record matches exactly one capture, and nothing was captured unrecorded.
    expect(
      records
        .filter((r) => r.status === 'succeeded')
        .map((r) => r.id)
        .sort(),
    ).toEqual(charges.map((c) => c.idempotencyKey).sort());
    expect(records.every((r) => r.status === 'succeeded' || r.failureCode === 'timeout')).toBe(true);
  });
});
