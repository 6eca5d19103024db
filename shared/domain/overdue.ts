/**
 * The daily overdue step of one installment: turn overdue after the grace period, accrue the
 * late fee once per local day (catching up missed days, never charging one twice), pick the
 * overdue notice that is due, and tell when the plan defaults.
 */

import { outstandingComponents } from './allocation.ts';
import { addDays, localDateOf } from './calendar.ts';
import { accrueLateFeeDays, daysOverdue, lateFeeAccrualStart, lateFeeDaysToAccrue } from './late-fees.ts';
import type { Installment, Plan } from './plan.ts';

export interface OverdueStep {
  installment: Installment;
  daysOverdue: number;
  /** The overdue-notice day (1, 3, 7 …) to announce now, if one is due. */
  noticeDay?: number;
  /** The plan has been overdue for `defaultAfterDays`: auto-debit stops. */
  defaulted: boolean;
}

export function overdueStep(plan: Plan, installment: Installment, now: Date): OverdueStep {
  const { policy } = plan;
  const today = localDateOf(now, plan.timeZone);
  const days = daysOverdue(installment.dueDate, policy.graceDays, today);
  if (days < 1) return { installment, daysOverdue: 0, defaulted: false };

  const start = lateFeeAccrualStart(installment.dueDate, policy.graceDays);
  const accruedThrough = installment.lateFeeAccruedThrough ?? start;
  const owed = outstandingComponents(installment);
  const { lateFee, baseDays } = accrueLateFeeDays(
    {
      base: owed.principal + owed.fee,
      installmentAmount: installment.principal + installment.fee,
      accrued: installment.lateFee,
      days: Math.min(lateFeeDaysToAccrue(accruedThrough, today), days),
      daysOverdue: days,
      ...(installment.lateFeeBaseDays === undefined ? {} : { baseDaysBefore: installment.lateFeeBaseDays }),
      planApr: plan.apr,
    },
    policy,
  );
  const sent = installment.overdueNoticesSent ?? [];
  // After a missed run only the latest notice goes out: the customer needs the current state.
  const due = policy.overdueNoticeDays.filter((d) => d <= days && !sent.includes(d));
  const noticeDay = due.length > 0 ? Math.max(...due) : undefined;
  return {
    installment: {
      ...installment,
      status: 'overdue',
      overdueSince: installment.overdueSince ?? addDays(start, 1),
      lateFeeAccruedThrough: today,
      lateFee,
      lateFeeBaseDays: baseDays,
      overdueNoticesSent: [...sent, ...due].sort((a, b) => a - b),
    },
    daysOverdue: days,
    ...(noticeDay === undefined ? {} : { noticeDay }),
    defaulted: days >= policy.defaultAfterDays,
  };
}
