/**
 * The HTTP client: bearer token from the identity module, JSON in and out, RFC 9457 problem
 * details turned into `ApiError`s that pages show inline. A failed network counts as a problem
 * too (status 0), so no action ever ends in a blank screen.
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
export type PlanSummary = Schemas['PlanSummary'];
export type Plan = Schemas['Plan'];
export type Installment = Schemas['Installment'];
export type Repayment = Schemas['Repayment'];
export type RepaymentScope = Schemas['RepaymentRequest']['scope'];
export type PayoffQuote = Schemas['PayoffQuote'];
export type Notice = Schemas['Notice'];
export type Money = Schemas['Money'];
/** A page of a list; `cursor` is null on the last page. */
export type Page<T> = { items: T[]; cursor: string | null };
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

/**
 * The body of a typed client answer, or its problem as an `ApiError` (a 401 signs out; a failed
 * network is status 0, as with `request`).
 */
export async function read<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'NETWORK', title: 'Network error' });
  }
  if (result.response.ok && result.data !== undefined) return result.data;
  if (result.response.status === 401) onUnauthorized();
  const problem = result.error && typeof result.error === 'object' ? (result.error as Partial<Problem>) : {};
  throw new ApiError({ ...problem, status: result.response.status });
}

export interface RequestOptions {
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  return (await request<T>(method, path, options)).body;
}

/** Like `api`, with the status (201 created, 202 accepted: the result comes later). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const identity = currentIdentity();
  if (identity) headers.authorization = `Bearer ${identity.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'NETWORK', title: 'Network error' });
  }
  if (res.status === 204) return { status: 204, body: undefined as T };
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    if (res.status === 401) onUnauthorized();
    const problem = (body && typeof body === 'object' ? body : {}) as Partial<Problem>;
    throw new ApiError({ ...problem, status: res.status });
  }
  return { status: res.status, body: body as T };
}

/**
 * One user action that changes money (repay, pay off, bind): it gets an Idempotency-Key when
 * first sent, and a retry of the same request reuses it, so a double click or a lost answer
 * can never charge twice. A new request body, a success or a final refusal starts a new key;
 * a 202 (the provider wants the customer to confirm first) keeps it, so the same request sent
 * again after the confirmation learns the result. `held()`/`hold()` carry the key across a
 * page load (the provider's page the customer is sent to and back from).
 */
export function idempotentAction() {
  let key: string | undefined;
  let fingerprint: string | undefined;
  async function send<T>(method: string, path: string, body: unknown): Promise<T> {
    return (await sendWithStatus<T>(method, path, body)).body;
  }
  async function sendWithStatus<T>(method: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
    const fp = `${method} ${path} ${JSON.stringify(body)}`;
    if (!key || fp !== fingerprint) {
      key = crypto.randomUUID();
      fingerprint = fp;
    }
    try {
      const result = await request<T>(method, path, { body, idempotencyKey: key });
      if (result.status !== 202) key = undefined;
      return result;
    } catch (err) {
      if (!(err instanceof ApiError && err.retryable)) key = undefined;
      throw err;
    }
  }
  return Object.assign(send, {
    withStatus: sendWithStatus,
    /** The key kept for the request in progress, if any. */
    held: (): { key: string; fingerprint: string } | undefined => (key && fingerprint ? { key, fingerprint } : undefined),
    /** Takes back a key kept across a page load. */
    hold: (kept: { key: string; fingerprint: string }) => {
      key = kept.key;
      fingerprint = kept.fingerprint;
    },
  });
}
