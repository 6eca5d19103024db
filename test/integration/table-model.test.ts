/**
 * The table's item format is kept across the change of its data layer: every write the
 * repositories make leaves, through the in-house model (shared/adapters/dynamodb/table-model.ts),
 * the same item that electrodb 3.9 (the library that wrote the table until then) left for the same
 * write, so items a deployed table already holds are read, listed and updated as before. Each
 * case runs the same writes through both, on the same key of DynamoDB Local, and compares the
 * stored items field by field. Where the two differ on purpose, the test says so.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Entity as Reference, Service as ReferenceService } from 'electrodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '../../shared/adapters/clients.ts';
import { createEntities, createSmsDayEntity } from '../../shared/adapters/dynamodb/entities.ts';
import type { AttributeRef, Operators } from '../../shared/adapters/dynamodb/table-model.ts';
import { table as tableDef } from '../../shared/config/table.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

let t: TestStack;
let client: ReturnType<typeof dynamoDocumentClient>;
let tableName: string;
// biome-ignore lint/suspicious/noExplicitAny: both data layers are driven through the same calls
type AnyEntities = Record<string, any>;
type Refs = Readonly<Record<'removingUntil' | 'version' | 'nextActionAt' | 'claim' | 'status' | 'lockUntil' | 'messageCount', AttributeRef>>;
let ours: AnyEntities;
let reference: AnyEntities;

beforeAll(async () => {
  t = await startTestStack();
  client = dynamoDocumentClient({ endpoints: { dynamodb: t.stack.endpoints.dynamodb } });
  tableName = t.stack.resources.tableName;
  const entities = { ...createEntities(client, tableName), smsDay: createSmsDayEntity(client, tableName) };
  ours = entities;
  // electrodb sends through the document client, which needs a client of its own (one without shared middleware).
  const referenceClient = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.stack.endpoints.dynamodb }), { marshallOptions: { removeUndefinedValues: true } });
  reference = Object.fromEntries(
    Object.entries(entities)
      .filter(([name]) => name !== 'service')
      .map(([name, e]) => [
        name,
        new Reference((e as unknown as { schema: never }).schema, {
          client: referenceClient,
          table: tableName,
        }),
      ]),
  );
});

afterAll(async () => {
  await t?.stop();
});

const key = (pk: string, sk: string) => ({ [tableDef.partitionKey]: pk, [tableDef.sortKey]: sk });

/** Runs `writes` through one data layer and returns the stored item, then deletes it. */
async function written(entities: AnyEntities, writes: (e: AnyEntities) => Promise<unknown>, at: Record<string, string>) {
  await writes(entities);
  const { Item } = await client.get({ TableName: tableName, Key: at, ConsistentRead: true });
  await client.delete({ TableName: tableName, Key: at });
  return Item;
}

async function sameItem(writes: (e: AnyEntities) => Promise<unknown>, at: Record<string, string>) {
  const a = await written(ours, writes, at);
  const b = await written(reference, writes, at);
  expect(a).toBeDefined();
  expect(a).toEqual(b);
  return a!;
}

const plan = {
  planId: 'pln_fmt',
  customerId: 'cus_Fmt',
  orderId: 'ord_fmt',
  productName: 'Phone',
  searchText: 'ord_fmt phone',
  currency: 'CNY',
  principal: 600_000,
  totalFee: 12_000,
  periods: 12,
  fee: { model: 'flat_per_period', rateBps: 50 },
  purchaseDate: '2026-01-15',
  billingDay: 15,
  timeZone: 'Asia/Shanghai',
  status: 'active',
  policy: { retryScheduleDays: [1, 3], maxLateFee: { amount: 5_000, currency: 'CNY' } },
  paidPeriods: 0,
  amountPaid: 0,
  createdAt: '2026-01-15T02:00:00.000Z',
  summary: { paidPeriods: 0, unpaidPeriods: 12, nextDueDate: '2026-02-15', nextAmountDue: 51_000, outstanding: 612_000, perPeriodAmount: 51_000 },
};
const installment = {
  planId: 'pln_fmt',
  period: 3,
  dueDate: '2026-04-15',
  principal: 50_000,
  fee: 1_000,
  lateFee: 0,
  amountPaid: 0,
  status: 'scheduled',
  remindersSent: [3],
  attemptCount: 0,
  agendaShard: 5,
  nextActionAt: '2026-04-12T01:00:00.000Z',
  nextActionKind: 'reminder',
};
const notice = {
  dedupeKey: 'reminder:pln_fmt:3:3',
  customerId: 'cus_Fmt',
  planId: 'pln_fmt',
  kind: 'reminder',
  channel: 'sms',
  to: '+8613800000000',
  body: '您的第3期还款 ¥510.00 将于 4月15日 扣款',
  status: 'scheduled',
  createdAt: '2026-04-12T00:00:00.000Z',
  sendAt: '2026-04-12T01:00:00.000Z',
  agendaShard: 2,
  nextActionAt: '2026-04-12T01:00:00.000Z',
  expiresAt: 1_800_000_000,
};

