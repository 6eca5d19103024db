/**
 * The payment providers' keys. Locally they are environment variables; on AWS one Secrets
 * Manager secret holds them as a JSON object with the same names (see docs/deploy-to-aws.md),
 * and both are checked here by the same rules.
 *
 * A provider with none of its keys is simply not configured: its method types are unavailable
 * and the others work. A provider with some keys but not all, or with a key of the wrong form,
 * stops the function at start-up with a message naming the variable (never its value).
 */
import { ENV } from './env.ts';

export interface StripeKeys {
  secretKey: string;
  webhookSecret: string;
  publishableKey?: string;
  /** A base URL such as `http://127.0.0.1:12111` (a fake); Stripe's own API otherwise. */
  apiBase?: string;
}

/** The Alipay agreement-deduction adapter's keys (商家扣款, shared/adapters/gateway/alipay/). */
export interface AlipayKeys {
  appId: string;
  privateKey: string;
  publicKey: string;
  gateway: string;
  /** Where Alipay posts its notifications; without it the status checks alone settle debits. */
  notifyUrl?: string;
  /** The portal's origin, where the signing page sends the customer back. */
  returnOrigin?: string;
}

/** WeChat Pay papay (委托代扣) v3: shared/adapters/gateway/wechat-pay/. */
export interface WechatPayKeys {
  mchId: string;
  appId: string;
  serial: string;
  privateKey: string;
  apiV3Key: string;
  platformPublicKey: string;
  /** The platform public key's id (`PUB_KEY_ID_…`), as WeChat Pay names it in `Wechatpay-Serial`. */
  platformSerial: string;
  /** The contract template (plan_id). */
  planId: string;
  /** Where WeChat Pay sends contract and payment notifications (our `/v1/webhooks/wechat-pay`). */
  notifyUrl: string;
  base: string;
}

export interface ProviderKeys {
  stripe?: StripeKeys;
  alipay?: AlipayKeys;
  wechatPay?: WechatPayKeys;
}

export const ALIPAY_GATEWAY_DEFAULT = 'https://openapi.alipay.com/gateway.do';
export const WECHATPAY_BASE_DEFAULT = 'https://api.mch.weixin.qq.com';

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(`invalid configuration: ${message}`);
    this.name = 'ConfigurationError';
  }
}

type Check = { test: (value: string) => boolean; expected: string };

const pattern = (re: RegExp, expected: string): Check => ({ test: (v) => re.test(v), expected });
const url: Check = {
  test: (v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  },
  expected: 'an http(s) URL',
};
const pem: Check = pattern(/^(-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----\s*|[A-Za-z0-9+/=\s]{64,})$/, 'a PEM key or its base64 body');

/** Each provider's variables: which are required once any is set, and the form of each. */
const PROVIDERS = {
  stripe: {
    required: { secretKey: ENV.stripeSecretKey, webhookSecret: ENV.stripeWebhookSecret },
    optional: { publishableKey: ENV.stripePublishableKey, apiBase: ENV.stripeApiBase },
    checks: {
      [ENV.stripeSecretKey]: pattern(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, 'a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)'),
      [ENV.stripeWebhookSecret]: pattern(/^whsec_[A-Za-z0-9_]+$/, "the endpoint's signing secret (whsec_…)"),
      [ENV.stripePublishableKey]: pattern(/^pk_(test|live)_[A-Za-z0-9_]+$/, 'a publishable key (pk_test_… or pk_live_…)'),
      [ENV.stripeApiBase]: url,
    },
  },
  alipay: {
    required: { appId: ENV.alipayAppId, privateKey: ENV.alipayPrivateKey, publicKey: ENV.alipayPublicKey },
    optional: { gateway: ENV.alipayGateway, notifyUrl: ENV.alipayNotifyUrl, returnOrigin: ENV.alipayReturnOrigin },
    checks: {
      [ENV.alipayAppId]: pattern(/^\d{16}$/, 'the 16-digit APPID'),
      [ENV.alipayPrivateKey]: pem,
      [ENV.alipayPublicKey]: pem,
      // http too: a sandbox or a local fake (as STRIPE_API_BASE).
      [ENV.alipayGateway]: url,
      [ENV.alipayNotifyUrl]: url,
      [ENV.alipayReturnOrigin]: url,
    },
  },
  wechatPay: {
    required: {
      mchId: ENV.wechatPayMchId,
      appId: ENV.wechatPayAppId,
      serial: ENV.wechatPaySerial,
      privateKey: ENV.wechatPayPrivateKey,
      apiV3Key: ENV.wechatPayApiV3Key,
      platformPublicKey: ENV.wechatPayPlatformPublicKey,
      platformSerial: ENV.wechatPayPlatformSerial,
      planId: ENV.wechatPayPlanId,
      notifyUrl: ENV.wechatPayNotifyUrl,
    },
    optional: { base: ENV.wechatPayBase },
    checks: {
      [ENV.wechatPayMchId]: pattern(/^\d{8,12}$/, 'the merchant id (digits)'),
      [ENV.wechatPayAppId]: pattern(/^wx[0-9a-f]{16}$/i, 'an AppID (wx…)'),
      [ENV.wechatPaySerial]: pattern(/^[0-9A-F]{8,64}$/i, "the merchant certificate's serial number (hex)"),
      [ENV.wechatPayPrivateKey]: pem,
      [ENV.wechatPayApiV3Key]: pattern(/^[A-Za-z0-9]{32}$/, '32 letters or digits'),
      [ENV.wechatPayPlatformPublicKey]: pem,
      [ENV.wechatPayPlatformSerial]: pattern(/^[A-Za-z0-9_]{8,64}$/, "the platform public key's id (PUB_KEY_ID_…) or certificate serial"),
      [ENV.wechatPayPlanId]: pattern(/^\d{1,12}$/, 'the contract template id (digits)'),
      [ENV.wechatPayNotifyUrl]: url,
      // Any http(s) base, like STRIPE_API_BASE: a local fake listens on http://127.0.0.1.
      [ENV.wechatPayBase]: url,
    },
  },
} as const;

