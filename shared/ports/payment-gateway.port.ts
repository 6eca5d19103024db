/** The payment gateway: every charge carries an idempotency key, and its status can be asked. */
export interface ChargeRequest {
  idempotencyKey: string;
  token: string;
  methodType: string;
  amount: number;
  currency: string;
  planId: string;
}

/**
 * `declined`: the gateway answered no. `unknown`: the gateway may or may not have charged
 * (a timeout); ask `status` before anything else.
 */
export type ChargeResult =
  | { outcome: 'captured'; gatewayReference: string }
  | { outcome: 'declined'; code: string }
  | { outcome: 'unknown'; reason: string };

export type ChargeStatus = { status: 'captured'; gatewayReference: string } | { status: 'declined'; code: string } | { status: 'not_found' };

export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeResult>;
  status(idempotencyKey: string): Promise<ChargeStatus>;
}
