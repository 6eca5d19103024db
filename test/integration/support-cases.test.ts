/**
 * Support cases on the real local stack: who may see and do what, the case states, replies
 * that reach the customer as one notice, and extension requests — approved through the plan's
 * deferral rules exactly once however often (or however concurrently) they are approved,
 * declined only with a reason.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { snapshotTable } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

// The due date of period 1, 10:00 in Shanghai: the debit at 09:00 was declined.
const DUE_DAY = '2026-02-28T02:00:00Z';

describe('Support cases', () => {
  let t: TestStack;
  let phone = 13_700_000_100;

  beforeAll(async () => {
    t = await startTestStack();
  });

  afterAll(async () => {
    await t?.stop();
  });

  /** A customer whose card has no funds, with a 3-month plan whose first debit failed on its due date. */
  async function aFailedDebit() {
    await t.http('POST', '/local/clock', { body: { now: '2026-01-28T04:00:00Z' } });
    const customerId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86${++phone}` }) })).body.id as string;
    await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token: 'tok_insufficient_funds' }) });
    const plan = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(customerId, { periods: 3, purchaseDate: '2026-01-28' }),
      headers: { 'idempotency-key': randomUUID() },
    });
    await t.http('POST', '/local/run', { body: { until: DUE_DAY } });
    const records = (await t.http('GET', `/v1/plans/${plan.body.planId}/repayments`, { token: t.adminToken })).body.items as Array<{ id: string; status: string }>;
    const failed = records.find((r) => r.status === 'failed');
    if (!failed) throw new Error(`no failed debit: ${JSON.stringify(records)}`);
    return { customerId, token: await t.stack.token(customerId), planId: plan.body.planId as string, repaymentId: failed.id };
  }

  const post = (path: string, token: string, body?: unknown) =>
    t.http('POST', path, { token, ...(body === undefined ? {} : { body }), headers: { 'idempotency-key': randomUUID() } });
  /** Delivers what the API published (the notifier runs on the stack's queues). */
  const drain = async () => t.http('POST', '/local/run', { body: { until: DUE_DAY } });
  const noticesOf = async (customerId: string, kind: string) =>
    (
      (await t.http('GET', `/v1/customers/${customerId}/notices`, { token: t.adminToken })).body.items as Array<{ kind: string; channel: string; status: string; body: string }>
    ).filter((n) => n.kind === kind);

  describe('Opening a case and answering it', () => {
    it('links the case to the plan, the failed repayment and its period, and shows it to its customer only', async () => {
      const f = await aFailedDebit();
      const opened = await post('/v1/support/cases', f.token, { category: 'failed_debit', planId: f.planId, repaymentId: f.repaymentId, message: '扣款失败了\n怎么办？' });
      expect(opened.status).toBe(201);
      expect(opened.body).toMatchObject({ category: 'failed_debit', status: 'open', planId: f.planId, repaymentId: f.repaymentId, period: 1, subject: '扣款失败了' });
      expect(opened.body.messages).toEqual([expect.objectContaining({ author: 'customer', body: '扣款失败了\n怎么办？' })]);
      expect(opened.body.messages[0].authorId).toBeUndefined();

      const stranger = await t.stack.token(`cus_stranger_${randomUUID().slice(0, 8)}`);
      expect((await t.http('GET', `/v1/support/cases/${opened.body.caseId}`, { token: stranger })).status).toBe(404);
      expect((await post(`/v1/support/cases/${opened.body.caseId}/messages`, stranger, { message: 'hi' })).status).toBe(404);
      expect((await t.http('GET', '/v1/support/cases', { token: stranger })).body.items).toEqual([]);
      // Another customer cannot attach a case to this plan.
      const foreign = await post('/v1/support/cases', stranger, { category: 'other', planId: f.planId, message: 'x' });
      expect(foreign).toMatchObject({ status: 404, body: { code: 'PLAN.NOT_FOUND' } });

      const mine = await t.http('GET', '/v1/support/cases', { token: f.token });
      expect(mine.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([opened.body.caseId]);
      const inbox = await t.http('GET', '/v1/support/cases?status=open&limit=100', { token: t.adminToken });
      expect(inbox.body.items.map((c: { caseId: string }) => c.caseId)).toContain(opened.body.caseId);
      expect(inbox.body.items.every((c: { status: string }) => c.status === 'open')).toBe(true);
    });

    it('refuses a repayment or a period the plan does not have, and an extension request without its days', async () => {
      const f = await aFailedDebit();
      const before = await snapshotTable(t);
      expect(await post('/v1/support/cases', f.token, { category: 'failed_debit', planId: f.planId, repaymentId: 'nope', message: 'x' })).toMatchObject({
        status: 404,
        body: { code: 'REPAYMENT.NOT_FOUND' },
      });
      expect(await post('/v1/support/cases', f.token, { category: 'other', planId: f.planId, period: 9, message: 'x' })).toMatchObject({
        status: 404,
        body: { code: 'INSTALLMENT.NOT_FOUND' },
      });
      expect(await post('/v1/support/cases', f.token, { category: 'extension_request', planId: f.planId, period: 1, message: 'x' })).toMatchObject({
        status: 422,
        body: { code: 'CASE.DAYS_REQUIRED', errors: [{ field: 'days' }] },
      });
      expect(await post('/v1/support/cases', f.token, { category: 'other', message: '  \u200b ' })).toMatchObject({ status: 422, body: { code: 'CASE.MESSAGE_EMPTY' } });
      // A request support could never grant: past the next period's due date (28 March).
      expect(await post('/v1/support/cases', f.token, { category: 'extension_request', planId: f.planId, period: 1, days: 40, message: 'x' })).toMatchObject({
        status: 409,
        body: { code: 'DEFERRAL.OVERLAPS_NEXT' },
      });
      expect(await post('/v1/support/cases', f.token, { category: 'other', customerId: 'cus_someone_else', message: 'x' })).toMatchObject({
        status: 404,
        body: { code: 'CUSTOMER.NOT_FOUND' },
      });
      expect(await post('/v1/support/cases', t.adminToken, { category: 'other', message: 'x' })).toMatchObject({ status: 422, body: { code: 'CASE.CUSTOMER_REQUIRED' } });
      expect(await snapshotTable(t)).toEqual(before);
      // Support opens a case for the plan's customer, who sees it as their own.
      const forThem = await post('/v1/support/cases', t.adminToken, { category: 'refund', planId: f.planId, message: '退款已受理' });
      expect(forThem.body).toMatchObject({ status: 'open', customerId: f.customerId });
      expect((await t.http('GET', '/v1/support/cases', { token: f.token })).body.items.map((c: { caseId: string }) => c.caseId)).toEqual([forThem.body.caseId]);
    });

    it("answers the case with support's reply, which reaches the customer as one SMS even when the request is retried", async () => {
      const f = await aFailedDebit();
      const opened = await post('/v1/support/cases', f.token, { category: 'failed_debit', planId: f.planId, repaymentId: f.repaymentId, message: '扣款失败了' });
      const caseId = opened.body.caseId as string;

      // Only support answers: a customer's message keeps the case open.
      const own = await post(`/v1/support/cases/${caseId}/messages`, f.token, { message: '补充一句' });
      expect(own.body.status).toBe('open');

      const key = randomUUID();
      const reply = () =>
        t.http('POST', `/v1/support/cases/${caseId}/messages`, { token: t.adminToken, body: { message: '已为您核实，请换卡后重试。' }, headers: { 'idempotency-key': key } });
      const answered = await reply();
      expect(answered.status).toBe(201);
      expect(answered.body.status).toBe('answered');
      expect(answered.body.messages.at(-1)).toMatchObject({ author: 'operator', authorId: 'ops' });
      expect((await reply()).headers.get('idempotent-replayed')).toBe('true');
      await drain();
      await drain();

      const notices = await noticesOf(f.customerId, 'support_reply');
      expect(notices).toEqual([expect.objectContaining({ channel: 'sms', status: 'sent' })]);
      expect(notices[0]!.body).toContain('客服已回复');
      // The customer sees the thread without the operator's id.
      const seen = await t.http('GET', `/v1/support/cases/${caseId}`, { token: f.token });
      expect(seen.body.messages.map((m: { author: string }) => m.author)).toEqual(['customer', 'customer', 'operator']);
      expect(seen.body.messages.every((m: { authorId?: string }) => m.authorId === undefined)).toBe(true);

      // The customer's reply opens it again; closing ends the thread.
      expect((await post(`/v1/support/cases/${caseId}/messages`, f.token, { message: '好的' })).body.status).toBe('open');
      expect((await post(`/v1/support/cases/${caseId}/close`, f.token)).body.status).toBe('closed');
      expect(await post(`/v1/support/cases/${caseId}/messages`, t.adminToken, { message: '还有问题吗' })).toMatchObject({ status: 409, body: { code: 'CASE.CLOSED' } });
      expect(await post(`/v1/support/cases/${caseId}/close`, f.token)).toMatchObject({ status: 409, body: { code: 'CASE.CLOSED' } });
    });
  });

  describe('Extension requests', () => {
    it('points a self-service deferral beyond its limits to an extension request', async () => {
      const f = await aFailedDebit();
      const refused = await post(`/v1/plans/${f.planId}/deferrals`, f.token, { period: 1, days: 10 });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'DEFERRAL.IN_GRACE', remedy: 'extension_request' });
      expect(refused.body.hint).toContain('/v1/support/cases');
      // A refusal no operator could lift says nothing of the kind: 40 days would pass period 3's due date.
      const never = await post(`/v1/plans/${f.planId}/deferrals`, f.token, { period: 2, days: 40 });
      expect(never.body.code).toBe('DEFERRAL.TOO_LONG');
      expect(never.body.remedy).toBeUndefined();
    });

    it('lets only an admin decide, and only an extension request', async () => {
      const f = await aFailedDebit();
      const request = await post('/v1/support/cases', f.token, { category: 'extension_request', planId: f.planId, period: 1, days: 10, message: '请延期10天' });
      expect(await post(`/v1/support/cases/${request.body.caseId}/approve`, f.token)).toMatchObject({ status: 403, body: { code: 'AUTH.ADMIN_REQUIRED' } });
      expect(await post(`/v1/support/cases/${request.body.caseId}/decline`, f.token, { reason: 'no' })).toMatchObject({ status: 403 });
      const other = await post('/v1/support/cases', f.token, { category: 'refund', planId: f.planId, message: '退款' });
      expect(await post(`/v1/support/cases/${other.body.caseId}/approve`, t.adminToken)).toMatchObject({ status: 409, body: { code: 'CASE.NOT_AN_EXTENSION_REQUEST' } });
      expect(await post('/v1/support/cases/case_missing/approve', t.adminToken)).toMatchObject({ status: 404, body: { code: 'CASE.NOT_FOUND' } });
    });

    it('applies the deferral exactly once when two operators approve at the same moment, and tells the customer once', async () => {
      const f = await aFailedDebit();
      const request = await post('/v1/support/cases', f.token, { category: 'extension_request', planId: f.planId, period: 1, days: 10, message: '请延期10天' });
      const caseId = request.body.caseId as string;

      const [a, b] = await Promise.all([post(`/v1/support/cases/${caseId}/approve`, t.adminToken), post(`/v1/support/cases/${caseId}/approve`, t.adminToken)]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const won = a.status === 200 ? a : b;
      const lost = a.status === 200 ? b : a;
      expect(won.body).toMatchObject({ status: 'approved', newDueDate: '2026-03-10', decidedBy: 'ops' });
      expect(['CASE.ALREADY_DECIDED', 'CASE.DECISION_IN_PROGRESS']).toContain(lost.body.code);
      expect(await post(`/v1/support/cases/${caseId}/approve`, t.adminToken)).toMatchObject({ status: 409, body: { code: 'CASE.ALREADY_DECIDED' } });

      const plan = (await t.http('GET', `/v1/plans/${f.planId}`, { token: f.token })).body;
      expect(plan.installments[0]).toMatchObject({ period: 1, dueDate: '2026-03-10', status: 'deferred' });
      expect(plan.installments[1].dueDate).toBe('2026-03-28');
      expect(plan.nextDueDate).toBe('2026-03-10');
      await drain();
      await drain();
      const confirmed = await noticesOf(f.customerId, 'deferral_confirmed');
      expect(confirmed).toEqual([expect.objectContaining({ channel: 'sms', status: 'sent' })]);
      expect(confirmed[0]!.body).toContain('2026-03-10');
      const seen = await t.http('GET', `/v1/support/cases/${caseId}`, { token: f.token });
      expect(seen.body).toMatchObject({ status: 'approved', newDueDate: '2026-03-10' });
      expect(seen.body.decidedBy).toBeUndefined();
    });

    it('grants a second deferral that self-service refuses, within the hard limits', async () => {
      const f = await aFailedDebit();
      const request = await post('/v1/support/cases', f.token, { category: 'extension_request', planId: f.planId, period: 1, days: 5, message: '先延5天' });
      expect((await post(`/v1/support/cases/${request.body.caseId}/approve`, t.adminToken)).body.newDueDate).toBe('2026-03-05');
      // Self-service: this plan allows one deferral, and it is used.
      const self = await post(`/v1/plans/${f.planId}/deferrals`, f.token, { period: 2, days: 5 });
      expect(self.body).toMatchObject({ code: 'DEFERRAL.LIMIT_REACHED', remedy: 'extension_request' });
      const second = await post('/v1/support/cases', f.token, { category: 'extension_request', planId: f.planId, period: 2, days: 5, message: '第二期也延5天' });
      expect((await post(`/v1/support/cases/${second.body.caseId}/approve`, t.adminToken)).body.newDueDate).toBe('2026-04-02');
      // A third is past twice the plan's limit: refused, and the case stays open for a reply or a decline.
      const third = await post('/v1/support/cases', f.token, { category: 'extension_request', planId: f.planId, period: 3, days: 5, message: '第三期' });
      expect(third).toMatchObject({ status: 409, body: { code: 'DEFERRAL.LIMIT_REACHED' } });
    });

    it('gives the decision back when the plan refuses the deferral at approval time', async () => {
      const f = await aFailedDebit();
      const request = await post('/v1/support/cases', f.token, { category: 'extension_request', planId: f.planId, period: 1, days: 10, message: '请延期' });
      // Meanwhile the customer pays the period.
      await t.http('POST', `/v1/customers/${f.customerId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token: 'tok_ok', makeDefault: true }) });
      expect((await post(`/v1/plans/${f.planId}/repayments`, f.token, { scope: 'next' })).status).toBe(201);
      const approve = await post(`/v1/support/cases/${request.body.caseId}/approve`, t.adminToken);
      expect(approve).toMatchObject({ status: 409, body: { code: 'INSTALLMENT.ALREADY_PAID' } });
      const after = await t.http('GET', `/v1/support/cases/${request.body.caseId}`, { token: t.adminToken });
      expect(after.body.status).toBe('open');
      expect(after.body.decidedAt).toBeUndefined();
    });

    it('finishes an approval that stopped between its claim and the deferral, once its lease has run out', async () => {
      const f = await aFailedDebit();
      const request = await post('/v1/support/cases', f.token, { category: 'extension_request', planId: f.planId, period: 1, days: 10, message: '请延期' });
      const caseId = request.body.caseId as string;
      // An approval claimed the case and stopped there (the process died).
      const claimedAt = new Date(DUE_DAY).toISOString();
      expect(
        await t.stack.deps.supportCases.transition(caseId, { from: ['open'], set: { status: 'approved', updatedAt: claimedAt, decidedAt: claimedAt, decidedBy: 'ops' } }),
      ).toBe(true);
      expect(await post(`/v1/support/cases/${caseId}/approve`, t.adminToken)).toMatchObject({ status: 409, body: { code: 'CASE.DECISION_IN_PROGRESS' } });

      await t.http('POST', '/local/clock', { body: { now: '2026-02-28T02:05:00Z' } });
      const finished = await post(`/v1/support/cases/${caseId}/approve`, t.adminToken);
      expect(finished.body).toMatchObject({ status: 'approved', newDueDate: '2026-03-10' });
      expect(await post(`/v1/support/cases/${caseId}/approve`, t.adminToken)).toMatchObject({ status: 409, body: { code: 'CASE.ALREADY_DECIDED' } });
      const plan = (await t.http('GET', `/v1/plans/${f.planId}`, { token: t.adminToken })).body;
      expect(plan.installments[0].dueDate).toBe('2026-03-10');
    });

    it('declines only with a reason, which the customer reads in the thread and is told of', async () => {
      const f = await aFailedDebit();
      const request = await post('/v1/support/cases', f.token, { category: 'extension_request', planId: f.planId, period: 1, days: 10, message: '请延期' });
      const caseId = request.body.caseId as string;
      const before = await snapshotTable(t);
      expect(await post(`/v1/support/cases/${caseId}/decline`, t.adminToken, {})).toMatchObject({ status: 400, body: { errors: [{ field: 'reason' }] } });
      expect(await post(`/v1/support/cases/${caseId}/decline`, t.adminToken, { reason: ' \n ' })).toMatchObject({ status: 422, body: { code: 'CASE.REASON_REQUIRED' } });
      expect(await snapshotTable(t)).toEqual(before);

      const declined = await post(`/v1/support/cases/${caseId}/decline`, t.adminToken, { reason: '本期已进入催收流程，无法延期。' });
      expect(declined.body).toMatchObject({ status: 'declined', decisionReason: '本期已进入催收流程，无法延期。' });
      expect(declined.body.messages.at(-1)).toMatchObject({ author: 'operator', body: '本期已进入催收流程，无法延期。' });
      expect(await post(`/v1/support/cases/${caseId}/approve`, t.adminToken)).toMatchObject({ status: 409, body: { code: 'CASE.ALREADY_DECIDED' } });
      await drain();
      const told = await noticesOf(f.customerId, 'support_reply');
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toContain('未获批准');
      const plan = (await t.http('GET', `/v1/plans/${f.planId}`, { token: f.token })).body;
      expect(plan.installments[0].dueDate).toBe('2026-02-28');
    });
  });
});
