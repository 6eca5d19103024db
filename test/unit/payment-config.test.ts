/**
 * PAYMENT_GATEWAY and the providers' keys: read once at start-up, from the environment or from
 * the Secrets Manager secret; a provider without keys leaves its method types unavailable, a
 * half-configured or malformed one stops the start with the variable's name (never its value).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../shared/config/config.ts';
import { parseProviderKeys } from '../../shared/config/payment-providers.ts';
import type { ProviderGateway } from '../../shared/ports/payment-gateway.port.ts';

const getSecret = vi.hoisted(() => vi.fn());
vi.mock('@aws-lambda-powertools/parameters/secrets', () => ({ getSecret }));

const { paymentGateway, providerKeys, SECRET_MAX_AGE_SECONDS, stripeWebhookVerify } = await import('../../functions/_wrappers/gateway.ts');

const BASE = { TABLE_NAME: 'repayflow-table' };
const STRIPE = { STRIPE_SECRET_KEY: 'sk_test_51Repayflow', STRIPE_WEBHOOK_SECRET: 'whsec_repayflowtest' };
const clock = { now: () => new Date('2026-01-31T04:00:00Z') };

/** Stands in for the Stripe adapter: what matters here is which providers get composed. */
function fakeStripe(keys: { secretKey: string }): ProviderGateway {
  const unused = () => Promise.reject(new Error('not used in this test'));
  return {
    provider: 'stripe',
    methodTypes: ['bank_card'],
    charge: unused,
    status: async () => ({ status: 'unknown', reason: keys.secretKey.slice(0, 8) }),
    cancel: unused,
    startSetup: unused,
    setupStatus: unused,
    verifyToken: unused,
    captures: unused,
  };
}
const factories = { stripe: async (keys: { secretKey: string }) => fakeStripe(keys) };

beforeEach(() => getSecret.mockReset());
afterEach(() => {
  delete process.env.REPAYFLOW_SIMULATED_GATEWAY;
});

describe('Configuration: PAYMENT_GATEWAY', () => {
  it('defaults to the simulated gateway, which serves every method type', async () => {
    const config = loadConfig(BASE);
    const gateway = await paymentGateway(config, clock);

    expect(config.gateway).toBe('simulated');
    expect(gateway.providers()).toEqual(['simulated']);
  });

  it('refuses a value other than simulated or providers, naming the variable', () => {
    expect(() => loadConfig({ ...BASE, PAYMENT_GATEWAY: 'stripe' })).toThrow(/PAYMENT_GATEWAY/);
  });

  it('refuses the simulated gateway in a build made without it', async () => {
    process.env.REPAYFLOW_SIMULATED_GATEWAY = 'excluded';

    await expect(paymentGateway(loadConfig(BASE), clock)).rejects.toThrow(/built without the simulated gateway/);
  });
});

