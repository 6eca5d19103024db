import { describe, expect, it } from 'vitest';
import { outstandingComponents } from '../../shared/domain/allocation.ts';
import { accrueLateFee } from '../../shared/domain/late-fees.ts';
import { DEFAULT_POLICY } from '../../shared/domain/policy.ts';

describe('Function: outstandingComponents after a partial payment', () => {
  // Prepare: 1,000,000 principal; 10,000 late fee when 500,000 was paid (10,000 of it late fee).
  const afterPayment = { principal: 1_000_000, fee: 0, lateFee: 10_000, amountPaid: 500_000, lateFeePaid: 10_000 };

  it('does not read late fee accrued later as paid by the earlier payment', () => {
    // Act: the late fee has since grown to 20,000.
    const owed = outstandingComponents({ ...afterPayment, lateFee: 20_000 });

    // Assess: the principal still owed is what the payment left, 510,000.
    expect(owed).toEqual({ lateFee: 10_000, fee: 0, principal: 510_000 });
  });

  it('keeps the daily late fee on the unpaid principal only', () => {
    const day = (lateFee: number) => {
      const owed = outstandingComponents({ ...afterPayment, lateFee });
      return accrueLateFee({ base: owed.principal + owed.fee, installmentAmount: 1_000_000, accrued: lateFee, days: 1, daysOverdue: 200 }, DEFAULT_POLICY) - lateFee;
    };
    // 510,000 × 0.0005 = 255 a day, whatever late fee has accrued meanwhile.
    expect([day(10_000), day(20_000), day(30_000)]).toEqual([255, 255, 255]);
  });
});
