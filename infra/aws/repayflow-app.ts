/**
 * Builds the whole CDK app: configuration from context, the stateful and stateless stacks, and
 * the cdk-nag rule packs. `app.ts` synthesizes it for the CLI; the tests build it the same way.
 */
import { Annotations, App, type AppProps, Tags } from 'aws-cdk-lib';
import { readDeploymentConfig, type DeploymentConfig } from './config.ts';
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
}

export function buildApp(options: BuildOptions = {}): RepayflowApp {
  const app = options.app ?? new App(options.appProps);
  const config = readDeploymentConfig(app.node);
  // Deploys into whatever account and region the CLI is configured for; synth needs neither.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const prefix = `Repayflow-${config.stage}`;

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
  return { app, config, stateful, stateless };
}