describe('The table model writes the items the table already holds', () => {
  it('a customer, a payment method and its removal hold', async () => {
    const customer = {
      customerId: 'cus_Fmt',
      name: '韩梅梅',
      phone: '+8613800000000',
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      notifications: { sms: true, email: false },
      reminderDaysBefore: [3, 1],
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    await sameItem((e) => e.customer.create(customer).go({ response: 'none' }), key('customer#cus_Fmt', 'profile'));
    const method = {
      customerId: 'cus_Fmt',
      paymentMethodId: 'pm_1',
      type: 'card',
      token: 'tok',
      display: 'Visa 4242',
      isDefault: true,
      priority: 0,
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    await sameItem(
      async (e) => {
        await e.paymentMethod.create(method).go({ response: 'none' });
        await e.paymentMethod
          .patch({ customerId: 'cus_Fmt', paymentMethodId: 'pm_1' })
          .set({ removingUntil: '2026-01-02T00:00:00.000Z' })
          .where((a: Refs, op: Operators) => op.notExists(a.removingUntil))
          .go({ response: 'none' });
      },
      key('customer#cus_Fmt', 'pm#pm_1'),
    );
  });

  it('a plan, as created and after a commit that changes its status and summary (both plan indexes)', async () => {
    await sameItem((e) => e.plan.create({ ...plan, expiresAt: 1_900_000_000 }).go({ response: 'none' }), key('plan#pln_fmt', 'plan'));
    await sameItem(
      async (e) => {
        await e.plan.create(plan).go({ response: 'none' });
        await e.plan
          .patch({ planId: 'pln_fmt' })
          .set({ status: 'overdue', paidPeriods: 1, amountPaid: 51_000, deferralsUsed: 0, summary: { ...plan.summary, paidPeriods: 1 }, createdAt: plan.createdAt, version: 1 })
          .where((a: Refs, op: Operators) => `${op.notExists(a.version)} OR ${op.eq(a.version, 0)}`)
          .go({ response: 'none' });
      },
      key('plan#pln_fmt', 'plan'),
    );
  });

  it('an installment on the agenda, claimed, locked, and taken off the agenda (sparse index, padded period)', async () => {
    const at = key('plan#pln_fmt', 'inst#003');
    await sameItem((e) => e.installment.create(installment).go({ response: 'none' }), at);
    await sameItem(async (e) => {
      await e.installment.create(installment).go({ response: 'none' });
      await e.installment
        .patch({ planId: 'pln_fmt', period: 3 })
        .set({ claim: 'c1', agendaShard: 5, nextActionAt: '2026-04-12T01:05:00.000Z', nextActionKind: 'reminder' })
        .where((a: Refs, op: Operators) => op.eq(a.nextActionAt, installment.nextActionAt))
        .go({ response: 'none' });
      await e.installment
        .patch({ planId: 'pln_fmt', period: 3 })
        .set({ status: 'paid', amountPaid: 51_000, paidAt: '2026-04-15T01:00:00.000Z' })
        .remove(['claim', 'agendaShard', 'nextActionAt', 'nextActionKind', 'lockUntil'])
        .where((a: Refs, op: Operators) => op.eq(a.claim, 'c1'))
        .go({ response: 'none' });
    }, at);
  });

  it('repayment records: a succeeded one on the reconciliation index, a pending one settled', async () => {
    const record = {
      planId: 'pln_fmt',
      id: 'rp_1',
      kind: 'automatic',
      periods: [3],
      amount: 51_000,
      currency: 'CNY',
      paymentMethodId: 'pm_1',
      paymentMethodDisplay: 'Visa 4242',
      provider: 'stripe',
      createdAt: '2026-04-15T01:00:00.000Z',
      reconProvider: 'stripe',
      reconDay: '2026-04-15',
      customerId: 'cus_Fmt',
    };
    const at = key('plan#pln_fmt', 'repay#rp_1');
    await sameItem((e) => e.repayment.create({ ...record, status: 'succeeded', gatewayReference: 'pi_1' }).go({ response: 'none' }), at);
    await sameItem((e) => e.repayment.create({ ...record, status: 'failed', failureCode: 'card_declined' }).go({ response: 'none' }), at);
    await sameItem(async (e) => {
      await e.repayment.create({ ...record, status: 'pending' }).go({ response: 'none' });
      await e.repayment
        .patch({ planId: 'pln_fmt', id: 'rp_1' })
        .set({ status: 'succeeded', gatewayReference: 'pi_1', createdAt: record.createdAt, reconProvider: 'stripe', reconDay: '2026-04-15', customerId: 'cus_Fmt' })
        .where((a: Refs, op: Operators) => op.eq(a.status, 'pending'))
        .go({ response: 'none' });
    }, at);
  });

  it('differs on purpose: a pending record settled as failed joins the failed-attempts list (electrodb wrote only half its key)', async () => {
    const record = {
      planId: 'pln_fmt',
      id: 'rp_2',
      kind: 'manual',
      periods: [3],
      amount: 51_000,
      currency: 'CNY',
      paymentMethodId: 'pm_1',
      paymentMethodDisplay: 'Visa 4242',
      status: 'pending',
      createdAt: '2026-04-15T01:00:00.000Z',
      reconProvider: 'simulated',
      reconDay: '2026-04-15',
    };
    const settle = async (e: AnyEntities) => {
      await e.repayment.create(record).go({ response: 'none' });
      await e.repayment
        .patch({ planId: 'pln_fmt', id: 'rp_2' })
        .set({ status: 'failed', failureCode: 'card_declined', createdAt: record.createdAt, reconProvider: 'simulated', reconDay: '2026-04-15' })
        .go({ response: 'none' });
    };
    const at = key('plan#pln_fmt', 'repay#rp_2');
    const a = (await written(ours, settle, at))!;
    const b = (await written(reference, settle, at))!;
    const { byStatus } = tableDef.indexes;
    expect(a[byStatus.partitionKey]).toBe('repay#failed');
    expect(a[byStatus.sortKey]).toBe('2026-04-15T01:00:00.000Z#rp_2');
    expect(b[byStatus.partitionKey]).toBeUndefined();
    const { [byStatus.partitionKey]: _, ...rest } = a;
    expect(rest).toEqual(b);
  });

  it('a notice scheduled, locked for sending, and failed onto the operators’ list', async () => {
    const at = key(`notice#${notice.dedupeKey}`, 'notice');
    await sameItem((e) => e.notice.create(notice).go({ response: 'none' }), at);
    await sameItem(async (e) => {
      await e.notice.create(notice).go({ response: 'none' });
      await e.notice
        .patch({ dedupeKey: notice.dedupeKey })
        .set({ status: 'pending', lockUntil: '2026-04-12T01:01:00.000Z' })
        .remove(['agendaShard', 'nextActionAt'])
        .go({ response: 'none' });
      await e.notice
        .patch({ dedupeKey: notice.dedupeKey })
        .set({ status: 'failed', reason: 'rejected', outcomeList: 'failed', outcomeAt: `2026-04-12T01:02:00.000Z#${notice.dedupeKey}` })
        .remove(['lockUntil'])
        .where((a: Refs, op: Operators) => `${op.eq(a.status, 'pending')} AND ${op.lt(a.lockUntil, '2026-04-13T00:00:00.000Z')}`)
        .go({ response: 'none' });
    }, at);
  });

  it('counters: an operations counter and an SMS day counter, added to twice', async () => {
    await sameItem(
      async (e) => {
        await e.opsCounter.update({ utcDate: '2026-04-15', counter: 'collected:CNY', shard: 3 }).add({ h01: 51_000 }).go({ response: 'none' });
        await e.opsCounter.update({ utcDate: '2026-04-15', counter: 'collected:CNY', shard: 3 }).add({ h01: 1, h02: 2 }).go({ response: 'none' });
      },
      key('ops#2026-04-15', 'collected:CNY#3'),
    );
    await sameItem(
      async (e) => {
        for (const k of ['n1', 'n2']) {
          await e.smsDay
            .update({ phoneHash: 'abc', date: '2026-04-15' })
            .add({ noticeKeys: [k] })
            .set({ expiresAt: 1_776_000_000 })
            .go({ response: 'none' });
        }
        await e.smsDay
          .patch({ phoneHash: 'abc', date: '2026-04-15' })
          .delete({ noticeKeys: ['n1'] })
          .go({ response: 'none' });
      },
      key('smsday#abc#2026-04-15', 'smsday'),
    );
  });

  it('a support case and a message of its thread (padded sequence), and a transition that moves it in the inbox', async () => {
    const supportCase = {
      caseId: 'case_1',
      customerId: 'cus_Fmt',
      category: 'failed_debit',
      status: 'open',
      queue: '5open',
      planId: 'pln_fmt',
      subject: '扣款失败',
      messageCount: 1,
      createdAt: '2026-04-15T02:00:00.000Z',
      updatedAt: '2026-04-15T02:00:00.000Z',
    };
    await sameItem(
      async (e) => {
        await e.supportCase.create(supportCase).go({ response: 'none' });
        await e.supportCase
          .patch({ caseId: 'case_1' })
          .set({ status: 'answered', queue: '4answered', updatedAt: '2026-04-15T03:00:00.000Z', messageCount: 2 })
          .where((a: Refs, op: Operators) => `(${op.eq(a.status, 'open')}) AND ${op.eq(a.messageCount, 1)}`)
          .go({ response: 'none' });
      },
      key('case#case_1', 'case'),
    );
    await sameItem(
      (e) =>
        e.caseMessage
          .create({ caseId: 'case_1', messageId: 'msg_1', seq: 2, author: 'operator', authorId: 'ops', body: '已为您处理', createdAt: '2026-04-15T03:00:00.000Z' })
          .go({ response: 'none' }),
      key('case#case_1', 'msg#00002'),
    );
  });

  it('an idempotency record, a reconciliation report and an erasure log', async () => {
    await sameItem(
      (e) =>
        e.idempotency
          .put({
            scope: 'cus_Fmt:POST /v1/plans',
            key: 'k-1',
            requestHash: 'h',
            status: 'in_progress',
            createdAt: '2026-04-15T00:00:00.000Z',
            leaseUntil: 1_776_000_000_000,
            expiresAt: 1_776_600_000,
          })
          .go({ response: 'none' }),
      key('idem#cus_Fmt:POST /v1/plans#k-1', 'idem'),
    );
    await sameItem(
      (e) =>
        e.reconciliationReport
          .put({
            date: '2026-04-15',
            timeZone: 'Asia/Shanghai',
            ranAt: '2026-04-16T02:30:00.000Z',
            providers: ['stripe'],
            captures: 3,
            records: 3,
            differenceCount: 0,
            differences: '[]',
          })
          .go({ response: 'none' }),
      key('reconciliation#2026-04-15', 'report'),
    );
    await sameItem(
      (e) =>
        e.erasure
          .put({
            customerId: 'cus_Fmt',
            erasedAt: '2026-05-01T00:00:00.000Z',
            erasedBy: { sub: 'ops', role: 'admin' },
            paymentMethodsReleased: 1,
            noticesErased: 4,
            repaymentRecordsKept: 2,
            plansKept: 1,
          })
          .go({ response: 'none' }),
      key('erasure#cus_Fmt', 'erasure'),
    );
  });

  it('reads items electrodb wrote as the same data, and pages with the same cursor', async () => {
    await reference.plan.create(plan).go({ response: 'none' });
    await reference.installment.create(installment).go({ response: 'none' });
    const mine = await ours.service.collections.planDetail({ planId: 'pln_fmt' }).go({ pages: 'all', consistent: true });
    const referenceService: AnyEntities = new ReferenceService({ plan: reference.plan, installment: reference.installment });
    const theirs = await referenceService.collections.planDetail({ planId: 'pln_fmt' }).go({ pages: 'all' });
    expect(mine.data.plan).toEqual(theirs.data.plan);
    expect(mine.data.installment).toEqual(theirs.data.installment);
    const pageA = await ours.plan.query.byCustomer({ customerId: 'cus_Fmt' }).go({ order: 'desc', limit: 1 });
    const pageB = await reference.plan.query.byCustomer({ customerId: 'cus_Fmt' }).go({ order: 'desc', limit: 1 });
    expect(pageA).toEqual(pageB);
    await client.delete({ TableName: tableName, Key: key('plan#pln_fmt', 'plan') });
    await client.delete({ TableName: tableName, Key: key('plan#pln_fmt', 'inst#003') });
  });
});
