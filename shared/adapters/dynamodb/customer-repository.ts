import { type Customer, debitOrder, type EmailSuppression, type Erasure, type PaymentMethod } from '../../domain/customer.ts';
import type { PaymentSetup } from '../../domain/payment-setup.ts';
import type { CustomerRepository } from '../../ports/customer-repository.port.ts';
import { createEntities, type Entities } from './entities.ts';
import { isConditionFailure } from './errors.ts';
import type { ItemClient } from './item-client.ts';

/** Profile fields a customer may not have; an update that leaves one out removes it. */
const OPTIONAL_PROFILE_FIELDS = ['email', 'reminderDaysBefore', 'market', 'erasedAt'] as const;

/** Keys DynamoDB takes in one BatchGetItem. */
const BATCH_GET_LIMIT = 100;

export class DynamoCustomerRepository implements CustomerRepository {
  readonly #e: Entities;

  constructor(client: ItemClient, tableName: string) {
    this.#e = createEntities(client, tableName);
  }

  async create(customer: Customer): Promise<boolean> {
    try {
      await this.#e.customer.create(customer).go({ response: 'none' });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * Reads made in the same turn of the event loop (the records of one SQS batch, handled
   * concurrently) share one BatchGetItem; a read alone is one GetItem.
   */
  get(customerId: string): Promise<Customer | undefined> {
    return new Promise((resolve, reject) => {
      if (!this.#waiting) {
        this.#waiting = new Map();
        setImmediate(() => void this.#readWaiting());
      }
      const waiting = this.#waiting.get(customerId) ?? [];
      waiting.push({ resolve, reject });
      this.#waiting.set(customerId, waiting);
    });
  }

  #waiting: Map<string, Array<{ resolve: (c: Customer | undefined) => void; reject: (err: unknown) => void }>> | undefined;

  async #readWaiting(): Promise<void> {
    const waiting = this.#waiting!;
    this.#waiting = undefined;
    const ids = [...waiting.keys()];
    for (let start = 0; start < ids.length; start += BATCH_GET_LIMIT) {
      const chunk = ids.slice(start, start + BATCH_GET_LIMIT);
      try {
        const found = await this.#read(chunk);
        for (const id of chunk) for (const w of waiting.get(id)!) w.resolve(found.get(id));
      } catch (err) {
        for (const id of chunk) for (const w of waiting.get(id)!) w.reject(err);
      }
    }
  }

  async #read(ids: string[]): Promise<Map<string, Customer>> {
    const found = new Map<string, Customer>();
    if (ids.length === 1) {
      const { data } = await this.#e.customer.get({ customerId: ids[0]! }).go();
      if (data) found.set(data.customerId, stripUndefined(data) as Customer);
      return found;
    }
    // Keys DynamoDB leaves unprocessed (throttled) are read one by one.
    const { data, unprocessed } = await this.#e.customer.get(ids.map((customerId) => ({ customerId }))).go();
    for (const item of data) found.set(item.customerId, stripUndefined(item) as Customer);
    if (unprocessed.length > 0) {
      for (const { data: item } of await Promise.all(unprocessed.map((key) => this.#e.customer.get({ customerId: key.customerId }).go()))) {
        if (item) found.set(item.customerId, stripUndefined(item) as Customer);
      }
    }
    return found;
  }

  /**
   * Writes the profile's own fields, never the email suppression: that is written only by
   * suppressEmail, so a profile edit made from an earlier read cannot undo a bounce or complaint
   * recorded meanwhile. An erased profile loses the suppression too (it names the address).
   */
  async update(customer: Customer): Promise<void> {
    const { customerId, emailSuppression: _written, ...fields } = customer;
    const absent = OPTIONAL_PROFILE_FIELDS.filter((f) => customer[f] === undefined);
    await this.#e.customer
      .patch({ customerId })
      .set(fields)
      .remove(customer.erasedAt === undefined ? absent : [...absent, 'emailSuppression'])
      .go({ response: 'none' });
  }

  async suppressEmail(customerId: string, suppression: EmailSuppression): Promise<boolean> {
    try {
      // patch: only an existing customer, and only this attribute (a profile edit keeps it, see update).
      await this.#e.customer.patch({ customerId }).set({ emailSuppression: suppression }).go({ response: 'none' });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async addPaymentMethod(method: PaymentMethod, makeDefault: boolean): Promise<void> {
    const existing = makeDefault ? (await this.listPaymentMethods(method.customerId)).filter((m) => m.isDefault) : [];
    await this.#e.service.transaction
      .write(({ paymentMethod }) => [
        paymentMethod.create(method).commit(),
        ...existing.map((m) => paymentMethod.patch({ customerId: m.customerId, paymentMethodId: m.paymentMethodId }).set({ isDefault: false }).commit()),
      ])
      .go()
      .then((r) => {
        if (r.canceled) throw new Error(`binding payment method ${method.paymentMethodId} was cancelled`);
      });
  }

  async setDefaultPaymentMethod(customerId: string, paymentMethodId: string): Promise<void> {
    const methods = await this.listPaymentMethods(customerId);
    const result = await this.#e.service.transaction
      .write(({ paymentMethod }) =>
        methods
          .filter((m) => m.isDefault !== (m.paymentMethodId === paymentMethodId))
          .map((m) =>
            paymentMethod
              .patch({ customerId, paymentMethodId: m.paymentMethodId })
              .set({ isDefault: m.paymentMethodId === paymentMethodId })
              .commit(),
          ),
      )
      .go();
    if (result.canceled) throw new Error(`making ${paymentMethodId} the default was cancelled (a concurrent change); retry`);
  }

  async removePaymentMethod(customerId: string, paymentMethodId: string): Promise<boolean> {
    try {
      await this.#e.paymentMethod.remove({ customerId, paymentMethodId }).go({ response: 'none' });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async holdForRemoval(customerId: string, paymentMethodId: string, until: Date, now: Date): Promise<boolean> {
    try {
      await this.#e.paymentMethod
        .patch({ customerId, paymentMethodId })
        .set({ removingUntil: until.toISOString() })
        .where((a, op) => `${op.notExists(a.removingUntil)} OR ${op.lt(a.removingUntil, now.toISOString())}`)
        .go({ response: 'none' });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async releaseRemovalHold(customerId: string, paymentMethodId: string): Promise<void> {
    try {
      await this.#e.paymentMethod.patch({ customerId, paymentMethodId }).remove(['removingUntil']).go({ response: 'none' });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async createSetup(setup: PaymentSetup): Promise<boolean> {
    try {
      await this.#e.paymentSetup.create(setup).go({ response: 'none' });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async getSetup(customerId: string, setupId: string): Promise<PaymentSetup | undefined> {
    const { data } = await this.#e.paymentSetup.get({ customerId, setupId }).go({ consistent: true });
    return data ? (stripUndefined(data) as PaymentSetup) : undefined;
  }

  async activateSetup(setupId: string, method: PaymentMethod, makeDefault: boolean): Promise<boolean> {
    const { customerId, paymentMethodId } = method;
    const defaults = makeDefault ? (await this.listPaymentMethods(customerId)).filter((m) => m.isDefault) : [];
    const result = await this.#e.service.transaction
      .write(({ paymentMethod, paymentSetup }) => [
        paymentSetup
          .patch({ customerId, setupId })
          .set({ status: 'active', paymentMethodId })
          .where((a, op) => op.eq(a.status, 'pending'))
          .commit(),
        paymentMethod.create(method).commit(),
        ...defaults.map((m) => paymentMethod.patch({ customerId, paymentMethodId: m.paymentMethodId }).set({ isDefault: false }).commit()),
      ])
      .go();
    return !result.canceled;
  }

  async failSetup(customerId: string, setupId: string, failureCode: string): Promise<boolean> {
    try {
      await this.#e.paymentSetup
        .patch({ customerId, setupId })
        .set({ status: 'failed', failureCode })
        .where((a, op) => op.eq(a.status, 'pending'))
        .go({ response: 'none' });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async recordErasure(erasure: Erasure): Promise<void> {
    await this.#e.erasure.put(erasure).go({ response: 'none' });
  }

  async getErasure(customerId: string): Promise<Erasure | undefined> {
    const { data } = await this.#e.erasure.get({ customerId }).go({ consistent: true });
    return data ? (stripUndefined(data) as Erasure) : undefined;
  }

  async listPaymentMethods(customerId: string): Promise<PaymentMethod[]> {
    const { data } = await this.#e.paymentMethod.query.byCustomer({ customerId }).go({ pages: 'all' });
    return debitOrder(data.map((d) => stripUndefined(d) as PaymentMethod));
  }
}

function stripUndefined<T extends object>(item: T): T {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as T;
}
