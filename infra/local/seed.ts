/**
 * Demo data for `npm start`: two customers (Shanghai, New York) with a bound method and a plan
 * each, on the demo's clock. The README's walkthrough sets the clock to the same instant and
 * runs it to 28 February, so the demo plans live through that month beside the walkthrough's:
 * 李雷's Alipay (`tok_ok`) is debited on 10 February; Amy Chen's card (`tok_insufficient_funds`)
 * always declines, so her 20 February installment goes through dunning and becomes overdue.
 */
import { bindPaymentMethod, createCustomer } from '../../shared/application/customers.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { createPlan } from '../../shared/application/plans.ts';
import { summarize } from '../../shared/domain/plan.ts';
import type { LocalClock } from './clock.ts';

/** The demo's "now": `npm start` sets the simulated clock here before seeding. */
export const DEMO_NOW = '2026-01-31T04:00:00Z';

export const DEMO_CUSTOMERS = [
  {
    id: 'cus_demo_li',
    name: '李雷',
    phone: '+8613800138000',
    locale: 'zh-CN' as const,
    timeZone: 'Asia/Shanghai',
    currency: 'CNY' as const,
    product: 'Mi 15 Pro 512GB',
    principal: 599_900,
    purchaseDate: '2026-01-10',
    token: 'tok_ok',
    type: 'alipay' as const,
    display: 'alipay 138****8000',
  },
  {
    id: 'cus_demo_amy',
    name: 'Amy Chen',
    phone: '+12125550123',
    locale: 'en' as const,
    timeZone: 'America/New_York',
    currency: 'USD' as const,
    product: 'Phone 16 256GB',
    principal: 99_900,
    purchaseDate: '2026-01-20',
    token: 'tok_insufficient_funds',
    type: 'bank_card' as const,
    display: 'Chase ****4242',
  },
];

export async function seedDemo(stack: { deps: Deps; clock: LocalClock }) {
  stack.clock.set(new Date(DEMO_NOW));
  const { deps } = stack;
  const seeded = [];
  for (const c of DEMO_CUSTOMERS) {
    const created = await createCustomer(deps, { id: c.id, name: c.name, phone: c.phone, locale: c.locale, timeZone: c.timeZone, notifications: { sms: true, email: false } });
    if (!created.ok) continue;
    // With real providers the simulated tokens are refused: the customer is seeded without a method.
    const bound = await bindPaymentMethod(deps, c.id, { type: c.type, token: c.token, display: c.display, makeDefault: true });
    const plan = await createPlan(deps, {
      customerId: c.id,
      orderId: `ORD-${c.id.split('_').pop()!.toUpperCase()}-0001`,
      productName: c.product,
      principal: { amount: c.principal, currency: c.currency },
      periods: 12,
      fee: { model: 'flat', rate: '0.088' },
      purchaseDate: c.purchaseDate,
    });
    if (plan.ok)
      seeded.push({
        customerId: c.id,
        planId: plan.value.plan.planId,
        nextDueDate: summarize(plan.value.installments).nextDueDate,
        ...(bound.ok ? {} : { noMethod: bound.error.message }),
      });
  }
  return seeded;
}
