/**
 * A binding in progress: the customer authorises a new method at its provider (Stripe
 * SetupIntent, an Alipay agreement, a WeChat Pay contract) and the provider's own answer
 * activates it. The record makes the confirmation idempotent and attributable: one setup
 * activates at most one method, and only for the customer who started it.
 */
import type { PaymentMethodType, ProviderName } from './customer.ts';

export const SETUP_STATUSES = ['pending', 'active', 'failed'] as const;
export type SetupState = (typeof SETUP_STATUSES)[number];

/** A binding left unfinished this long is forgotten (DynamoDB TTL); the customer starts again. */
export const SETUP_RETENTION_SECONDS = 24 * 3600;

export interface PaymentSetup {
  customerId: string;
  /** The provider's id of the authorisation (SetupIntent id, agreement request number). */
  setupId: string;
  provider: ProviderName;
  type: PaymentMethodType;
  status: SetupState;
  /** The method the setup activated (once `active`). */
  paymentMethodId?: string;
  /** The provider's reason (once `failed`). */
  failureCode?: string;
  /** Make the method the default once it is active. */
  makeDefault?: boolean;
  createdAt: string;
  /** Epoch seconds after which the record expires (TTL). */
  expiresAt: number;
}

export function newSetup(input: Omit<PaymentSetup, 'status' | 'createdAt' | 'expiresAt'>, now: Date): PaymentSetup {
  return {
    ...input,
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + SETUP_RETENTION_SECONDS,
  };
}
