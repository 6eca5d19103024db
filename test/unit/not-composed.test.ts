import { describe, expect, it } from 'vitest';
import { apiDeps } from '../../functions/_wrappers/api-function.ts';
import { notComposed } from '../../functions/_wrappers/lambda-runtime.ts';
import { randomIds } from '../../shared/adapters/ids.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { systemClock } from '../../shared/ports/clock.port.ts';
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

describe('Function: apiDeps', () => {
  it('keeps the ports a function composes, stands in for the API ports it leaves out, and leaves optional ports absent', () => {
    // Prepare
    const plans = { get: async () => undefined } as unknown as Deps['plans'];
    const runtime = { clock: systemClock, ids: randomIds, logger: {}, metrics: {}, settings: {} } as unknown as Pick<Deps, 'clock' | 'ids' | 'logger' | 'metrics' | 'settings'>;

    // Act
    const deps = apiDeps('webhooks', { ...runtime, plans });

    // Assess
    expect(deps.plans).toBe(plans);
    expect(() => deps.supportCases.get('case_1')).toThrow('supportCases.get is not composed in the webhooks function');
    expect(() => deps.sender.sendSms('+8613800000000', 'x')).toThrow('sender.sendSms is not composed in the webhooks function');
    expect(deps.deadLetters).toBeUndefined();
    expect(deps.noticeQueue).toBeUndefined();
  });
});
