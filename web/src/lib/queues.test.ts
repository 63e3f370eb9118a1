import { describe, expect, it } from 'vitest';
import type { Case } from '../api/types';
import { QUEUES, isOpen, sortCases } from './queues';

function kase(number: number, updated: string, priority: Case['priority'] = 'normal', status: Case['status'] = 'open'): Case {
  return {
    id: number, number, customer_id: 1, subject: `s${number}`, status, priority, category: '', level: 1,
    owner: null, channel: 'web', opened_at: `2026-11-${String(number).padStart(2, '0')}T00:00:00.000000Z`,
    updated_at: updated, first_response_at: null,
    counts: { customer_messages: 1, staff_replies: 0, transfers: 0 },
  };
}

describe('sortCases', () => {
  const cases = [
    kase(1, '2026-11-30T10:00:00.000000Z', 'low'),
    kase(2, '2026-11-30T12:00:00.000000Z', 'urgent'),
    kase(3, '2026-11-30T11:00:00.000000Z', 'urgent'),
  ];
  it('sorts by last update, newest first or oldest first', () => {
    expect(sortCases(cases, 'updated', 'desc').map((c) => c.number)).toEqual([2, 3, 1]);
    expect(sortCases(cases, 'updated', 'asc').map((c) => c.number)).toEqual([1, 3, 2]);
  });
  it('sorts by priority and breaks ties by the latest update', () => {
    expect(sortCases(cases, 'priority', 'desc').map((c) => c.number)).toEqual([2, 3, 1]);
  });
  it('does not reorder its input', () => {
    sortCases(cases, 'opened', 'desc');
    expect(cases.map((c) => c.number)).toEqual([1, 2, 3]);
  });
});

describe('queues', () => {
  const me = { role: 'agent' as const, id: 7, name: 'Priya', level: 1 };
  it('asks the server for my cases and for unowned cases', () => {
    expect(QUEUES.find((q) => q.id === 'mine')!.filter(me)).toEqual({ owner: 7 });
    expect(QUEUES.find((q) => q.id === 'unassigned')!.filter(me)).toEqual({ owner: 'none' });
  });
  it('keeps only cases not yet solved', () => {
    expect(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']
      .filter((s) => isOpen(kase(1, '', 'low', s as Case['status'])))).toEqual(['new', 'open', 'pending', 'on_hold']);
  });
});
