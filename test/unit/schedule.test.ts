import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, daysInMonth, parseLocalDate } from '../../shared/domain/calendar.ts';
import { dueDates, MIN_FIRST_PERIOD_DAYS } from '../../shared/domain/schedule.ts';

/** Any date from 2000-01-01 to 2099-12-31. */
const localDate = fc.integer({ min: 0, max: 36_524 }).map((n) => addDays('2000-01-01', n));
const monthIndex = (date: string): number => {
  const { year, month } = parseLocalDate(date);
  return year * 12 + month - 1;
};

describe('Function: dueDates', () => {
  it('anchors to the purchase day and clamps to the month end: 31 Jan → 29 Feb → 31 Mar → 30 Apr in a leap year', () => {
    // Act & Assess
    expect(dueDates('2024-01-31', 4)).toEqual(['2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31']);
    expect(dueDates('2023-01-31', 2)).toEqual(['2023-02-28', '2023-03-31']);
  });

  it('crosses the year end', () => {
    // Act & Assess
    expect(dueDates('2025-11-30', 3)).toEqual(['2025-12-30', '2026-01-30', '2026-02-28']);
  });

  it('uses the billing day of the purchase month when it is at least 28 days away', () => {
    // Act & Assess: 1 Jan → 31 Jan is 30 days
    expect(dueDates('2024-01-01', 2, 31)).toEqual(['2024-01-31', '2024-02-29']);
  });

  it('moves to the next month when the billing day is fewer than 28 days away', () => {
    // Act & Assess: 1 Feb 2023 → 28 Feb (billing day 31 clamped) is 27 days, so 31 Mar
    expect(dueDates('2023-02-01', 3, 31)).toEqual(['2023-03-31', '2023-04-30', '2023-05-31']);
    // 20 Jan → 5 Feb is 16 days, so 5 Mar
    expect(dueDates('2026-01-20', 2, 5)).toEqual(['2026-03-05', '2026-04-05']);
    // 1 Feb → 1 Mar is 28 days in a common year, 29 in a leap year: both are enough
    expect(dueDates('2023-02-01', 1, 1)).toEqual(['2023-03-01']);
    expect(dueDates('2024-02-01', 1, 1)).toEqual(['2024-03-01']);
  });

  it('refuses a billing day outside 1–31 and a period count outside 1–60', () => {
    // Act & Assess
    expect(() => dueDates('2026-01-20', 3, 0)).toThrow(expect.objectContaining({ code: 'SCHEDULE.INVALID_BILLING_DAY' }));
    expect(() => dueDates('2026-01-20', 3, 32)).toThrow(expect.objectContaining({ code: 'SCHEDULE.INVALID_BILLING_DAY' }));
    expect(() => dueDates('2026-01-20', 0)).toThrow(expect.objectContaining({ code: 'SCHEDULE.INVALID_PERIODS' }));
    expect(() => dueDates('2026-01-20', 61)).toThrow(expect.objectContaining({ code: 'SCHEDULE.INVALID_PERIODS' }));
  });

  it('never skips or repeats a month, and lands on the anchor day clamped to the month end', () => {
    fc.assert(
      fc.property(localDate, fc.integer({ min: 1, max: 60 }), fc.option(fc.integer({ min: 1, max: 31 }), { nil: undefined }), (purchase, periods, billingDay) => {
        // Act
        const dates = dueDates(purchase, periods, billingDay);

        // Assess
        const anchor = billingDay ?? parseLocalDate(purchase).day;
        expect(dates).toHaveLength(periods);
        dates.forEach((date, i) => {
          const { year, month, day } = parseLocalDate(date);
          expect(day).toBe(Math.min(anchor, daysInMonth(year, month)));
          if (i > 0) expect(monthIndex(date)).toBe(monthIndex(dates[i - 1]!) + 1);
        });
      }),
      { numRuns: 1_000 },
    );
  });

  it('starts one month after the purchase without a billing day', () => {
    fc.assert(
      fc.property(localDate, (purchase) => {
        // Act
        const [first] = dueDates(purchase, 1);

        // Assess
        expect(monthIndex(first!)).toBe(monthIndex(purchase) + 1);
      }),
    );
  });

  it('starts on the earliest billing day at least 28 days after the purchase', () => {
    fc.assert(
      fc.property(localDate, fc.integer({ min: 1, max: 31 }), (purchase, billingDay) => {
        // Act
        const [first] = dueDates(purchase, 1, billingDay);

        // Assess: the billing day a month earlier would have been too soon
        const gap = daysBetween(purchase, first!);
        expect(gap).toBeGreaterThanOrEqual(MIN_FIRST_PERIOD_DAYS);
        expect(gap).toBeLessThanOrEqual(58);
        const { year, month } = parseLocalDate(first!);
        const previousMonth = month === 1 ? { y: year - 1, m: 12 } : { y: year, m: month - 1 };
        const earlier = `${previousMonth.y}-${String(previousMonth.m).padStart(2, '0')}-${String(Math.min(billingDay, daysInMonth(previousMonth.y, previousMonth.m))).padStart(2, '0')}`;
        expect(daysBetween(purchase, earlier)).toBeLessThan(MIN_FIRST_PERIOD_DAYS);
      }),
      { numRuns: 1_000 },
    );
  });
});
