import { InvalidInputError } from '../../domain/errors.ts';

/**
 * Runs a paged query with a client-supplied cursor. A cursor is opaque to clients, so one that
 * the table model cannot parse, or that DynamoDB refuses as a starting key (made up, or taken from
 * another list), is the client's fault: a 400, never a 500. Errors of a query without a cursor
 * pass through unchanged.
 */
export async function withClientCursor<T>(cursor: string | undefined, query: (cursor: string | null) => Promise<T>): Promise<T> {
  if (cursor === undefined) return query(null);
  try {
    return await query(cursor);
  } catch (err) {
    if (isCursorFault(err)) throw new InvalidInputError('REQUEST.INVALID_CURSOR', 'cursor: is not a cursor this list returned', { field: 'cursor' });
    throw err;
  }
}

function isCursorFault(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    const { name, message } = current as { name?: string; message?: string };
    if (name === 'ValidationException') return true;
    if (typeof message === 'string' && /cursor|starting key|ExclusiveStartKey/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
