import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config/config.ts';

/** The DynamoDB document client; the endpoint is set only for the local stack. */
export function dynamoDocumentClient(config: Pick<Config, 'endpoints'>): DynamoDBDocumentClient {
  const raw = new DynamoDBClient(config.endpoints.dynamodb ? { endpoint: config.endpoints.dynamodb } : {});
  return DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
}
