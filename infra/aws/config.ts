/**
 * Deployment settings, read once from CDK context (`cdk.json` or `-c key=value`).
 *
 * Everything a deployer may change lives here, with its default and its check, so a typo in a
 * context value stops `cdk synth` with a message naming the key instead of deploying something
 * half-configured.
 */

import type { Node } from 'constructs';
import { type Retention, RetentionSchema } from '../../shared/config/retention.ts';
import { schedules } from '../resources.ts';

export interface DeploymentConfig {
  /** Short environment name, part of every stack name (`Repayflow-<stage>-Stateful`). */
  readonly stage: string;
  /** The region of the stateful and stateless stacks: the CLI's (`CDK_DEFAULT_REGION`), else the `region` context. */
  readonly region: string;
  /** Production keeps log groups when a stack is deleted; other stages clean them up. */
  readonly isProduction: boolean;
  /**
   * An external identity provider. When both are unset the stack creates a Cognito user pool
   * and uses it as issuer, with its app clients as audience.
   */
  readonly jwtIssuer: string | undefined;
  readonly jwtAudience: readonly string[] | undefined;
  /** OAuth scope that the merchant backend's token must carry for the admin-only routes. */
  readonly adminScope: string;
  /** Cognito MFA for the user pool the stack creates. */
  readonly mfa: 'optional' | 'required';
  readonly sweepEveryMinutes: number;
  /** SMS signature; unset keeps the code's default. */
  readonly smsSignature: string | undefined;
  /** Where alarm notifications go; no subscription when unset. */
  readonly alarmEmail: string | undefined;
  /**
   * Email notices through Amazon SES (`emailFrom`, and `emailIdentity`: the verified SES
   * identity, the sender's domain by default); without `emailFrom` no mailer is deployed and
   * the email topic is left for the deployer's own relay.
   */
  readonly email: { readonly from: string; readonly identity: string } | undefined;
  /**
   * Days each kind of record is kept before DynamoDB's TTL deletes it (notices, idempotency,
   * webhookEvents, closedPlans; shared/config/retention.ts); unset keeps the defaults there.
   */
  readonly retentionDays: Retention | undefined;
  /** The account's SNS SMS spend limit in USD; the spend alarm fires at 80 % of it. */
  readonly smsMonthlySpendLimitUsd: number;
  readonly logRetentionDays: number;
  /** Throttling of the customer and admin routes (`/v1/*`: steady requests per second, burst). */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  /** Throttling of the providers' webhook route, apart from the customer routes. */
  readonly webhookRateLimit: number;
  readonly webhookBurstLimit: number;
  /** Throttling of the public documentation routes (`/health`, `/openapi.json`, `/docs`). */
  readonly publicRateLimit: number;
  readonly publicBurstLimit: number;
  /** Requests one client IP may send through CloudFront in 5 minutes before AWS WAF blocks it. */
  readonly wafRequestsPer5Minutes: number;
  /** Concurrent executions reserved for (and capping) the api function. */
  readonly apiReservedConcurrency: number;
  /**
   * A custom domain for the HTTP API (with an ACM certificate of the stack's region). With it the
   * default execute-api endpoint is disabled, so CloudFront (and its WAF rules) cannot be bypassed.
   */
  readonly apiDomainName: string | undefined;
  readonly apiCertificateArn: string | undefined;
  /**
   * `PAYMENT_GATEWAY` of the functions: `providers` (default: the real providers, keys in
   * Secrets Manager) or `simulated`, which only a stage whose own entry in `context.stages`
   * says `allowSimulatedGateway: true` may use (never `prod`).
   */
  readonly paymentGateway: 'simulated' | 'providers';
  /** Whether this stage's bundles carry the simulated gateway at all. */
  readonly allowSimulatedGateway: boolean;
  /**
   * With `providers`: an existing Secrets Manager secret (by name) that holds the provider keys.
   * Unset: the stateful stack creates `repayflow/<stage>/payment-providers`, holding `{}`.
   */
  readonly paymentSecretName: string | undefined;
}

