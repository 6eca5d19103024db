/**
 * Who is calling. On AWS the API Gateway JWT authorizer has verified the token and passes its
 * claims; locally the server verifies `/local/token` JWTs itself. Either way the router sees a
 * `Principal` or nothing.
 */
import { jwtVerify } from 'jose';

export interface Principal {
  sub: string;
  admin: boolean;
}

export type Authenticator = (request: { authorization?: string; lambdaClaims?: Record<string, unknown> }) => Promise<Principal | undefined>;

export const ADMIN_ROLE = 'admin';
export const ADMIN_SCOPE = 'repayflow/admin';

function rolesOf(claims: Record<string, unknown>): string[] {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.replace(/^\[|\]$/g, '').split(/[\s,]+/) : []);
  return [...list(claims.roles), ...list(claims['cognito:groups']), ...list(claims.scope)];
}

export function principalOf(claims: Record<string, unknown>): Principal | undefined {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) return undefined;
  const roles = rolesOf(claims);
  return { sub: claims.sub, admin: roles.includes(ADMIN_ROLE) || roles.includes(ADMIN_SCOPE) };
}

/** Verifies HS256 tokens signed with the local stack's secret; rejects `alg: none` and anything else. */
export function localJwtAuthenticator(options: { secret: string; issuer: string; audience: string }): Authenticator {
  const key = new TextEncoder().encode(options.secret);
  return async ({ authorization }) => {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: options.issuer, audience: options.audience });
      return principalOf(payload);
    } catch {
      return undefined;
    }
  };
}

/** Trusts the claims the API Gateway JWT authorizer verified. */
export const gatewayClaimsAuthenticator: Authenticator = async ({ lambdaClaims }) => (lambdaClaims ? principalOf(lambdaClaims) : undefined);
