/**
 * One factory per port, each importing only its own adapter (and SDK client), so a function's
 * bundle carries only what its handler composes: the sweep has no SNS client and no customer
 * repository, the notifier no payment gateway. Clients are made once per configuration.
 */
import { dynamoDocumentClient } from '../../shared/adapters/clients/dynamodb.ts';
import { sesv2Client } from '../../shared/adapters/clients/sesv2.ts';
import { snsClient } from '../../shared/adapters/clients/sns.ts';
import { sqsClient } from '../../shared/adapters/clients/sqs.ts';
import { DynamoCustomerRepository } from '../../shared/adapters/dynamodb/customer-repository.ts';
import { DynamoIdempotencyStore } from '../../shared/adapters/dynamodb/idempotency-store.ts';
import { DynamoNoticeRepository } from '../../shared/adapters/dynamodb/notice-repository.ts';
import { DynamoPlanRepository } from '../../shared/adapters/dynamodb/plan-repository.ts';
import { DynamoReconciliationStore } from '../../shared/adapters/dynamodb/reconciliation-store.ts';
import { SesEmailSender } from '../../shared/adapters/messaging/ses-email-sender.ts';
import { SnsEventPublisher } from '../../shared/adapters/messaging/sns-event-publisher.ts';
import { SnsNoticeSender } from '../../shared/adapters/messaging/sns-notice-sender.ts';
import { SqsJsonQueue } from '../../shared/adapters/messaging/sqs-json-queue.ts';
import { IdempotentWebhookEventStore } from '../../shared/adapters/webhooks/dynamo-webhook-event-store.ts';
import type { Deps } from '../../shared/application/deps.ts';
import type { Config } from '../../shared/config/config.ts';
import type { EmailSender } from '../../shared/ports/email-sender.port.ts';
import type { AgendaMessage } from '../../shared/ports/messaging.port.ts';
import type { DeferredNoticeMessage } from '../../shared/ports/notice-queue.port.ts';
import type { WebhookEventStore } from '../../shared/ports/webhook.port.ts';

function missing(what: string): never {
  throw new Error(`${what} is not configured for this function`);
}

function once<T>(make: (config: Config) => T): (config: Config) => T {
  const made = new WeakMap<Config, T>();
  return (config) => {
    if (!made.has(config)) made.set(config, make(config));
    return made.get(config)!;
  };
}

// Pure: a function that composes no SNS adapter neither bundles nor loads the SNS client.
const dynamo = /* @__PURE__ */ once(dynamoDocumentClient);
const sqs = /* @__PURE__ */ once(sqsClient);
const sns = /* @__PURE__ */ once(snsClient);

export const plans = (config: Config): Deps['plans'] => new DynamoPlanRepository(dynamo(config), config.tableName, config.agendaShards);
export const customers = (config: Config): Deps['customers'] => new DynamoCustomerRepository(dynamo(config), config.tableName);
export const notices = (config: Config): Deps['notices'] => new DynamoNoticeRepository(dynamo(config), config.tableName, config.agendaShards, config.smsCounterKey);
export const idempotency = /* @__PURE__ */ once((config: Config): Deps['idempotency'] => new DynamoIdempotencyStore(dynamo(config), config.tableName));
/** Webhook events share the API's idempotency store (one record type, one lease). */
export const webhookEvents = (config: Config): WebhookEventStore => new IdempotentWebhookEventStore(idempotency(config));
export const reconciliation = (config: Config): Deps['reconciliation'] => new DynamoReconciliationStore(dynamo(config), config.tableName);

export const agendaQueue = (config: Config): Deps['agendaQueue'] =>
  config.attemptsQueueUrl ? new SqsJsonQueue<AgendaMessage>(sqs(config), config.attemptsQueueUrl, 'agenda message(s)') : { enqueue: () => missing('the repayment-attempts queue') };

/** Where the sweep hands due deferred notices to the notifier; undefined without the queue. */
export const noticeQueue = (config: Config): Pick<Deps, 'noticeQueue'> =>
  config.noticesQueueUrl ? { noticeQueue: new SqsJsonQueue<DeferredNoticeMessage>(sqs(config), config.noticesQueueUrl, 'deferred notice message(s)') } : {};

export const events = (config: Config): Deps['events'] =>
  config.billingEventsTopicArn ? new SnsEventPublisher(sns(config), config.billingEventsTopicArn) : { publish: () => missing('the billing-events topic') };

export const sender = (config: Config): Deps['sender'] => new SnsNoticeSender(sns(config), config.emailTopicArn ? { emailTopicArn: config.emailTopicArn } : {});

/** The mailer's SES sender; a mailer without its sender and configuration set is a wiring bug. */
export const emails = (config: Config): EmailSender =>
  config.email ? new SesEmailSender(sesv2Client(), config.email) : { send: () => missing('the SES sender (EMAIL_FROM, SES_CONFIGURATION_SET)') };

export const settings = (config: Config): Deps['settings'] => ({ agendaShards: config.agendaShards, smsSignature: config.smsSignature, policy: config.policy });
