/**
 * The data layer: every key of the single table is defined here, with the table model
 * (./table-model.ts), and nowhere
 * else. Access patterns are named after the domain; physical keys stay generic (pk, sk, gsi*).
 * Every key is stored exactly as given (`casing: 'none'`, as the table's first keys were written): ids
 * are case-sensitive in the permission check, so `cus_a` must never find `cus_A`'s items, nor
 * an Idempotency-Key or a webhook event id another that differs only by case.
 */

import { table as tableDef } from '../../config/table.ts';
import { CASE_CATEGORIES, CASE_STATUSES } from '../../domain/support.ts';
import type { ItemClient } from './item-client.ts';
import { Entity, Service } from './table-model.ts';

const { agenda, byCustomer, byStatus, reconciliation } = tableDef.indexes;
const model = (entity: string) => ({ entity, version: '1', service: 'repayflow' });

/** The hour attributes of an operations counter: `h00` … `h23`. */
export const HOUR_NAMES = Array.from({ length: 24 }, (_, h) => `h${String(h).padStart(2, '0')}`);
const HOUR_ATTRIBUTES = Object.fromEntries(HOUR_NAMES.map((name) => [name, { type: 'number' as const }])) as Record<string, { type: 'number' }>;

export type Entities = ReturnType<typeof buildEntities>;

const built = new WeakMap<ItemClient, Map<string, Entities>>();

/**
 * The entities of `table` sent through `client`. They hold no state but their definitions, so
 * every repository on the same client and table shares one set: a function's composition root
 * builds them once, not once per repository.
 */
export function createEntities(client: ItemClient, table: string): Entities {
  let byTable = built.get(client);
  if (!byTable) built.set(client, (byTable = new Map()));
  let entities = byTable.get(table);
  if (!entities) byTable.set(table, (entities = buildEntities(client, table)));
  return entities;
}

