import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocatePayment, type InstallmentAmounts, outstandingComponents, payoffQuote } from '../../shared/domain/allocation.ts';
import { addDays } from '../../shared/domain/calendar.ts';
import { buildSchedule, type FeeTerms } from '../../shared/domain/schedule.ts';

const anInstallment = (overrides: Partial<InstallmentAmounts> = {}): InstallmentAmounts => ({
  period: 1,
  dueDate: '2026-02-15',
  principal: 10_000,
  fee: 880,
  lateFee: 0,
  amountPaid: 0,
  ...overrides,
});

/** A plan's installments as scheduled, with the first `paid` periods settled. */
function planInstallments(fee: FeeTerms, principal: number, periods: number, purchaseDate: string, paid = 0): InstallmentAmounts[] {
  return buildSchedule({ principal, periods, fee, purchaseDate }).map((s) => ({
    ...s,
    lateFee: 0,
    amountPaid: s.period <= paid ? s.principal + s.fee : 0,
  }));
}

const owedOn = (i: InstallmentAmounts): number => i.principal + i.fee + i.lateFee - i.amountPaid;
const sumOf = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

/** 1–12 installments a month apart, each possibly partly paid and carrying a late fee. */
const installmentsArb = fc
  .array(
    fc.record({
      principal: fc.integer({ min: 0, max: 10 ** 7 }),
      fee: fc.integer({ min: 0, max: 10 ** 6 }),
      lateFee: fc.integer({ min: 0, max: 10 ** 5 }),
      paidShare: fc.integer({ min: 0, max: 100 }),
      dayShift: fc.integer({ min: 0, max: 20 }),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((rows) =>
    rows.map(
      ({ principal, fee, lateFee, paidShare, dayShift }, k): InstallmentAmounts => ({
        period: k + 1,
        dueDate: addDays('2026-01-10', k * 30 + dayShift),
        principal,
        fee,
        lateFee,
        amountPaid: Math.floor(((principal + fee + lateFee) * paidShare) / 100),
      }),
    ),
  );

describe('Function: outstandingComponents', () => {
  it('reads past payments as covering the late fee, then the fee, then the principal', () => {
    // Act & Assess
    expect(outstandingComponents(anInstallment({ lateFee: 50, amountPaid: 100 }))).toEqual({ lateFee: 0, fee: 830, principal: 10_000 });
    expect(outstandingComponents(anInstallment({ lateFee: 50, amountPaid: 30 }))).toEqual({ lateFee: 20, fee: 880, principal: 10_000 });
    expect(outstandingComponents(anInstallment({ amountPaid: 10_880 }))).toEqual({ lateFee: 0, fee: 0, principal: 0 });
  });
});

describe('Function: allocatePayment', () => {
  it('pays the oldest installment in full before the next, late fee → fee → principal', () => {
    // Prepare
    const installments = [anInstallment({ period: 2, dueDate: '2026-03-15' }), anInstallment({ lateFee: 50 })];

    // Act
    const result = allocatePayment(installments, 11_000);

    // Assess
    expect(result).toEqual({
      applied: [
        { period: 1, lateFee: 50, fee: 880, principal: 10_000, total: 10_930, settled: true },
        { period: 2, lateFee: 0, fee: 70, principal: 0, total: 70, settled: false },
      ],
      leftover: 0,
    });
  });

  it('fills the late fee and fee of an installment before its principal', () => {
    // Act
    const result = allocatePayment([anInstallment({ lateFee: 50 })], 500);

    // Assess
    expect(result.applied).toEqual([{ period: 1, lateFee: 50, fee: 450, principal: 0, total: 500, settled: false }]);
  });

  it('continues where an earlier partial payment stopped', () => {
    // Act: 100 already covered the 50 late fee and 50 of the fee
    const result = allocatePayment([anInstallment({ lateFee: 50, amountPaid: 100 })], 1_000);

    // Assess
    expect(result.applied).toEqual([{ period: 1, lateFee: 0, fee: 830, principal: 170, total: 1_000, settled: false }]);
  });

  it('skips settled installments and returns what nothing needed', () => {
    // Prepare
    const installments = [anInstallment({ amountPaid: 10_880 }), anInstallment({ period: 2, dueDate: '2026-03-15' })];

    // Act
    const result = allocatePayment(installments, 20_000);

    // Assess
    expect(result.applied.map((a) => a.period)).toEqual([2]);
    expect(result.leftover).toBe(20_000 - 10_880);
  });

  it('orders by due date, so a deferred installment waits behind later periods that fall due first', () => {
    // Prepare
    const installments = [anInstallment({ period: 1, dueDate: '2026-03-20' }), anInstallment({ period: 2, dueDate: '2026-03-15' })];

    // Act
    const result = allocatePayment(installments, 100);

    // Assess
    expect(result.applied.map((a) => a.period)).toEqual([2]);
  });

  it('refuses a negative or fractional payment', () => {
    // Act & Assess
    expect(() => allocatePayment([anInstallment()], -1)).toThrow(expect.objectContaining({ code: 'ALLOCATION.INVALID_AMOUNT' }));
    expect(() => allocatePayment([anInstallment()], 0.5)).toThrow(expect.objectContaining({ code: 'ALLOCATION.INVALID_AMOUNT' }));
  });

  it('conserves money: applied + leftover = paid, never more than owed, oldest first', () => {
    fc.assert(
      fc.property(installmentsArb, fc.integer({ min: 0, max: 2 * 10 ** 7 }), (installments, amount) => {
        // Act
        const { applied, leftover } = allocatePayment(installments, amount);

        // Assess
        expect(sumOf(applied.map((a) => a.total)) + leftover).toBe(amount);
        for (const a of applied) {
          const owed = outstandingComponents(installments.find((i) => i.period === a.period)!);
          expect(a.lateFee <= owed.lateFee && a.fee <= owed.fee && a.principal <= owed.principal).toBe(true);
          expect(a.total).toBe(a.lateFee + a.fee + a.principal);
        }
        // Money stops at an installment only once every earlier one is settled.
        expect(applied.slice(0, -1).every((a) => a.settled)).toBe(true);
        if (leftover > 0) expect(sumOf(applied.map((a) => a.total))).toBe(sumOf(installments.map(owedOn)));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps paid + outstanding = total after any sequence of payments', () => {
    fc.assert(
      fc.property(installmentsArb, fc.array(fc.integer({ min: 0, max: 5 * 10 ** 6 }), { maxLength: 10 }), (start, payments) => {
        // Prepare
        const grandTotal = sumOf(start.map((i) => i.principal + i.fee + i.lateFee));
        let installments = start;
        let collected = 0;

        // Act
        for (const amount of payments) {
          const { applied, leftover } = allocatePayment(installments, amount);
          collected += amount - leftover;
          installments = installments.map((i) => {
            const a = applied.find((x) => x.period === i.period);
            return a ? { ...i, amountPaid: i.amountPaid + a.total } : i;
          });
        }

        // Assess
        expect(sumOf(installments.map((i) => i.amountPaid)) + sumOf(installments.map(owedOn))).toBe(grandTotal);
        expect(sumOf(installments.map((i) => i.amountPaid)) - sumOf(start.map((i) => i.amountPaid))).toBe(collected);
        expect(installments.every((i) => owedOn(i) >= 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Function: payoffQuote', () => {
  it('waives the fees of flat periods not yet due when the policy says so', () => {
    // Prepare: 1,200.00 at 8.8% flat over 12 from 15 Jan, two periods paid
    const installments = planInstallments({ model: 'flat', rate: '0.088' }, 120_000, 12, '2026-01-15', 2);

    // Act
    const quote = payoffQuote(installments, '2026-03-20', 'flat', true);

    // Assess: 10 × 100.00 principal, 10 × 8.80 waived
    expect(quote).toMatchObject({ principal: 100_000, fee: 0, lateFee: 0, waived: 8_800, total: 100_000 });
    expect(quote.items.map((i) => i.period)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('charges the flat fees in full when they are not waived', () => {
    // Prepare
    const installments = planInstallments({ model: 'flat', rate: '0.088' }, 120_000, 12, '2026-01-15', 2);

    // Act
    const quote = payoffQuote(installments, '2026-03-20', 'flat', false);

    // Assess
    expect(quote).toMatchObject({ principal: 100_000, fee: 8_800, waived: 0, total: 108_800 });
  });

  it('charges everything due before today, late fees included; a period due today is still the current one', () => {
    // Prepare: period 2 overdue with 0.30 late fee, period 3 due today
    const installments = planInstallments({ model: 'flat', rate: '0.088' }, 120_000, 12, '2026-01-15', 1).map((i) => (i.period === 2 ? { ...i, lateFee: 30 } : i));

    // Act
    const quote = payoffQuote(installments, '2026-04-15', 'flat', true);

    // Assess: period 2 owes 108.80 + 0.30; periods 3–12 (3 closes today) owe principal only
    expect(quote).toMatchObject({ principal: 110_000, fee: 880, lateFee: 30, waived: 8_800, total: 110_910, currentPeriod: 3, charging: 'waive_future' });
  });

  it('stops interest today: the current period accrues by days, later periods owe none', () => {
    // Prepare: 12,000.00 at 12% equal principal, due on the 15th, two periods paid; the current
    // period runs 15 Mar → 15 Apr (31 days) with 100.00 interest
    const installments = planInstallments({ model: 'equal_principal', annualRate: '0.12' }, 1_200_000, 12, '2024-01-15', 2);

    // Act: 10 of 31 days elapsed → 100.00 × 10/31 = 32.258 → 32.26
    const quote = payoffQuote(installments, '2024-03-25', 'equal_principal', true);

    // Assess: the other 550.00 − 32.26 of interest is waived
    expect(quote).toMatchObject({ principal: 1_000_000, fee: 3_226, lateFee: 0, waived: 51_774, total: 1_003_226 });
    expect(quote.items[0]).toEqual({ period: 3, principal: 100_000, fee: 3_226, lateFee: 0, waived: 6_774, total: 103_226 });
  });

  it('stops interest regardless of the flat-fee waiver setting', () => {
    // Prepare
    const installments = planInstallments({ model: 'annuity', annualRate: '0.12' }, 1_200_000, 12, '2024-01-15', 2);

    // Act & Assess
    expect(payoffQuote(installments, '2024-03-25', 'annuity', false)).toEqual(payoffQuote(installments, '2024-03-25', 'annuity', true));
  });

  it('measures the first period from the purchase date when given, else from a month before its due date', () => {
    // Prepare: first period 15 Jan → 15 Feb (31 days), 120.00 interest on 12,000.00 at 12%
    const installments = planInstallments({ model: 'equal_principal', annualRate: '0.12' }, 1_200_000, 12, '2024-01-15');

    // Act: 5 of 31 days → 120.00 × 5/31 = 19.354 → 19.35
    const withPurchase = payoffQuote(installments, '2024-01-20', 'equal_principal', true, '2024-01-15');
    const withoutPurchase = payoffQuote(installments, '2024-01-20', 'equal_principal', true);

    // Assess
    expect(withPurchase).toMatchObject({ principal: 1_200_000, fee: 1_935, total: 1_201_935 });
    expect(withoutPurchase.fee).toBe(1_935);
  });

  it('never waives interest or fees already paid', () => {
    // Prepare: 30.00 paid ahead on period 3, which covers more than its accrued interest
    const installments = planInstallments({ model: 'equal_principal', annualRate: '0.12' }, 1_200_000, 12, '2024-01-15', 2).map((i) =>
      i.period === 3 ? { ...i, amountPaid: 3_000 } : i,
    );

    // Act: 3 of 31 days → 100.00 × 3/31 = 9.68 accrued
    const quote = payoffQuote(installments, '2024-03-18', 'equal_principal', true);

    // Assess: the 30.00 already paid stays charged; only the unpaid 70.00 is waived
    expect(quote.items[0]).toEqual({ period: 3, principal: 100_000, fee: 0, lateFee: 0, waived: 7_000, total: 100_000 });
  });

  it('quotes what is owed minus what is waived, for every model', () => {
    fc.assert(
      fc.property(
        installmentsArb,
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom<FeeTerms['model']>('flat', 'annuity', 'equal_principal'),
        fc.boolean(),
        (installments, dayOffset, model, waive) => {
          // Act
          const quote = payoffQuote(installments, addDays('2026-01-01', dayOffset), model, waive);

          // Assess
          expect(quote.total + quote.waived).toBe(sumOf(installments.map(owedOn)));
          expect(quote.total).toBe(quote.principal + quote.fee + quote.lateFee);
          expect(quote.principal).toBe(sumOf(installments.map((i) => outstandingComponents(i).principal)));
          expect(quote.lateFee).toBe(sumOf(installments.map((i) => outstandingComponents(i).lateFee)));
          expect(quote.items.every((i) => i.fee >= 0 && i.waived >= 0 && i.total === i.principal + i.fee + i.lateFee)).toBe(true);
          if (model === 'flat' && !waive) expect(quote.waived).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
