/**
 * The one definition of repayflow's stateful resources and of the functions that use them.
 *
 * Both the CDK app (`infra/aws`) and the embedded local stack (`infra/local`) read this file,
 * so a table index, a queue's redrive policy or a subscription's filter can never differ
 * between what is deployed and what the tests run against.
 */

// The table is defined beside the code that reads it (shared/ never imports infra/).
export { AGENDA_SHARDS, table } from '../shared/config/table.ts';

export interface QueueDefinition {
  readonly id: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  /** How long a message stays in the dead-letter queue for someone to look at it. */
  readonly dlqRetentionDays: number;
  /** Lambda event source mapping settings for the consumer. */
  readonly batchSize: number;
  readonly maxConcurrency: number;
}

export const queues = {
  /** Agenda actions claimed by the sweep: reminders, debits, retries, overdue checks. */
  repaymentAttempts: {
    id: 'RepaymentAttempts',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    dlqRetentionDays: 14,
    batchSize: 10,
    maxConcurrency: 5,
  },
  /** Billing events that need a customer notice. */
  notices: {
    id: 'Notices',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    dlqRetentionDays: 14,
    batchSize: 10,
    maxConcurrency: 2,
  },
  /** Email notices the notifier published to the email topic, for the mailer to send through SES. */
  emails: {
    id: 'Emails',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    dlqRetentionDays: 14,
    batchSize: 10,
    maxConcurrency: 2,
  },
  /** SES bounce and complaint events, for the email-feedback function to suppress the address. */
  emailFeedback: {
    id: 'EmailFeedback',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    dlqRetentionDays: 14,
    batchSize: 10,
    maxConcurrency: 2,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueKey = keyof typeof queues;

export const topics = {
  billingEvents: { id: 'BillingEvents' },
  /**
   * Outbound email: the notifier publishes each email with its recipient in the `to` message
   * attribute (and its customer and notice); the emails queue takes them to the mailer (SES).
   */
  emailDeliveries: { id: 'EmailDeliveries' },
  /** SES bounce and complaint events (the configuration set's event destination). */
  emailFeedback: { id: 'EmailFeedback' },
} as const;

export type TopicKey = keyof typeof topics;

/** Event types that produce a customer notice; the SNS → SQS subscription filters on them. */
export const NOTICE_EVENT_TYPES = [
  'InstallmentReminderDue',
  'RepaymentSucceeded',
  'RepaymentFailed',
  'InstallmentOverdue',
  'PlanPaidOff',
  'InstallmentDeferred',
  'PlanDefaulted',
  'PlanCancelled',
  'SupportCaseReplied',
] as const;

export const subscriptions = [
  {
    id: 'BillingEventsToNotices',
    topic: 'billingEvents',
    queue: 'notices',
    rawMessageDelivery: true,
    filterPolicy: { type: [...NOTICE_EVENT_TYPES] },
  },
  // The SNS envelope, not raw delivery: it keeps the email's subject and message attributes.
  { id: 'EmailDeliveriesToEmails', topic: 'emailDeliveries', queue: 'emails', rawMessageDelivery: false },
  // SES publishes its event JSON as the message, with no attributes to filter on.
  { id: 'EmailFeedbackToQueue', topic: 'emailFeedback', queue: 'emailFeedback', rawMessageDelivery: true },
] as const satisfies ReadonlyArray<{
  id: string;
  topic: TopicKey;
  queue: QueueKey;
  rawMessageDelivery: boolean;
  filterPolicy?: Record<string, readonly string[]>;
}>;

export const schedules = {
  sweep: { id: 'Sweep', everyMinutes: 5 },
  /**
   * Reconciles the previous local day once a day, at this local time in this zone (kept equal
   * to the policy's `reconciliationTimeZone`; any zone works, the run always takes a finished day).
   * 10:30 Beijing comes after the wallets publish the previous day's bill: WeChat Pay "在每日10点后
   * 生成昨日交易账单" (https://pay.weixin.qq.com/docs/merchant/apis/in-app-payment/get-trade-bill.html),
   * Alipay generates it "during 9:00-10:00 on T + 1" China Standard Time
   * (https://docs.open.alipay.com/204/106262/). A provider whose bill is still missing then is
   * left pending and tried again by the next day's run (each adapter's own `listingLag`).
   */
  reconciliation: { id: 'Reconciliation', dailyAt: { hour: 10, minute: 30 }, timeZone: 'Asia/Shanghai' },
} as const;

/**
 * Physical names: on AWS, CloudFormation names things; locally the stack derives them from a
 * prefix so several stacks (tests, `npm start`) can share one pair of emulators.
 */
export function localNames(prefix: string) {
  return {
    table: `${prefix}-table`,
    queue: (key: QueueKey) => `${prefix}-${queues[key].id}`,
    deadLetterQueue: (key: QueueKey) => `${prefix}-${queues[key].id}-dlq`,
    topic: (key: TopicKey) => `${prefix}-${topics[key].id}`,
  };
}