function buildEntities(client: ItemClient, table: string) {
  const config = { client, table };

  const customer = new Entity(
    {
      model: model('customer'),
      attributes: {
        customerId: { type: 'string', required: true },
        name: { type: 'string', required: true },
        phone: { type: 'string', required: true },
        email: { type: 'string' },
        locale: { type: 'string', required: true },
        timeZone: { type: 'string', required: true },
        notifications: { type: 'map', required: true, properties: { sms: { type: 'boolean', required: true }, email: { type: 'boolean', required: true } } },
        reminderDaysBefore: { type: 'list', items: { type: 'number' } },
        market: { type: 'string' },
        emailSuppression: {
          type: 'map',
          properties: { address: { type: 'string', required: true }, reason: { type: ['bounced', 'complained'] as const, required: true }, at: { type: 'string', required: true } },
        },
        createdAt: { type: 'string', required: true },
        erasedAt: { type: 'string' },
      },
      indexes: {
        byId: {
          collection: 'customerDetail',
          pk: { field: tableDef.partitionKey, composite: ['customerId'], template: 'customer#${customerId}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: [], template: 'profile', casing: 'none' },
        },
      },
    },
    config,
  );

  const paymentMethod = new Entity(
    {
      model: model('paymentMethod'),
      attributes: {
        customerId: { type: 'string', required: true },
        paymentMethodId: { type: 'string', required: true },
        type: { type: 'string', required: true },
        provider: { type: 'string' },
        token: { type: 'string', required: true },
        customerReference: { type: 'string' },
        display: { type: 'string', required: true },
        isDefault: { type: 'boolean', required: true },
        priority: { type: 'number', required: true },
        createdAt: { type: 'string', required: true },
        /** Until when a removal holds the method: no charge may start with it meanwhile. */
        removingUntil: { type: 'string' },
      },
      indexes: {
        byCustomer: {
          collection: 'customerDetail',
          pk: { field: tableDef.partitionKey, composite: ['customerId'], template: 'customer#${customerId}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: ['paymentMethodId'], template: 'pm#${paymentMethodId}', casing: 'none' },
        },
      },
    },
    config,
  );

  /** A binding in progress under the customer's collection (see shared/domain/payment-setup.ts). */
  const paymentSetup = new Entity(
    {
      model: model('paymentSetup'),
      attributes: {
        customerId: { type: 'string', required: true },
        setupId: { type: 'string', required: true },
        provider: { type: 'string', required: true },
        type: { type: 'string', required: true },
        status: { type: ['pending', 'active', 'failed'] as const, required: true },
        paymentMethodId: { type: 'string' },
        failureCode: { type: 'string' },
        makeDefault: { type: 'boolean' },
        createdAt: { type: 'string', required: true },
        expiresAt: { type: 'number', required: true, field: tableDef.timeToLiveAttribute },
      },
      indexes: {
        byCustomer: {
          collection: 'customerDetail',
          pk: { field: tableDef.partitionKey, composite: ['customerId'], template: 'customer#${customerId}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: ['setupId'], template: 'setup#${setupId}', casing: 'none' },
        },
      },
    },
    config,
  );

  const plan = new Entity(
    {
      model: model('plan'),
      attributes: {
        planId: { type: 'string', required: true },
        customerId: { type: 'string', required: true },
        orderId: { type: 'string', required: true },
        productName: { type: 'string', required: true },
        /** Lower-cased order id and product name, for the `q` search of "my orders". */
        searchText: { type: 'string' },
        currency: { type: 'string', required: true },
        principal: { type: 'number', required: true },
        totalFee: { type: 'number', required: true },
        apr: { type: 'string' },
        periods: { type: 'number', required: true },
        fee: { type: 'any', required: true },
        purchaseDate: { type: 'string', required: true },
        billingDay: { type: 'number' },
        timeZone: { type: 'string', required: true },
        status: { type: 'string', required: true },
        policy: { type: 'any', required: true },
        paymentMethodId: { type: 'string' },
        paidPeriods: { type: 'number', required: true },
        amountPaid: { type: 'number', required: true },
        deferralsUsed: { type: 'number', default: 0 },
        version: { type: 'number' },
        cancelledAt: { type: 'string' },
        createdAt: { type: 'string', required: true },
        /** When DynamoDB's TTL deletes the item (epoch seconds; shared/config/retention.ts). */
        expiresAt: { type: 'number', field: tableDef.timeToLiveAttribute },
        /** What the list of orders shows (domain PlanSummary), rewritten with every change to the plan. */
        summary: {
          type: 'map',
          properties: {
            paidPeriods: { type: 'number', required: true },
            unpaidPeriods: { type: 'number', required: true },
            nextDueDate: { type: 'string' },
            nextAmountDue: { type: 'number' },
            outstanding: { type: 'number', required: true },
            perPeriodAmount: { type: 'number', required: true },
          },
        },
      },
      indexes: {
        byId: {
          collection: 'planDetail',
          pk: { field: tableDef.partitionKey, composite: ['planId'], template: 'plan#${planId}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: [], template: 'plan', casing: 'none' },
        },
        byCustomer: {
          index: byCustomer.name,
          pk: { field: byCustomer.partitionKey, composite: ['customerId'], template: 'customer#${customerId}', casing: 'none' },
          sk: { field: byCustomer.sortKey, composite: ['createdAt', 'planId'], template: 'plan#${createdAt}#${planId}', casing: 'none' },
        },
        byStatus: {
          index: byStatus.name,
          pk: { field: byStatus.partitionKey, composite: ['status'], template: 'status#${status}', casing: 'none' },
          sk: { field: byStatus.sortKey, composite: ['createdAt', 'planId'], template: 'plan#${createdAt}#${planId}', casing: 'none' },
        },
      },
    },
    config,
  );

  const installment = new Entity(
    {
      model: model('installment'),
      attributes: {
        planId: { type: 'string', required: true },
        period: { type: 'number', required: true, padding: { length: 3, char: '0' } },
        dueDate: { type: 'string', required: true },
        principal: { type: 'number', required: true },
        fee: { type: 'number', required: true },
        lateFee: { type: 'number', required: true },
        amountPaid: { type: 'number', required: true },
        lateFeePaid: { type: 'number' },
        status: { type: 'string', required: true },
        remindersSent: { type: 'list', items: { type: 'number' } },
        attemptCount: { type: 'number', required: true },
        lastFailureCode: { type: 'string' },
        nextAttemptAt: { type: 'string' },
        needsCustomerAction: { type: 'boolean' },
        failedMethodIds: { type: 'list', items: { type: 'string' } },
        paidAt: { type: 'string' },
        preDebitNoticeOn: { type: 'string' },
        providerNotice: {
          type: 'map',
          properties: {
            from: { type: 'string', required: true },
            until: { type: 'string', required: true },
            timeZone: { type: 'string', required: true },
            amount: { type: 'number', required: true },
            paymentMethodId: { type: 'string' },
          },
        },
        overdueSince: { type: 'string' },
        lateFeeAccruedThrough: { type: 'string' },
        overdueNoticesSent: { type: 'list', items: { type: 'number' } },
        originalDueDate: { type: 'string' },
        deferredBy: { type: 'string' },
        waivedFee: { type: 'number' },
        failureNoticesSent: { type: 'list', items: { type: 'string' } },
        failureToldAttempt: { type: 'number' },
        acceleratedOn: { type: 'string' },
        acceleratedFrom: { type: 'string' },
        lateFeeBaseDays: { type: 'string' },
        /** Agenda: present only while something is pending (sparse index). */
        agendaShard: { type: 'number' },
        nextActionAt: { type: 'string' },
        nextActionKind: { type: 'string' },
        /** The sweep's claim on the pending action, carried by the queued message. */
        claim: { type: 'string' },
        /** The attempt in flight and until when its lock holds. */
        inflightAttemptId: { type: 'string' },
        pendingAttemptId: { type: 'string' },
        lockUntil: { type: 'string' },
        inflightProvider: { type: 'string' },
        inflightMethodId: { type: 'string' },
        lockHolder: { type: 'string' },
        inflightSince: { type: 'string' },
        /** When DynamoDB's TTL deletes the item (epoch seconds; shared/config/retention.ts). */
        expiresAt: { type: 'number', field: tableDef.timeToLiveAttribute },
      },
      indexes: {
        byPlan: {
          collection: 'planDetail',
          pk: { field: tableDef.partitionKey, composite: ['planId'], template: 'plan#${planId}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: ['period'], template: 'inst#${period}', casing: 'none' },
        },
        agenda: {
          index: agenda.name,
          condition: (attr) => attr.nextActionAt !== undefined,
          pk: { field: agenda.partitionKey, composite: ['agendaShard'], template: 'agenda#${agendaShard}', casing: 'none' },
          sk: { field: agenda.sortKey, composite: ['nextActionAt'], template: '${nextActionAt}', casing: 'none' },
        },
      },
    },
    config,
  );

  const repayment = new Entity(
    {
      model: model('repayment'),
      attributes: {
        planId: { type: 'string', required: true },
        id: { type: 'string', required: true },
        kind: { type: 'string', required: true },
        periods: { type: 'list', items: { type: 'number' }, required: true },
        amount: { type: 'number', required: true },
        currency: { type: 'string', required: true },
        paymentMethodId: { type: 'string', required: true },
        paymentMethodDisplay: { type: 'string', required: true },
        provider: { type: 'string' },
        status: { type: 'string', required: true },
        failureCode: { type: 'string' },
        scope: { type: 'string' },
        gatewayReference: { type: 'string' },
        claim: { type: 'string' },
        createdAt: { type: 'string', required: true },
        /** Reconciliation keys, written with the record: the provider charged and the UTC day of `createdAt`. */
        reconProvider: { type: 'string' },
        reconDay: { type: 'string' },
        /** The plan's customer, written with the record (the operators' list of failed attempts shows it). */
        customerId: { type: 'string' },
        /** When DynamoDB's TTL deletes the item (epoch seconds; shared/config/retention.ts). */
        expiresAt: { type: 'number', field: tableDef.timeToLiveAttribute },
      },
      indexes: {
        byPlan: {
          collection: 'planDetail',
          pk: { field: tableDef.partitionKey, composite: ['planId'], template: 'plan#${planId}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: ['id'], template: 'repay#${id}', casing: 'none' },
        },
        /** Sparse: succeeded records only, in the same write as the record (no extra request). */
        reconciliation: {
          index: reconciliation.name,
          condition: (attr) => attr.status === 'succeeded',
          pk: { field: reconciliation.partitionKey, composite: ['reconProvider', 'reconDay'], template: 'recon#${reconProvider}#${reconDay}', casing: 'none' },
          sk: { field: reconciliation.sortKey, composite: ['createdAt', 'id'], template: '${createdAt}#${id}', casing: 'none' },
        },
        /**
         * Sparse: failed records only (`repay#failed`, then `<createdAt>#<id>`), newest first for
         * the operators' list of failed attempts; keyed in the same write as the record.
         */
        failed: {
          index: byStatus.name,
          condition: (attr) => attr.status === 'failed',
          pk: { field: byStatus.partitionKey, composite: [], template: 'repay#failed', casing: 'none' },
          sk: { field: byStatus.sortKey, composite: ['createdAt', 'id'], template: '${createdAt}#${id}', casing: 'none' },
        },
      },
    },
    config,
  );

  const notice = new Entity(
    {
      model: model('notice'),
      attributes: {
        dedupeKey: { type: 'string', required: true },
        customerId: { type: 'string', required: true },
        planId: { type: 'string', required: true },
        kind: { type: 'string', required: true },
        channel: { type: 'string', required: true },
        to: { type: 'string', required: true },
        body: { type: 'string', required: true },
        status: { type: 'string', required: true },
        reason: { type: 'string' },
        createdAt: { type: 'string', required: true },
        sendAt: { type: 'string' },
        sentAt: { type: 'string' },
        /** A reminder is suppressed from this instant on (its debit time). */
        staleAfter: { type: 'string' },
        /** The send lock: one notifier holds the notice until then. */
        lockUntil: { type: 'string' },
        /** Agenda: present only while the notice is scheduled (sparse index), plus the sweep's claim. */
        agendaShard: { type: 'number' },
        nextActionAt: { type: 'string' },
        claim: { type: 'string' },
        /**
         * The operators' lists of notices that did not go out: the outcome (`failed`, `suppressed`)
         * and the list's sort key (`<instant>#<dedupeKey>`), written only with such an outcome.
         */
        outcomeList: { type: 'string' },
        outcomeAt: { type: 'string' },
        /** When DynamoDB's TTL deletes the item (epoch seconds; shared/config/retention.ts). */
        expiresAt: { type: 'number', field: tableDef.timeToLiveAttribute },
      },
      indexes: {
        byKey: {
          pk: { field: tableDef.partitionKey, composite: ['dedupeKey'], template: 'notice#${dedupeKey}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: [], template: 'notice', casing: 'none' },
        },
        byCustomer: {
          index: byCustomer.name,
          pk: { field: byCustomer.partitionKey, composite: ['customerId'], template: 'customer#${customerId}', casing: 'none' },
          sk: { field: byCustomer.sortKey, composite: ['createdAt', 'dedupeKey'], template: 'notice#${createdAt}#${dedupeKey}', casing: 'none' },
        },
        /**
         * Scheduled notices on the agenda index, in partitions of their own (`agenda#notice#<shard>`):
         * sharing the installments' partitions would let one kind's items fill the other's
         * limited reads, as each query only keeps its own entity's items.
         */
        agenda: {
          index: agenda.name,
          condition: (attr) => attr.nextActionAt !== undefined,
          pk: { field: agenda.partitionKey, composite: ['agendaShard'], template: 'agenda#notice#${agendaShard}', casing: 'none' },
          sk: { field: agenda.sortKey, composite: ['nextActionAt'], template: '${nextActionAt}', casing: 'none' },
        },
        /** Sparse: failed and suppressed notices (`notice#<outcome>`), newest first, for the operators' lists. */
        outcome: {
          index: byStatus.name,
          condition: (attr) => attr.outcomeList !== undefined,
          pk: { field: byStatus.partitionKey, composite: ['outcomeList'], template: 'notice#${outcomeList}', casing: 'none' },
          sk: { field: byStatus.sortKey, composite: ['outcomeAt'], template: '${outcomeAt}', casing: 'none' },
        },
      },
    },
    config,
  );

  /**
   * The one idempotency record: an API `Idempotency-Key` (scope `<caller>:<route>`) or a
   * provider's webhook event (scope `webhook#<provider>`). `leaseUntil` (epoch ms) bounds how
   * long an in-progress holder keeps it; `expiresAt` (epoch s, TTL) how long it is kept at all.
   */
  const idempotency = new Entity(
    {
      model: model('idempotency'),
      attributes: {
        scope: { type: 'string', required: true },
        key: { type: 'string', required: true },
        requestHash: { type: 'string', required: true },
        status: { type: ['in_progress', 'completed'] as const, required: true },
        statusCode: { type: 'number' },
        response: { type: 'string' },
        leaseUntil: { type: 'number', required: true },
        expiresAt: { type: 'number', required: true, field: tableDef.timeToLiveAttribute },
        createdAt: { type: 'string', required: true },
      },
      indexes: {
        byKey: {
          pk: { field: tableDef.partitionKey, composite: ['scope', 'key'], template: 'idem#${scope}#${key}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: [], template: 'idem', casing: 'none' },
        },
      },
    },
    config,
  );

  /** The plan an order was sold on: one plan per order id, checked in the plan's own create transaction. */
  const orderPlan = new Entity(
    {
      model: model('orderPlan'),
      attributes: {
        orderId: { type: 'string', required: true },
        planId: { type: 'string', required: true },
        createdAt: { type: 'string', required: true },
        /** Set when the plan closes, with the plan's own (shared/config/retention.ts). */
        expiresAt: { type: 'number', field: tableDef.timeToLiveAttribute },
      },
      indexes: {
        byOrder: {
          pk: { field: tableDef.partitionKey, composite: ['orderId'], template: 'order#${orderId}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: [], template: 'order', casing: 'none' },
        },
      },
    },
    config,
  );

  /** The log of a customer's erasure (shared/domain/customer.ts `Erasure`): no personal data. */
  const erasure = new Entity(
    {
      model: model('erasure'),
      attributes: {
        customerId: { type: 'string', required: true },
        erasedAt: { type: 'string', required: true },
        erasedBy: { type: 'map', required: true, properties: { sub: { type: 'string', required: true }, role: { type: ['admin', 'customer'] as const, required: true } } },
        paymentMethodsReleased: { type: 'number', required: true },
        noticesErased: { type: 'number', required: true },
        supportCasesErased: { type: 'number', default: 0 },
        repaymentRecordsKept: { type: 'number', required: true },
        plansKept: { type: 'number', required: true },
      },
      indexes: {
        byCustomer: {
          pk: { field: tableDef.partitionKey, composite: ['customerId'], template: 'erasure#${customerId}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: [], template: 'erasure', casing: 'none' },
        },
      },
    },
    config,
  );

  /** One day's reconciliation result, kept per local date for `GET /v1/ops/reconciliation`. */
  const reconciliationReport = new Entity(
    {
      model: model('reconciliationReport'),
      attributes: {
        date: { type: 'string', required: true },
        timeZone: { type: 'string', required: true },
        ranAt: { type: 'string', required: true },
        providers: { type: 'list', items: { type: 'string' }, required: true },
        captures: { type: 'number', required: true },
        records: { type: 'number', required: true },
        differenceCount: { type: 'number', required: true },
        /** The differences as JSON (at most the first REPORT_DIFFERENCE_LIMIT; `differenceCount` tells them all). */
        differences: { type: 'string', required: true },
        /** Providers whose listing was not ready, as JSON (absent: the report is final). */
        pending: { type: 'string' },
      },
      indexes: {
        byDate: {
          pk: { field: tableDef.partitionKey, composite: ['date'], template: 'reconciliation#${date}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: [], template: 'report', casing: 'none' },
        },
      },
    },
    config,
  );

  /**
   * A support case: its thread (the case and its messages) under one partition, a customer's
   * cases on the byCustomer index, and the support inbox on the third index (`support#inbox`,
   * by `queue` — a status with its rank, so a status is one key prefix and the whole inbox
   * reads open cases first — then by last activity).
   */
  const supportCase = new Entity(
    {
      model: model('supportCase'),
      attributes: {
        caseId: { type: 'string', required: true },
        customerId: { type: 'string', required: true },
        category: { type: CASE_CATEGORIES, required: true },
        status: { type: CASE_STATUSES, required: true },
        queue: { type: 'string', required: true },
        planId: { type: 'string' },
        repaymentId: { type: 'string' },
        period: { type: 'number' },
        days: { type: 'number' },
        subject: { type: 'string', required: true },
        messageCount: { type: 'number', required: true },
        createdAt: { type: 'string', required: true },
        updatedAt: { type: 'string', required: true },
        decidedAt: { type: 'string' },
        decidedBy: { type: 'string' },
        decisionReason: { type: 'string' },
        newDueDate: { type: 'string' },
      },
      indexes: {
        byId: {
          collection: 'caseThread',
          pk: { field: tableDef.partitionKey, composite: ['caseId'], template: 'case#${caseId}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: [], template: 'case', casing: 'none' },
        },
        byCustomer: {
          index: byCustomer.name,
          pk: { field: byCustomer.partitionKey, composite: ['customerId'], template: 'customer#${customerId}', casing: 'none' },
          sk: { field: byCustomer.sortKey, composite: ['createdAt', 'caseId'], template: 'case#${createdAt}#${caseId}', casing: 'none' },
        },
        inbox: {
          index: reconciliation.name,
          pk: { field: reconciliation.partitionKey, composite: [], template: 'support#inbox', casing: 'none' },
          sk: { field: reconciliation.sortKey, composite: ['queue', 'updatedAt'], template: '${queue}#${updatedAt}', casing: 'none' },
        },
      },
    },
    config,
  );

  /**
   * One operations counter of one UTC date (see shared/domain/ops-metrics.ts): per UTC hour
   * `hHH`, added to in the plan commits' transactions. Spread over OPS_COUNTER_SHARDS items by
   * plan, so concurrent commits seldom touch the same item; a day is one query.
   */
  const opsCounter = new Entity(
    {
      model: model('opsCounter'),
      attributes: {
        utcDate: { type: 'string', required: true },
        counter: { type: 'string', required: true },
        shard: { type: 'number', required: true },
        ...HOUR_ATTRIBUTES,
      },
      indexes: {
        byDate: {
          pk: { field: tableDef.partitionKey, composite: ['utcDate'], template: 'ops#${utcDate}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: ['counter', 'shard'], template: '${counter}#${shard}', casing: 'none' },
        },
      },
    },
    config,
  );

  const caseMessage = new Entity(
    {
      model: model('caseMessage'),
      attributes: {
        caseId: { type: 'string', required: true },
        messageId: { type: 'string', required: true },
        seq: { type: 'number', required: true, padding: { length: 5, char: '0' } },
        author: { type: ['customer', 'operator'] as const, required: true },
        authorId: { type: 'string', required: true },
        body: { type: 'string', required: true },
        createdAt: { type: 'string', required: true },
      },
      indexes: {
        byCase: {
          collection: 'caseThread',
          pk: { field: tableDef.partitionKey, composite: ['caseId'], template: 'case#${caseId}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: ['seq'], template: 'msg#${seq}', casing: 'none' },
        },
      },
    },
    config,
  );

  const service = new Service({ customer, paymentMethod, paymentSetup, plan, installment, repayment, notice, idempotency, orderPlan, opsCounter });
  return {
    service,
    customer,
    paymentMethod,
    paymentSetup,
    plan,
    installment,
    repayment,
    notice,
    idempotency,
    orderPlan,
    reconciliationReport,
    supportCase,
    caseMessage,
    opsCounter,
    erasure,
  };
}

/**
 * SMS sent to one phone number on one local day: the dedupe keys of the notices counted, so a
 * retried notice is counted once. The number is kept only as a hash; the item expires (TTL).
 */
export function createSmsDayEntity(client: ItemClient, table: string) {
  return new Entity(
    {
      model: model('smsDay'),
      attributes: {
        phoneHash: { type: 'string', required: true },
        date: { type: 'string', required: true },
        noticeKeys: { type: 'set', items: 'string' },
        expiresAt: { type: 'number', required: true, field: tableDef.timeToLiveAttribute },
      },
      indexes: {
        byDay: {
          pk: { field: tableDef.partitionKey, composite: ['phoneHash', 'date'], template: 'smsday#${phoneHash}#${date}', casing: 'none' },
          sk: { field: tableDef.sortKey, composite: [], template: 'smsday', casing: 'none' },
        },
      },
    },
    { client, table },
  );
}
