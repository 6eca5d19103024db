/**
 * `POST /v1/webhooks/{provider}`: asynchronous payment results from wallet providers.
 *
 * No JWT (a provider has none): each request carries
 * `X-Repayflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`
 * (several `v1=` while a secret is being rotated). The signature is checked first, in constant
 * time, on the raw bytes, before the body is parsed; a timestamp more than 5 minutes from our
 * clock is refused, so a captured request cannot be replayed later.
 *
 * Within those 5 minutes, and for every redelivery, the event id decides: each accepted event
 * is logged (DynamoDB, with a TTL) and processed once. A repeat of a processed event is answered
 * 200 with `duplicate: true` and the first outcome, and has no effect (providers stop on a 2xx;
 * a 409 would make an honest redelivery retry for days). A repeat while the first is still being
 * processed gets 409 (retry later); the same event id with other content gets 409.
 *
 * `POST /v1/webhooks/stripe`: Stripe's own events, verified by their `Stripe-Signature` with the
 * endpoint's signing secret (Stripe's SDK; 300 s tolerance), through the same event log. Each
 * route verifies with its own provider's scheme and secret and records its own provider, so a
 * Stripe-signed event is accepted only as Stripe's and a repayflow-signed one only as the
 * simulated provider's. An event is a hint: `payment_intent.*` names the attempt to ask Stripe
 * about, `setup_intent.succeeded` the setup to check; nothing is recorded from the event itself.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { dynamoDocumentClient } from '../../shared/adapters/clients.ts';
import { DynamoWebhookEventStore } from '../../shared/adapters/webhooks/dynamo-webhook-event-store.ts';
import { ignoreBindingHints, ignoreWalletResults } from '../../shared/adapters/webhooks/ignore-wallet-results.ts';
import type { Deps } from '../../shared/application/deps.ts';
import type { Config } from '../../shared/config/config.ts';
import { CURRENCIES } from '../../shared/domain/money.ts';
import {
  type BindingHintHandler,
  type WalletResult,
  type WalletResultHandler,
  WEBHOOK_PROVIDERS,
  type WebhookEventStore,
  type WebhookOutcome,
  type WebhookProvider,
} from '../../shared/ports/webhook.port.ts';
import {
  type AlipayNotifyVerify,
  alipayNotifyVerify,
  type StripeWebhookVerify,
  stripeWebhookVerify,
  type WechatPayNotificationVerify,
  wechatPayNotificationVerify,
} from '../_wrappers/gateway.ts';
import { registerAlipayWebhook } from './alipay-webhook.ts';
import { type ApiRouter, createRouter, problemResponse } from './openapi-helpers.ts';
import { problem } from './problem.ts';
import { registerWechatPayWebhook } from './wechat-pay-webhook.ts';

export const SIGNATURE_HEADER = 'x-repayflow-signature';
export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
export const TOLERANCE_SECONDS = 300;
/** Webhook paths: outside the JWT middleware, authenticated by signature instead. */
export { WEBHOOK_PATH } from './routing.ts';

export interface WebhookOptions {
  /** `WEBHOOK_SECRET`; without it every webhook is refused (503). */
  secret: string | undefined;
  events: WebhookEventStore;
  results: WalletResultHandler;
  toleranceSeconds?: number;
  /** Verifies Stripe's events with the current signing secret; without it `/v1/webhooks/stripe` answers 503. */
  stripe?: StripeWebhookVerify;
  /** Verifies Alipay's notifications with the current keys; without it `/v1/webhooks/alipay` answers 503. */
  alipay?: AlipayNotifyVerify;
  /** Completes a binding when the provider says its setup succeeded (default: acknowledged, no effect). */
  bindings?: BindingHintHandler;
  /** Verifies and decrypts WeChat Pay's notifications; without it `/v1/webhooks/wechat-pay` answers 503. */
  wechatPay?: WechatPayNotificationVerify;
}

/** The composition root's part: the event log in the table, and the result handler. */
export function webhookOptions(config: Config, overrides: Partial<WebhookOptions> = {}): WebhookOptions {
  return {
    secret: config.webhookSecret,
    // The Lambda composition root passes the function's own store (one client per function).
    events: overrides.events ?? new DynamoWebhookEventStore(dynamoDocumentClient(config), config.tableName),
    results: ignoreWalletResults,
    stripe: stripeWebhookVerify(config),
    alipay: alipayNotifyVerify(config),
    wechatPay: wechatPayNotificationVerify(config),
    bindings: ignoreBindingHints,
    ...overrides,
  };
}

const hmac = (secret: string, timestamp: string, rawBody: string) => createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest();

