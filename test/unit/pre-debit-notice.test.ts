/**
 * A WeChat Pay pre-debit notice opens a window for one contract: a debit from another method
 * (the customer bound a new contract, or a retry moved to the next method) is not covered by it.
 */
import { describe, expect, it } from 'vitest';
import { noticeAhead, noticeCovers } from '../../shared/application/announce-debit.ts';
import type { ProviderNotice } from '../../shared/domain/plan.ts';

const notice: ProviderNotice = { from: '2026-03-03', until: '2026-03-10', timeZone: 'Asia/Shanghai', amount: 54400, paymentMethodId: 'pm_a' };

describe('Function: noticeCovers', () => {
  it('covers a debit from the method the notice was sent for, inside the window, up to the amount', () => {
    expect(noticeCovers(notice, new Date('2026-03-05T02:00:00Z'), 54400, 'pm_a')).toBe(true);
    expect(noticeCovers(notice, new Date('2026-03-05T02:00:00Z'), 54401, 'pm_a')).toBe(false);
  });

  it('does not cover a debit from another method', () => {
    expect(noticeCovers(notice, new Date('2026-03-05T02:00:00Z'), 54400, 'pm_b')).toBe(false);
  });
});

describe('Function: noticeAhead', () => {
  it('waits only for a window opened for the same method', () => {
    expect(noticeAhead(notice, new Date('2026-03-01T02:00:00Z'), 54400, 'pm_a')).toBe(true);
    expect(noticeAhead(notice, new Date('2026-03-01T02:00:00Z'), 54400, 'pm_b')).toBe(false);
  });
});
