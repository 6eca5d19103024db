/**
 * The per-phone SMS day counter on DynamoDB Local stores an HMAC of the phone number under the
 * configured secret key: not the number, not a bare SHA-256 that anyone could recompute by
 * hashing every phone number of the plan.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '../../shared/adapters/clients.ts';
import { DynamoNoticeRepository } from '../../shared/adapters/dynamodb/notice-repository.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});

afterAll(async () => {
  await t?.stop();
});

describe('Class: DynamoNoticeRepository', () => {
  describe('Method: countSms', () => {
    const client = () => dynamoDocumentClient({ endpoints: { dynamodb: t.stack.endpoints.dynamodb } });
    const itemsCounting = async (dedupeKey: string) =>
      (await client().scan({ TableName: t.stack.resources.tableName, FilterExpression: 'contains(noticeKeys, :k)', ExpressionAttributeValues: { ':k': dedupeKey } })).Items;

    it('keys the counter with an HMAC of the phone number under the secret, never the number or its bare hash', async () => {
      // Prepare
      const key = randomBytes(32).toString('hex');
      const phone = '+8613912345678';
      const dedupeKey = `notice-${randomUUID()}`;
      const repository = new DynamoNoticeRepository(client(), t.stack.resources.tableName, undefined, key);

      // Act
      expect(await repository.countSms(phone, '2026-03-01', dedupeKey, 3)).toBe(true);

      // Assess
      const items = await itemsCounting(dedupeKey);
      expect(items).toHaveLength(1);
      const stored = JSON.stringify(items[0]);
      const hmac = createHmac('sha256', key).update(`repayflow-sms-day:${phone}`).digest('hex').slice(0, 32);
      const bare = createHash('sha256').update(`repayflow-sms-day:${phone}`).digest('hex').slice(0, 32);
      expect(stored).toContain(hmac);
      expect(stored).not.toContain(bare);
      expect(stored).not.toContain('13912345678');
    });

    it('counts the same phone apart under another key, and refuses to count without one', async () => {
      // Prepare
      const phone = '+8613800001111';
      const dedupeKey = `notice-${randomUUID()}`;
      const one = new DynamoNoticeRepository(client(), t.stack.resources.tableName, undefined, randomBytes(32).toString('hex'));
      const other = new DynamoNoticeRepository(client(), t.stack.resources.tableName, undefined, randomBytes(32).toString('hex'));
      const none = new DynamoNoticeRepository(client(), t.stack.resources.tableName);

      // Act
      await one.countSms(phone, '2026-03-01', dedupeKey, 3);
      await other.countSms(phone, '2026-03-01', dedupeKey, 3);

      // Assess
      expect(await itemsCounting(dedupeKey)).toHaveLength(2);
      await expect(none.countSms(phone, '2026-03-01', `notice-${randomUUID()}`, 3)).rejects.toThrow(/SMS_COUNTER_KEY/);
    });
  });
});
