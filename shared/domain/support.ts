/**
 * Customer support cases: a thread between a customer and the operators about a plan, a
 * repayment attempt or a period, and extension requests that an operator approves or declines.
 * Pure: the states, which transitions are allowed and who may make them, and what a new case
 * must say. The use case (shared/application/support.ts) writes them.
 *
 * States: `open` (waiting for support) → `answered` (support replied; the customer's reply
 * opens it again) → `closed` (by either side), or, for an extension request, `approved`
 * (the deferral is applied) / `declined` (with a reason). The last three are final.
 */
import type { LocalDate } from './calendar.ts';
import { type Refused, type Result, refuse } from './result.ts';

export const CASE_CATEGORIES = ['failed_debit', 'wrong_amount', 'refund', 'extension_request', 'other'] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];
export const CASE_STATUSES = ['open', 'answered', 'closed', 'approved', 'declined'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type CaseAuthor = 'customer' | 'operator';

/** Longest message, in characters (a thread entry, not a document). */
export const MAX_MESSAGE_CHARS = 2000;

export interface SupportCase {
  caseId: string;
  customerId: string;
  category: CaseCategory;
  status: CaseStatus;
  /** What the case is about: a plan, one of its repayment attempts, one of its periods. */
  planId?: string;
  repaymentId?: string;
  period?: number;
  /** Extension requests: how many days the customer asks for. */
  days?: number;
  /** The first message, shown in lists. */
  subject: string;
  /** Messages in the thread; each message's `seq` is its place in it (1, 2, …). */
  messageCount: number;
  createdAt: string;
  updatedAt: string;
  /** Set once an extension request is decided. */
  decidedAt?: string;
  decidedBy?: string;
  /** Declined: why (told to the customer). */
  decisionReason?: string;
  /** Approved: the due date the deferral moved the period to (absent until the deferral is applied). */
  newDueDate?: LocalDate;
}

export interface CaseMessage {
  caseId: string;
  messageId: string;
  /** Its place in the thread, from 1: a thread's order never depends on clocks. */
  seq: number;
  author: CaseAuthor;
  /** Who wrote it: the customer's id, or the operator's token subject. */
  authorId: string;
  body: string;
  createdAt: string;
}

export interface NewCaseInput {
  /** Whose case: the customer's own; an operator names the customer or a plan of theirs. */
  customerId?: string;
  category: CaseCategory;
  planId?: string;
  repaymentId?: string;
  period?: number;
  days?: number;
  message: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it removes
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/** A message as stored: control, bidi and zero-width characters removed, ends trimmed; line breaks kept. */
export function cleanMessage(text: string): string {
  return text.normalize('NFC').replace(CONTROL, '').replace(/\r\n?/g, '\n').trim();
}

/** Checks what a new case says about itself; the plan and repayment it names are checked by the use case. */
/** A message as it will be stored, or why it cannot be (`field` names the request's field). */
export function checkMessage(text: string, field = 'message'): Result<string, Refused<'unprocessable'>> {
  const message = cleanMessage(text);
  if (message.length === 0) return refuse('unprocessable', field === 'reason' ? 'CASE.REASON_REQUIRED' : 'CASE.MESSAGE_EMPTY', `${field}: must say something`, { field });
  if (message.length > MAX_MESSAGE_CHARS) return refuse('unprocessable', 'CASE.MESSAGE_TOO_LONG', `${field}: at most ${MAX_MESSAGE_CHARS} characters`, { field });
  return { ok: true, value: message };
}

export function checkNewCase(input: NewCaseInput): Result<{ message: string }, Refused<'unprocessable'>> {
  const checked = checkMessage(input.message);
  if (!checked.ok) return checked;
  const message = checked.value;
  if (input.category === 'extension_request') {
    if (!input.planId) return refuse('unprocessable', 'CASE.PLAN_REQUIRED', 'planId: an extension request names the plan', { field: 'planId' });
    if (input.period === undefined) return refuse('unprocessable', 'CASE.PERIOD_REQUIRED', 'period: an extension request names the period to defer', { field: 'period' });
    if (input.days === undefined) return refuse('unprocessable', 'CASE.DAYS_REQUIRED', 'days: an extension request says how many days', { field: 'days' });
  } else if (input.days !== undefined) {
    return refuse('unprocessable', 'CASE.DAYS_NOT_APPLICABLE', 'days: only an extension request asks for days', { field: 'days' });
  }
  if ((input.repaymentId !== undefined || input.period !== undefined) && !input.planId) {
    return refuse('unprocessable', 'CASE.PLAN_REQUIRED', 'planId: a repayment or a period belongs to a plan; name it', { field: 'planId' });
  }
  return { ok: true, value: { message } };
}

/** The subject a list shows: the first line of the first message, shortened. */
export function subjectOf(message: string): string {
  const first = message.split('\n', 1)[0] ?? '';
  const chars = Array.from(first);
  return chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : first;
}

export const isFinal = (status: CaseStatus): boolean => status === 'closed' || status === 'approved' || status === 'declined';

/** The states a case may be decided or answered from. */
export const DECIDABLE: readonly CaseStatus[] = ['open', 'answered'];

/** The status after a message: support's reply answers the case, the customer's opens it again. */
export function afterMessage(current: SupportCase, author: CaseAuthor): Result<CaseStatus, Refused<'conflict'>> {
  if (isFinal(current.status)) return refuse('conflict', 'CASE.CLOSED', `case ${current.caseId} is ${current.status}; open a new case`);
  return { ok: true, value: author === 'operator' ? 'answered' : 'open' };
}

/** Whether an operator may decide this case (approve or decline an extension request). */
export function checkDecision(current: SupportCase): Result<SupportCase & { period: number; days: number; planId: string }, Refused<'conflict'>> {
  if (current.category !== 'extension_request' || current.planId === undefined || current.period === undefined || current.days === undefined) {
    return refuse(
      'conflict',
      'CASE.NOT_AN_EXTENSION_REQUEST',
      `case ${current.caseId} is a ${current.category.replace('_', ' ')} case; only an extension request is approved or declined`,
    );
  }
  if (current.status === 'approved' || current.status === 'declined') return refuse('conflict', 'CASE.ALREADY_DECIDED', `case ${current.caseId} is already ${current.status}`);
  if (current.status === 'closed') return refuse('conflict', 'CASE.CLOSED', `case ${current.caseId} is closed`);
  return { ok: true, value: { ...current, planId: current.planId, period: current.period, days: current.days } };
}

/** Whether a case may be closed (by its customer or support). */
export function checkClose(current: SupportCase): Result<'closed', Refused<'conflict'>> {
  if (isFinal(current.status)) return refuse('conflict', 'CASE.CLOSED', `case ${current.caseId} is already ${current.status}`);
  return { ok: true, value: 'closed' };
}

/** A decline needs a reason the customer can read (CASE.REASON_REQUIRED). */
export const checkDeclineReason = (reason: string) => checkMessage(reason, 'reason');
