/** Request-body builders for API tests: valid by default, overridable per test. */
export const aCustomer = (overrides: Record<string, unknown> = {}) => ({
  name: '韩梅梅',
  phone: '+8613912345678',
  locale: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  notifications: { sms: true, email: false },
  ...overrides,
});

export const aPaymentMethod = (overrides: Record<string, unknown> = {}) => ({
  type: 'bank_card',
  token: 'tok_ok',
  display: '招商银行 ****1234',
  makeDefault: true,
  ...overrides,
});

/** An order has at most one plan, so each built plan gets its own order id unless told. */
let orderSeq = 0;
const nextOrderId = () => `JD-20260131-${process.pid}-${++orderSeq}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * 0.088 flat over 12 months is APR 0.1586; over fewer months that fee would pass the 0.24 cap
 * (0.5206 over 3), so a shorter plan defaults to 0.02 flat (at most APR 0.24, over one month).
 */
export const aPlan = (customerId: string, overrides: Record<string, unknown> = {}) => ({
  customerId,
  orderId: nextOrderId(),
  productName: 'Mi 15 Pro 512GB',
  principal: { amount: 599_900, currency: 'CNY' },
  periods: 12,
  fee: { model: 'flat', rate: typeof overrides.periods === 'number' && overrides.periods < 12 ? '0.02' : '0.088' },
  purchaseDate: '2026-01-31',
  ...overrides,
});
