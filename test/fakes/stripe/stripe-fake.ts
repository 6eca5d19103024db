/**
 * A small stand-in for the Stripe API (the endpoints the Stripe adapter uses), written from
 * Stripe's API reference and checked against its OpenAPI document (openapi-subset.json, see
 * README.md). Behaviour follows Stripe's test mode:
 * - `Authorization: Bearer <secretKey>` or 401; form bodies with bracket encoding; unknown
 *   parameters refused (`parameter_unknown`), required ones checked (`parameter_missing`).
 * - Idempotency-Key on POST: the same key and parameters replay the stored answer with
 *   `Idempotent-Replayed: true`; other parameters → 400 `idempotency_error`; keys kept 24 h;
 *   a request refused before it ran stores nothing.
 * - Test payment methods (`pm_card_visa`, …) are magic ids: attaching one, or confirming an
 *   intent with it, creates a new `pm_…` object.
 * - Search sees a PaymentIntent only `searchLagMs` after its creation (Stripe's search is
 *   eventually consistent); list and retrieve are immediate.
 * Every capture lands in `ledger()`, independent of what the adapter reports.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, unknown>;

export interface FakeClock {
  now(): Date;
}

export interface StripeFakeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  secretKey?: string;
  /** How long a new PaymentIntent stays invisible to search, in ms of `clock` time (default 0). */
  searchLagMs?: number;
  clock?: FakeClock;
}

/** What the fake does to the next matching requests. */
export interface Fault {
  /** `drop_response`: process the request, then close the connection without answering.
   *  `error_500`: answer 500 `api_error` without processing anything. */
  kind: 'drop_response' | 'error_500';
  method?: string;
  /** The request path must start with this (e.g. `/v1/payment_intents`). */
  path?: string;
  /** How many matching requests it hits (default 1). */
  times?: number;
}

export interface FakeCapture {
  paymentIntentId: string;
  chargeId: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  at: string;
}

/** One request and the fake's answer, for contract checks. */
export interface Exchange {
  method: string;
  path: string;
  query: Obj;
  form: Obj;
  status: number;
  body: unknown;
  replayed: boolean;
  dropped: boolean;
}

export interface WebhookDelivery {
  url: string;
  secret: string;
  type: string;
  object: Obj;
  eventId?: string;
  /** The signature's timestamp (default: the fake's clock). */
  signedAt?: Date;
  /** Change the body after signing (a tampered delivery). */
  tamper?: (payload: string) => string;
}

export interface StripeFake {
  url: string;
  port: number;
  secretKey: string;
  stop(): Promise<void>;
  ledger(): FakeCapture[];
  exchanges(): Exchange[];
  fault(fault: Fault): void;
  setSearchLag(ms: number): void;
  /** The PaymentIntents the fake holds, oldest first. */
  paymentIntents(): Obj[];
  /** Completes (or fails) the customer's 3-D Secure step of a `requires_action` intent. */
  completeAction(paymentIntentId: string, succeed: boolean): void;
  /** Adds a PaymentMethod of another type (e.g. `sepa_debit`) that the client might send. */
  seedPaymentMethod(type: string): string;
  /** Builds an event, signs it as Stripe does and POSTs it to `url`. */
  sendWebhook(delivery: WebhookDelivery): Promise<{ status: number; body: string; payload: string; signature: string }>;
}

const DAY_MS = 24 * 3600 * 1000;

