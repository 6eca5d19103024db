/**
 * The deployed entry points of the API, `functions/api/handler.ts` (and those of its other
 * route groups, `functions/ops-api` and `functions/webhooks`), given the environment a deployed
 * function gets (pointing at the local stack's table) and the API Gateway HTTP API (payload 2.0)
 * events it receives: the same routes as the local server, answering the same way.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signWebhook } from '../../functions/api/webhooks.ts';
import { ENV } from '../../shared/config/env.ts';
import { aCustomer, aPaymentMethod } from '../builders/requests.ts';
import { apiGatewayEvent, lambdaContext, startIssuer, type TestIssuer } from '../support/identity.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; headers?: Record<string, string>; body: string; isBase64Encoded?: boolean }>;

let t: TestStack;
let customerId: string;
const webhookSecret = 'whsec_'.padEnd(40, 'x');

const ENTRIES = {
  api: () => import('../../functions/api/handler.ts'),
  opsApi: () => import('../../functions/ops-api/handler.ts'),
  webhooks: () => import('../../functions/webhooks/handler.ts'),
};

/** Imports a handler.ts afresh under `env`, as a cold start would. */
async function coldStart(env: Record<string, string | undefined>, entry: keyof typeof ENTRIES = 'api'): Promise<Handler> {
  const info = t.stack.info();
  for (const [name, value] of Object.entries({
    [ENV.tableName]: info.table,
    [ENV.dynamodbEndpoint]: info.endpoints.dynamodb,
    [ENV.webhookSecret]: webhookSecret,
    [ENV.logLevel]: 'silent',
    [ENV.jwtIssuer]: undefined,
    [ENV.jwtAudience]: undefined,
    ...env,
  })) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  vi.resetModules();
  return (await ENTRIES[entry]()).handler as unknown as Handler;
}

