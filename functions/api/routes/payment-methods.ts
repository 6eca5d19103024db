/**
 * Binding a payment method on first use, through the provider's own authorisation: start a
 * setup (the provider's next step), complete it (the provider's answer, never the client's),
 * and look at it. Each route is wiring: guard → parse (zod) → use case → response.
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import { completePaymentSetup, getPaymentSetup, startPaymentSetup } from '../../../shared/application/bind-payment-method.ts';
import type { Deps } from '../../../shared/application/deps.ts';
import { PAYMENT_METHOD_TYPES, PROVIDERS } from '../../../shared/domain/customer.ts';
import { bodyProblems, createRouter, type IdempotentRoute, idempotencyProblems, json, notFound, ownerOrAdmin, problemResponse, problems, security } from '../openapi-helpers.ts';
import { refusalProblem } from '../problem.ts';
import { IdempotencyHeaders, NextActionSchema, PaymentMethodSchema } from '../schema.ts';
import { methodView, setupView } from '../views.ts';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');
const setupId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be the provider's setup id");

export const SetupParams = z.object({ id, setupId });

export const StartSetupSchema = z
  .object({
    type: z.enum(PAYMENT_METHOD_TYPES),
    makeDefault: z.boolean().optional().openapi({ description: 'Debit the new method first once it is active' }),
    returnUrl: z
      .string()
      .max(512)
      .regex(/^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/, "must be a path of the portal's own origin, such as /methods")
      .optional()
      .openapi({ description: "Where a redirect-based provider sends the customer back (a path of the portal's own origin)", example: '/methods' }),
  })
  .strict()
  .openapi('StartPaymentSetup');

const SetupStatusEnum = z.enum(['pending', 'active', 'failed']);

export const SetupStartedSchema = z
  .object({ setupId: z.string(), provider: z.enum(PROVIDERS), type: z.enum(PAYMENT_METHOD_TYPES), status: SetupStatusEnum, next: NextActionSchema })
  .strict()
  .openapi('PaymentSetupStarted');

export const SetupSchema = z
  .object({
    setupId: z.string(),
    provider: z.enum(PROVIDERS),
    type: z.enum(PAYMENT_METHOD_TYPES),
    status: SetupStatusEnum,
    paymentMethod: PaymentMethodSchema.optional().openapi({ description: 'The method the setup bound (once active, unless removed since)' }),
    failureCode: z.string().optional().openapi({ description: "The provider's reason (once failed)" }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    expiresAt: z.string().openapi({ format: 'date-time', description: 'When an unfinished setup is forgotten' }),
  })
  .strict()
  .openapi('PaymentSetup');

const ActiveSchema = z
  .object({ status: z.literal('active'), setupId: z.string(), paymentMethod: PaymentMethodSchema })
  .strict()
  .openapi('PaymentSetupActive');
const PendingSchema = z
  .object({ status: z.literal('pending'), setupId: z.string() })
  .strict()
  .openapi('PaymentSetupPending');

const setupRefusals = {
  404: problemResponse('No such customer or setup (or not yours)'),
  422: problemResponse(
    "The provider refused the binding (PAYMENT_SETUP.FAILED; `failureCode` is the provider's reason), or the method it bound was removed since (PAYMENT_SETUP.METHOD_REMOVED)",
  ),
};

export function paymentSetupRoutes(deps: Deps, idempotent: IdempotentRoute) {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/payment-methods/setup',
      operationId: 'startPaymentSetup',
      tags: ['payment methods'],
      summary: "Start binding a method through the provider's own authorisation: answers its next step",
      security,
      request: { params: z.object({ id }), headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: StartSetupSchema } }, required: true } },
      responses: {
        201: json(SetupStartedSchema, "Started: carry out `next` (Stripe.js confirmCardSetup, the provider's signing page, a QR code), then complete the setup"),
        ...problems,
        ...idempotencyProblems,
        409: problemResponse('A request with this Idempotency-Key is in progress'),
        422: problemResponse('No provider serves this type here (PAYMENT_METHOD.TYPE_UNAVAILABLE), or the Idempotency-Key was used with a different request'),
        ...bodyProblems,
      },
    }),
    async (c) => {
      const { id: customerId } = c.req.valid('param');
      if (!ownerOrAdmin(c, customerId)) return notFound(c, 'customer', customerId);
      const input = c.req.valid('json');
      const { 'idempotency-key': key } = c.req.valid('header');
      return idempotent(
        c,
        'POST /v1/customers/{id}/payment-methods/setup',
        input,
        async () => {
          const setupKey = key ? `${c.get('principal').sub}:${key}` : deps.ids.next('setup');
          const started = await startPaymentSetup(deps, customerId, input, setupKey);
          if (!started.ok) return refusalProblem(c, started.error);
          const { setup, next } = started.value;
          return c.json({ setupId: setup.setupId, provider: setup.provider, type: setup.type, status: setup.status, next }, 201);
        },
        { required: false },
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/payment-methods/setup/{setupId}/complete',
      operationId: 'completePaymentSetup',
      tags: ['payment methods'],
      summary: 'Complete a binding: asks the provider how the setup ended (never the client); repeats answer the same method',
      security,
      request: { params: SetupParams },
      responses: {
        201: json(ActiveSchema, 'The provider authorised the method: it is bound now'),
        200: json(ActiveSchema, 'Already bound by an earlier confirmation: the same method'),
        202: json(PendingSchema, 'The provider has not finished yet: ask again'),
        ...problems,
        ...setupRefusals,
      },
    }),
    async (c) => {
      const params = c.req.valid('param');
      if (!ownerOrAdmin(c, params.id)) return notFound(c, 'customer', params.id);
      const result = await completePaymentSetup(deps, params.id, params.setupId);
      if (!result.ok) return refusalProblem(c, result.error);
      const done = result.value;
      if (done.status === 'pending') return c.json({ status: 'pending' as const, setupId: done.setup.setupId }, 202);
      return c.json({ status: 'active' as const, setupId: done.setup.setupId, paymentMethod: methodView(done.method) }, done.created ? 201 : 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/payment-methods/setup/{setupId}',
      operationId: 'getPaymentSetup',
      tags: ['payment methods'],
      summary: "A binding's state: pending, active (with its method) or failed (with the provider's reason)",
      security,
      request: { params: SetupParams },
      responses: { 200: json(SetupSchema, 'The setup'), ...problems, ...setupRefusals },
    }),
    async (c) => {
      const params = c.req.valid('param');
      if (!ownerOrAdmin(c, params.id)) return notFound(c, 'customer', params.id);
      const result = await getPaymentSetup(deps, params.id, params.setupId);
      if (!result.ok) return refusalProblem(c, result.error);
      return c.json(setupView(result.value.setup, result.value.method), 200);
    },
  );

  return router;
}
