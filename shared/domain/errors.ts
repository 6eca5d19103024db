/**
 * Exceptions are for bugs and infrastructure faults; expected refusals are `Result` values.
 * Every repayflow error has a stable `code`; the HTTP status is chosen only at the edge.
 */
export class RepayflowError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RepayflowError';
    this.code = code;
    this.details = options?.details;
  }
}

/** Input that breaks a domain invariant (a negative amount, an unknown currency, a malformed rate). */
export class InvalidInputError extends RepayflowError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details === undefined ? undefined : { details });
    this.name = 'InvalidInputError';
  }
}

export class NotFoundError extends RepayflowError {
  constructor(what: string, id: string) {
    super(`${what.toUpperCase()}.NOT_FOUND`, `${what} ${id} does not exist`);
    this.name = 'NotFoundError';
  }
}

/** A request that conflicts with the current state (an idempotency key reused with another body, a lost race). */
export class ConflictError extends RepayflowError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'ConflictError';
  }
}
