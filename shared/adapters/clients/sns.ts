import { SNSClient } from '@aws-sdk/client-sns';
import type { Config } from '../../config/config.ts';

export function snsClient(config: Pick<Config, 'endpoints'>): SNSClient {
  return new SNSClient(config.endpoints.sns ? { endpoint: config.endpoints.sns } : {});
}
