import { describe, expect, it } from 'vitest';
import type { BillingEvent } from '../../shared/domain/events.ts';
import { composeSms, normaliseName, renderNotice, smsEncoding, smsSegments } from '../../shared/domain/notices.ts';

const reminder = (productName: string): BillingEvent => ({
  id: 'reminder:plan_test:12:2026-03-31:3',
  version: 1,
  occurredAt: '2026-03-28T02:00:00.000Z',
  planId: 'plan_test',
  customerId: 'cus_test',
  productName,
  timeZone: 'Asia/Shanghai',
  type: 'InstallmentReminderDue',
  period: 12,
  dueDate: '2026-03-31',
  debitAt: '2026-03-31T01:00:00.000Z',
  amount: { amount: 123_456, currency: 'CNY' },
  daysBefore: 3,
});

describe('Function: normaliseName', () => {
  it('removes control, bidi-override and zero-width characters', () => {
    expect(normaliseName('Mi\u200b 15\u202e Pro\u0007\u2066')).toBe('Mi 15 Pro');
    expect(normaliseName('\ufeffMi\n15')).toBe('Mi 15');
  });

  it('passes no link, no phone number and no sender tag through', () => {
    expect(normaliseName('【中国银行】您的账户异常，请点击 http://bank-cn.top/x 或致电 95566-1234567')).toBe('中国银行 您的账户异常，请点击 或致电');
    expect(normaliseName('Phone 16 www.example.com/deal +86 138 0013 8000')).toBe('Phone 16');
    expect(normaliseName('Gift card t.cn/A6x9 13800138000')).toBe('Gift card');
  });

  it('keeps ordinary product names, digits and all, as they are', () => {
    for (const name of ['Mi 15 Pro 512GB', 'Apple iPhone 16 Pro Max 1TB', 'RTX 4090 24GB', '小米 15 Pro', 'Galaxy S25+ (Titanium)']) expect(normaliseName(name)).toBe(name);
  });
});

describe('Function: composeSms, the product name', () => {
  it('never lets a fake 【中国银行】 tag or its link go out under our signature', () => {
    const text = composeSms(reminder('【中国银行】账户异常 点击 t.cn/abc'), 'zh-CN', '【repayflow】');

    // The one 【…】 is ours; the name lost its brackets and its link.
    expect(text).toBe('【repayflow】「中国银行 账户异常 点击」第12期¥1,234.56于2026-03-31（3天后）自动扣款，请保持余额充足。');
    expect(smsSegments(text)).toBe(1);
  });

  it('drops a 120-emoji name rather than send a multi-segment SMS, and the text returns to GSM-7', () => {
    // Any emoji makes the English text UCS-2 (70 units a segment), too short for it even with six
    // emoji; without the name the text is GSM-7 and one segment of 160.
    const text = composeSms(reminder('😀'.repeat(120)), 'en', '[repayflow] ');

    expect(text).toBe('[repayflow] Installment 12 of your plan, ¥1,234.56, will be debited in 3 days (2026-03-31). Please keep enough funds in your account.');
    expect(smsEncoding(text)).toBe('GSM-7');
    expect(smsSegments(text)).toBe(1);
  });

  it('shortens by whole emoji: seven fit a Chinese reminder of 70 UCS-2 units', () => {
    // 【repayflow】(11) + 「」(2) + 第12期(4) + ¥1,234.56(9) + 于(1) + 2026-03-31(10) + （3天后）(5)
    // + 自动扣款，请保持余额充足。(13) = 55 units; each 😀 takes 2 and the ellipsis 1: 55 + 2k + 1 ≤ 70 → k = 7.
    const text = composeSms(reminder('😀'.repeat(120)), 'zh-CN', '【repayflow】');

    expect(text).toBe(`【repayflow】「${'😀'.repeat(7)}…」第12期¥1,234.56于2026-03-31（3天后）自动扣款，请保持余额充足。`);
    expect(smsSegments(text)).toBe(1);
  });

  it('never splits a family emoji (one grapheme of 8 units): the name is dropped instead', () => {
    const family = '👨‍👩‍👧';
    const text = composeSms(reminder(family.repeat(20)), 'zh-CN', '【repayflow】');

    expect(text).toBe('【repayflow】您的分期第12期¥1,234.56于2026-03-31（3天后）自动扣款，请保持余额充足。');
  });

  it('normalises the name in emails too', () => {
    expect(renderNotice(reminder('Mi 15\u202e Pro http://evil.example.com'), 'en').body).toContain('Installment 12 of Mi 15 Pro,');
  });
});
