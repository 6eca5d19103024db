/**
 * Customers, their payment methods and their notices. Each route is wiring: guard → parse
 * (zod) → use case → view.
 */
import { createRoute } from '@hono/zod-openapi';
import {
  bindPaymentMethod,
  createCustomer,
  getCustomer,
  listPaymentMethods,
  makeDefaultPaymentMethod,
  unbindPaymentMethod,
  updateCustomer,
} from '../../../shared/application/customers.ts';
import type { Deps } from '../../../shared/application/deps.ts';
import {
  adminOnlyResponse,
  adminRequired,
  bodyProblems,
  createRouter,
  type IdempotentRoute,
  idempotencyProblems,
  json,
  notFound,
  ownerOrAdmin,
  problemResponse,
  problems,
  security,
} from '../openapi-helpers.ts';
import { problem, refusalProblem } from '../problem.ts';
import {
  BindPaymentMethodSchema,
  CreateCustomerSchema,
  CustomerParams,
  CustomerSchema,
  IdempotencyHeaders,
  listOf,
  NoticeSchema,
  PageQuerySchema,
  PaymentMethodParams,
  PaymentMethodSchema,
  pageOf,
  UpdateCustomerSchema,
  UpdatePaymentMethodSchema,
} from '../schema.ts';
import { customerView, methodView, noticeView } from '../views.ts';

const PaymentMethodList = listOf(PaymentMethodSchema, 'PaymentMethodList');
const NoticePage = pageOf(NoticeSchema, 'NoticePage');

export function customerRoutes(deps: Deps, idempotent: IdempotentRoute) {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers',
      operationId: 'createCustomer',
      tags: ['customers'],
      summary: 'Create a customer (admin)',
      security,
      request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: CreateCustomerSchema } }, required: true } },
      responses: {
        201: json(CustomerSchema, 'Created'),
        ...adminOnlyResponse,
        ...problems,
        ...idempotencyProblems,
        409: problemResponse('A customer with this id exists (CUSTOMER.EXISTS), or a request with this Idempotency-Key is still in progress'),
        ...bodyProblems,
      },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminRequired(c);
      const input = c.req.valid('json');
      return idempotent(
        c,
        'POST /v1/customers',
        input,
        async () => {
          const result = await createCustomer(deps, input);
          if (!result.ok) return refusalProblem(c, result.error);
          return c.json(customerView(result.value, c.get('principal')), 201);
        },
        { required: false },
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}',
      operationId: 'getCustomer',
      tags: ['customers'],
      summary: 'A customer profile (phone and email masked unless the caller is an admin)',
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

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/customers/{id}',
      operationId: 'updateCustomer',
      tags: ['customers'],
      summary: 'Change notification preferences and locale (contact details and time zone: admin)',
      security,
      request: { params: CustomerParams, body: { content: { 'application/json': { schema: UpdateCustomerSchema } }, required: true } },
      responses: {
        200: json(CustomerSchema, 'The updated customer'),
        403: problemResponse('Contact details, market and time zone are the merchant’s to change (AUTH.ADMIN_REQUIRED)'),
        ...problems,
        ...bodyProblems,
        422: problemResponse(
          'The profile breaks a rule: a phone number that is not a mobile number of its country, a time zone that is not a canonical IANA name, control characters in the name, email notices without an address',
        ),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      const changes = c.req.valid('json');
      // Customers set their preferences; contact details and time zone are the merchant's (KYC).
      const merchantOnly = (['phone', 'email', 'timeZone', 'market'] as const).filter((field) => changes[field] !== undefined);
      if (!c.get('principal').admin && merchantOnly.length > 0) {
        return problem(c, 403, {
          code: 'AUTH.ADMIN_REQUIRED',
          detail: `${merchantOnly.join(', ')}: only the merchant can change these`,
          errors: merchantOnly.map((field) => ({ field, message: 'only the merchant can change this' })),
        });
      }
      const updated = await updateCustomer(deps, id, changes);
      if (!updated.ok) return refusalProblem(c, updated.error);
      return c.json(customerView(updated.value, c.get('principal')), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/payment-methods',
      operationId: 'bindPaymentMethod',
      tags: ['payment methods'],
      summary: 'Bind a payment method (provider token and masked display only)',
      security,
      request: { params: CustomerParams, headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: BindPaymentMethodSchema } }, required: true } },
      responses: {
        201: json(PaymentMethodSchema, 'Bound'),
        ...problems,
        ...idempotencyProblems,
        422: problemResponse('The provider does not know the token, no provider serves the type here, or the Idempotency-Key was used with a different request'),
        ...bodyProblems,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      const input = c.req.valid('json');
      return idempotent(
        c,
        'POST /v1/customers/{id}/payment-methods',
        input,
        async () => {
          const bound = await bindPaymentMethod(deps, id, input);
          if (!bound.ok) return refusalProblem(c, bound.error);
          return c.json(methodView(bound.value), 201);
        },
        { required: false },
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/payment-methods',
      operationId: 'listPaymentMethods',
      tags: ['payment methods'],
      summary: 'Bound payment methods, by priority',
      security,
      request: { params: CustomerParams },
      responses: { 200: json(PaymentMethodList, 'Methods'), ...problems },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      return c.json({ items: (await listPaymentMethods(deps, id)).map(methodView) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/customers/{id}/payment-methods/{pmId}',
      operationId: 'unbindPaymentMethod',
      tags: ['payment methods'],
      summary: 'Unbind a payment method',
      security,
      request: { params: PaymentMethodParams },
      responses: { 204: { description: 'Unbound' }, ...problems, 409: problemResponse('A payment on this method is in flight or awaiting confirmation (PAYMENT_METHOD.IN_USE)') },
    }),
    async (c) => {
      const { id, pmId } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      const removed = await unbindPaymentMethod(deps, id, pmId);
      if (!removed.ok) return refusalProblem(c, removed.error);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/customers/{id}/payment-methods/{pmId}',
      operationId: 'makeDefaultPaymentMethod',
      tags: ['payment methods'],
      summary: 'Make a bound method the default (what a decline left waiting is tried again)',
      security,
      request: { params: PaymentMethodParams, body: { content: { 'application/json': { schema: UpdatePaymentMethodSchema } }, required: true } },
      responses: { 200: json(PaymentMethodSchema, 'The method, now the default'), ...problems, ...bodyProblems },
    }),
    async (c) => {
      const { id, pmId } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      return c.json(methodView(await makeDefaultPaymentMethod(deps, id, pmId)), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/notices',
      operationId: 'listNotices',
      tags: ['customers'],
      summary: 'Notices sent to a customer, newest first; cursor paging',
      security,
      request: { params: CustomerParams, query: PageQuerySchema },
      responses: { 200: json(NoticePage, 'A page of notices'), ...problems },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      await getCustomer(deps, id);
      const page = await deps.notices.pageByCustomer(id, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
      return c.json({ items: page.notices.map(noticeView), cursor: page.cursor }, 200);
    },
  );

  return router;
}
