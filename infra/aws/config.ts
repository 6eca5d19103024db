/**
 * Deployment settings, read once from CDK context (`cdk.json` or `-c key=value`).
 *
 * Everything a deployer may change lives here, with its default and its check, so a typo in a
 * context value stops `cdk synth` with a message naming the key instead of deploying something
 * half-configured.
 */
import type { Node } from 'constructs';
import { schedules } from '../resources.ts';

export interface DeploymentConfig {
  /** Short environment name, part of every stack name (`Repayflow-<stage>-Stateful`). */
  readonly stage: string;
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
  /** The account's SNS SMS spend limit in USD; the spend alarm fires at 80 % of it. */
  readonly smsMonthlySpendLimitUsd: number;
  readonly logRetentionDays: number;
  /** Default-stage API throttling (steady requests per second, burst). */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
}

/** Context keys, in one place so the docs and `cdk.json` can name them exactly. */
export const CONTEXT_KEYS = {
  stage: 'stage',
  jwtIssuer: 'jwtIssuer',
  jwtAudience: 'jwtAudience',
  adminScope: 'adminScope',
  mfa: 'mfa',
  sweepEveryMinutes: 'sweepEveryMinutes',
  smsSignature: 'smsSignature',
  alarmEmail: 'alarmEmail',
  smsMonthlySpendLimitUsd: 'smsMonthlySpendLimitUsd',
  logRetentionDays: 'logRetentionDays',
  apiRateLimit: 'apiRateLimit',
  apiBurstLimit: 'apiBurstLimit',
} as const;

/** Retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export class DeploymentConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`invalid context value "${key}": ${problem}`);
    this.name = 'DeploymentConfigError';
  }
}

export function readDeploymentConfig(node: Node): DeploymentConfig {
  const text = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
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

  const jwtIssuer = text(CONTEXT_KEYS.jwtIssuer);
  const audienceText = text(CONTEXT_KEYS.jwtAudience);
  const jwtAudience = audienceText?.split(',').map((a) => a.trim()).filter((a) => a.length > 0);
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

  const logRetentionDays = integer(CONTEXT_KEYS.logRetentionDays, 30, 1, 3653);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    throw new DeploymentConfigError(CONTEXT_KEYS.logRetentionDays, `CloudWatch Logs accepts ${LOG_RETENTION_DAYS.join(', ')}`);
  }

  return {
    stage,
    isProduction: stage === 'prod',
    jwtIssuer,
    jwtAudience,
    adminScope: text(CONTEXT_KEYS.adminScope) ?? 'repayflow/admin',
    mfa,
    sweepEveryMinutes: integer(CONTEXT_KEYS.sweepEveryMinutes, schedules.sweep.everyMinutes, 1, 60),
    smsSignature: text(CONTEXT_KEYS.smsSignature),
    alarmEmail,
    smsMonthlySpendLimitUsd: integer(CONTEXT_KEYS.smsMonthlySpendLimitUsd, 1000, 1, 1_000_000),
    logRetentionDays,
    apiRateLimit: integer(CONTEXT_KEYS.apiRateLimit, 100, 1, 10_000),
    apiBurstLimit: integer(CONTEXT_KEYS.apiBurstLimit, 200, 1, 5_000),
  };
}
