/**
 * Starts one DynamoDB Local for the whole run (the JVM is the slow part); every test file
 * provisions its own table and queues under a unique prefix, and its own SQS/SNS emulator.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../infra/local/emulators.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal();
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
