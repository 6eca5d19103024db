/**
 * The v1 HTTP API: one router that runs unchanged in Lambda (API Gateway HTTP API events) and
 * in the local server. Each route is wiring: guard → parse (zod) → use case → response.
 */
import { createHash } from 'node:crypto';
import { createRoute, OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  bindPaymentMethod,
  createCustomer,
  getCustomer,
  listPaymentMethods,
  unbindPaymentMethod,
  updateCustomer,
  makeDefaultPaymentMethod,
} from '../../shared/application/customers.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { createPlan, getPlan, listPlans, planView, repaymentView } from '../../shared/application/plans.ts';
import { maskEmail, maskPhone, type Customer, type PaymentMethod } from '../../shared/domain/customer.ts';
import { authorize, type AccessVariables } from './access.ts';
import type { Authenticator, Principal } from './auth.ts';
import { mountDocs } from './docs.ts';
import { createIdempotency } from './idempotency.ts';
import { fail, json, problems, refused, security } from './openapi-helpers.ts';
import { registerPaymentMethodRoutes } from './routes/payment-methods.ts';
import { registerPlanActionRoutes } from './routes/plan-actions.ts';
import { registerReconciliationRoutes } from './routes/ops-reconciliation.ts';
import { errorToProblem, problem, tooLargeProblem, unauthenticatedProblem, validationProblem } from './problem.ts';
import { unmatchedRoutes } from './routing.ts';
import {
  BindPaymentMethodSchema,
  CreateCustomerSchema,
  CreatePlanSchema,
  CustomerParams,
  CustomerSchema,
  IdempotencyHeaders,
  ListPlansQuerySchema,
  NoticeSchema,
  PaymentMethodParams,
  PaymentMethodSchema,
  PlanParams,
  PlanSchema,
  RepaymentSchema,
  UpdateCustomerSchema,
  UpdatePaymentMethodSchema,
} from './schema.ts';
import { registerWebhooks, WEBHOOK_PATH, webhooksNotConfigured, type WebhookOptions } from './webhooks.ts';

type Env = { Variables: { principal: Principal } & AccessVariables; Bindings: { event?: { requestContext?: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } } } } };

export const MAX_BODY_BYTES = 64 * 1024;


function customerView(c: Customer, principal: Principal) {
  return {
    id: c.customerId,
    name: c.name,
    phone: principal.admin ? c.phone : maskPhone(c.phone),
    ...(c.email ? { email: principal.admin ? c.email : maskEmail(c.email) } : {}),
    locale: c.locale,
    timeZone: c.timeZone,
    notifications: c.notifications,
    ...(c.reminderDaysBefore ? { reminderDaysBefore: c.reminderDaysBefore } : {}),
    createdAt: c.createdAt,
  };
}

const methodView = (m: PaymentMethod) => ({ id: m.paymentMethodId, type: m.type, display: m.display, isDefault: m.isDefault, createdAt: m.createdAt });


const conflict = { ...problems[400], description: 'Refused in the current state, or a request with this Idempotency-Key is in progress' };
const keyReused = { ...problems[400], description: 'This Idempotency-Key was used with a different request' };
const adminRequired = { ...problems[400], description: 'Needs the admin role' };

export interface ApiOptions {
  /** Webhook secret, event log and result handler; without them the webhook route answers 503. */
  webhooks?: WebhookOptions;
}

