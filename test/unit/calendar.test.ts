import { describe, expect, it } from 'vitest';
import { addDays, addMonthsAnchored, daysBetween, localDateOf, parseLocalDate, zonedInstant } from '../../shared/domain/calendar.ts';

describe('Function: zonedInstant', () => {
  it('places 09:00 in Shanghai at 01:00 UTC all year (no daylight saving)', () => {
    expect(zonedInstant('2026-02-28', '09:00', 'Asia/Shanghai').toISOString()).toBe('2026-02-28T01:00:00.000Z');
    expect(zonedInstant('2026-07-01', '09:00', 'Asia/Shanghai').toISOString()).toBe('2026-07-01T01:00:00.000Z');
  });

  it('keeps 10:00 in New York at 10:00 local on both sides of a daylight-saving change', () => {
    expect(zonedInstant('2026-10-31', '10:00', 'America/New_York').toISOString()).toBe('2026-10-31T14:00:00.000Z');
    expect(zonedInstant('2026-11-01', '10:00', 'America/New_York').toISOString()).toBe('2026-11-01T15:00:00.000Z');
    expect(zonedInstant('2027-03-14', '10:00', 'America/New_York').toISOString()).toBe('2027-03-14T14:00:00.000Z');
  });

  it('moves a wall time skipped by the spring-forward jump to just after the gap', () => {
    // 02:30 does not exist in New York on 2027-03-14; it resolves to 03:30 EDT.
    expect(zonedInstant('2027-03-14', '02:30', 'America/New_York').toISOString()).toBe('2027-03-14T07:30:00.000Z');
  });

  it('takes the first occurrence of a wall time repeated by the fall-back change', () => {
    expect(zonedInstant('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });
});

describe('Function: addMonthsAnchored', () => {
  it('clamps to the end of short months and returns to the anchor day after', () => {
    const dates = [1, 2, 3, 4].map((m) => addMonthsAnchored('2026-01-31', m, 31));
    expect(dates).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
  });

  it('uses 29 February in a leap year', () => {
    expect(addMonthsAnchored('2028-01-31', 1, 31)).toBe('2028-02-29');
  });

  it('crosses year ends', () => {
    expect(addMonthsAnchored('2026-11-15', 3, 15)).toBe('2027-02-15');
  });
});

describe('Function: local dates', () => {
  it('reads the local calendar date of an instant', () => {
    expect(localDateOf(new Date('2026-02-27T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-02-28');
    expect(localDateOf(new Date('2026-02-28T03:00:00Z'), 'America/New_York')).toBe('2026-02-27');
  });

  it('adds and counts days across month ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(daysBetween('2026-02-28', '2026-03-04')).toBe(4);
  });

  it('refuses impossible dates with a clear message', () => {
    expect(() => parseLocalDate('2026-02-30')).toThrow(/not a calendar date/);
    expect(() => parseLocalDate('28/02/2026')).toThrow(/YYYY-MM-DD/);
  });
});
