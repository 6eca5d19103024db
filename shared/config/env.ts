/**
 * Environment variable names shared by the CDK bind helpers, the local stack and the config
 * parser, so a name can never drift between infrastructure and code.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  agendaShards: 'AGENDA_SHARDS',
  attemptsQueueUrl: 'ATTEMPTS_QUEUE_URL',
  noticesQueueUrl: 'NOTICES_QUEUE_URL',
  /** The dead-letter queues the operations console lists and redrives (the API only). */
  attemptsDlqUrl: 'ATTEMPTS_DLQ_URL',
  noticesDlqUrl: 'NOTICES_DLQ_URL',
  emailsDlqUrl: 'EMAILS_DLQ_URL',
  emailFeedbackDlqUrl: 'EMAIL_FEEDBACK_DLQ_URL',
  /** JSON of the repayment policy for new plans (retry offsets, grace, late fees …); defaults otherwise. */
  repaymentPolicy: 'REPAYMENT_POLICY',
  /** JSON of the days each kind of record is kept (notices, idempotency, webhookEvents, closedPlans); see retention.ts. */
  retention: 'RETENTION_DAYS',
  billingEventsTopicArn: 'BILLING_EVENTS_TOPIC_ARN',
  emailTopicArn: 'EMAIL_TOPIC_ARN',
  /** Where SES reports bounces and complaints (only SES publishes to it). */
  emailFeedbackTopicArn: 'EMAIL_FEEDBACK_TOPIC_ARN',
  /** The mailer's sender address (an SES-verified identity or an address of a verified domain). */
  emailFrom: 'EMAIL_FROM',
  /** The SES configuration set the mailer sends under (its event destination reports bounces and complaints). */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  smsSignature: 'SMS_SIGNATURE',
  /** HMAC key of the per-phone SMS day counter (a secret: on AWS a Secrets Manager dynamic reference). */
  smsCounterKey: 'SMS_COUNTER_KEY',
  jwtIssuer: 'JWT_ISSUER',
  jwtAudience: 'JWT_AUDIENCE',
  /** The OAuth scope that makes a caller an admin (the CDK app's `adminScope`, the scope its admin routes require). */
  adminScope: 'ADMIN_SCOPE',
  /** Local mode only: HMAC secret that signs `/local/token` JWTs. Never set on AWS. */
  localJwtSecret: 'LOCAL_JWT_SECRET',
  webhookSecret: 'WEBHOOK_SECRET',
  /** On AWS: the secret CloudFront sends to the API origin; requests without it are refused (a dynamic reference). */
  originVerifySecret: 'ORIGIN_VERIFY_SECRET',
  /** `simulated` (local default) or `providers` (the real payment providers whose keys are set). */
  gateway: 'PAYMENT_GATEWAY',
  /**
   * On AWS: the ARN of the Secrets Manager secret holding the provider keys below as one JSON
   * object (read at run time, never an environment value). Locally the keys are variables.
   */
  paymentSecretsArn: 'PAYMENT_SECRETS_ARN',
  stripeSecretKey: 'STRIPE_SECRET_KEY',
  stripeWebhookSecret: 'STRIPE_WEBHOOK_SECRET',
  stripePublishableKey: 'STRIPE_PUBLISHABLE_KEY',
  /** A base URL such as `http://127.0.0.1:12111` (a fake, tests); Stripe's own API otherwise. */
  stripeApiBase: 'STRIPE_API_BASE',
  alipayAppId: 'ALIPAY_APP_ID',
  alipayPrivateKey: 'ALIPAY_PRIVATE_KEY',
  alipayPublicKey: 'ALIPAY_PUBLIC_KEY',
  alipayGateway: 'ALIPAY_GATEWAY',
  /** Where Alipay posts its notifications (the API's `/v1/webhooks/alipay`); optional. */
  alipayNotifyUrl: 'ALIPAY_NOTIFY_URL',
  /** The portal's origin, where Alipay's signing page sends the customer back; optional. */
  alipayReturnOrigin: 'ALIPAY_RETURN_ORIGIN',
  wechatPayMchId: 'WECHATPAY_MCHID',
  wechatPayAppId: 'WECHATPAY_APPID',
  wechatPaySerial: 'WECHATPAY_SERIAL',
  wechatPayPrivateKey: 'WECHATPAY_PRIVATE_KEY',
  wechatPayApiV3Key: 'WECHATPAY_APIV3_KEY',
  wechatPayPlatformPublicKey: 'WECHATPAY_PLATFORM_PUBLIC_KEY',
  wechatPayBase: 'WECHATPAY_BASE',
  /** The id of WeChat Pay's platform public key (`PUB_KEY_ID_…`), sent as `Wechatpay-Serial` on its answers. */
  wechatPayPlatformSerial: 'WECHATPAY_PLATFORM_SERIAL',
  /** The papay contract template id (委托代扣模板 plan_id). */
  wechatPayPlanId: 'WECHATPAY_PLAN_ID',
  /** The public URL of `/v1/webhooks/wechat-pay`, where WeChat Pay sends its notifications. */
  wechatPayNotifyUrl: 'WECHATPAY_NOTIFY_URL',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  sqsEndpoint: 'SQS_ENDPOINT',
  snsEndpoint: 'SNS_ENDPOINT',
  logLevel: 'LOG_LEVEL',
  /** The deployment's stage (`dev`, `prod`): a dimension of every metric and a key of every log line. */
  stage: 'STAGE',
} as const;

/** The header CloudFront adds on its API origin, carrying `ORIGIN_VERIFY_SECRET` (functions/api/origin-guard.ts). */
export const ORIGIN_VERIFY_HEADER = 'x-repayflow-origin-verify';

export type EnvName = (typeof ENV)[keyof typeof ENV];
