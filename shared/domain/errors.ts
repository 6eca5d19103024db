/**
 * Exceptions are for bugs and infrastructure faults; expected refusals are `Result` values.
 * Every repayflow error and refusal has a stable `code` and a *kind*; the HTTP status is
 * chosen only at the edge, from the kind (functions/api/problem.ts maps every kind).
 */

/**
 * What kind of failure it is, whatever the transport:
 * `invalid` input (a malformed value), `unauthenticated` caller, `forbidden` action,
 * `not_found` (or not the caller's), `conflict` with the current state (a temporary one carries
 * `retryAfterSeconds`), `unprocessable` input that breaks a business rule, `declined` by the
 * payment provider, `fault` of ours.
 */
export const FAILURE_KINDS = ['invalid', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'unprocessable', 'declined', 'fault'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export class RepayflowError extends Error {
  readonly code: string;
  readonly kind: FailureKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown>; kind?: FailureKind }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RepayflowError';
    this.code = code;
    this.kind = options?.kind ?? 'fault';
    this.details = options?.details;
  }
}

/** Input that breaks a domain invariant (a negative amount, an unknown currency, a malformed rate). */
export class InvalidInputError extends RepayflowError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, { kind: 'invalid', ...(details === undefined ? {} : { details }) });
    this.name = 'InvalidInputError';
  }
}

export class NotFoundError extends RepayflowError {
  constructor(what: string, id: string) {
    super(`${what.toUpperCase().replaceAll(' ', '_')}.NOT_FOUND`, `${what} ${id} does not exist`, { kind: 'not_found' });
    this.name = 'NotFoundError';
  }
}

/** A request that conflicts with the current state (an idempotency key reused with another body, a lost race). */
export class ConflictError extends RepayflowError {
  constructor(code: string, message: string) {
    super(code, message, { kind: 'conflict' });
    this.name = 'ConflictError';
  }
}
