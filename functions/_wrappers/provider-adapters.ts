/**
 * The real providers' adapters, loaded only when their keys are configured (so a function
 * without Stripe keys never pays for the Stripe SDK's start-up).
 */
import type { StripeKeys, WechatPayKeys } from '../../shared/config/payment-providers.ts';
import type { Clock } from '../../shared/ports/clock.port.ts';
import type { ProviderGateway } from '../../shared/ports/payment-gateway.port.ts';
import type { StripeWebhookCheck } from '../../shared/adapters/gateway/stripe/stripe-webhook.ts';
import type { WechatPayNotificationCheck, WechatPayNotificationHeaders } from '../../shared/adapters/gateway/wechat-pay/wechat-pay-notification.ts';

export type { StripeWebhookCheck, WechatPayNotificationCheck, WechatPayNotificationHeaders };

export async function stripeGateway(keys: StripeKeys, clock: Clock): Promise<ProviderGateway> {
  const { StripeGateway } = await import('../../shared/adapters/gateway/stripe/stripe-gateway.ts');
  return new StripeGateway({
    secretKey: keys.secretKey,
    ...(keys.apiBase === undefined ? {} : { apiBase: keys.apiBase }),
    ...(keys.publishableKey === undefined ? {} : { publishableKey: keys.publishableKey }),
    clock,
  });
}

export async function stripeWebhookVerifier(): Promise<(rawBody: string, signatureHeader: string | undefined, webhookSecret: string, now: Date) => StripeWebhookCheck> {
  const { verifyStripeWebhook } = await import('../../shared/adapters/gateway/stripe/stripe-webhook.ts');
  return verifyStripeWebhook;
}

export async function wechatPayGateway(keys: WechatPayKeys, clock: Clock): Promise<ProviderGateway> {
  const { WechatPayGateway } = await import('../../shared/adapters/gateway/wechat-pay/wechat-pay-gateway.ts');
  return new WechatPayGateway({ ...keys, clock });
}

export async function wechatPayNotificationVerifier(): Promise<(typeof import('../../shared/adapters/gateway/wechat-pay/wechat-pay-notification.ts'))['verifyWechatPayNotification']> {
  const { verifyWechatPayNotification } = await import('../../shared/adapters/gateway/wechat-pay/wechat-pay-notification.ts');
  return verifyWechatPayNotification;
}
