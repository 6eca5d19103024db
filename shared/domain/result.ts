import type { FailureKind } from './errors.ts';

/** Expected outcomes are values: a refused action carries a stable code, a kind and a reason. */
export type Result<T, E = DomainRefusal> = { ok: true; value: T } | { ok: false; error: E };

/** The kinds an expected refusal can be (input that fails validation and faults are thrown instead). */
export type RefusalKind = Extract<FailureKind, 'forbidden' | 'not_found' | 'conflict' | 'unprocessable' | 'declined'>;

export interface DomainRefusal<K extends RefusalKind = RefusalKind> {
  /**
   * What kind of refusal it is; the edge maps it to a status: `not_found` 404, `conflict` 409
   * (with what exists, or a temporary one with `retryAfterSeconds`), `unprocessable` 422
   * (input that breaks a business rule), `declined` 402 (the provider said no), `forbidden` 403.
   */
  readonly kind: K;
  /** Stable, documented code, e.g. `INSTALLMENT.ALREADY_PAID`. */
  readonly code: string;
  readonly message: string;
  /** A temporary refusal (something is in progress): the same request may succeed after this many seconds. */
  readonly retryAfterSeconds?: number;
  /** The request field at fault, named in the problem's `errors`. */
  readonly field?: string;
  /** Extra members of the problem (e.g. the smallest principal that works, the provider's failure code). */
  readonly details?: Record<string, unknown>;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
/** A refusal of one kind; the use case's result type names the kinds it can refuse with. */
export type Refused<K extends RefusalKind> = DomainRefusal<K>;

export const refuse = <K extends RefusalKind>(
  kind: K,
  code: string,
  message: string,
  options: { retryAfterSeconds?: number; field?: string; details?: Record<string, unknown> } = {},
): Result<never, DomainRefusal<K>> => ({
  ok: false,
  error: { kind, code, message, ...options },
});
