import * as z from 'zod';
import { fromTagValue } from '../../shared/adapters/messaging/ses-email-sender.ts';
import type { EmailFeedback } from '../../shared/application/deliver-email.ts';

const recipients = z.array(z.object({ emailAddress: z.string() }).loose()).min(1);

/**
 * An Amazon SES event (a configuration set's event destination, delivered raw from its SNS
 * topic): `eventType` in event publishing, `notificationType` in identity notifications. Only
 * bounces and complaints are asked for; any other event type is refused as malformed.
 */
export const SesEventSchema = z
  .object({
    eventType: z.enum(['Bounce', 'Complaint']).optional(),
    notificationType: z.enum(['Bounce', 'Complaint']).optional(),
    bounce: z.object({ bounceType: z.string(), bouncedRecipients: recipients, timestamp: z.string() }).loose().optional(),
    complaint: z.object({ complainedRecipients: recipients, timestamp: z.string() }).loose().optional(),
    mail: z.object({ tags: z.record(z.string(), z.array(z.string())).optional() }).loose(),
  })
  .loose()
  .refine((e) => ((e.eventType ?? e.notificationType) === 'Bounce' ? e.bounce !== undefined : e.complaint !== undefined), {
    message: 'a Bounce needs bounce, a Complaint complaint',
  });

/** The event as the feedback use case reads it. */
export function feedbackOf(event: z.infer<typeof SesEventSchema>): EmailFeedback {
  const tag = event.mail.tags?.customerId?.[0];
  const customerId = tag === undefined ? {} : { customerId: fromTagValue(tag) };
  if (event.bounce) {
    return {
      kind: event.bounce.bounceType === 'Permanent' ? 'bounce_permanent' : 'bounce_transient',
      recipients: event.bounce.bouncedRecipients.map((r) => r.emailAddress),
      at: event.bounce.timestamp,
      ...customerId,
    };
  }
  const complaint = event.complaint!;
  return { kind: 'complaint', recipients: complaint.complainedRecipients.map((r) => r.emailAddress), at: complaint.timestamp, ...customerId };
}
