/** Expected outcomes are values: a refused action carries a stable code and a reason. */
export type Result<T, E = DomainRefusal> = { ok: true; value: T } | { ok: false; error: E };

export interface DomainRefusal {
  /** Stable, documented code, e.g. `INSTALLMENT.ALREADY_PAID`. */
  readonly code: string;
  readonly message: string;
  /** A temporary refusal (something is in progress): the same request may succeed after this many seconds. */
  readonly retryAfterSeconds?: number;
  /**
   * What kind of refusal it is: `unprocessable` input that breaks a business rule (422), a
   * `conflict` with what exists (409). Without it the edge decides by the code.
   */
  readonly kind?: 'unprocessable' | 'conflict';
  /** The request field at fault, named in the problem's `errors`. */
  readonly field?: string;
  /** Extra members of the problem (e.g. the smallest principal that works). */
  readonly details?: Record<string, unknown>;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const refuse = (code: string, message: string, options: { retryAfterSeconds?: number } = {}): Result<never> => ({
  ok: false,
  error: { code, message, ...options },
});
