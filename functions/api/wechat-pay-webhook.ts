/**
 * `POST /v1/webhooks/wechat-pay`: WeChat Pay's notifications (payment results `TRANSACTION.*`,
 * contract signing `PAPAY.*`). Checked before anything is read: the platform signature over the
 * raw body (`Wechatpay-Signature`, `-Timestamp`, `-Nonce`, `-Serial`; 300 s tolerance), then the
 * resource decrypted with AEAD_AES_256_GCM under the APIv3 key
 * (shared/adapters/gateway/wechat-pay/wechat-pay-notification.ts). Each notification id is
 * processed once through the shared event log (`processOnce`). A notification is a hint: a
 * payment's triggers the status query by out_trade_no that settles the attempt, a signing's the
 * contract query that activates the method. WeChat takes any 2xx as received and retries on
 * anything else, so a notification whose handling fails is answered 5xx and comes again.
 */
import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { ignoreBindingHints } from '../../shared/adapters/webhooks/ignore-wallet-results.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { CURRENCIES } from '../../shared/domain/money.ts';
import type { WechatPayNotificationCheck } from '../_wrappers/provider-adapters.ts';
import type { ApiRouter } from './openapi-helpers.ts';
import { problem } from './problem.ts';
import { ProblemSchema } from './schema.ts';
import { processOnce, WebhookAckSchema, type WebhookOptions } from './webhooks.ts';

type Verified = Extract<WechatPayNotificationCheck, { ok: true }>;

/** Refusals of the verifier → status and problem code. */
const REFUSALS: Record<string, { status: 400 | 401 | 503; code: string }> = {
  not_configured: { status: 503, code: 'WEBHOOK.NOT_CONFIGURED' },
  missing_signature: { status: 401, code: 'WEBHOOK.SIGNATURE_MISSING' },
  bad_signature: { status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' },
  expired: { status: 401, code: 'WEBHOOK.TIMESTAMP_OUT_OF_TOLERANCE' },
  malformed: { status: 400, code: 'WEBHOOK.EVENT_MALFORMED' },
  undecryptable: { status: 401, code: 'WEBHOOK.EVENT_UNDECRYPTABLE' },
};

const NotificationSchema = z
  .object({ id: z.string(), event_type: z.string(), resource: z.record(z.string(), z.unknown()) })
  .passthrough()
  .openapi('WechatPayNotification', {
    description: 'A WeChat Pay notification; its resource is encrypted (AEAD_AES_256_GCM) and read only after the platform signature is verified.',
  });

const problemResponse = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });

export function registerWechatPayWebhook(app: ApiRouter, deps: Pick<Deps, 'clock' | 'logger'>, options: WebhookOptions): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'wechatPaySignature', {
    type: 'apiKey',
    in: 'header',
    name: 'Wechatpay-Signature',
    description: 'SHA256withRSA over "timestamp\\nnonce\\nbody\\n" with the platform key named by Wechatpay-Serial; Wechatpay-Timestamp within 300 s',
  });
  const verified = new WeakMap<Request, Verified>();

  const verifyNotification: MiddlewareHandler = async (c, next) => {
    const rawBody = await c.req.text();
    const headers = {
      timestamp: c.req.header('wechatpay-timestamp'),
      nonce: c.req.header('wechatpay-nonce'),
      signature: c.req.header('wechatpay-signature'),
      serial: c.req.header('wechatpay-serial'),
    };
    const check = options.wechatPay
      ? await options.wechatPay(rawBody, headers, deps.clock.now())
      : ({ ok: false, code: 'not_configured', detail: 'WeChat Pay is not configured on this deployment' } as const);
    if (!check.ok) {
      const refusal = REFUSALS[check.code] ?? { status: 401 as const, code: 'WEBHOOK.SIGNATURE_INVALID' };
      if (refusal.status === 503) deps.logger.error('WeChat Pay notification refused: WeChat Pay is not configured', { path: c.req.path });
      else deps.logger.warn('WeChat Pay notification refused', { path: c.req.path, code: check.code });
      return problem(c, refusal.status, { code: refusal.code, detail: check.detail });
    }
    verified.set(c.req.raw, check);
    return next();
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/wechat-pay',
      summary: 'Signed notification from WeChat Pay',
      description:
        "Configure this URL as WECHATPAY_NOTIFY_URL (payment and contract notifications). Authenticated by WeChat Pay's platform signature, not by a token; the resource is decrypted with the APIv3 key. Each notification id is processed once; a repeat is answered 200 with duplicate: true.",
      security: [{ wechatPaySignature: [] }],
      middleware: [verifyNotification] as const,
      request: { body: { content: { 'application/json': { schema: NotificationSchema } }, required: true } },
      responses: {
        200: { content: { 'application/json': { schema: WebhookAckSchema } }, description: 'Received (also for a repeat, and for event types repayflow does not act on)' },
        400: problemResponse('Signed, but not a WeChat Pay notification'),
        401: problemResponse('Missing, wrong or stale signature, or a resource that does not decrypt'),
        409: problemResponse('The notification is still being processed'),
        503: problemResponse('WeChat Pay is not configured on this deployment'),
      },
    }),
    async (c) => {
      const event = verified.get(c.req.raw);
      if (!event) throw new Error('the WeChat Pay webhook route ran without its signature check');
      const provider = 'wechat_pay' as const;
      const now = deps.clock.now();
      const bodyHash = createHash('sha256')
        .update(await c.req.text())
        .digest('hex');
      return processOnce(c, deps, options, { provider, eventId: event.eventId, type: event.eventType, bodyHash, sameBodyRequired: false, now }, async () => {
        if (event.eventType.startsWith('TRANSACTION.') && event.attemptId) {
          const currency = (CURRENCIES as readonly string[]).includes(event.currency ?? '') ? (event.currency as (typeof CURRENCIES)[number]) : undefined;
          return options.results.apply({
            provider,
            eventId: event.eventId,
            idempotencyKey: event.attemptId,
            ...(event.eventType === 'TRANSACTION.SUCCESS' ? { outcome: 'succeeded' as const } : {}),
            ...(event.amount !== undefined && currency ? { amount: { amount: event.amount, currency } } : {}),
            receivedAt: now,
          });
        }
        if (event.eventType === 'PAPAY.SIGN' && event.setupId && event.customerId) return (options.bindings ?? ignoreBindingHints).apply(provider, event.setupId, event.customerId);
        return 'ignored';
      });
    },
  );
}
