/**
 * `bank_card` through Stripe, with the official SDK: a Customer and a PaymentMethod saved for
 * off-session use through a SetupIntent (or a PaymentMethod id from Stripe.js, attached), each
 * debit a PaymentIntent `confirm: true, off_session: true` whose Idempotency-Key is derived
 * from the attempt id, which also goes into its metadata so that `status` can find it.
 */
import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import type { PaymentMethodType } from '../../../domain/customer.ts';
import type {
  ChargeRequest,
  ChargeResult,
  ChargeStatus,
  NextAction,
  ProviderCapture,
  ProviderGateway,
  SetupRequest,
  SetupStarted,
  SetupStatus,
  StatusQuery,
  TokenCheck,
  TokenInput,
} from '../../../ports/payment-gateway.port.ts';
import { mapStripeDecline } from './stripe-declines.ts';

export interface StripeGatewayOptions {
  secretKey: string;
  /** A base URL such as `http://127.0.0.1:12111` (a fake); Stripe's own API otherwise. */
  apiBase?: string;
  /** Handed to Stripe.js with a client secret. */
  publishableKey?: string;
  clock?: { now(): Date };
  /** Retries of one call on network errors, 409 and 5xx, with the same Idempotency-Key (default 2). */
  maxNetworkRetries?: number;
  /** Per request (default 20 s, well under a worker's timeout; the SDK's own is 80 s). */
  timeoutMs?: number;
  /** How long after an attempt a charge that cannot be found is trusted to be absent (default 10 min). */
  settleMs?: number;
}

/** Metadata keys repayflow writes on Stripe objects. */
export const ATTEMPT_METADATA = 'repayflow_attempt_id';
export const PLAN_METADATA = 'repayflow_plan_id';
export const CUSTOMER_METADATA = 'repayflow_customer_id';

/**
 * A key in Stripe's terms: any string of at most 255 characters. A namespace keeps charge,
 * setup and customer keys apart; an id too long or outside printable ASCII is hashed.
 */
export function stripeIdempotencyKey(kind: 'charge' | 'setup' | 'customer', id: string): string {
  const key = `repayflow:${kind}:${id}`;
  return key.length <= 255 && /^[\x21-\x7e]+$/.test(key) ? key : `repayflow:${kind}:sha256:${createHash('sha256').update(id).digest('hex')}`;
}

const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  cartes_bancaires: 'Cartes Bancaires',
  eftpos_au: 'eftpos',
  interac: 'Interac',
  link: 'Link',
};

/** `Visa ****4242`: the masked display, from what Stripe says about the card. */
export function cardDisplay(card: { brand?: string | null; last4?: string | null }): string {
  const brand = (card.brand && BRANDS[card.brand]) ?? (card.brand ? card.brand.charAt(0).toUpperCase() + card.brand.slice(1) : 'Card');
  return `${brand} ****${card.last4 ?? '????'}`;
}

