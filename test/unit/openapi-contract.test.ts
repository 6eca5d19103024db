/**
 * The OpenAPI document as a contract: the checker the e2e stories run over every response
 * (test/support/contract.ts) finds what the document does not allow, and lets through what it does.
 */
import { describe, expect, it } from 'vitest';
import { documentWithoutStack } from '../support/api.ts';
import { contractChecker } from '../support/contract.ts';

const doc = await documentWithoutStack();
const { violations } = contractChecker(doc as Record<string, any>);

const money = (amount: number) => ({ amount, currency: 'CNY' });
const summary = {
  planId: 'plan_1',
  customerId: 'cus_1',
  orderId: 'JD-1',
  productName: 'Phone',
  status: 'active',
  currency: 'CNY',
  principal: money(300_000),
  totalFee: money(26_400),
  fee: { model: 'flat', rate: '0.088' },
  apr: '0.1597',
  aprMethod: 'us_reg_z',
  periods: 12,
  paidPeriods: 0,
  unpaidPeriods: 12,
  perPeriodAmount: money(27_200),
  nextDueDate: '2026-02-28',
  outstanding: money(326_400),
  amountPaid: money(0),
  purchaseDate: '2026-01-28',
  timeZone: 'Asia/Shanghai',
  createdAt: '2026-01-28T04:00:00.000Z',
};
const installment = {
  period: 1,
  dueDate: '2026-02-28',
  principal: money(25_000),
  fee: money(2200),
  lateFee: money(0),
  amountDue: money(27_200),
  amountPaid: money(0),
  status: 'scheduled',
};
const plan = { ...summary, installments: [installment] };
const json = 'application/json';

describe('OpenAPI contract checker', () => {
  it('accepts a plan as the document describes it', () => {
    expect(violations({ method: 'GET', path: '/v1/plans/plan_1', status: 200, contentType: json, body: plan })).toEqual([]);
    expect(violations({ method: 'GET', path: '/v1/plans?customerId=cus_1', status: 200, contentType: json, body: { items: [summary], cursor: null } })).toEqual([]);
  });

  it('finds a field the document does not name, a missing one, a wrong type and an unknown status value', () => {
    expect(violations({ method: 'GET', path: '/v1/plans/plan_1', status: 200, contentType: json, body: { ...plan, secret: 1 } }).join()).toContain('secret');
    const { apr: _apr, ...withoutApr } = plan;
    expect(violations({ method: 'GET', path: '/v1/plans/plan_1', status: 200, contentType: json, body: withoutApr }).join()).toContain('apr');
    expect(violations({ method: 'GET', path: '/v1/plans/plan_1', status: 200, contentType: json, body: { ...plan, periods: 1.5 } })).not.toEqual([]);
    expect(
      violations({ method: 'GET', path: '/v1/plans/plan_1', status: 200, contentType: json, body: { ...plan, installments: [{ ...installment, status: 'lost' }] } }),
    ).not.toEqual([]);
  });

  it('finds a status or a media type the operation does not declare', () => {
    expect(violations({ method: 'GET', path: '/v1/plans/plan_1', status: 418, contentType: json, body: {} }).join()).toContain('not declared');
    expect(violations({ method: 'GET', path: '/v1/plans/plan_1', status: 404, contentType: json, body: {} }).join()).toContain('content-type');
  });

  it('holds problems to the problem schema and lets them carry extension members', () => {
    const problem = { type: 'https://repayflow.dev/problems/plan-not-found', title: 'Not Found', status: 404, code: 'PLAN.NOT_FOUND', detail: 'plan x does not exist' };
    expect(violations({ method: 'GET', path: '/v1/plans/x', status: 404, contentType: 'application/problem+json', body: problem })).toEqual([]);
    expect(violations({ method: 'GET', path: '/v1/plans/x', status: 404, contentType: 'application/problem+json', body: { ...problem, failureCode: 'x' } })).toEqual([]);
    expect(violations({ method: 'GET', path: '/v1/plans/x', status: 404, contentType: 'application/problem+json', body: { title: 'Not Found' } })).not.toEqual([]);
  });

  it('picks the literal path over a template: /v1/webhooks/stripe is not /v1/webhooks/{provider}', () => {
    const ack = { received: true, eventId: 'evt_1', outcome: 'applied', duplicate: false };
    expect(violations({ method: 'POST', path: '/v1/webhooks/stripe', status: 200, contentType: json, body: ack })).toEqual([]);
    expect(violations({ method: 'POST', path: '/v1/webhooks/stripe', status: 200, contentType: json, body: { ...ack, extra: 1 } })).not.toEqual([]);
  });
});
