/**
 * The bundled simulated payment gateway (local default). It decides by token:
 * `tok_ok` captures; `tok_insufficient_funds` and `tok_expired` decline; `tok_timeout` answers
 * with an unknown outcome after maybe capturing (the status query tells); `tok_flaky_<pct>`
 * declines that percentage of charges as retryable, seeded by the idempotency key;
 * `tok_slow_<ms>` captures after a delay; `tok_async` (a wallet) accepts an automatic debit and
 * confirms it later, `tok_async_declined` declines it later (insufficient funds) — both
 * settle when `settlePending` is called and are reported through a signed webhook. Stripe's
 * test cards mean what they mean in Stripe's test mode: `pm_card_visa` captures,
 * `pm_card_chargeDeclinedInsufficientFunds` declines, `pm_card_authenticationRequired` declines
 * off-session (`authentication_required`) and asks a present customer to confirm.
 * Any other token is unknown to it: binding refuses it, a charge declines it.
 * Bindings go through a stand-in sign page (`startSetup` → `completeSetup`), as a provider's would.
 * Charges are idempotent by key, and every capture lands in an independent ledger.
 */
import { createHash } from 'node:crypto';
import { PAYMENT_METHOD_TYPES, type PaymentMethodType } from '../../domain/customer.ts';
import type { Clock } from '../../ports/clock.port.ts';
import type {
  ChargeRequest,
  ChargeResult,
  ChargeStatus,
  ProviderCapture,
  ProviderGateway,
  SetupRequest,
  SetupStarted,
  SetupStatus,
  StatusQuery,
  TokenCheck,
  TokenInput,
} from '../../ports/payment-gateway.port.ts';

export interface CapturedCharge {
  idempotencyKey: string;
  planId: string;
  amount: number;
  currency: string;
  gatewayReference: string;
  at: string;
}

type Final = { captured: true } | { captured: false; code: string };
type Decision = Final | { pending: ChargeRequest; final: Final } | { action: ChargeRequest; final: Final };

/** A binding started through the stand-in sign page: the customer completes it there. */
interface SimulatedSetup {
  customerId: string;
  methodType: PaymentMethodType;
  /** Where the stand-in page sends the customer back. */
  returnUrl?: string;
  result?: { token: string; display: string } | { failed: string };
}

/** Tokens this simulated provider issues (anything else is unknown to it). */
const KNOWN_TOKEN =
  /^(tok_ok|tok_insufficient_funds|tok_expired|tok_timeout|tok_async|tok_async_declined|tok_flaky_\d{1,3}|tok_slow_\d{1,5}|pm_card_visa|pm_card_chargeDeclinedInsufficientFunds|pm_card_authenticationRequired)$/;
const STRIPE_TEST_CARDS: Record<string, string> = {
  pm_card_visa: 'Visa ****4242',
  pm_card_chargeDeclinedInsufficientFunds: 'Visa ****9995',
  pm_card_authenticationRequired: 'Visa ****3184',
};

/** A wallet's asynchronous result, as the provider would post it to the webhook. */
export interface WalletNotification {
  provider: 'simulated';
  eventId: string;
  type: 'payment.succeeded' | 'payment.failed';
  data: { idempotencyKey: string; amount: number; currency: string; failureCode?: string };
}

const WALLETS = new Set(['alipay', 'wechat_pay']);

