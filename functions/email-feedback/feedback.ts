import { recordEmailFeedback } from '../../shared/application/deliver-email.ts';
import type { Clock } from '../../shared/ports/clock.port.ts';
import type { CustomerRepository } from '../../shared/ports/customer-repository.port.ts';
import type { Logger } from '../../shared/ports/logger.port.ts';
import { withSqs } from '../_wrappers/with-sqs.ts';
import { feedbackOf, SesEventSchema } from './schema.ts';

export interface EmailFeedbackDeps {
  customers: Pick<CustomerRepository, 'get' | 'suppressEmail'>;
  clock: Clock;
  logger: Logger;
}

/** Consumes the email-feedback queue: SES bounces and complaints suppress the address for its customer. */
export function createEmailFeedbackHandler(deps: EmailFeedbackDeps) {
  return withSqs({ schema: SesEventSchema, logger: deps.logger, name: 'email feedback' }, async (event, _record, logger) => {
    return recordEmailFeedback({ ...deps, logger }, feedbackOf(event));
  });
}
