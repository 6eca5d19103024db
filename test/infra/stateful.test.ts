import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues, subscriptions, table, topics } from '../../infra/resources.ts';
import { logicalIdOf, refersTo, removeDir, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

const byPrefix = <T>(entries: Array<[string, T]>, prefix: string) => entries.filter(([id]) => id.startsWith(prefix));

describe('Stack: Stateful', () => {
  let synthesized: Synthesized;
  let template: Template;

  beforeAll(() => {
    synthesized = synthesize();
    template = synthesized.statefulTemplate;
  });
  afterAll(() => removeDir(synthesized.outdir));

  describe('Resource: table', () => {
    it('creates one on-demand table with point-in-time recovery, deletion protection and the TTL attribute', () => {
      // Prepare
      const expected = {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      };

      // Act
      const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');

      // Assess
      expect(tables).toHaveLength(1);
      template.hasResourceProperties('AWS::DynamoDB::Table', expected);
    });

    it('encrypts the table with the customer-managed data key, which rotates', () => {
      // Prepare
      const dataKeyId = logicalIdOf(synthesized.stateful.dataKey);

      // Act
      const [[, tableResource] = ['', { Properties: {} }]] = resourcesOfType(template, 'AWS::DynamoDB::Table');

      // Assess
      expect(tableResource.Properties.SSESpecification).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [dataKeyId, 'Arn'] },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      for (const [, key] of resourcesOfType(template, 'AWS::KMS::Key')) {
        expect(key.Properties.EnableKeyRotation).toBe(true);
      }
    });

    it('keeps the table, the keys and the user pool when the stack is deleted', () => {
      // Act
      const retained = [
        ...resourcesOfType(template, 'AWS::DynamoDB::Table'),
        ...resourcesOfType(template, 'AWS::KMS::Key'),
        ...resourcesOfType(template, 'AWS::Cognito::UserPool'),
      ];

      // Assess
      expect(retained.length).toBeGreaterThanOrEqual(4);
      for (const [, resource] of retained) {
        expect(resource.DeletionPolicy).toBe('Retain');
        expect(resource.UpdateReplacePolicy).toBe('Retain');
      }
    });

    it('has the sharded agenda index and the byCustomer index of infra/resources.ts, projecting all attributes', () => {
      // Prepare
      const expected = Object.values(table.indexes).map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      }));

      // Act
      const [[, tableResource] = ['', { Properties: {} }]] = resourcesOfType(template, 'AWS::DynamoDB::Table');

      // Assess
      expect(tableResource.Properties.GlobalSecondaryIndexes).toEqual(expected);
    });
  });

  describe('Resource: queues', () => {
    it('gives every queue of infra/resources.ts a dead-letter queue after maxReceiveCount (at least 5) receives', () => {
      for (const [key, definition] of Object.entries(queues)) {
        // Prepare
        const deployed = synthesized.stateful.queues[key as keyof typeof queues];
        const dlqId = logicalIdOf(deployed.deadLetterQueue);

        // Act
        const queue = template.toJSON().Resources[logicalIdOf(deployed.queue)];

        // Assess
        expect(queue.Properties.RedrivePolicy).toEqual({
          deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
          maxReceiveCount: definition.maxReceiveCount,
        });
        expect(definition.maxReceiveCount).toBeGreaterThanOrEqual(5);
        expect(queue.Properties.VisibilityTimeout).toBe(definition.visibilityTimeoutSeconds);
        expect(template.toJSON().Resources[dlqId].Properties.MessageRetentionPeriod).toBe(definition.dlqRetentionDays * 86_400);
      }
    });

    it('encrypts every queue with the customer-managed data key', () => {
      // Prepare
      const dataKeyId = logicalIdOf(synthesized.stateful.dataKey);

      // Act
      const all = resourcesOfType(template, 'AWS::SQS::Queue');

      // Assess
      expect(all.length).toBeGreaterThan(0);
      for (const [, queue] of all) {
        expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [dataKeyId, 'Arn'] });
      }
    });

    it('denies every request that does not use TLS, on every queue', () => {
      // Act
      const queueIds = resourcesOfType(template, 'AWS::SQS::Queue').map(([id]) => id);
      const policies = resourcesOfType(template, 'AWS::SQS::QueuePolicy');

      // Assess
      for (const queueId of queueIds) {
        const policy = policies.find(([, p]) => refersTo(p.Properties.Queues, queueId));
        expect(policy, `queue ${queueId} has a policy`).toBeDefined();
        expect(policy?.[1].Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });
  });

  describe('Resource: topics and subscriptions', () => {
    it('encrypts every topic with a customer-managed key and refuses publishing without TLS', () => {
      // Prepare
      const topicKeyId = logicalIdOf(synthesized.stateful.topicKey);

      // Act
      const all = resourcesOfType(template, 'AWS::SNS::Topic');
      const policies = resourcesOfType(template, 'AWS::SNS::TopicPolicy');

      // Assess
      expect(all).toHaveLength(Object.keys(topics).length);
      for (const [topicId, topic] of all) {
        expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [topicKeyId, 'Arn'] });
        const policy = policies.find(([, p]) => refersTo(p.Properties.Topics, topicId));
        expect(policy?.[1].Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });

    it('subscribes the notices queue to billing events with the filter policy, raw delivery and its own dead-letter queue', () => {
      for (const definition of subscriptions) {
        // Prepare
        const topicId = logicalIdOf(synthesized.stateful.topics[definition.topic].topic);
        const queueId = logicalIdOf(synthesized.stateful.queues[definition.queue].queue);
        const dlq = synthesized.stateful.deadLetterQueues.find((d) => d.name === `${definition.id} DLQ`);

        // Act
        const subscription = resourcesOfType(template, 'AWS::SNS::Subscription').find(
          ([, s]) => refersTo(s.Properties.TopicArn, topicId) && refersTo(s.Properties.Endpoint, queueId),
        );

        // Assess
        expect(dlq).toBeDefined();
        expect(subscription?.[1].Properties).toEqual({
          Protocol: 'sqs',
          TopicArn: { Ref: topicId },
          Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
          RawMessageDelivery: definition.rawMessageDelivery,
          FilterPolicy: 'filterPolicy' in definition ? definition.filterPolicy : undefined,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(dlq!.queue), 'Arn'] } },
        });
      }
    });

    it('lets SNS use the queue key only for deliveries from the billing-events topic', () => {
      // Prepare
      const topicId = logicalIdOf(synthesized.stateful.topics.billingEvents.topic);

      // Act
      const dataKey = template.toJSON().Resources[logicalIdOf(synthesized.stateful.dataKey)];

      // Assess
      expect(dataKey.Properties.KeyPolicy.Statement).toContainEqual({
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } },
      });
    });
  });

  describe('Resource: identity', () => {
    it('creates a user pool that admins onboard, with deletion protection and a strong password policy', () => {
      // Assess
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        DeletionProtection: 'ACTIVE',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }),
        },
        MfaConfiguration: 'OPTIONAL',
        UserPoolTier: 'ESSENTIALS',
      });
    });

    it('offers the admin scope to the backend client only, through the client-credentials grant', () => {
      // Act (the portal's client lives in the stateless stack, next to its distribution)
      const clients = resourcesOfType(template, 'AWS::Cognito::UserPoolClient').map(([, c]) => c.Properties);
      const backend = clients.find((c) => c.GenerateSecret === true);
      const portal = resourcesOfType(synthesized.statelessTemplate, 'AWS::Cognito::UserPoolClient').map(([, c]) => c.Properties)[0];

      // Assess
      template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
        Identifier: 'repayflow',
        Scopes: [Match.objectLike({ ScopeName: 'admin' })],
      });
      expect(backend?.AllowedOAuthFlows).toEqual(['client_credentials']);
      expect(JSON.stringify(backend?.AllowedOAuthScopes)).toContain('/admin');
      expect(clients).toHaveLength(1);
      expect(JSON.stringify(portal?.AllowedOAuthScopes)).not.toContain('/admin');
    });
  });

  /**
   * The deployed resources and the local stack come from one definition, infra/resources.ts. These
   * tests read the synthesized templates only (not the constructs), so they fail if anything in
   * infra/aws adds, drops or changes a table key, an index, a queue, a topic or a subscription.
   */
  describe('Parity: infra/resources.ts', () => {
    it('defines exactly the table key schema and indexes of infra/resources.ts', () => {
      // Prepare
      const keyAttributes = [table.partitionKey, table.sortKey, ...Object.values(table.indexes).flatMap((i) => [i.partitionKey, i.sortKey])];

      // Act
      const tables = resourcesOfType(synthesized.statefulTemplate, 'AWS::DynamoDB::Table');
      const properties = tables[0]?.[1].Properties ?? {};

      // Assess
      expect(tables).toHaveLength(1);
      expect(tables[0]?.[0].startsWith(table.id)).toBe(true);
      expect(properties.KeySchema).toEqual([
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ]);
      expect(properties.AttributeDefinitions).toEqual(keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })));
      expect(
        (properties.GlobalSecondaryIndexes as any[]).map((gsi) => ({
          name: gsi.IndexName,
          partitionKey: gsi.KeySchema[0].AttributeName,
          sortKey: gsi.KeySchema[1].AttributeName,
        })),
      ).toEqual(Object.values(table.indexes));
      expect(properties.TimeToLiveSpecification.AttributeName).toBe(table.timeToLiveAttribute);
    });

    it('defines exactly the queues of infra/resources.ts, each with its dead-letter queue, plus one per subscription', () => {
      // Prepare
      const all = resourcesOfType(synthesized.statefulTemplate, 'AWS::SQS::Queue');

      for (const definition of Object.values(queues)) {
        // Act
        const [main, ...extraMain] = byPrefix(all, `${definition.id}Queue`);
        const [dlq, ...extraDlq] = byPrefix(all, `${definition.id}DeadLetterQueue`);

        // Assess
        expect(extraMain).toEqual([]);
        expect(extraDlq).toEqual([]);
        expect(main?.[1].Properties.VisibilityTimeout).toBe(definition.visibilityTimeoutSeconds);
        expect(main?.[1].Properties.RedrivePolicy).toEqual({
          deadLetterTargetArn: { 'Fn::GetAtt': [dlq?.[0], 'Arn'] },
          maxReceiveCount: definition.maxReceiveCount,
        });
        expect(dlq?.[1].Properties.MessageRetentionPeriod).toBe(definition.dlqRetentionDays * 24 * 3600);
      }
      expect(all).toHaveLength(2 * Object.keys(queues).length + subscriptions.length);
    });

    it('defines exactly the topics of infra/resources.ts', () => {
      // Act
      const ids = resourcesOfType(synthesized.statefulTemplate, 'AWS::SNS::Topic').map(([id]) => id);

      // Assess
      expect(ids).toHaveLength(Object.keys(topics).length);
      for (const definition of Object.values(topics)) {
        expect(
          byPrefix(
            ids.map((id) => [id, id]),
            definition.id,
          ),
        ).toHaveLength(1);
      }
    });

    it('defines exactly the subscriptions of infra/resources.ts, with their filter policy and raw delivery', () => {
      // Act
      const all = resourcesOfType(synthesized.statefulTemplate, 'AWS::SNS::Subscription');

      // Assess
      expect(all).toHaveLength(subscriptions.length);
      for (const definition of subscriptions) {
        const topicId = `${topics[definition.topic].id}`;
        const queueId = `${queues[definition.queue].id}Queue`;
        const match = all.find(([, s]) => JSON.stringify(s.Properties.TopicArn).includes(topicId) && JSON.stringify(s.Properties.Endpoint).includes(queueId));
        expect(match?.[1].Properties).toMatchObject({
          Protocol: 'sqs',
          RawMessageDelivery: definition.rawMessageDelivery,
          ...('filterPolicy' in definition ? { FilterPolicy: definition.filterPolicy } : {}),
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${definition.id}DeadLetterQueue`)), 'Arn'] } },
        });
      }
    });
  });
});
