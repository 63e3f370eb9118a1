// The agent's queues and how a list of cases is sorted.
//
// The API filters by owner and by one status; "open" means any status before solved, so
// the queues ask the server for the owner filter and keep the open statuses here.
// When escalation lands, "my level" and "breaching soon" are added here with a `due` sort.
import type { Case, CaseFilter, CaseStatus, Me } from '../api/types';

export type QueueId = 'mine' | 'unassigned' | 'open';

export interface QueueDefinition {
  id: QueueId;
  title: string;
  /** What the server should filter. */
  filter: (me: Me) => CaseFilter;
  /** What the client keeps of the server's answer. */
  keep: (c: Case) => boolean;
}

const OPEN_STATUSES: ReadonlySet<CaseStatus> = new Set(['new', 'open', 'pending', 'on_hold']);

export function isOpen(c: Case): boolean {
  return OPEN_STATUSES.has(c.status);
}

export const QUEUES: readonly QueueDefinition[] = [
  { id: 'mine', title: 'Mine', filter: (me) => ({ owner: me.id }), keep: isOpen },
  { id: 'unassigned', title: 'Unassigned', filter: () => ({ owner: 'none' }), keep: isOpen },
  { id: 'open', title: 'All open', filter: () => ({}), keep: isOpen },
];

export function queueById(id: string): QueueDefinition | undefined {
  return QUEUES.find((q) => q.id === id);
}

export type SortKey = 'updated' | 'opened' | 'priority';
export type SortDirection = 'desc' | 'asc';

const PRIORITY_RANK: Record<string, number> = { urgent: 3, high: 2, normal: 1, low: 0 };

function compare(a: Case, b: Case, key: SortKey): number {
  switch (key) {
    case 'updated': return a.updated_at.localeCompare(b.updated_at);
    case 'opened': return a.opened_at.localeCompare(b.opened_at);
    case 'priority': return (PRIORITY_RANK[a.priority] ?? 0) - (PRIORITY_RANK[b.priority] ?? 0);
  }
}

/**
 * Sorts a copy. Ties fall back to the most recently updated, then the case number, so the
 * order is stable between refreshes. (Timestamps are fixed-width RFC 3339 UTC, so string
 * order is time order.)
 */
export function sortCases(cases: readonly Case[], key: SortKey, direction: SortDirection): Case[] {
  const sign = direction === 'desc' ? -1 : 1;
  return [...cases].sort((a, b) =>
    sign * compare(a, b, key) ||
    -a.updated_at.localeCompare(b.updated_at) ||
    b.number - a.number);
}
