import { describe, expect, it } from 'vitest';
import type { Locale } from '../../shared/domain/customer.ts';
import type { BillingEvent } from '../../shared/domain/events.ts';
import { composeSms, declineText, formatMoney, noticeKindOf, quietHoursEnd, renderNotice, smsEncoding, smsSegments, smsSignatureFor } from '../../shared/domain/notices.ts';

// Event factories: realistic values, overridable per test.
const envelope = (id: string) => ({
  id,
  version: 1 as const,
  occurredAt: '2026-03-28T01:00:00.000Z',
  planId: 'plan_test',
  customerId: 'cus_test',
  productName: 'Mi 15 Pro 512GB',
  timeZone: 'Asia/Shanghai',
});
const cny = (amount: number) => ({ amount, currency: 'CNY' });

const anEvent = {
  reminder: (o: Partial<BillingEvent> = {}): BillingEvent =>
    ({
      ...envelope('reminder:plan_test:12:2026-03-31:3'),
      type: 'InstallmentReminderDue',
      period: 12,
      dueDate: '2026-03-31',
      debitAt: '2026-03-31T01:00:00.000Z',
      amount: cny(123_456),
      daysBefore: 3,
      ...o,
    }) as BillingEvent,
  succeeded: (o: Partial<BillingEvent> = {}): BillingEvent =>
    ({
      ...envelope('repayment-succeeded:plan_test:3:1'),
      type: 'RepaymentSucceeded',
      repaymentId: 'plan_test:3:1',
      periods: [3],
      amount: cny(123_456),
      periodsLeft: 9,
      nextDueDate: '2026-04-30',
      ...o,
    }) as BillingEvent,
  failedRetry: (o: Partial<BillingEvent> = {}): BillingEvent =>
    ({
      ...envelope('repayment-failed:plan_test:3:1'),
      type: 'RepaymentFailed',
      repaymentId: 'plan_test:3:1',
      period: 3,
      amount: cny(123_456),
      failureCode: 'insufficient_funds',
      retryable: true,
      nextAttemptAt: '2026-04-01T01:00:00.000Z',
      ...o,
    }) as BillingEvent,
  failedAction: (o: Partial<BillingEvent> = {}): BillingEvent =>
    ({
      ...envelope('repayment-failed:plan_test:3:2'),
      type: 'RepaymentFailed',
      repaymentId: 'plan_test:3:2',
      period: 3,
      amount: cny(123_456),
      failureCode: 'card_expired',
      retryable: false,
      nextAttemptAt: null,
      ...o,
    }) as BillingEvent,
  overdue: (o: Partial<BillingEvent> = {}): BillingEvent =>
    ({
      ...envelope('overdue:plan_test:3:7'),
      type: 'InstallmentOverdue',
      period: 3,
      amountDue: cny(125_308),
      daysOverdue: 7,
      ...o,
    }) as BillingEvent,
  paidOff: (o: Partial<BillingEvent> = {}): BillingEvent =>
    ({
      ...envelope('plan-paid-off:plan_test'),
      type: 'PlanPaidOff',
      totalPaid: cny(652_691),
      ...o,
    }) as BillingEvent,
  deferred: (o: Partial<BillingEvent> = {}): BillingEvent =>
    ({
      ...envelope('deferred:plan_test:3'),
      type: 'InstallmentDeferred',
      period: 3,
      newDueDate: '2026-04-30',
      ...o,
    }) as BillingEvent,
};

const everyKind = Object.entries(anEvent).map(([name, make]) => ({ name, event: make() }));
const SHANGHAI = '+8613912345678';
const NEW_YORK = '+12125550123';

