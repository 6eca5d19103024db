/**
 * Amazon SES's stand-in for the local stack, behind the same port as the SES adapter: it takes
 * the very `SendEmail` request the adapter would send, puts the email in the outbox as sent, and
 * answers SES's mailbox simulator addresses as SES does — `bounce@simulator.amazonses.com`
 * bounces (permanently) and `complaint@simulator.amazonses.com` complains, each reported as the
 * configuration set's event destination reports it: the SES event JSON published to the
 * email-feedback topic. No AWS is involved.
 */
import { randomUUID } from 'node:crypto';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { sendEmailRequest } from '../../shared/adapters/messaging/ses-email-sender.ts';
import type { EmailSender, OutgoingEmail } from '../../shared/ports/email-sender.port.ts';
import type { SendResult } from '../../shared/ports/messaging.port.ts';
import type { OutboxEntry } from './emulators.ts';

export const LOCAL_EMAIL = { from: 'repayflow <notices@repayflow.local>', configurationSet: 'repayflow-local' } as const;

const SIMULATOR: Readonly<Record<string, 'Bounce' | 'Complaint'>> = {
  'bounce@simulator.amazonses.com': 'Bounce',
  'complaint@simulator.amazonses.com': 'Complaint',
};

export class LocalEmailSender implements EmailSender {
  constructor(
    private readonly outbox: OutboxEntry[],
    private readonly now: () => Date,
    private readonly feedback: { sns: SNSClient; topicArn: string },
  ) {}

  async send(email: OutgoingEmail): Promise<SendResult> {
    const request = sendEmailRequest(email, LOCAL_EMAIL);
    const to = request.Destination?.ToAddresses ?? [];
    const simple = request.Content?.Simple;
    const messageId = randomUUID();
    const at = this.now().toISOString();
    for (const address of to) {
      this.outbox.push({ channel: 'email', to: address, ...(simple?.Subject?.Data ? { subject: simple.Subject.Data } : {}), body: simple?.Body?.Text?.Data ?? '', at });
    }
    const tags: Record<string, string[]> = { 'ses:configuration-set': [LOCAL_EMAIL.configurationSet] };
    for (const tag of request.EmailTags ?? []) tags[tag.Name!] = [tag.Value!];
    const mail = { timestamp: at, source: LOCAL_EMAIL.from, sendingAccountId: '000000000000', messageId, destination: to, headersTruncated: false, tags };
    for (const address of to) {
      const outcome = SIMULATOR[address.toLowerCase()];
      if (!outcome) continue;
      const recipient = [{ emailAddress: address }];
      const event =
        outcome === 'Bounce'
          ? {
              eventType: 'Bounce',
              bounce: {
                feedbackId: randomUUID(),
                bounceType: 'Permanent',
                bounceSubType: 'General',
                bouncedRecipients: [{ ...recipient[0], action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
                timestamp: at,
              },
              mail,
            }
          : { eventType: 'Complaint', complaint: { feedbackId: randomUUID(), complainedRecipients: recipient, complaintFeedbackType: 'abuse', timestamp: at }, mail };
      await this.feedback.sns.send(new PublishCommand({ TopicArn: this.feedback.topicArn, Message: JSON.stringify(event) }));
    }
    return { ok: true, providerId: messageId };
  }
}
