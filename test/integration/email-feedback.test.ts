/**
 * Email that arrives, on the local stack: the notifier publishes each email notice to the email
 * topic, the mailer sends it through the SES stand-in (the outbox), and SES's feedback — the
 * mailbox simulator's bounce and complaint, published to the email-feedback topic as SES's event
 * destination does — suppresses the address, so later email notices are logged as suppressed
 * with the reason and never sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '../../shared/adapters/clients.ts';
import { DynamoCustomerRepository } from '../../shared/adapters/dynamodb/customer-repository.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

type Notice = { kind: string; channel: string; status: string; reason?: string };

describe('Email delivery and SES feedback on the local stack', () => {
  let t: TestStack;
  const ids: Record<string, string> = {};
  const phones: Record<string, string> = { bounce: '+8613900001001', complaint: '+8613900001002', success: '+8613900001003' };

  const emailsTo = (to: string) => t.stack.messaging.outbox.filter((m) => m.channel === 'email' && m.to === to);
  const emailNotices = async (id: string): Promise<Notice[]> =>
    ((await t.http('GET', `/v1/customers/${id}/notices?limit=100`, { token: t.adminToken })).body.items as Notice[]).filter((n) => n.channel === 'email');

  beforeAll(async () => {
    t = await startTestStack();
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    // Prepare: three customers on SES's mailbox simulator addresses, each with a one-period plan due 28 February.
    for (const who of ['bounce', 'complaint', 'success'] as const) {
      const email = `${who}@simulator.amazonses.com`;
      const res = await t.http('POST', '/v1/customers', {
        token: t.adminToken,
        body: aCustomer({ phone: phones[who], email, locale: 'en', notifications: { sms: false, email: true } }),
      });
      expect(res.status).toBe(201);
      ids[who] = res.body.id;
      await t.http('POST', `/v1/customers/${ids[who]}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
      const plan = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(ids[who]!, { periods: 1 }), headers: { 'idempotency-key': `email-${who}` } });
      expect(plan.status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('sends the first email through the SES stand-in, then suppresses a bouncing address: later notices say "suppressed: bounced"', async () => {
    // Act: to 11:00 on 25 Feb (Shanghai): the 3-day reminder goes out and bounces.
    await t.http('POST', '/local/run', { body: { until: '2026-02-25T03:00:00Z' } });
    expect(emailsTo('bounce@simulator.amazonses.com')).toHaveLength(1);
    expect(emailsTo('bounce@simulator.amazonses.com')[0]!.subject).toBeTruthy();

    // Act: through the 1-day reminder and the debit on 28 Feb.
    await t.http('POST', '/local/run', { body: { until: '2026-03-01T00:00:00Z' } });

    // Assess: one email reached SES; the later notices were logged suppressed, with the reason.
    expect(emailsTo('bounce@simulator.amazonses.com')).toHaveLength(1);
    const notices = await emailNotices(ids.bounce!);
    expect(notices.filter((n) => n.status === 'sent')).toHaveLength(1);
    const suppressed = notices.filter((n) => n.status === 'suppressed');
    expect(suppressed.map((n) => n.kind).sort()).toEqual(['plan_paid_off', 'reminder', 'repayment_succeeded']);
    for (const n of suppressed) expect(n.reason).toBe('suppressed: bounced');
  });

  it('suppresses a complaining address with "suppressed: complained"', async () => {
    expect(emailsTo('complaint@simulator.amazonses.com')).toHaveLength(1);
    const suppressed = (await emailNotices(ids.complaint!)).filter((n) => n.status === 'suppressed');
    expect(suppressed.length).toBeGreaterThan(0);
    for (const n of suppressed) expect(n.reason).toBe('suppressed: complained');
  });

  it('keeps sending to an address that delivers', async () => {
    // Two reminders, the payment received and the plan paid off.
    expect(emailsTo('success@simulator.amazonses.com')).toHaveLength(4);
    expect((await emailNotices(ids.success!)).every((n) => n.status === 'sent')).toBe(true);
  });

  it('keeps a suppression through a profile edit made from a read before the bounce, and drops it when the customer is erased', async () => {
    const customers = new DynamoCustomerRepository(dynamoDocumentClient({ endpoints: { dynamodb: t.stack.endpoints.dynamodb } }), t.stack.resources.tableName);
    const now = (await customers.get(ids.complaint!))!;
    expect(now.emailSuppression?.reason).toBe('complained');
    // Act: an edit built from the profile as it was before the complaint (no suppression on it).
    const { emailSuppression: _, ...readBefore } = now;
    await customers.update({ ...readBefore, locale: 'zh-CN' });
    // Assess: the edit is written and the suppression kept.
    const edited = (await customers.get(ids.complaint!))!;
    expect(edited.locale).toBe('zh-CN');
    expect(edited.emailSuppression).toEqual(now.emailSuppression);
    // An erased profile keeps no address, the suppression's included.
    await customers.update({ ...edited, email: undefined, erasedAt: '2026-03-02T00:00:00.000Z' });
    const erased = (await customers.get(ids.complaint!))!;
    expect(erased.email).toBeUndefined();
    expect(erased.emailSuppression).toBeUndefined();
  });
});
