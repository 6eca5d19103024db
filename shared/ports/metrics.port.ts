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

export interface Metrics {
  count(metric: BusinessMetric, value: number): void;
}

export const noMetrics: Metrics = { count: () => undefined };
