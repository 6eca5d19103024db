/**
 * Authorisation at the edge, before any body is parsed: admin-only routes answer 403 to
 * customers; a customer reaches only `/v1/customers/{their id}/…`, the plans they own
 * (`/v1/plans/{planId}/…`) and their support cases (`/v1/support/cases/{caseId}/…`); anything
 * else answers 404 as if absent. Because it works on path prefixes, a route added under those prefixes is guarded without doing anything; handlers
 * keep their own checks as a second line.
 */
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../../shared/application/deps.ts';
import type { PlanDetail } from '../../shared/ports/plan-repository.port.ts';
import type { Principal } from './auth.ts';
import { problem } from './problem.ts';

/** Routes for the merchant backend only (the same list the API Gateway guards with the admin scope). */
export const ADMIN_ONLY_ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  { method: 'POST', path: '/v1/customers' },
  { method: 'POST', path: '/v1/plans' },
  { method: 'POST', path: '/v1/plans/{planId}/cancel' },
  { method: 'GET', path: '/v1/ops/reconciliation' },
  { method: 'POST', path: '/v1/support/cases/{caseId}/approve' },
  { method: 'POST', path: '/v1/support/cases/{caseId}/decline' },
  { method: 'GET', path: '/v1/ops/agenda' },
  { method: 'GET', path: '/v1/ops/metrics/daily' },
  { method: 'GET', path: '/v1/ops/dead-letters' },
  { method: 'GET', path: '/v1/ops/failed-attempts' },
  { method: 'GET', path: '/v1/ops/notices' },
  { method: 'GET', path: '/v1/ops/dead-letters/{queue}/messages' },
  { method: 'POST', path: '/v1/ops/dead-letters/{queue}/redrive' },
];

const patternOf = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
const ADMIN_ONLY = ADMIN_ONLY_ROUTES.map((r) => ({ method: r.method, pattern: patternOf(r.path) }));
const CUSTOMER_PATH = /^\/v1\/customers\/([^/]+)(?:\/|$)/;
const PLAN_PATH = /^\/v1\/plans\/([^/]+)(?:\/|$)/;
const CASE_PATH = /^\/v1\/support\/cases\/([^/]+)(?:\/|$)/;
/** The shape of every id repayflow issues or accepts; anything else cannot exist, so is not looked up. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The plan the guard read for this request (customers' plan routes only). */
export type AccessVariables = { planRead?: PlanDetail };

export function authorize(deps: Pick<Deps, 'plans' | 'supportCases'>): MiddlewareHandler {
  return async function authorizeRequest(c, next) {
    const principal = c.get('principal') as Principal | undefined;
    // Routes that authenticate otherwise (webhooks) carry no principal.
    if (!principal || principal.admin) return next();
    const { method, path } = c.req;

    if (ADMIN_ONLY.some((r) => r.method === method && r.pattern.test(path))) {
      return problem(c, 403, { code: 'AUTH.ADMIN_REQUIRED', detail: 'this route needs the admin role' });
    }
    const customer = CUSTOMER_PATH.exec(path);
    if (customer && segment(customer[1]!) !== principal.sub) {
      return problem(c, 404, { code: 'CUSTOMER.NOT_FOUND', detail: `customer ${segment(customer[1]!)} does not exist` });
    }
    const plan = PLAN_PATH.exec(path);
    if (plan) {
      const planId = segment(plan[1]!);
      const detail = ID.test(planId) ? await deps.plans.get(planId) : undefined;
      if (!detail || detail.plan.customerId !== principal.sub) {
        return problem(c, 404, { code: 'PLAN.NOT_FOUND', detail: `plan ${planId} does not exist` });
      }
      // The route reads this plan from the context instead of reading it a second time.
      c.set('planRead', detail);
    }
    const supportCase = CASE_PATH.exec(path);
    if (supportCase) {
      const caseId = segment(supportCase[1]!);
      const thread = ID.test(caseId) ? await deps.supportCases.get(caseId) : undefined;
      if (!thread || thread.supportCase.customerId !== principal.sub) {
        return problem(c, 404, { code: 'CASE.NOT_FOUND', detail: `case ${caseId} does not exist` });
      }
    }
    return next();
  };
}
