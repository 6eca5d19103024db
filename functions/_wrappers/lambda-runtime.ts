/**
 * What every Lambda function's composition root starts from: its logger and metrics through
 * Powertools (shared/adapters/powertools.ts), the system clock and ids, and `observe`, which
 * puts a middy handler under them — Lambda context (cold start, request id) and a correlation
 * id on every log line, one EMF document per invocation.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj, MiddyfiedHandler } from '@middy/core';
import { randomIds } from '../../shared/adapters/ids.ts';
import { powertoolsLogger, powertoolsMetrics } from '../../shared/adapters/powertools.ts';
import type { Deps } from '../../shared/application/deps.ts';
import type { Config } from '../../shared/config/config.ts';
import { systemClock } from '../../shared/ports/clock.port.ts';
import { settings } from './adapters.ts';

export type RuntimePorts = Pick<Deps, 'clock' | 'ids' | 'logger' | 'metrics' | 'settings'>;

/** A middy handler of any event (`use` returns the handler itself, so it keeps its own type). */
type Observable = Pick<MiddyfiedHandler, 'use'>;
/** The event a middy handler takes. */
type EventOf<H> = H extends MiddyfiedHandler<infer E, infer _R, infer _Err, infer _C> ? E : never;

export interface LambdaRuntime {
  ports: RuntimePorts;
  /** Puts a handler under the function's logger and metrics; `correlationId` reads the id from the event. */
  observe<H extends Observable>(handler: H, correlationId?: (event: EventOf<H>) => string | undefined): H;
}

export function lambdaRuntime(config: Config, service: string): LambdaRuntime {
  const logging = powertoolsLogger({ service, stage: config.stage, level: config.logLevel });
  const metering = powertoolsMetrics({ service, stage: config.stage });
  const publish = () => metering.publish();
  return {
    ports: { clock: systemClock, ids: randomIds, logger: logging.logger, metrics: metering.metrics, settings: settings(config) },
    observe<H extends Observable>(handler: H, correlationId?: (event: EventOf<H>) => string | undefined): H {
      const observed: MiddlewareObj<EventOf<H>> = {
        before: (request) => {
          const id = correlationId?.(request.event);
          if (id !== undefined) logging.powertools.setCorrelationId(id);
        },
        after: publish,
        onError: publish,
      };
      handler.use(injectLambdaContext(logging.powertools, { resetKeys: true })).use(observed as MiddlewareObj);
      return handler;
    },
  };
}

/** The API Gateway request id (HTTP API payload v2), which its access log carries too. */
export const apiRequestId = (event: { requestContext?: object }): string | undefined => {
  const context = event?.requestContext;
  return context && 'requestId' in context && typeof context.requestId === 'string' ? context.requestId : undefined;
};

/**
 * A port this function's routes never reach (it serves another group of the API): any call is
 * a wiring bug, and says which port, instead of bundling an adapter no request uses.
 */
export function notComposed<T extends object>(port: string, service: string): T {
  return new Proxy({} as T, {
    get: (_target, name) => () => {
      throw new Error(`${port}.${String(name)} is not composed in the ${service} function`);
    },
  });
}
