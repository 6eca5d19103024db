/** Lists that grow a page at a time ("Load more"). */

/** One page of rows and the way to the next (absent: the last page). */
export interface Page {
  rows: HTMLElement[];
  next?: () => Promise<Page>;
}

/** A cursor-paged list as pages of rows: `load` reads the page after `cursor` (the first without). */
export async function paged(load: (cursor?: string) => Promise<{ items: HTMLElement[]; cursor: string | null }>, cursor?: string): Promise<Page> {
  const page = await load(cursor);
  const after = page.cursor;
  return { rows: page.items, ...(after ? { next: () => paged(load, after) } : {}) };
}