/** Search-language string literal: quotes and backslashes escaped. */
const quoted = (value: string) => `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/**
 * Stripe's search is eventually consistent ("Under normal operating conditions, data is
 * searchable in less than a minute. Occasionally, propagation of new or updated data can be
 * up to an hour behind during outages", https://docs.stripe.com/search#data-freshness and
 * https://docs.stripe.com/api/payment_intents/search), so a miss there proves nothing. The
 * list endpoint is read-after-write consistent (same page), so a miss in a list of the
 * attempt's creation window is definitive once no request of the attempt can still be on its
 * way: the settle time covers the SDK's retries (3 × timeout plus back-off ≈ 1 min) and a
 * clock skew between us and Stripe of up to CLOCK_SKEW_MS.
 */
const CLOCK_SKEW_MS = 5 * 60_000;

type StripeError = InstanceType<typeof Stripe.errors.StripeError>;

export class StripeGateway implements ProviderGateway {
  readonly provider = 'stripe' as const;
  readonly methodTypes: readonly PaymentMethodType[] = ['bank_card'];
  private readonly stripe: Stripe;
  private readonly publishableKey: string | undefined;
  private readonly clock: { now(): Date };
  private readonly settleMs: number;

  constructor(options: StripeGatewayOptions) {
    const base = options.apiBase ? new URL(options.apiBase) : undefined;
    this.stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs ?? 20_000,
      telemetry: false,
      ...(base
        ? {
            host: base.hostname,
            port: base.port || (base.protocol === 'http:' ? 80 : 443),
            protocol: base.protocol === 'http:' ? 'http' : 'https',
          }
        : {}),
    });
    this.publishableKey = options.publishableKey;
    this.clock = options.clock ?? { now: () => new Date() };
    this.settleMs = options.settleMs ?? 10 * 60_000;
  }

  async startSetup(request: SetupRequest): Promise<SetupStarted> {
    this.assertCard(request.methodType);
    const customerReference = request.customerReference ?? (await this.createCustomer(request.customerId));
    const intent = await this.stripe.setupIntents.create(
      {
        customer: customerReference,
        usage: 'off_session',
        // Cards only in effect (setupStatus accepts nothing else); `payment_method_types` is
        // gone from the API version this SDK pins, and a redirect never suits a saved card.
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        metadata: { [CUSTOMER_METADATA]: request.customerId },
      },
      { idempotencyKey: stripeIdempotencyKey('setup', request.setupKey) },
    );
    if (!intent.client_secret) throw new Error(`Stripe returned SetupIntent ${intent.id} without a client secret`);
    return { setupId: intent.id, next: this.sdkAction(intent.client_secret), customerReference };
  }

  async setupStatus(setupId: string): Promise<SetupStatus> {
    const intent = await this.stripe.setupIntents.retrieve(setupId, { expand: ['payment_method'] });
    const customerReference = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
    if (intent.status === 'succeeded') {
      const pm = intent.payment_method;
      if (!pm || typeof pm === 'string' || !pm.card) throw new Error(`SetupIntent ${setupId} succeeded without a card`);
      return { status: 'succeeded', token: pm.id, display: cardDisplay(pm.card), ...(customerReference ? { customerReference } : {}) };
    }
    if (intent.status === 'canceled') return { status: 'failed', code: 'canceled' };
    if (intent.status === 'requires_payment_method' && intent.last_setup_error) return { status: 'failed', code: mapStripeDecline(intent.last_setup_error) };
    return { status: 'pending' };
  }

  async verifyToken(input: TokenInput): Promise<TokenCheck> {
    if (input.methodType !== 'bank_card') return { ok: false, code: 'wrong_type', detail: `Stripe serves bank_card here, not ${input.methodType}` };
    let method: Stripe.PaymentMethod;
    try {
      method = await this.stripe.paymentMethods.retrieve(input.token);
    } catch (error) {
      if (isMissing(error)) return { ok: false, code: 'unknown_token', detail: 'Stripe does not know this payment method' };
      throw error;
    }
    if (method.type !== 'card' || !method.card) return { ok: false, code: 'wrong_type', detail: `a ${method.type} payment method is not a card` };
    const customerReference = input.customerReference ?? (await this.createCustomer(input.customerId));
    const owner = typeof method.customer === 'string' ? method.customer : method.customer?.id;
    if (owner === customerReference) return { ok: true, token: method.id, display: cardDisplay(method.card), customerReference };
    if (owner) return { ok: false, code: 'unknown_token', detail: 'the payment method belongs to another customer' };
    try {
      // A test id such as pm_card_visa becomes a new PaymentMethod when attached: keep Stripe's id.
      const attached = await this.stripe.paymentMethods.attach(input.token, { customer: customerReference });
      return { ok: true, token: attached.id, display: cardDisplay(attached.card ?? method.card), customerReference };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) return { ok: false, code: 'unknown_token', detail: `Stripe refused to save the card (${mapStripeDecline(error)})` };
      if (isMissing(error)) return { ok: false, code: 'unknown_token', detail: 'Stripe does not know this payment method' };
      throw error;
    }
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.assertCard(request.methodType);
    const offSession = request.mode === 'auto';
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          ...(request.customerReference ? { customer: request.customerReference } : {}),
          payment_method: request.token,
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          confirm: true,
          off_session: offSession,
          metadata: { [ATTEMPT_METADATA]: request.idempotencyKey, [PLAN_METADATA]: request.planId },
        },
        { idempotencyKey: stripeIdempotencyKey('charge', request.idempotencyKey) },
      );
      return this.chargeResultOf(intent);
    } catch (error) {
      return chargeFailure(error);
    }
  }

  async status(query: StatusQuery): Promise<ChargeStatus> {
    try {
      const intent = (await this.searchAttempt(query.idempotencyKey)) ?? (await this.listAttempt(query));
      if (intent) return this.statusOf(intent);
    } catch (error) {
      if (isTransient(error)) return { status: 'unknown', reason: `Stripe did not answer: ${describe(error)}` };
      throw error;
    }
    if (this.clock.now().getTime() - query.attemptedAt.getTime() < this.settleMs)
      return { status: 'unknown', reason: 'no PaymentIntent yet; a request of this attempt may still be on its way' };
    return { status: 'not_found' };
  }

  async cancel(query: StatusQuery): Promise<ChargeStatus> {
    let intent: Stripe.PaymentIntent | undefined;
    try {
      intent = (await this.searchAttempt(query.idempotencyKey)) ?? (await this.listAttempt(query));
    } catch (error) {
      if (isTransient(error)) return { status: 'unknown', reason: `Stripe did not answer: ${describe(error)}` };
      throw error;
    }
    if (!intent) return this.status(query);
    if (!['requires_action', 'requires_payment_method', 'requires_confirmation', 'requires_capture'].includes(intent.status)) return this.statusOf(intent);
    try {
      return this.statusOf(await this.stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned' }));
    } catch (error) {
      // The customer finished first: the intent moved on and its state is the answer.
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'payment_intent_unexpected_state')
        return this.statusOf(await this.stripe.paymentIntents.retrieve(intent.id));
      if (isTransient(error)) return { status: 'unknown', reason: `Stripe did not answer: ${describe(error)}` };
      throw error;
    }
  }

  async captures(from: Date, to: Date): Promise<ProviderCapture[]> {
    const out: ProviderCapture[] = [];
    const pages = this.stripe.paymentIntents.list({ created: { gte: Math.ceil(from.getTime() / 1000), lt: Math.ceil(to.getTime() / 1000) }, limit: 100 });
    for await (const intent of pages) {
      const attemptId = intent.metadata?.[ATTEMPT_METADATA];
      if (intent.status !== 'succeeded' || !attemptId) continue;
      out.push({
        provider: 'stripe',
        idempotencyKey: attemptId,
        gatewayReference: intent.id,
        amount: intent.amount_received || intent.amount,
        currency: intent.currency.toUpperCase(),
        capturedAt: new Date(intent.created * 1000).toISOString(),
      });
    }
    return out;
  }

  async release(input: { token: string; customerReference?: string }): Promise<void> {
    try {
      await this.stripe.paymentMethods.detach(input.token);
    } catch (error) {
      // Already detached or gone: the authorisation has ended either way.
      if (isMissing(error) || (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'payment_method_unexpected_state')) return;
      throw error;
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private assertCard(methodType: PaymentMethodType): void {
    if (methodType !== 'bank_card') throw new Error(`the Stripe gateway serves bank_card, not ${methodType}`);
  }

  private async createCustomer(customerId: string): Promise<string> {
    const customer = await this.stripe.customers.create({ metadata: { [CUSTOMER_METADATA]: customerId } }, { idempotencyKey: stripeIdempotencyKey('customer', customerId) });
    return customer.id;
  }

  private sdkAction(clientSecret: string): NextAction {
    return { type: 'stripe_sdk', clientSecret, ...(this.publishableKey ? { publishableKey: this.publishableKey } : {}) };
  }

  private async searchAttempt(attemptId: string): Promise<Stripe.PaymentIntent | undefined> {
    try {
      const found = await this.stripe.paymentIntents.search({ query: `metadata[${quoted(ATTEMPT_METADATA)}]:${quoted(attemptId)}`, limit: 10 });
      return pickAttempt(found.data);
    } catch (error) {
      // Search is a shortcut (and not offered everywhere); the list of the attempt's window is
      // the consistent source, so a failing search never leaves an attempt unresolved. Keys
      // that are wrong or lack permission are a fault to see, not to work around.
      if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) throw error;
      if (error instanceof Stripe.errors.StripeError) return undefined;
      throw error;
    }
  }

  /** The attempt's PaymentIntent from the consistent list of its creation window. */
  private async listAttempt(query: StatusQuery): Promise<Stripe.PaymentIntent | undefined> {
    const from = query.attemptedAt.getTime() - CLOCK_SKEW_MS;
    const to = query.attemptedAt.getTime() + this.settleMs + CLOCK_SKEW_MS;
    const matches: Stripe.PaymentIntent[] = [];
    const pages = this.stripe.paymentIntents.list({ created: { gte: Math.floor(from / 1000), lte: Math.ceil(to / 1000) }, limit: 100 });
    for await (const intent of pages) if (intent.metadata?.[ATTEMPT_METADATA] === query.idempotencyKey) matches.push(intent);
    return pickAttempt(matches);
  }

  private chargeResultOf(intent: Stripe.PaymentIntent): ChargeResult {
    const status = this.statusOf(intent);
    if (status.status === 'not_found') return { outcome: 'unknown', reason: 'unreachable' };
    if (status.status === 'unknown') return { outcome: 'unknown', reason: status.reason };
    if (status.status === 'captured') return { outcome: 'captured', gatewayReference: status.gatewayReference };
    if (status.status === 'declined') return { outcome: 'declined', code: status.code };
    if (status.status === 'requires_action') return { outcome: 'requires_action', next: status.next };
    return { outcome: 'pending' };
  }

  private statusOf(intent: Stripe.PaymentIntent): ChargeStatus {
    switch (intent.status) {
      case 'succeeded':
        return { status: 'captured', gatewayReference: intent.id };
      case 'processing':
      case 'requires_capture':
        return { status: 'pending' };
      case 'requires_action':
        return intent.client_secret
          ? { status: 'requires_action', next: this.sdkAction(intent.client_secret) }
          : { status: 'unknown', reason: `${intent.id} requires action but has no client secret` };
      case 'requires_payment_method':
        // Confirmed and refused (a decline leaves the intent waiting for another method).
        return intent.last_payment_error
          ? { status: 'declined', code: mapStripeDecline(intent.last_payment_error) }
          : { status: 'unknown', reason: `${intent.id} was never confirmed` };
      case 'canceled':
        // Only repayflow cancels (an abandoned verification): no money moved.
        return { status: 'declined', code: 'canceled' };
      default:
        return { status: 'unknown', reason: `${intent.id} is ${intent.status}` };
    }
  }
}

/** The one PaymentIntent of an attempt; a settled one wins should a key have been reused after 24 h. */
function pickAttempt(intents: Stripe.PaymentIntent[]): Stripe.PaymentIntent | undefined {
  return intents.find((i) => i.status === 'succeeded') ?? intents.find((i) => i.status === 'processing') ?? intents[0];
}

function chargeFailure(error: unknown): ChargeResult {
  if (error instanceof Stripe.errors.StripeCardError) return { outcome: 'declined', code: mapStripeDecline(error) };
  // The same key with other parameters: two different charges share an attempt id — a bug.
  if (error instanceof Stripe.errors.StripeIdempotencyError) throw error;
  if (isTransient(error)) return { outcome: 'unknown', reason: describe(error) };
  if (error instanceof Stripe.errors.StripeInvalidRequestError && (error.param === 'payment_method' || error.code === 'resource_missing'))
    // A detached, deleted or foreign PaymentMethod: this method cannot be charged again.
    return { outcome: 'declined', code: 'invalid_method' };
  throw error;
}

/** Errors after which Stripe may or may not have acted: never a decline. */
function isTransient(error: unknown): boolean {
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError) return true;
  return error instanceof Stripe.errors.StripeError && (error.statusCode === undefined || error.statusCode >= 500 || error.statusCode === 409);
}

function isMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && (error.code === 'resource_missing' || error.statusCode === 404);
}

function describe(error: unknown): string {
  if (error instanceof Stripe.errors.StripeError) return `${(error as StripeError).type}${error.statusCode ? ` ${error.statusCode}` : ''}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
