/**
 * Who is calling. On AWS the API Gateway JWT authorizer has verified the token and passes its
 * claims; the function verifies it again against the issuer's keys (defense in depth: a route
 * deployed without the authorizer still refuses forged tokens). Locally the server verifies
 * `/local/token` JWTs itself. Either way the router sees a `Principal` or nothing (401).
 */
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

export interface Principal {
  sub: string;
  admin: boolean;
}

export type Authenticator = (request: { authorization?: string; lambdaClaims?: Record<string, unknown> }) => Promise<Principal | undefined>;

export const ADMIN_ROLE = 'admin';

/**
 * Which claims make an admin. Locally the stack's own tokens carry `roles: ['admin']`. On AWS
 * only what the identity provider alone can grant counts: the admin scope the CDK app
 * configured (`ADMIN_SCOPE`, the scope the API Gateway routes require) and the Cognito `admin`
 * group; a `roles` claim or a bare `admin` scope makes nobody an admin.
 */
export interface AdminClaims {
  /** Honour `roles: ['admin']` (local tokens only). */
  roles: boolean;
  /** The OAuth scope that makes an admin; none when undefined. */
  scope: string | undefined;
}

export const LOCAL_ADMIN_CLAIMS: AdminClaims = { roles: true, scope: undefined };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.replace(/^\[|\]$/g, '').split(/[\s,]+/) : []);

function isAdmin(claims: Record<string, unknown>, admin: AdminClaims): boolean {
  if (admin.roles && list(claims.roles).includes(ADMIN_ROLE)) return true;
  if (list(claims['cognito:groups']).includes(ADMIN_ROLE)) return true;
  return admin.scope !== undefined && list(claims.scope).includes(admin.scope);
}

/** How far in the future a token's `iat` may lie (the issuer's clock running ahead of ours). */
export const IAT_SKEW_SECONDS = 60;

/**
 * Claims only an access token for now may carry: a `token_use` other than `access` (a Cognito
 * ID token, say) or an `iat` beyond the skew in the future is refused.
 */
function usableNow(claims: Record<string, unknown>, now = Date.now()): boolean {
  if (claims.token_use !== undefined && claims.token_use !== 'access') return false;
  if (claims.iat === undefined) return true;
  const iat = Number(claims.iat);
  return Number.isFinite(iat) && iat <= Math.floor(now / 1000) + IAT_SKEW_SECONDS;
}

export function principalOf(claims: Record<string, unknown>, admin: AdminClaims): Principal | undefined {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) return undefined;
  if (!usableNow(claims)) return undefined;
  return { sub: claims.sub, admin: isAdmin(claims, admin) };
}

const bearerToken = (authorization: string | undefined) => /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];

/** How long a verified token is taken as verified without checking its signature again. */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
/** Verified tokens kept at most; the one verified longest ago goes first. */
export const VERIFIED_TOKENS_MAX = 1000;

/**
 * Tokens whose signature and claims were verified lately, by their exact text (signature
 * included), so a client's run of requests pays for one verification, not one each. An entry
 * lasts until its token expires (`exp`, checked as the verifier checks it), and never longer
 * than `ttlMs`, so a signing key the issuer withdraws stops counting within that time. Only
 * successes are kept; claims that depend on the moment (`iat`, see `principalOf`) are checked
 * on every request.
 */
export class VerifiedTokens {
  readonly #entries = new Map<string, { payload: JWTPayload; until: number }>();

  constructor(
    private readonly ttlMs = VERIFIED_TOKEN_TTL_MS,
    private readonly max = VERIFIED_TOKENS_MAX,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The verified claims of `token`, or undefined when it must be verified (again). */
  get(token: string): JWTPayload | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.payload;
    this.#entries.delete(token);
    return undefined;
  }

  set(token: string, payload: JWTPayload): void {
    const now = this.now();
    const until = Math.min(now + this.ttlMs, typeof payload.exp === 'number' ? payload.exp * 1000 : now);
    if (until <= now) return;
    this.#entries.delete(token);
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(token, { payload, until });
  }

  /** `verify(token)`'s claims, from this cache while they last; a refusal (thrown) is never kept. */
  async verified(token: string, verify: (token: string) => Promise<JWTPayload>): Promise<JWTPayload> {
    const cached = this.get(token);
    if (cached) return cached;
    const payload = await verify(token);
    this.set(token, payload);
    return payload;
  }
}

