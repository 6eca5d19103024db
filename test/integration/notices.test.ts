/**
 * Notices against the real emulators (DynamoDB Local, the SNS/SQS emulator): at most once under
 * duplicate delivery, quiet hours through the agenda, the daily SMS limit, bad numbers and
 * provider faults failing one notice only, poison messages to the dead-letter queue, and no
 * phone number or address in any log line.
 */
import { randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier } from '../../functions/notifier/notifier.ts';
import { createLogger } from '../../shared/adapters/logger.ts';
import { SnsNoticeSender } from '../../shared/adapters/messaging/sns-notice-sender.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { sweepAgenda } from '../../shared/application/sweep-agenda.ts';
import type { BillingEvent } from '../../shared/domain/events.ts';
import type { NoticeSender } from '../../shared/ports/messaging.port.ts';
import { aCustomer } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

// Event factories: what the attempt worker publishes, with realistic values.
let sequence = 0;
const envelope = (customerId: string, timeZone = 'Asia/Shanghai') => ({
  id: `evt-${++sequence}-${randomUUID().slice(0, 8)}`,
  version: 1 as const,
  occurredAt: '2026-03-28T02:00:00.000Z',
  planId: `plan_${sequence}`,
  customerId,
  productName: 'Mi 15 Pro 512GB',
  timeZone,
});
const anEvent = {
  reminder: (customerId: string, o: Record<string, unknown> = {}): BillingEvent =>
    ({
      ...envelope(customerId),
      type: 'InstallmentReminderDue',
      period: 3,
      dueDate: '2026-12-31',
      debitAt: '2026-12-31T01:00:00.000Z',
      amount: { amount: 54_392, currency: 'CNY' },
      daysBefore: 3,
      ...o,
    }) as BillingEvent,
  succeeded: (customerId: string, o: Record<string, unknown> = {}): BillingEvent =>
    ({
      ...envelope(customerId),
      type: 'RepaymentSucceeded',
      repaymentId: `plan_x:3:${sequence}`,
      periods: [3],
      amount: { amount: 54_392, currency: 'CNY' },
      periodsLeft: 9,
      nextDueDate: '2026-04-30',
      ...o,
    }) as BillingEvent,
};

function sqsEvent(...bodies: Array<unknown>): SQSEvent {
  return {
    Records: bodies.map((body) => ({
      messageId: randomUUID(),
      receiptHandle: randomUUID(),
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:notices',
      awsRegion: 'us-east-1',
    })),
  };
}

