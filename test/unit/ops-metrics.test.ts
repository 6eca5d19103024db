/**
 * The operations counters of a change, and the tallies read back as a local day: pure, so
 * every edge is cheap to pin down here (the emulator tests prove the writes).
 */
import { describe, expect, it } from 'vitest';
import { agendaOf, daysOf, type OpsTally, opsCountsOf, rollRates } from '../../shared/domain/ops-metrics.ts';
import type { RepaymentRecord } from '../../shared/domain/repayment.ts';
import { aPlanDetail } from '../builders/plans.ts';

const NOW = new Date('2026-02-28T01:05:00Z');
const record = (overrides: Partial<RepaymentRecord>): RepaymentRecord => ({
  id: 'plan_1:1:1',
  planId: 'plan_1',
  kind: 'auto',
  periods: [1],
  amount: 20_000,
  currency: 'CNY',
  paymentMethodId: 'pm_1',
  paymentMethodDisplay: 'Visa ****4242',
  status: 'succeeded',
  createdAt: NOW.toISOString(),
  ...overrides,
});

describe('Function: opsCountsOf', () => {
  const before = aPlanDetail();
  const change = (extra: Partial<Parameters<typeof opsCountsOf>[0]>) => ({ before, plan: before.plan, installments: [], ...extra });

  it('counts a first debit that succeeded as due, attempted, paid and collected', () => {
    const counts = opsCountsOf(change({ record: record({}) }), NOW);
    expect(counts.map((c) => [c.counter, c.by])).toEqual([
      ['attempted', 1],
      ['due', 1],
      ['paid', 1],
      ['collected:CNY', 20_000],
    ]);
    expect(counts.every((c) => c.at === NOW.toISOString())).toBe(true);
  });

  it('counts a retry that declined as attempted and failed with its reason, not as due', () => {
    const counts = opsCountsOf(change({ record: record({ id: 'plan_1:1:2', status: 'failed', failureCode: 'insufficient_funds' }) }), NOW);
    expect(counts.map((c) => c.counter)).toEqual(['attempted', 'failed', 'decline:insufficient_funds']);
  });

  it('takes a wallet confirmation off the pending count of the hour it started waiting', () => {
    const started = '2026-02-27T23:59:00.000Z';
    const counts = opsCountsOf(change({ record: record({ createdAt: started }), settlesPending: true }), NOW);
    expect(counts).toContainEqual({ at: started, counter: 'pending', by: -1 });
    expect(counts.map((c) => c.counter)).not.toContain('attempted');
  });

  it('counts a plan turning overdue and an installment turning overdue once, and nothing for a change that changes nothing', () => {
    const inst = before.installments[0]!;
    const counts = opsCountsOf(change({ plan: { ...before.plan, status: 'overdue' }, installments: [{ ...inst, status: 'overdue' }] }), NOW);
    expect(counts.map((c) => c.counter)).toEqual(['overdue', 'plansOverdue']);
    expect(opsCountsOf(change({ installments: [inst] }), NOW)).toEqual([]);
  });
});

describe('Function: agendaOf', () => {
  it('reads UTC hours as the local day and hour they fall in', () => {
    const hours = (values: Record<number, number>) => Array.from({ length: 24 }, (_, h) => values[h]);
    const tallies: OpsTally[] = [
      // 16:00 UTC on the 27th is 00:00 on the 28th in Shanghai; 01:00 UTC is 09:00.
      { utcDate: '2026-02-27', counter: 'paid', hours: hours({ 15: 5, 16: 1 }) },
      { utcDate: '2026-02-28', counter: 'paid', hours: hours({ 1: 2 }) },
      { utcDate: '2026-02-28', counter: 'collected:CNY', hours: hours({ 1: 300 }) },
    ];
    const { hours: byHour, totals } = agendaOf(tallies, '2026-02-28', 'Asia/Shanghai');
    expect(byHour[0]!.paid).toBe(1);
    expect(byHour[9]!.paid).toBe(2);
    expect(totals).toMatchObject({ paid: 3, collected: { CNY: 300 } });
  });
});

describe('Function: rollRates', () => {
  it('divides what rolled by what could have rolled, null when nothing could', () => {
    const [a, b] = daysOf([], '2026-02-01', '2026-02-02', 'UTC');
    expect(
      rollRates([
        { ...a!, due: 4, overdue: 1 },
        { ...b!, plansOverdue: 2, defaulted: 1 },
      ]),
    ).toEqual({ currentToOverdue: 0.25, overdueToDefaulted: 0.5 });
    expect(rollRates([a!])).toEqual({ currentToOverdue: null, overdueToDefaulted: null });
  });
});