describe('Function: formatMoney', () => {
  it('writes CNY as ¥ with grouping in both languages', () => {
    expect(formatMoney(123_456, 'CNY', 'zh-CN')).toBe('¥1,234.56');
    expect(formatMoney(123_456, 'CNY', 'en')).toBe('¥1,234.56');
  });

  it('writes USD as $ in both languages', () => {
    expect(formatMoney(123_456, 'USD', 'en')).toBe('$1,234.56');
    expect(formatMoney(123_456, 'USD', 'zh-CN')).toBe('$1,234.56');
  });

  it('is exact for large amounts and currencies without minor units', () => {
    expect(formatMoney(900_719_925_474_099, 'CNY', 'en')).toBe('¥9,007,199,254,740.99');
    expect(formatMoney(1_235, 'JPY', 'en')).toBe('¥1,235');
    expect(formatMoney(5, 'CNY', 'zh-CN')).toBe('¥0.05');
  });
});

describe('Function: smsSegments', () => {
  it('fits 160 GSM-7 characters or 70 UCS-2 characters in one segment', () => {
    expect(smsSegments('a'.repeat(160))).toBe(1);
    expect(smsSegments('a'.repeat(161))).toBe(2);
    expect(smsSegments('还'.repeat(70))).toBe(1);
    expect(smsSegments('还'.repeat(71))).toBe(2);
  });

  it('counts multipart messages in segments of 153 and 67', () => {
    expect(smsSegments('a'.repeat(306))).toBe(2);
    expect(smsSegments('a'.repeat(307))).toBe(3);
    expect(smsSegments('还'.repeat(134))).toBe(2);
    expect(smsSegments('还'.repeat(135))).toBe(3);
  });

  it('counts a GSM-7 extension character as two septets and never splits it', () => {
    expect(smsSegments(`[${'a'.repeat(158)}`)).toBe(1);
    expect(smsSegments(`[${'a'.repeat(159)}`)).toBe(2);
    // 152 septets then an escape pair: the pair moves whole to the second segment.
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toBe(3);
  });

  it('switches to UCS-2 for one character outside the GSM alphabet', () => {
    expect(smsEncoding('Payment received: ¥1,234.56 £ € [x]')).toBe('GSM-7');
    expect(smsEncoding('Payment received…')).toBe('UCS-2');
    expect(smsEncoding('【repayflow】')).toBe('UCS-2');
    expect(smsSegments(`${'a'.repeat(69)}…`)).toBe(1);
    expect(smsSegments(`${'a'.repeat(70)}…`)).toBe(2);
  });

  it('never splits a surrogate pair', () => {
    expect(smsSegments('😀'.repeat(35))).toBe(1);
    expect(smsSegments(`a${'😀'.repeat(35)}`)).toBe(2);
  });
});

describe('Function: smsSignatureFor', () => {
  it('keeps the 【】 signature on mainland Chinese numbers', () => {
    expect(smsSignatureFor('【repayflow】', SHANGHAI)).toBe('【repayflow】');
  });

  it('writes it in ASCII brackets elsewhere, so a Latin text stays GSM-7', () => {
    expect(smsSignatureFor('【repayflow】', NEW_YORK)).toBe('[repayflow] ');
    expect(smsSignatureFor('Acme: ', NEW_YORK)).toBe('Acme: ');
  });
});

