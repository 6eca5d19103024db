/** The payment gateway: every charge carries an idempotency key, and its status can be asked. */
export interface ChargeRequest {
  idempotencyKey: string;
  token: string;
  methodType: string;
  amount: number;
  currency: string;
  planId: string;
  /**
   * `auto`: a debit under the customer's standing authorisation, which wallets may confirm
   * later (by webhook); `customer_present`: the customer is paying now and confirms at once.
   */
  mode: 'auto' | 'customer_present';
}

/**
 * `declined`: the gateway answered no. `unknown`: the gateway may or may not have charged
 * (a timeout); ask `status` before anything else. `pending`: a wallet accepted the debit and
 * will confirm it later by webhook (the status query tells in the meantime).
 */
export type ChargeResult =
  | { outcome: 'captured'; gatewayReference: string }
  | { outcome: 'declined'; code: string }
  | { outcome: 'unknown'; reason: string }
  | { outcome: 'pending' };

export type ChargeStatus =
  | { status: 'captured'; gatewayReference: string }
  | { status: 'declined'; code: string }
  | { status: 'pending' }
  | { status: 'not_found' };

export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeResult>;
  status(idempotencyKey: string): Promise<ChargeStatus>;
}
