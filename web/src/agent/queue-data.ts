// Loads every queue's cases at once, so each tab shows its count. The API has no count
// endpoint; each queue is read to the end (at most QUEUE_CAP cases, shown as "1000+").
import type { ApiClient } from '../api/client';
import type { Case, Me } from '../api/types';
import { collect } from '../api/pagination';
import { QUEUES, type QueueId } from '../lib/queues';

export const QUEUE_CAP = 1000;

export interface QueueContents {
  cases: Case[];
  complete: boolean;
}

export type AllQueues = Record<QueueId, QueueContents>;

export async function loadQueues(api: ApiClient, me: Me): Promise<AllQueues> {
  const loaded = await Promise.all(QUEUES.map(async (queue) => {
    const filter = queue.filter(me);
    const { items, complete } = await collect((cursor) => api.listCases(filter, cursor), QUEUE_CAP);
    return [queue.id, { cases: items.filter(queue.keep), complete }] as const;
  }));
  return Object.fromEntries(loaded) as AllQueues;
}

export function countLabel(contents: QueueContents | undefined): string {
  if (!contents) return '…';
  return contents.complete ? String(contents.cases.length) : `${contents.cases.length}+`;
}
