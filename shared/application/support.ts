/**
 * Customer support cases.
 *
 * open-case — input: the customer, a category, what it is about (plan, repayment attempt,
 * period; days for an extension request) and a message; output: the case, or a refusal.
 * Primary course: check the message and the links (the plan is the customer's, the repayment
 * and the period are the plan's; an extension request must be one support could grant) →
 * write the case and its first message together.
 *
 * post-message — a message on an open or answered case: support's reply answers it and tells
 * the customer by a notice (one per reply, deduplicated like every notice); the customer's
 * opens it again.
 *
 * approve-extension — claims the decision (open/answered → approved, conditionally, so one
 * approval wins), applies the deferral through the plan's own rules as an operator (see
 * deferral.ts), then records the new due date. A refused deferral gives the decision back.
 * The deferral remembers the case, so a repeated or resumed approval never defers twice.
 *
 * decline-extension — with a reason, which becomes support's message and is announced.
 * close-case — by the customer or support.
 */

import { deferInstallmentBy } from '../domain/deferral.ts';
import type { BillingEvent } from '../domain/events.ts';
import { ok, type Refused, type Result, refuse } from '../domain/result.ts';
import {
  afterMessage,
  type CaseAuthor,
  type CaseMessage,
  type CaseStatus,
  checkClose,
  checkDecision,
  checkDeclineReason,
  checkMessage,
  checkNewCase,
  DECIDABLE,
  type NewCaseInput,
  type SupportCase,
  subjectOf,
} from '../domain/support.ts';
import type { CasePage } from '../ports/support-case-repository.port.ts';
import type { Deps } from './deps.ts';
import { deferInstallment } from './plan-actions.ts';

type SupportDeps = Pick<Deps, 'supportCases' | 'plans' | 'customers' | 'events' | 'clock' | 'ids'>;

/** Who acts: a customer (on their own cases only) or an operator (the admin role). */
export interface Actor {
  id: string;
  operator: boolean;
}

export interface CaseThread {
  supportCase: SupportCase;
  messages: CaseMessage[];
}

/**
 * How long an approval that stopped between its claim and its deferral holds the case; after
 * that, approving again finishes it.
 */
export const DECISION_LEASE_MS = 60_000;

/** Attempts to append to a thread that others are writing to at the same moment. */
const MAX_TRIES = 5;

/** The case, when the actor may see it (another customer's looks absent). */
export async function readCase(deps: Pick<Deps, 'supportCases'>, actor: Actor, caseId: string): Promise<CaseThread | undefined> {
  const thread = await deps.supportCases.get(caseId);
  if (!thread || (!actor.operator && thread.supportCase.customerId !== actor.id)) return undefined;
  return thread;
}

const caseNotFound = (caseId: string) => refuse('not_found', 'CASE.NOT_FOUND', `case ${caseId} does not exist`);

export async function openCase(deps: SupportDeps, actor: Actor, input: NewCaseInput): Promise<Result<CaseThread, Refused<'not_found' | 'conflict' | 'unprocessable'>>> {
  const checked = checkNewCase(input);
  if (!checked.ok) return checked;
  if (!actor.operator && input.customerId !== undefined && input.customerId !== actor.id) {
    return refuse('not_found', 'CUSTOMER.NOT_FOUND', `customer ${input.customerId} does not exist`, { field: 'customerId' });
  }
  const detail = input.planId ? await deps.plans.get(input.planId) : undefined;
  // A customer's case is their own; an operator opens one for the customer named, or the plan's.
  const customerId = actor.operator ? (input.customerId ?? detail?.plan.customerId) : actor.id;
  if (input.planId && (!detail || detail.plan.customerId !== customerId)) return refuse('not_found', 'PLAN.NOT_FOUND', `plan ${input.planId} does not exist`, { field: 'planId' });
  if (!customerId) return refuse('unprocessable', 'CASE.CUSTOMER_REQUIRED', 'customerId: name the customer (or a plan of theirs)', { field: 'customerId' });
  if (actor.operator && !detail && !(await deps.customers.get(customerId))) {
    return refuse('not_found', 'CUSTOMER.NOT_FOUND', `customer ${customerId} does not exist`, { field: 'customerId' });
  }
  let period = input.period;
  if (input.planId && detail) {
    if (input.repaymentId) {
      const repayment = await deps.plans.getRepayment(input.planId, input.repaymentId);
      if (!repayment) return refuse('not_found', 'REPAYMENT.NOT_FOUND', `plan ${input.planId} has no repayment ${input.repaymentId}`, { field: 'repaymentId' });
      // A case about a repayment attempt is about its (first) period, unless it names another.
      period ??= repayment.periods[0];
    }
    if (period !== undefined && !detail.installments.some((i) => i.period === period)) {
      return refuse('not_found', 'INSTALLMENT.NOT_FOUND', `plan ${input.planId} has no period ${period}`, { field: 'period' });
    }
    if (input.category === 'extension_request' && period !== undefined && input.days !== undefined) {
      // A request support could never grant is refused now, with the plan's own reason.
      const grantable = deferInstallmentBy(detail.plan, detail.installments, period, input.days, deps.clock.now(), 'operator');
      if (!grantable.ok && grantable.error.code !== 'INSTALLMENT.PAYMENT_IN_PROGRESS') return grantable;
    }
  }
  const now = deps.clock.now().toISOString();
  const supportCase: SupportCase = {
    caseId: deps.ids.next('case'),
    customerId,
    category: input.category,
    status: 'open',
    ...(input.planId ? { planId: input.planId } : {}),
    ...(input.repaymentId ? { repaymentId: input.repaymentId } : {}),
    ...(period === undefined ? {} : { period }),
    ...(input.days === undefined ? {} : { days: input.days }),
    subject: subjectOf(checked.value.message),
    messageCount: 1,
    createdAt: now,
    updatedAt: now,
  };
  const first = messageOf(deps, supportCase.caseId, actor, checked.value.message, now, 1);
  if (!(await deps.supportCases.create(supportCase, first))) throw new Error(`case ${supportCase.caseId}: the id is taken`);
  return ok({ supportCase, messages: [first] });
}