/** Deterministic fraction in [0, 1) from a string: FNV-1a, then murmur3's finaliser to spread similar keys. */
export function seededFraction(seed: string): number {
  let hash = 0x811c9dc5;
  for (const ch of seed) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

export class SimulatedGateway implements ProviderGateway {
  readonly provider = 'simulated' as const;
  readonly methodTypes = PAYMENT_METHOD_TYPES;
  readonly #decisions = new Map<string, Decision>();
  readonly #setups = new Map<string, SimulatedSetup>();
  readonly #ledger: CapturedCharge[] = [];
  #sequence = 0;

  constructor(private readonly clock: Clock) {}

  /** Every charge actually captured, in order: the ledger repayment records must match. */
  charges(): readonly CapturedCharge[] {
    return this.#ledger;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const previous = this.#decisions.get(request.idempotencyKey);
    if (previous) return this.#result(request.idempotencyKey, previous);

    if ((request.token === 'tok_async' || request.token === 'tok_async_declined') && request.mode === 'auto' && WALLETS.has(request.methodType)) {
      const final = request.token === 'tok_async' ? ({ captured: true } as const) : ({ captured: false, code: 'insufficient_funds' } as const);
      this.#decisions.set(request.idempotencyKey, { pending: request, final });
      return { outcome: 'pending' };
    }

    const { token } = request;
    if (token === 'pm_card_authenticationRequired') {
      // Stripe's test card: off-session it declines for authentication; on-session it asks the customer.
      if (request.mode === 'auto') {
        this.#decisions.set(request.idempotencyKey, { captured: false, code: 'authentication_required' });
        return { outcome: 'declined', code: 'authentication_required' };
      }
      this.#decisions.set(request.idempotencyKey, { action: request, final: { captured: true } });
      return this.#result(request.idempotencyKey, this.#decisions.get(request.idempotencyKey)!);
    }
    const slow = /^tok_slow_(\d{1,5})$/.exec(token);
    if (slow) await new Promise((resolve) => setTimeout(resolve, Number(slow[1])));

    if (token === 'tok_timeout') {
      // The request reached the gateway; whether it captured is only known to the status query.
      if (seededFraction(`${request.idempotencyKey}#timeout`) < 0.5) this.#capture(request);
      else this.#decisions.set(request.idempotencyKey, { captured: false, code: 'timeout' });
      return { outcome: 'unknown', reason: 'gateway timed out' };
    }
    const decision = this.#decide(request);
    if ('captured' in decision && decision.captured) this.#capture(request);
    else this.#decisions.set(request.idempotencyKey, decision);
    return this.#result(request.idempotencyKey, this.#decisions.get(request.idempotencyKey)!);
  }

  async status({ idempotencyKey }: StatusQuery): Promise<ChargeStatus> {
    const decision = this.#decisions.get(idempotencyKey);
    if (!decision) return { status: 'not_found' };
    if ('pending' in decision) return { status: 'pending' };
    if ('action' in decision) return { status: 'requires_action', next: this.#confirmPage(idempotencyKey) };
    if (decision.captured) return { status: 'captured', gatewayReference: this.#referenceOf(idempotencyKey) };
    // A timed-out charge that never captured is, to the status query, simply absent.
    return decision.code === 'timeout' ? { status: 'not_found' } : { status: 'declined', code: decision.code };
  }

  /**
   * The customer's answer on the stand-in verification page (3-D Secure, a wallet password):
   * the charge awaiting it captures, or fails when they cancel. False when none awaits.
   */
  confirmAction(idempotencyKey: string, approve: boolean): boolean {
    const decision = this.#decisions.get(idempotencyKey);
    if (!decision || !('action' in decision)) return false;
    if (approve) this.#capture(decision.action);
    else this.#decisions.set(idempotencyKey, { captured: false, code: 'authentication_failed' });
    return true;
  }

  /** The charge waiting for the customer on the stand-in verification page, if any. */
  awaitingConfirmation(idempotencyKey: string): Readonly<ChargeRequest> | undefined {
    const decision = this.#decisions.get(idempotencyKey);
    return decision && 'action' in decision ? decision.action : undefined;
  }

  async cancel(query: StatusQuery): Promise<ChargeStatus> {
    const decision = this.#decisions.get(query.idempotencyKey);
    if (decision && 'action' in decision) this.#decisions.set(query.idempotencyKey, { captured: false, code: 'authentication_abandoned' });
    return this.status(query);
  }

  async startSetup(request: SetupRequest): Promise<SetupStarted> {
    const setupId = `seti_sim_${createHash('sha256').update(`${request.customerId}#${request.setupKey}`).digest('hex').slice(0, 20)}`;
    if (!this.#setups.has(setupId))
      this.#setups.set(setupId, { customerId: request.customerId, methodType: request.methodType, ...(request.returnUrl ? { returnUrl: request.returnUrl } : {}) });
    return { setupId, next: { type: 'redirect', url: `/local/provider/setup/${setupId}` }, customerReference: `sim_${request.customerId}` };
  }

  /** What a setup asks of the stand-in sign page: the customer and the method type. */
  setup(setupId: string): Readonly<SimulatedSetup> | undefined {
    return this.#setups.get(setupId);
  }

  /** The customer finished (or refused) the stand-in sign page with this token. */
  completeSetup(setupId: string, outcome: { token: string; display?: string } | { refused: true }): boolean {
    const setup = this.#setups.get(setupId);
    if (!setup || setup.result) return false;
    if ('refused' in outcome) setup.result = { failed: 'setup_refused' };
    else if (!KNOWN_TOKEN.test(outcome.token)) setup.result = { failed: 'invalid_method' };
    else setup.result = { token: outcome.token, display: outcome.display ?? this.#display(setup.methodType, outcome.token) };
    return true;
  }

  async setupStatus(setupId: string): Promise<SetupStatus> {
    const setup = this.#setups.get(setupId);
    if (!setup?.result) return { status: 'pending' };
    if ('failed' in setup.result) return { status: 'failed', code: setup.result.failed };
    return { status: 'succeeded', token: setup.result.token, display: setup.result.display, customerReference: `sim_${setup.customerId}` };
  }

  /**
   * A reference the client got from this provider: known tokens only. The simulation reports
   * the display the client asked for, as a provider reports the card's brand and last digits.
   */
  async verifyToken(input: TokenInput): Promise<TokenCheck> {
    if (!KNOWN_TOKEN.test(input.token)) return { ok: false, code: 'unknown_token', detail: `the simulated provider never issued ${input.token}` };
    if (input.token.startsWith('pm_card_') && input.methodType !== 'bank_card')
      return { ok: false, code: 'wrong_type', detail: `${input.token} is a card, not ${input.methodType}` };
    return { ok: true, token: input.token, display: input.display ?? this.#display(input.methodType, input.token), customerReference: `sim_${input.customerId}` };
  }

  async captures(from: Date, to: Date): Promise<ProviderCapture[]> {
    return this.#ledger
      .filter((c) => c.at >= from.toISOString() && c.at < to.toISOString())
      .map((c) => ({ provider: 'simulated', idempotencyKey: c.idempotencyKey, gatewayReference: c.gatewayReference, amount: c.amount, currency: c.currency, capturedAt: c.at }));
  }

  #display(type: PaymentMethodType, token: string): string {
    const known = STRIPE_TEST_CARDS[token];
    if (known) return known;
    const last4 = String(Number.parseInt(createHash('sha256').update(token).digest('hex').slice(0, 8), 16) % 10_000).padStart(4, '0');
    return `${type === 'bank_card' ? 'Test card' : type === 'alipay' ? 'alipay' : 'WeChat Pay'} ****${last4}`;
  }

  #confirmPage(idempotencyKey: string) {
    return { type: 'redirect' as const, url: `/local/provider/confirm/${encodeURIComponent(idempotencyKey)}` };
  }

  /** Settles every pending wallet debit and returns the notifications the wallets would post. */
  settlePending(): WalletNotification[] {
    const out: WalletNotification[] = [];
    for (const [key, decision] of this.#decisions) {
      if (!('pending' in decision)) continue;
      const { pending: request, final } = decision;
      if (final.captured) this.#capture(request);
      else this.#decisions.set(key, final);
      out.push({
        provider: 'simulated',
        eventId: `evt_${key.replaceAll(':', '_')}`,
        type: final.captured ? 'payment.succeeded' : 'payment.failed',
        data: { idempotencyKey: key, amount: request.amount, currency: request.currency, ...(final.captured ? {} : { failureCode: final.code }) },
      });
    }
    return out;
  }

  /** Marks a charge as captured without answering the caller: a worker that died after the charge. */
  captureSilently(request: ChargeRequest): void {
    if (!this.#decisions.has(request.idempotencyKey)) this.#capture(request);
  }

  #decide(request: ChargeRequest): { captured: true } | { captured: false; code: string } {
    const { token } = request;
    if (token === 'tok_ok' || token === 'pm_card_visa' || /^tok_slow_\d{1,5}$/.test(token)) return { captured: true };
    if (token === 'tok_insufficient_funds' || token === 'pm_card_chargeDeclinedInsufficientFunds') return { captured: false, code: 'insufficient_funds' };
    if (token === 'tok_expired') return { captured: false, code: 'card_expired' };
    const flaky = /^tok_flaky_(\d{1,3})$/.exec(token);
    if (flaky) {
      const failShare = Math.min(Number(flaky[1]), 100) / 100;
      return seededFraction(request.idempotencyKey) < failShare ? { captured: false, code: 'processing_error' } : { captured: true };
    }
    return { captured: false, code: 'invalid_method' };
  }

  #capture(request: ChargeRequest): void {
    this.#sequence += 1;
    const gatewayReference = `sim_${String(this.#sequence).padStart(8, '0')}`;
    this.#decisions.set(request.idempotencyKey, { captured: true });
    this.#ledger.push({
      idempotencyKey: request.idempotencyKey,
      planId: request.planId,
      amount: request.amount,
      currency: request.currency,
      gatewayReference,
      at: this.clock.now().toISOString(),
    });
  }

  #referenceOf(idempotencyKey: string): string {
    return this.#ledger.find((c) => c.idempotencyKey === idempotencyKey)?.gatewayReference ?? '';
  }

  #result(idempotencyKey: string, decision: Decision): ChargeResult {
    if ('pending' in decision) return { outcome: 'pending' };
    if ('action' in decision) return { outcome: 'requires_action', next: this.#confirmPage(idempotencyKey) };
    return decision.captured ? { outcome: 'captured', gatewayReference: this.#referenceOf(idempotencyKey) } : { outcome: 'declined', code: decision.code };
  }
}