/** Context keys, in one place so the docs and `cdk.json` can name them exactly. */
export const CONTEXT_KEYS = {
  stage: 'stage',
  region: 'region',
  jwtIssuer: 'jwtIssuer',
  jwtAudience: 'jwtAudience',
  adminScope: 'adminScope',
  mfa: 'mfa',
  sweepEveryMinutes: 'sweepEveryMinutes',
  smsSignature: 'smsSignature',
  alarmEmail: 'alarmEmail',
  emailFrom: 'emailFrom',
  emailIdentity: 'emailIdentity',
  smsMonthlySpendLimitUsd: 'smsMonthlySpendLimitUsd',
  retentionDays: 'retentionDays',
  logRetentionDays: 'logRetentionDays',
  apiRateLimit: 'apiRateLimit',
  apiBurstLimit: 'apiBurstLimit',
  webhookRateLimit: 'webhookRateLimit',
  webhookBurstLimit: 'webhookBurstLimit',
  publicRateLimit: 'publicRateLimit',
  publicBurstLimit: 'publicBurstLimit',
  wafRequestsPer5Minutes: 'wafRequestsPer5Minutes',
  apiReservedConcurrency: 'apiReservedConcurrency',
  apiDomainName: 'apiDomainName',
  apiCertificateArn: 'apiCertificateArn',
  paymentGateway: 'paymentGateway',
  paymentSecretName: 'paymentSecretName',
  /** Per-stage settings: `{ "stages": { "dev": { "allowSimulatedGateway": true, … } } }`. */
  stages: 'stages',
  /** Only inside a stage's own entry of `stages`, never as a top-level (`-c`) value. */
  allowSimulatedGateway: 'allowSimulatedGateway',
} as const;

/** Where an offline synth (no CLI region, no `region` context) puts the stacks. */
export const DEFAULT_REGION = 'ap-southeast-1';

/** Retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export class DeploymentConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`invalid context value "${key}": ${problem}`);
    this.name = 'DeploymentConfigError';
  }
}

export function readDeploymentConfig(node: Node): DeploymentConfig {
  // A stage's own entry in `stages` first; a top-level value (cdk.json or `-c`) overrides it.
  let stageEntry: Record<string, unknown> = {};
  const contextValue = (key: string): unknown => node.tryGetContext(key) ?? stageEntry[key];
  const text = (key: string): string | undefined => {
    const value: unknown = contextValue(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new DeploymentConfigError(key, 'expected a string');
    }
    return String(value).trim();
  };
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const raw = text(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new DeploymentConfigError(key, `expected an integer from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };

  const stage = text(CONTEXT_KEYS.stage) ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) {
    throw new DeploymentConfigError(CONTEXT_KEYS.stage, 'use 1-16 lower-case letters, digits or dashes, starting with a letter');
  }

  const stages: unknown = node.tryGetContext(CONTEXT_KEYS.stages) ?? {};
  if (typeof stages !== 'object' || stages === null || Array.isArray(stages)) {
    throw new DeploymentConfigError(CONTEXT_KEYS.stages, 'expected an object of stage names to their settings');
  }
  const entry: unknown = (stages as Record<string, unknown>)[stage] ?? {};
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new DeploymentConfigError(`${CONTEXT_KEYS.stages}.${stage}`, 'expected an object of settings');
  }
  stageEntry = entry as Record<string, unknown>;

  const jwtIssuer = text(CONTEXT_KEYS.jwtIssuer);
  const audienceText = text(CONTEXT_KEYS.jwtAudience);
  const jwtAudience = audienceText
    ?.split(',')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  if ((jwtIssuer === undefined) !== (jwtAudience === undefined || jwtAudience.length === 0)) {
    throw new DeploymentConfigError(
      jwtIssuer === undefined ? CONTEXT_KEYS.jwtIssuer : CONTEXT_KEYS.jwtAudience,
      'set jwtIssuer and jwtAudience together (or neither, to use the Cognito user pool the stack creates)',
    );
  }
  if (jwtIssuer !== undefined && !jwtIssuer.startsWith('https://')) {
    throw new DeploymentConfigError(CONTEXT_KEYS.jwtIssuer, 'the issuer must be an https:// URL');
  }

  const mfa = text(CONTEXT_KEYS.mfa) ?? 'optional';
  if (mfa !== 'optional' && mfa !== 'required') {
    throw new DeploymentConfigError(CONTEXT_KEYS.mfa, 'expected "optional" or "required"');
  }

  const alarmEmail = text(CONTEXT_KEYS.alarmEmail);
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new DeploymentConfigError(CONTEXT_KEYS.alarmEmail, 'expected an email address');
  }

  const emailFrom = text(CONTEXT_KEYS.emailFrom);
  if (emailFrom !== undefined && !/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(emailFrom)) {
    throw new DeploymentConfigError(CONTEXT_KEYS.emailFrom, 'expected an email address (the SES sender)');
  }
  const emailIdentity = text(CONTEXT_KEYS.emailIdentity);
  if (emailIdentity !== undefined && emailFrom === undefined) throw new DeploymentConfigError(CONTEXT_KEYS.emailIdentity, 'set emailFrom too');
  if (emailIdentity !== undefined && emailIdentity !== emailFrom && !emailFrom!.endsWith(`@${emailIdentity}`)) {
    throw new DeploymentConfigError(CONTEXT_KEYS.emailIdentity, `the identity must be ${emailFrom} or its domain`);
  }
  const email = emailFrom === undefined ? undefined : { from: emailFrom, identity: emailIdentity ?? emailFrom.split('@')[1]! };

  const logRetentionDays = integer(CONTEXT_KEYS.logRetentionDays, 30, 1, 3653);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    throw new DeploymentConfigError(CONTEXT_KEYS.logRetentionDays, `CloudWatch Logs accepts ${LOG_RETENTION_DAYS.join(', ')}`);
  }

  const { paymentGateway, allowSimulatedGateway } = readGatewayChoice(node, stage, stageEntry, text(CONTEXT_KEYS.paymentGateway));
  const paymentSecretName = text(CONTEXT_KEYS.paymentSecretName);
  if (paymentSecretName !== undefined && !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(paymentSecretName)) {
    throw new DeploymentConfigError(CONTEXT_KEYS.paymentSecretName, 'expected a Secrets Manager secret name (letters, digits and /_+=.@-)');
  }

  const apiDomainName = text(CONTEXT_KEYS.apiDomainName);
  const apiCertificateArn = text(CONTEXT_KEYS.apiCertificateArn);
  if ((apiDomainName === undefined) !== (apiCertificateArn === undefined)) {
    throw new DeploymentConfigError(apiDomainName === undefined ? CONTEXT_KEYS.apiDomainName : CONTEXT_KEYS.apiCertificateArn, 'set apiDomainName and apiCertificateArn together');
  }
  if (apiDomainName !== undefined && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(apiDomainName)) {
    throw new DeploymentConfigError(CONTEXT_KEYS.apiDomainName, 'expected a lower-case DNS name such as api.example.com');
  }
  if (apiCertificateArn !== undefined && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/.test(apiCertificateArn)) {
    throw new DeploymentConfigError(CONTEXT_KEYS.apiCertificateArn, 'expected an ACM certificate ARN');
  }

  const region = process.env.CDK_DEFAULT_REGION ?? text(CONTEXT_KEYS.region) ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new DeploymentConfigError(
      CONTEXT_KEYS.region,
      `expected an AWS region such as ap-southeast-1 (configure the CLI's region or set the "region" context), got "${region ?? ''}"`,
    );
  }

  const retentionValue = contextValue(CONTEXT_KEYS.retentionDays);
  let retentionDays: Retention | undefined;
  if (retentionValue !== undefined && retentionValue !== null && retentionValue !== '') {
    let raw: unknown = retentionValue;
    try {
      if (typeof raw === 'string') raw = JSON.parse(raw);
    } catch {
      throw new DeploymentConfigError(CONTEXT_KEYS.retentionDays, 'expected JSON such as {"notices":400,"closedPlans":3650}');
    }
    const parsed = RetentionSchema.safeParse(raw);
    if (!parsed.success) {
      throw new DeploymentConfigError(
        CONTEXT_KEYS.retentionDays,
        `expected whole days from 1 to 36500 for notices, idempotency, webhookEvents and closedPlans (${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')})`,
      );
    }
    retentionDays = parsed.data;
  }

  return {
    stage,
    region,
    retentionDays,
    isProduction: stage === 'prod',
    paymentGateway,
    allowSimulatedGateway,
    paymentSecretName,
    jwtIssuer,
    jwtAudience,
    adminScope: text(CONTEXT_KEYS.adminScope) ?? 'repayflow/admin',
    mfa,
    sweepEveryMinutes: integer(CONTEXT_KEYS.sweepEveryMinutes, schedules.sweep.everyMinutes, 1, 60),
    smsSignature: text(CONTEXT_KEYS.smsSignature),
    alarmEmail,
    email,
    smsMonthlySpendLimitUsd: integer(CONTEXT_KEYS.smsMonthlySpendLimitUsd, 1000, 1, 1_000_000),
    logRetentionDays,
    apiRateLimit: integer(CONTEXT_KEYS.apiRateLimit, 100, 1, 10_000),
    apiBurstLimit: integer(CONTEXT_KEYS.apiBurstLimit, 200, 1, 5_000),
    webhookRateLimit: integer(CONTEXT_KEYS.webhookRateLimit, 50, 1, 10_000),
    webhookBurstLimit: integer(CONTEXT_KEYS.webhookBurstLimit, 100, 1, 5_000),
    publicRateLimit: integer(CONTEXT_KEYS.publicRateLimit, 10, 1, 10_000),
    publicBurstLimit: integer(CONTEXT_KEYS.publicBurstLimit, 20, 1, 5_000),
    // AWS WAF counts over a 5-minute window; 100 is its minimum.
    wafRequestsPer5Minutes: integer(CONTEXT_KEYS.wafRequestsPer5Minutes, 1500, 100, 2_000_000_000),
    apiReservedConcurrency: integer(CONTEXT_KEYS.apiReservedConcurrency, 50, 1, 10_000),
    apiDomainName,
    apiCertificateArn,
  };
}

/**
 * The simulated gateway takes no money: a stage gets it only when its own entry says so, so a
 * `-c stage=prod` can never inherit another stage's permission, and never in `prod`.
 */
