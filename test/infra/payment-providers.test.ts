/**
 * Real money on AWS: a stage runs the real providers unless its own context entry allows the
 * simulated gateway; the providers' keys live in one Secrets Manager secret that only the
 * functions that charge may read, by ARN, at run time — never in a template or a variable.
 */
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeploymentConfig } from '../../infra/aws/config.ts';
import type { FunctionKey } from '../../infra/aws/stateless-stack.ts';
import { ENV } from '../../shared/config/env.ts';
import { PROVIDER_KEY_NAMES } from '../../shared/config/payment-providers.ts';
import { logicalIdOf, refersTo, removeDir, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

const configWith = (context: Record<string, unknown>) => readDeploymentConfig(new App({ context }).node);

describe('Function: readDeploymentConfig, payment gateway', () => {
  it('runs the real providers by default', () => {
    expect(configWith({ stage: 'staging' })).toMatchObject({ paymentGateway: 'providers', allowSimulatedGateway: false, paymentSecretName: undefined });
  });

  it('allows the simulated gateway for a stage whose own entry says so', () => {
    expect(configWith({ stage: 'dev', stages: { dev: { paymentGateway: 'simulated', allowSimulatedGateway: true } } })).toMatchObject({
      paymentGateway: 'simulated',
      allowSimulatedGateway: true,
    });
  });

  it.each([
    ['a stage without allowSimulatedGateway', { stage: 'staging', paymentGateway: 'simulated' }, /stage "staging" may not use the simulated gateway/],
    [
      "another stage's permission",
      { stage: 'prod', paymentGateway: 'simulated', stages: { dev: { allowSimulatedGateway: true } } },
      /stage "prod" may not use the simulated gateway/,
    ],
    ['a top-level allowSimulatedGateway', { stage: 'staging', paymentGateway: 'simulated', allowSimulatedGateway: true }, /inside the stage's own entry/],
    ['the prod stage', { stage: 'prod', stages: { prod: { allowSimulatedGateway: true } } }, /prod stage always uses the real payment providers/],
    ['an unknown gateway', { stage: 'staging', paymentGateway: 'stripe' }, /"providers" or "simulated"/],
  ])('refuses %s', (_name, context, message) => {
    expect(() => configWith(context)).toThrow(message);
  });
});

describe('App: a stage with the real providers', () => {
  let synthesized: Synthesized;
  const fn = (key: FunctionKey) =>
    resourcesOfType(synthesized.statelessTemplate, 'AWS::Lambda::Function').find(([id]) => id === logicalIdOf(synthesized.stateless.functions[key]))![1];
  const statementsOf = (key: FunctionKey) =>
    resourcesOfType(synthesized.statelessTemplate, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(logicalIdOf(synthesized.stateless.functions[key].executionRole)))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
  const secretStatements = (key: FunctionKey) => statementsOf(key).filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));

  beforeAll(() => {
    synthesized = synthesize({ context: { stage: 'staging' } });
  }, 120_000);
  afterAll(() => removeDir(synthesized.outdir));

  it("creates the providers' secret in the stateful stack holding only {}", () => {
    const secrets = resourcesOfType(synthesized.statefulTemplate, 'AWS::SecretsManager::Secret');

    expect(secrets).toHaveLength(1);
    expect(secrets[0]![1].Properties).toMatchObject({ Name: 'repayflow/staging/payment-providers', SecretString: '{}' });
    expect(secrets[0]![1].DeletionPolicy).toBe('Retain');
  });

  it('lets the api and the attempt worker read that one secret, and nothing else any secret', () => {
    const secretId = logicalIdOf(synthesized.stateful.paymentSecret!.node.defaultChild as never);
    for (const key of ['api', 'attemptWorker'] as const) {
      const statements = secretStatements(key);
      expect(statements).toHaveLength(1);
      expect(statements[0]!.Action).toBe('secretsmanager:GetSecretValue');
      expect(refersTo(statements[0]!.Resource, secretId)).toBe(true);
      expect(JSON.stringify(statements[0]!.Resource)).not.toContain('*');
    }
    for (const key of ['sweep', 'notifier'] as const) expect(secretStatements(key)).toEqual([]);
  });

  it("hands the functions the secret's ARN and PAYMENT_GATEWAY=providers, never a provider key", () => {
    for (const key of ['api', 'attemptWorker'] as const) {
      const variables = fn(key).Properties.Environment.Variables;
      expect(variables[ENV.gateway]).toBe('providers');
      expect(refersTo(variables[ENV.paymentSecretsArn], 'PaymentProvidersSecret')).toBe(true);
    }
    for (const key of Object.keys(synthesized.stateless.functions) as FunctionKey[]) {
      const variables = Object.keys(fn(key).Properties.Environment.Variables);
      expect(variables.filter((name) => PROVIDER_KEY_NAMES.includes(name) || name === ENV.webhookSecret)).toEqual([]);
    }
  });

  it('writes no key into either template', () => {
    for (const template of [synthesized.statefulTemplate, synthesized.statelessTemplate]) {
      expect(JSON.stringify(template.toJSON())).not.toMatch(/\b(sk|rk|pk)_(test|live)_|whsec_/);
    }
  });

  it('has no simulated-webhook HMAC secret and no warning about the simulated gateway', () => {
    // The only secret of the stack is the SMS counter's HMAC key; the simulated provider's webhook key is absent.
    expect(
      resourcesOfType(synthesized.statelessTemplate, 'AWS::SecretsManager::Secret')
        .map(([id]) => id)
        .sort(),
    ).toEqual([expect.stringMatching(/^OriginVerifySecret/), expect.stringMatching(/^SmsCounterKey/)]);
    Annotations.fromStack(synthesized.stateless).hasNoWarning('*', Match.stringLikeRegexp('SIMULATED'));
  });
});

describe('App: a stage that references an existing secret by name', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    synthesized = synthesize({ context: { stage: 'staging', paymentSecretName: 'payments/staging-keys' } });
  }, 120_000);
  afterAll(() => removeDir(synthesized.outdir));

  it('creates no secret and passes its name, granting GetSecretValue on that name only', () => {
    expect(resourcesOfType(synthesized.statefulTemplate, 'AWS::SecretsManager::Secret')).toEqual([]);
    const api = resourcesOfType(synthesized.statelessTemplate, 'AWS::Lambda::Function').find(([id]) => id === logicalIdOf(synthesized.stateless.functions.api))![1];
    expect(api.Properties.Environment.Variables[ENV.paymentSecretsArn]).toBe('payments/staging-keys');
    expect(JSON.stringify(synthesized.statelessTemplate.toJSON())).toContain(':secret:payments/staging-keys-??????');
  });
});

describe('App: the dev stage, which allows the simulated gateway', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    synthesized = synthesize();
  }, 120_000);
  afterAll(() => removeDir(synthesized.outdir));

  it('warns in the synth output that no real money moves', () => {
    Annotations.fromStack(synthesized.stateless).hasWarning('*', Match.stringLikeRegexp('SIMULATED payment gateway'));
  });

  it("creates no providers' secret", () => {
    expect(synthesized.stateful.paymentSecret).toBeUndefined();
    expect(resourcesOfType(synthesized.statefulTemplate, 'AWS::SecretsManager::Secret')).toEqual([]);
  });
});
