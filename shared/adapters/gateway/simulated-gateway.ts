/**
 * The bundled simulated payment gateway (local default). It decides by token:
 * `tok_ok` captures; `tok_insufficient_funds` and `tok_expired` decline; `tok_timeout` answers
 * with an unknown outcome after maybe capturing (the status query tells); `tok_flaky_<pct>`
 * declines that percentage of charges as retryable, seeded by the idempotency key;
 * `tok_slow_<ms>` captures after a delay; `tok_async` (a wallet) accepts an automatic debit and
 * confirms it later, `tok_async_declined` declines it later (insufficient funds) — both
 * settle when `settlePending` is called and are reported through a signed webhook.
 * Any other token is an invalid method.
 * Charges are idempotent by key, and every capture lands in an independent ledger.
 */
import type { ChargeRequest, ChargeResult, ChargeStatus, PaymentGateway } from '../../ports/payment-gateway.port.ts';
import type { Clock } from '../../ports/clock.port.ts';

export interface CapturedCharge {
  idempotencyKey: string;
  planId: string;
  amount: number;
  currency: string;
  gatewayReference: string;
  at: string;
}

type Decision = { captured: true } | { captured: false; code: string } | { pending: ChargeRequest; final: { captured: true } | { captured: false; code: string } };

/** A wallet's asynchronous result, as the provider would post it to the webhook. */
export interface WalletNotification {
  provider: string;
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

export class SimulatedGateway implements PaymentGateway {
  readonly #decisions = new Map<string, Decision>();
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

  async status(idempotencyKey: string): Promise<ChargeStatus> {
    const decision = this.#decisions.get(idempotencyKey);
    if (!decision) return { status: 'not_found' };
    if ('pending' in decision) return { status: 'pending' };
    if (decision.captured) return { status: 'captured', gatewayReference: this.#referenceOf(idempotencyKey) };
    // A timed-out charge that never captured is, to the status query, simply absent.
    return decision.code === 'timeout' ? { status: 'not_found' } : { status: 'declined', code: decision.code };
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
        provider: request.methodType,
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
    if (token === 'tok_ok' || /^tok_slow_\d{1,5}$/.test(token)) return { captured: true };
    if (token === 'tok_insufficient_funds') return { captured: false, code: 'insufficient_funds' };
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
    return decision.captured
      ? { outcome: 'captured', gatewayReference: this.#referenceOf(idempotencyKey) }
      : { outcome: 'declined', code: decision.code };
  }
}
