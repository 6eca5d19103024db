/**
 * Customers, their payment methods and their notices. Each route is wiring: guard → parse
 * (zod) → use case → view.
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import {
  bindPaymentMethod,
  createCustomer,
  eraseCustomer,
  exportCustomer,
  getCustomer,
  getCustomerRecord,
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
  PlanSchema,
  pageOf,
  RepaymentSchema,
  UpdateCustomerSchema,
  UpdatePaymentMethodSchema,
} from '../schema.ts';
import { customerView, methodView, noticeView, planView, repaymentView } from '../views.ts';
import { SupportCaseSchema, supportCaseView } from './support.ts';

const PaymentMethodList = listOf(PaymentMethodSchema, 'PaymentMethodList');
const NoticePage = pageOf(NoticeSchema, 'NoticePage');
const instant = z.string().openapi({ format: 'date-time', example: '2026-02-28T01:00:00.000Z' });

/** Everything held about a customer (PIPL art. 45, GDPR art. 15 and 20), as the API shows each part. */
export const CustomerExportSchema = z
  .object({
    exportedAt: instant,
    customer: CustomerSchema.openapi({ description: 'The profile with its contact details in full, the notification preferences and the locale' }),
    paymentMethods: z.array(PaymentMethodSchema).openapi({ description: 'Bound methods: the masked display the provider reported, never an account number' }),
    plans: z
      .array(z.object({ plan: PlanSchema, repayments: z.array(RepaymentSchema) }).strict())
      .openapi({ description: 'Every plan with its installments and repayment records' }),
    notices: z.array(NoticeSchema).openapi({ description: 'Every notice sent or scheduled, newest first' }),
    supportCases: z.array(SupportCaseSchema).openapi({ description: 'Every support case with its messages, newest first' }),
  })
  .strict()
  .openapi('CustomerExport');

/** The log of an erasure: who asked and when, and what was erased or kept; no personal data. */
export const ErasureSchema = z
  .object({
    customerId: z.string(),
    erasedAt: instant,
    erasedBy: z.object({ sub: z.string(), role: z.enum(['admin', 'customer']) }).strict(),
    paymentMethodsReleased: z.number().int().openapi({ description: 'Methods released at their provider and removed' }),
    noticesErased: z.number().int().openapi({ description: 'Notices whose recipient and text were erased' }),
    supportCasesErased: z.number().int().openapi({ description: 'Support cases whose subject and messages were erased (state and links kept)' }),
    repaymentRecordsKept: z.number().int().openapi({ description: 'Repayment records kept as financial records, without the payment method display' }),
    plansKept: z.number().int(),
  })
  .strict()
  .openapi('Erasure');

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
      summary: 'A customer profile (phone and email masked unless the caller is an admin; the admin sees an erased customer’s tombstone)',
      security,
      request: { params: CustomerParams },
      responses: { 200: json(CustomerSchema, 'The customer'), ...problems },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      const principal = c.get('principal');
      const customer = principal.admin ? await getCustomerRecord(deps, id) : await getCustomer(deps, id);
      return c.json(customerView(customer, principal), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/export',
      operationId: 'exportCustomer',
      tags: ['customers'],
      summary: 'Everything held about a customer, as one document (profile, methods, plans with installments and records, notices)',
      security,
      request: { params: CustomerParams },
      responses: { 200: json(CustomerExportSchema, 'The customer’s data (never cached: cache-control no-store)'), ...problems },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      const principal = c.get('principal');
      const data = await exportCustomer(deps, id);
      const { customer } = data;
      return c.json(
        {
          exportedAt: deps.clock.now().toISOString(),
          // The customer's own copy: contact details in full, whoever asks for it.
          customer: { ...customerView(customer, principal), phone: customer.phone, ...(customer.email ? { email: customer.email } : {}) },
          paymentMethods: data.paymentMethods.map(methodView),
          plans: data.plans.map((p) => ({ plan: planView(p.plan, p.installments), repayments: p.repayments.map(repaymentView) })),
          notices: data.notices.map(noticeView),
          supportCases: data.supportCases.map((thread) => supportCaseView(thread, principal.admin)),
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/customers/{id}',
      operationId: 'eraseCustomer',
      tags: ['customers'],
      summary: 'Erase a customer’s personal data (refused while money is owed or a payment is in progress)',
      description:
        'Name, phone and email become pseudonyms and notifications stop; bound payment methods are released at their provider and removed; notices lose their recipient and text. Plans, installments and repayment records are kept as financial records, without the payment method display. The erasure is logged (who, when, what) without personal data; afterwards the customer’s own token finds nothing (404 CUSTOMER.ERASED) and the merchant sees the tombstone.',
      security,
      request: { params: CustomerParams },
      responses: {
        200: json(ErasureSchema, 'Erased; the log of the erasure'),
        ...problems,
        409: problemResponse(
          'A plan still owes money (CUSTOMER.MONEY_OWED, with planId, planStatus and outstanding) or a payment is in progress (CUSTOMER.PAYMENT_IN_PROGRESS, with planId and attemptId)',
        ),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!ownerOrAdmin(c, id)) return notFound(c, 'customer', id);
      const principal = c.get('principal');
      // An erased customer's own token finds nothing; the merchant may run an erasure again to finish it.
      if (!principal.admin) await getCustomer(deps, id);
      const erased = await eraseCustomer(deps, id, { sub: principal.sub, role: principal.admin ? 'admin' : 'customer' });
      if (!erased.ok) return refusalProblem(c, erased.error);
      return c.json(erased.value, 200);
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
