import { describe, expect, it } from 'vitest';
import { collect, pages } from './pagination';
import type { Page } from './types';

/** A server holding `total` numbered items, serving `size` per page with numeric cursors. */
function server(total: number, size: number) {
  const asked: (string | null)[] = [];
  const fetchPage = async (cursor: string | null): Promise<Page<number>> => {
    asked.push(cursor);
    const start = cursor === null ? 0 : Number(cursor);
    const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i);
    const next = start + size < total ? String(start + size) : null;
    return { items, next_cursor: next };
  };
  return { asked, fetchPage };
}

describe('collect', () => {
  it('follows next_cursor to the end, in order', async () => {
    const { asked, fetchPage } = server(7, 3);
    const result = await collect(fetchPage);
    expect(result.items).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(result.complete).toBe(true);
    expect(asked).toEqual([null, '3', '6']);
  });

  it('stops at max and says the listing is incomplete', async () => {
    const { asked, fetchPage } = server(10, 3);
    const result = await collect(fetchPage, 5);
    expect(result.items).toEqual([0, 1, 2, 3, 4]);
    expect(result.complete).toBe(false);
    expect(asked).toEqual([null, '3']);
  });

  it('calls a listing of exactly max items complete', async () => {
    const { fetchPage } = server(6, 3);
    expect(await collect(fetchPage, 6)).toEqual({ items: [0, 1, 2, 3, 4, 5], complete: true });
  });

  it('handles an empty listing', async () => {
    const { fetchPage } = server(0, 3);
    expect(await collect(fetchPage)).toEqual({ items: [], complete: true });
  });
});

describe('pages', () => {
  it('stops when a server repeats a cursor instead of looping forever', async () => {
    let calls = 0;
    const stuck = async (): Promise<Page<number>> => {
      calls++;
      return { items: [calls], next_cursor: 'same' };
    };
    const seen: number[] = [];
    for await (const page of pages(stuck)) seen.push(...page.items);
    expect(seen).toEqual([1, 2]);
  });
});
