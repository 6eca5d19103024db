import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { NoticeSender, SendResult } from '../../ports/messaging.port.ts';

/** Errors that concern one recipient; anything else is a fault of the service and is retried. */
const RECIPIENT_ERRORS = new Set(['InvalidParameterException', 'InvalidParameter', 'OptedOutException', 'EndpointDisabledException']);

/** SMS through SNS `Publish` to a phone number (transactional); email through the email topic. */
export class SnsNoticeSender implements NoticeSender {
  constructor(
    private readonly client: SNSClient,
    private readonly options: { emailTopicArn?: string; senderId?: string },
  ) {}

  sendSms(phoneNumber: string, body: string): Promise<SendResult> {
    return this.#publish(
      new PublishCommand({
        PhoneNumber: phoneNumber,
        Message: body,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(this.options.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.options.senderId } } : {}),
        },
      }),
    );
  }

  sendEmail(address: string, subject: string, body: string): Promise<SendResult> {
    if (!this.options.emailTopicArn) return Promise.resolve({ ok: false, reason: 'email delivery is not configured' });
    return this.#publish(
      new PublishCommand({
        TopicArn: this.options.emailTopicArn,
        Subject: subject,
        Message: body,
        MessageAttributes: { to: { DataType: 'String', StringValue: address } },
      }),
    );
  }

  async #publish(command: PublishCommand): Promise<SendResult> {
    try {
      const result = await this.client.send(command);
      return { ok: true, providerId: result.MessageId ?? '' };
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      if (RECIPIENT_ERRORS.has(name)) return { ok: false, reason: `${name}: ${(err as Error).message}` };
      throw err;
    }
  }
}
