import { describe, expect, it } from 'vitest';
import { emfMetrics } from '../../shared/adapters/emf-metrics.ts';

describe('Adapter: emfMetrics', () => {
  it('writes one Embedded Metric Format line per count, in the Repayflow namespace', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = emfMetrics((line) => lines.push(line));

    // Act
    metrics.count('RepaymentsSucceeded', 3);
    metrics.count('NoticesSent', 0);

    // Assess: zero counts are not written; the metric value sits beside its directive.
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry._aws.CloudWatchMetrics).toEqual([{ Namespace: 'Repayflow', Dimensions: [[]], Metrics: [{ Name: 'RepaymentsSucceeded', Unit: 'Count' }] }]);
    expect(entry.RepaymentsSucceeded).toBe(3);
    expect(typeof entry._aws.Timestamp).toBe('number');
  });
});
