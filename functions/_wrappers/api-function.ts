/**
 * The composition of a Lambda function that serves route groups of the HTTP API (API Gateway,
 * payload v2): the ports its routes use, with a stand-in that names itself when called for every
 * other port of the API (a route group never reaches one it does not compose), and its router
 * under the function's logger and metrics, API Gateway's request id on every log line.
 */
import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import type { Deps } from '../../shared/application/deps.ts';
import type { Config } from '../../shared/config/config.ts';
import type { Authenticator } from '../api/auth.ts';
import { type ApiOptions, createApp, type Routes } from '../api/frame.ts';
import { apiRequestId, type LambdaRuntime, notComposed } from './lambda-runtime.ts';

/** The ports the API's route groups may need; each function composes those of its own groups. */
const API_PORTS = ['plans', 'customers', 'notices', 'idempotency', 'gateway', 'agendaQueue', 'events', 'sender', 'reconciliation', 'supportCases', 'opsMetrics'] as const;
type ApiPort = (typeof API_PORTS)[number];

/** `ports` (the runtime's and those the function composes), and a stand-in for each API port it leaves out. */
export function apiDeps(service: string, ports: Omit<Deps, ApiPort> & Partial<Pick<Deps, ApiPort>>): Deps {
  const standIns = Object.fromEntries(API_PORTS.filter((p) => ports[p] === undefined).map((p) => [p, notComposed(p, service)]));
  return { ...standIns, ...ports } as Deps;
}

/** The Lambda handler of `groups`; the origin secret, when the stage has one, is checked on every request. */
export function apiFunction(
  runtime: LambdaRuntime,
  config: Config,
  app: { deps: Deps; authenticate: Authenticator; groups: ReadonlyArray<readonly Routes[]>; options?: Omit<ApiOptions, 'originSecret'> },
) {
  const options: ApiOptions = { ...app.options, ...(config.originVerifySecret ? { originSecret: config.originVerifySecret } : {}) };
  return runtime.observe(middy(handle(createApp(app.deps, app.authenticate, options, app.groups))), apiRequestId);
}
