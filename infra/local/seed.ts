/** Demo data for `npm start`: two customers (Shanghai, New York) with bound methods and a plan each. */
import { bindPaymentMethod, createCustomer } from '../../shared/application/customers.ts';
import { createPlan } from '../../shared/application/plans.ts';
import type { Deps } from '../../shared/application/deps.ts';

export async function seedDemo(deps: Deps) {
  const seeded = [];
  const customers = [
    { id: 'cus_demo_li', name: '李雷', phone: '+8613800138000', locale: 'zh-CN' as const, timeZone: 'Asia/Shanghai', currency: 'CNY' as const, product: 'Mi 15 Pro 512GB', principal: 599_900, token: 'tok_ok', type: 'alipay' as const, display: 'alipay 138****8000' },
    { id: 'cus_demo_amy', name: 'Amy Chen', phone: '+12125550123', locale: 'en' as const, timeZone: 'America/New_York', currency: 'USD' as const, product: 'Phone 16 256GB', principal: 99_900, token: 'tok_insufficient_funds', type: 'bank_card' as const, display: 'Chase ****4242' },
  ];
  for (const c of customers) {
    const created = await createCustomer(deps, { id: c.id, name: c.name, phone: c.phone, locale: c.locale, timeZone: c.timeZone, notifications: { sms: true, email: false } });
    if (!created.ok) continue;
    await bindPaymentMethod(deps, c.id, { type: c.type, token: c.token, display: c.display, makeDefault: true });
    const plan = await createPlan(deps, {
      customerId: c.id,
      orderId: `ORD-${c.id.split('_').pop()!.toUpperCase()}-0001`,
      productName: c.product,
      principal: { amount: c.principal, currency: c.currency },
      periods: 12,
      fee: { model: 'flat', rate: '0.088' },
      purchaseDate: new Date().toISOString().slice(0, 10),
    });
    if (plan.ok) seeded.push({ customerId: c.id, planId: plan.value.planId, nextDueDate: plan.value.nextDueDate });
  }
  return seeded;
}
