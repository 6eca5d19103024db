/**
 * Builds the whole CDK app: configuration from context, the stateful and stateless stacks, and
 * the cdk-nag rule packs. `app.ts` synthesizes it for the CLI; the tests build it the same way.
 */
import { Annotations, App, type AppProps, Tags } from 'aws-cdk-lib';
import { type DeploymentConfig, readDeploymentConfig } from './config.ts';
import { EDGE_REGION, EdgeStack } from './edge-stack.ts';
import { addNagChecks } from './nag.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack, type StatelessStackProps } from './stateless-stack.ts';

export interface BuildOptions extends Pick<StatelessStackProps, 'entries' | 'bundlingOverrides' | 'webDistPath'> {
  readonly app?: App;
  readonly appProps?: AppProps;
}

export interface RepayflowApp {
  readonly app: App;
  readonly config: DeploymentConfig;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  readonly edge: EdgeStack;
}

export function buildApp(options: BuildOptions = {}): RepayflowApp {
  const app = options.app ?? new App(options.appProps);
  const config = readDeploymentConfig(app.node);
  // Deploys into the account and region the CLI is configured for. The region is named (from
  // the CLI, else the `region` context) because the WAF web ACL lives in us-east-1 and the
  // stateless stack reads it across regions, which CDK allows between stacks of known regions.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region };
  const prefix = `Repayflow-${config.stage}`;

  const edge = new EdgeStack(app, `${prefix}-Edge`, {
    env: { account: env.account, region: EDGE_REGION },
    stage: config.stage,
    requestsPer5Minutes: config.wafRequestsPer5Minutes,
    description: 'repayflow: AWS WAF web ACL of the portal distribution (CloudFront scope, us-east-1)',
    crossRegionReferences: true,
  });

  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    stage: config.stage,
    description: 'repayflow: table, queues, topics, identity and their key (data that outlives deployments)',
    terminationProtection: config.isProduction,
    identity: config.jwtIssuer === undefined ? { adminScope: config.adminScope, mfa: config.mfa } : undefined,
    paymentProviders: config.paymentGateway === 'providers' ? { ...(config.paymentSecretName === undefined ? {} : { secretName: config.paymentSecretName }) } : undefined,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    env,
    description: 'repayflow: functions, schedule, API, portal hosting, alarms and dashboard',
    config,
    stateful,
    entries: options.entries,
    bundlingOverrides: options.bundlingOverrides,
    webDistPath: options.webDistPath,
    webAclArn: edge.webAcl.attrArn,
    crossRegionReferences: true,
  });

  // readDeploymentConfig refused the simulated gateway already unless this stage allows it.
  if (config.paymentGateway === 'simulated') {
    Annotations.of(stateless).addWarningV2(
      '@repayflow/simulated-gateway',
      `stage "${config.stage}" uses the SIMULATED payment gateway (allowSimulatedGateway: true): no real money moves. Use paymentGateway "providers" for real payments.`,
    );
  }
  Tags.of(app).add('app', 'repayflow');
  Tags.of(app).add('stage', config.stage);
  addNagChecks(app);
  return { app, config, stateful, stateless, edge };
}
