/**
 * The repayment policy: configured once (REPAYMENT_POLICY), frozen into each plan at creation,
 * and a customer's own reminder days applied to their new plans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config/config.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Function: loadConfig (REPAYMENT_POLICY)', () => {
  it('overrides only the policy fields it names', () => {
    const config = loadConfig({ TABLE_NAME: 't', REPAYMENT_POLICY: '{"graceDays": 5, "retryOffsetsDays": [2, 4]}' });
    expect(config.policy).toMatchObject({ graceDays: 5, retryOffsetsDays: [2, 4], debitTime: '09:00', lateFeeDailyRate: '0.0005' });
  });

  it('stops at start-up with a message naming a malformed policy', () => {
    expect(() => loadConfig({ TABLE_NAME: 't', REPAYMENT_POLICY: '{graceDays: 5' })).toThrow(/REPAYMENT_POLICY must be JSON/);
    expect(() => loadConfig({ TABLE_NAME: 't', REPAYMENT_POLICY: '{"lateFeeDailyRate": 0.0005}' })).toThrow(/REPAYMENT_POLICY: lateFeeDailyRate/);
    expect(() => loadConfig({ TABLE_NAME: 't', REPAYMENT_POLICY: '{"graceDayz": 5}' })).toThrow(/REPAYMENT_POLICY/);
  });
});

describe('Policy on the local stack', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function planFor(phone: string, token: string, customer: Record<string, unknown> = {}) {
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone, ...customer }) })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token }) });
    return (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, { periods: 3 }), headers: { 'idempotency-key': `policy-${phone}` } })).body
      .planId as string;
  }

  it('freezes the policy into each plan: a configuration change affects new plans only', async () => {
    // Prepare: one plan under the default policy, then the configuration changes.
    const before = await planFor('+8613922220001', 'tok_insufficient_funds');
    const original = t.stack.deps.settings.policy;
    t.stack.deps.settings.policy = { ...original, retryOffsetsDays: [2] };
    const after = await planFor('+8613922220002', 'tok_insufficient_funds');
    t.stack.deps.settings.policy = original;

    // Act
    await t.http('POST', '/local/run', { body: { until: '2026-02-28T02:00:00Z' } });

    // Assess: the first retries a day later, the second two days later.
    const next = async (planId: string) => (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body.installments[0].nextAttemptAt;
    expect(await next(before)).toBe('2026-03-01T01:00:00.000Z');
    expect(await next(after)).toBe('2026-03-02T01:00:00.000Z');
  });

  it('reminds a customer on the days they chose', async () => {
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    const planId = await planFor('+8613922220003', 'tok_ok', { reminderDaysBefore: [5] });
    expect((await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).status).toBe(200);

    await t.http('POST', '/local/run', { body: { until: '2026-02-28T02:00:00Z' } });

    const sms = (await t.http('GET', '/local/outbox?channel=sms')).body.items.filter((m: { to: string }) => m.to === '+8613922220003');
    // One reminder on 23 Feb at 10:00 Shanghai, then the debit's outcome on the 28th.
    expect(sms.map((m: { at: string }) => m.at)).toEqual(['2026-02-23T02:00:00.000Z', '2026-02-28T01:00:00.000Z']);
  });

  it('defaults a plan overdue for defaultAfterDays: auto-debit stops', async () => {
    // Prepare: a policy that defaults after 5 overdue days, and a card that keeps declining.
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    const original = t.stack.deps.settings.policy;
    t.stack.deps.settings.policy = { ...original, defaultAfterDays: 5 };
    const planId = await planFor('+8613922220004', 'tok_insufficient_funds');
    t.stack.deps.settings.policy = original;

    // Act: due 28 Feb, grace to 3 Mar, overdue from 4 Mar, day 5 on 8 Mar; then a month more.
    await t.http('POST', '/local/run', { body: { until: '2026-04-15T00:00:00Z' } });

    // Assess
    const plan = (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body;
    expect(plan.status).toBe('defaulted');
    const records = (await t.http('GET', `/v1/plans/${planId}/repayments`, { token: t.adminToken })).body.items as Array<{ createdAt: string }>;
    expect(records.length).toBeGreaterThan(0);
    // Nothing was attempted after the default, period 2 (due 31 Mar) included.
    expect(records.every((r) => r.createdAt < '2026-03-08T16:00:00.000Z')).toBe(true);
  });
});

describe('Customer profile changes', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('lets customers change their preferences, and only the merchant their contact details', async () => {
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    const token = (await t.http('POST', '/local/token', { body: { sub: cus.id } })).body.token;

    const prefs = await t.http('PATCH', `/v1/customers/${cus.id}`, { token, body: { locale: 'en', notifications: { email: false } } });
    const phone = await t.http('PATCH', `/v1/customers/${cus.id}`, { token, body: { phone: '+8613811112222' } });
    const byMerchant = await t.http('PATCH', `/v1/customers/${cus.id}`, { token: t.adminToken, body: { phone: '+8613811112222' } });

    expect(prefs.status).toBe(200);
    expect(prefs.body.locale).toBe('en');
    expect(phone.status).toBe(403);
    expect(phone.body.errors).toEqual([{ field: 'phone', message: 'only the merchant can change this' }]);
    expect(byMerchant.status).toBe(200);
    expect(byMerchant.body.phone).toBe('+8613811112222');
  });
});
