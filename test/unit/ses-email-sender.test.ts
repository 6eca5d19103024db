import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { fromTagValue, SesEmailSender, sendEmailRequest, tagValue } from '../../shared/adapters/messaging/ses-email-sender.ts';

const OPTIONS = { from: 'notices@pay.example.com', configurationSet: 'repayflow-prod' };

describe('Class: SesEmailSender', () => {
  describe('Method: send', () => {
    it('sends one SESv2 SendEmail: From, Destination.ToAddresses, Content.Simple subject and text body in UTF-8, EmailTags, ConfigurationSetName', async () => {
      // Prepare: a client that records the command it is given.
      const sent: unknown[] = [];
      const client = {
        send: async (command: unknown) => {
          sent.push(command);
          return { MessageId: 'ses-1' };
        },
      };
      const sender = new SesEmailSender(client as never, OPTIONS);

      // Act
      const result = await sender.send({ to: 'han@example.com', subject: 'Payment received', body: '¥544.00 received', customerId: 'cus_1', noticeKey: 'evt:1:email' });

      // Assess: the request shape of the SES API reference (SendEmail, API version 2019-09-27).
      expect(result).toEqual({ ok: true, providerId: 'ses-1' });
      expect(sent[0]).toBeInstanceOf(SendEmailCommand);
      expect((sent[0] as SendEmailCommand).input).toEqual({
        FromEmailAddress: 'notices@pay.example.com',
        Destination: { ToAddresses: ['han@example.com'] },
        Content: { Simple: { Subject: { Data: 'Payment received', Charset: 'UTF-8' }, Body: { Text: { Data: '¥544.00 received', Charset: 'UTF-8' } } } },
        EmailTags: [
          { Name: 'customerId', Value: 'cus_1' },
          // ':' is not allowed in a tag value (letters, digits, _ and - only): base64url of "evt:1:email".
          { Name: 'noticeKey', Value: 'b64-ZXZ0OjE6ZW1haWw' },
        ],
        ConfigurationSetName: 'repayflow-prod',
      });
    });

    it('fails one email SES rejects, with the address masked in the reason, and throws on a service fault', async () => {
      const rejecting = { send: async () => Promise.reject(Object.assign(new Error('Email address is not verified: han@example.com'), { name: 'MessageRejected' })) };
      const result = await new SesEmailSender(rejecting as never, OPTIONS).send({ to: 'han@example.com', subject: 's', body: 'b' });
      expect(result.ok).toBe(false);
      expect(result.ok === false && result.reason).toContain('MessageRejected');
      expect(result.ok === false && result.reason).not.toContain('han@example.com');

      const throttled = { send: async () => Promise.reject(Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' })) };
      await expect(new SesEmailSender(throttled as never, OPTIONS).send({ to: 'han@example.com', subject: 's', body: 'b' })).rejects.toThrow('slow down');
    });
  });

  it('leaves tag values SES allows as they are and round-trips the others', () => {
    expect(tagValue('cus_AB-9')).toBe('cus_AB-9');
    expect(fromTagValue(tagValue('evt:1:email'))).toBe('evt:1:email');
    expect(sendEmailRequest({ to: 'a@b.co', subject: 's', body: 'b' }, OPTIONS).EmailTags).toBeUndefined();
  });
});
