import type { Deps } from '../../shared/application/deps.ts';
import { sendNotices } from '../../shared/application/send-notices.ts';
import { BillingEventSchema } from '../../shared/domain/events.ts';
import { withSqs } from '../_wrappers/with-sqs.ts';

/** Consumes billing events (raw SNS delivery) and sends the notices they call for. */
export function createNotifier(deps: Deps) {
  return withSqs({ schema: BillingEventSchema, logger: deps.logger, name: 'billing event' }, (event) => sendNotices(deps, event));
}
