/**
 * The deployed portal's sign-in: a public Cognito app client for the portal (authorization code
 * with PKCE, refresh tokens, sign-out), its managed login style, and `auth-config.json` in the
 * portal bucket, which tells the portal's OIDC client where to go. Its callback and sign-out
 * URLs are on the portal's own CloudFront distribution, which is why it lives in this stack.
 */
import { Duration } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { Identity } from './identity.ts';

/** The portal's paths the identity provider sends the browser back to. */
export const SIGN_IN_CALLBACK_PATH = '/signin/callback';
export const SIGNED_OUT_PATH = '/signin';
/** What the portal asks for: who the customer is (`openid`) and their phone number. */
export const PORTAL_SCOPES = ['openid', 'phone'] as const;

/** `auth-config.json`: read by web/src/identity.ts; its absence means local mode. */
export interface PortalAuthConfig {
  authority: string;
  clientId: string;
  redirectPath: string;
  postLogoutPath: string;
  scope: string;
  /** Cognito's sign-out endpoint, which its discovery document does not name. */
  endSessionEndpoint: string;
}

export interface PortalSignInProps {
  readonly identity: Identity;
  readonly distribution: cloudfront.IDistribution;
}

export class PortalSignIn extends Construct {
  readonly client: cognito.UserPoolClient;
  readonly authConfig: PortalAuthConfig;

  constructor(scope: Construct, id: string, props: PortalSignInProps) {
    super(scope, id);
    const origin = `https://${props.distribution.distributionDomainName}`;
    this.client = new cognito.UserPoolClient(this, 'PortalClient', {
      userPool: props.identity.userPool,
      generateSecret: false,
      // Choice-based sign-in (SMS one-time password) on the managed login pages, and refresh.
      authFlows: { user: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PHONE],
        callbackUrls: [`${origin}${SIGN_IN_CALLBACK_PATH}`],
        logoutUrls: [`${origin}${SIGNED_OUT_PATH}`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    // Managed login needs a style per client; Cognito's own defaults.
    new cognito.CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: props.identity.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.authConfig = {
      authority: props.identity.issuer,
      clientId: this.client.userPoolClientId,
      redirectPath: SIGN_IN_CALLBACK_PATH,
      postLogoutPath: SIGNED_OUT_PATH,
      scope: PORTAL_SCOPES.join(' '),
      endSessionEndpoint: `${props.identity.domain.baseUrl()}/logout`,
    };
  }

  /** Adds `auth-config.json` to the portal upload (tokens resolved at deploy time). */
  publishTo(deployment: s3deploy.BucketDeployment): void {
    deployment.addSource(s3deploy.Source.jsonData('auth-config.json', this.authConfig));
  }
}
