import { type SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { maskEmail } from '../../domain/customer.ts';
import type { EmailSender, OutgoingEmail } from '../../ports/email-sender.port.ts';
import type { SendResult } from '../../ports/messaging.port.ts';

/**
 * Errors that concern one message or recipient: that email fails and the batch goes on
 * (MessageRejected: SES refused the content or the address; BadRequest: an address SES cannot
 * parse). Anything else (throttling, a paused account, an unverified identity) is a fault of
 * the service: thrown, so the message is retried and, failing that, dead-lettered.
 */
const RECIPIENT_ERRORS = new Set(['MessageRejected', 'BadRequestException']);

/** SES message tag values allow only ASCII letters, digits, `_` and `-`: others are base64url-encoded. */
export const TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;
export function tagValue(value: string): string {
  return TAG_VALUE.test(value) && !value.startsWith('b64-') ? value : `b64-${Buffer.from(value, 'utf8').toString('base64url')}`;
}
export function fromTagValue(value: string): string {
  return value.startsWith('b64-') ? Buffer.from(value.slice(4), 'base64url').toString('utf8') : value;
}

/** The SES v2 `SendEmail` request for one email (see the SES API reference, SendEmail): a plain-text UTF-8 message, tagged. */
export function sendEmailRequest(email: OutgoingEmail, options: { from: string; configurationSet: string }): SendEmailCommandInput {
  const tags = [
    ...(email.customerId ? [{ Name: 'customerId', Value: tagValue(email.customerId) }] : []),
    ...(email.noticeKey ? [{ Name: 'noticeKey', Value: tagValue(email.noticeKey) }] : []),
  ];
  return {
    FromEmailAddress: options.from,
    Destination: { ToAddresses: [email.to] },
    Content: {
      Simple: {
        Subject: { Data: email.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: email.body, Charset: 'UTF-8' } },
      },
    },
    ...(tags.length > 0 ? { EmailTags: tags } : {}),
    ConfigurationSetName: options.configurationSet,
  };
}

/** Email through Amazon SES v2 `SendEmail`, under a configuration set whose events report bounces and complaints. */
export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: { from: string; configurationSet: string },
  ) {}

  async send(email: OutgoingEmail): Promise<SendResult> {
    try {
      const result = await this.client.send(new SendEmailCommand(sendEmailRequest(email, this.options)));
      return { ok: true, providerId: result.MessageId ?? '' };
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      if (!RECIPIENT_ERRORS.has(name)) throw err;
      // SES quotes the address in its message: mask it before it is logged or stored.
      const message = String((err as Error).message ?? '')
        .split(email.to)
        .join(maskEmail(email.to));
      return { ok: false, reason: `rejected by the email provider (${name}): ${message}` };
    }
  }
}