/** Every provider key name, e.g. to pass them through to the local stack or to list a secret's fields. */
export const PROVIDER_KEY_NAMES: readonly string[] = Object.values(PROVIDERS).flatMap((p) => [...Object.values(p.required), ...Object.values(p.optional)]);

/**
 * Reads the providers' keys from `source` (the environment, or the secret's JSON object);
 * `origin` says where they came from in error messages.
 */
export function parseProviderKeys(source: Record<string, unknown>, origin: string): ProviderKeys {
  const value = (name: string): string | undefined => {
    const raw = source[name];
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw !== 'string') throw new ConfigurationError(`${name} (${origin}) must be a string`);
    const trimmed = raw.trim();
    const check = (Object.values(PROVIDERS).find((p) => name in p.checks)?.checks as Record<string, Check> | undefined)?.[name];
    if (check && !check.test(trimmed)) throw new ConfigurationError(`${name} (${origin}) must be ${check.expected}`);
    return trimmed;
  };
  const read = <K extends keyof typeof PROVIDERS>(provider: K): Record<string, string> | undefined => {
    const { required, optional } = PROVIDERS[provider];
    const present = Object.entries(required).filter(([, name]) => value(name) !== undefined);
    if (present.length === 0) return undefined;
    const missing = Object.values(required).filter((name) => value(name) === undefined);
    if (missing.length > 0) {
      throw new ConfigurationError(`${missing.join(', ')} (${origin}) ${missing.length === 1 ? 'is' : 'are'} required with ${present.map(([, n]) => n).join(', ')}`);
    }
    const out: Record<string, string> = {};
    for (const [field, name] of Object.entries({ ...required, ...optional })) {
      const v = value(name);
      if (v !== undefined) out[field] = v;
    }
    return out;
  };

  const keys: ProviderKeys = {};
  const stripe = read('stripe') as StripeKeys | undefined;
  if (stripe) {
    const mode = (key: string) => (/_live_/.test(key) ? 'live' : 'test');
    if (stripe.publishableKey !== undefined && mode(stripe.publishableKey) !== mode(stripe.secretKey)) {
      throw new ConfigurationError(
        `${ENV.stripePublishableKey} (${origin}) is a ${mode(stripe.publishableKey)}-mode key but ${ENV.stripeSecretKey} is ${mode(stripe.secretKey)}-mode`,
      );
    }
    keys.stripe = stripe;
  }
  const alipay = read('alipay');
  if (alipay) keys.alipay = { gateway: ALIPAY_GATEWAY_DEFAULT, ...alipay } as AlipayKeys;
  const wechatPay = read('wechatPay');
  if (wechatPay) keys.wechatPay = { base: WECHATPAY_BASE_DEFAULT, ...wechatPay } as WechatPayKeys;
  return keys;
}

/** The provider keys (not the URLs) set in `source`: the environment must hold none when a secret does. */
export function providerKeysIn(source: Record<string, unknown>): string[] {
  return Object.values(PROVIDERS)
    .flatMap((p) => Object.values(p.required) as string[])
    .filter((name) => source[name] !== undefined && source[name] !== '');
}
