/**
 * The real providers' adapters, loaded only when their keys are configured (so a function
 * without Stripe keys never pays for the Stripe SDK's start-up).
 */

import type { AlipayNotifyCheck } from '../../shared/adapters/gateway/alipay/alipay-notify.ts';
import type { StripeWebhookCheck } from '../../shared/adapters/gateway/stripe/stripe-webhook.ts';
import type { WechatPayNotificationCheck, WechatPayNotificationHeaders } from '../../shared/adapters/gateway/wechat-pay/wechat-pay-notification.ts';
import type { AlipayKeys, StripeKeys, WechatPayKeys } from '../../shared/config/payment-providers.ts';
import type { Clock } from '../../shared/ports/clock.port.ts';
import type { ProviderGateway } from '../../shared/ports/payment-gateway.port.ts';

export type { AlipayNotifyCheck, StripeWebhookCheck, WechatPayNotificationCheck, WechatPayNotificationHeaders };

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

export async function alipayGateway(keys: AlipayKeys, clock: Clock): Promise<ProviderGateway> {
  const { AlipayGateway } = await import('../../shared/adapters/gateway/alipay/alipay-gateway.ts');
  return new AlipayGateway({
    appId: keys.appId,
    privateKey: keys.privateKey,
    alipayPublicKey: keys.publicKey,
    gateway: keys.gateway,
    ...(keys.notifyUrl === undefined ? {} : { notifyUrl: keys.notifyUrl }),
    ...(keys.returnOrigin === undefined ? {} : { returnOrigin: keys.returnOrigin }),
    clock,
  });
}

/** A verifier of Alipay notifications for these keys (one SDK client per set of keys). */
const alipayVerifiers = new Map<string, (rawBody: string) => AlipayNotifyCheck>();
export async function alipayNotifyVerifier(keys: AlipayKeys): Promise<(rawBody: string) => AlipayNotifyCheck> {
  const id = JSON.stringify([keys.appId, keys.publicKey, keys.privateKey]);
  const cached = alipayVerifiers.get(id);
  if (cached) return cached;
  const [{ alipaySdk }, { verifyAlipayNotify }] = await Promise.all([
    import('../../shared/adapters/gateway/alipay/alipay-gateway.ts'),
    import('../../shared/adapters/gateway/alipay/alipay-notify.ts'),
  ]);
  const sdk = alipaySdk({ appId: keys.appId, privateKey: keys.privateKey, alipayPublicKey: keys.publicKey, gateway: keys.gateway });
  const verify = (rawBody: string) => verifyAlipayNotify(rawBody, sdk, keys.appId);
  alipayVerifiers.clear();
  alipayVerifiers.set(id, verify);
  return verify;
}

export async function wechatPayGateway(keys: WechatPayKeys, clock: Clock): Promise<ProviderGateway> {
  const { WechatPayGateway } = await import('../../shared/adapters/gateway/wechat-pay/wechat-pay-gateway.ts');
  return new WechatPayGateway({ ...keys, clock });
}

export async function wechatPayNotificationVerifier(): Promise<
  typeof import('../../shared/adapters/gateway/wechat-pay/wechat-pay-notification.ts')['verifyWechatPayNotification']
> {
  const { verifyWechatPayNotification } = await import('../../shared/adapters/gateway/wechat-pay/wechat-pay-notification.ts');
  return verifyWechatPayNotification;
}
