import type { Customer, PaymentMethod } from '../domain/customer.ts';

export interface CustomerRepository {
  /** Creates the customer; false when one with that id already exists. */
  create(customer: Customer): Promise<boolean>;
  get(customerId: string): Promise<Customer | undefined>;
  update(customer: Customer): Promise<void>;
  addPaymentMethod(method: PaymentMethod, makeDefault: boolean): Promise<void>;
  removePaymentMethod(customerId: string, paymentMethodId: string): Promise<boolean>;
  /** Makes one bound method the default and every other one a fallback, atomically. */
  setDefaultPaymentMethod(customerId: string, paymentMethodId: string): Promise<void>;
  /** The customer's methods, default first, then by priority. */
  listPaymentMethods(customerId: string): Promise<PaymentMethod[]>;
}
