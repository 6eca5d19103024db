/**
 * A stand-in identity provider for tests: an RS256 key pair, its JWKS served at
 * `<issuer>/.well-known/jwks.json` on 127.0.0.1, and token signing. Also builds the API Gateway
 * HTTP API (payload 2.0) events a Lambda behind a JWT authorizer receives.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export interface TestIssuer {
  issuer: string;
  audience: string;
  /** A token signed by the issuer's key; `claims` override the defaults (sub, aud, exp…). */
  sign(claims: JWTPayload & { roles?: string[] }, options?: { expiresIn?: string | number; audience?: string | null; issuer?: string; kid?: string }): Promise<string>;
  /** The same token, signed by a key the issuer never published (with the issuer's `kid`). */
  forge(claims: JWTPayload): Promise<string>;
  stop(): Promise<void>;
}

export async function startIssuer(): Promise<TestIssuer> {
  const kid = `key-${randomUUID().slice(0, 8)}`;
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const impostor = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const audience = 'repayflow-api';

  const build = (claims: JWTPayload, options: { expiresIn?: string | number; audience?: string | null; issuer?: string; kid?: string } = {}) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid })
      .setIssuer(options.issuer ?? issuer)
      .setIssuedAt(claims.iat);
    if (options.audience !== null) jwt.setAudience(options.audience ?? audience);
    jwt.setExpirationTime(options.expiresIn ?? '1h');
    return jwt;
  };
  return {
    issuer,
    audience,
    sign: (claims, options) => build(claims, options).sign(privateKey),
    forge: (claims) => build(claims).sign(impostor.privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What API Gateway hands the function: the route, the raw path and query, headers in lower
 * case, and the claims its JWT authorizer verified, flattened to strings as it does with arrays.
 */
export function apiGatewayEvent(request: {
  method: string;
  path: string;
  query?: string;
  token?: string;
  claims?: Record<string, string | number | boolean>;
  body?: unknown;
  base64?: boolean;
  headers?: Record<string, string>;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const now = new Date();
  const text = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const headers: Record<string, string> = {
    accept: 'application/json',
    host: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'repayflow-tests',
    'x-amzn-trace-id': `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...(text === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }),
    ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
    ...request.headers,
  };
  const query = request.query ?? '';
  return {
    version: '2.0',
    routeKey: `ANY /v1/{proxy+}`,
    rawPath: request.path,
    rawQueryString: query,
    headers,
    ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      // A route deployed without the authorizer gets no authorizer context at all.
      ...(request.claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: request.claims, scopes: [] } } } : {}),
      domainName: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'repayflow-tests' },
      requestId: randomUUID(),
      routeKey: 'ANY /v1/{proxy+}',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: request.base64 === true,
    ...(text === undefined ? {} : { body: request.base64 ? Buffer.from(text).toString('base64') : text }),
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export const lambdaContext = () => ({
  functionName: 'api',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:api',
  memoryLimitInMB: '512',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/api',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 29_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});
