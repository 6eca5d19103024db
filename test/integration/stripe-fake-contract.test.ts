/**
 * Keeps the adapter and the fake honest against Stripe's published OpenAPI document
 * (test/fakes/stripe/openapi-subset.json): every request the adapter sends matches its
 * operation's parameters or form body, and every answer the fake gives matches the response
 * schema (200 or Stripe's error object).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeGateway } from '../../shared/adapters/gateway/stripe/stripe-gateway.ts';
import { type Exchange, type StripeFake, startStripeFake } from '../fakes/stripe/stripe-fake.ts';

interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema: object }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content: Record<string, { schema: object }> }>;
}
const subset = JSON.parse(readFileSync(new URL('../fakes/stripe/openapi-subset.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
};

// OpenAPI 3.0 schemas: `nullable`, `x-…` annotations and Stripe's `unix-time` format; form
// values arrive as strings, which Stripe coerces as ajv's coerceTypes does.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, coerceTypes: 'array' });

/** `nullable` beside `anyOf` (no `type`) is OpenAPI 3.0's way of saying "or null"; JSON Schema spells it out. */
function jsonSchemaOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchemaOf);
  if (!node || typeof node !== 'object') return node;
  const out = Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([n, s]) => [n, jsonSchemaOf(s)])) : jsonSchemaOf(v)]),
  );
  if (out['nullable'] === true && out['type'] === undefined) {
    delete out['nullable'];
    return { anyOf: [out, { type: 'null' }] };
  }
  if (out['nullable'] === true && Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null];
  return out;
}

ajv.addSchema({ $id: 'stripe', components: jsonSchemaOf(subset.components) as object });
const compile = (schema: object): ValidateFunction => ajv.compile(JSON.parse(JSON.stringify(jsonSchemaOf(schema)).replaceAll('"#/components/', '"stripe#/components/')));

function operationOf(method: string, path: string): { template: string; op: Operation } | undefined {
  for (const [template, ops] of Object.entries(subset.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    // A literal segment (`/search`) wins over a template one (`/{intent}`).
    if (pattern.test(path) && ops[method.toLowerCase()] && !(template.endsWith('{intent}') && path.endsWith('/search'))) return { template, op: ops[method.toLowerCase()]! };
  }
  return undefined;
}

function requestSchema(op: Operation, method: string): object {
  if (method === 'POST') return op.requestBody?.content['application/x-www-form-urlencoded']?.schema ?? { type: 'object', additionalProperties: false };
  const query = (op.parameters ?? []).filter((p) => p.in === 'query');
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
    required: query.filter((p) => p.required).map((p) => p.name),
  };
}

function responseSchema(op: Operation, status: number): object {
  const answer = op.responses[String(status)] ?? op.responses['default'];
  return answer!.content['application/json']!.schema;
}

const problems = (v: ValidateFunction) => (v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);

let fake: StripeFake;

