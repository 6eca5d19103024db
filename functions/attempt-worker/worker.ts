import * as z from 'zod';
import type { Deps } from '../../shared/application/deps.ts';
import { runAgendaAction } from '../../shared/application/run-agenda-action.ts';
import { withSqs } from '../_wrappers/with-sqs.ts';

export const AgendaMessageSchema = z.object({
  planId: z.string().min(1),
  period: z.number().int().min(1),
  claim: z.string().min(1),
});

/** Consumes claimed agenda actions: reminders, debits and retries, overdue marks. */
export type AttemptWorkerDeps = Pick<Deps, 'plans' | 'customers' | 'gateway' | 'events' | 'clock' | 'logger' | 'metrics'>;

export function createAttemptWorker(deps: AttemptWorkerDeps) {
  return withSqs({ schema: AgendaMessageSchema, logger: deps.logger, name: 'agenda action' }, async (message, _record, logger) => {
    const outcome = await runAgendaAction({ ...deps, logger }, message);
    if (outcome === 'paid' || outcome === 'declined' || outcome === 'pending') deps.metrics.count('AttemptsMade', 1);
    if (outcome === 'paid') deps.metrics.count('RepaymentsSucceeded', 1);
    if (outcome === 'declined') deps.metrics.count('RepaymentsFailed', 1);
    return outcome;
  });
}
