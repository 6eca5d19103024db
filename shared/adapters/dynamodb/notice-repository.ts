import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NoticeRecord } from '../../domain/notices.ts';
import type { NoticeRepository } from '../../ports/notice-repository.port.ts';
import { withClientCursor } from './cursor.ts';
import { createEntities, type Entities } from './entities.ts';
import { isConditionFailure } from './errors.ts';

export class DynamoNoticeRepository implements NoticeRepository {
  readonly #e: Entities;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#e = createEntities(client, tableName);
  }

  async claim(notice: NoticeRecord): Promise<boolean> {
    try {
      await this.#e.notice.create(notice).go({ response: 'none' });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async get(dedupeKey: string): Promise<NoticeRecord | undefined> {
    const { data } = await this.#e.notice.get({ dedupeKey }).go();
    return data ? (data as NoticeRecord) : undefined;
  }

  async save(notice: NoticeRecord): Promise<void> {
    await this.#e.notice.put(notice).go({ response: 'none' });
  }

  async listByCustomer(customerId: string, limit: number): Promise<NoticeRecord[]> {
    const { data } = await this.#e.notice.query.byCustomer({ customerId }).go({ order: 'desc', limit });
    return data as NoticeRecord[];
  }

  async pageByCustomer(customerId: string, options: { limit: number; cursor?: string }): Promise<{ notices: NoticeRecord[]; cursor: string | null }> {
    const page = await withClientCursor(options.cursor, (cursor) => this.#e.notice.query.byCustomer({ customerId }).go({ order: 'desc', limit: options.limit, cursor }));
    return { notices: page.data as NoticeRecord[], cursor: page.cursor };
  }
}
