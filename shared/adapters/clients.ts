/**
 * AWS SDK clients. Endpoints are set only for the local stack. Each client has its own module
 * (clients/), so a Lambda bundle imports only the SDK clients its adapters use.
 */
export { dynamoDocumentClient } from './clients/dynamodb.ts';
export { snsClient } from './clients/sns.ts';
export { sqsClient } from './clients/sqs.ts';
