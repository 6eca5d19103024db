/**
 * A customer reads the same words in a text message and on the portal: amounts and decline
 * reasons come from one module (shared/domain/customer-text.ts) that the notices and the portal
 * both use.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Locale } from '../../shared/domain/customer.ts';
import { DECLINE_CODES, NOTICE_REASON, type NoticeReasonCode, noticeReasonCode } from '../../shared/domain/customer-text.ts';
import type { BillingEvent } from '../../shared/domain/events.ts';
import { renderNotice } from '../../shared/domain/notices.ts';

type Portal = typeof import('../../web/src/i18n.ts');
let portal: Portal;

beforeAll(async () => {
  // The portal's i18n module sets <html lang> when the language changes; nothing else of the DOM.
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  portal = await import('../../web/src/i18n.ts');
});

const failed = (failureCode: string, amount: { amount: number; currency: string }): BillingEvent =>
  ({
    id: 'repayment-failed:plan_test:3:1',
    version: 1,
    occurredAt: '2026-03-28T01:00:00.000Z',
    planId: 'plan_test',
    customerId: 'cus_test',
    productName: 'Mi 15 Pro 512GB',
    timeZone: 'Asia/Shanghai',
    type: 'RepaymentFailed',
    repaymentId: 'plan_test:3:1',
    period: 3,
    amount,
    failureCode,
    retryable: false,
    nextAttemptAt: null,
  }) as BillingEvent;

const LOCALES: Locale[] = ['zh-CN', 'en'];

describe('Customer text: one wording for notices and the portal', () => {
  for (const locale of LOCALES) {
    it(`words every decline (and an unknown one) the same in the SMS and on the portal (${locale})`, () => {
      portal.setLocale(locale);
      for (const code of [...DECLINE_CODES, 'do_not_honor']) {
        const sms = renderNotice(failed(code, { amount: 54_392, currency: 'CNY' }), locale).body;
        const screen = portal.declineText(code);
        expect(sms).toContain(screen);
        expect(portal.t('records.failure', { reason: screen })).toContain(screen);
      }
      expect(portal.declineText('authentication_required')).toBe(locale === 'en' ? 'your bank asks you to confirm the payment yourself' : '银行要求您本人验证后才能扣款');
    });

    it(`formats amounts the same in the SMS and on the portal (${locale})`, () => {
      portal.setLocale(locale);
      const amounts = [
        { amount: 0, currency: 'CNY' },
        { amount: 5, currency: 'CNY' },
        { amount: 54_392, currency: 'CNY' },
        { amount: 123_456_789, currency: 'CNY' },
        { amount: 900_719_925_474_099, currency: 'CNY' },
        { amount: 99_900, currency: 'USD' },
        { amount: 1_500, currency: 'JPY' },
      ];
      for (const amount of amounts) {
        const sms = renderNotice(failed('insufficient_funds', amount), locale).body;
        expect(sms).toContain(portal.fmt.money(amount));
      }
      expect(portal.fmt.money({ amount: 123_456_789, currency: 'CNY' })).toBe('¥1,234,567.89');
      expect(portal.fmt.money({ amount: 1_500, currency: 'JPY' })).toBe('¥1,500');
    });
  }
});

describe('Why a notice was not sent, in the customer’s words', () => {
  // What the notice log writes (shared/application/send-notices.ts and the senders' refusals).
  const logged: Array<[string, string]> = [
    ['stale: the debit time has passed', 'stale'],
    ['suppressed: bounced', 'bounced'],
    ['suppressed: complained', 'complained'],
    ['daily SMS limit reached: at most 5 SMS per number per day', 'daily_limit'],
    ['invalid phone number +86 139****5678: not a valid E.164 number', 'invalid_phone'],
    ['deferred past quiet hours', 'quiet_hours'],
    ['outcome unknown: the sender stopped while sending; not sent again, so that it is never sent twice', 'unknown_outcome'],
    ['will retry after a fault: TimeoutError', 'retrying'],
    ['rejected by the SMS/email provider (InvalidParameterException): Invalid phone number', 'rejected'],
    ['rejected by the email provider (MessageRejected): Email address is not verified', 'rejected'],
    ['email delivery is not configured', 'other'],
  ];

  it('knows the kind of every reason the notice log writes, and has no kind it cannot name', () => {
    for (const [reason, code] of logged) expect(noticeReasonCode(reason), reason).toBe(code);
    expect(new Set(logged.map(([, code]) => code))).toEqual(
      new Set([...Object.keys(NOTICE_REASON), 'other'].filter((c) => !['no_customer', 'email_off', 'no_email', 'sms_off'].includes(c))),
    );
  });

  for (const locale of LOCALES) {
    it(`shows each kind in ${locale}, never the log's English`, () => {
      portal.setLocale(locale);
      for (const code of [...Object.keys(NOTICE_REASON), 'other'] as NoticeReasonCode[]) {
        const text = portal.t(`notices.reason.${code}`);
        expect(text).not.toBe(`notices.reason.${code}`);
        if (locale === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]/);
      }
    });
  }
});
