/**
 * The SES mailer in the templates: the mailer consumes the emails queue and may call only
 * `ses:SendEmail`, only on its identity and its configuration set; the configuration set reports
 * bounces and complaints to the email-feedback topic, which SES alone may publish to; the
 * feedback function consumes that topic's queue. Synthesis runs cdk-nag (a finding throws).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf, removeDir, type Synthesized, synthesize } from './helpers.ts';

describe('Construct: Mailer', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize({ context: { emailFrom: 'notices@pay.example.com' } });
    // Bundles the two real handlers with esbuild, as `cdk synth` does.
  }, 300_000);
  afterAll(() => {
    if (synthesized) removeDir(synthesized.outdir);
  });

  it('deploys no mailer without an emailFrom', { timeout: 300_000 }, () => {
    const plain = synthesize();
    try {
      expect(plain.stateless.mailer).toBeUndefined();
      plain.statelessTemplate.resourceCountIs('AWS::SES::ConfigurationSet', 0);
    } finally {
      removeDir(plain.outdir);
    }
  });

  it('reports bounces and complaints of its configuration set to the email-feedback topic', () => {
    const template = synthesized.statelessTemplate;
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'repayflow-dev' });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['bounce', 'complaint']),
        SnsDestination: { TopicARN: Match.anyValue() },
      },
    });
  });

  it('lets the mailer call only ses:SendEmail, on its identity and its configuration set', () => {
    const resources = synthesized.statelessTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
    const roleId = logicalIdOf(synthesized.stateless.mailer!.mailer.role!);
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    const ses = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('ses:')));
    expect(ses).toHaveLength(1);
    expect(ses[0]!.Action).toBe('ses:SendEmail');
    const arns = JSON.stringify(ses[0]!.Resource);
    expect(arns).toContain(':identity/pay.example.com');
    expect(arns).toContain(':configuration-set/repayflow-dev');
    expect(arns).not.toContain('*');
    // The sender and configuration set reach the function through its environment.
    const fn = resources[logicalIdOf(synthesized.stateless.mailer!.mailer)]!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ EMAIL_FROM: 'notices@pay.example.com', SES_CONFIGURATION_SET: 'repayflow-dev' });
  });

  it('consumes the emails queue with the mailer and the email-feedback queue with the feedback function', () => {
    const mappings = Object.values(synthesized.statelessTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping',
    );
    const target = (fn: { node: unknown }) => logicalIdOf(fn as never);
    const sources = (fnId: string) => mappings.filter((m) => JSON.stringify(m.Properties.FunctionName).includes(fnId)).map((m) => JSON.stringify(m.Properties.EventSourceArn));
    expect(sources(target(synthesized.stateless.mailer!.mailer)).join()).toMatch(/EmailsQueue/);
    expect(sources(target(synthesized.stateless.mailer!.feedback)).join()).toMatch(/EmailFeedbackQueue/);
  });

  it('graphs the errors and p99 duration of the mailer and the feedback function on the operations dashboard', () => {
    // Act
    const dashboards = Object.values(synthesized.statelessTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).filter(
      (r) => r.Type === 'AWS::CloudWatch::Dashboard',
    );
    const body = JSON.stringify(dashboards.map((d) => d.Properties.DashboardBody));

    // Assess: each function's errors and duration metrics name it.
    for (const fn of [synthesized.stateless.mailer!.mailer, synthesized.stateless.mailer!.feedback]) {
      const id = logicalIdOf(fn as never);
      expect(body).toMatch(new RegExp(`Errors[^\\]]*${id}`));
      expect(body).toMatch(new RegExp(`Duration[^\\]]*${id}`));
    }
  });

  it('lets only SES of this account publish to the email-feedback topic', () => {
    synthesized.statefulTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'ses.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } } }),
        ]),
      },
    });
  });

  it('bundles the mailer and the feedback function small: SES client and handler under 400 KiB each', () => {
    const resources = synthesized.statelessTemplate.toJSON().Resources;
    for (const fn of [synthesized.stateless.mailer!.mailer, synthesized.stateless.mailer!.feedback]) {
      const s3Key: string = resources[logicalIdOf(fn)].Properties.Code.S3Key;
      const file = path.join(synthesized.outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      expect(fs.statSync(file).size).toBeLessThan(400 * 1024);
    }
  });
});
