/**
 * The identity provider the stack creates when the deployer brings none: a Cognito user pool
 * whose tokens the API's JWT authorizer accepts.
 *
 * - Customers sign in on the pool's managed login pages (the hosted UI) with their phone number
 *   and a code sent by SMS (passwordless SMS one-time password, a choice-based first factor of
 *   the Essentials plan); ops staff in the `admin` group sign in with a password (and TOTP).
 *   Their `sub` is their customer id (create the customer over the API with that id). The
 *   portal's own app client (authorization code + PKCE, callback URLs on the distribution)
 *   lives in the stateless stack next to the distribution: see `PortalSignIn`.
 * - Backend client: the merchant's backend gets tokens with the client-credentials grant and
 *   the admin scope, which the admin-only routes require.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { smsPublishStatement } from './bind.ts';

export interface IdentityProps {
  readonly stage: string;
  /** `<resource server>/<scope>`, e.g. `repayflow/admin`. */
  readonly adminScope: string;
  readonly mfa: 'optional' | 'required';
}

export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly backendClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** Token issuer, as the JWT authorizer must be told it. */
  readonly issuer: string;
  readonly audience: readonly string[];

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const slash = props.adminScope.lastIndexOf('/');
    if (slash <= 0 || slash === props.adminScope.length - 1) {
      throw new Error(`adminScope "${props.adminScope}" must look like "<resource server>/<scope>"`);
    }
    const resourceServerId = props.adminScope.slice(0, slash);
    const scopeName = props.adminScope.slice(slash + 1);

    // Cognito texts sign-in codes with this role: SMS to phone numbers and nothing else.
    const smsRoleExternalId = `repayflow-${props.stage}-cognito-sms`;
    const smsRole = new iam.Role(this, 'SmsRole', {
      assumedBy: new iam.ServicePrincipal('cognito-idp.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': smsRoleExternalId } } }),
      description: 'Cognito sends sign-in and verification codes by SMS',
      inlinePolicies: { Sms: new iam.PolicyDocument({ statements: [smsPublishStatement()] }) },
    });

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Customers are onboarded by the merchant (POST /v1/customers), not by self sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true, phone: true },
      autoVerify: { email: true, phone: true },
      // Customers: phone number, then a code by SMS. The API requires password to stay allowed (staff).
      signInPolicy: { allowedFirstAuthFactors: { password: true, smsOtp: true } },
      smsRole,
      smsRoleExternalId,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: props.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Essentials: passwordless sign-in (SMS one-time passwords) and the managed login pages.
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new cognito.CfnUserPoolGroup(this, 'AdminGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: 'admin',
      description: 'Finance and operations staff: may act on every customer',
    });
    acknowledge(this.userPool, {
      'AwsSolutions-COG8':
        'The Plus feature plan (threat protection) is billed per monthly active user; at 100k customers it would cost more than the rest of the system except SMS. Deployers who want it can switch featurePlan.',
      ...(props.mfa === 'required'
        ? {}
        : {
            'AwsSolutions-COG2':
              'MFA is optional (TOTP) by default because end customers of a merchant cannot be forced to install an authenticator; set the "mfa" context to "required" for staff-only pools.',
          }),
    });

    const adminScope = new cognito.ResourceServerScope({ scopeName, scopeDescription: 'Merchant backend: create customers and plans, cancel plans' });
    const resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: resourceServerId,
      scopes: [adminScope],
    });

    this.backendClient = this.userPool.addClient('BackendClient', {
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [cognito.OAuthScope.resourceServer(resourceServer, adminScope)],
      },
      accessTokenValidity: Duration.hours(1),
    });
    // The token endpoint (client credentials, authorization code) and the managed login pages
    // live on the pool's domain.
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: `repayflow-${props.stage}-${Aws.ACCOUNT_ID}` },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.issuer = this.userPool.userPoolProviderUrl;
    this.audience = [this.backendClient.userPoolClientId];
  }
}
