/**
 * Requests and events processed at most once: API requests that carried an `Idempotency-Key`
 * and payment providers' webhook events share one store.
 */
export type IdempotencyRecord =
  | { status: 'in_progress'; requestHash: string; createdAt: string }
  | { status: 'completed'; requestHash: string; createdAt: string; statusCode: number; response: string };

export interface IdempotencyStore {
  /**
   * Reserves the key for `leaseMs` (default: the store's lease) and keeps the record for
   * `retentionSeconds`. The key is taken when it is new, when its record has expired, or when it
   * is held in progress by the same request (`requestHash`) past its lease — the holder died.
   * Otherwise the record that holds the key is returned.
   */
  begin(scope: string, key: string, requestHash: string, now: Date, options?: { retentionSeconds?: number }): Promise<IdempotencyRecord | undefined>;
  complete(scope: string, key: string, statusCode: number, response: string): Promise<void>;
  /** Releases a reservation whose request failed, so the client may retry with the same key. */
  release(scope: string, key: string): Promise<void>;
}
