/** Business metrics: counts the dashboard and alarms read. Names are shared with the CDK app. */
export const METRICS_NAMESPACE = 'Repayflow';

/** Each metric with the dashboard's label for it. */
export const BUSINESS_METRICS = {
  ActionsClaimed: 'Due (actions claimed by the sweep)',
  AttemptsMade: 'Debit attempts made',
  RepaymentsSucceeded: 'Repayments succeeded (paid)',
  RepaymentsFailed: 'Repayments failed',
  NoticesSent: 'Notices sent',
  ReconciliationDifferences: 'Reconciliation differences (captures vs records)',
} as const;

export type BusinessMetric = keyof typeof BUSINESS_METRICS;

/**
 * The function (`service` dimension) that counts each metric. Every metric also carries the
 * `stage` dimension; the dashboard and alarms ask for both, so stages never merge.
 */
export const METRIC_SERVICES: Record<BusinessMetric, string> = {
  ActionsClaimed: 'sweep',
  AttemptsMade: 'attempt-worker',
  RepaymentsSucceeded: 'attempt-worker',
  RepaymentsFailed: 'attempt-worker',
  NoticesSent: 'notifier',
  ReconciliationDifferences: 'reconcile',
};

/** The dimensions a business metric is published with. */
export const metricDimensions = (metric: BusinessMetric, stage: string) => ({ service: METRIC_SERVICES[metric], stage });

export interface Metrics {
  count(metric: BusinessMetric, value: number): void;
}

export const noMetrics: Metrics = { count: () => undefined };