describe('Configuration: provider keys from the environment', () => {
  it('leaves every method type unavailable when no provider has keys', async () => {
    const gateway = await paymentGateway(loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers' }), clock, { factories });

    expect(gateway.providers()).toEqual([]);
    expect(gateway.providerFor('bank_card')).toBeUndefined();
  });

  it('serves bank cards through Stripe when its keys are set, and leaves Alipay and WeChat Pay unavailable', async () => {
    const config = loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers', ...STRIPE, STRIPE_API_BASE: 'http://127.0.0.1:12111' });
    const gateway = await paymentGateway(config, clock, { factories });

    expect(config.providerKeys.stripe).toEqual({ secretKey: STRIPE.STRIPE_SECRET_KEY, webhookSecret: STRIPE.STRIPE_WEBHOOK_SECRET, apiBase: 'http://127.0.0.1:12111' });
    expect(gateway.providerFor('bank_card')).toBe('stripe');
    expect(gateway.providerFor('alipay')).toBeUndefined();
    expect(gateway.providerFor('wechat_pay')).toBeUndefined();
  });

  it('composes the gateway once per configuration (once per cold start)', async () => {
    const config = loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers', ...STRIPE });

    expect(await paymentGateway(config, clock, { factories })).toBe(await paymentGateway(config, clock, { factories }));
  });

  it.each([
    [{ STRIPE_SECRET_KEY: STRIPE.STRIPE_SECRET_KEY }, /STRIPE_WEBHOOK_SECRET \(environment\) is required with STRIPE_SECRET_KEY/],
    [{ STRIPE_WEBHOOK_SECRET: STRIPE.STRIPE_WEBHOOK_SECRET }, /STRIPE_SECRET_KEY \(environment\) is required/],
    [{ ...STRIPE, STRIPE_SECRET_KEY: 'pk_test_oops' }, /STRIPE_SECRET_KEY \(environment\) must be a Stripe secret or restricted key/],
    [{ ...STRIPE, STRIPE_WEBHOOK_SECRET: 'not-a-signing-secret' }, /STRIPE_WEBHOOK_SECRET \(environment\) must be/],
    [{ ...STRIPE, STRIPE_API_BASE: '127.0.0.1:12111' }, /STRIPE_API_BASE \(environment\) must be an http\(s\) URL/],
    [{ ...STRIPE, STRIPE_PUBLISHABLE_KEY: 'pk_live_abc' }, /STRIPE_PUBLISHABLE_KEY \(environment\) is a live-mode key but STRIPE_SECRET_KEY is test-mode/],
    [{ ALIPAY_APP_ID: '2021000000000000' }, /ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY \(environment\) are required with ALIPAY_APP_ID/],
    [{ WECHATPAY_MCHID: '1900000109', WECHATPAY_APIV3_KEY: 'short' }, /WECHATPAY_APIV3_KEY \(environment\) must be 32 letters or digits/],
  ])('stops at start-up on %j, naming the variable', (env, message) => {
    const load = () => loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers', ...env });

    expect(load).toThrow(message);
  });

  it('never quotes a key in its error message', () => {
    const secret = 'sk_wrong_s3cr3tvalue';
    expect(() => loadConfig({ ...BASE, ...STRIPE, STRIPE_SECRET_KEY: secret })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cr3t') }));
  });

  it('refuses keys in the environment when they are to come from the secret', () => {
    expect(() => loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers', PAYMENT_SECRETS_ARN: 'repayflow/dev/payment-providers', ...STRIPE })).toThrow(
      /STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET must not be set when PAYMENT_SECRETS_ARN is/,
    );
  });

  it('fills the Alipay and WeChat Pay production endpoints when their base URL is not set', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';
    const keys = parseProviderKeys({ ALIPAY_APP_ID: '2021000000000000', ALIPAY_PRIVATE_KEY: pem, ALIPAY_PUBLIC_KEY: pem }, 'environment');

    expect(keys.alipay?.gateway).toBe('https://openapi.alipay.com/gateway.do');
  });
});

describe('Configuration: provider keys from Secrets Manager', () => {
  const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:repayflow/prod/payment-providers-AbCdEf';

  it('reads the secret at run time through Powertools, as JSON, cached for a while', async () => {
    getSecret.mockResolvedValue({ ...STRIPE });
    const config = loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers', PAYMENT_SECRETS_ARN: ARN });

    const gateway = await paymentGateway(config, clock, { factories });

    expect(getSecret).toHaveBeenCalledWith(ARN, { transform: 'json', maxAge: SECRET_MAX_AGE_SECONDS });
    expect(gateway.providerFor('bank_card')).toBe('stripe');
  });

  it('starts with every method type unavailable while the secret still holds {}', async () => {
    getSecret.mockResolvedValue({});
    const gateway = await paymentGateway(loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers', PAYMENT_SECRETS_ARN: ARN }), clock, { factories });

    expect(gateway.providers()).toEqual([]);
  });

  it('picks up keys put into the secret later, without a new cold start', async () => {
    getSecret.mockResolvedValueOnce({});
    const gateway = await paymentGateway(loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers', PAYMENT_SECRETS_ARN: ARN }), clock, { factories });
    getSecret.mockResolvedValue({ ...STRIPE });

    await gateway.status({ provider: 'stripe', idempotencyKey: 'plan_a:1:1', attemptedAt: clock.now() });

    expect(gateway.providerFor('bank_card')).toBe('stripe');
  });

  it('names the secret, not its content, when a key in it is malformed', async () => {
    getSecret.mockResolvedValue({ ...STRIPE, STRIPE_WEBHOOK_SECRET: 'whsec-wrong s3cr3t' });
    const config = loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers', PAYMENT_SECRETS_ARN: ARN });

    const failed = await providerKeys(config).catch((err: Error) => err);

    expect((failed as Error).message).toMatch(/STRIPE_WEBHOOK_SECRET \(secret PAYMENT_SECRETS_ARN\) must be/);
    expect((failed as Error).message).not.toContain('s3cr3t');
  });

  it('refuses a secret that is not a JSON object', async () => {
    getSecret.mockResolvedValue('sk_test_123');

    await expect(providerKeys(loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers', PAYMENT_SECRETS_ARN: ARN }))).rejects.toThrow(/must hold a JSON object/);
  });

  it('verifies Stripe webhooks with the signing secret from the secret, and answers not_configured without Stripe keys', async () => {
    const verifier = vi.fn(() => ({ ok: true as const, eventId: 'evt_1', type: 'payment_intent.succeeded' }));
    getSecret.mockResolvedValue({ ...STRIPE });
    const config = loadConfig({ ...BASE, PAYMENT_GATEWAY: 'providers', PAYMENT_SECRETS_ARN: ARN });

    expect(await stripeWebhookVerify(config, async () => verifier)('{}', 't=1,v1=ab', clock.now())).toMatchObject({ ok: true });
    expect(verifier).toHaveBeenCalledWith('{}', 't=1,v1=ab', STRIPE.STRIPE_WEBHOOK_SECRET, clock.now());

    getSecret.mockResolvedValue({});
    expect(await stripeWebhookVerify(config, async () => verifier)('{}', 't=1,v1=ab', clock.now())).toMatchObject({ ok: false, code: 'not_configured' });
  });
});
