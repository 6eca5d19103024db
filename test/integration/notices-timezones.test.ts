/**
 * A customer in New York and one in Shanghai, through the HTTP API on the simulated clock,
 * across both daylight-saving changes of 2026-27: reminders at 10:00 their own time, every
 * outcome in their language, nothing at night, nothing twice although every queue message is
 * delivered twice — read from /local/outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

type OutboxItem = { channel: string; to: string; subject?: string; body: string; at: string };

const NY = { phone: '+12125550123', email: 'emily.chen@example.com', timeZone: 'America/New_York' };
const SH = { phone: '+8613912345678', timeZone: 'Asia/Shanghai' };

function localTime(at: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
}

describe('Notices for New York and Shanghai across daylight saving', () => {
  let t: TestStack;
  let nyId: string;
  let shId: string;

  const outbox = async (to: string): Promise<OutboxItem[]> => ((await t.http('GET', '/local/outbox?channel=sms')).body.items as OutboxItem[]).filter((m) => m.to === to);
  const noticesOf = async (id: string): Promise<Array<Record<string, string>>> =>
    (await t.http('GET', `/v1/customers/${id}/notices?limit=100`, { token: t.adminToken })).body.items;

  async function plan(customerId: string, key: string, overrides: Record<string, unknown>) {
    const res = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customerId, overrides), headers: { 'idempotency-key': key } });
    expect(res.status).toBe(201);
    return res.body.planId as string;
  }

  beforeAll(async () => {
    t = await startTestStack();
    // Every SQS message is delivered twice, to two notifiers at once, for the whole story.
    expect((await t.http('POST', '/local/chaos', { body: { duplicateDelivery: true } })).status).toBe(200);
    // Prepare: checkout on 2 October 2026 (10:00 in New York, 22:00 in Shanghai).
    await t.http('POST', '/local/clock', { body: { now: '2026-10-02T14:00:00Z' } });
    const ny = await t.http('POST', '/v1/customers', {
      token: t.adminToken,
      body: aCustomer({ name: 'Emily Chen', phone: NY.phone, email: NY.email, locale: 'en', timeZone: NY.timeZone, notifications: { sms: true, email: true } }),
    });
    nyId = ny.body.id;
    await t.http('POST', `/v1/customers/${nyId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ display: 'Chase ****4242' }) });
    const sh = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: SH.phone }) });
    shId = sh.body.id;
    await t.http('POST', `/v1/customers/${shId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token: 'tok_insufficient_funds' }) });

    // New York: one plan due 2 Nov (the day after DST ends), one due on the 16th through April (DST starts 14 Mar).
    await plan(nyId, 'ny-a', {
      orderId: 'BB-1001',
      productName: 'Pixel 10 Pro',
      principal: { amount: 129_900, currency: 'USD' },
      periods: 1,
      fee: { model: 'flat', rate: '0' },
      purchaseDate: '2026-10-02',
    });
    await plan(nyId, 'ny-b', {
      orderId: 'BB-1002',
      productName: 'MacBook Air 13',
      principal: { amount: 239_900, currency: 'USD' },
      periods: 6,
      fee: { model: 'flat', rate: '0.06' },
      purchaseDate: '2026-10-02',
      billingDay: 16,
    });
    // Shanghai: a card without funds, so the debit fails and the installment turns overdue.
    await plan(shId, 'sh-a', { periods: 3, purchaseDate: '2026-10-02' });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('reminds New York at 10:00 local: 14:00Z under daylight saving, 15:00Z in winter, and again 14:00Z from 14 March', async () => {
    // Act: run the clock to the end of November.
    expect((await t.http('POST', '/local/run', { body: { until: '2026-11-20T00:00:00Z' } })).status).toBe(200);

    // Assess
    const reminders = (await outbox(NY.phone)).filter((m) => m.body.includes('will be debited'));
    expect(reminders.map((m) => m.at)).toEqual([
      '2026-10-30T14:00:00.000Z', // Fri 10:00 EDT
      '2026-11-01T15:00:00.000Z', // Sun 10:00 EST, hours after DST ended
      '2026-11-13T15:00:00.000Z',
      '2026-11-15T15:00:00.000Z',
    ]);
    expect(reminders[0]!.body).toBe('[repayflow] Installment 1 of Pixel 10 Pro, $1,299.00, will be debited in 3 days (2026-11-02). Please keep enough funds in your account.');
  });

  it('reminds Shanghai at 10:00 local (02:00Z) and tells each failed debit in Chinese, with the retry time', async () => {
    const sms = await outbox(SH.phone);
    expect(sms.filter((m) => m.body.includes('自动扣款，请保持余额充足')).map((m) => m.at)).toEqual(['2026-10-30T02:00:00.000Z', '2026-11-01T02:00:00.000Z']);
    const failures = sms.filter((m) => m.body.includes('扣款失败'));
    expect(failures[0]!.at).toBe('2026-11-02T01:00:00.000Z');
    expect(failures[0]!.body).toMatch(/^【repayflow】「Mi 15 Pro 512GB」第1期¥\d,\d{3}\.\d{2}扣款失败：余额不足，2026-11-03 09:00将重试。$/);
  });

  it('holds the midnight overdue notices of days 1, 3 and 7 until 08:00 Shanghai', async () => {
    const overdue = (await outbox(SH.phone)).filter((m) => m.body.includes('已逾期'));
    expect(overdue.map((m) => [m.at, m.body.match(/已逾期(\d+)天/)![1]])).toEqual([
      ['2026-11-06T00:00:00.000Z', '1'],
      ['2026-11-08T00:00:00.000Z', '3'],
      ['2026-11-12T00:00:00.000Z', '7'],
    ]);
    const notices = await noticesOf(shId);
    expect(notices.filter((n) => n.kind === 'overdue').every((n) => n.status === 'sent' && n.sentAt === n.sendAt)).toBe(true);
  });

  it('texts New York every outcome in English and emails it too', async () => {
    const sms = await outbox(NY.phone);
    expect(sms.find((m) => m.body.includes('Payment received'))).toEqual(
      expect.objectContaining({ at: '2026-11-02T14:00:00.000Z', body: '[repayflow] Payment received: $1,299.00 for Pixel 10 Pro, installment 1. Nothing left to pay.' }),
    );
    expect(sms.find((m) => m.body.includes('paid off'))!.body).toBe('[repayflow] Your plan for Pixel 10 Pro is paid off: $1,299.00 in total. Thank you!');
    const emails = ((await t.http('GET', '/local/outbox?channel=email')).body.items as OutboxItem[]).filter((m) => m.to === NY.email);
    expect(emails.map((m) => m.subject)).toEqual(expect.arrayContaining(['Repayment reminder', 'Payment received', 'Plan paid off']));
  });

  it('keeps reminding both at 10:00 local through the spring change, and recovers Shanghai with a new card', async () => {
    // Prepare: the Shanghai customer binds a card that works.
    await t.http('POST', `/v1/customers/${shId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token: 'tok_ok', display: '工商银行 ****8888' }) });

    // Act
    await t.http('POST', '/local/run', { body: { until: '2027-04-17T00:00:00Z' } });

    // Assess: New York's 16th-of-month reminders move from 15:00Z to 14:00Z on 14 March.
    const reminders = (await outbox(NY.phone)).filter((m) => m.body.includes('will be debited') && m.body.includes('MacBook'));
    expect(reminders.map((m) => m.at)).toEqual([
      '2026-11-13T15:00:00.000Z',
      '2026-11-15T15:00:00.000Z',
      '2026-12-13T15:00:00.000Z',
      '2026-12-15T15:00:00.000Z',
      '2027-01-13T15:00:00.000Z',
      '2027-01-15T15:00:00.000Z',
      '2027-02-13T15:00:00.000Z',
      '2027-02-15T15:00:00.000Z',
      '2027-03-13T15:00:00.000Z', // Sat 10:00 EST
      '2027-03-15T14:00:00.000Z', // Mon 10:00 EDT, the day after DST started
      '2027-04-13T14:00:00.000Z',
      '2027-04-15T14:00:00.000Z',
    ]);
    expect(reminders.every((m) => localTime(m.at, NY.timeZone) === '10:00')).toBe(true);
    const shReminders = (await outbox(SH.phone)).filter((m) => m.body.includes('自动扣款，请保持'));
    expect(shReminders.length).toBeGreaterThanOrEqual(4);
    expect(shReminders.every((m) => localTime(m.at, SH.timeZone) === '10:00')).toBe(true);
    const shSms = await outbox(SH.phone);
    expect(shSms.some((m) => /还款¥[\d,.]+成功/.test(m.body))).toBe(true);
    expect(shSms.some((m) => m.body.includes('分期已全部还清'))).toBe(true);
  });

  it('never texts either of them at night, never twice under duplicate delivery, and lists every notice it sent', async () => {
    for (const [customerId, who] of [
      [nyId, NY],
      [shId, SH],
    ] as const) {
      const sms = await outbox(who.phone);
      // Never at night: every SMS between 08:00 and 21:00 local.
      for (const m of sms) expect(localTime(m.at, who.timeZone) >= '08:00' && localTime(m.at, who.timeZone) < '21:00', `${m.at} ${m.body}`).toBe(true);
      // Never twice: one outbox entry per sent SMS notice, no text repeated at the same time.
      const notices = await noticesOf(customerId);
      const sentSms = notices.filter((n) => n.channel === 'sms' && n.status === 'sent');
      expect(sms).toHaveLength(sentSms.length);
      expect(new Set(sms.map((m) => `${m.at}|${m.body}`)).size).toBe(sms.length);
      expect(new Set(notices.map((n) => n.id)).size).toBe(notices.length);
      expect(notices.filter((n) => n.status === 'failed')).toEqual([]);
      // Listed with the recipient masked.
      expect(notices.every((n) => !String(n.to).includes(who.phone.slice(-8)))).toBe(true);
    }
  });
});
