import type { CaseMessage, CaseStatus, SupportCase } from '../domain/support.ts';

export interface CasePage {
  cases: SupportCase[];
  cursor: string | null;
}

/** A change of a case's state, written only while the case is in one of `from`. */
export interface CaseTransition {
  from: readonly CaseStatus[];
  /** Fields set: at least the status after it (the same one when it does not change) and `updatedAt`. */
  set: Partial<Omit<SupportCase, 'caseId' | 'customerId' | 'createdAt'>> & { status: CaseStatus; updatedAt: string };
  /** Fields removed (a decision taken back). */
  remove?: ReadonlyArray<'decidedAt' | 'decidedBy' | 'decisionReason' | 'newDueDate'>;
  /** Written only if the case's `decidedAt` is this (the decision this writer took). */
  ifDecidedAt?: string;
  /** A message written in the same transaction: only if it is the next one (`seq` = the case's `messageCount` + 1), which it then counts. */
  message?: CaseMessage;
}

export interface SupportCaseRepository {
  /** Writes a new case and its first message atomically; false when the id is taken. */
  create(supportCase: SupportCase, first: CaseMessage): Promise<boolean>;
  /** The case and its messages, oldest first. */
  get(caseId: string): Promise<{ supportCase: SupportCase; messages: CaseMessage[] } | undefined>;
  /** One customer's cases, newest first, optionally of one status. */
  listByCustomer(customerId: string, options: { limit: number; cursor?: string; status?: CaseStatus }): Promise<CasePage>;
  /** Every customer's cases (the support inbox): of one status newest first, or all: open first, then answered, approved, declined, closed. */
  listAll(options: { limit: number; cursor?: string; status?: CaseStatus }): Promise<CasePage>;
  /** Replaces the case's subject and every message's text with `text` (erasure); the case's state, dates and links stay. */
  eraseContent(caseId: string, text: string): Promise<void>;
  /** Applies a transition; false when the case is no longer in a state it starts from (nothing written). */
  transition(caseId: string, change: CaseTransition): Promise<boolean>;
}
