/**
 * `RepayflowFunction`: a Lambda function with the house defaults set once — arm64, Node.js 22,
 * active tracing, an explicit log group with retention, and a minified, tree-shaken ESM bundle
 * that imports the AWS SDK clients from the Lambda runtime (only the ones the handler imports),
 * built by `infra/aws/bundle.ts` with local esbuild (no Docker).
 *
 * It brings its own role whose only built-in permission is writing to its own log group, so no
 * AWS managed policy is attached; everything else is added by the `bind*` helpers.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, type Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

export { ESM_REQUIRE_SHIM } from '../bundle.ts';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BUNDLE_SCRIPT = join(REPO_ROOT, 'infra', 'aws', 'bundle.ts');

/** How a handler is bundled; tests may ask for esbuild's metafile beside the bundle. */
export interface BundlingOptions {
  readonly metafile?: boolean;
  /** Whether the bundle may carry the simulated gateway (only for stages that allow it). */
  readonly simulatedGateway?: boolean;
}

export interface RepayflowFunctionProps
  extends Omit<lambda.FunctionProps, 'runtime' | 'architecture' | 'tracing' | 'logGroup' | 'role' | 'timeout' | 'memorySize' | 'code' | 'handler'> {
  /** The handler module (`functions/<name>/handler.ts`, exporting `handler`). */
  readonly entry: string;
  readonly description: string;
  /** Required: a deliberate choice per function (and an SQS consumer's visibility depends on it). */
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logRetentionDays: number;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Tests may ask for more bundling output (never in the real app). */
  readonly bundlingOverrides?: Partial<BundlingOptions>;
}

/** The bundle as a Lambda asset, built locally by `infra/aws/bundle.ts` and hashed by its output. */
function bundledCode(entry: string, options: BundlingOptions): lambda.Code {
  return lambda.Code.fromAsset(dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API; never pulled, because local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      local: {
        tryBundle(outputDir: string): boolean {
          const args = [
            '--import',
            'tsx',
            BUNDLE_SCRIPT,
            '--entry',
            entry,
            '--outdir',
            outputDir,
            ...(options.metafile ? ['--metafile'] : []),
            ...(options.simulatedGateway === true ? [] : ['--no-simulated-gateway']),
          ];
          execFileSync(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
          return true;
        },
      },
    },
  });
}

export class RepayflowFunction extends lambda.Function {
  /** The log group this function writes to (created here, with retention). */
  readonly functionLogGroup: logs.LogGroup;
  readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: RepayflowFunctionProps) {
    const { logRetentionDays, logRemovalPolicy, bundlingOverrides, entry, environment, ...rest } = props;
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
      code: bundledCode(entry, { ...bundlingOverrides }),
      handler: 'index.handler',
      environment: { NODE_ENV: 'production', ...environment },
    });

    this.functionLogGroup = logGroup;
    this.executionRole = role;
    logGroup.grantWrite(role);

    acknowledge(role, {
      'AwsSolutions-IAM5[Resource::*]': 'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
    acknowledge(this, {
      'AwsSolutions-L1': 'Pinned to the Node.js 22 LTS runtime the code base is built and tested for; moving to a newer runtime is a deliberate upgrade.',
      'Serverless-LambdaLatestVersion': 'Pinned to the Node.js 22 LTS runtime the code base is built and tested for; moving to a newer runtime is a deliberate upgrade.',
    });
  }
}
