import middy from '@middy/core';
import type { Deps } from '../../shared/application/deps.ts';
import { sweepAgenda } from '../../shared/application/sweep-agenda.ts';

/** The scheduled sweep: claims due agenda entries and queues them. */
export type SweepDeps = Pick<Deps, 'plans' | 'agendaQueue' | 'clock' | 'ids' | 'settings' | 'notices' | 'noticeQueue' | 'logger' | 'metrics'>;

export function createSweepHandler(deps: SweepDeps) {
  return middy(async () => {
    const result = await sweepAgenda(deps);
    if (result.due > 0) deps.logger.info('sweep', { ...result });
    deps.metrics.count('ActionsClaimed', result.claimed);
    return result;
  });
}
