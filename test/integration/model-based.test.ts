/**
 * A model-based test of the whole lifecycle on the real local stack (DynamoDB Local, the SQS/SNS
 * emulator, the simulated gateway's ledger): random sequences of plan creation, clock advances,
 * sweeps, message delivery (once, twice, or dropped), workers dying right after a charge,
 * customer payments, deferrals, payoffs and cancellations. After every step:
 *
 * * money is conserved: what each plan collected plus what is still owed (and what cancelling
 *   released) equals its principal and fees, less waivers, plus late fees; the plan's own total
 *   of what it collected equals its installments' and its succeeded repayments';
 * * at most one capture per attempt key;
 * * the gateway's ledger equals the repayment records: every capture is a succeeded record of
 *   the same amount or an attempt still in flight, every succeeded record a capture;
 * * every state change of a plan and of an installment follows SPEC §2 States;
 * * the list of orders (by customer, and the operators' search by status) shows each plan as
 *   its detail view computes it from the installments.
 *
 * A failure prints fast-check's seed and path; `MODEL_SEED=<seed> MODEL_PATH=<path>` replays it.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../infra/local/stack.ts';
import { localDateOf } from '../../shared/domain/calendar.ts';
import { amountDue, type InstallmentStatus, isUnpaid, type PlanStatus } from '../../shared/domain/plan.ts';
import { aCustomer, aPaymentMethod } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const HOUR = 3_600_000;
const TOKENS = ['tok_ok', 'tok_insufficient_funds', 'tok_flaky_50'] as const;
/** Most customers pay: a card that always works is drawn twice as often. */
const DRAWN_TOKENS = ['tok_ok', ...TOKENS] as const;

/** SPEC §2 States, one step at a time; a command may take several steps (a week of the clock). */
const INSTALLMENT_STEPS: Record<InstallmentStatus, readonly InstallmentStatus[]> = {
  scheduled: ['due', 'paid', 'deferred', 'cancelled'],
  due: ['paid', 'failed', 'deferred', 'cancelled'],
  failed: ['paid', 'failed', 'overdue', 'deferred', 'cancelled'],
  overdue: ['paid', 'cancelled'],
  deferred: ['due', 'paid', 'cancelled'],
  paid: [],
  cancelled: [],
};
const PLAN_STEPS: Record<PlanStatus, readonly PlanStatus[]> = {
  active: ['paid_off', 'overdue', 'cancelled'],
  overdue: ['active', 'paid_off', 'defaulted', 'cancelled'],
  // Acceleration: paying what is due settles a defaulted plan; a partial catch-up returns it to
  // the state its remaining installments imply.
  defaulted: ['paid_off', 'active', 'overdue', 'cancelled'],
  paid_off: [],
  cancelled: [],
};