export async function postMessage(deps: SupportDeps, actor: Actor, caseId: string, text: string): Promise<Result<CaseThread, Refused<'not_found' | 'conflict' | 'unprocessable'>>> {
  const checked = checkMessage(text);
  if (!checked.ok) return checked;
  const message = checked.value;
  const author: CaseAuthor = actor.operator ? 'operator' : 'customer';
  const written = await appendMessage(deps, caseId, message, actor, (current) => {
    if (!actor.operator && current.customerId !== actor.id) return caseNotFound(caseId);
    const next = afterMessage(current, author);
    return next.ok ? ok({ status: next.value }) : next;
  });
  if (!written.ok) return written;
  if (author === 'operator') await announce(deps, written.value.supportCase, written.value.messages.at(-1)!);
  return written;
}

/**
 * Appends a message and moves the case on, on a fresh read each time: a message written by
 * someone else meanwhile takes its place in the thread (its `seq`), so this one goes after it.
 */
async function appendMessage<K extends 'not_found' | 'conflict'>(
  deps: SupportDeps,
  caseId: string,
  body: string,
  actor: Actor,
  decide: (current: SupportCase) => Result<Partial<SupportCase> & { status: CaseStatus }, Refused<K>>,
): Promise<Result<CaseThread, Refused<K | 'not_found' | 'conflict'>>> {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const thread = await deps.supportCases.get(caseId);
    if (!thread) return caseNotFound(caseId);
    const decided = decide(thread.supportCase);
    if (!decided.ok) return decided;
    const now = deps.clock.now().toISOString();
    const entry = messageOf(deps, caseId, actor, body, now, thread.supportCase.messageCount + 1);
    const set = { ...decided.value, updatedAt: now };
    if (await deps.supportCases.transition(caseId, { from: DECIDABLE, set, message: entry })) {
      return ok({ supportCase: { ...thread.supportCase, ...set, messageCount: entry.seq }, messages: [...thread.messages, entry] });
    }
  }
  return refuse('conflict', 'CASE.BUSY', `case ${caseId} is changing right now; try again`, { retryAfterSeconds: 1 });
}

export async function approveExtension(deps: SupportDeps, actor: Actor, caseId: string): Promise<Result<CaseThread, Refused<'not_found' | 'conflict'>>> {
  const thread = await deps.supportCases.get(caseId);
  if (!thread) return caseNotFound(caseId);
  const current = thread.supportCase;
  const now = deps.clock.now();
  let decidedAt: string;
  let before: CaseStatus;
  if (isUnfinishedApproval(current, now)) {
    // An approval stopped between its claim and the deferral: finish it (the deferral is applied once).
    decidedAt = current.decidedAt!;
    before = 'open';
  } else {
    const decidable = checkDecision(current);
    if (!decidable.ok) return current.status === 'approved' && current.newDueDate === undefined ? decisionInProgress(caseId) : decidable;
    decidedAt = now.toISOString();
    before = current.status;
    const claimed = await deps.supportCases.transition(caseId, { from: DECIDABLE, set: { status: 'approved', updatedAt: decidedAt, decidedAt, decidedBy: actor.id } });
    if (!claimed) {
      // Decided meanwhile (another approval, a decline, the customer closed it): say how it stands.
      const fresh = (await deps.supportCases.get(caseId))?.supportCase ?? current;
      const again = checkDecision(fresh);
      return fresh.status === 'approved' && fresh.newDueDate === undefined ? decisionInProgress(caseId) : again.ok ? decisionInProgress(caseId) : again;
    }
  }
  const request = { planId: current.planId!, period: current.period!, days: current.days! };
  const deferred = await deferInstallment(deps, { ...request, by: 'operator', caseId });
  if (!deferred.ok) {
    // The plan's rules said no: the decision is given back, the case stays open for a reply or a decline.
    await deps.supportCases.transition(caseId, {
      from: ['approved'],
      ifDecidedAt: decidedAt,
      set: { status: before, updatedAt: deps.clock.now().toISOString() },
      remove: ['decidedAt', 'decidedBy'],
    });
    return deferred;
  }
  const newDueDate = deferred.value.deferred.dueDate;
  const updatedAt = deps.clock.now().toISOString();
  await deps.supportCases.transition(caseId, { from: ['approved'], ifDecidedAt: decidedAt, set: { status: 'approved', updatedAt, newDueDate } });
  const after = await deps.supportCases.get(caseId);
  return ok(after ?? { supportCase: { ...current, status: 'approved', decidedAt, decidedBy: actor.id, newDueDate, updatedAt }, messages: thread.messages });
}

