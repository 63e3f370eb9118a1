// Cursor pagination over Redress list endpoints: `{items, next_cursor}`, where the cursor
// is opaque and null on the last page.
import type { Page } from './types';

export type PageFetcher<T> = (cursor: string | null) => Promise<Page<T>>;

/** Yields every page in order, asking for the next one only when the caller wants it. */
export async function* pages<T>(fetchPage: PageFetcher<T>): AsyncGenerator<Page<T>> {
  let cursor: string | null = null;
  const seen = new Set<string>();
  for (;;) {
    const page: Page<T> = await fetchPage(cursor);
    yield page;
    if (page.next_cursor === null || page.next_cursor === '') return;
    // A server that hands back a cursor twice would loop forever; stop instead.
    if (seen.has(page.next_cursor)) return;
    seen.add(page.next_cursor);
    cursor = page.next_cursor;
  }
}

export interface Collected<T> {
  items: T[];
  /** False when `max` cut the listing short: there are more items than `items` holds. */
  complete: boolean;
}

/** Reads pages until the end or until `max` items are held. */
export async function collect<T>(fetchPage: PageFetcher<T>, max = Infinity): Promise<Collected<T>> {
  const items: T[] = [];
  for await (const page of pages(fetchPage)) {
    for (const item of page.items) {
      if (items.length >= max) return { items, complete: false };
      items.push(item);
    }
    if (items.length >= max && page.next_cursor) return { items, complete: false };
  }
  return { items, complete: true };
}
