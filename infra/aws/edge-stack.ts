/**
 * The edge stack: the AWS WAF web ACL in front of the portal's CloudFront distribution.
 *
 * A web ACL of scope CLOUDFRONT must be created in us-east-1 whatever region the rest of
 * repayflow runs in, so it lives in its own stack pinned to us-east-1; the stateless stack reads
 * its ARN through CDK's cross-region references (an SSM parameter CDK writes here and reads
 * there), which is why the app's stacks name their region explicitly.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export const EDGE_REGION = 'us-east-1';

export interface EdgeStackProps extends StackProps {
  readonly stage: string;
  /** Requests one client IP may send in 5 minutes before it is blocked (all paths). */
  readonly requestsPer5Minutes: number;
}

/** Paths that carry no customer: a flood of them is blocked at a fifth of the general limit. */
const PUBLIC_PATHS = ['/health', '/openapi.json', '/docs', '/v1/webhooks/'];

export class EdgeStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const publicLimit = Math.max(100, Math.floor(props.requestsPer5Minutes / 5));

    this.webAcl = new wafv2.CfnWebACL(this, 'PortalWebAcl', {
      name: `repayflow-${props.stage}-portal`,
      description: 'repayflow portal and API behind CloudFront: per-IP rate limits and AWS managed protections',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`repayflow-${props.stage}-portal`),
      rules: [
        {
          name: 'RatePerIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: props.requestsPer5Minutes } },
          visibilityConfig: visibility('RatePerIp'),
        },
        {
          name: 'RatePerIpPublicPaths',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: publicLimit,
              scopeDownStatement: {
                orStatement: {
                  statements: PUBLIC_PATHS.map((path) => ({
                    byteMatchStatement: {
                      fieldToMatch: { uriPath: {} },
                      positionalConstraint: 'STARTS_WITH',
                      searchString: path,
                      textTransformations: [{ priority: 0, type: 'NONE' }],
                    },
                  })),
                },
              },
            },
          },
          visibilityConfig: visibility('RatePerIpPublicPaths'),
        },
        {
          name: 'AwsIpReputation',
          priority: 2,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
          visibilityConfig: visibility('AwsIpReputation'),
        },
        {
          name: 'AwsKnownBadInputs',
          priority: 3,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
          visibilityConfig: visibility('AwsKnownBadInputs'),
        },
      ],
    });
  }
}
