/**
 * Hosting for the customer and ops portal: a private S3 bucket behind CloudFront with origin
 * access control. CloudFront also forwards the API paths to the HTTP API, so the portal calls
 * its own origin (no CORS, tokens never cross origins).
 */
import * as fs from 'node:fs';
import { Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge } from '../nag.ts';

export interface PortalProps {
  /** `https://<id>.execute-api.<region>.amazonaws.com` of the HTTP API. */
  readonly apiEndpoint: string;
  /** Paths CloudFront sends to the API instead of the bucket. */
  readonly apiPaths: readonly string[];
  /** Built portal to upload; skipped when the folder does not exist at synth time. */
  readonly webDistPath: string;
  /** AWS WAF web ACL (CloudFront scope) with the per-IP rate limits. */
  readonly webAclArn: string;
  /**
   * Headers CloudFront adds to every request it forwards to the API (the origin-verify secret the
   * api function requires, functions/api/origin-guard.ts); a viewer's header of the same name is overwritten.
   */
  readonly apiOriginHeaders?: Record<string, string>;
}

/**
 * Single-page app routing on the bucket origin only: `/plans/42` is served `index.html`; files
 * (anything with an extension) are served as they are. API behaviours are not affected.
 */
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) { request.uri = '/index.html'; }
  return request;
}`;

export class Portal extends Construct {
  readonly bucket: s3.Bucket;
  readonly logsBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly deployment: s3deploy.BucketDeployment | undefined;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);

    this.logsBucket = new s3.Bucket(this, 'LogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Log delivery (S3 server access logs, CloudFront standard logs) supports SSE-S3 only.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with an ACL, which needs ACLs enabled for the owner.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.logsBucket, {
      'AwsSolutions-S1': 'This is the access-log bucket itself; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const apiOrigin = new origins.HttpOrigin(Fn.select(2, Fn.split('/', props.apiEndpoint)), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      ...(props.apiOriginHeaders ? { customHeaders: props.apiOriginHeaders } : {}),
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Forwards Authorization, query strings and bodies; Host stays the API's own.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };

    const spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Serve index.html for portal routes',
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `repayflow portal (${Stack.of(this).stackName})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [{ function: spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries(props.apiPaths.map((path) => [path, apiBehavior])),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cdn/',
      webAclId: props.webAclArn,
    });
    acknowledge(this.distribution, {
      'AwsSolutions-CFR1': 'Customers may travel; the portal is served worldwide and every API call is authenticated.',
      'AwsSolutions-CFR4':
        'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the viewer TLS policy; add a custom domain and certificate with minimumProtocolVersion TLSv1.2_2021 to raise it.',
    });

    this.deployment = fs.existsSync(props.webDistPath) ? this.deployPortal(props.webDistPath) : undefined;
  }

  private deployPortal(webDistPath: string): s3deploy.BucketDeployment {
    const role = new InvalidatesOneDistribution(this, 'DeploymentRole', this.distribution);
    const deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      role,
      sources: [s3deploy.Source.asset(webDistPath)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    // The upload runs in a CDK-provided singleton function created at stack level.
    const stack = Stack.of(this);
    const providers: IConstruct[] = stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    const siteBucketId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const qualifier = (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? 'hnb659fds';
    // A stack with a concrete region renders the assets bucket ARN without tokens.
    const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    for (const provider of [...providers, role]) {
      acknowledge(provider, {
        ...BUCKET_DEPLOYMENT_ACKNOWLEDGEMENTS,
        [`AwsSolutions-IAM5[Resource::<${siteBucketId}.Arn>/*]`]: `${CDK_PROVIDED} it replaces every object of the portal bucket, so it needs all of its keys.`,
        [`AwsSolutions-IAM5[Resource::arn:${partition}:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-${region}/*]`]: `${CDK_PROVIDED} it reads the uploaded portal archive from the CDK bootstrap assets bucket (asset keys are content hashes).`,
      });
    }
    return deployment;
  }
}

/**
 * The upload function's role. BucketDeployment grants CloudFront invalidations on `*`; this role
 * narrows that statement to the portal's own distribution as it is added.
 */
class InvalidatesOneDistribution extends iam.Role {
  constructor(
    scope: Construct,
    id: string,
    private readonly distribution: cloudfront.IDistribution,
  ) {
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
      description: 'Copies the built portal into its bucket and invalidates its distribution',
    });
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const invalidates = statement.actions.some((a) => a.startsWith('cloudfront:'));
    if (!invalidates || !statement.resources.includes('*')) return super.addToPrincipalPolicy(statement);
    return super.addToPrincipalPolicy(new iam.PolicyStatement({ actions: statement.actions, resources: [this.distribution.distributionArn] }));
  }
}

const CDK_PROVIDED = 'CDK-provided deployment-time function that copies the built portal into the bucket;';
const BUCKET_DEPLOYMENT_ACKNOWLEDGEMENTS: Record<string, string> = {
  'AwsSolutions-L1': `${CDK_PROVIDED} its runtime is chosen by aws-cdk-lib.`,
  'Serverless-LambdaLatestVersion': `${CDK_PROVIDED} its runtime is chosen by aws-cdk-lib.`,
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': `${CDK_PROVIDED} it only needs to write its logs.`,
  'Serverless-LambdaDLQ': `${CDK_PROVIDED} invoked synchronously by CloudFormation, which reports failures itself.`,
  'Serverless-LambdaTracing': `${CDK_PROVIDED} runs only during deployments; tracing adds nothing.`,
  'AwsSolutions-IAM5[Action::s3:GetObject*]': `${CDK_PROVIDED} S3 read actions granted by the construct (objects, versions, ACLs, tags) on the two buckets only.`,
  'AwsSolutions-IAM5[Action::s3:GetBucket*]': `${CDK_PROVIDED} S3 read actions granted by the construct on the two buckets only.`,
  'AwsSolutions-IAM5[Action::s3:List*]': `${CDK_PROVIDED} listing the two buckets to find objects to replace or prune.`,
  'AwsSolutions-IAM5[Action::s3:DeleteObject*]': `${CDK_PROVIDED} prunes files of earlier portal versions, in the portal bucket only.`,
  'AwsSolutions-IAM5[Action::s3:Abort*]': `${CDK_PROVIDED} aborts its own failed multipart uploads into the portal bucket.`,
};
