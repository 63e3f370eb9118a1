// One timeline of everything that happened to a case, built from its event log.
//
// The log's `seq` is the order of truth (timestamps can tie, and a page of events fetched
// after a reply may overlap the events the reply returned), so entries are merged by seq,
// de-duplicated, and grouped into days in the viewer's time zone. Each entry says what kind
// of thing it is; anything the server marks `internal` is an internal entry whatever its
// type, so a future internal event type can never be drawn as if the customer saw it.
import type { CaseEvent } from '../api/types';
import { type DateOptions, dayKey, formatDay } from './dates';
import { priorityLabel, statusLabel } from './labels';

export type EntryKind =
  | 'opened'          // the first message, which opened the case
  | 'customer'        // a message from the customer
  | 'reply'           // a public reply from staff
  | 'note'            // an internal note
  | 'change'          // assignment, status, priority or category
  | 'other';          // an event type this version does not know

export interface TimelineEntry {
  seq: number;
  at: string;
  kind: EntryKind;
  internal: boolean;
  actorName: string;
  channel: string;
  /** One line saying what happened ("Priya assigned the case to Ravi"). */
  summary: string;
  /** Message text, when the event carries one. */
  body?: string;
  /** Further labelled facts (reason, hand-off note). */
  details: { label: string; text: string }[];
  event: CaseEvent;
}

export interface TimelineDay {
  key: string;
  heading: string;
  entries: TimelineEntry[];
}

/** Adds `incoming` to `existing`, keeping one event per seq, ordered by seq. */
export function mergeEvents(existing: readonly CaseEvent[], incoming: readonly CaseEvent[]): CaseEvent[] {
  const bySeq = new Map<number, CaseEvent>();
  for (const event of existing) bySeq.set(event.seq, event);
  for (const event of incoming) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function text(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function kindOf(event: CaseEvent): EntryKind {
  if (event.visibility === 'internal') return event.type === 'internal_note' ? 'note' : 'other';
  switch (event.type) {
    case 'case_opened': return 'opened';
    case 'message_received': return 'customer';
    case 'reply_sent': return 'reply';
    case 'internal_note': return 'note';
    case 'assigned':
    case 'status_changed':
    case 'priority_changed':
    case 'category_changed':
      return 'change';
    default: return 'other';
  }
}

function summarize(event: CaseEvent, kind: EntryKind): string {
  const who = event.actor.name || 'Redress';
  const d = event.data;
  switch (event.type) {
    case 'case_opened': return `${who} opened the case`;
    case 'message_received': return `${who} wrote`;
    case 'reply_sent': return `${who} replied`;
    case 'internal_note': return `${who} added an internal note`;
    case 'assigned': {
      const to = text(d, 'owner_name') ?? `user ${text(d, 'owner_id') ?? '?'}`;
      const previous = text(d, 'previous_owner_id');
      if (previous && previous !== '0') return `${who} transferred the case to ${to}`;
      if (event.actor.kind === 'staff' && text(d, 'owner_id') === String(event.actor.id)) {
        return `${who} took the case`;
      }
      return `${who} assigned the case to ${to}`;
    }
    case 'status_changed':
      return `${who} changed the status from ${statusLabel(text(d, 'from') ?? '?')} to ${statusLabel(text(d, 'to') ?? '?')}`;
    case 'priority_changed':
      return `${who} changed the priority from ${priorityLabel(text(d, 'from') ?? '?')} to ${priorityLabel(text(d, 'to') ?? '?')}`;
    case 'category_changed':
      return `${who} changed the category from ${text(d, 'from') ?? 'none'} to ${text(d, 'to') ?? 'none'}`;
    default:
      return kind === 'note' ? `${who} added an internal note` : `${who}: ${event.type.replace(/_/g, ' ')}`;
  }
}

function detailsOf(event: CaseEvent): { label: string; text: string }[] {
  const details: { label: string; text: string }[] = [];
  const reason = text(event.data, 'reason');
  if (reason) details.push({ label: 'Reason', text: reason });
  const handoff = text(event.data, 'handoff_note');
  if (handoff) details.push({ label: 'Hand-off note', text: handoff });
  return details;
}

export function toEntry(event: CaseEvent): TimelineEntry {
  const kind = kindOf(event);
  return {
    seq: event.seq,
    at: event.at,
    kind,
    internal: event.visibility === 'internal',
    actorName: event.actor.name,
    channel: event.channel,
    summary: summarize(event, kind),
    body: text(event.data, 'body'),
    details: detailsOf(event),
    event,
  };
}

/** The timeline of a case, oldest first, in days of the viewer's calendar. */
export function buildTimeline(events: readonly CaseEvent[], options: DateOptions = {}): TimelineDay[] {
  const days: TimelineDay[] = [];
  for (const event of mergeEvents([], events)) {
    const key = dayKey(event.at, options);
    let day = days[days.length - 1];
    if (!day || day.key !== key) {
      day = { key, heading: formatDay(event.at, options), entries: [] };
      days.push(day);
    }
    day.entries.push(toEntry(event));
  }
  return days;
}
