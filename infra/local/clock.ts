import type { Clock } from '../../shared/ports/clock.port.ts';

/**
 * The local stack's clock: real time until someone sets it (`/local/clock`, `/local/run`);
 * from then on it stands still except when moved, so simulated runs are deterministic.
 */
export class LocalClock implements Clock {
  #fixed: Date | undefined;

  now(): Date {
    return this.#fixed ? new Date(this.#fixed) : new Date();
  }

  get simulated(): boolean {
    return this.#fixed !== undefined;
  }

  set(at: Date): void {
    this.#fixed = new Date(at);
  }
}
