import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../../config/config.ts';

export function sqsClient(config: Pick<Config, 'endpoints'>): SQSClient {
  // The local emulator hands out queue URLs on its own host; send to the configured endpoint.
  return new SQSClient(config.endpoints.sqs ? { endpoint: config.endpoints.sqs, useQueueUrlAsEndpoint: false } : {});
}
