/**
 * AWS SDK clients, created once per process. Endpoints are set only for the local stack.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config/config.ts';

export function dynamoDocumentClient(config: Pick<Config, 'endpoints'>): DynamoDBDocumentClient {
  const raw = new DynamoDBClient(config.endpoints.dynamodb ? { endpoint: config.endpoints.dynamodb } : {});
  return DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
}

export function sqsClient(config: Pick<Config, 'endpoints'>): SQSClient {
  // The local emulator hands out queue URLs on its own host; send to the configured endpoint.
  return new SQSClient(config.endpoints.sqs ? { endpoint: config.endpoints.sqs, useQueueUrlAsEndpoint: false } : {});
}

export function snsClient(config: Pick<Config, 'endpoints'>): SNSClient {
  return new SNSClient(config.endpoints.sns ? { endpoint: config.endpoints.sns } : {});
}
