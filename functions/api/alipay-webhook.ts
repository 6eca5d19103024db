/**
 * `POST /v1/webhooks/alipay`: Alipay's asynchronous notifications (form-encoded, RSA2-signed
 * with Alipay's key, https://opendocs.alipay.com/open/270/105902), verified with Alipay's
 * public key before anything is read, through the same event log as every webhook (one
 * processing per `notify_id`).
 *
 * A notification is a hint. `trade_status_sync` names the attempt behind `out_trade_no`: the
 * attempt is settled from our own `alipay.trade.query`, and the answer is `success` (the
 * only text that stops Alipay's redeliveries) only once that query has recorded the result;
 * while the attempt is still open the answer is `fail`, the event is forgotten and Alipay's
 * next delivery is processed. `dut_user_sign` completes the binding of the setup behind
 * `external_agreement_no` from `alipay.user.agreement.query`.
 */
import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { ignoreBindingHints } from '../../shared/adapters/webhooks/ignore-wallet-results.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { planIdOfChargeKey } from '../../shared/domain/reconciliation.ts';
import type { WebhookOutcome } from '../../shared/ports/webhook.port.ts';
import type { AlipayNotifyCheck } from '../_wrappers/provider-adapters.ts';
import type { ApiRouter } from './openapi-helpers.ts';
import { problem } from './problem.ts';
import { ProblemSchema } from './schema.ts';
import type { WebhookOptions } from './webhooks.ts';

type ProcessOnce = (
  c: Context,
  deps: Pick<Deps, 'logger'>,
  options: WebhookOptions,
  event: { provider: 'alipay'; eventId: string; type: string; bodyHash: string; sameBodyRequired: boolean; now: Date },
  handle: () => Promise<WebhookOutcome>,
) => Promise<Response>;

/** The attempt is still open after the hint: Alipay must deliver again. */
class StillOpen extends Error {
  constructor(attemptId: string) {
    super(`attempt ${attemptId} is not settled yet`);
    this.name = 'StillOpen';
  }
}

const REFUSALS: Record<string, { status: 400 | 401 | 503; code: string }> = {
  not_configured: { status: 503, code: 'WEBHOOK.NOT_CONFIGURED' },
  bad_signature: { status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' },
  wrong_app: { status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' },
  malformed: { status: 400, code: 'WEBHOOK.EVENT_MALFORMED' },
};

const problemResponse = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });

export function registerAlipayWebhook(app: ApiRouter, deps: Pick<Deps, 'clock' | 'logger' | 'plans'>, options: WebhookOptions, processOnce: ProcessOnce): void {
  const verified = new WeakMap<Request, AlipayNotifyCheck & { ok: true }>();

  const verifyAlipaySignature: MiddlewareHandler = async (c, next) => {
    const check = options.alipay
      ? await options.alipay(await c.req.text())
      : ({ ok: false, code: 'not_configured', detail: 'Alipay is not configured on this deployment' } as const);
    if (!check.ok) {
      const refusal = REFUSALS[check.code] ?? { status: 401 as const, code: 'WEBHOOK.SIGNATURE_INVALID' };
      if (refusal.status === 503) deps.logger.error('Alipay notification refused: Alipay is not configured', { path: c.req.path });
      else deps.logger.warn('Alipay notification refused', { path: c.req.path, code: check.code });
      return problem(c, refusal.status, { code: refusal.code, detail: check.detail });
    }
    verified.set(c.req.raw, check);
    return next();
  };

  app.openAPIRegistry.registerComponent('securitySchemes', 'alipaySignature', {
    type: 'apiKey',
    in: 'query',
    name: 'sign',
    description: "RSA2 (SHA256withRSA) over the notification's other fields sorted by name, verified with Alipay's public key (the `sign` and `sign_type` fields of the form body)",
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/alipay',
      security: [{ alipaySignature: [] }],
      summary: 'Signed notification from Alipay',
      description:
        "Alipay's asynchronous notifications (trade_status_sync, dut_user_sign, dut_user_unsign), form-encoded and verified with Alipay's public key. Answers `success` once the result is recorded from repayflow's own query, `fail` while it is not (Alipay delivers again).",
      middleware: [verifyAlipaySignature] as const,
      request: { body: { content: { 'application/x-www-form-urlencoded': { schema: z.record(z.string(), z.string()).openapi('AlipayNotification') } }, required: true } },
      responses: {
        200: {
          content: { 'text/plain': { schema: z.string().openapi({ example: 'success' }) } },
          description: '`success`: processed (also for a repeat and for notification types repayflow does not act on); `fail`: not settled yet, deliver again',
        },
        400: problemResponse('Signed, but not an Alipay notification'),
        401: problemResponse("Missing or wrong signature (not Alipay's key, or another application)"),
        409: problemResponse('The notification is being processed'),
        503: problemResponse('Alipay is not configured on this deployment'),
      },
    }),
    async (c) => {
      const notice = verified.get(c.req.raw);
      if (!notice) throw new Error('the Alipay webhook route ran without its signature check');
      const provider = 'alipay' as const;
      const rawBody = await c.req.text();
      const now = deps.clock.now();
      const bodyHash = createHash('sha256').update(rawBody).digest('hex');
      let answer: Response;
      try {
        answer = await processOnce(c, deps, options, { provider, eventId: notice.notifyId, type: notice.notifyType, bodyHash, sameBodyRequired: false, now }, async () => {
          if (notice.notifyType === 'trade_status_sync' && notice.attemptId) {
            const outcome = await options.results.apply({
              provider,
              eventId: notice.notifyId,
              idempotencyKey: notice.attemptId,
              ...(notice.tradeStatus === 'TRADE_SUCCESS' || notice.tradeStatus === 'TRADE_FINISHED'
                ? { outcome: 'succeeded' as const }
                : notice.tradeStatus === 'TRADE_CLOSED'
                  ? { outcome: 'failed' as const }
                  : {}),
              ...(notice.amount === undefined ? {} : { amount: { amount: notice.amount, currency: 'CNY' as const } }),
              receivedAt: now,
            });
            const planId = planIdOfChargeKey(notice.attemptId);
            const record = planId ? await deps.plans.getRepayment(planId, notice.attemptId) : undefined;
            if (!record || record.status === 'pending') throw new StillOpen(notice.attemptId);
            return outcome;
          }
          if (notice.notifyType === 'dut_user_sign' && notice.setupId && notice.customerId) {
            return (options.bindings ?? ignoreBindingHints).apply(provider, notice.setupId, notice.customerId);
          }
          return 'ignored';
        });
      } catch (error) {
        if (!(error instanceof StillOpen)) throw error;
        deps.logger.info('Alipay notification left for redelivery', { notifyId: notice.notifyId, reason: error.message });
        return c.text('fail', 200);
      }
      // A 409 (the same notification being processed elsewhere) tells Alipay to come back.
      if (answer.status !== 200) return answer as never;
      return c.text('success', 200);
    },
  );
}
