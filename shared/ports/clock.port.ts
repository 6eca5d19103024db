/** Time, injected everywhere so tests and the local stack can run on a simulated clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
