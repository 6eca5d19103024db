/**
 * Configuration: one zod schema, parsed once at cold start. A missing or malformed variable
 * stops the function at start-up with a message naming it, never later at the first request.
 */
import * as z from 'zod';
import { type Policy, PolicySchema } from '../domain/policy.ts';
import type { DeadLetterSource } from '../ports/dead-letters.port.ts';
import { ENV } from './env.ts';
import { ConfigurationError, type ProviderKeys, parseProviderKeys, providerKeysIn } from './payment-providers.ts';
import { type Retention, RetentionSchema } from './retention.ts';
import { AGENDA_SHARDS } from './table.ts';

const optionalUrl = z.string().url().optional();

const ConfigSchema = z.object({
  [ENV.tableName]: z.string().min(1),
  [ENV.agendaShards]: z.coerce.number().int().min(1).max(64).default(AGENDA_SHARDS),
  [ENV.attemptsQueueUrl]: z.string().min(1).optional(),
  [ENV.noticesQueueUrl]: z.string().min(1).optional(),
  [ENV.attemptsDlqUrl]: z.string().min(1).optional(),
  [ENV.noticesDlqUrl]: z.string().min(1).optional(),
  [ENV.emailsDlqUrl]: z.string().min(1).optional(),
  [ENV.emailFeedbackDlqUrl]: z.string().min(1).optional(),
  [ENV.repaymentPolicy]: z.string().optional(),
  [ENV.retention]: z.string().optional(),
  [ENV.billingEventsTopicArn]: z.string().min(1).optional(),
  [ENV.emailTopicArn]: z.string().min(1).optional(),
  [ENV.emailFrom]: z.string().min(3).optional(),
  [ENV.sesConfigurationSet]: z.string().min(1).optional(),
  [ENV.smsSignature]: z.string().default('【repayflow】'),
  [ENV.smsCounterKey]: z.string().min(32).optional(),
  [ENV.jwtIssuer]: z.string().min(1).optional(),
  [ENV.jwtAudience]: z.string().min(1).optional(),
  [ENV.adminScope]: z
    .string()
    .regex(/^\S+\/[^\s/]+$/, 'must look like "<resource server>/<scope>"')
    .optional(),
  [ENV.localJwtSecret]: z.string().min(16).optional(),
  [ENV.webhookSecret]: z.string().min(16).optional(),
  [ENV.originVerifySecret]: z.string().min(32).optional(),
  [ENV.gateway]: z.enum(['simulated', 'providers']).default('simulated'),
  [ENV.paymentSecretsArn]: z
    .string()
    .regex(/^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager secret ARN or name')
    .optional(),
  [ENV.dynamodbEndpoint]: optionalUrl,
  [ENV.sqsEndpoint]: optionalUrl,
  [ENV.snsEndpoint]: optionalUrl,
  [ENV.logLevel]: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  [ENV.stage]: z.string().min(1).default('local'),
});

export interface Config {
  tableName: string;
  agendaShards: number;
  attemptsQueueUrl: string | undefined;
  noticesQueueUrl: string | undefined;
  /** Dead-letter queue URLs by the queue they serve (where the operations console reaches them). */
  deadLetterQueueUrls: Partial<Record<DeadLetterSource, string>>;
  /** The policy new plans freeze; `REPAYMENT_POLICY` overrides any of the defaults. */
  policy: Policy;
  /** Days each kind of record is kept before its TTL deletes it; `RETENTION_DAYS` overrides any default. */
  retention: Retention;
  billingEventsTopicArn: string | undefined;
  emailTopicArn: string | undefined;
  /** The mailer's SES sender and configuration set; both set where the mailer runs. */
  email: { from: string; configurationSet: string } | undefined;
  smsSignature: string;
  /** HMAC key of the per-phone SMS day counter; required where SMS are counted (the notifier). */
  smsCounterKey: string | undefined;
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  /** On AWS: the scope that makes an admin; without it only the Cognito `admin` group does. */
  adminScope: string | undefined;
  localJwtSecret: string | undefined;
  webhookSecret: string | undefined;
  /** The header value CloudFront adds on its API origin; set, the API refuses requests without it. */
  originVerifySecret: string | undefined;
  /** `simulated`: the stand-in provider (local default); `providers`: the real ones whose keys are set. */
  gateway: 'simulated' | 'providers';
  /** On AWS: the secret that holds the provider keys, read at run time (functions/_wrappers/gateway.ts). */
  paymentSecretsArn: string | undefined;
  /** Provider keys from the environment (local stack, tests); empty when they live in a secret. */
  providerKeys: ProviderKeys;
  endpoints: { dynamodb?: string; sqs?: string; sns?: string };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** The deployment's stage; `local` unless the CDK app says. */
  stage: string;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    tableName: e[ENV.tableName],
    agendaShards: e[ENV.agendaShards],
    attemptsQueueUrl: e[ENV.attemptsQueueUrl],
    noticesQueueUrl: e[ENV.noticesQueueUrl],
    deadLetterQueueUrls: {
      ...(e[ENV.attemptsDlqUrl] ? { repaymentAttempts: e[ENV.attemptsDlqUrl] } : {}),
      ...(e[ENV.noticesDlqUrl] ? { notices: e[ENV.noticesDlqUrl] } : {}),
      ...(e[ENV.emailsDlqUrl] ? { emails: e[ENV.emailsDlqUrl] } : {}),
      ...(e[ENV.emailFeedbackDlqUrl] ? { emailFeedback: e[ENV.emailFeedbackDlqUrl] } : {}),
    },
    policy: parsePolicy(e[ENV.repaymentPolicy]),
    retention: parseJsonSetting(ENV.retention, e[ENV.retention], RetentionSchema),
    billingEventsTopicArn: e[ENV.billingEventsTopicArn],
    emailTopicArn: e[ENV.emailTopicArn],
    email: emailSender(e[ENV.emailFrom], e[ENV.sesConfigurationSet]),
    smsSignature: e[ENV.smsSignature],
    smsCounterKey: e[ENV.smsCounterKey],
    jwtIssuer: e[ENV.jwtIssuer],
    jwtAudience: e[ENV.jwtAudience],
    adminScope: e[ENV.adminScope],
    localJwtSecret: e[ENV.localJwtSecret],
    webhookSecret: e[ENV.webhookSecret],
    originVerifySecret: e[ENV.originVerifySecret],
    gateway: e[ENV.gateway],
    paymentSecretsArn: e[ENV.paymentSecretsArn],
    providerKeys: readProviderKeys(env, e[ENV.paymentSecretsArn]),
    endpoints: {
      ...(e[ENV.dynamodbEndpoint] ? { dynamodb: e[ENV.dynamodbEndpoint] } : {}),
      ...(e[ENV.sqsEndpoint] ? { sqs: e[ENV.sqsEndpoint] } : {}),
      ...(e[ENV.snsEndpoint] ? { sns: e[ENV.snsEndpoint] } : {}),
    },
    logLevel: e[ENV.logLevel],
    stage: e[ENV.stage],
  };
}

function emailSender(from: string | undefined, configurationSet: string | undefined): Config['email'] {
  return from !== undefined && configurationSet !== undefined ? { from, configurationSet } : undefined;
}

/** Provider keys come from the environment or from the secret, never from both. */
function readProviderKeys(env: Record<string, string | undefined>, secretArn: string | undefined): ProviderKeys {
  if (secretArn !== undefined) {
    const stray = providerKeysIn(env);
    if (stray.length > 0) throw new ConfigurationError(`${stray.join(', ')} must not be set when ${ENV.paymentSecretsArn} is: the keys belong in the secret`);
    return {};
  }
  return parseProviderKeys(env, 'environment');
}

/** `REPAYMENT_POLICY` as JSON, each field checked; a bad value stops the function at start-up. */
function parsePolicy(text: string | undefined): Policy {
  return parseJsonSetting(ENV.repaymentPolicy, text, PolicySchema);
}

/** A JSON variable whose fields all have defaults, each checked; a bad value stops the function at start-up. */
function parseJsonSetting<T extends z.ZodType>(name: string, text: string | undefined, schema: T): z.output<T> {
  let raw: unknown = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error(`invalid configuration: ${name} must be JSON`);
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`invalid configuration: ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
