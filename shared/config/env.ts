/**
 * Environment variable names shared by the CDK bind helpers, the local stack and the config
 * parser, so a name can never drift between infrastructure and code.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  agendaShards: 'AGENDA_SHARDS',
  attemptsQueueUrl: 'ATTEMPTS_QUEUE_URL',
  noticesQueueUrl: 'NOTICES_QUEUE_URL',
  /** JSON of the repayment policy for new plans (retry offsets, grace, late fees …); defaults otherwise. */
  repaymentPolicy: 'REPAYMENT_POLICY',
  billingEventsTopicArn: 'BILLING_EVENTS_TOPIC_ARN',
  emailTopicArn: 'EMAIL_TOPIC_ARN',
  smsSignature: 'SMS_SIGNATURE',
  jwtIssuer: 'JWT_ISSUER',
  jwtAudience: 'JWT_AUDIENCE',
  /** Local mode only: HMAC secret that signs `/local/token` JWTs. Never set on AWS. */
  localJwtSecret: 'LOCAL_JWT_SECRET',
  webhookSecret: 'WEBHOOK_SECRET',
  gateway: 'PAYMENT_GATEWAY',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  sqsEndpoint: 'SQS_ENDPOINT',
  snsEndpoint: 'SNS_ENDPOINT',
  logLevel: 'LOG_LEVEL',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
