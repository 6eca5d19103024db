/**
 * `RepayflowFunction`: a NodejsFunction with the house defaults set once — arm64, Node.js 22,
 * active tracing, an explicit log group with retention, and a minified, tree-shaken ESM bundle
 * that carries its own AWS SDK clients (only the ones the handler imports).
 *
 * It brings its own role whose only built-in permission is writing to its own log group, so no
 * AWS managed policy is attached; everything else is added by the `bind*` helpers.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

/** Lets bundled CommonJS dependencies `require` Node built-ins from inside an ES module. */
export const ESM_REQUIRE_SHIM = "import { createRequire as __repayflowCreateRequire } from 'node:module';const require = __repayflowCreateRequire(import.meta.url);";

export const DEFAULT_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  esbuildArgs: {
    // esbuild tree-shakes bundles by default; stated so that nobody turns it off by accident.
    '--tree-shaking': 'true',
    // Non-ASCII text (zh-CN notice templates, library messages) stays UTF-8 instead of \uXXXX
    // escapes: about 70 KB less per bundle. (The `charset` bundling prop is not passed on to
    // esbuild by this aws-cdk-lib version, hence the raw argument.)
    '--charset': 'utf8',
  },
  // Nothing external: the bundle carries the SDK v3 clients it imports (pinned by our lock
  // file) instead of whichever version the runtime happens to ship.
  externalModules: [],
  banner: ESM_REQUIRE_SHIM,
};

export interface RepayflowFunctionProps
  extends Omit<NodejsFunctionProps, 'runtime' | 'architecture' | 'tracing' | 'logGroup' | 'role' | 'timeout' | 'memorySize'> {
  readonly entry: string;
  readonly description: string;
  /** Required: a deliberate choice per function (and an SQS consumer's visibility depends on it). */
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logRetentionDays: number;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Tests may replace bundling options (never the defaults above in the real app). */
  readonly bundlingOverrides?: Partial<BundlingOptions>;
}

export class RepayflowFunction extends NodejsFunction {
  /** The log group this function writes to (created here, with retention). */
  readonly functionLogGroup: logs.LogGroup;
  readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: RepayflowFunctionProps) {
    const { logRetentionDays, logRemovalPolicy, bundlingOverrides, bundling, environment, ...rest } = props;
    // Created beside the function because a constructor cannot add children before super().
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: logRetentionDays as logs.RetentionDays,
      removalPolicy: logRemovalPolicy,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });

    super(scope, id, {
      ...rest,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      // Only meaningful for SDK v2; v3 reuses connections by default.
      awsSdkConnectionReuse: false,
      environment: { NODE_ENV: 'production', ...environment },
      bundling: { ...DEFAULT_BUNDLING, ...bundling, ...bundlingOverrides },
    });

    this.functionLogGroup = logGroup;
    this.executionRole = role;
    logGroup.grantWrite(role);

    acknowledge(role, {
      'AwsSolutions-IAM5[Resource::*]':
        'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
    acknowledge(this, {
      'AwsSolutions-L1':
        'Pinned to the Node.js 22 LTS runtime the code base is built and tested for; moving to a newer runtime is a deliberate upgrade.',
      'Serverless-LambdaLatestVersion':
        'Pinned to the Node.js 22 LTS runtime the code base is built and tested for; moving to a newer runtime is a deliberate upgrade.',
    });
  }
}