/** The header value a provider sends (also what tests and the local stack use to sign). */
export function signWebhook(secret: string, rawBody: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, String(timestamp), rawBody).toString('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; code: string; detail: string };

export function verifyWebhookSignature(header: string | undefined, rawBody: string, secret: string, now: Date, toleranceSeconds = TOLERANCE_SECONDS): SignatureCheck {
  if (!header) return { ok: false, code: 'WEBHOOK.SIGNATURE_MISSING', detail: `the ${SIGNATURE_HEADER} header is required` };
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === 't' && value && /^\d{1,12}$/.test(value)) timestamp = value;
    else if (name === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) {
    return { ok: false, code: 'WEBHOOK.SIGNATURE_MALFORMED', detail: `${SIGNATURE_HEADER} must read t=<unix seconds>,v1=<hex hmac>` };
  }
  const expected = hmac(secret, timestamp, rawBody);
  // Every candidate is compared (no early exit), each in constant time.
  const matched = signatures.reduce((found, candidate) => timingSafeEqual(candidate, expected) || found, false);
  if (!matched) return { ok: false, code: 'WEBHOOK.SIGNATURE_INVALID', detail: 'the signature does not match the body' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, code: 'WEBHOOK.TIMESTAMP_OUT_OF_TOLERANCE', detail: `the signature timestamp is more than ${toleranceSeconds} s from the server clock` };
  }
  return { ok: true };
}

const ProviderParams = z.object({ provider: z.enum(WEBHOOK_PROVIDERS).openapi({ param: { name: 'provider', in: 'path' } }) });

export const WalletEventSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits, _ . : or -')
      .openapi({ description: "The provider's event id; the same on every redelivery" }),
    type: z.enum(['payment.succeeded', 'payment.failed']),
    data: z.object({
      idempotencyKey: z.string().min(1).max(200).openapi({ description: 'The attempt id repayflow sent with the charge (`<planId>:<period>:<n>`)' }),
      amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({ description: 'Integer minor units' }),
      currency: z.enum(CURRENCIES),
      failureCode: z
        .string()
        .regex(/^[a-z0-9_]{1,64}$/, 'must be a decline code such as insufficient_funds')
        .optional(),
    }),
  })
  .refine((e) => e.type !== 'payment.failed' || e.data.failureCode !== undefined, { message: 'is required when type is payment.failed', path: ['data', 'failureCode'] })
  .openapi('WalletEvent', { description: 'Fields a provider adds later are ignored.' });

export const WebhookAckSchema = z
  .object({ received: z.literal(true), eventId: z.string(), outcome: z.enum(['applied', 'ignored']), duplicate: z.boolean() })
  .strict()
  .openapi('WebhookAck');

function requireSignature(deps: Pick<Deps, 'clock' | 'logger'>, options: WebhookOptions): MiddlewareHandler {
  return async function verifySignature(c, next) {
    if (!options.secret) {
      deps.logger.error('webhook refused: WEBHOOK_SECRET is not configured', { path: c.req.path });
      return problem(c, 503, { code: 'WEBHOOK.NOT_CONFIGURED', detail: 'webhooks are not configured on this deployment' });
    }
    const check = verifyWebhookSignature(c.req.header(SIGNATURE_HEADER), await c.req.text(), options.secret, deps.clock.now(), options.toleranceSeconds);
    if (!check.ok) {
      deps.logger.warn('webhook refused', { path: c.req.path, code: check.code });
      return problem(c, 401, { code: check.code, detail: check.detail });
    }
    return next();
  };
}

/**
 * Each event is processed once, whatever the provider: logged before it is handled, a repeat of
 * a processed one answered 200 with its first outcome, one still being processed 409; an event
 * whose handling fails is forgotten, so the provider's retry is processed.
 */
export async function processOnce(
  c: Context,
  deps: Pick<Deps, 'logger'>,
  options: WebhookOptions,
  event: { provider: WebhookProvider; eventId: string; type: string; bodyHash: string; sameBodyRequired: boolean; now: Date },
  handle: () => Promise<WebhookOutcome>,
) {
  const { provider, eventId } = event;
  const seen = await options.events.begin(provider, eventId, event.bodyHash, event.now);
  if (seen) {
    if (event.sameBodyRequired && seen.bodyHash !== event.bodyHash) {
      return problem(c, 409, { code: 'WEBHOOK.EVENT_CONFLICT', detail: `event ${eventId} was received before with other content` });
    }
    if (seen.status === 'processing') {
      return problem(c, 409, { code: 'WEBHOOK.IN_PROGRESS', detail: `event ${eventId} is being processed; retry later` });
    }
    deps.logger.info('webhook repeat ignored', { provider, eventId, outcome: seen.outcome });
    c.header('idempotent-replayed', 'true');
    return c.json({ received: true as const, eventId, outcome: seen.outcome, duplicate: true }, 200);
  }
  let outcome: WebhookOutcome;
  try {
    outcome = await handle();
    await options.events.complete(provider, eventId, outcome);
  } catch (err) {
    await options.events.release(provider, eventId);
    throw err;
  }
  deps.logger.info('webhook processed', { provider, eventId, type: event.type, outcome });
  return c.json({ received: true as const, eventId, outcome, duplicate: false }, 200);
}