/** Stripe's `Stripe-Signature` header: `t=<unix>,v1=HMAC-SHA256(secret, "<t>.<payload>")`. */
export function signStripePayload(payload: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

interface TestCard {
  brand: string;
  last4: string;
  /** Decline on charge (card_error code card_declined unless `code` says otherwise). */
  decline?: { code: string; decline_code?: string };
  /** Declines already when saved through a SetupIntent. */
  declineOnSetup?: boolean;
  /** Every charge needs 3-D Secure. */
  authenticationRequired?: boolean;
}

/** Stripe's test payment methods (docs.stripe.com/testing) that the tests use. */
const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { brand: 'visa', last4: '4242' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', decline: { code: 'card_declined', decline_code: 'generic_decline' }, declineOnSetup: true },
  pm_card_chargeDeclinedInsufficientFunds: { brand: 'visa', last4: '9995', decline: { code: 'card_declined', decline_code: 'insufficient_funds' } },
  pm_card_chargeDeclinedExpiredCard: { brand: 'visa', last4: '0069', decline: { code: 'expired_card' } },
  pm_card_chargeDeclinedLostCard: { brand: 'visa', last4: '9987', decline: { code: 'card_declined', decline_code: 'lost_card' } },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3184', authenticationRequired: true },
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: Obj,
    /** Whether Stripe would keep this answer for an idempotent replay (the request ran). */
    readonly ran = false,
  ) {
    super(String(error['message']));
  }
}

const invalid = (message: string, code?: string, param?: string, status = 400) =>
  new ApiError(status, { type: 'invalid_request_error', message, ...(code ? { code } : {}), ...(param ? { param } : {}) });

/** Parses Stripe's bracket encoding (`a[b]=1`, `expand[]=x`, `expand[0]=x`) into objects and arrays. */
export function parseStripeForm(text: string): Obj {
  const root: Obj = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const parts = rawKey.split('[').map((p, i) => (i === 0 ? p : p.replace(/]$/, '')));
    let node: Obj | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(parts[i + 1]!);
      if (Array.isArray(node)) {
        const index = part === '' ? node.length : Number(part);
        if (last) node[index] = value;
        else node = (node[index] ??= nextIsIndex ? [] : {}) as Obj | unknown[];
      } else if (last) node[part] = value;
      else node = (node[part] ??= nextIsIndex ? [] : {}) as Obj | unknown[];
    });
  }
  return root;
}

/** Top-level parameters each operation accepts in this fake (a subset of Stripe's). */
const ALLOWED: Record<string, { allowed: string[]; required?: string[] }> = {
  'POST /v1/customers': { allowed: ['metadata', 'email', 'name', 'description', 'expand'] },
  'POST /v1/setup_intents': {
    allowed: ['customer', 'usage', 'payment_method_types', 'automatic_payment_methods', 'metadata', 'description', 'expand', 'payment_method', 'confirm'],
  },
  'GET /v1/setup_intents/:id': { allowed: ['expand', 'client_secret'] },
  'POST /v1/setup_intents/:id/confirm': { allowed: ['payment_method', 'expand', 'return_url'] },
  'GET /v1/payment_methods/:id': { allowed: ['expand'] },
  'POST /v1/payment_methods/:id/attach': { allowed: ['customer', 'expand'], required: ['customer'] },
  'POST /v1/payment_methods/:id/detach': { allowed: ['expand'] },
  'POST /v1/payment_intents': {
    allowed: [
      'amount',
      'currency',
      'customer',
      'payment_method',
      'payment_method_types',
      'automatic_payment_methods',
      'confirm',
      'off_session',
      'metadata',
      'description',
      'expand',
      'return_url',
      'setup_future_usage',
      'error_on_requires_action',
    ],
    required: ['amount', 'currency'],
  },
  'GET /v1/payment_intents': { allowed: ['created', 'customer', 'limit', 'starting_after', 'ending_before', 'expand'] },
  'GET /v1/payment_intents/search': { allowed: ['query', 'limit', 'page', 'expand'], required: ['query'] },
  'GET /v1/payment_intents/:id': { allowed: ['expand', 'client_secret'] },
  'POST /v1/payment_intents/:id/confirm': { allowed: ['payment_method', 'off_session', 'expand', 'return_url'] },
  'POST /v1/payment_intents/:id/cancel': { allowed: ['cancellation_reason', 'expand'] },
};

function checkParams(route: string, params: Obj): void {
  const rule = ALLOWED[route]!;
  for (const key of Object.keys(params)) if (!rule.allowed.includes(key)) throw invalid(`Received unknown parameter: ${key}`, 'parameter_unknown', key);
  for (const key of rule.required ?? []) if (params[key] === undefined) throw invalid(`Missing required param: ${key}.`, 'parameter_missing', key);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Obj)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const asBool = (v: unknown) => v === 'true' || v === true;
