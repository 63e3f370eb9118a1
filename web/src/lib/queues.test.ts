import { describe, expect, it } from 'vitest';
import type { Case } from '../api/types';
import { availableQueues, isOpen, queueById, queueFilter, sortCases } from './queues';

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
  it('sorts by due time, soonest first, with undated cases last either way', () => {
    const due = (c: Case, at: string | null) => ({ ...c, escalation: at === null ? undefined : { next_step_due: at } as Case['escalation'] });
    const list = [due(cases[0], '2026-12-02T00:00:00Z'), due(cases[1], null), due(cases[2], '2026-12-01T00:00:00Z')];
    expect(sortCases(list, 'due', 'asc').map((c) => c.number)).toEqual([3, 1, 2]);
    expect(sortCases(list, 'due', 'desc').map((c) => c.number)).toEqual([1, 3, 2]);
  });
  it('does not reorder its input', () => {
    sortCases(cases, 'opened', 'desc');
    expect(cases.map((c) => c.number)).toEqual([1, 2, 3]);
  });
});

describe('queues', () => {
  const me = { role: 'agent' as const, id: 7, name: 'Priya', level: 1 };
  it('asks for the server queues in due order when the server has them', () => {
    expect(queueFilter(queueById('mine')!, me, true)).toEqual({ queue: 'mine', sort: 'due' });
    expect(queueFilter(queueById('breaching_soon')!, me, true)).toEqual({ queue: 'breaching_soon', sort: 'due' });
    expect(queueFilter(queueById('open')!, me, true)).toEqual({});
  });
  it('falls back to owner filters without them, and has no level or breaching queues then', () => {
    expect(queueFilter(queueById('mine')!, me, false)).toEqual({ owner: 7 });
    expect(queueFilter(queueById('unassigned')!, me, false)).toEqual({ owner: 'none' });
    expect(queueFilter(queueById('my_level')!, me, false)).toBeNull();
    expect(availableQueues(false).map((q) => q.id)).toEqual(['mine', 'unassigned', 'open']);
    expect(availableQueues(true).map((q) => q.id)).toEqual(['mine', 'my_level', 'breaching_soon', 'unassigned', 'open']);
  });
  it('keeps only cases not yet solved', () => {
    expect(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']
      .filter((s) => isOpen(kase(1, '', 'low', s as Case['status'])))).toEqual(['new', 'open', 'pending', 'on_hold']);
  });
});