/** The webhook routes (their OpenAPI entries included); mount with `app.route('/', …)`. */
export function webhookRoutes(deps: Pick<Deps, 'clock' | 'logger' | 'plans'>, options: WebhookOptions): ApiRouter {
  const app = createRouter();
  app.openAPIRegistry.registerComponent('securitySchemes', 'webhookSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Repayflow-Signature',
    description: 't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>; 300 s tolerance',
  });

  registerStripeWebhook(app, deps, options);
  registerAlipayWebhook(app, deps, options, processOnce);
  registerWechatPayWebhook(app, deps, options);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/{provider}',
      operationId: 'receiveWalletWebhook',
      tags: ['webhooks'],
      summary: 'Signed asynchronous payment result from a wallet provider',
      description: 'Authenticated by X-Repayflow-Signature, not by a token. Each event id is processed once: a repeat is answered 200 with duplicate: true and has no effect.',
      security: [{ webhookSignature: [] }],
      middleware: [requireSignature(deps, options)] as const,
      request: { params: ProviderParams, body: { content: { 'application/json': { schema: WalletEventSchema } }, required: true } },
      responses: {
        200: { content: { 'application/json': { schema: WebhookAckSchema } }, description: 'Received (also for a repeat, with duplicate: true)' },
        400: problemResponse('Signed, but not a valid event'),
        401: problemResponse('Missing, malformed, wrong or stale signature'),
        409: problemResponse('The event is still being processed, or its id was used with other content'),
        503: problemResponse('No webhook secret is configured'),
      },
    }),
    async (c) => {
      const { provider } = c.req.valid('param');
      const event = c.req.valid('json');
      const now = deps.clock.now();
      const bodyHash = createHash('sha256').update(JSON.stringify(event)).digest('hex');
      return processOnce(c, deps, options, { provider, eventId: event.id, type: event.type, bodyHash, sameBodyRequired: true, now }, () =>
        options.results.apply({
          provider,
          eventId: event.id,
          outcome: event.type === 'payment.succeeded' ? 'succeeded' : 'failed',
          idempotencyKey: event.data.idempotencyKey,
          amount: { amount: event.data.amount, currency: event.data.currency },
          ...(event.data.failureCode === undefined ? {} : { failureCode: event.data.failureCode }),
          receivedAt: now,
        }),
      );
    },
  );
  return app;
}

const StripeEventSchema = z
  .object({ id: z.string(), type: z.string(), data: z.object({ object: z.record(z.string(), z.unknown()) }) })
  .passthrough()
  .openapi('StripeEvent', { description: 'A Stripe event (https://docs.stripe.com/api/events/object), verified by its Stripe-Signature before it is read.' });

