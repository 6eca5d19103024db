/**
 * Helpers for the API edge tests: the routes the OpenAPI document lists, real fixtures built
 * through the API, and a look at everything the table holds (to prove a refusal wrote nothing).
 */
import { randomUUID } from 'node:crypto';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createApi } from '../../functions/api/app.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import type { TestStack } from './local.ts';

export interface ApiRoute {
  method: string;
  /** OpenAPI template, e.g. `/v1/plans/{planId}` */
  path: string;
  /** Security schemes of the operation (`bearer`, `webhookSignature`); empty for public routes. */
  security: string[];
  hasBody: boolean;
}

type OpenApiDocument = { paths: Record<string, Record<string, { security?: Array<Record<string, unknown>>; requestBody?: unknown }>> };

export function routesOf(doc: OpenApiDocument): ApiRoute[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, security: (op.security ?? []).flatMap((s) => Object.keys(s)), hasBody: op.requestBody !== undefined })),
  );
}

/**
 * The document the router generates, without any I/O: route definitions only need the deps
 * when a request arrives, so the test files can enumerate routes while vitest collects them.
 */
export async function documentWithoutStack(): Promise<OpenApiDocument> {
  const app = createApi({} as Deps, async () => undefined);
  return (await (await app.request('/openapi.json')).json()) as OpenApiDocument;
}

export interface Fixtures {
  customerId: string;
  ownerToken: string;
  paymentMethodId: string;
  planId: string;
  /** A binding the customer started and has not finished. */
  setupId: string;
  /** The customer's open extension request on the plan's first period. */
  caseId: string;
}

/** A customer with a card and a 3-period plan, made through the API as an admin would. */
export async function buildFixtures(t: TestStack, options: { periods?: number; orderId?: string; productName?: string } = {}): Promise<Fixtures> {
  const customer = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() });
  if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  const customerId = customer.body.id as string;
  const method = await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
  if (method.status !== 201) throw new Error(`method: ${method.status} ${JSON.stringify(method.body)}`);
  const plan = await t.http('POST', '/v1/plans', {
    token: t.adminToken,
    body: aPlan(customerId, {
      periods: options.periods ?? 3,
      ...(options.orderId ? { orderId: options.orderId } : {}),
      ...(options.productName ? { productName: options.productName } : {}),
    }),
    headers: { 'idempotency-key': randomUUID() },
  });
  if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${JSON.stringify(plan.body)}`);
  const setup = await t.http('POST', `/v1/customers/${customerId}/payment-methods/setup`, { token: t.adminToken, body: { type: 'alipay' } });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${JSON.stringify(setup.body)}`);
  const ownerToken = await t.stack.token(customerId);
  const supportCase = await t.http('POST', '/v1/support/cases', {
    token: ownerToken,
    body: { category: 'extension_request', planId: plan.body.planId, period: 1, days: 5, message: 'Please move my first due date by 5 days' },
  });
  if (supportCase.status !== 201) throw new Error(`case: ${supportCase.status} ${JSON.stringify(supportCase.body)}`);
  return { customerId, ownerToken, paymentMethodId: method.body.id, planId: plan.body.planId, setupId: setup.body.setupId, caseId: supportCase.body.caseId };
}

/** `/v1/plans/{planId}` → `/v1/plans/plan_…`, from the fixtures. */
export function fillPath(path: string, f: Fixtures): string {
  const values: Record<string, string> = {
    id: f.customerId,
    customerId: f.customerId,
    pmId: f.paymentMethodId,
    planId: f.planId,
    setupId: f.setupId,
    caseId: f.caseId,
    provider: 'simulated',
    queue: 'notices',
  };
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no fixture for path parameter {${name}} of ${path}: add one to fillPath`);
    return encodeURIComponent(value);
  });
}

/** A valid body for the routes we know; `{}` for one added later (its validation answers then). */
export function validBody(method: string, path: string, f: Fixtures): unknown {
  const known: Record<string, unknown> = {
    'POST /v1/customers': aCustomer(),
    'PATCH /v1/customers/{id}': { locale: 'en' },
    'POST /v1/customers/{id}/payment-methods': aPaymentMethod({ makeDefault: false, token: 'tok_ok_second' }),
    'PATCH /v1/customers/{id}/payment-methods/{pmId}': { makeDefault: true },
    'POST /v1/customers/{id}/payment-methods/setup': { type: 'bank_card' },
    'POST /v1/plans': aPlan(f.customerId, { periods: 3 }),
    'POST /v1/plans/{planId}/repayments': { scope: 'next' },
    'POST /v1/plans/{planId}/deferrals': { period: 1, days: 5 },
    'POST /v1/support/cases': { category: 'other', message: 'A question about my orders' },
    'POST /v1/support/cases/{caseId}/messages': { message: 'Any news?' },
    'POST /v1/support/cases/{caseId}/decline': { reason: 'Not possible for this order' },
    'POST /v1/webhooks/{provider}': { id: 'evt_matrix', type: 'payment.succeeded', data: { idempotencyKey: 'x:1:1', amount: 1, currency: 'CNY' } },
  };
  return known[`${method} ${path}`] ?? {};
}

/** Query strings a route needs to mean "the owner's data". */
export function queryFor(method: string, path: string, f: Fixtures): string {
  return method === 'GET' && path === '/v1/plans' ? `?customerId=${f.customerId}` : '';
}

const BOOKKEEPING = new Set(['idempotency']);

/**
 * Every business item of the stack's table (idempotency and webhook bookkeeping aside), as
 * sorted JSON lines: equal snapshots mean nothing was written.
 */
export async function snapshotTable(t: TestStack): Promise<string[]> {
  const info = t.stack.info();
  const client = new DynamoDBClient({ endpoint: info.endpoints.dynamodb, region: info.region, credentials: info.credentials });
  const items: Array<Record<string, AttributeValue>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: info.table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  client.destroy();
  return items
    .filter((i) => !BOOKKEEPING.has(i.__edb_e__?.S ?? ''))
    .map((i) => JSON.stringify(Object.fromEntries(Object.entries(i).sort(([a], [b]) => a.localeCompare(b)))))
    .sort();
}

/** How many items of one entity (`customer`, `paymentMethod`, `plan`, …) the table holds. */
export async function countEntity(t: TestStack, entity: string): Promise<number> {
  const info = t.stack.info();
  const client = new DynamoDBClient({ endpoint: info.endpoints.dynamodb, region: info.region, credentials: info.credentials });
  let count = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: info.table,
        ConsistentRead: true,
        FilterExpression: '#e = :e',
        ExpressionAttributeNames: { '#e': '__edb_e__' },
        ExpressionAttributeValues: { ':e': { S: entity } },
        Select: 'COUNT',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  client.destroy();
  return count;
}

/** Every item of the stack's table as DynamoDB holds it (attribute names as stored, bookkeeping included). */
export async function rawItems(t: TestStack): Promise<Array<Record<string, unknown>>> {
  const info = t.stack.info();
  const client = new DynamoDBClient({ endpoint: info.endpoints.dynamodb, region: info.region, credentials: info.credentials });
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: info.table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    start = page.LastEvaluatedKey;
  } while (start);
  client.destroy();
  return items;
}
