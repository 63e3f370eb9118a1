import { describe, expect, it } from 'vitest';
import { type CannedReply, filterCanned, fillPlaceholders, hasUnfilled, insertAtSlash, slashQueryAt } from './canned';

const reply = (id: number, title: string): CannedReply => ({ id, title, body: `body ${id}`, updated_at: '2026-01-01T00:00:00Z' });

describe('fillPlaceholders', () => {
  it('fills every known placeholder, with or without spaces', () => {
    expect(fillPlaceholders('Dear {{customer.name}}, case #{{ case.id }} — {{agent.name}}', {
      'customer.name': 'Asha', 'case.id': '42', 'agent.name': 'Priya',
    })).toBe('Dear Asha, case #42 — Priya');
  });
  it('leaves missing and unknown placeholders visible', () => {
    const out = fillPlaceholders('Hi {{customer.name}} {{order.id}}', {});
    expect(out).toBe('Hi {{customer.name}} {{order.id}}');
    expect(hasUnfilled(out)).toBe(true);
    expect(hasUnfilled('Hi Asha')).toBe(false);
  });
  it('replaces a placeholder used twice', () => {
    expect(fillPlaceholders('{{case.id}}/{{case.id}}', { 'case.id': '7' })).toBe('7/7');
  });
});

describe('filterCanned', () => {
  const items = [reply(1, 'Apology for delay'), reply(2, 'Refund approved'), reply(3, 'Delay: refund in transit')];
  it('keeps titles holding every word, prefix matches first', () => {
    expect(filterCanned(items, 'refund').map((r) => r.id)).toEqual([2, 3]);
    expect(filterCanned(items, 'delay').map((r) => r.id)).toEqual([3, 1]);
    expect(filterCanned(items, 'refund transit').map((r) => r.id)).toEqual([3]);
  });
  it('returns everything for an empty query and nothing for no match', () => {
    expect(filterCanned(items, '').length).toBe(3);
    expect(filterCanned(items, 'xyz')).toEqual([]);
  });
});

describe('slashQueryAt', () => {
  it('finds a slash command at the start or after a space', () => {
    expect(slashQueryAt('/ref', 4)).toEqual({ start: 0, query: 'ref' });
    expect(slashQueryAt('Hello /apo', 10)).toEqual({ start: 6, query: 'apo' });
    expect(slashQueryAt('Line\n/', 6)).toEqual({ start: 5, query: '' });
  });
  it('ignores slashes inside words and URLs, and text after the caret', () => {
    expect(slashQueryAt('and/or', 6)).toBeNull();
    expect(slashQueryAt('see https://x', 13)).toBeNull();
    expect(slashQueryAt('/ref', 0)).toBeNull();
  });
  it('inserts the reply in place of the command and puts the caret after it', () => {
    const text = 'Hi /ref thanks';
    const slash = slashQueryAt(text, 7)!;
    expect(insertAtSlash(text, slash, 7, 'REFUND')).toEqual({ text: 'Hi REFUND thanks', caret: 9 });
  });
});
