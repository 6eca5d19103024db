/**
 * Fault injection for the local stack (`POST /local/chaos`): gateway calls that time out with
 * an unknown outcome, workers that die right after the gateway charged, and SQS messages
 * delivered twice. Seeded, so a failing run can be replayed.
 */
import type { ChargeRequest, ChargeResult, PaymentGateway } from '../../shared/ports/payment-gateway.port.ts';

/** Every method of the gateway, bound to it (a wrapper overrides the ones it changes). */
function bindAll(inner: PaymentGateway): PaymentGateway {
  return {
    providerFor: (t) => inner.providerFor(t),
    providers: () => inner.providers(),
    charge: (r) => inner.charge(r),
    status: (q) => inner.status(q),
    cancel: (q) => inner.cancel(q),
    startSetup: (p, r) => inner.startSetup(p, r),
    setupStatus: (p, id) => inner.setupStatus(p, id),
    verifyToken: (p, i) => inner.verifyToken(p, i),
    captures: (p, from, to) => inner.captures(p, from, to),
    listingLag: (p) => inner.listingLag(p),
    release: (p, i) => inner.release(p, i),
    needsPreDebitNotice: (p) => inner.needsPreDebitNotice(p),
    preDebitNotice: (p, r) => inner.preDebitNotice(p, r),
  };
}

export interface ChaosSettings {
  duplicateDelivery: boolean;
  gatewayTimeoutRate: number;
  crashAfterChargeRate: number;
  seed: number;
}

export const NO_CHAOS: ChaosSettings = { duplicateDelivery: false, gatewayTimeoutRate: 0, crashAfterChargeRate: 0, seed: 1 };

/** A worker that "died" between the gateway charge and the database write. */
export class SimulatedCrash extends Error {
  constructor(idempotencyKey: string) {
    super(`simulated crash after charging ${idempotencyKey}`);
    this.name = 'SimulatedCrash';
  }
}

/** mulberry32: small, fast and good enough to draw fault decisions from a seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Chaos {
  #settings: ChaosSettings = NO_CHAOS;
  #draw: () => number = random(NO_CHAOS.seed);

  get settings(): ChaosSettings {
    return this.#settings;
  }

  configure(settings: Partial<ChaosSettings>): ChaosSettings {
    this.#settings = { ...this.#settings, ...settings };
    this.#draw = random(this.#settings.seed);
    return this.#settings;
  }

  roll(rate: number): boolean {
    return rate > 0 && this.#draw() < rate;
  }

  /** Wraps a gateway so that its calls suffer the configured faults. */
  gateway(inner: PaymentGateway): PaymentGateway {
    return {
      ...bindAll(inner),
      charge: async (request: ChargeRequest): Promise<ChargeResult> => {
        if (this.roll(this.#settings.gatewayTimeoutRate)) {
          // The request may or may not have reached the gateway before the timeout.
          if (this.roll(0.5)) await inner.charge(request);
          return { outcome: 'unknown', reason: 'simulated gateway timeout' };
        }
        const result = await inner.charge(request);
        if (result.outcome === 'captured' && this.roll(this.#settings.crashAfterChargeRate)) throw new SimulatedCrash(request.idempotencyKey);
        return result;
      },
    };
  }
}
