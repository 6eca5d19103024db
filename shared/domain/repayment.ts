import type { ProviderName } from './customer.ts';
import type { CurrencyCode } from './money.ts';

/** A repayment record: one debit attempt or one manual repayment, as the customer sees it. */
export const REPAYMENT_KINDS = ['auto', 'manual'] as const;
export type RepaymentKind = (typeof REPAYMENT_KINDS)[number];
export const REPAYMENT_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RepaymentStatus = (typeof REPAYMENT_STATUSES)[number];

export interface RepaymentRecord {
  /** For automatic debits `<planId>:<period>:<n>`, also the gateway's idempotency key. */
  id: string;
  planId: string;
  kind: RepaymentKind;
  periods: number[];
  amount: number;
  currency: CurrencyCode;
  paymentMethodId: string;
  paymentMethodDisplay: string;
  /**
   * The provider the charge went to: its status is asked there under `id`, whatever happened to
   * the method since (absent on records written before providers: the simulation).
   */
  provider?: ProviderName;
  status: RepaymentStatus;
  failureCode?: string;
  /** A customer payment's scope (`next`, `overdue`, `payoff`, `amount`), to record it as asked. */
  scope?: 'next' | 'overdue' | 'payoff' | 'amount';
  gatewayReference?: string;
  /** The agenda claim under which an automatic attempt ran (lets a redelivery find it). */
  claim?: string;
  createdAt: string;
}

export function attemptId(planId: string, period: number, attemptNumber: number): string {
  return `${planId}:${period}:${attemptNumber}`;
}