function reachable<S extends string>(steps: Record<S, readonly S[]>, from: S, to: S): boolean {
  const seen = new Set<S>([from]);
  const queue: S[] = [from];
  while (queue.length > 0) {
    const s = queue.shift()!;
    if (s === to) return true;
    for (const n of steps[s]) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return false;
}

interface Model {
  plans: string[];
  plan: Map<string, PlanStatus>;
  installment: Map<string, InstallmentStatus>;
  keys: number;
}

interface Real {
  t: TestStack;
  customers: Record<(typeof TOKENS)[number], string>;
  sqs: SQSClient;
}

/** Everything the invariants need, read from the stack after a step. */
async function check(model: Model, real: Real, step: string): Promise<void> {
  const { t } = real;
  const charges = t.stack.gateway.charges().filter((c) => model.plans.includes(c.planId));
  const byKey = new Map<string, number>();
  for (const c of charges) byKey.set(c.idempotencyKey, (byKey.get(c.idempotencyKey) ?? 0) + 1);
  for (const [key, n] of byKey) expect(n, `${step}: captures under ${key}`).toBe(1);

  for (const planId of model.plans) {
    const detail = await t.stack.deps.plans.get(planId);
    expect(detail, `${step}: plan ${planId}`).toBeDefined();
    const { plan, installments } = detail!;
    const records = await t.stack.deps.plans.listRepayments(planId);
    const succeeded = records.filter((r) => r.status === 'succeeded');
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

    // Money conserved.
    const paid = sum(installments.map((i) => i.amountPaid));
    const owed = sum(installments.filter(isUnpaid).map(amountDue));
    const released = sum(installments.filter((i) => i.status === 'cancelled').map(amountDue));
    const waived = sum(installments.map((i) => i.waivedFee ?? 0));
    const lateFees = sum(installments.map((i) => i.lateFee));
    expect(sum(installments.map((i) => i.principal)), `${step}: principal of ${planId}`).toBe(plan.principal);
    expect(paid + owed + released, `${step}: paid + outstanding of ${planId}`).toBe(plan.principal + plan.totalFee - waived + lateFees);
    expect(plan.amountPaid, `${step}: collected by ${planId}`).toBe(paid);
    expect(sum(succeeded.map((r) => r.amount)), `${step}: succeeded repayments of ${planId}`).toBe(paid);
    for (const i of installments) {
      expect(amountDue(i), `${step}: ${planId} period ${i.period} owes`).toBeGreaterThanOrEqual(0);
      if (i.status === 'paid') expect(amountDue(i), `${step}: ${planId} period ${i.period} is paid`).toBe(0);
    }

    // Ledger = records (up to what is in flight).
    const mine = charges.filter((c) => c.planId === planId);
    const inFlight = new Set([
      ...records.filter((r) => r.status === 'pending').map((r) => r.id),
      ...installments.flatMap((i) => [i.inflightAttemptId, i.pendingAttemptId].filter((x): x is string => x !== undefined)),
    ]);
    for (const c of mine) {
      const record = succeeded.find((r) => r.id === c.idempotencyKey);
      if (record) expect(record.amount, `${step}: recorded amount of ${c.idempotencyKey}`).toBe(c.amount);
      else expect(inFlight.has(c.idempotencyKey), `${step}: capture ${c.idempotencyKey} neither recorded nor in flight`).toBe(true);
    }
    for (const r of succeeded) expect(byKey.get(r.id), `${step}: record ${r.id} without a capture`).toBe(1);

    // The list of orders shows what the order's own page computes from its installments, from
    // the summary stored with every change; the status search finds the plan under its status.
    const { installments: _shown, ...view } = (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body;
    const listed = (await t.http('GET', `/v1/plans?customerId=${plan.customerId}&limit=100`, { token: t.adminToken })).body.items;
    expect(
      listed.find((p: { planId: string }) => p.planId === planId),
      `${step}: ${planId} in the list`,
    ).toEqual(view);
    const byStatus = (await t.http('GET', `/v1/plans?status=${plan.status}&limit=100`, { token: t.adminToken })).body.items;
    expect(
      byStatus.find((p: { planId: string }) => p.planId === planId),
      `${step}: ${planId} among ${plan.status} plans`,
    ).toEqual(view);

    // State transitions.
    const before = model.plan.get(planId)!;
    expect(reachable(PLAN_STEPS, before, plan.status), `${step}: plan ${planId} ${before} → ${plan.status}`).toBe(true);
    model.plan.set(planId, plan.status);
    for (const i of installments) {
      const key = `${planId}:${i.period}`;
      const was = model.installment.get(key) ?? 'scheduled';
      // A catch-up on a defaulted plan reinstates the installments its acceleration made overdue.
      const reinstated = before === 'defaulted' && was === 'overdue' && reachable(INSTALLMENT_STEPS, 'scheduled', i.status);
      expect(reachable(INSTALLMENT_STEPS, was, i.status) || reinstated, `${step}: ${key} ${was} → ${i.status}`).toBe(true);
      model.installment.set(key, i.status);
    }
  }
}

type Cmd = fc.AsyncCommand<Model, Real>;

/** A command: act on the stack, then check every invariant. */
function command(name: string, act: (model: Model, real: Real) => Promise<void>, needsPlan = false): Cmd {
  return {
    check: (m) => !needsPlan || m.plans.length > 0,
    run: async (m, r) => {
      await act(m, r);
      await check(m, r, name);
    },
    toString: () => name,
  };
}

const pick = (m: Model, index: number) => m.plans[index % m.plans.length]!;
const key = (m: Model) => `model-${++m.keys}`;

const createPlan = fc
  .record({
    token: fc.constantFrom(...DRAWN_TOKENS),
    periods: fc.integer({ min: 1, max: 4 }),
    fee: fc.constantFrom({ model: 'flat', rate: '0.015' }, { model: 'annuity', annualRate: '0.12' }, { model: 'equal_principal', annualRate: '0.18' }),
    principal: fc.integer({ min: 10_000, max: 300_000 }),
    payoffFees: fc.constantFrom('waive_future', 'charge_current_period', 'charge_all'),
    remainderTo: fc.constantFrom('first_periods', 'last_period'),
  })
  .map((p) =>
    command(`create(${JSON.stringify(p)})`, async (m, r) => {
      const today = localDateOf(r.t.stack.clock.now(), 'Asia/Shanghai');
      const res = await r.t.http('POST', '/v1/plans', {
        token: r.t.adminToken,
        body: {
          customerId: r.customers[p.token],
          orderId: `MBT-${m.keys + 1}`,
          productName: 'Phone',
          principal: { amount: p.principal, currency: 'CNY' },
          periods: p.periods,
          fee: p.fee,
          purchaseDate: today,
          policy: { payoffFees: p.payoffFees, remainderTo: p.remainderTo },
        },
        headers: { 'idempotency-key': key(m) },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      m.plans.push(res.body.planId);
      m.plan.set(res.body.planId, 'active');
    }),
  );
const advance = fc.integer({ min: 1, max: 24 * 35 }).map((hours) =>
  command(`advance(${hours}h)`, async (_m, r) => {
    await r.t.stack.run(new Date(r.t.stack.clock.now().getTime() + hours * HOUR));
  }),
);

/** Creating plans and moving the clock weigh double: most of a plan's life is waiting. */
const commands = [
  createPlan,
  createPlan,
  advance,
  advance,
  fc.constant(
    command('sweep', async (_m, r) => {
      await r.t.stack.sweep({}, lambdaContext('sweep'));
    }),
  ),
  fc.constant(
    command('deliver', async (_m, r) => {
      await r.t.stack.drain();
    }),
  ),
  fc.constant(
    command('deliver twice', async (_m, r) => {
      r.t.stack.chaos.configure({ duplicateDelivery: true });
      try {
        await r.t.stack.drain();
      } finally {
        r.t.stack.chaos.configure({ duplicateDelivery: false });
      }
    }),
  ),
  fc.constant(
    command('drop a message', async (_m, r) => {
      const url = r.t.stack.resources.queues.repaymentAttempts.url;
      const { Messages = [] } = await r.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
      for (const msg of Messages) await r.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: msg.ReceiptHandle! }));
    }),
  ),
  fc.constant(
    command('crash after charge', async (_m, r) => {
      r.t.stack.chaos.configure({ crashAfterChargeRate: 1 });
      try {
        await r.t.stack.sweep({}, lambdaContext('sweep'));
        await r.t.stack.drain();
      } finally {
        r.t.stack.chaos.configure({ crashAfterChargeRate: 0 });
      }
    }),
  ),
  fc.tuple(fc.nat(), fc.constantFrom('next', 'overdue', 'payoff')).map(([index, scope]) =>
    command(
      `pay(${index}, ${scope})`,
      async (m, r) => {
        const res = await r.t.http('POST', `/v1/plans/${pick(m, index)}/repayments`, { token: r.t.adminToken, body: { scope }, headers: { 'idempotency-key': key(m) } });
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      },
      true,
    ),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 100 })).map(([index, share]) =>
    command(
      `pay amount(${index}, ${share}%)`,
      async (m, r) => {
        const planId = pick(m, index);
        const quote = await r.t.http('GET', `/v1/plans/${planId}/payoff-quote`, { token: r.t.adminToken });
        if (quote.status !== 200) return;
        const amount = Math.max(1, Math.floor((quote.body.total.amount * share) / 100));
        const res = await r.t.http('POST', `/v1/plans/${planId}/repayments`, {
          token: r.t.adminToken,
          body: { scope: 'amount', amount: { amount, currency: 'CNY' } },
          headers: { 'idempotency-key': key(m) },
        });
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
        // Exactly the payoff amount settles the plan.
        if (share === 100 && res.status === 201) expect(res.body.plan.status).toBe('paid_off');
      },
      true,
    ),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 })).map(([index, period, days]) =>
    command(
      `defer(${index}, period ${period}, ${days}d)`,
      async (m, r) => {
        const res = await r.t.http('POST', `/v1/plans/${pick(m, index)}/deferrals`, { token: r.t.adminToken, body: { period, days } });
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      },
      true,
    ),
  ),
  fc.nat().map((index) =>
    command(
      `cancel(${index})`,
      async (m, r) => {
        const res = await r.t.http('POST', `/v1/plans/${pick(m, index)}/cancel`, { token: r.t.adminToken });
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      },
      true,
    ),
  ),
];