function readGatewayChoice(node: Node, stage: string, stageEntry: Record<string, unknown>, choice: string | undefined) {
  if (node.tryGetContext(CONTEXT_KEYS.allowSimulatedGateway) !== undefined) {
    throw new DeploymentConfigError(
      CONTEXT_KEYS.allowSimulatedGateway,
      `set it inside the stage's own entry (cdk.json context.stages.${stage}.allowSimulatedGateway), not as a top-level value`,
    );
  }
  const allowed: unknown = stageEntry[CONTEXT_KEYS.allowSimulatedGateway] ?? false;
  if (typeof allowed !== 'boolean') throw new DeploymentConfigError(`${CONTEXT_KEYS.stages}.${stage}.${CONTEXT_KEYS.allowSimulatedGateway}`, 'expected true or false');
  if (allowed && stage === 'prod') {
    throw new DeploymentConfigError(`${CONTEXT_KEYS.stages}.${stage}.${CONTEXT_KEYS.allowSimulatedGateway}`, 'the prod stage always uses the real payment providers');
  }
  const paymentGateway = choice ?? 'providers';
  if (paymentGateway !== 'simulated' && paymentGateway !== 'providers') {
    throw new DeploymentConfigError(CONTEXT_KEYS.paymentGateway, 'expected "providers" or "simulated"');
  }
  if (paymentGateway === 'simulated' && !allowed) {
    throw new DeploymentConfigError(
      CONTEXT_KEYS.paymentGateway,
      `stage "${stage}" may not use the simulated gateway (PAYMENT_GATEWAY=simulated takes no money): use "providers", ` +
        `or allow it for this stage with "allowSimulatedGateway": true in cdk.json context.stages.${stage}`,
    );
  }
  return { paymentGateway: paymentGateway as 'simulated' | 'providers', allowSimulatedGateway: allowed };
}
