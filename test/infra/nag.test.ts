import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNagChecks } from '../../infra/aws/nag.ts';
import { removeDir, synthesize, type Synthesized } from './helpers.ts';

/** Every acknowledgement in the tree: where, which finding, why. */
function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('Validation: cdk-nag', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    // Act (synthesis runs the rule packs and throws on any unacknowledged finding)
    synthesized = synthesize();
  });
  afterAll(() => removeDir(synthesized.outdir));

  it('reports no unacknowledged finding from the AwsSolutions and Serverless packs', () => {
    // Act
    const reports = [new AwsSolutionsChecks(), new ServerlessChecks()].map((pack) => pack.validateScope(synthesized.app));

    // Assess
    expect(reports.flatMap((r) => r.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((x) => x.constructPath).join(', ')}`))).toEqual([]);
    expect(reports.every((r) => r.success)).toBe(true);
  });

  it('fails synthesis when a construct has an unacknowledged finding', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Careless');
    new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    addNagChecks(app);

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-SQS2/);
  });

  it('gives every acknowledgement a specific reason', () => {
    // Act
    const all = acknowledgements(synthesized.app);

    // Assess
    expect(all.length).toBeGreaterThan(0);
    for (const { path, id, reason } of all) {
      expect(reason.length, `${id} on ${path}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('acknowledges wildcard IAM findings only where the service allows nothing narrower', () => {
    // Act
    const wildcards = acknowledgements(synthesized.app).filter(({ id }) => id.startsWith('AwsSolutions-IAM5'));

    // Assess
    const distinct = [...new Set(wildcards.map(({ id, reason }) => `${id} ${reason}`))].sort();
    expect(distinct).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\] SNS authorises Publish to a phone number/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\] The role Cognito uses/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\] X-Ray active tracing/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<SweepFunction[0-9A-F]+\.Arn>:\*\] lambda:InvokeFunction/),
    ]);
  });
});
