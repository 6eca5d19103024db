/**
 * Customers and their payment methods.
 *
 * create-customer — input: profile; output: the customer, or CUSTOMER.EXISTS.
 * bind-payment-method — input: customer id, method token and masked display; output: the method.
 * unbind-payment-method — removes a method; the default moves to the next by priority.
 */
import type { Customer, Locale, PaymentMethod, PaymentMethodType } from '../domain/customer.ts';
import { retryAfterCustomerAction } from '../domain/dunning.ts';
import { commitPlanChange } from './commit-plan.ts';
import { NotFoundError } from '../domain/errors.ts';
import { ok, refuse, type Result } from '../domain/result.ts';
import type { Deps } from './deps.ts';

/** A customer as the merchant's backend registers them; the id is chosen here when absent. */
export type NewCustomer = Omit<Customer, 'customerId' | 'createdAt'> & { id?: string };

export async function createCustomer(deps: Pick<Deps, 'customers' | 'ids' | 'clock'>, input: NewCustomer): Promise<Result<Customer>> {
  const customer: Customer = {
    customerId: input.id ?? deps.ids.next('cus'),
    name: input.name,
    phone: input.phone,
    ...(input.email ? { email: input.email } : {}),
    locale: input.locale,
    timeZone: input.timeZone,
    notifications: input.notifications,
    ...(input.reminderDaysBefore ? { reminderDaysBefore: input.reminderDaysBefore } : {}),
    createdAt: deps.clock.now().toISOString(),
  };
  const created = await deps.customers.create(customer);
  return created ? ok(customer) : refuse('CUSTOMER.EXISTS', `customer ${customer.customerId} already exists`);
}

export async function getCustomer(deps: Pick<Deps, 'customers'>, customerId: string): Promise<Customer> {
  const customer = await deps.customers.get(customerId);
  if (!customer) throw new NotFoundError('customer', customerId);
  return customer;
}

export interface CustomerChanges {
  locale?: Locale;
  timeZone?: string;
  notifications?: Partial<Customer['notifications']>;
  email?: string;
  phone?: string;
  reminderDaysBefore?: number[];
}

export async function updateCustomer(deps: Pick<Deps, 'customers'>, customerId: string, changes: CustomerChanges): Promise<Customer> {
  const current = await getCustomer(deps, customerId);
  const updated: Customer = {
    ...current,
    ...(changes.locale ? { locale: changes.locale } : {}),
    ...(changes.timeZone ? { timeZone: changes.timeZone } : {}),
    ...(changes.email ? { email: changes.email } : {}),
    ...(changes.phone ? { phone: changes.phone } : {}),
    ...(changes.reminderDaysBefore ? { reminderDaysBefore: changes.reminderDaysBefore } : {}),
    notifications: { ...current.notifications, ...changes.notifications },
  };
  await deps.customers.update(updated);
  return updated;
}

export interface NewPaymentMethod {
  type: PaymentMethodType;
  token: string;
  display: string;
  makeDefault?: boolean;
}

export async function bindPaymentMethod(
  deps: Pick<Deps, 'customers' | 'ids' | 'clock' | 'plans'>,
  customerId: string,
  input: NewPaymentMethod,
): Promise<PaymentMethod> {
  await getCustomer(deps, customerId);
  const existing = await deps.customers.listPaymentMethods(customerId);
  const isDefault = input.makeDefault === true || existing.length === 0;
  const method: PaymentMethod = {
    customerId,
    paymentMethodId: deps.ids.next('pm'),
    type: input.type,
    token: input.token,
    display: input.display,
    isDefault,
    priority: existing.reduce((max, m) => Math.max(max, m.priority), 0) + 1,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.customers.addPaymentMethod(method, isDefault);
  await retryWhatWaitedForTheCustomer(deps, customerId);
  return method;
}

export async function listPaymentMethods(deps: Pick<Deps, 'customers'>, customerId: string): Promise<PaymentMethod[]> {
  await getCustomer(deps, customerId);
  return deps.customers.listPaymentMethods(customerId);
}

export async function unbindPaymentMethod(deps: Pick<Deps, 'customers'>, customerId: string, paymentMethodId: string): Promise<void> {
  const methods = await deps.customers.listPaymentMethods(customerId);
  const target = methods.find((m) => m.paymentMethodId === paymentMethodId);
  if (!target) throw new NotFoundError('payment method', paymentMethodId);
  await deps.customers.removePaymentMethod(customerId, paymentMethodId);
  // The next method by priority becomes the default.
  const next = methods.find((m) => m.paymentMethodId !== paymentMethodId);
  if (target.isDefault && next) await deps.customers.setDefaultPaymentMethod(customerId, next.paymentMethodId);
}

/**
 * make-default-payment-method — the customer chooses which bound method is debited first.
 * Like binding a new one, it is the customer acting on a decline: what waited for them is
 * tried again.
 */
export async function makeDefaultPaymentMethod(deps: Pick<Deps, 'customers' | 'plans' | 'clock'>, customerId: string, paymentMethodId: string): Promise<PaymentMethod> {
  const methods = await deps.customers.listPaymentMethods(customerId);
  const target = methods.find((m) => m.paymentMethodId === paymentMethodId);
  if (!target) throw new NotFoundError('payment method', paymentMethodId);
  await deps.customers.setDefaultPaymentMethod(customerId, paymentMethodId);
  await retryWhatWaitedForTheCustomer(deps, customerId);
  return { ...target, isDefault: true };
}

/**
 * Installments that a non-retryable decline left waiting for the customer are tried again
 * at the next sweep, with the methods that did not decline them for good.
 */
export async function retryWhatWaitedForTheCustomer(deps: Pick<Deps, 'plans' | 'clock'>, customerId: string): Promise<number> {
  const now = deps.clock.now();
  let retried = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.plans.listByCustomer(customerId, { limit: 50, ...(cursor ? { cursor } : {}) });
    for (const summary of page.plans) {
      if (summary.status === 'cancelled' || summary.status === 'paid_off' || summary.status === 'defaulted') continue;
      let changed = 0;
      // A payment in flight on that installment wins; the customer can act again after it.
      const written = await commitPlanChange(deps, summary.planId, ({ plan, installments }) => {
        const waiting = installments.filter((i) => i.needsCustomerAction && !i.inflightAttemptId);
        changed = waiting.length;
        return waiting.length === 0 ? undefined : { plan, installments: waiting.map((i) => retryAfterCustomerAction(i, now)), guard: { kind: 'unlocked', now } };
      });
      if (written === 'committed') retried += changed;
    }
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return retried;
}