describe('Model: random lifecycles on the local stack', () => {
  it('conserves money, captures once, matches the ledger and follows SPEC §2 States after every step', async () => {
    const seed = process.env.MODEL_SEED === undefined ? undefined : Number(process.env.MODEL_SEED);
    await fc.assert(
      fc.asyncProperty(createPlan, fc.commands(commands, { maxCommands: 18, size: 'max' }), async (first, cmds) => {
        const t = await startTestStack();
        try {
          t.stack.clock.set(new Date('2026-01-15T02:00:00Z'));
          const customers = {} as Real['customers'];
          for (const token of TOKENS) {
            const id = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body.id as string;
            await t.http('POST', `/v1/customers/${id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token }) });
            customers[token] = id;
          }
          const sqs = new SQSClient({
            endpoint: t.stack.endpoints.sqs,
            region: 'us-east-1',
            useQueueUrlAsEndpoint: false,
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          });
          const model: Model = { plans: [], plan: new Map(), installment: new Map(), keys: 0 };
          const real: Real = { t, customers, sqs };
          // Every run starts with a plan, so no run is spent on an empty stack.
          await first.run(model, real);
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          if (process.env.MODEL_STATS) {
            const statuses = [...model.installment.values()].reduce<Record<string, number>>((acc, s) => {
              acc[s] = (acc[s] ?? 0) + 1;
              return acc;
            }, {});
            console.log(
              `${first.toString()},${cmds.toString()}\n  plans ${model.plans.length}, captures ${t.stack.gateway.charges().length}, installments ${JSON.stringify(statuses)}, plans ${JSON.stringify([...model.plan.values()])}`,
            );
          }
        } finally {
          await t.stop();
        }
      }),
      {
        numRuns: 4,
        endOnFailure: true,
        ...(seed === undefined ? {} : { seed }),
        ...(process.env.MODEL_PATH ? { path: process.env.MODEL_PATH } : {}),
      },
    );
  }, 600_000);
});