export function createApi(deps: Deps, authenticate: Authenticator, options: ApiOptions = {}) {
  const app = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      // @hono/zod-validator passes the parsed input as `data` on failure too (not in its type).
      if (!result.success) return validationProblem(c, result.error.issues, (result as { data?: unknown }).data);
    },
  });

  app.onError((err, c) => {
    const response = errorToProblem(err, c);
    if (response.status >= 500) deps.logger.error('request failed', { method: c.req.method, path: c.req.path, error: err });
    return response;
  });
  app.notFound((c) => problem(c, 404, { code: 'REQUEST.NO_ROUTE', detail: `no route for ${c.req.method} ${c.req.path}` }));

  // Customers, plans and their problems hold PII (names, phones): no browser or proxy keeps them.
  app.use('/v1/*', async function noStore(c, next) {
    await next();
    c.header('cache-control', 'no-store');
  });
  app.use('*', unmatchedRoutes(app));
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => tooLargeProblem(c, MAX_BODY_BYTES) }));

  app.use('/v1/*', async (c, next) => {
    // Webhooks carry no token: their route verifies the provider's signature instead.
    if (WEBHOOK_PATH.test(c.req.path)) return next();
    const principal = await authenticate({
      authorization: c.req.header('authorization'),
      lambdaClaims: c.env?.event?.requestContext?.authorizer?.jwt?.claims,
    });
    if (!principal) return unauthenticatedProblem(c, c.req.header('authorization') !== undefined);
    c.set('principal', principal);
    await next();
  });
  app.use('/v1/*', authorize(deps));

  /** A customer reaches only their own resources; anything else looks absent. */
  const ownerOrAdmin = (c: Context<Env>, customerId: string) => {
    const p = c.get('principal');
    return p.admin || p.sub === customerId;
  };
  const notFound = (c: Context<Env>, what: string, id: string) => fail(c, 404, { code: `${what.toUpperCase()}.NOT_FOUND`, detail: `${what} ${id} does not exist` });
  const adminOnly = (c: Context<Env>) => fail(c, 403, { code: 'AUTH.ADMIN_REQUIRED', detail: 'this route needs the admin role' });

  const idempotent = createIdempotency(deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

  app.openapi(
    createRoute({ method: 'get', path: '/health', summary: 'Liveness (no authentication)', responses: { 200: json(zod.object({ status: zod.literal('ok') }), 'Up') } }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers',
      summary: 'Create a customer (admin)',
      security,
      request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: CreateCustomerSchema } }, required: true } },
      responses: { 201: json(CustomerSchema, 'Created'), 403: adminRequired, 409: conflict, 422: keyReused, ...problems },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminOnly(c);
      const input = c.req.valid('json');
      return (await idempotent(c, 'POST /v1/customers', input, async () => {
        const result = await createCustomer(deps, input);
        if (!result.ok) return refused(c, result.error);
        return c.json(customerView(result.value, c.get('principal')), 201);
      }, { required: false })) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}',
      summary: 'A customer profile',
      security,
      request: { params: CustomerParams },
      responses: { 200: json(CustomerSchema, 'The customer'), ...problems },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      return c.json(customerView(await getCustomer(deps, id), c.get('principal')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/customers/{id}',
      summary: 'Change notification preferences and locale (contact details and time zone: admin)',
      security,
      request: { params: CustomerParams, body: { content: { 'application/json': { schema: UpdateCustomerSchema } }, required: true } },
      responses: { 200: json(CustomerSchema, 'The updated customer'), ...problems },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      const changes = c.req.valid('json');
      // Customers set their preferences; contact details and time zone are the merchant's (KYC).
      const merchantOnly = (['phone', 'email', 'timeZone'] as const).filter((field) => changes[field] !== undefined);
      if (!c.get('principal').admin && merchantOnly.length > 0) {
        return fail(c, 403, { code: 'AUTH.ADMIN_REQUIRED', detail: `${merchantOnly.join(', ')}: only the merchant can change these`, errors: merchantOnly.map((field) => ({ field, message: 'only the merchant can change this' })) });
      }
      return c.json(customerView(await updateCustomer(deps, id, changes), c.get('principal')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/payment-methods',
      summary: 'Bind a payment method (provider token and masked display only)',
      security,
      request: { params: CustomerParams, headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: BindPaymentMethodSchema } }, required: true } },
      responses: {
        201: json(PaymentMethodSchema, 'Bound'),
        409: conflict,
        422: { ...problems[400], description: 'The provider does not know the token, no provider serves the type here, or the Idempotency-Key was used with a different request' },
        ...problems,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      const input = c.req.valid('json');
      return (await idempotent(c, 'POST /v1/customers/{id}/payment-methods', input, async () => {
        const bound = await bindPaymentMethod(deps, id, input);
        if (!bound.ok) {
          const field = bound.error.code === 'PAYMENT_METHOD.TOKEN_REFUSED' ? 'token' : 'type';
          return fail(c, 422, { code: bound.error.code, detail: bound.error.message, errors: [{ field, message: bound.error.message.replace(/^token: /, '') }] });
        }
        return c.json(methodView(bound.value), 201);
      }, { required: false })) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/payment-methods',
      summary: 'Bound payment methods, default first',
      security,
      request: { params: CustomerParams },
      responses: { 200: json(z_array(PaymentMethodSchema), 'Methods'), ...problems },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      return c.json({ items: (await listPaymentMethods(deps, id)).map(methodView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/customers/{id}/payment-methods/{pmId}',
      summary: 'Unbind a payment method',
      security,
      request: { params: PaymentMethodParams },
      responses: { 204: { description: 'Unbound' }, 409: { ...problems[400], description: 'A payment on this method is in flight or awaiting confirmation' }, ...problems },
    }),
    async (c) => {
      const { id, pmId } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      const removed = await unbindPaymentMethod(deps, id, pmId);
      if (!removed.ok) return refused(c, removed.error);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/customers/{id}/payment-methods/{pmId}',
      summary: 'Make a bound method the default (what a decline left waiting is tried again)',
      security,
      request: { params: PaymentMethodParams, body: { content: { 'application/json': { schema: UpdatePaymentMethodSchema } }, required: true } },
      responses: { 200: json(PaymentMethodSchema, 'The method, now the default'), ...problems },
    }),
    async (c) => {
      const { id, pmId } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      return c.json(methodView(await makeDefaultPaymentMethod(deps, id, pmId)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/plans',
      summary: 'Create an installment plan at checkout (admin)',
      security,
      request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: CreatePlanSchema } }, required: true } },
      responses: { 201: json(PlanSchema, 'Created'), 403: adminRequired, 409: conflict, 422: keyReused, ...problems },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminOnly(c);
      const input = c.req.valid('json');
      return (await idempotent(c, 'POST /v1/plans', input, async () => {
        // The same caller and key always name the same plan, so a re-run after a crash finds it.
        const key = createHash('sha256').update(`${c.get('principal').sub}:${c.req.header('idempotency-key') ?? ''}`).digest('hex');
        const result = await createPlan(deps, input, { planId: `plan_${key.slice(0, 20)}` });
        if (!result.ok) return refused(c, result.error);
        return c.json(result.value, 201);
      })) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plans',
      summary: 'My orders (admins pass customerId); q matches order id or product name',
      security,
      request: { query: ListPlansQuerySchema },
      responses: { 200: json(z_page(PlanSchema.omit({ installments: true })), 'A page of plans'), ...problems },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const principal = c.get('principal');
      const customerId = principal.admin ? query.customerId : principal.sub;
      if (!customerId) return fail(c, 400, { code: 'REQUEST.INVALID', detail: 'customerId: required for admins', errors: [{ field: 'customerId', message: 'required for admins' }] });
      if (!principal.admin && query.customerId && query.customerId !== principal.sub) return c.json({ items: [], cursor: null }, 200);
      const page = await listPlans(deps, customerId, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}), ...(query.q ? { q: query.q } : {}) });
      const items = await Promise.all(page.plans.map(async (p) => {
        const detail = await getPlan(deps, p.planId);
        const { installments: _omit, ...summary } = planView(detail.plan, detail.installments);
        return summary;
      }));
      return c.json({ items, cursor: page.cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plans/{planId}',
      summary: 'Order detail: paid and unpaid periods, amounts, next due date, next attempt',
      security,
      request: { params: PlanParams },
      responses: { 200: json(PlanSchema, 'The plan'), ...problems },
    }),
    async (c) => {
      const { planId } = c.req.valid('param');
      const detail = c.get('planRead') ?? (await deps.plans.get(planId));
      if (!detail || !ownerOrAdmin(c, detail.plan.customerId)) return notFound(c, 'plan', planId);
      return c.json(planView(detail.plan, detail.installments), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plans/{planId}/repayments',
      summary: 'Repayment records, oldest first',
      security,
      request: { params: PlanParams },
      responses: { 200: json(z_array(RepaymentSchema), 'Records'), ...problems },
    }),
    async (c) => {
      const { planId } = c.req.valid('param');
      const detail = c.get('planRead') ?? (await deps.plans.get(planId));
      if (!detail || !ownerOrAdmin(c, detail.plan.customerId)) return notFound(c, 'plan', planId);
      return c.json({ items: (await deps.plans.listRepayments(planId)).map(repaymentView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/notices',
      summary: 'Notices sent to a customer, newest first; cursor paging',
      security,
      request: { params: CustomerParams, query: PageQuerySchema },
      responses: { 200: json(z_page(NoticeSchema), 'A page of notices'), ...problems },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      await getCustomer(deps, id);
      const page = await deps.notices.pageByCustomer(id, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
      return c.json({ items: page.notices.map(({ dedupeKey, ...n }) => ({ id: dedupeKey, ...n })), cursor: page.cursor }, 200);
    },
  );

  registerPlanActionRoutes(app, deps, idempotent);
  registerPaymentMethodRoutes(app, deps, idempotent);
  registerReconciliationRoutes(app, deps);

  registerWebhooks(app, deps, options.webhooks ?? webhooksNotConfigured);
  mountDocs(app);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'repayflow API', version: '1.0.0', description: 'Installment repayment engine: plans, repayments, notices.' },
  });

  return app;
}

import { z as zod } from '@hono/zod-openapi';
function z_array<T extends z.ZodType>(item: T) {
  return zod.object({ items: zod.array(item) });
}
const PageQuerySchema = zod.object({
  limit: zod.coerce.number().int().min(1).max(100).default(50),
  cursor: zod.string().max(2048).optional().openapi({ description: 'The cursor of the previous page' }),
});
function z_page<T extends z.ZodType>(item: T) {
  return zod.object({ items: zod.array(item), cursor: zod.string().nullable() });
}
