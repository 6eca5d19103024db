import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { maskEmail, maskPhone } from '../../domain/customer.ts';
import type { EmailContext, NoticeSender, SendResult } from '../../ports/messaging.port.ts';

/**
 * Errors that concern one recipient: the notice fails and the batch goes on. Anything else
 * (throttling, an outage, a KMS fault) is a fault of the service: it is thrown, so that the
 * message is retried.
 */
const RECIPIENT_ERRORS = new Set([
  'InvalidParameterException',
  'InvalidParameter',
  'InvalidParameterValueException',
  'InvalidParameterValue',
  'OptedOutException',
  'EndpointDisabledException',
  'EndpointDisabled',
]);

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
      phoneNumber,
      maskPhone(phoneNumber),
    );
  }

  sendEmail(address: string, subject: string, body: string, context?: EmailContext): Promise<SendResult> {
    if (!this.options.emailTopicArn) return Promise.resolve({ ok: false, reason: 'email delivery is not configured' });
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    return this.#publish(
      new PublishCommand({
        TopicArn: this.options.emailTopicArn,
        Subject: subject,
        Message: body,
        // The mailer sends to `to`; the customer and notice come back with the provider's feedback.
        MessageAttributes: {
          to: attribute(address),
          ...(context ? { customerId: attribute(context.customerId), noticeKey: attribute(context.noticeKey) } : {}),
        },
      }),
      address,
      maskEmail(address),
    );
  }

  async #publish(command: PublishCommand, recipient: string, masked: string): Promise<SendResult> {
    try {
      const result = await this.client.send(command);
      return { ok: true, providerId: result.MessageId ?? '' };
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      if (!RECIPIENT_ERRORS.has(name)) throw err;
      // The reason is stored and logged: the provider's message names the recipient, so mask it.
      const message = String((err as Error).message ?? '')
        .split(recipient)
        .join(masked);
      return { ok: false, reason: `rejected by the SMS/email provider (${name}): ${message}` };
    }
  }
}
