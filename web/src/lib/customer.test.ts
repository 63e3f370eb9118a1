import { describe, expect, it } from 'vitest';
import type { Case } from '../api/types';
import { splitCases } from './customer';

const kase = (id: number, status: Case['status'], updated: string) => ({ id, status, updated_at: updated }) as Case;

describe('splitCases', () => {
  it('leaves out the current case and splits open from past, newest first', () => {
    const cases = [
      kase(1, 'closed', '2026-01-01T00:00:00Z'),
      kase(2, 'open', '2026-01-02T00:00:00Z'),
      kase(3, 'pending', '2026-01-05T00:00:00Z'),
      kase(4, 'solved', '2026-01-04T00:00:00Z'),
      kase(5, 'new', '2026-01-09T00:00:00Z'),
    ];
    const { open, past } = splitCases(cases, 5);
    expect(open.map((c) => c.id)).toEqual([3, 2]);
    expect(past.map((c) => c.id)).toEqual([4, 1]);
  });
});
