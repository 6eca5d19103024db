import { deliverEmail } from '../../shared/application/deliver-email.ts';
import type { Clock } from '../../shared/ports/clock.port.ts';
import type { EmailSender } from '../../shared/ports/email-sender.port.ts';
import type { IdempotencyStore } from '../../shared/ports/idempotency.port.ts';
import type { Logger } from '../../shared/ports/logger.port.ts';
import { withSqs } from '../_wrappers/with-sqs.ts';
import { EmailMessageSchema } from './schema.ts';

export interface MailerDeps {
  emails: EmailSender;
  idempotency: IdempotencyStore;
  clock: Clock;
  logger: Logger;
}

/** Consumes the emails queue (the email topic's SQS subscription) and sends each email through the provider. */
export function createMailer(deps: MailerDeps) {
  return withSqs({ schema: EmailMessageSchema, logger: deps.logger, name: 'email' }, async (message, _record, logger) => {
    const a = message.MessageAttributes;
    return deliverEmail(
      { ...deps, logger },
      {
        to: a.to.Value,
        subject: message.Subject ?? '',
        body: message.Message,
        ...(a.customerId ? { customerId: a.customerId.Value } : {}),
        ...(a.noticeKey ? { noticeKey: a.noticeKey.Value } : {}),
      },
    );
  });
}