const asStringMap = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, String(x)])) : {};

export async function startStripeFake(options: StripeFakeOptions = {}): Promise<StripeFake> {
  const secretKey = options.secretKey ?? `sk_test_fake${randomBytes(8).toString('hex')}`;
  const clock = options.clock ?? { now: () => new Date() };
  let searchLagMs = options.searchLagMs ?? 0;
  let seq = 0;
  const id = (prefix: string) => `${prefix}_${(++seq).toString(36).padStart(6, '0')}${randomBytes(6).toString('hex')}`;
  const unix = () => Math.floor(clock.now().getTime() / 1000);

  const customers = new Map<string, Obj>();
  const paymentMethods = new Map<string, Obj & { card?: Obj }>();
  /** Which test card a concrete PaymentMethod was made from. */
  const cardOf = new Map<string, TestCard>();
  const setupIntents = new Map<string, Obj>();
  const paymentIntents = new Map<string, Obj>();
  const searchableAt = new Map<string, number>();
  const idempotency = new Map<string, { fingerprint: string; status: number; body: unknown; at: number }>();
  const captures: FakeCapture[] = [];
  const log: Exchange[] = [];
  const faults: Fault[] = [];

  // ---- objects ----------------------------------------------------------------------------

  function newPaymentMethod(card: TestCard, customer: string | null = null): Obj {
    const pmId = id('pm');
    const pm: Obj = {
      id: pmId,
      object: 'payment_method',
      type: 'card',
      billing_details: { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null },
      card: {
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        exp_month: 12,
        exp_year: new Date(clock.now()).getUTCFullYear() + 3,
        fingerprint: createHmac('sha256', 'fp').update(card.last4).digest('hex').slice(0, 16),
        funding: 'credit',
        last4: card.last4,
        networks: { available: [card.brand], preferred: null },
        three_d_secure_usage: { supported: true },
        wallet: null,
      },
      created: unix(),
      customer,
      livemode: false,
      metadata: {},
    };
    paymentMethods.set(pmId, pm);
    cardOf.set(pmId, card);
    return pm;
  }

  /** A concrete PaymentMethod for an id: stored ones as they are, magic test ids as a new object. */
  function resolvePaymentMethod(pmId: string, param = 'payment_method'): Obj {
    const stored = paymentMethods.get(pmId);
    if (stored) return stored;
    const card = TEST_CARDS[pmId];
    if (card) return newPaymentMethod(card);
    throw invalid(`No such PaymentMethod: '${pmId}'`, 'resource_missing', param, 404);
  }

  function customerOrThrow(customerId: unknown, param = 'customer'): Obj {
    const c = typeof customerId === 'string' ? customers.get(customerId) : undefined;
    if (!c) throw invalid(`No such customer: '${String(customerId)}'`, 'resource_missing', param, 404);
    return c;
  }

  function attach(pm: Obj, customerId: string): Obj {
    if (pm['customer'] && pm['customer'] !== customerId)
      throw invalid('The payment method you provided has already been attached to a customer.', 'payment_method_unexpected_state', undefined, 400);
    pm['customer'] = customerId;
    return pm;
  }

  function withExpand(obj: Obj, expand: unknown): Obj {
    const fields = Array.isArray(expand) ? expand.map(String) : [];
    if (!fields.length) return structuredClone(obj);
    const out = structuredClone(obj);
    for (const f of fields) {
      if (f === 'payment_method' && typeof out['payment_method'] === 'string') out['payment_method'] = structuredClone(paymentMethods.get(out['payment_method'] as string) ?? null);
      else if (f !== 'payment_method') throw invalid(`This property cannot be expanded (${f}).`, undefined, 'expand');
    }
    return out;
  }

  function cardError(code: string, message: string, extra: Obj): ApiError {
    return new ApiError(402, { type: 'card_error', code, message, ...extra }, true);
  }

  function lastError(code: string, declineCode: string | undefined, message: string, pm: Obj | null): Obj {
    return {
      type: 'card_error',
      code,
      ...(declineCode ? { decline_code: declineCode } : {}),
      message,
      payment_method: pm ? structuredClone(pm) : undefined,
      doc_url: `https://docs.stripe.com/error-codes/${code.replace(/_/g, '-')}`,
    };
  }

  /** Confirms a PaymentIntent with its payment method, as a card network would answer. */
  function confirmPaymentIntent(pi: Obj, offSession: boolean): void {
    const pmId = pi['payment_method'];
    if (typeof pmId !== 'string') throw invalid('You cannot confirm this PaymentIntent because it\u2019s missing a payment method.', 'payment_intent_unexpected_state');
    const pm = paymentMethods.get(pmId)!;
    const card = cardOf.get(pmId)!;
    pi['status'] = 'processing';
    if (card.decline || (card.authenticationRequired && offSession)) {
      const code = card.authenticationRequired ? 'authentication_required' : card.decline!.code;
      const declineCode = card.authenticationRequired ? 'authentication_required' : card.decline!.decline_code;
      const message = card.authenticationRequired ? 'Your card was declined. This transaction requires authentication.' : 'Your card was declined.';
      const chargeId = id('ch');
      pi['status'] = 'requires_payment_method';
      pi['last_payment_error'] = lastError(code, declineCode, message, pm);
      pi['latest_charge'] = chargeId;
      throw cardError(code, message, {
        ...(declineCode ? { decline_code: declineCode } : {}),
        charge: chargeId,
        payment_intent: structuredClone(pi),
        payment_method: structuredClone(pm),
        doc_url: `https://docs.stripe.com/error-codes/${code.replace(/_/g, '-')}`,
      });
    }
    if (card.authenticationRequired) {
      pi['status'] = 'requires_action';
      pi['next_action'] = { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `http://127.0.0.1/3ds/${String(pi['id'])}` } };
      return;
    }
    capture(pi);
  }

  function capture(pi: Obj): void {
    const chargeId = id('ch');
    pi['status'] = 'succeeded';
    pi['amount_received'] = pi['amount'];
    pi['latest_charge'] = chargeId;
    pi['next_action'] = null;
    pi['last_payment_error'] = null;
    captures.push({
      paymentIntentId: String(pi['id']),
      chargeId,
      amount: Number(pi['amount']),
      currency: String(pi['currency']),
      metadata: asStringMap(pi['metadata']),
      at: clock.now().toISOString(),
    });
  }

  // ---- search query language (the part the adapter uses) ----------------------------------

  function searchMatcher(query: string): (pi: Obj) => boolean {
    const clauses = query.split(/\s+AND\s+/);
    const tests = clauses.map((clause) => {
      const m = /^\s*(?:metadata\['((?:[^'\\]|\\.)+)'\]|(status|currency|customer)):'((?:[^'\\]|\\.)*)'\s*$/.exec(clause);
      if (!m) throw invalid(`Unsupported search query: ${clause}`, 'parameter_invalid_string', 'query');
      const unquote = (s: string) => s.replace(/\\(.)/g, '$1');
      const [, metaKey, field, value] = m;
      return metaKey !== undefined ? (pi: Obj) => asStringMap(pi['metadata'])[unquote(metaKey)] === unquote(value!) : (pi: Obj) => pi[field!] === unquote(value!);
    });
    return (pi) => tests.every((t) => t(pi));
  }

  // ---- routes -------------------------------------------------------------------------------

  function route(method: string, path: string, params: Obj): { status: number; body: unknown } {
    const seg = path.split('/').filter(Boolean); // ['v1', resource, id?, action?]
    if (seg[0] !== 'v1') throw invalid(`Unrecognized request URL (${method}: ${path}).`, undefined, undefined, 404);
    const [, resource, objectId, action] = seg;
    const key = `${method} /v1/${resource}${objectId ? (objectId === 'search' ? '/search' : '/:id') : ''}${action ? `/${action}` : ''}`;
    if (!ALLOWED[key]) throw invalid(`Unrecognized request URL (${method}: ${path}).`, undefined, undefined, 404);
    checkParams(key, params);
    const ok = (body: unknown) => ({ status: 200, body });
    switch (key) {
      case 'POST /v1/customers': {
        const c: Obj = {
          id: id('cus'),
          object: 'customer',
          created: unix(),
          livemode: false,
          email: params['email'] ?? null,
          name: params['name'] ?? null,
          description: params['description'] ?? null,
          metadata: asStringMap(params['metadata']),
          invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
        };
        customers.set(String(c['id']), c);
        return ok(structuredClone(c));
      }
      case 'POST /v1/setup_intents': {
        if (params['customer'] !== undefined) customerOrThrow(params['customer']);
        const siId = id('seti');
        const si: Obj = {
          id: siId,
          object: 'setup_intent',
          client_secret: `${siId}_secret_${randomBytes(12).toString('hex')}`,
          created: unix(),
          customer: params['customer'] ?? null,
          description: params['description'] ?? null,
          last_setup_error: null,
          livemode: false,
          metadata: asStringMap(params['metadata']),
          next_action: null,
          payment_method: null,
          payment_method_types: Array.isArray(params['payment_method_types']) ? params['payment_method_types'] : ['card'],
          ...(params['automatic_payment_methods']
            ? {
                automatic_payment_methods: {
                  enabled: asBool((params['automatic_payment_methods'] as Obj)['enabled']),
                  allow_redirects: (params['automatic_payment_methods'] as Obj)['allow_redirects'] ?? 'always',
                },
              }
            : {}),
          status: 'requires_payment_method',
          usage: params['usage'] ?? 'off_session',
        };
        setupIntents.set(siId, si);
        return ok(withExpand(si, params['expand']));
      }
      case 'GET /v1/setup_intents/:id': {
        const si = setupIntents.get(objectId!);
        if (!si) throw invalid(`No such setupintent: '${objectId}'`, 'resource_missing', 'intent', 404);
        return ok(withExpand(si, params['expand']));
      }
      case 'POST /v1/setup_intents/:id/confirm': {
        const si = setupIntents.get(objectId!);
        if (!si) throw invalid(`No such setupintent: '${objectId}'`, 'resource_missing', 'intent', 404);
        if (!['requires_payment_method', 'requires_confirmation'].includes(String(si['status'])))
          throw invalid(`You cannot confirm this SetupIntent because it has a status of ${String(si['status'])}.`, 'setup_intent_unexpected_state');
        const pmParam = params['payment_method'] ?? si['payment_method'];
        if (typeof pmParam !== 'string') throw invalid('You must provide a payment method.', 'parameter_missing', 'payment_method');
        const pm = resolvePaymentMethod(pmParam);
        const card = cardOf.get(String(pm['id']))!;
        if (card.declineOnSetup) {
          si['status'] = 'requires_payment_method';
          si['last_setup_error'] = lastError(card.decline!.code, card.decline!.decline_code, 'Your card was declined.', pm);
          const error = cardError(card.decline!.code, 'Your card was declined.', {
            decline_code: card.decline!.decline_code,
            setup_intent: structuredClone(si),
            payment_method: structuredClone(pm),
          });
          throw error;
        }
        if (si['customer']) attach(pm, String(si['customer']));
        si['payment_method'] = pm['id'];
        si['status'] = 'succeeded';
        si['last_setup_error'] = null;
        return ok(withExpand(si, params['expand']));
      }
      case 'GET /v1/payment_methods/:id': {
        // A magic test id resolves to a new, unattached object, as in test mode.
        return ok(structuredClone(resolvePaymentMethod(objectId!, 'payment_method')));
      }
      case 'POST /v1/payment_methods/:id/attach': {
        customerOrThrow(params['customer']);
        const pm = resolvePaymentMethod(objectId!);
        return ok(structuredClone(attach(pm, String(params['customer']))));
      }
      case 'POST /v1/payment_methods/:id/detach': {
        const pm = paymentMethods.get(objectId!);
        if (!pm) throw invalid(`No such PaymentMethod: '${objectId}'`, 'resource_missing', 'payment_method', 404);
        if (!pm['customer']) throw invalid('The payment method you provided is not attached to a customer so detachment is impossible.', 'payment_method_unexpected_state');
        pm['customer'] = null;
        return ok(structuredClone(pm));
      }
      case 'POST /v1/payment_intents': {
        const amount = Number(params['amount']);
        if (!Number.isInteger(amount) || amount < 1) throw invalid('Invalid integer: amount', 'parameter_invalid_integer', 'amount');
        const currency = String(params['currency']);
        if (!/^[a-z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}.`, 'parameter_invalid_string', 'currency');
        if (params['customer'] !== undefined) customerOrThrow(params['customer']);
        let pm: Obj | null = null;
        if (params['payment_method'] !== undefined) {
          pm = resolvePaymentMethod(String(params['payment_method']));
          if (pm['customer'] && params['customer'] !== pm['customer'])
            throw invalid('The provided PaymentMethod belongs to another Customer; pass that Customer to use it.', undefined, 'payment_method');
          if (!pm['customer'] && params['customer'] && paymentMethods.has(String(params['payment_method'])) && !TEST_CARDS[String(params['payment_method'])])
            throw invalid(
              'The provided PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.',
              undefined,
              'payment_method',
            );
        }
        const offSession = asBool(params['off_session']);
        if (params['off_session'] !== undefined && !asBool(params['confirm'])) throw invalid('off_session can only be used with confirm=true.', undefined, 'off_session');
        const piId = id('pi');
        const pi: Obj = {
          id: piId,
          object: 'payment_intent',
          amount,
          amount_capturable: 0,
          amount_received: 0,
          capture_method: 'automatic',
          client_secret: `${piId}_secret_${randomBytes(12).toString('hex')}`,
          confirmation_method: 'automatic',
          created: unix(),
          currency,
          customer: params['customer'] ?? null,
          description: params['description'] ?? null,
          last_payment_error: null,
          latest_charge: null,
          livemode: false,
          metadata: asStringMap(params['metadata']),
          next_action: null,
          payment_method: pm ? pm['id'] : null,
          payment_method_types: Array.isArray(params['payment_method_types']) ? params['payment_method_types'] : ['card'],
          ...(params['automatic_payment_methods']
            ? {
                automatic_payment_methods: {
                  enabled: asBool((params['automatic_payment_methods'] as Obj)['enabled']),
                  allow_redirects: (params['automatic_payment_methods'] as Obj)['allow_redirects'] ?? 'always',
                },
              }
            : {}),
          status: pm ? 'requires_confirmation' : 'requires_payment_method',
        };
        paymentIntents.set(piId, pi);
        searchableAt.set(piId, clock.now().getTime() + searchLagMs);
        if (asBool(params['confirm'])) confirmPaymentIntent(pi, offSession);
        return ok(withExpand(pi, params['expand']));
      }
      case 'GET /v1/payment_intents': {
        const created = params['created'];
        const range = created && typeof created === 'object' ? (created as Obj) : created !== undefined ? { eq: created } : {};
        const n = (k: string) => (range[k] === undefined ? undefined : Number(range[k]));
        const limit = Math.min(100, Math.max(1, Number(params['limit'] ?? 10)));
        let all = [...paymentIntents.values()].reverse(); // newest first, as Stripe lists
        all = all.filter((pi) => {
          const c = Number(pi['created']);
          return (
            (n('gte') === undefined || c >= n('gte')!) &&
            (n('gt') === undefined || c > n('gt')!) &&
            (n('lte') === undefined || c <= n('lte')!) &&
            (n('lt') === undefined || c < n('lt')!) &&
            (n('eq') === undefined || c === n('eq'))
          );
        });
        if (params['customer'] !== undefined) all = all.filter((pi) => pi['customer'] === params['customer']);
        if (params['starting_after'] !== undefined) {
          const at = all.findIndex((pi) => pi['id'] === params['starting_after']);
          if (at < 0) throw invalid(`No such paymentintent: '${String(params['starting_after'])}'`, 'resource_missing', 'starting_after', 404);
          all = all.slice(at + 1);
        }
        const page = all.slice(0, limit);
        return ok({ object: 'list', url: '/v1/payment_intents', has_more: all.length > limit, data: page.map((pi) => structuredClone(pi)) });
      }
      case 'GET /v1/payment_intents/search': {
        const matches = searchMatcher(String(params['query']));
        const now = clock.now().getTime();
        const limit = Math.min(100, Math.max(1, Number(params['limit'] ?? 10)));
        const offset = params['page'] ? Number(String(params['page']).replace(/^page_/, '')) : 0;
        const found = [...paymentIntents.values()].reverse().filter((pi) => searchableAt.get(String(pi['id']))! <= now && matches(pi));
        const page = found.slice(offset, offset + limit);
        const more = found.length > offset + limit;
        return ok({
          object: 'search_result',
          url: '/v1/payment_intents/search',
          has_more: more,
          next_page: more ? `page_${offset + limit}` : null,
          total_count: found.length,
          data: page.map((pi) => structuredClone(pi)),
        });
      }
      case 'GET /v1/payment_intents/:id': {
        const pi = paymentIntents.get(objectId!);
        if (!pi) throw invalid(`No such payment_intent: '${objectId}'`, 'resource_missing', 'intent', 404);
        return ok(withExpand(pi, params['expand']));
      }
      case 'POST /v1/payment_intents/:id/confirm': {
        const pi = paymentIntents.get(objectId!);
        if (!pi) throw invalid(`No such payment_intent: '${objectId}'`, 'resource_missing', 'intent', 404);
        if (!['requires_payment_method', 'requires_confirmation'].includes(String(pi['status'])))
          throw invalid(`You cannot confirm this PaymentIntent because it has a status of ${String(pi['status'])}.`, 'payment_intent_unexpected_state');
        if (params['payment_method'] !== undefined) pi['payment_method'] = resolvePaymentMethod(String(params['payment_method']))['id'];
        confirmPaymentIntent(pi, asBool(params['off_session']));
        return ok(withExpand(pi, params['expand']));
      }
      case 'POST /v1/payment_intents/:id/cancel': {
        const pi = paymentIntents.get(objectId!);
        if (!pi) throw invalid(`No such payment_intent: '${objectId}'`, 'resource_missing', 'intent', 404);
        if (!['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action'].includes(String(pi['status'])))
          throw invalid(`You cannot cancel this PaymentIntent because it has a status of ${String(pi['status'])}.`, 'payment_intent_unexpected_state');
        pi['status'] = 'canceled';
        pi['next_action'] = null;
        pi['canceled_at'] = unix();
        pi['cancellation_reason'] = params['cancellation_reason'] ?? null;
        return ok(withExpand(pi, params['expand']));
      }
    }
    throw invalid(`Unrecognized request URL (${method}: ${path}).`, undefined, undefined, 404);
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  function takeFault(method: string, path: string): Fault | undefined {
    const i = faults.findIndex((f) => (!f.method || f.method === method) && (!f.path || path.startsWith(f.path)));
    if (i < 0) return undefined;
    const f = faults[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const query = parseStripeForm(url.search.slice(1));
    let form: Obj = {};
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Request-Id': `req_${randomBytes(7).toString('hex')}`,
      'Stripe-Version': String(req.headers['stripe-version'] ?? ''),
    };
    let status: number;
    let body: unknown;
    let replayed = false;
    let dropped = false;
    const fault = takeFault(method, path);
    const answer = (): void => {
      if (fault?.kind === 'drop_response') {
        dropped = true;
        req.socket.destroy();
        return;
      }
      res.writeHead(status, headers).end(JSON.stringify(body));
    };
    try {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${secretKey}`)
        throw invalid(auth ? `Invalid API Key provided: ${auth.replace(/^Bearer /, '').slice(0, 8)}****` : 'You did not provide an API key.', undefined, undefined, 401);
      if (fault?.kind === 'error_500') throw new ApiError(500, { type: 'api_error', message: 'An unknown error occurred while processing your request.' });
      if (method === 'POST') {
        const type = String(req.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim();
        if (raw && type !== 'application/x-www-form-urlencoded')
          throw invalid(`Invalid request: unsupported Content-Type ${type}. If error persists and you need assistance, please contact support@stripe.com.`);
        form = parseStripeForm(raw);
      }
      const params = method === 'POST' ? form : query;
      const idemKey = method === 'POST' ? req.headers['idempotency-key'] : undefined;
      const slot = typeof idemKey === 'string' ? `${secretKey}\u0000${idemKey}` : undefined;
      if (typeof idemKey === 'string' && idemKey.length > 255) throw invalid('Idempotency-Key must be at most 255 characters long.', undefined, 'Idempotency-Key');
      const fingerprint = `${method} ${path} ${canonical(params)}`;
      const stored = slot ? idempotency.get(slot) : undefined;
      if (stored && clock.now().getTime() - stored.at < DAY_MS) {
        if (stored.fingerprint !== fingerprint)
          throw new ApiError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${String(idemKey)}' if you meant to execute a different request.`,
          });
        status = stored.status;
        body = structuredClone(stored.body);
        headers['Idempotent-Replayed'] = 'true';
        headers['Idempotency-Key'] = String(idemKey);
        replayed = true;
      } else {
        try {
          ({ status, body } = route(method, path, params));
          if (slot) idempotency.set(slot, { fingerprint, status, body: structuredClone(body), at: clock.now().getTime() });
        } catch (e) {
          if (e instanceof ApiError && e.ran && slot) idempotency.set(slot, { fingerprint, status: e.status, body: { error: e.error }, at: clock.now().getTime() });
          throw e;
        }
        if (typeof idemKey === 'string') headers['Idempotency-Key'] = idemKey;
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      status = e.status;
      body = { error: { ...e.error, request_log_url: `https://dashboard.stripe.com/test/logs/${headers['Request-Id']}` } };
      if (e.status === 500) headers['Stripe-Should-Retry'] = 'true';
    }
    answer();
    log.push({ method, path, query, form, status: status!, body: structuredClone(body), replayed, dropped });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { type: 'api_error', message: String(e) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    secretKey,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    ledger: () => captures.map((c) => ({ ...c, metadata: { ...c.metadata } })),
    exchanges: () => [...log],
    fault: (f) => faults.push({ ...f, times: f.times ?? 1 }),
    setSearchLag: (ms) => {
      searchLagMs = ms;
    },
    paymentIntents: () => [...paymentIntents.values()].map((pi) => structuredClone(pi)),
    completeAction(paymentIntentId, succeed) {
      const pi = paymentIntents.get(paymentIntentId);
      if (pi?.['status'] !== 'requires_action') throw new Error(`${paymentIntentId} does not wait for the customer`);
      pi['next_action'] = null;
      if (succeed) capture(pi);
      else {
        pi['status'] = 'requires_payment_method';
        pi['last_payment_error'] = lastError(
          'payment_intent_authentication_failure',
          undefined,
          'The provided PaymentMethod has failed authentication.',
          paymentMethods.get(String(pi['payment_method'])) ?? null,
        );
      }
    },
    seedPaymentMethod(type) {
      const pmId = id('pm');
      paymentMethods.set(pmId, {
        id: pmId,
        object: 'payment_method',
        type,
        billing_details: { address: null, email: null, name: null, phone: null },
        created: unix(),
        customer: null,
        livemode: false,
        metadata: {},
      });
      return pmId;
    },
    async sendWebhook(d) {
      const event = {
        id: d.eventId ?? id('evt'),
        object: 'event',
        api_version: '2026-10-28.endive',
        created: unix(),
        data: { object: d.object },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: d.type,
      };
      const payload = JSON.stringify(event, null, 2);
      const signature = signStripePayload(payload, d.secret, d.signedAt ?? clock.now());
      const sent = d.tamper ? d.tamper(payload) : payload;
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': signature, 'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        body: sent,
      });
      return { status: res.status, body: await res.text(), payload: sent, signature };
    },
  };
}
