/**
 * Metrics as CloudWatch Embedded Metric Format log lines: Lambda's log stream carries them and
 * CloudWatch turns them into metrics, with no API call and no extra permission.
 */
import { METRICS_NAMESPACE, type BusinessMetric, type Metrics } from '../ports/metrics.port.ts';

export function emfMetrics(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Metrics {
  return {
    count(metric: BusinessMetric, value: number): void {
      if (value === 0) return;
      write(
        JSON.stringify({
          _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [[]], Metrics: [{ Name: metric, Unit: 'Count' }] }] },
          [metric]: value,
        }),
      );
    },
  };
}