/** Refusals of the Stripe verifier → status and problem code. */
const STRIPE_REFUSALS: Record<string, { status: 400 | 401 | 503; code: string }> = {
  not_configured: { status: 503, code: 'WEBHOOK.NOT_CONFIGURED' },
  missing_signature: { status: 401, code: 'WEBHOOK.SIGNATURE_MISSING' },
  bad_signature: { status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' },
  expired: { status: 401, code: 'WEBHOOK.TIMESTAMP_OUT_OF_TOLERANCE' },
  malformed: { status: 400, code: 'WEBHOOK.EVENT_MALFORMED' },
};

type VerifiedStripeEvent = { eventId: string; type: string; attemptId?: string; setupId?: string; customerId?: string };

/** What a verified `payment_intent.*` event says about its attempt, beyond the attempt id. */
function paymentIntentHint(type: string, rawBody: string): Pick<WalletResult, 'outcome' | 'amount'> {
  const outcome = type === 'payment_intent.succeeded' ? 'succeeded' : type === 'payment_intent.payment_failed' ? 'failed' : undefined;
  let object: { amount?: unknown; currency?: unknown } = {};
  try {
    object = (JSON.parse(rawBody) as { data?: { object?: typeof object } }).data?.object ?? {};
  } catch {
    // The verifier parsed it already; nothing more to learn if this fails.
  }
  const currency = typeof object.currency === 'string' ? object.currency.toUpperCase() : undefined;
  const known = (CURRENCIES as readonly string[]).includes(currency ?? '');
  return {
    ...(outcome ? { outcome } : {}),
    ...(known && Number.isSafeInteger(object.amount) ? { amount: { amount: object.amount as number, currency: currency as (typeof CURRENCIES)[number] } } : {}),
  };
}

function registerStripeWebhook(app: ApiRouter, deps: Pick<Deps, 'clock' | 'logger'>, options: WebhookOptions): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'stripeSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'Stripe-Signature',
    description: "Stripe's webhook signature (t=<unix seconds>,v1=<hex HMAC-SHA256>) with the endpoint's signing secret; 300 s tolerance",
  });
  const verified = new WeakMap<Request, VerifiedStripeEvent>();

  const verifyStripeSignature: MiddlewareHandler = async (c, next) => {
    const rawBody = await c.req.text();
    const check = options.stripe
      ? await options.stripe(rawBody, c.req.header(STRIPE_SIGNATURE_HEADER), deps.clock.now())
      : ({ ok: false, code: 'not_configured', detail: 'Stripe is not configured on this deployment' } as const);
    if (!check.ok) {
      const refusal = STRIPE_REFUSALS[check.code] ?? { status: 401 as const, code: 'WEBHOOK.SIGNATURE_INVALID' };
      if (refusal.status === 503) deps.logger.error('Stripe webhook refused: Stripe is not configured', { path: c.req.path });
      else deps.logger.warn('Stripe webhook refused', { path: c.req.path, code: check.code });
      return problem(c, refusal.status, { code: refusal.code, detail: check.detail });
    }
    verified.set(c.req.raw, {
      eventId: check.eventId,
      type: check.type,
      ...(check.attemptId ? { attemptId: check.attemptId } : {}),
      ...(check.setupId ? { setupId: check.setupId } : {}),
      ...(check.customerId ? { customerId: check.customerId } : {}),
    });
    return next();
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/stripe',
      operationId: 'receiveStripeWebhook',
      tags: ['webhooks'],
      summary: 'Signed event from Stripe',
      description:
        'Register this URL in the Stripe dashboard with the events payment_intent.succeeded, payment_intent.payment_failed, payment_intent.canceled and setup_intent.succeeded. Authenticated by Stripe-Signature, not by a token. Each event id is processed once; a repeat is answered 200 with duplicate: true.',
      security: [{ stripeSignature: [] }],
      middleware: [verifyStripeSignature] as const,
      request: { body: { content: { 'application/json': { schema: StripeEventSchema } }, required: true } },
      responses: {
        200: {
          content: { 'application/json': { schema: WebhookAckSchema } },
          description: 'Received (also for a repeat, with duplicate: true, and for event types repayflow does not act on)',
        },
        400: problemResponse('Signed, but not a Stripe event'),
        401: problemResponse('Missing, wrong or stale Stripe-Signature'),
        409: problemResponse('The event is still being processed, or its id was used with other content'),
        503: problemResponse('Stripe is not configured on this deployment'),
      },
    }),
    async (c) => {
      const event = verified.get(c.req.raw);
      if (!event) throw new Error('the Stripe webhook route ran without its signature check');
      const provider = 'stripe' as const;
      const rawBody = await c.req.text();
      const now = deps.clock.now();
      const bodyHash = createHash('sha256').update(rawBody).digest('hex');
      // Stripe re-signs every delivery, so a redelivery's bytes may differ: the event id decides.
      return processOnce(c, deps, options, { provider, eventId: event.eventId, type: event.type, bodyHash, sameBodyRequired: false, now }, async () => {
        if (event.type.startsWith('payment_intent.') && event.attemptId) {
          return options.results.apply({ provider, eventId: event.eventId, idempotencyKey: event.attemptId, ...paymentIntentHint(event.type, rawBody), receivedAt: now });
        }
        if (event.type === 'setup_intent.succeeded' && event.setupId && event.customerId) {
          return (options.bindings ?? ignoreBindingHints).apply(provider, event.setupId, event.customerId);
        }
        return 'ignored';
      });
    },
  );
}

const unreachable = () => Promise.reject(new Error('webhooks are not configured'));

/** For an API built without webhook settings: the route exists (and is documented) but answers 503. */
export const webhooksNotConfigured: WebhookOptions = {
  secret: undefined,
  events: { begin: unreachable, complete: unreachable, release: unreachable },
  results: ignoreWalletResults,
};
