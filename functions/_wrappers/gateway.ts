/**
 * The payment gateway every composition root uses: `paymentGateway(config, clock)`.
 *
 * - `PAYMENT_GATEWAY=simulated`: the simulated provider (local default). It exists only in
 *   builds made for it: infra/aws/bundle.ts defines `process.env.REPAYFLOW_SIMULATED_GATEWAY`
 *   as "excluded" for a stage that does not allow it, the branch below folds to nothing and
 *   the simulated gateway's module is never bundled (test/infra/bundles.test.ts checks).
 * - `PAYMENT_GATEWAY=providers`: the real providers whose keys are configured, read from the
 *   environment locally and, on AWS, from the Secrets Manager secret `PAYMENT_SECRETS_ARN`
 *   names, at run time through Powertools Parameters (cached for SECRET_MAX_AGE_SECONDS, so a
 *   key put into the secret is used within that time without a redeployment).
 *
 * A method type whose provider has no keys is unavailable (`providerFor` answers undefined);
 * the others work.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ProviderRouter } from '../../shared/adapters/gateway/provider-router.ts';
import type { Config } from '../../shared/config/config.ts';
import { ENV } from '../../shared/config/env.ts';
import { type AlipayKeys, ConfigurationError, type ProviderKeys, parseProviderKeys, type StripeKeys, type WechatPayKeys } from '../../shared/config/payment-providers.ts';
import type { Clock } from '../../shared/ports/clock.port.ts';
import type { PaymentGateway, ProviderGateway } from '../../shared/ports/payment-gateway.port.ts';
import type { StripeWebhookCheck, WechatPayNotificationCheck, WechatPayNotificationHeaders } from './provider-adapters.ts';
import * as adapters from './provider-adapters.ts';

/** How long a read of the provider secret is reused before Secrets Manager is asked again. */
export const SECRET_MAX_AGE_SECONDS = 300;

/** Builds one provider's adapter from its keys (tests replace them with fakes). */
export interface ProviderFactories {
  stripe(keys: StripeKeys, clock: Clock): Promise<ProviderGateway>;
  alipay?(keys: AlipayKeys, clock: Clock): Promise<ProviderGateway>;
  wechatPay?(keys: WechatPayKeys, clock: Clock): Promise<ProviderGateway>;
}

export const realProviders: ProviderFactories = { stripe: adapters.stripeGateway, alipay: adapters.alipayGateway, wechatPay: adapters.wechatPayGateway };

async function simulatedGateway(clock: Clock): Promise<ProviderGateway> {
  // Written out inline so that esbuild folds the condition at build time.
  if (process.env.REPAYFLOW_SIMULATED_GATEWAY !== 'excluded') {
    const { SimulatedGateway } = await import('../../shared/adapters/gateway/simulated-gateway.ts');
    return new SimulatedGateway(clock);
  }
  throw new ConfigurationError(`${ENV.gateway}=simulated, but this deployment was built without the simulated gateway; use ${ENV.gateway}=providers`);
}

/** The provider keys: from the environment, or from the secret (JSON object) when one is named. */
export async function providerKeys(config: Pick<Config, 'paymentSecretsArn' | 'providerKeys'>): Promise<ProviderKeys> {
  const secretId = config.paymentSecretsArn;
  if (secretId === undefined) return config.providerKeys;
  let value: unknown;
  try {
    value = await getSecret(secretId, { transform: 'json', maxAge: SECRET_MAX_AGE_SECONDS });
  } catch (err) {
    // The transform's error would quote the value; this names the secret only.
    if (err instanceof Error && err.name === 'TransformParameterError') {
      throw new ConfigurationError(`the secret ${ENV.paymentSecretsArn} names must hold a JSON object of provider keys`);
    }
    throw err;
  }
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigurationError(`the secret ${ENV.paymentSecretsArn} names must hold a JSON object of provider keys`);
  }
  return parseProviderKeys(value as Record<string, unknown>, `secret ${ENV.paymentSecretsArn}`);
}

async function providerRouter(keys: ProviderKeys, clock: Clock, factories: ProviderFactories): Promise<ProviderRouter> {
  const gateways: ProviderGateway[] = [];
  if (keys.stripe) gateways.push(await factories.stripe(keys.stripe, clock));
  if (keys.alipay) gateways.push(await (factories.alipay ?? adapters.alipayGateway)(keys.alipay, clock));
  if (keys.wechatPay) gateways.push(await (factories.wechatPay ?? adapters.wechatPayGateway)(keys.wechatPay, clock));
  return new ProviderRouter(gateways);
}

/**
 * The router over the configured providers, rebuilt when the keys in the secret change. Use
 * cases call an async method first, which refreshes it; the sync ones answer from the last read.
 */
class ConfiguredProviders implements PaymentGateway {
  #router: ProviderRouter;
  #fingerprint: string;

  private constructor(
    router: ProviderRouter,
    fingerprint: string,
    private readonly load: () => Promise<ProviderKeys>,
    private readonly build: (keys: ProviderKeys) => Promise<ProviderRouter>,
  ) {
    this.#router = router;
    this.#fingerprint = fingerprint;
  }

  static async create(load: () => Promise<ProviderKeys>, build: (keys: ProviderKeys) => Promise<ProviderRouter>): Promise<ConfiguredProviders> {
    const keys = await load();
    return new ConfiguredProviders(await build(keys), JSON.stringify(keys), load, build);
  }