beforeAll(async () => {
  t = await startTestStack();
  customerId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: '+8613912340000' }) })).body.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('Handlers: api, opsApi, webhooks (API Gateway HTTP API, payload 2.0)', () => {
  describe('behind the JWT authorizer only (no JWT_ISSUER)', () => {
    let handler: Handler;
    beforeAll(async () => {
      handler = await coldStart({});
    });

    it("answers a customer's GET from the authorizer's claims, masking the phone", async () => {
      const result = await handler(
        apiGatewayEvent({ method: 'GET', path: `/v1/customers/${customerId}`, token: 'verified.by.gateway', claims: { sub: customerId, iss: 'https://idp', scope: 'openid' } }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(200);
      expect(result.headers?.['content-type']).toContain('application/json');
      const body = JSON.parse(result.body);
      expect(body).toMatchObject({ id: customerId, locale: 'zh-CN' });
      expect(body.phone).not.toContain('12340000');
    });

    it('reads a base64-encoded JSON body and admin groups flattened to a string', async () => {
      const result = await handler(
        apiGatewayEvent({
          method: 'POST',
          path: `/v1/customers/${customerId}/payment-methods`,
          claims: { sub: 'ops', 'cognito:groups': '[admin support]' },
          body: aPaymentMethod(),
          base64: true,
        }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(201);
      expect(JSON.parse(result.body)).toMatchObject({ type: 'bank_card', display: '招商银行 ****1234' });
    });

    it('passes the query string through', async () => {
      const result = await handler(
        apiGatewayEvent({ method: 'GET', path: '/v1/plans', query: `customerId=${customerId}&limit=5`, claims: { sub: 'ops', scope: 'repayflow/admin' } }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body)).toEqual({ items: [], cursor: null });
    });

    it("hides another customer's record behind a 404 problem", async () => {
      const result = await handler(apiGatewayEvent({ method: 'GET', path: `/v1/customers/${customerId}`, claims: { sub: 'cus_someone_else' } }), lambdaContext());
      expect(result.statusCode).toBe(404);
      expect(result.headers?.['content-type']).toContain('application/problem+json');
    });

    it('answers 401 when no authorizer ran (a route deployed without it)', async () => {
      const result = await handler(apiGatewayEvent({ method: 'GET', path: `/v1/customers/${customerId}` }), lambdaContext());
      expect(result.statusCode).toBe(401);
    });

    it('answers unknown routes and methods with problems, and serves /health and /docs', async () => {
      expect((await handler(apiGatewayEvent({ method: 'GET', path: '/nowhere' }), lambdaContext())).statusCode).toBe(404);
      const wrongMethod = await handler(apiGatewayEvent({ method: 'PUT', path: '/v1/plans', claims: { sub: 'ops', scope: 'repayflow/admin' } }), lambdaContext());
      expect(wrongMethod.statusCode).toBe(405);
      expect(wrongMethod.headers?.allow).toBe('GET, POST');
      expect(JSON.parse((await handler(apiGatewayEvent({ method: 'GET', path: '/health' }), lambdaContext())).body)).toEqual({ status: 'ok' });
      const docs = await handler(apiGatewayEvent({ method: 'GET', path: '/docs' }), lambdaContext());
      expect(docs.statusCode).toBe(200);
      expect(docs.headers?.['content-type']).toContain('text/html');
    });

    it('leaves the operations and the webhooks to their own functions', async () => {
      const admin = { sub: 'ops', 'cognito:groups': '[admin]' };
      expect((await handler(apiGatewayEvent({ method: 'GET', path: '/v1/ops/agenda', claims: admin }), lambdaContext())).statusCode).toBe(404);
      expect((await handler(apiGatewayEvent({ method: 'POST', path: '/v1/webhooks/simulated', body: '{}' }), lambdaContext())).statusCode).toBe(404);
    });
  });

  describe('Handler: opsApi', () => {
    it("answers the operations console's routes for an admin, and nothing else", async () => {
      const ops = await coldStart({}, 'opsApi');
      const admin = { sub: 'ops', 'cognito:groups': '[admin]' };
      const agenda = await ops(apiGatewayEvent({ method: 'GET', path: '/v1/ops/agenda', claims: admin }), lambdaContext());
      expect(agenda.statusCode).toBe(200);
      expect(JSON.parse(agenda.body)).toHaveProperty('date');
      expect((await ops(apiGatewayEvent({ method: 'GET', path: '/v1/ops/agenda', claims: { sub: customerId } }), lambdaContext())).statusCode).toBe(403);
      expect((await ops(apiGatewayEvent({ method: 'GET', path: `/v1/customers/${customerId}`, claims: admin }), lambdaContext())).statusCode).toBe(404);
    });
  });

  describe('Handler: webhooks', () => {
    it('takes a signed webhook without a token', async () => {
      const handler = await coldStart({}, 'webhooks');
      const body = JSON.stringify({
        id: 'evt_lambda_1',
        type: 'payment.failed',
        data: { idempotencyKey: 'plan_x:1:1', amount: 100, currency: 'CNY', failureCode: 'insufficient_funds' },
      });
      const signature = signWebhook(webhookSecret, body, Math.floor(Date.now() / 1000));
      const result = await handler(apiGatewayEvent({ method: 'POST', path: '/v1/webhooks/simulated', body, headers: { 'x-repayflow-signature': signature } }), lambdaContext());
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body)).toEqual({ received: true, eventId: 'evt_lambda_1', outcome: 'ignored', duplicate: false });
    });
  });

  describe('with JWT_ISSUER and JWT_AUDIENCE (defense in depth)', () => {
    let idp: TestIssuer;
    let handler: Handler;
    beforeAll(async () => {
      idp = await startIssuer();
      handler = await coldStart({ [ENV.jwtIssuer]: idp.issuer, [ENV.jwtAudience]: idp.audience });
    });
    afterAll(async () => {
      await idp?.stop();
    });

    it("verifies the bearer token against the issuer's JWKS", async () => {
      const token = await idp.sign({ sub: customerId });
      const result = await handler(apiGatewayEvent({ method: 'GET', path: `/v1/customers/${customerId}`, token, claims: { sub: customerId } }), lambdaContext());
      expect(result.statusCode).toBe(200);
    });

    it('refuses a forged token that reached the function with claims', async () => {
      const token = await idp.forge({ sub: 'ops', roles: ['admin'] });
      const result = await handler(apiGatewayEvent({ method: 'GET', path: `/v1/customers/${customerId}`, token, claims: { sub: 'ops', roles: '[admin]' } }), lambdaContext());
      expect(result.statusCode).toBe(401);
      expect(JSON.parse(result.body)).toMatchObject({ status: 401, code: 'AUTH.INVALID_TOKEN' });
    });

    it('refuses claims without a token to verify', async () => {
      const result = await handler(apiGatewayEvent({ method: 'GET', path: `/v1/customers/${customerId}`, claims: { sub: customerId } }), lambdaContext());
      expect(result.statusCode).toBe(401);
    });
  });
});
