import * as z from 'zod';

const attribute = z.object({ Type: z.string(), Value: z.string() });

/**
 * What the emails queue carries: the SNS envelope of an email the notifier published to the
 * email topic (subject, body, and the recipient, customer and notice as message attributes).
 */
export const EmailMessageSchema = z.object({
  Type: z.literal('Notification'),
  Subject: z.string().nullish(),
  Message: z.string(),
  MessageAttributes: z.object({ to: attribute.extend({ Value: z.email() }), customerId: attribute.optional(), noticeKey: attribute.optional() }),
});
