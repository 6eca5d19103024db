/**
 * The composition root: builds the adapters behind every port from the configuration.
 * Lambda entry points call it once at cold start — through `functionDeps` (./function-deps.ts)
 * when they call a payment provider; the local stack calls it with overrides (its simulated
 * clock, its gateway).
 */
import { dynamoDocumentClient, snsClient, sqsClient } from '../../shared/adapters/clients.ts';
import { DynamoCustomerRepository } from '../../shared/adapters/dynamodb/customer-repository.ts';
import { DynamoIdempotencyStore } from '../../shared/adapters/dynamodb/idempotency-store.ts';
import { DynamoNoticeRepository } from '../../shared/adapters/dynamodb/notice-repository.ts';
import { DynamoPlanRepository } from '../../shared/adapters/dynamodb/plan-repository.ts';
import { DynamoReconciliationStore } from '../../shared/adapters/dynamodb/reconciliation-store.ts';
import { randomIds } from '../../shared/adapters/ids.ts';
import { createLogger } from '../../shared/adapters/logger.ts';
import { SnsEventPublisher } from '../../shared/adapters/messaging/sns-event-publisher.ts';
import { SnsNoticeSender } from '../../shared/adapters/messaging/sns-notice-sender.ts';
import { SqsAgendaQueue } from '../../shared/adapters/messaging/sqs-agenda-queue.ts';
import { SqsNoticeQueue } from '../../shared/adapters/messaging/sqs-notice-queue.ts';
import { emfMetrics } from '../../shared/adapters/emf-metrics.ts';
import type { Deps } from '../../shared/application/deps.ts';
import type { Config } from '../../shared/config/config.ts';
import { systemClock } from '../../shared/ports/clock.port.ts';
import { noMetrics } from '../../shared/ports/metrics.port.ts';
import type { PaymentGateway } from '../../shared/ports/payment-gateway.port.ts';

function missing(what: string): never {
  throw new Error(`${what} is not configured for this function`);
}

/** For a function that never calls a provider (the notifier): any call is a wiring bug. */
const noGateway: PaymentGateway = new Proxy({} as PaymentGateway, {
  get: (_target, name) => () => missing(`the payment gateway (${String(name)})`),
});

export function buildDeps(config: Config, service: string, overrides: Partial<Deps> = {}): Deps {
  const clock = overrides.clock ?? systemClock;
  const dynamo = dynamoDocumentClient(config);
  const sns = snsClient(config);
  const sqs = sqsClient(config);
  return {
    clock,
    ids: randomIds,
    logger: createLogger({ level: config.logLevel, service }),
    plans: new DynamoPlanRepository(dynamo, config.tableName, config.agendaShards),
    customers: new DynamoCustomerRepository(dynamo, config.tableName),
    notices: new DynamoNoticeRepository(dynamo, config.tableName, config.agendaShards, config.smsCounterKey),
    idempotency: new DynamoIdempotencyStore(dynamo, config.tableName),
    reconciliation: new DynamoReconciliationStore(dynamo, config.tableName),
    gateway: noGateway,
    agendaQueue: config.attemptsQueueUrl
      ? new SqsAgendaQueue(sqs, config.attemptsQueueUrl)
      : { enqueue: () => missing('the repayment-attempts queue') },
    events: config.billingEventsTopicArn
      ? new SnsEventPublisher(sns, config.billingEventsTopicArn)
      : { publish: () => missing('the billing-events topic') },
    sender: new SnsNoticeSender(sns, config.emailTopicArn ? { emailTopicArn: config.emailTopicArn } : {}),
    ...(config.noticesQueueUrl ? { noticeQueue: new SqsNoticeQueue(sqs, config.noticesQueueUrl) } : {}),
    // In Lambda, metrics go out as EMF log lines; elsewhere (tests, local stack) nowhere.
    metrics: process.env.AWS_LAMBDA_FUNCTION_NAME ? emfMetrics() : noMetrics,
    settings: { agendaShards: config.agendaShards, smsSignature: config.smsSignature, policy: config.policy },
    ...overrides,
  };
}