  async #current(): Promise<ProviderRouter> {
    const keys = await this.load();
    const fingerprint = JSON.stringify(keys);
    if (fingerprint !== this.#fingerprint) {
      this.#router = await this.build(keys);
      this.#fingerprint = fingerprint;
    }
    return this.#router;
  }

  providerFor: PaymentGateway['providerFor'] = (methodType) => this.#router.providerFor(methodType);
  providers: PaymentGateway['providers'] = () => this.#router.providers();
  charge: PaymentGateway['charge'] = async (request) => (await this.#current()).charge(request);
  status: PaymentGateway['status'] = async (query) => (await this.#current()).status(query);
  cancel: PaymentGateway['cancel'] = async (query) => (await this.#current()).cancel(query);
  startSetup: PaymentGateway['startSetup'] = async (provider, request) => (await this.#current()).startSetup(provider, request);
  setupStatus: PaymentGateway['setupStatus'] = async (provider, setupId) => (await this.#current()).setupStatus(provider, setupId);
  verifyToken: PaymentGateway['verifyToken'] = async (provider, input) => (await this.#current()).verifyToken(provider, input);
  captures: PaymentGateway['captures'] = async (provider, from, to) => (await this.#current()).captures(provider, from, to);
  listingLag: PaymentGateway['listingLag'] = (provider) => this.#router.listingLag(provider);
  release: PaymentGateway['release'] = async (provider, input) => (await this.#current()).release(provider, input);
  needsPreDebitNotice: PaymentGateway['needsPreDebitNotice'] = (provider) => this.#router.needsPreDebitNotice(provider);
  preDebitNotice: PaymentGateway['preDebitNotice'] = async (provider, request) => (await this.#current()).preDebitNotice(provider, request);
}

export interface GatewayOptions {
  factories?: ProviderFactories;
}

const built = new WeakMap<Config, Promise<PaymentGateway>>();

/** The payment gateway for this configuration; built once per cold start (per config object). */
export function paymentGateway(config: Config, clock: Clock, options: GatewayOptions = {}): Promise<PaymentGateway> {
  const cached = built.get(config);
  if (cached) return cached;
  const gateway = composeGateway(config, clock, options);
  built.set(config, gateway);
  // A failed start is not cached: the next invocation tries again (a transient Secrets Manager error).
  gateway.catch(() => built.delete(config));
  return gateway;
}

async function composeGateway(config: Config, clock: Clock, options: GatewayOptions): Promise<PaymentGateway> {
  if (config.gateway === 'simulated') return new ProviderRouter([await simulatedGateway(clock)]);
  const factories = options.factories ?? realProviders;
  return ConfiguredProviders.create(
    () => providerKeys(config),
    (keys) => providerRouter(keys, clock, factories),
  );
}

/** Verifies a Stripe webhook with the current signing secret; `not_configured` when Stripe has no keys here. */
export type StripeWebhookVerify = (
  rawBody: string,
  signatureHeader: string | undefined,
  now: Date,
) => Promise<StripeWebhookCheck | { ok: false; code: 'not_configured'; detail: string }>;

export function stripeWebhookVerify(
  config: Pick<Config, 'gateway' | 'paymentSecretsArn' | 'providerKeys'>,
  verifier: () => Promise<(rawBody: string, header: string | undefined, secret: string, now: Date) => StripeWebhookCheck> = adapters.stripeWebhookVerifier,
): StripeWebhookVerify {
  return async (rawBody, header, now) => {
    const stripe = config.gateway === 'providers' ? (await providerKeys(config)).stripe : undefined;
    if (!stripe) return { ok: false, code: 'not_configured', detail: 'Stripe is not configured on this deployment' };
    return (await verifier())(rawBody, header, stripe.webhookSecret, now);
  };
}

/** Verifies an Alipay notification with the current keys; `not_configured` when Alipay has no keys here. */
export type AlipayNotifyVerify = (rawBody: string) => Promise<adapters.AlipayNotifyCheck | { ok: false; code: 'not_configured'; detail: string }>;

export function alipayNotifyVerify(config: Pick<Config, 'gateway' | 'paymentSecretsArn' | 'providerKeys'>): AlipayNotifyVerify {
  return async (rawBody) => {
    const alipay = config.gateway === 'providers' ? (await providerKeys(config)).alipay : undefined;
    if (!alipay) return { ok: false, code: 'not_configured', detail: 'Alipay is not configured on this deployment' };
    return (await adapters.alipayNotifyVerifier(alipay))(rawBody);
  };
}

/** Verifies and decrypts a WeChat Pay notification with the current keys; `not_configured` when WeChat Pay has none here. */
export type WechatPayNotificationVerify = (
  rawBody: string,
  headers: WechatPayNotificationHeaders,
  now: Date,
) => Promise<WechatPayNotificationCheck | { ok: false; code: 'not_configured'; detail: string }>;

export function wechatPayNotificationVerify(config: Pick<Config, 'gateway' | 'paymentSecretsArn' | 'providerKeys'>): WechatPayNotificationVerify {
  return async (rawBody, headers, now) => {
    const keys = config.gateway === 'providers' ? (await providerKeys(config)).wechatPay : undefined;
    if (!keys) return { ok: false, code: 'not_configured', detail: 'WeChat Pay is not configured on this deployment' };
    return (await adapters.wechatPayNotificationVerifier())(rawBody, headers, keys, now);
  };
}
