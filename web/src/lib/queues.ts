// The agent's queues and how a list of cases is sorted.
//
// With the escalation engine the server has the queues (`?queue=` and `sort=due`, counts
// from GET /api/v1/queues): mine, my level, breaching soon, unassigned. Without it (the
// counts route answers 404) the console falls back to the filters the case list has always
// had — owner and status — and keeps the open statuses here; "my level" and "breaching
// soon" then do not exist. "All open" is always the client's own filter.
import type { Case, CaseFilter, CaseStatus, Me, QueueName } from '../api/types';

export type QueueId = QueueName | 'open';

export interface QueueDefinition {
  id: QueueId;
  title: string;
  /** The server's queue name; undefined for the client's own "all open". */
  server?: QueueName;
  /** What to ask the server without its queues (undefined: not available then). */
  fallback?: (me: Me) => CaseFilter;
  /** What the client keeps of the server's answer. */
  keep: (c: Case) => boolean;
}

const OPEN_STATUSES: ReadonlySet<CaseStatus> = new Set(['new', 'open', 'pending', 'on_hold']);

export function isOpen(c: Case): boolean {
  return OPEN_STATUSES.has(c.status);
}

export const QUEUES: readonly QueueDefinition[] = [
  { id: 'mine', title: 'Mine', server: 'mine', fallback: (me) => ({ owner: me.id }), keep: isOpen },
  { id: 'my_level', title: 'My level', server: 'my_level', keep: isOpen },
  { id: 'breaching_soon', title: 'Breaching soon', server: 'breaching_soon', keep: isOpen },
  { id: 'unassigned', title: 'Unassigned', server: 'unassigned', fallback: () => ({ owner: 'none' }), keep: isOpen },
  { id: 'open', title: 'All open', fallback: () => ({}), keep: isOpen },
];

export function queueById(id: string): QueueDefinition | undefined {
  return QUEUES.find((q) => q.id === id);
}

/** The queues a console shows: all of them with the server's queues, else the fallbacks. */
export function availableQueues(serverQueues: boolean): QueueDefinition[] {
  return QUEUES.filter((q) => serverQueues || q.fallback !== undefined);
}

/** What to ask the server for one queue. */
export function queueFilter(queue: QueueDefinition, me: Me, serverQueues: boolean): CaseFilter | null {
  if (serverQueues && queue.server) return { queue: queue.server, sort: 'due' };
  return queue.fallback ? queue.fallback(me) : null;
}

export type SortKey = 'due' | 'updated' | 'opened' | 'priority';
export type SortDirection = 'desc' | 'asc';

const PRIORITY_RANK: Record<string, number> = { urgent: 3, high: 2, normal: 1, low: 0 };

/** When the company's next step on the case is due, if the server says. */
export function dueOf(c: Case): string | null {
  return c.escalation?.next_step_due ?? null;
}

function compare(a: Case, b: Case, key: SortKey): number {
  switch (key) {
    case 'due': {
      // Cases without a due time go last whichever the direction.
      const da = dueOf(a);
      const db = dueOf(b);
      if (da === null || db === null) return 0;
      return da.localeCompare(db);
    }
    case 'updated': return a.updated_at.localeCompare(b.updated_at);
    case 'opened': return a.opened_at.localeCompare(b.opened_at);
    case 'priority': return (PRIORITY_RANK[a.priority] ?? 0) - (PRIORITY_RANK[b.priority] ?? 0);
  }
}

/**
 * Sorts a copy. Ties fall back to the most recently updated, then the case number, so the
 * order is stable between refreshes. (Timestamps are fixed-width RFC 3339 UTC, so string
 * order is time order.) By due time, cases with no due time come last.
 */
export function sortCases(cases: readonly Case[], key: SortKey, direction: SortDirection): Case[] {
  const sign = direction === 'desc' ? -1 : 1;
  const undated = (c: Case) => (key === 'due' && dueOf(c) === null ? 1 : 0);
  return [...cases].sort((a, b) =>
    undated(a) - undated(b) ||
    sign * compare(a, b, key) ||
    -a.updated_at.localeCompare(b.updated_at) ||
    b.number - a.number);
}
