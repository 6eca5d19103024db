/**
 * Every port's adapter at once, for the local stack (which runs all functions in one process,
 * with its simulated clock and gateway as overrides) and tests. Lambda entry points compose
 * only the ports they use from ./adapters.ts instead, so each bundle carries only those.
 */
import { randomIds } from '../../shared/adapters/ids.ts';
import { createLogger } from '../../shared/adapters/logger.ts';
import type { Deps } from '../../shared/application/deps.ts';
import type { Config } from '../../shared/config/config.ts';
import { systemClock } from '../../shared/ports/clock.port.ts';
import { noMetrics } from '../../shared/ports/metrics.port.ts';
import type { PaymentGateway } from '../../shared/ports/payment-gateway.port.ts';
import * as adapters from './adapters.ts';

/** For a function that never calls a provider: any call is a wiring bug. */
export const noGateway: PaymentGateway = new Proxy({} as PaymentGateway, {
  get: (_target, name) => () => {
    throw new Error(`the payment gateway (${String(name)}) is not configured for this function`);
  },
});

export function buildDeps(config: Config, service: string, overrides: Partial<Deps> = {}): Deps {
  return {
    clock: systemClock,
    ids: randomIds,
    logger: createLogger({ level: config.logLevel, service }),
    plans: adapters.plans(config),
    customers: adapters.customers(config),
    notices: adapters.notices(config),
    idempotency: adapters.idempotency(config),
    reconciliation: adapters.reconciliation(config),
    supportCases: adapters.supportCases(config),
    opsMetrics: adapters.opsMetrics(config),
    ...adapters.deadLetters(config),
    gateway: noGateway,
    agendaQueue: adapters.agendaQueue(config),
    events: adapters.events(config),
    sender: adapters.sender(config),
    ...adapters.noticeQueue(config),
    // Outside Lambda (tests, the local stack) metrics go nowhere; Lambda uses ./lambda-runtime.ts.
    metrics: noMetrics,
    settings: adapters.settings(config),
    ...overrides,
  };
}