describe('Notices on the local stack', () => {
  let t: TestStack;
  let phoneSeq = 0;
  const newPhone = () => `+861380013${String(8000 + ++phoneSeq).padStart(4, '0')}`;

  async function newCustomer(overrides: Record<string, unknown> = {}): Promise<{ id: string; phone: string }> {
    const phone = (overrides.phone as string | undefined) ?? newPhone();
    const res = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone, ...overrides }) });
    expect(res.status).toBe(201);
    return { id: res.body.id, phone };
  }

  const notifier = (deps: Partial<Deps> = {}) => createNotifier({ ...t.stack.deps, ...deps });
  const sms = (to: string) => t.stack.messaging.outbox.filter((m) => m.channel === 'sms' && m.to === to);
  const emails = (to: string) => t.stack.messaging.outbox.filter((m) => m.channel === 'email' && m.to === to);

  async function noticesOf(customerId: string): Promise<Array<Record<string, string>>> {
    const res = await t.http('GET', `/v1/customers/${customerId}/notices?limit=100`, { token: t.adminToken });
    expect(res.status).toBe(200);
    return res.body.items;
  }

  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('Duplicate delivery', () => {
    it('sends one SMS for the same event delivered twice in a batch and again later', async () => {
      // Prepare: 10:00 in Shanghai.
      t.stack.clock.set(new Date('2026-03-28T02:00:00Z'));
      const cus = await newCustomer();
      const event = anEvent.reminder(cus.id);

      // Act: twice at once, then once more (a redelivery).
      const first = await notifier()(sqsEvent(event, event));
      const again = await notifier()(sqsEvent(event));

      // Assess
      expect(first.batchItemFailures).toEqual([]);
      expect(again.batchItemFailures).toEqual([]);
      expect(sms(cus.phone)).toHaveLength(1);
      expect(sms(cus.phone)[0]!.body).toBe('【repayflow】「Mi 15 Pro 512GB」第3期¥543.92于2026-12-31（3天后）自动扣款，请保持余额充足。');
      const list = await noticesOf(cus.id);
      expect(list).toEqual([expect.objectContaining({ id: `${event.id}:sms`, kind: 'reminder', status: 'sent', to: `+86138****${cus.phone.slice(-4)}` })]);
    });

    it('sends one SMS when the billing-events topic delivers the same event twice', async () => {
      t.stack.clock.set(new Date('2026-03-28T02:00:00Z'));
      const cus = await newCustomer();
      const event = anEvent.succeeded(cus.id);

      await t.stack.deps.events.publish([event, event]);
      await t.stack.drain();

      expect(sms(cus.phone)).toHaveLength(1);
      expect(sms(cus.phone)[0]!.body).toContain('还款¥543.92成功，剩余9期');
    });
  });

  describe('Quiet hours', () => {
    it('holds an SMS of 22:30 local until 08:00 the next day on the simulated clock, and sends email at once', async () => {
      // Prepare: 22:30 in Shanghai; the customer takes SMS and email.
      t.stack.clock.set(new Date('2026-03-28T14:30:00Z'));
      const cus = await newCustomer({ email: 'han.meimei@example.com', notifications: { sms: true, email: true } });
      const event = anEvent.succeeded(cus.id);

      // Act: the event arrives through the topic at night.
      await t.stack.deps.events.publish([event]);
      await t.stack.drain();

      // Assess: no SMS at night, the email went, the SMS waits on the agenda.
      expect(sms(cus.phone)).toEqual([]);
      expect(emails('han.meimei@example.com')).toEqual([expect.objectContaining({ subject: '还款成功', at: '2026-03-28T14:30:00.000Z' })]);
      const waiting = (await noticesOf(cus.id)).find((n) => n.channel === 'sms');
      expect(waiting).toMatchObject({ status: 'scheduled', sendAt: '2026-03-29T00:00:00.000Z' });

      // Act: the simulated clock runs through the night.
      await t.stack.run(new Date('2026-03-29T03:00:00Z'));

      // Assess: sent at 08:00 Shanghai, once.
      expect(sms(cus.phone).map((m) => m.at)).toEqual(['2026-03-29T00:00:00.000Z']);
      expect((await noticesOf(cus.id)).find((n) => n.channel === 'sms')).toMatchObject({ status: 'sent', sentAt: '2026-03-29T00:00:00.000Z' });
    });

    it('holds a New York SMS of 22:30 EDT until 08:00 EST across the end of daylight saving, and sends it once when the sweep message is delivered twice', async () => {
      // Prepare: Saturday 2026-10-31 22:30 EDT; DST ends at 02:00 that night.
      t.stack.clock.set(new Date('2026-11-01T02:30:00Z'));
      const cus = await newCustomer({ phone: '+12125550147', locale: 'en', timeZone: 'America/New_York' });
      await notifier()(sqsEvent(anEvent.succeeded(cus.id, { timeZone: 'America/New_York', amount: { amount: 12_999, currency: 'USD' } })));
      expect((await noticesOf(cus.id))[0]).toMatchObject({ status: 'scheduled', sendAt: '2026-11-01T13:00:00.000Z' });

      // Act: the sweep at 08:00 EST hands the notice back; the message is delivered twice.
      t.stack.clock.set(new Date('2026-11-01T13:00:00Z'));
      await sweepAgenda(t.stack.deps);
      const sqs = new SQSClient({ endpoint: t.stack.endpoints.sqs, region: 'us-east-1', credentials: CREDENTIALS, useQueueUrlAsEndpoint: false });
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: t.stack.resources.queues.notices.url, MaxNumberOfMessages: 10 }));
      const handed = Messages.map((m) => JSON.parse(m.Body!)).filter((b) => b.deferredNotice?.startsWith('evt-'));
      expect(handed).toHaveLength(1);
      const result = await notifier()(sqsEvent(handed[0], handed[0]));
      await notifier()(sqsEvent(handed[0]));

      // Assess
      expect(result.batchItemFailures).toEqual([]);
      expect(sms('+12125550147')).toEqual([
        expect.objectContaining({
          at: '2026-11-01T13:00:00.000Z',
          body: '[repayflow] Payment received: $129.99 for Mi 15 Pro 512GB, installment 3. 9 installments left, next due 2026-04-30.',
        }),
      ]);
    });

    it('suppresses a held SMS when the customer turns SMS off before 08:00', async () => {
      t.stack.clock.set(new Date('2026-03-30T15:00:00Z')); // 23:00 Shanghai
      const cus = await newCustomer();
      await notifier()(sqsEvent(anEvent.succeeded(cus.id)));
      const token = (await t.http('POST', '/local/token', { body: { sub: cus.id } })).body.token;
      expect((await t.http('PATCH', `/v1/customers/${cus.id}`, { token, body: { notifications: { sms: false } } })).status).toBe(200);

      await t.stack.run(new Date('2026-03-31T01:00:00Z'));

      expect(sms(cus.phone)).toEqual([]);
      expect((await noticesOf(cus.id))[0]).toMatchObject({ status: 'suppressed', reason: 'the customer turned SMS notices off' });
    });
  });

  describe('Rules', () => {
    it('suppresses the fourth reminder or overdue SMS of a local day for one number but always sends repayment outcomes', async () => {
      t.stack.clock.set(new Date('2026-04-02T02:00:00Z')); // 10:00 Shanghai
      const cus = await newCustomer();
      const reminders = [1, 2, 3, 4].map(() => anEvent.reminder(cus.id, { dueDate: '2026-04-05', debitAt: '2026-04-05T01:00:00.000Z' }));

      await notifier()(sqsEvent(...reminders.slice(0, 3)));
      await notifier()(sqsEvent(reminders[3]));
      await notifier()(sqsEvent(reminders[0])); // a redelivery is not counted twice
      await notifier()(sqsEvent(anEvent.succeeded(cus.id)));
      t.stack.clock.set(new Date('2026-04-02T16:30:00Z')); // 00:30 the next day: a new day, but quiet hours
      await notifier()(sqsEvent(anEvent.reminder(cus.id, { dueDate: '2026-04-06', debitAt: '2026-04-06T01:00:00.000Z' })));
      await t.stack.run(new Date('2026-04-03T01:00:00Z'));

      const list = await noticesOf(cus.id);
      const byKind = list.map((n) => `${n.kind}:${n.status}`).sort();
      expect(byKind).toEqual(['reminder:sent', 'reminder:sent', 'reminder:sent', 'reminder:sent', 'reminder:suppressed', 'repayment_succeeded:sent']);
      expect(list.find((n) => n.status === 'suppressed')!.reason).toBe('daily SMS limit reached: at most 3 SMS per number per day');
      expect(sms(cus.phone)).toHaveLength(5);
    });

    it('suppresses a reminder that arrives after its debit time as stale', async () => {
      t.stack.clock.set(new Date('2026-04-05T02:00:00Z'));
      const cus = await newCustomer();
      await notifier()(sqsEvent(anEvent.reminder(cus.id, { dueDate: '2026-04-05', debitAt: '2026-04-05T01:00:00.000Z' })));
      expect(sms(cus.phone)).toEqual([]);
      expect((await noticesOf(cus.id))[0]).toMatchObject({ status: 'suppressed', reason: 'stale: the debit time has passed' });
    });

    it("writes each text in the customer's language with money for the locale", async () => {
      t.stack.clock.set(new Date('2026-04-07T14:00:00Z')); // 10:00 New York, 22:00 Shanghai
      const ny = await newCustomer({
        phone: '+16465550188',
        locale: 'en',
        timeZone: 'America/New_York',
        email: 'emily.chen@example.com',
        notifications: { sms: true, email: true },
      });
      const nyCny = await newCustomer({ phone: '+16465550189', locale: 'en', timeZone: 'America/New_York' });

      await notifier()(
        sqsEvent(
          anEvent.reminder(ny.id, { timeZone: 'America/New_York', amount: { amount: 123_456, currency: 'USD' }, dueDate: '2026-04-10', debitAt: '2026-04-10T13:00:00.000Z' }),
          anEvent.reminder(nyCny.id, { timeZone: 'America/New_York', amount: { amount: 123_456, currency: 'CNY' }, dueDate: '2026-04-10', debitAt: '2026-04-10T13:00:00.000Z' }),
        ),
      );

      expect(sms(ny.phone)[0]!.body).toBe(
        '[repayflow] Installment 3 of Mi 15 Pro 512GB, $1,234.56, will be debited in 3 days (2026-04-10). Please keep enough funds in your account.',
      );
      expect(sms(nyCny.phone)[0]!.body).toContain('¥1,234.56');
      await t.stack.drain(); // the mailer sends what the notifier put on the email topic
      expect(emails('emily.chen@example.com')).toEqual([expect.objectContaining({ subject: 'Repayment reminder', body: expect.stringContaining('$1,234.56') })]);
    });
  });

  describe('Faults', () => {
    it('fails a notice to an invalid number with its reason and sends the rest of the batch', async () => {
      t.stack.clock.set(new Date('2026-04-08T02:00:00Z'));
      const good = await newCustomer();
      // Stored before numbers were validated at the API (an import): the notifier checks again.
      await t.stack.deps.customers.create({
        ...aCustomer(),
        customerId: 'cus_bad_phone',
        phone: '+86139123',
        locale: 'zh-CN',
        notifications: { sms: true, email: false },
        createdAt: '2026-01-01T00:00:00Z',
      } as never);

      const result = await notifier()(sqsEvent(anEvent.succeeded('cus_bad_phone'), anEvent.succeeded(good.id)));

      expect(result.batchItemFailures).toEqual([]);
      expect(sms('+86139123')).toEqual([]);
      expect(sms(good.phone)).toHaveLength(1);
      expect((await noticesOf('cus_bad_phone'))[0]).toMatchObject({ status: 'failed', reason: 'invalid phone number +****9123: not a valid E.164 number' });
    });

    it('retries a notice after a provider fault and sends it once; only that record is retried', async () => {
      t.stack.clock.set(new Date('2026-04-08T03:00:00Z'));
      const flakyCustomer = await newCustomer();
      const other = await newCustomer();
      let faults = 1;
      const flaky: NoticeSender = {
        sendSms: async (phone, body) => {
          if (phone === flakyCustomer.phone && faults-- > 0) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
          return t.stack.deps.sender.sendSms(phone, body);
        },
        sendEmail: (address, subject, body) => t.stack.deps.sender.sendEmail(address, subject, body),
      };
      const faulty = anEvent.reminder(flakyCustomer.id);
      const fine = anEvent.reminder(other.id);
      const batch = sqsEvent(faulty, fine);

      const first = await notifier({ sender: flaky })(batch);
      expect(first.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[0]!.messageId }]);
      expect((await noticesOf(flakyCustomer.id))[0]).toMatchObject({ status: 'pending', reason: 'will retry after a fault: ThrottlingException' });

      const retry = await notifier({ sender: flaky })(sqsEvent(faulty));
      await notifier({ sender: flaky })(sqsEvent(faulty));

      expect(retry.batchItemFailures).toEqual([]);
      expect(sms(flakyCustomer.phone)).toHaveLength(1);
      expect(sms(other.phone)).toHaveLength(1);
      expect((await noticesOf(flakyCustomer.id))[0]).toMatchObject({ status: 'sent' });
    });

    it('never sends twice a notice whose sender stopped mid-send; it is marked failed as outcome unknown', async () => {
      t.stack.clock.set(new Date('2026-04-08T04:00:00Z'));
      const cus = await newCustomer();
      const event = anEvent.reminder(cus.id);
      // A notifier claimed it and died: its lock ran out a while ago.
      await t.stack.deps.notices.claim(
        {
          dedupeKey: `${event.id}:sms`,
          customerId: cus.id,
          planId: event.planId,
          kind: 'reminder',
          channel: 'sms',
          to: '+86138****',
          body: 'x',
          status: 'pending',
          createdAt: '2026-04-08T03:00:00.000Z',
        },
        new Date('2026-04-08T03:01:00Z'),
      );

      await notifier()(sqsEvent(event));

      expect(sms(cus.phone)).toEqual([]);
      expect((await noticesOf(cus.id))[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('outcome unknown') });
    });

    it('returns a recipient rejection from SNS as a failed send and throws a service fault', async () => {
      const sns = new SNSClient({ endpoint: t.stack.endpoints.sns, region: 'us-east-1', credentials: CREDENTIALS });
      const rejected = await new SnsNoticeSender(sns, {}).sendSms('+8613912', 'x');
      expect(rejected).toEqual({ ok: false, reason: expect.stringContaining('InvalidParameter') });
      expect((rejected as { reason: string }).reason).not.toContain('+8613912 ');

      const down = new SNSClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
      await expect(new SnsNoticeSender(down, {}).sendSms('+8613912345678', 'x')).rejects.toThrow();
    });
  });

  describe('Privacy', () => {
    it('never writes a full phone number or email address to the log during real sends, failures and faults', async () => {
      // Prepare: a logger that keeps every line, at debug level.
      t.stack.clock.set(new Date('2026-04-09T02:00:00Z'));
      const lines: string[] = [];
      const logger = createLogger({ level: 'debug', service: 'notifier', write: (line) => lines.push(line) });
      const cus = await newCustomer({ email: 'li.lei@example.com', notifications: { sms: true, email: true } });
      await t.stack.deps.customers.create({
        ...aCustomer(),
        customerId: 'cus_bad_phone_2',
        phone: '+8613912',
        locale: 'zh-CN',
        notifications: { sms: true, email: false },
        createdAt: '2026-01-01T00:00:00Z',
      } as never);
      const failing: NoticeSender = {
        sendSms: async (phone) => {
          throw Object.assign(new Error(`Throttled while publishing to ${phone}`), { name: 'ThrottlingException' });
        },
        sendEmail: (address, subject, body) => t.stack.deps.sender.sendEmail(address, subject, body),
      };

      // Act: a real SMS and email, an invalid number, a provider fault and a poison message.
      await notifier({ logger })(sqsEvent(anEvent.succeeded(cus.id), anEvent.succeeded('cus_bad_phone_2'), 'not json'));
      await notifier({ logger, sender: failing })(sqsEvent(anEvent.reminder(cus.id)));

      // Assess: the sends happened and were logged, with masked recipients only.
      await t.stack.drain(); // the mailer sends what the notifier put on the email topic
      expect(sms(cus.phone)).toHaveLength(1);
      expect(emails('li.lei@example.com')).toHaveLength(2);
      const log = lines.join('\n');
      expect(log).toContain('"status":"sent"');
      expect(log).toContain('"status":"failed"');
      expect(log).toContain('ThrottlingException');
      for (const secret of [cus.phone.slice(1), cus.phone.slice(3), '8613912', 'li.lei@example.com', 'li.lei']) expect(log).not.toContain(secret);
    });
  });
});

describe('Poison messages on the notices queue', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ visibilityTimeoutSeconds: 1 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('moves an unparseable message to the dead-letter queue after maxReceiveCount and handles the good ones', async () => {
    // Prepare: garbage and a valid event on the notices queue.
    t.stack.clock.set(new Date('2026-03-28T02:00:00Z'));
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: '+8613800138111' }) })).body;
    const sqs = new SQSClient({ endpoint: t.stack.endpoints.sqs, region: 'us-east-1', credentials: CREDENTIALS, useQueueUrlAsEndpoint: false });
    const { url, dlqUrl } = t.stack.resources.queues.notices;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"type":"InstallmentReminderDue", "garbage' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(anEvent.succeeded(cus.id)) }));

    // Act: the poller keeps receiving past maxReceiveCount (5), waiting out the visibility timeout.
    for (let i = 0; i < 7; i++) {
      await t.stack.pollers.notices.drain();
      await new Promise((r) => setTimeout(r, 1_100));
    }

    // Assess: the garbage is in the DLQ, the good message was handled once.
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body)).toEqual(['{"type":"InstallmentReminderDue", "garbage']);
    expect(t.stack.messaging.outbox.filter((m) => m.to === '+8613800138111')).toHaveLength(1);
  });
});
