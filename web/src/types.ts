/** What the portal reads from the v1 API (see `GET /openapi.json`); only the fields it uses. */
import type { Money } from './money.ts';

export type Locale = 'zh-CN' | 'en';
export type PaymentMethodType = 'bank_card' | 'alipay' | 'wechat_pay';

export interface Customer {
  id: string;
  name: string;
  phone: string;
  email?: string;
  locale: Locale;
  timeZone: string;
  notifications: { sms: boolean; email: boolean };
}

export interface Installment {
  period: number;
  dueDate: string;
  principal: Money;
  fee: Money;
  lateFee: Money;
  amountDue: Money;
  amountPaid: Money;
  status: 'scheduled' | 'due' | 'paid' | 'failed' | 'overdue' | 'deferred' | 'cancelled' | (string & {});
  nextAttemptAt?: string;
  lastFailureCode?: string;
  needsCustomerAction?: boolean;
  paidAt?: string;
}

export interface PlanSummary {
  planId: string;
  customerId: string;
  orderId: string;
  productName: string;
  status: 'active' | 'paid_off' | 'overdue' | 'defaulted' | 'cancelled' | (string & {});
  currency: string;
  principal: Money;
  totalFee: Money;
  fee: { model: 'flat' | 'annuity' | 'equal_principal'; rate?: string; annualRate?: string };
  apr: string;
  periods: number;
  paidPeriods: number;
  unpaidPeriods: number;
  perPeriodAmount: Money;
  nextDueDate: string | null;
  outstanding: Money;
  amountPaid: Money;
  purchaseDate: string;
  timeZone: string;
}

export interface Plan extends PlanSummary {
  installments: Installment[];
}

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

export interface Repayment {
  id: string;
  kind: 'auto' | 'manual';
  periods: number[];
  amount: Money;
  paymentMethod: { id: string; display: string };
  status: 'pending' | 'succeeded' | 'failed';
  failureCode?: string;
  createdAt: string;
}

export interface PaymentMethod {
  id: string;
  type: PaymentMethodType;
  display: string;
  isDefault: boolean;
  createdAt: string;
}

export interface PayoffQuote {
  asOf: string;
  principal: Money;
  fee: Money;
  lateFee: Money;
  waived: Money;
  total: Money;
  items: Array<{ period: number; principal: Money; fee: Money; lateFee: Money; waived: Money; total: Money }>;
}

export interface Notice {
  id: string;
  planId: string;
  kind: 'reminder' | 'repayment_succeeded' | 'repayment_failed' | 'overdue' | 'plan_paid_off' | 'deferral_confirmed' | (string & {});
  channel: 'sms' | 'email';
  to: string;
  body: string;
  status: 'scheduled' | 'pending' | 'sent' | 'failed' | 'suppressed' | (string & {});
  reason?: string;
  createdAt: string;
  sendAt?: string;
  sentAt?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: Array<{ field: string; message: string }>;
}

export type RepaymentScope = 'next' | 'overdue' | 'payoff' | 'amount';
