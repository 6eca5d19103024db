import type { NoticeRecord } from '../domain/notices.ts';

export interface NoticeRepository {
  /** Records a notice about to be sent; false when a notice with that dedupe key exists. */
  claim(notice: NoticeRecord): Promise<boolean>;
  get(dedupeKey: string): Promise<NoticeRecord | undefined>;
  save(notice: NoticeRecord): Promise<void>;
  listByCustomer(customerId: string, limit: number): Promise<NoticeRecord[]>;
  /** A page of a customer's notices, newest first; `cursor` continues where the last page ended. */
  pageByCustomer(customerId: string, options: { limit: number; cursor?: string }): Promise<{ notices: NoticeRecord[]; cursor: string | null }>;
}
