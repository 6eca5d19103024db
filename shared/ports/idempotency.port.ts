/** Stored responses of requests that carried an `Idempotency-Key`. */
export type IdempotencyRecord =
  | { status: 'in_progress'; requestHash: string }
  | { status: 'completed'; requestHash: string; statusCode: number; response: string };

export interface IdempotencyStore {
  /** Reserves the key; returns the existing record when the key was seen before. */
  begin(scope: string, key: string, requestHash: string, now: Date): Promise<IdempotencyRecord | undefined>;
  complete(scope: string, key: string, statusCode: number, response: string): Promise<void>;
  /** Releases a reservation whose request failed, so the client may retry with the same key. */
  release(scope: string, key: string): Promise<void>;
}
