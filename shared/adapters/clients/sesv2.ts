import { SESv2Client } from '@aws-sdk/client-sesv2';

export function sesv2Client(): SESv2Client {
  return new SESv2Client({});
}
