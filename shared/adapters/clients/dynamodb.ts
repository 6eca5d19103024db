import type { Config } from '../../config/config.ts';
import { ItemClient } from '../dynamodb/item-client.ts';

/** The DynamoDB client the repositories share; the endpoint is set only for the local stack. */
export function dynamoDocumentClient(config: Pick<Config, 'endpoints'>): ItemClient {
  return ItemClient.create(config.endpoints.dynamodb ? { endpoint: config.endpoints.dynamodb } : {});
}
