import { describe, expect, it } from 'vitest';
import { majorUnits, moneyLines, renderReport, type SimulationFacts, summarise } from '../../infra/local/simulation-report.ts';
import type { NoticeRecord } from '../../shared/domain/notices.ts';
import type { RepaymentRecord } from '../../shared/domain/repayment.ts';

const repayment = (over: Partial<RepaymentRecord>): RepaymentRecord =>
  ({
    id: 'pln_1:1:1',
    planId: 'pln_1',
    kind: 'automatic',
    periods: [1],
    amount: 0,
    currency: 'CNY',
    paymentMethodId: 'pm_1',
    paymentMethodDisplay: 'card ****4242',
    status: 'succeeded',
    createdAt: '2026-02-05T01:00:00.000Z',
    ...over,
  }) as RepaymentRecord;

const notice = (over: Partial<NoticeRecord>): NoticeRecord => ({
  dedupeKey: 'evt:sms',
  customerId: 'cus_1',
  planId: 'pln_1',
  kind: 'reminder',
  channel: 'sms',
  to: '+86138****0000',
  body: 'text',
  status: 'sent',
  createdAt: '2026-02-02T02:00:00.000Z',
  sentAt: '2026-02-02T02:00:00.000Z',
  ...over,
});

const facts = (over: Partial<SimulationFacts>): SimulationFacts => ({ from: '2026-02-01', to: '2026-02-07', plans: [], repayments: [], notices: [], captures: [], ...over });

describe('Function: summarise', () => {
  it('keeps money per currency, so offsetting differences in two currencies are both mismatches', () => {
    // Prepare: recorded 100.00 CNY + 50.00 USD, captured 90.00 CNY + 60.00 USD (the same 150.00 summed).
    const summary = summarise(
      facts({
        repayments: [repayment({ amount: 10_000, currency: 'CNY' }), repayment({ id: 'pln_2:1:1', amount: 5_000, currency: 'USD' })],
        captures: [
          { amount: 9_000, currency: 'CNY' },
          { amount: 6_000, currency: 'USD' },
        ],
      }),
    );

    // Assess
    expect(summary.money).toEqual({ CNY: { recorded: 10_000, captured: 9_000, matches: false }, USD: { recorded: 5_000, captured: 6_000, matches: false } });
    expect(moneyLines(summary.money)).toEqual(['CNY recorded 100.00 ≠ captured 90.00: MISMATCH', 'USD recorded 50.00 ≠ captured 60.00: MISMATCH']);
  });

  it('counts collections, attempts and notices on their UTC day, and leaves out failed or suppressed notices', () => {
    const summary = summarise(
      facts({
        repayments: [
          repayment({ amount: 30_000, createdAt: '2026-02-05T01:00:00.000Z' }),
          repayment({ id: 'pln_1:2:1', amount: 12_345, createdAt: '2026-02-05T23:59:59.999Z' }),
          repayment({ id: 'pln_1:3:1', amount: 500, status: 'failed', failureCode: 'insufficient_funds', createdAt: '2026-02-06T01:00:00.000Z' }),
        ],
        notices: [notice({}), notice({ dedupeKey: 'e2:sms', kind: 'repayment_failed', sentAt: '2026-02-06T01:00:01.000Z' }), notice({ dedupeKey: 'e3:sms', status: 'suppressed' })],
      }),
    );

    expect(summary.days).toEqual(['2026-02-01', '2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06', '2026-02-07']);
    expect(summary.collections).toEqual({ CNY: [0, 0, 0, 0, 42_345, 0, 0] });
    expect(summary.attempts).toEqual({ succeeded: [0, 0, 0, 0, 2, 0, 0], failed: [0, 0, 0, 0, 0, 1, 0] });
    expect(summary.notices).toEqual({ reminder: [0, 1, 0, 0, 0, 0, 0], repayment_failed: [0, 0, 0, 0, 0, 1, 0] });
  });

  it('counts an installment overdue from its first overdue day until the day before it was paid', () => {
    const summary = summarise(
      facts({
        plans: [
          {
            currency: 'CNY',
            status: 'overdue',
            installments: [
              { status: 'paid', overdueSince: '2026-02-02', paidAt: '2026-02-04T03:00:00.000Z' },
              { status: 'overdue', overdueSince: '2026-02-06' },
              { status: 'paid', paidAt: '2026-02-03T03:00:00.000Z' },
            ],
          },
        ],
      }),
    );

    expect(summary.overdue).toEqual([0, 1, 1, 0, 0, 1, 1]);
  });
});

describe('Function: majorUnits', () => {
  it('writes minor units exactly, in the currency’s own number of digits', () => {
    expect(majorUnits(123_456, 'CNY')).toBe('1234.56');
    expect(majorUnits(5, 'USD')).toBe('0.05');
    expect(majorUnits(500, 'JPY')).toBe('500');
    expect(majorUnits(2 ** 53 - 1, 'CNY')).toBe('90071992547409.91');
  });
});

describe('Function: renderReport', () => {
  it('writes a self-contained page whose embedded data cannot close its script', () => {
    const summary = summarise(facts({ notices: [notice({ body: '</script><script>alert(1)</script>' })] }));

    const html = renderReport(summary, { title: 'sim <1>', lines: ['plans active 1'] });

    expect(html).toContain('uPlot');
    expect(html).toContain('<title>sim &#60;1&#62;</title>');
    const data = /<script id="data" type="application\/json">([^<]*)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(data!)).toEqual(JSON.parse(JSON.stringify(summary)));
  });
});
