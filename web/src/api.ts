/**
 * The HTTP client, generated from the API's OpenAPI document (`npm run gen:api` writes
 * `api-types.ts`; openapi-fetch checks paths, parameters, bodies and answers): the bearer token
 * from the identity module on every request, RFC 9457 problem details turned into `ApiError`s
 * that pages show inline. A failed network counts as a problem too (status 0), so no action ever
 * ends in a blank screen. No page writes a path or a response type by hand.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './api-types.ts';
import { currentIdentity } from './identity.ts';

/** The API's own shapes, generated from its OpenAPI document (`npm run gen:api`). */
type Schemas = components['schemas'];
export type Customer = Schemas['Customer'];
export type Locale = Customer['locale'];
export type PaymentMethod = Schemas['PaymentMethod'];
export type PaymentMethodType = PaymentMethod['type'];
export type PaymentSetupStarted = Schemas['PaymentSetupStarted'];
export type PlanSummary = Schemas['PlanSummary'];
export type Plan = Schemas['Plan'];
export type Installment = Schemas['Installment'];
export type Repayment = Schemas['Repayment'];
export type RepaymentRequest = Schemas['RepaymentRequest'];
export type RepaymentScope = RepaymentRequest['scope'];
/** A repayment's answer: succeeded (201), or the provider wants the customer to confirm (202). */
export type RepaymentAnswer = Schemas['RepaymentSucceeded'] | Schemas['RepaymentRequiresAction'];
export type PayoffQuote = Schemas['PayoffQuote'];
export type Notice = Schemas['Notice'];
export type Money = Schemas['Money'];
export type NextAction = Schemas['NextAction'];
/** A problem as the portal holds it: what the API said, or what the network did (status 0). */
export type Problem = Partial<Schemas['Problem']> & { status: number };

/**
 * The typed client of the API, generated from its OpenAPI document: paths, parameters, bodies
 * and answers are checked by the compiler. The bearer token is added to every request.
 */
export const client = createClient<paths>({ baseUrl: '' });
client.use({
  onRequest({ request }) {
    const identity = currentIdentity();
    if (identity) request.headers.set('authorization', `Bearer ${identity.token}`);
    return request;
  },
});

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string | undefined;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `request failed (${problem.status})`);
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** The same request may be sent again with the same Idempotency-Key. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.code === 'IDEMPOTENCY.IN_PROGRESS';
  }
}

let onUnauthorized: () => void = () => undefined;

/** Called when the API answers 401 (an expired or revoked token). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** What a call of the typed client resolves to. */
type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * The body of a typed client answer, or its problem as an `ApiError` (a 401 signs out; a failed
 * network is status 0).
 */
export async function read<T>(call: Promise<Answer<T>>): Promise<T> {
  return (await readWithStatus(call)).body;
}

/** Like `read`, with the status (201 created, 202 accepted: the result comes later). */
export async function readWithStatus<T>(call: Promise<Answer<T>>): Promise<{ status: number; body: T }> {
  let result: Answer<T>;
  try {
    result = await call;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'NETWORK', title: 'Network error' });
  }
  // A 204 has no body: `data` is undefined, as its type says.
  if (result.response.ok) return { status: result.response.status, body: result.data as T };
  if (result.response.status === 401) onUnauthorized();
  const problem = result.error && typeof result.error === 'object' ? (result.error as Partial<Problem>) : {};
  throw new ApiError({ ...problem, status: result.response.status });
}

/**
 * One user action that changes money (repay, pay off, bind): it gets an Idempotency-Key when
 * first sent, and a retry of the same request reuses it, so a double click or a lost answer
 * can never charge twice. A new request (a different `request` value), a success or a final
 * refusal starts a new key; a 202 (the provider wants the customer to confirm first) keeps it,
 * so the same request sent again after the confirmation learns the result. `held()`/`hold()`
 * carry the key across a page load (the provider's page the customer is sent to and back from).
 *
 *   send({ planId, body }, (key) => client.POST('/v1/plans/{planId}/repayments', { params: { path: { planId }, header: { 'idempotency-key': key } }, body }))
 */
export function idempotentAction() {
  let key: string | undefined;
  let fingerprint: string | undefined;
  async function send<T>(request: unknown, call: (idempotencyKey: string) => Promise<Answer<T>>): Promise<{ status: number; body: T }> {
    const fp = JSON.stringify(request);
    if (!key || fp !== fingerprint) {
      key = crypto.randomUUID();
      fingerprint = fp;
    }
    try {
      const result = await readWithStatus(call(key));
      if (result.status !== 202) key = undefined;
      return result;
    } catch (err) {
      if (!(err instanceof ApiError && err.retryable)) key = undefined;
      throw err;
    }
  }
  return Object.assign(send, {
    /** The key kept for the request in progress, if any. */
    held: (): { key: string; fingerprint: string } | undefined => (key && fingerprint ? { key, fingerprint } : undefined),
    /** Takes back a key kept across a page load. */
    hold: (kept: { key: string; fingerprint: string }) => {
      key = kept.key;
      fingerprint = kept.fingerprint;
    },
  });
}

/**
 * The local stack's own routes: a development aid served next to the API by `npm start`, never
 * deployed and not part of the API's contract (infra/local/local-routes.ts), so their answers are
 * described here, once. Problems become `ApiError`s as with the API.
 */
interface LocalRoutes {
  'GET /local/clock': { now: string; simulated: boolean };
  'POST /local/run': { sweeps: number; attemptsProcessed: number; noticesProcessed: number; now: string };
}

export async function localRoute<R extends keyof LocalRoutes>(route: R, body?: unknown): Promise<LocalRoutes[R]> {
  const [method, path] = route.split(' ') as [string, string];
  let res: Response;
  try {
    res = await fetch(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    throw new ApiError({ status: 0, code: 'NETWORK', title: 'Network error' });
  }
  const payload: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError({ ...(payload && typeof payload === 'object' ? (payload as Partial<Problem>) : {}), status: res.status });
  return payload as LocalRoutes[R];
}
