import middy from '@middy/core';
import * as z from 'zod';
import { type ReconcileDeps, reconcileDue } from '../../shared/application/reconcile-day.ts';
import { isLocalDate } from '../../shared/domain/calendar.ts';
import { previousLocalDay } from '../../shared/domain/reconciliation.ts';

/**
 * What the schedule sends (infra/aws/stateless-stack.ts); `date` lets an operator re-run one
 * day by hand. A retried invocation reconciles the day of its scheduled time, not of "now".
 */
export const ReconcileEventSchema = z
  .object({
    date: z.string().refine(isLocalDate, { message: 'must be YYYY-MM-DD' }).optional(),
    scheduledTime: z.string().datetime({ offset: true }).optional(),
  })
  .passthrough();

/** The scheduled daily reconciliation of the previous local day, and of earlier days still waiting for a provider's listing. */
export function createReconcileHandler(deps: ReconcileDeps) {
  return middy(async (event: unknown) => {
    const input = ReconcileEventSchema.parse(event ?? {});
    const date = input.date ?? (input.scheduledTime ? previousLocalDay(new Date(input.scheduledTime), deps.settings.policy.reconciliationTimeZone) : undefined);
    const result = await reconcileDue(deps, date ? { date } : {});
    if (!result.ok) throw new Error(result.error.message);
    const { differences: _d, ...summary } = result.value;
    return summary;
  });
}