describe('Function: composeSms', () => {
  const cases: Array<{ locale: Locale; phone: string; currency: string }> = [
    { locale: 'zh-CN', phone: SHANGHAI, currency: 'CNY' },
    { locale: 'en', phone: NEW_YORK, currency: 'USD' },
    { locale: 'en', phone: NEW_YORK, currency: 'CNY' },
  ];

  for (const { locale, phone, currency } of cases) {
    for (const { name } of everyKind) {
      it(`keeps a ${name} SMS in ${locale} (${currency}) to one segment with realistic values`, () => {
        const make = anEvent[name as keyof typeof anEvent];
        const base = make();
        const event = JSON.parse(JSON.stringify(base).replaceAll('"CNY"', `"${currency}"`)) as BillingEvent;
        const text = composeSms(event, locale, smsSignatureFor('【repayflow】', phone));
        expect(smsSegments(text)).toBe(1);
        // The full product name fits for the usual texts.
        if (name !== 'failedAction' || locale === 'en') expect(text).toContain('Mi 15 Pro 512GB');
      });
    }
  }

  it('shortens a long product name with an ellipsis rather than spill into a second segment', () => {
    const event = anEvent.reminder({ productName: 'Apple iPhone 16 Pro Max 1TB 沙漠色钛金属 双卡双待' });
    const text = composeSms(event, 'zh-CN', '【repayflow】');
    expect(smsSegments(text)).toBe(1);
    expect(text).toContain('「Apple iPhone');
    expect(text).toContain('…」');
    expect(text).toContain('2026-03-31');
  });

  it('uses a GSM-7 ellipsis in a GSM-7 text, so it stays GSM-7', () => {
    const event = anEvent.failedAction({ productName: 'Samsung Galaxy S25 Ultra 1TB Titanium Silverblue Edition' });
    const text = composeSms(event, 'en', '[repayflow] ');
    expect(smsEncoding(text)).toBe('GSM-7');
    expect(smsSegments(text)).toBe(1);
    expect(text).toContain('Samsung Galaxy');
    expect(text).toContain('...');
  });

  it('drops the name when even a shortened one cannot fit one segment, and sends the rest', () => {
    const text = composeSms(anEvent.reminder(), 'en', '【repayflow】');
    expect(text).toBe(`【repayflow】${renderNotice(anEvent.reminder(), 'en', { product: '' }).body}`);
    expect(text).toContain('Installment 12 of your plan,');
    expect(smsSegments(text)).toBeGreaterThan(1);
  });
});

describe('Function: renderNotice', () => {
  it('tells the amount, the period and the debit date in a reminder', () => {
    expect(renderNotice(anEvent.reminder(), 'zh-CN').body).toBe('「Mi 15 Pro 512GB」第12期¥1,234.56于2026-03-31（3天后）自动扣款，请保持余额充足。');
    expect(renderNotice(anEvent.reminder(), 'en').body).toBe(
      'Installment 12 of Mi 15 Pro 512GB, ¥1,234.56, will be debited in 3 days (2026-03-31). Please keep enough funds in your account.',
    );
    // The day before reads differently, so the two reminders of an installment are told apart.
    expect(renderNotice(anEvent.reminder({ daysBefore: 1 } as Partial<BillingEvent>), 'zh-CN').body).toContain('于2026-03-31（明天）自动扣款');
    expect(renderNotice(anEvent.reminder({ daysBefore: 1 } as Partial<BillingEvent>), 'en').body).toContain('will be debited tomorrow (2026-03-31)');
  });

  it('tells the amount, the periods left and the next due date of a success', () => {
    expect(renderNotice(anEvent.succeeded(), 'zh-CN').body).toBe('「Mi 15 Pro 512GB」第3期还款¥1,234.56成功，剩余9期，下次还款日2026-04-30。');
    expect(renderNotice(anEvent.succeeded(), 'en').body).toBe('Payment received: ¥1,234.56 for Mi 15 Pro 512GB, installment 3. 9 installments left, next due 2026-04-30.');
    expect(renderNotice(anEvent.succeeded({ periodsLeft: 0, nextDueDate: null } as Partial<BillingEvent>), 'en').body).toContain('Nothing left to pay.');
  });

  it('tells the reason in plain words and the next retry in local time', () => {
    expect(renderNotice(anEvent.failedRetry(), 'zh-CN').body).toBe('「Mi 15 Pro 512GB」第3期¥1,234.56扣款失败：余额不足，2026-04-01 09:00将重试。');
    const ny = anEvent.failedRetry({ timeZone: 'America/New_York' });
    expect(renderNotice(ny, 'en').body).toContain('insufficient funds. We will try again on 2026-03-31 21:00.');
  });

  it('tells what to do when a failure is not retried', () => {
    expect(renderNotice(anEvent.failedAction(), 'zh-CN').body).toContain('银行卡已过期，请更换支付方式后在App内还款。');
    expect(renderNotice(anEvent.failedAction(), 'en').body).toContain('the card has expired. Please add a payment method and repay in the app.');
  });

  it('never shows a raw decline code', () => {
    expect(declineText('do_not_honor', 'en')).toBe('the payment did not go through');
    expect(declineText('do_not_honor', 'zh-CN')).toBe('支付未成功');
  });

  it('counts overdue days with the right plural', () => {
    expect(renderNotice(anEvent.overdue({ daysOverdue: 1 } as Partial<BillingEvent>), 'en').body).toContain('is 1 day overdue');
    expect(renderNotice(anEvent.overdue(), 'en').body).toContain('is 7 days overdue: ¥1,253.08 due');
    expect(renderNotice(anEvent.overdue(), 'zh-CN').body).toContain('已逾期7天，应还¥1,253.08');
  });

  it('confirms a payoff and a deferral', () => {
    expect(renderNotice(anEvent.paidOff(), 'zh-CN').body).toContain('共¥6,526.91');
    expect(renderNotice(anEvent.deferred(), 'en').body).toContain('now due on 2026-04-30');
  });

  it('maps every event that needs a notice to its kind, the default and the cancellation included', () => {
    expect(everyKind.map(({ event }) => noticeKindOf(event))).toEqual([
      'reminder',
      'repayment_succeeded',
      'repayment_failed',
      'repayment_failed',
      'overdue',
      'plan_paid_off',
      'deferral_confirmed',
    ]);
    expect(noticeKindOf({ ...envelope('x'), type: 'PlanDefaulted' } as BillingEvent)).toBe('plan_defaulted');
    expect(noticeKindOf({ ...envelope('x'), type: 'PlanCancelled', refundTotal: cny(0) } as BillingEvent)).toBe('plan_cancelled');
  });
});

