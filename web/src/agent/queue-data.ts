// Loads the queues. With the server's queues: the counts from GET /api/v1/queues and the
// cases of the shown queue, in due order. Without them (404): every fallback queue read to
// the end (at most QUEUE_CAP cases, shown as "1000+"), so each tab still has a count.
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import { collect } from '../api/pagination';
import type { Case, Me } from '../api/types';
import { availableQueues, type QueueDefinition, queueFilter, type QueueId } from '../lib/queues';

export const QUEUE_CAP = 1000;

export interface QueueContents {
  cases: Case[];
  complete: boolean;
}

export interface QueueData {
  /** The queue these cases belong to (a tab switch shows nothing stale while loading). */
  shownId: QueueId;
  /** True when the server has queues (and counts). */
  serverQueues: boolean;
  /** Count per queue; a queue without a known count is absent. */
  counts: Partial<Record<QueueId, { count: number; complete: boolean }>>;
  /** The shown queue's cases; null when this server cannot list that queue. */
  shown: QueueContents | null;
}

async function listQueue(api: ApiClient, me: Me, queue: QueueDefinition, serverQueues: boolean): Promise<QueueContents | null> {
  const filter = queueFilter(queue, me, serverQueues);
  if (!filter) return null;
  const { items, complete } = await collect((cursor) => api.listCases(filter, cursor), QUEUE_CAP);
  return { cases: items.filter(queue.keep), complete };
}

async function serverCounts(api: ApiClient): Promise<Record<string, number> | null> {
  try {
    const { queues } = await api.queueCounts();
    return Object.fromEntries(queues.map((q) => [q.id, q.count]));
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return null;
    throw error;
  }
}

export async function loadQueues(api: ApiClient, me: Me, shownId: QueueId): Promise<QueueData> {
  const counts = await serverCounts(api);
  const serverQueues = counts !== null;
  const queues = availableQueues(serverQueues);
  const shownQueue = queues.find((q) => q.id === shownId);
  if (serverQueues) {
    const shown = shownQueue ? await listQueue(api, me, shownQueue, true) : null;
    const result: QueueData = { shownId, serverQueues, counts: {}, shown };
    for (const q of queues) {
      if (q.server && counts[q.server] !== undefined) result.counts[q.id] = { count: counts[q.server], complete: true };
    }
    if (shown && shownQueue && !shownQueue.server) {
      result.counts[shownQueue.id] = { count: shown.cases.length, complete: shown.complete };
    }
    return result;
  }
  const all = await Promise.all(queues.map(async (q) => [q.id, await listQueue(api, me, q, false)] as const));
  const result: QueueData = { shownId, serverQueues, counts: {}, shown: null };
  for (const [id, contents] of all) {
    if (!contents) continue;
    result.counts[id] = { count: contents.cases.length, complete: contents.complete };
    if (id === shownId) result.shown = contents;
  }
  return result;
}

export function countLabel(count: { count: number; complete: boolean } | undefined): string | null {
  if (!count) return null;
  return count.complete ? String(count.count) : `${count.count}+`;
}