/** Verifies HS256 tokens signed with the local stack's secret; rejects `alg: none` and anything else. */
export function localJwtAuthenticator(options: { secret: string; issuer: string; audience: string }, verifiedTokens = new VerifiedTokens()): Authenticator {
  const key = new TextEncoder().encode(options.secret);
  const verify = async (token: string) =>
    (await jwtVerify(token, key, { algorithms: ['HS256'], issuer: options.issuer, audience: options.audience, requiredClaims: ['exp'] })).payload;
  return async ({ authorization }) => {
    const token = bearerToken(authorization);
    if (!token) return undefined;
    try {
      return principalOf(await verifiedTokens.verified(token, verify), LOCAL_ADMIN_CLAIMS);
    } catch {
      return undefined;
    }
  };
}

/** Trusts the claims the API Gateway JWT authorizer verified. */
export function gatewayClaimsAuthenticator(adminScope: string | undefined): Authenticator {
  const admin: AdminClaims = { roles: false, scope: adminScope };
  return async ({ lambdaClaims }) => (lambdaClaims ? principalOf(lambdaClaims, admin) : undefined);
}

/** What an identity provider signs access tokens with; never `none`, never a shared secret. */
export const ISSUER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * The audience test of the API Gateway JWT authorizer: `aud` names one of the audiences, or,
 * for access tokens that carry none (Cognito), `client_id` does.
 */
function meantFor(payload: JWTPayload, audiences: readonly string[]): boolean {
  const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (aud.length > 0) return aud.some((a) => audiences.includes(a));
  return typeof payload.client_id === 'string' && audiences.includes(payload.client_id);
}

/** Token faults (401) as opposed to not reaching the issuer's keys (a fault of ours: thrown). */
function isTokenFault(err: unknown): boolean {
  return err instanceof errors.JOSEError && !(err instanceof errors.JWKSTimeout) && !(err instanceof errors.JWKSInvalid);
}

/**
 * Verifies the bearer token against the issuer's signing keys: signature (asymmetric
 * algorithms only), `iss`, `exp`/`nbf`, the audience, `token_use` and `iat` (see `principalOf`). When the API Gateway authorizer also
 * passed claims, they must be about the same subject.
 */
export function issuerJwtAuthenticator(
  options: { issuer: string; audience: readonly string[]; keys: JWTVerifyGetKey; adminScope: string | undefined },
  verifiedTokens = new VerifiedTokens(),
): Authenticator {
  const admin: AdminClaims = { roles: false, scope: options.adminScope };
  const verify = async (token: string) => (await jwtVerify(token, options.keys, { algorithms: ISSUER_ALGORITHMS, issuer: options.issuer, requiredClaims: ['exp', 'sub'] })).payload;
  return async ({ authorization, lambdaClaims }) => {
    const token = bearerToken(authorization);
    if (!token) return undefined;
    let payload: JWTPayload;
    try {
      payload = await verifiedTokens.verified(token, verify);
    } catch (err) {
      if (isTokenFault(err)) return undefined;
      throw err;
    }
    if (!meantFor(payload, options.audience)) return undefined;
    if (lambdaClaims && Object.keys(lambdaClaims).length > 0 && lambdaClaims.sub !== payload.sub) return undefined;
    return principalOf(payload, admin);
  };
}

/** `${issuer}/.well-known/jwks.json`, fetched once and cached by jose (refetched on an unknown `kid`). */
export function issuerKeys(issuer: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(`${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`));
}

/**
 * The Lambda's authenticator: with `JWT_ISSUER` and `JWT_AUDIENCE` configured, every token is
 * verified in the function too; without them (a deployment that relies on the authorizer
 * alone), the authorizer's claims are trusted.
 */
export function lambdaAuthenticator(
  config: { jwtIssuer: string | undefined; jwtAudience: string | undefined; adminScope: string | undefined },
  keys?: JWTVerifyGetKey,
): Authenticator {
  if (config.jwtIssuer === undefined) return gatewayClaimsAuthenticator(config.adminScope);
  const audience = (config.jwtAudience ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (audience.length === 0) throw new Error('JWT_AUDIENCE must name at least one audience when JWT_ISSUER is set');
  return issuerJwtAuthenticator({ issuer: config.jwtIssuer, audience, keys: keys ?? issuerKeys(config.jwtIssuer), adminScope: config.adminScope });
}
