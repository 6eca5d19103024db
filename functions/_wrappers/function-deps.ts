/**
 * A Lambda function's dependencies with its payment gateway (and, on AWS, the provider keys
 * from Secrets Manager), composed once at cold start. Functions that never call a provider
 * (sweep, notifier) use `buildDeps` alone, so their bundles carry none of this.
 */
import type { Deps } from '../../shared/application/deps.ts';
import type { Config } from '../../shared/config/config.ts';
import { systemClock } from '../../shared/ports/clock.port.ts';
import { buildDeps } from './dependencies.ts';
import { paymentGateway } from './gateway.ts';

export async function functionDeps(config: Config, service: string): Promise<Deps> {
  return buildDeps(config, service, { gateway: await paymentGateway(config, systemClock) });
}
