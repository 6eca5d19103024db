/** The reconciliation schedule of `infra/resources.ts` on the local stack's clock. */
import { addDays, localDateOf, zonedInstant } from '../../shared/domain/calendar.ts';
import { schedules } from '../resources.ts';

export interface ReconciliationRun {
  /** When the schedule fired, and the local day it reconciled. */
  at: string;
  date: string;
  captures: number;
  records: number;
  differences: number;
  /** Providers whose listing of the day was not ready yet. */
  pending: string[];
}

const { dailyAt, timeZone } = schedules.reconciliation;
const TIME = `${String(dailyAt.hour).padStart(2, '0')}:${String(dailyAt.minute).padStart(2, '0')}`;

/** The first scheduled instant strictly after `after`. */
export function nextDailyRun(after: Date): Date {
  const today = localDateOf(after, timeZone);
  for (let d = -1; d <= 2; d++) {
    const at = zonedInstant(addDays(today, d), TIME, timeZone);
    if (at > after) return at;
  }
  throw new Error('unreachable: a daily schedule fires within two days');
}