describe('Function: quietHoursEnd', () => {
  it('lets an SMS go during the day', () => {
    expect(quietHoursEnd(new Date('2026-03-28T02:00:00Z'), 'Asia/Shanghai')).toBeUndefined(); // 10:00
    expect(quietHoursEnd(new Date('2026-03-28T00:00:00Z'), 'Asia/Shanghai')).toBeUndefined(); // 08:00 sharp
    expect(quietHoursEnd(new Date('2026-03-28T12:59:00Z'), 'Asia/Shanghai')).toBeUndefined(); // 20:59
  });

  it('holds an SMS of the evening until 08:00 the next day', () => {
    // 22:30 Shanghai → 08:00 the next day.
    expect(quietHoursEnd(new Date('2026-03-28T14:30:00Z'), 'Asia/Shanghai')).toEqual(new Date('2026-03-29T00:00:00Z'));
    expect(quietHoursEnd(new Date('2026-03-28T13:00:00Z'), 'Asia/Shanghai')).toEqual(new Date('2026-03-29T00:00:00Z')); // 21:00 sharp
  });

  it('holds an SMS of the small hours until 08:00 the same day', () => {
    // 00:00 Shanghai, when overdue notices are published.
    expect(quietHoursEnd(new Date('2026-03-27T16:00:00Z'), 'Asia/Shanghai')).toEqual(new Date('2026-03-28T00:00:00Z'));
  });

  it('follows New York across the end and the start of daylight saving', () => {
    // 2026-10-31 22:30 EDT → 2026-11-01 08:00 EST (DST ended at 02:00 that night).
    expect(quietHoursEnd(new Date('2026-11-01T02:30:00Z'), 'America/New_York')).toEqual(new Date('2026-11-01T13:00:00Z'));
    // 2027-03-13 22:30 EST → 2027-03-14 08:00 EDT.
    expect(quietHoursEnd(new Date('2027-03-14T03:30:00Z'), 'America/New_York')).toEqual(new Date('2027-03-14T12:00:00Z'));
  });

  it('honours other quiet hours, and none when start equals end', () => {
    const quiet = { start: '22:00', end: '07:00' };
    expect(quietHoursEnd(new Date('2026-03-28T13:30:00Z'), 'Asia/Shanghai', quiet)).toBeUndefined(); // 21:30
    expect(quietHoursEnd(new Date('2026-03-28T22:30:00Z'), 'Asia/Shanghai', quiet)).toEqual(new Date('2026-03-28T23:00:00Z'));
    expect(quietHoursEnd(new Date('2026-03-28T14:30:00Z'), 'Asia/Shanghai', { start: '08:00', end: '08:00' })).toBeUndefined();
  });
});
