import type { Policy } from '../domain/policy.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { CustomerRepository } from '../ports/customer-repository.port.ts';
import type { DeadLetters } from '../ports/dead-letters.port.ts';
import type { IdempotencyStore } from '../ports/idempotency.port.ts';
import type { IdGenerator } from '../ports/ids.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { AgendaQueue, EventPublisher, NoticeSender } from '../ports/messaging.port.ts';
import type { Metrics } from '../ports/metrics.port.ts';
import type { NoticeQueue } from '../ports/notice-queue.port.ts';
import type { NoticeRepository } from '../ports/notice-repository.port.ts';
import type { OpsMetricsStore } from '../ports/ops-metrics.port.ts';
import type { PaymentGateway } from '../ports/payment-gateway.port.ts';
import type { PlanRepository } from '../ports/plan-repository.port.ts';
import type { ReconciliationStore } from '../ports/reconciliation-store.port.ts';
import type { SupportCaseRepository } from '../ports/support-case-repository.port.ts';

/** Everything a use case may reach, as ports. Each handler's composition root builds the part it needs. */
export interface Deps {
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  plans: PlanRepository;
  customers: CustomerRepository;
  notices: NoticeRepository;
  idempotency: IdempotencyStore;
  gateway: PaymentGateway;
  agendaQueue: AgendaQueue;
  events: EventPublisher;
  sender: NoticeSender;
  /** Where the sweep hands due deferred notices to the notifier; without it, deferred notices wait. */
  noticeQueue?: NoticeQueue;
  metrics: Metrics;
  /** Succeeded records by provider and time, and the daily reconciliation reports. */
  reconciliation: ReconciliationStore;
  /** Support cases and their threads. */
  supportCases: SupportCaseRepository;
  /** The operations counters the plan commits keep. */
  opsMetrics: OpsMetricsStore;
  /** The dead-letter queues (the API's operations routes); absent where nothing reaches them. */
  deadLetters?: DeadLetters;
  settings: { agendaShards: number; smsSignature: string; policy: Policy };
}