export async function declineExtension(
  deps: SupportDeps,
  actor: Actor,
  caseId: string,
  reason: string,
): Promise<Result<CaseThread, Refused<'not_found' | 'conflict' | 'unprocessable'>>> {
  const cleaned = checkDeclineReason(reason);
  if (!cleaned.ok) return cleaned;
  const written = await appendMessage(deps, caseId, cleaned.value, actor, (current) => {
    const decidable = checkDecision(current);
    if (!decidable.ok) return current.status === 'approved' && current.newDueDate === undefined ? decisionInProgress(caseId) : decidable;
    return ok({ status: 'declined' as const, decidedAt: deps.clock.now().toISOString(), decidedBy: actor.id, decisionReason: cleaned.value });
  });
  if (!written.ok) return written;
  await announce(deps, written.value.supportCase, written.value.messages.at(-1)!, 'declined');
  return written;
}

export async function closeCase(deps: SupportDeps, actor: Actor, caseId: string): Promise<Result<CaseThread, Refused<'not_found' | 'conflict'>>> {
  const thread = await readCase(deps, actor, caseId);
  if (!thread) return caseNotFound(caseId);
  const closable = checkClose(thread.supportCase);
  if (!closable.ok) return closable;
  const now = deps.clock.now().toISOString();
  if (!(await deps.supportCases.transition(caseId, { from: DECIDABLE, set: { status: 'closed', updatedAt: now } }))) {
    return refuse('conflict', 'CASE.CLOSED', `case ${caseId} was closed or decided meanwhile`);
  }
  return ok({ supportCase: { ...thread.supportCase, status: 'closed', updatedAt: now }, messages: thread.messages });
}

function isUnfinishedApproval(current: SupportCase, now: Date): boolean {
  return current.status === 'approved' && current.newDueDate === undefined && current.decidedAt !== undefined && now.getTime() - Date.parse(current.decidedAt) >= DECISION_LEASE_MS;
}

const decisionInProgress = (caseId: string) =>
  refuse('conflict', 'CASE.DECISION_IN_PROGRESS', `case ${caseId} is being decided by another request; look again in a minute`, { retryAfterSeconds: 60 });

function messageOf(deps: Pick<Deps, 'ids'>, caseId: string, actor: Actor, body: string, createdAt: string, seq: number): CaseMessage {
  return { caseId, messageId: deps.ids.next('msg'), seq, author: actor.operator ? 'operator' : 'customer', authorId: actor.id, body, createdAt };
}

/** Tells the customer support has answered: one notice per reply, by the channels they chose. */
async function announce(deps: SupportDeps, supportCase: SupportCase, message: CaseMessage, decision?: 'declined'): Promise<void> {
  const plan = supportCase.planId ? (await deps.plans.get(supportCase.planId))?.plan : undefined;
  const customer = plan ? undefined : await deps.customers.get(supportCase.customerId);
  const event: BillingEvent = {
    id: `case-reply:${supportCase.caseId}:${message.messageId}`,
    version: 1,
    occurredAt: message.createdAt,
    planId: plan?.planId ?? '',
    customerId: supportCase.customerId,
    productName: plan?.productName ?? '',
    timeZone: plan?.timeZone ?? customer?.timeZone ?? 'UTC',
    type: 'SupportCaseReplied',
    caseId: supportCase.caseId,
    messageId: message.messageId,
    ...(decision ? { decision } : {}),
  };
  await deps.events.publish([event]);
}

/** A customer's own cases; an operator's inbox (all customers', or one customer's). */
export function listCases(
  deps: Pick<Deps, 'supportCases'>,
  actor: Actor,
  options: { limit: number; cursor?: string; status?: CaseStatus; customerId?: string },
): Promise<CasePage> {
  const { customerId, ...page } = options;
  if (!actor.operator) return deps.supportCases.listByCustomer(actor.id, page);
  return customerId ? deps.supportCases.listByCustomer(customerId, page) : deps.supportCases.listAll(page);
}
