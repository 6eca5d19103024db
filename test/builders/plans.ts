/** Domain builders: a plan with its installments, valid by default. */
import { createPlan, type Installment, type Plan } from '../../shared/domain/plan.ts';
import { DEFAULT_POLICY, type Policy } from '../../shared/domain/policy.ts';

export function aPlanDetail(overrides: { purchaseDate?: string; periods?: number; principal?: number; timeZone?: string; rate?: string; policy?: Partial<Policy> } = {}): {
  plan: Plan;
  installments: Installment[];
} {
  return createPlan({
    planId: 'plan_test',
    customerId: 'cus_test',
    orderId: 'ORD-1',
    productName: 'Phone',
    currency: 'CNY',
    principal: overrides.principal ?? 120_000,
    periods: overrides.periods ?? 12,
    fee: { model: 'flat', rate: overrides.rate ?? '0.06' },
    purchaseDate: overrides.purchaseDate ?? '2026-01-31',
    timeZone: overrides.timeZone ?? 'Asia/Shanghai',
    policy: { ...DEFAULT_POLICY, ...overrides.policy },
    createdAt: '2026-01-31T04:00:00.000Z',
  });
}
