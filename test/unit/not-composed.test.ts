import { describe, expect, it } from 'vitest';
import { notComposed } from '../../functions/_wrappers/lambda-runtime.ts';
import type { ReconciliationStore } from '../../shared/ports/reconciliation-store.port.ts';

describe('Function: notComposed', () => {
  it('throws on any call, naming the port, the method and the function it is missing from', () => {
    // Prepare
    const store = notComposed<ReconciliationStore>('reconciliation', 'api');

    // Act
    const call = () => store.getReport('2026-04-01');

    // Assess
    expect(call).toThrow('reconciliation.getReport is not composed in the api function');
  });
});
