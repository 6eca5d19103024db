/** Expected outcomes are values: a refused action carries a stable code and a reason. */
export type Result<T, E = DomainRefusal> = { ok: true; value: T } | { ok: false; error: E };

export interface DomainRefusal {
  /** Stable, documented code, e.g. `INSTALLMENT.ALREADY_PAID`. */
  readonly code: string;
  readonly message: string;
  /** A temporary refusal (something is in progress): the same request may succeed after this many seconds. */
  readonly retryAfterSeconds?: number;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const refuse = (code: string, message: string, options: { retryAfterSeconds?: number } = {}): Result<never> => ({
  ok: false,
  error: { code, message, ...options },
});
