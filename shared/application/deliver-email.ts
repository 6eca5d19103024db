/**
 * deliver-email — input: an email notice the notifier published to the email topic; sends it
 * through the email provider. A recipient the provider refuses fails that email alone (logged
 * with the reason); a fault of the provider is thrown, so the message is retried.
 *
 * record-email-feedback — input: the provider's delivery event (a bounce or a complaint);
 * marks the address suppressed for that customer, so no later email notice goes to it: the
 * notifier logs those as `suppressed: bounced` / `suppressed: complained`. A transient bounce
 * (a full mailbox) suppresses nothing.
 */
import type { EmailSuppressionReason } from '../domain/customer.ts';
import { maskEmail } from '../domain/customer.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { CustomerRepository } from '../ports/customer-repository.port.ts';
import type { EmailSender, OutgoingEmail } from '../ports/email-sender.port.ts';
import type { IdempotencyStore } from '../ports/idempotency.port.ts';
import type { Logger } from '../ports/logger.port.ts';

export async function deliverEmail(
  deps: { emails: EmailSender; logger: Logger; idempotency: IdempotencyStore; clock: Clock },
  email: OutgoingEmail,
): Promise<'sent' | 'rejected' | 'duplicate'> {
  const fields = { to: maskEmail(email.to), ...(email.noticeKey ? { dedupeKey: email.noticeKey } : {}) };
  // SQS delivers at least once: a notice's email is sent once, whoever gets the message twice.
  const key = email.noticeKey ?? `${email.to}#${email.subject}#${email.body}`;
  if (await deps.idempotency.begin('email', key, 'email', deps.clock.now(), { retentionSeconds: 14 * 86_400 })) {
    deps.logger.info('email already sent or being sent', fields);
    return 'duplicate';
  }
  let result: Awaited<ReturnType<EmailSender['send']>>;
  try {
    result = await deps.emails.send(email);
  } catch (err) {
    await deps.idempotency.release('email', key);
    throw err;
  }
  await deps.idempotency.complete('email', key, result.ok ? 200 : 422, result.ok ? result.providerId : result.reason);
  if (result.ok) {
    deps.logger.info('email sent', { ...fields, providerId: result.providerId });
    return 'sent';
  }
  deps.logger.warn('email rejected by the provider', { ...fields, reason: result.reason });
  return 'rejected';
}

/** What a provider's delivery event says about the recipients of one email. */
export interface EmailFeedback {
  /** `bounce_permanent` suppresses; `bounce_transient` (a full mailbox, an auto-reply) does not. */
  kind: 'bounce_permanent' | 'bounce_transient' | 'complaint';
  recipients: string[];
  customerId?: string;
  at: string;
}

export async function recordEmailFeedback(
  deps: { customers: Pick<CustomerRepository, 'get' | 'suppressEmail'>; clock: Clock; logger: Logger },
  feedback: EmailFeedback,
): Promise<EmailSuppressionReason | undefined> {
  const masked = feedback.recipients.map(maskEmail);
  if (feedback.kind === 'bounce_transient') {
    deps.logger.info('transient bounce: the address keeps receiving email', { to: masked });
    return undefined;
  }
  const reason: EmailSuppressionReason = feedback.kind === 'complaint' ? 'complained' : 'bounced';
  if (!feedback.customerId) {
    deps.logger.warn('email feedback without a customer tag ignored', { reason, to: masked });
    return undefined;
  }
  const customer = await deps.customers.get(feedback.customerId);
  // Only the address the customer has now: an old one's feedback must not stop the new one.
  const address = customer?.email && feedback.recipients.find((r) => r.toLowerCase() === customer.email!.toLowerCase());
  if (!customer || !address) {
    deps.logger.warn('email feedback for an address the customer no longer has ignored', { customerId: feedback.customerId, reason, to: masked });
    return undefined;
  }
  await deps.customers.suppressEmail(customer.customerId, { address, reason, at: feedback.at });
  deps.logger.info('email address suppressed', { customerId: customer.customerId, reason, to: maskEmail(address) });
  return reason;
}
