/**
 * Binding a payment method on first use, through the provider's own authorisation: start a
 * setup (the provider's next step), complete it (the provider's answer, never the client's),
 * and look at it. Each route is wiring: guard → parse (zod) → use case → response.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { completePaymentSetup, getPaymentSetup, startPaymentSetup, type SetupRefusal } from '../../../shared/application/bind-payment-method.ts';
import type { Deps } from '../../../shared/application/deps.ts';
import { PAYMENT_METHOD_TYPES, PROVIDERS, type PaymentMethod } from '../../../shared/domain/customer.ts';
import type { PaymentSetup } from '../../../shared/domain/payment-setup.ts';
import type { Principal } from '../auth.ts';
import type { Idempotent } from '../idempotency.ts';
import { fail, json, problemResponse, problems, security } from '../openapi-helpers.ts';
import { problem } from '../problem.ts';
import { IdempotencyHeaders, NextActionSchema, PaymentMethodSchema } from '../schema.ts';

type Env = { Variables: { principal: Principal } };

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
  .openapi('PaymentSetupStarted');

export const SetupSchema = z
  .object({
    setupId: z.string(),
    provider: z.enum(PROVIDERS),
    type: z.enum(PAYMENT_METHOD_TYPES),
    status: SetupStatusEnum,
    paymentMethod: PaymentMethodSchema.optional().openapi({ description: 'The method the setup bound (once active, unless removed since)' }),
    failureCode: z.string().optional().openapi({ description: "The provider's reason (once failed)" }),
    createdAt: z.string(),
    expiresAt: z.string().openapi({ description: 'When an unfinished setup is forgotten' }),
  })
  .openapi('PaymentSetup');

const ActiveSchema = z.object({ status: z.literal('active'), setupId: z.string(), paymentMethod: PaymentMethodSchema }).openapi('PaymentSetupActive');
const PendingSchema = z.object({ status: z.literal('pending'), setupId: z.string() }).openapi('PaymentSetupPending');

const methodView = (m: PaymentMethod) => ({ id: m.paymentMethodId, type: m.type, display: m.display, isDefault: m.isDefault, createdAt: m.createdAt });
const setupView = (s: PaymentSetup, method?: PaymentMethod) => ({
  setupId: s.setupId,
  provider: s.provider,
  type: s.type,
  status: s.status,
  ...(method ? { paymentMethod: methodView(method) } : {}),
  ...(s.failureCode ? { failureCode: s.failureCode } : {}),
  createdAt: s.createdAt,
  expiresAt: new Date(s.expiresAt * 1000).toISOString(),
});

/** Refusals of a setup: an unknown (or another customer's) setup looks absent; the rest are 422. */
const setupRefused = refusedSetup as unknown as (...args: Parameters<typeof refusedSetup>) => never;
function refusedSetup(c: Context, refusal: SetupRefusal): Response {
  if (refusal.code.endsWith('.NOT_FOUND')) return problem(c, 404, { code: refusal.code, detail: refusal.message });
  const field = refusal.code === 'PAYMENT_METHOD.TYPE_UNAVAILABLE' ? [{ field: 'type', message: refusal.message }] : undefined;
  return problem(c, 422, { code: refusal.code, detail: refusal.message, ...(field ? { errors: field } : {}), ...(refusal.failureCode ? { failureCode: refusal.failureCode } : {}) });
}

export function registerPaymentMethodRoutes(app: OpenAPIHono<any>, deps: Deps, idempotent: Idempotent) {
  /** A customer reaches only their own setups; anything else looks absent. */
  const ownerOrAdmin = (c: Context<Env>, customerId: string) => {
    const p = c.get('principal');
    return p.admin || p.sub === customerId;
  };
  const customerNotFound = (c: Context<Env>, customerId: string) => fail(c, 404, { code: 'CUSTOMER.NOT_FOUND', detail: `customer ${customerId} does not exist` });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/payment-methods/setup',
      summary: "Start binding a method through the provider's own authorisation: answers its next step",
      security,
      request: { params: z.object({ id }), headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: StartSetupSchema } }, required: true } },
      responses: {
        201: json(SetupStartedSchema, "Started: carry out `next` (Stripe.js confirmCardSetup, the provider's signing page, a QR code), then complete the setup"),
        409: problemResponse('A request with this Idempotency-Key is in progress'),
        422: problemResponse('No provider serves this type here, or the Idempotency-Key was used with a different request'),
        ...problems,
      },
    }),
    async (c: Context<Env, any, any>) => {
      const { id: customerId } = c.req.valid('param' as never) as { id: string };
      if (!ownerOrAdmin(c, customerId)) return customerNotFound(c, customerId);
      const input = c.req.valid('json' as never) as z.infer<typeof StartSetupSchema>;
      const key = c.req.header('idempotency-key');
      return (await idempotent(
        c,
        'POST /v1/customers/{id}/payment-methods/setup',
        input,
        async () => {
          const setupKey = key ? `${c.get('principal').sub}:${key}` : deps.ids.next('setup');
          const started = await startPaymentSetup(deps, customerId, input, setupKey);
          if (!started.ok) return setupRefused(c, started.error);
          const { setup, next } = started.value;
          return c.json({ setupId: setup.setupId, provider: setup.provider, type: setup.type, status: setup.status, next }, 201);
        },
        { required: false },
      )) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/payment-methods/setup/{setupId}/complete',
      summary: 'Complete a binding: asks the provider how the setup ended (never the client); repeats answer the same method',
      security,
      request: { params: SetupParams },
      responses: {
        201: json(ActiveSchema, 'The provider authorised the method: it is bound now'),
        200: json(ActiveSchema, 'Already bound by an earlier confirmation: the same method'),
        202: json(PendingSchema, 'The provider has not finished yet: ask again'),
        422: problemResponse("The provider refused the binding (`failureCode` is the provider's reason), or the method it bound was removed since"),
        ...problems,
      },
    }),
    async (c: Context<Env, any, any>) => {
      const params = c.req.valid('param' as never) as z.infer<typeof SetupParams>;
      if (!ownerOrAdmin(c, params.id)) return customerNotFound(c, params.id);
      const result = await completePaymentSetup(deps, params.id, params.setupId);
      if (!result.ok) return setupRefused(c, result.error);
      const done = result.value;
      if (done.status === 'pending') return c.json({ status: 'pending' as const, setupId: done.setup.setupId }, 202);
      return c.json({ status: 'active' as const, setupId: done.setup.setupId, paymentMethod: methodView(done.method) }, done.created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/payment-methods/setup/{setupId}',
      summary: "A binding's state: pending, active (with its method) or failed (with the provider's reason)",
      security,
      request: { params: SetupParams },
      responses: { 200: json(SetupSchema, 'The setup'), ...problems },
    }),
    async (c: Context<Env, any, any>) => {
      const params = c.req.valid('param' as never) as z.infer<typeof SetupParams>;
      if (!ownerOrAdmin(c, params.id)) return customerNotFound(c, params.id);
      const result = await getPaymentSetup(deps, params.id, params.setupId);
      if (!result.ok) return setupRefused(c, result.error);
      return c.json(setupView(result.value.setup, result.value.method), 200);
    },
  );
}
