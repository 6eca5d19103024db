import type { CaseMessage, CaseStatus, SupportCase } from '../../domain/support.ts';
import type { CasePage, CaseTransition, SupportCaseRepository } from '../../ports/support-case-repository.port.ts';
import { withClientCursor } from './cursor.ts';
import { createEntities, type Entities } from './entities.ts';
import type { ItemClient } from './item-client.ts';
import { Service } from './table-model.ts';

/** A status's place in the inbox: read newest first, the higher rank comes first. */
const RANK: Record<CaseStatus, number> = { open: 5, answered: 4, approved: 3, declined: 2, closed: 1 };
const queueOf = (status: CaseStatus) => `${RANK[status]}${status}`;

/** Attempts of a transition that meets another transaction on the case. */
const MAX_TRIES = 5;

const CASE_KEYS = [
  'caseId',
  'customerId',
  'category',
  'status',
  'planId',
  'repaymentId',
  'period',
  'days',
  'subject',
  'messageCount',
  'createdAt',
  'updatedAt',
  'decidedAt',
  'decidedBy',
  'decisionReason',
  'newDueDate',
] as const;
const MESSAGE_KEYS = ['caseId', 'messageId', 'seq', 'author', 'authorId', 'body', 'createdAt'] as const;

function pick<T>(item: object, keys: readonly string[]): T {
  const source = item as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out as T;
}
const toCase = (item: object) => pick<SupportCase>(item, CASE_KEYS);
const toMessage = (item: object) => pick<CaseMessage>(item, MESSAGE_KEYS);

export class DynamoSupportCaseRepository implements SupportCaseRepository {
  readonly #e: Entities;
  /** The case and its messages, for writes that take both at once. */
  readonly #thread: Service<{ supportCase: Entities['supportCase']; caseMessage: Entities['caseMessage'] }>;

  constructor(client: ItemClient, tableName: string) {
    this.#e = createEntities(client, tableName);
    this.#thread = new Service({ supportCase: this.#e.supportCase, caseMessage: this.#e.caseMessage });
  }

  async create(supportCase: SupportCase, first: CaseMessage): Promise<boolean> {
    const result = await this.#thread.transaction
      .write(({ supportCase: c, caseMessage: m }) => [c.create({ ...supportCase, queue: queueOf(supportCase.status) }).commit(), m.create(first).commit()])
      .go();
    return !result.canceled;
  }

  async get(caseId: string) {
    const { data } = await this.#thread.collections.caseThread({ caseId }).go({ pages: 'all' });
    const found = data.supportCase[0];
    if (!found) return undefined;
    const messages = data.caseMessage.map(toMessage).sort((a, b) => a.seq - b.seq);
    return { supportCase: toCase(found), messages };
  }

  async listByCustomer(customerId: string, options: { limit: number; cursor?: string; status?: CaseStatus }): Promise<CasePage> {
    const query = this.#e.supportCase.query.byCustomer({ customerId });
    const { status } = options;
    const filtered = status ? query.where((a, op) => op.eq(a.status, status)) : query;
    const result = await withClientCursor(options.cursor, (cursor) => filtered.go({ order: 'desc', limit: options.limit, cursor }));
    return { cases: result.data.map(toCase), cursor: result.cursor };
  }

  async listAll(options: { limit: number; cursor?: string; status?: CaseStatus }): Promise<CasePage> {
    const query = options.status ? this.#e.supportCase.query.inbox({}).begins({ queue: `${queueOf(options.status)}#` }) : this.#e.supportCase.query.inbox({});
    const result = await withClientCursor(options.cursor, (cursor) => query.go({ order: 'desc', limit: options.limit, cursor }));
    return { cases: result.data.map(toCase), cursor: result.cursor };
  }

  async eraseContent(caseId: string, text: string): Promise<void> {
    const thread = await this.get(caseId);
    if (!thread) return;
    await this.#e.supportCase.patch({ caseId }).set({ subject: text }).go();
    await Promise.all(thread.messages.map((m) => this.#e.caseMessage.patch({ caseId, seq: m.seq }).set({ body: text }).go()));
  }

  async transition(caseId: string, change: CaseTransition): Promise<boolean> {
    // Another transaction on the case at the same moment: try again, the condition then decides.
    for (let tries = 1; ; tries++) {
      const outcome = await this.#transitionOnce(caseId, change);
      if (outcome !== 'conflict' || tries === MAX_TRIES) return outcome === 'written';
    }
  }

  async #transitionOnce(caseId: string, change: CaseTransition): Promise<'written' | 'refused' | 'conflict'> {
    const set = { ...change.set, queue: queueOf(change.set.status), ...(change.message ? { messageCount: change.message.seq } : {}) };
    const result = await this.#thread.transaction
      .write(({ supportCase: c, caseMessage: m }) => [
        c
          .patch({ caseId })
          .set(set)
          .remove([...(change.remove ?? [])])
          .where((a, op) => {
            const conditions = [`(${change.from.map((s) => op.eq(a.status, s)).join(' OR ')})`];
            if (change.ifDecidedAt) conditions.push(op.eq(a.decidedAt, change.ifDecidedAt));
            if (change.message) conditions.push(op.eq(a.messageCount, change.message.seq - 1));
            return conditions.join(' AND ');
          })
          .commit(),
        ...(change.message ? [m.create(change.message).commit()] : []),
      ])
      .go();
    if (!result.canceled) return 'written';
    const reasons = (result.data as ReadonlyArray<{ code: string }>).map((r) => r.code);
    return reasons.includes('TransactionConflict') ? 'conflict' : 'refused';
  }
}