beforeAll(async () => {
  fake = await startStripeFake();
  const gateway = new StripeGateway({ secretKey: fake.secretKey, apiBase: fake.url, publishableKey: 'pk_test_fake', maxNetworkRetries: 0 });
  const base = new URL(fake.url);
  const browser = new Stripe(fake.secretKey, { host: base.hostname, port: base.port, protocol: 'http', maxNetworkRetries: 0 });
  // Every adapter operation, its successes and its refusals.
  const started = await gateway.startSetup({ customerId: 'c1', methodType: 'bank_card', setupKey: 's1' });
  await browser.setupIntents.confirm(started.setupId, { payment_method: 'pm_card_visa' });
  await gateway.setupStatus(started.setupId);
  const declinedSetup = await gateway.startSetup({ customerId: 'c1', customerReference: started.customerReference, methodType: 'bank_card', setupKey: 's2' });
  await browser.setupIntents.confirm(declinedSetup.setupId, { payment_method: 'pm_card_chargeDeclined' }).catch(() => undefined);
  await gateway.setupStatus(declinedSetup.setupId);
  await gateway.verifyToken({ token: 'pm_unknown', methodType: 'bank_card', customerId: 'c2' });
  const cards: Record<string, { token: string; customerReference?: string }> = {};
  for (const testCard of ['pm_card_visa', 'pm_card_chargeDeclinedInsufficientFunds', 'pm_card_authenticationRequired']) {
    const v = await gateway.verifyToken({ token: testCard, methodType: 'bank_card', customerId: 'c2' });
    if (v.ok) cards[testCard] = v;
  }
  const charge = (card: string, key: string, mode: 'auto' | 'customer_present' = 'auto') =>
    gateway.charge({
      idempotencyKey: key,
      provider: 'stripe',
      token: cards[card]!.token,
      customerReference: cards[card]!.customerReference,
      methodType: 'bank_card',
      amount: 1234,
      currency: 'EUR',
      planId: 'p',
      mode,
    });
  await charge('pm_card_visa', 'p:1:1');
  await charge('pm_card_visa', 'p:1:1');
  await charge('pm_card_chargeDeclinedInsufficientFunds', 'p:2:1');
  await charge('pm_card_authenticationRequired', 'p:3:1');
  await charge('pm_card_authenticationRequired', 'p:4:1', 'customer_present');
  const now = new Date();
  await gateway.status({ idempotencyKey: 'p:1:1', provider: 'stripe', attemptedAt: now });
  await gateway.status({ idempotencyKey: 'never', provider: 'stripe', attemptedAt: now });
  await gateway.cancel({ idempotencyKey: 'p:4:1', provider: 'stripe', attemptedAt: now });
  await gateway.captures(new Date(now.getTime() - 3_600_000), new Date(now.getTime() + 3_600_000));
  await gateway.release({ token: cards['pm_card_visa']!.token });
  await gateway.release({ token: cards['pm_card_visa']!.token });
});
afterAll(async () => {
  await fake.stop();
});

describe('Stripe fake: OpenAPI contract', () => {
  it('saw every operation of the subset', () => {
    const seen = new Set(fake.exchanges().map((e) => `${e.method} ${operationOf(e.method, e.path)?.template}`));
    const all = Object.entries(subset.paths).flatMap(([template, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${template}`));
    // Retrieve serves only a cancel that loses its race with the customer; confirm serves tests.
    expect(all.filter((o) => !seen.has(o))).toEqual(['GET /v1/payment_intents/{intent}', 'POST /v1/payment_intents/{intent}/confirm']);
  });

  it('gets requests that match the operations’ parameters and form bodies', () => {
    const bad: string[] = [];
    for (const e of fake.exchanges()) {
      const found = operationOf(e.method, e.path);
      if (!found) {
        bad.push(`${e.method} ${e.path}: no such operation in the subset`);
        continue;
      }
      const validate = compile(requestSchema(found.op, e.method));
      if (!validate(structuredClone(e.method === 'POST' ? e.form : e.query))) bad.push(`${e.method} ${e.path} request: ${problems(validate).join('; ')}`);
    }
    expect(bad).toEqual([]);
  });

  it('answers with bodies that match the response schemas', () => {
    const bad: string[] = [];
    for (const e of fake.exchanges() as Exchange[]) {
      const found = operationOf(e.method, e.path);
      if (!found) continue;
      const validate = compile(responseSchema(found.op, e.status));
      if (!validate(structuredClone(e.body))) bad.push(`${e.method} ${e.path} ${e.status}: ${problems(validate).slice(0, 5).join('; ')}`);
    }
    expect(bad).toEqual([]);
  });

  it('is strict enough to catch a field Stripe does not have', () => {
    const found = operationOf('POST', '/v1/payment_intents')!;
    const validate = compile(requestSchema(found.op, 'POST'));
    expect(validate({ amount: '1', currency: 'eur', payment_method_kind: 'card' })).toBe(false);
    const response = compile(responseSchema(found.op, 200));
    expect(response({ id: 'pi_1', object: 'payment_intent', status: 'settled' })).toBe(false);
  });
});
