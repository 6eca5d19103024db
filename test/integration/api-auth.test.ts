/**
 * Authentication: the local stack's HS256 tokens over HTTP, and the Lambda's own verification
 * of the issuer's tokens (JWKS) behind API Gateway, which refuses forged tokens even on a route
 * deployed without the authorizer.
 */
import { handle } from 'hono/aws-lambda';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/app.ts';
import { lambdaAuthenticator } from '../../functions/api/auth.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/stack.ts';
import { aCustomer } from '../builders/requests.ts';
import { apiGatewayEvent, lambdaContext, startIssuer, type TestIssuer } from '../support/identity.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

let t: TestStack;
let customerId: string;

beforeAll(async () => {
  t = await startTestStack();
  customerId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('Local tokens (HS256, signed by the stack)', () => {
  const secret = () => new TextEncoder().encode(t.stack.jwtSecret);
  const claims = () => new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('ops').setIssuedAt();
  const get = (token: string) => t.http('GET', `/v1/customers/${customerId}`, { token });

  async function expectUnauthorized(token: string) {
    const res = await get(token);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 401, code: 'AUTH.INVALID_TOKEN' });
  }

  it('accepts a token the stack signed', async () => {
    expect((await get(t.adminToken)).status).toBe(200);
  });

  it('refuses an unsigned token (alg: none)', async () => {
    await expectUnauthorized(new UnsecuredJWT({ roles: ['admin'] }).setSubject('ops').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime('1h').encode());
  });

  it('refuses an expired token', async () => {
    await expectUnauthorized(
      await claims()
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(secret()),
    );
  });

  it('refuses a token without an expiry', async () => {
    await expectUnauthorized(await claims().setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).sign(secret()));
  });

  it('refuses a token for another audience', async () => {
    await expectUnauthorized(await claims().setIssuer(LOCAL_ISSUER).setAudience('someone-else').setExpirationTime('1h').sign(secret()));
  });

  it('refuses a token from another issuer', async () => {
    await expectUnauthorized(await claims().setIssuer('https://evil.example').setAudience(LOCAL_AUDIENCE).setExpirationTime('1h').sign(secret()));
  });

  it('refuses a token signed with another key', async () => {
    const other = new TextEncoder().encode('a-secret-that-is-not-the-stacks-one');
    await expectUnauthorized(await claims().setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime('1h').sign(other));
  });

  it('refuses a signed customer token whose payload was changed to claim the admin role', async () => {
    const [header, , signature] = (await t.stack.token(customerId)).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'ops', roles: ['admin'], iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600 })).toString(
      'base64url',
    );
    await expectUnauthorized(`${header}.${payload}.${signature}`);
  });

  it('refuses a token that is not an access token (token_use)', async () => {
    await expectUnauthorized(
      await new SignJWT({ roles: ['admin'], token_use: 'id' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('ops')
        .setIssuedAt()
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setExpirationTime('1h')
        .sign(secret()),
    );
    const access = await new SignJWT({ roles: ['admin'], token_use: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ops')
      .setIssuedAt()
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(secret());
    expect((await get(access)).status).toBe(200);
  });

  it('refuses a token issued in the future, beyond a minute of clock skew', async () => {
    const at = (iat: number) =>
      new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('ops')
        .setIssuedAt(iat)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setExpirationTime('2h')
        .sign(secret());
    const now = Math.floor(Date.now() / 1000);
    await expectUnauthorized(await at(now + 3600));
    expect((await get(await at(now + 30))).status).toBe(200);
  });

  it('refuses garbage and other schemes', async () => {
    await expectUnauthorized('not-a-jwt');
    const basic = await t.http('GET', `/v1/customers/${customerId}`, { headers: { authorization: 'Basic b3BzOm9wcw==' } });
    expect(basic.status).toBe(401);
  });
});

describe('Issuer tokens verified in the Lambda (JWKS), behind API Gateway', () => {
  let idp: TestIssuer;
  let invoke: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;

  beforeAll(async () => {
    idp = await startIssuer();
    invoke = handle(
      createApi(t.stack.deps, lambdaAuthenticator({ jwtIssuer: idp.issuer, jwtAudience: `other-client, ${idp.audience}`, adminScope: 'repayflow/admin' })),
    ) as unknown as typeof invoke;
  });

  afterAll(async () => {
    await idp?.stop();
  });

  async function status(token: string | undefined, claims?: Record<string, string>) {
    const event = apiGatewayEvent({ method: 'GET', path: `/v1/customers/${customerId}`, ...(token ? { token } : {}), ...(claims ? { claims } : {}) });
    const result = await invoke(event, lambdaContext());
    return result.statusCode;
  }

  it('accepts a token signed by the issuer, with the claims the authorizer passed', async () => {
    const token = await idp.sign({ sub: customerId });
    expect(await status(token, { sub: customerId, iss: idp.issuer })).toBe(200);
  });

  it('verifies the token itself on a route deployed without the authorizer (no claims)', async () => {
    expect(await status(await idp.sign({ sub: customerId }))).toBe(200);
    expect(await status(await idp.forge({ sub: customerId }))).toBe(401);
  });

  it('refuses a forged token even when claims say it is fine', async () => {
    expect(await status(await idp.forge({ sub: 'ops', roles: ['admin'] }), { sub: 'ops', roles: '[admin]' })).toBe(401);
  });

  it('refuses alg: none and an HMAC token keyed with anything', async () => {
    const none = new UnsecuredJWT({ sub: customerId }).setIssuer(idp.issuer).setAudience(idp.audience).setExpirationTime('1h').encode();
    expect(await status(none)).toBe(401);
    const hmac = await new SignJWT({ sub: customerId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(idp.issuer)
      .setAudience(idp.audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(idp.issuer.padEnd(32, '!')));
    expect(await status(hmac)).toBe(401);
  });

  it('refuses expired, wrong-audience and wrong-issuer tokens', async () => {
    expect(await status(await idp.sign({ sub: customerId }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }))).toBe(401);
    expect(await status(await idp.sign({ sub: customerId }, { audience: 'another-api' }))).toBe(401);
    expect(await status(await idp.sign({ sub: customerId }, { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other' }))).toBe(401);
  });

  it('refuses a token of a key id the issuer does not publish', async () => {
    expect(await status(await idp.sign({ sub: customerId }, { kid: 'unknown-key' }))).toBe(401);
  });

  it('accepts an access token that names its client in client_id instead of aud (as Cognito does)', async () => {
    expect(await status(await idp.sign({ sub: customerId, client_id: idp.audience, token_use: 'access' }, { audience: null }))).toBe(200);
    expect(await status(await idp.sign({ sub: customerId, client_id: 'some-other-client' }, { audience: null }))).toBe(401);
  });

  it('refuses an ID token (token_use: id) and a token issued in the future', async () => {
    expect(await status(await idp.sign({ sub: customerId, client_id: idp.audience, token_use: 'id' }, { audience: null }))).toBe(401);
    expect(await status(await idp.sign({ sub: customerId, iat: Math.floor(Date.now() / 1000) + 3600 }, { expiresIn: '2h' }))).toBe(401);
    expect(await status(await idp.sign({ sub: customerId, iat: Math.floor(Date.now() / 1000) + 30 }))).toBe(200);
  });

  it('refuses a token about someone else than the authorizer claims', async () => {
    expect(await status(await idp.sign({ sub: customerId }), { sub: 'ops' })).toBe(401);
  });

  it('takes the admin role from Cognito groups or the admin scope', async () => {
    const admin = await idp.sign({ sub: 'ops', 'cognito:groups': ['admin'] });
    expect(await status(admin)).toBe(200);
    const scoped = await idp.sign({ sub: 'ops', scope: 'openid repayflow/admin' });
    expect(await status(scoped)).toBe(200);
    const plain = await idp.sign({ sub: 'ops' });
    expect(await status(plain)).toBe(404);
  });

  it('makes no admin of a roles claim, a bare admin scope or another scope', async () => {
    for (const claims of [{ roles: ['admin'] }, { scope: 'admin' }, { scope: 'openid other/admin' }, { roles: ['admin'], scope: 'admin' }]) {
      expect(await status(await idp.sign({ sub: 'ops', ...claims })), JSON.stringify(claims)).toBe(404);
    }
  });

  it('takes the admin scope from configuration, the one the CDK app makes its admin routes require', async () => {
    const custom = handle(
      createApi(t.stack.deps, lambdaAuthenticator({ jwtIssuer: idp.issuer, jwtAudience: idp.audience, adminScope: 'https://api.example.com/ops' })),
    ) as unknown as typeof invoke;
    const call = async (scope: string) =>
      (await custom(apiGatewayEvent({ method: 'GET', path: `/v1/customers/${customerId}`, token: await idp.sign({ sub: 'ops', scope }) }), lambdaContext())).statusCode;
    expect(await call('https://api.example.com/ops')).toBe(200);
    expect(await call('repayflow/admin')).toBe(404);
  });

  it('trusts only the configured scope in the claims the authorizer passed (no issuer configured)', async () => {
    const gateway = handle(
      createApi(t.stack.deps, lambdaAuthenticator({ jwtIssuer: undefined, jwtAudience: undefined, adminScope: 'repayflow/admin' })),
    ) as unknown as typeof invoke;
    const call = async (claims: Record<string, string>) =>
      (await gateway(apiGatewayEvent({ method: 'GET', path: `/v1/customers/${customerId}`, claims: { sub: 'ops', ...claims } }), lambdaContext())).statusCode;
    expect(await call({ scope: 'repayflow/admin' })).toBe(200);
    expect(await call({ 'cognito:groups': '[admin]' })).toBe(200);
    expect(await call({ roles: '[admin]' })).toBe(404);
    expect(await call({ scope: 'admin' })).toBe(404);
  });
});
