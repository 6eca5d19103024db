import { describe, expect, it } from 'vitest';
import { checkRail } from '../../shared/domain/rails.ts';

describe('Function: checkRail', () => {
  const tz = 'Asia/Shanghai';

  it('lets bank cards and Alipay debit at any hour', () => {
    expect(checkRail('bank_card', new Date('2026-02-27T15:30:00Z'), tz, undefined)).toEqual({ open: true });
    expect(checkRail('alipay', new Date('2026-02-27T20:00:00Z'), tz, undefined)).toEqual({ open: true });
  });

  it('lets WeChat Pay debit between 07:00 and 22:00 after a notice on an earlier day', () => {
    expect(checkRail('wechat_pay', new Date('2026-02-28T01:00:00Z'), tz, '2026-02-27')).toEqual({ open: true });
  });

  it('holds a WeChat Pay debit at 23:30 until 07:00 the next morning', () => {
    expect(checkRail('wechat_pay', new Date('2026-02-28T15:30:00Z'), tz, '2026-02-27')).toEqual({
      open: false,
      reason: 'outside_window',
      retryAt: new Date('2026-02-28T23:00:00Z'),
    });
  });

  it('holds a WeChat Pay debit at 06:00 until 07:00 the same morning', () => {
    expect(checkRail('wechat_pay', new Date('2026-02-27T22:00:00Z'), tz, '2026-02-26')).toMatchObject({ open: false, retryAt: new Date('2026-02-27T23:00:00Z') });
  });

  it('asks for a pre-debit notice first when the customer was not notified on an earlier day', () => {
    expect(checkRail('wechat_pay', new Date('2026-02-28T01:00:00Z'), tz, '2026-02-28')).toEqual({
      open: false,
      reason: 'needs_pre_debit_notice',
      retryAt: new Date('2026-02-28T23:00:00Z'),
    });
    expect(checkRail('wechat_pay', new Date('2026-02-28T01:00:00Z'), tz, undefined)).toMatchObject({ open: false, reason: 'needs_pre_debit_notice' });
  });
});
