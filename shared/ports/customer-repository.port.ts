import type { Customer, EmailSuppression, Erasure, PaymentMethod } from '../domain/customer.ts';
import type { PaymentSetup } from '../domain/payment-setup.ts';

export interface CustomerRepository {
  /** Creates the customer; false when one with that id already exists. */
  create(customer: Customer): Promise<boolean>;
  get(customerId: string): Promise<Customer | undefined>;
  update(customer: Customer): Promise<void>;
  /** Records that email to an address of the customer's must stop; false when there is no such customer. */
  suppressEmail(customerId: string, suppression: EmailSuppression): Promise<boolean>;
  addPaymentMethod(method: PaymentMethod, makeDefault: boolean): Promise<void>;
  removePaymentMethod(customerId: string, paymentMethodId: string): Promise<boolean>;
  /**
   * Holds a bound method for its removal until `until`: no charge can lock an attempt on it
   * meanwhile (see InflightAttempt.methodOwnerId). False when it is gone or another removal holds it.
   */
  holdForRemoval(customerId: string, paymentMethodId: string, until: Date, now: Date): Promise<boolean>;
  /** Lets go of a removal's hold (the removal was refused). */
  releaseRemovalHold(customerId: string, paymentMethodId: string): Promise<void>;
  /** Makes one bound method the default and every other one a fallback, atomically. */
  setDefaultPaymentMethod(customerId: string, paymentMethodId: string): Promise<void>;
  /** The customer's methods, default first, then by priority. */
  listPaymentMethods(customerId: string): Promise<PaymentMethod[]>;
  /** Records a binding in progress; false when that setup is already recorded (a retried start). */
  createSetup(setup: PaymentSetup): Promise<boolean>;
  /** The customer's binding with that id (another customer's is undefined). */
  getSetup(customerId: string, setupId: string): Promise<PaymentSetup | undefined>;
  /**
   * Stores the method the setup's provider confirmed and marks the setup active, in one
   * transaction that holds only while the setup is pending: false when another confirmation
   * won (the setup then names its method).
   */
  activateSetup(setupId: string, method: PaymentMethod, makeDefault: boolean): Promise<boolean>;
  /** Marks a pending setup failed with the provider's code; false when it was no longer pending. */
  failSetup(customerId: string, setupId: string, failureCode: string): Promise<boolean>;
  /** Writes the log of a customer's erasure (a repeated erasure replaces it). */
  recordErasure(erasure: Erasure): Promise<void>;
  getErasure(customerId: string): Promise<Erasure | undefined>;
}
