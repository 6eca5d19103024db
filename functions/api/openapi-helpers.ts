/**
 * What every route module shares: the typed sub-router (`createRouter`), response declarations
 * for the OpenAPI document, the security requirement, and the typed idempotency step.
 *
 * Every route is a typed `OpenAPIHono` route: a handler may only return the statuses its route
 * declares, each with a body of its declared schema (problems included), so the document and
 * the server cannot drift apart without the compiler noticing.
 */

import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { PlanDetail, PlanRepository } from '../../shared/ports/plan-repository.port.ts';
import type { AccessVariables } from './access.ts';
import type { Principal } from './auth.ts';
import type { IdempotencyOptions, Idempotent } from './idempotency.ts';
import { type ProblemResponse, problem, validationProblem } from './problem.ts';
import { ProblemSchema } from './schema.ts';

/** What the API's middleware gives every route: the authenticated caller (not on webhook routes). */
export type ApiEnv = {
  Variables: { principal: Principal } & AccessVariables;
  Bindings: { event?: { requestContext?: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } } } };
};

export type ApiContext = Context<ApiEnv>;

const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * Invalid input answers 400 REQUEST.INVALID naming every field at fault; an Idempotency-Key
 * header that is missing or malformed answers the idempotency problems instead.
 */
function invalidInput(result: { success: true } | { success: false; error: z.ZodError; target?: string; data?: unknown }, c: Context) {
  if (result.success) return undefined;
  const keyIssue = result.error.issues.find((issue) => issue.path[0] === IDEMPOTENCY_HEADER);
  if (result.target === 'header' && keyIssue) {
    if (keyIssue.code === 'invalid_type') return problem(c, 400, { code: 'IDEMPOTENCY.KEY_REQUIRED', detail: 'this request needs an Idempotency-Key header' });
    return problem(c, 400, {
      code: 'IDEMPOTENCY.KEY_INVALID',
      detail: 'the Idempotency-Key header must be 1-255 characters',
      errors: [{ field: IDEMPOTENCY_HEADER, message: 'must be 1-255 characters' }],
    });
  }
  return validationProblem(c, result.error.issues, result.data);
}

/** A sub-router of the API; mount it with `app.route('/', router)`. */
export function createRouter() {
  return new OpenAPIHono<ApiEnv>({
    // @hono/zod-validator passes the parsed input as `data` on failure too (not in its type).
    defaultHook: (result, c) => invalidInput(result, c),
  });
}

/** A sub-router of the API. */
export type ApiRouter = ReturnType<typeof createRouter>;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
export const problemResponse = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });

/** Problems any authenticated route may answer. */
export const problems = {
  400: problemResponse('Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR)'),
  401: problemResponse('Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate)'),
  404: problemResponse('Not found (or not yours)'),
};

/** Problems of a route that takes a JSON body. */
export const bodyProblems = {
  413: problemResponse('The body is over 64 KiB (REQUEST.TOO_LARGE)'),
  415: problemResponse('The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE)'),
};

export const adminOnlyResponse = { 403: problemResponse('Needs the admin role (AUTH.ADMIN_REQUIRED)') };

/** Problems of a route that honours an Idempotency-Key. */
export const idempotencyProblems = {
  409: problemResponse('Refused in the current state, or a request with this Idempotency-Key is still in progress (IDEMPOTENCY.IN_PROGRESS)'),
  422: problemResponse('This Idempotency-Key was used with a different request (IDEMPOTENCY.KEY_REUSED)'),
};

export const security = [{ bearer: [] as string[] }];

/** 403 AUTH.ADMIN_REQUIRED. */
export const adminRequired = (c: Context) => problem(c, 403, { code: 'AUTH.ADMIN_REQUIRED', detail: 'this route needs the admin role' });

/** 404 `<WHAT>.NOT_FOUND`: absent, or another customer's. */
export const notFound = (c: Context, what: 'customer' | 'plan', id: string) => problem(c, 404, { code: `${what.toUpperCase()}.NOT_FOUND`, detail: `${what} ${id} does not exist` });

/** A customer reaches only their own resources; an admin reaches all. */
export function ownerOrAdmin(c: ApiContext, customerId: string): boolean {
  const p = c.get('principal');
  return p.admin || p.sub === customerId;
}

/**
 * The plan, when the caller may see it (another customer's plan looks absent): the one the
 * access guard read for a customer's request, or, for an admin's, read now. Either way the
 * request reads the plan once.
 */
export async function visiblePlan(c: ApiContext, plans: Pick<PlanRepository, 'get'>, planId: string): Promise<PlanDetail | undefined> {
  const detail = c.get('planRead') ?? (await plans.get(planId));
  return detail && ownerOrAdmin(c, detail.plan.customerId) ? detail : undefined;
}

/** What the idempotency step may answer by itself: a missing or malformed key, a key in use, a key reused. */
export type IdempotencyRefusal = ProblemResponse<400> | ProblemResponse<409> | ProblemResponse<422>;

/**
 * The idempotency step (functions/api/idempotency.ts) with the route's own response type: it
 * answers what `run` answers — the first time by running it, afterwards by replaying what it
 * stored of it — or one of its own refusals.
 */
export function typedIdempotency(idempotent: Idempotent) {
  return async function idempotentRoute<R extends Response>(
    c: Context,
    scope: string,
    body: unknown,
    run: () => Promise<R>,
    options?: IdempotencyOptions,
  ): Promise<R | IdempotencyRefusal> {
    // A replay is the stored body and status of an earlier `R`, or one of the step's refusals.
    return (await idempotent(c, scope, body, run, options)) as R | IdempotencyRefusal;
  };
}

export type IdempotentRoute = ReturnType<typeof typedIdempotency>;
