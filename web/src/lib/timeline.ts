// One timeline of everything that happened to a case, built from its event log.
//
// The log's `seq` is the order of truth (timestamps can tie, and a page of events fetched
// after a reply may overlap the events the reply returned), so entries are merged by seq,
// de-duplicated, and grouped into days in the viewer's time zone. Each entry says what kind
// of thing it is; anything the server marks `internal` is an internal entry whatever its
// type, so a future internal event type can never be drawn as if the customer saw it.
import type { CaseEvent } from '../api/types';
import { type DateOptions, dayKey, formatDateTime, formatDay } from './dates';
import { formatMoney, outcomeLabel, SLA_CLOCK_LABELS } from './escalation';
import { priorityLabel, statusLabel } from './labels';

export type EntryKind =
  | 'opened'          // the first message, which opened the case
  | 'customer'        // a message from the customer
  | 'reply'           // a public reply from staff
  | 'note'            // an internal note
  | 'change'          // assignment, status, priority or category
  | 'escalation'      // escalated, an appeal, a missed SLA deadline
  | 'promise'         // a promise made, kept or broken
  | 'decision'        // a decision with its reason and the customer's next step
  | 'credit'          // goodwill credit requested, approved or denied
  | 'linking'         // email threading and channel linking
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

const KINDS: Record<string, EntryKind> = {
  case_opened: 'opened',
  message_received: 'customer',
  reply_sent: 'reply',
  internal_note: 'note',
  assigned: 'change',
  status_changed: 'change',
  priority_changed: 'change',
  category_changed: 'change',
  escalated: 'escalation',
  decision_appealed: 'escalation',
  sla_breached: 'escalation',
  promise_made: 'promise',
  promise_kept: 'promise',
  promise_broken: 'promise',
  decision_made: 'decision',
  credit_requested: 'credit',
  credit_approved: 'credit',
  credit_denied: 'credit',
  thread_token_mismatch: 'linking',
  channel_linked: 'linking',
};

function kindOf(event: CaseEvent): EntryKind {
  if (event.visibility === 'internal') return event.type === 'internal_note' ? 'note' : 'other';
  return KINDS[event.type] ?? 'other';
}

const TRIGGER_WORDS: Record<string, string> = {
  customer_request: 'at the customer\'s request',
  manual: 'by hand',
  sla_breach: 'because a deadline was missed',
  sla_breached: 'because a deadline was missed',
  repeat_contact: 'because the customer had to get in touch again',
  broken_promise: 'because a promise was broken',
  promise_broken: 'because a promise was broken',
  appeal: 'because the decision was appealed',
  public_post: 'because of a public post',
  value_tier: 'because of the customer\'s tier',
  keyword: 'because of what the message said',
};

/**
 * What earlier events said, for later ones that only carry an id: "promise 3 kept" reads
 * better as "Promise kept: refund the cashback".
 */
export interface TimelineMemory {
  promises: Map<string, string>;
  credits: Map<string, string>;
}

export function newMemory(): TimelineMemory {
  return { promises: new Map(), credits: new Map() };
}

function money(d: Record<string, unknown>, options: DateOptions): string {
  const amount = d.amount_minor ?? d.amount;
  const currency = text(d, 'currency') ?? 'INR';
  return typeof amount === 'number' ? formatMoney(amount, currency, options.locale) : 'an amount';
}

function remember(event: CaseEvent, memory: TimelineMemory, options: DateOptions): void {
  const d = event.data;
  const id = text(d, 'promise_id');
  if (event.type === 'promise_made' && id) memory.promises.set(id, text(d, 'what') ?? `promise ${id}`);
  const credit = text(d, 'credit_id');
  if (event.type === 'credit_requested' && credit) memory.credits.set(credit, money(d, options));
}

function summarize(event: CaseEvent, kind: EntryKind, memory: TimelineMemory, options: DateOptions): string {
  const who = event.actor.kind === 'system' ? 'Redress' : (event.actor.name || 'Redress');
  const d = event.data;
  const promise = () => {
    const id = text(d, 'promise_id') ?? '?';
    return memory.promises.get(id) ?? `promise ${id}`;
  };
  const credit = () => {
    const id = text(d, 'credit_id') ?? '?';
    return d.amount_minor !== undefined ? money(d, options) : (memory.credits.get(id) ?? `credit ${id}`);
  };
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
    case 'escalated': {
      const to = text(d, 'to_level') ?? '?';
      const name = text(d, 'to_level_name');
      const level = name ? `level ${to} (${name})` : `level ${to}`;
      const trigger = event.actor.kind === 'customer' ? undefined : TRIGGER_WORDS[text(d, 'trigger') ?? ''];
      const by = event.actor.kind === 'system' ? 'The case was escalated' : `${who} escalated the case`;
      return `${by} to ${level}${trigger ? ` ${trigger}` : ''}`;
    }
    case 'promise_made': return `${who} promised: ${text(d, 'what') ?? promise()}`;
    case 'promise_kept': return `${who} kept the promise: ${promise()}`;
    case 'promise_broken': return `A promise was broken: ${promise()}`;
    case 'decision_made': return `${who} decided: ${outcomeLabel(text(d, 'outcome') ?? '?')}`;
    case 'decision_appealed': return `${who} appealed the decision`;
    case 'credit_requested': {
      const approver = text(d, 'approver_level_name') ?? (text(d, 'approver_level') ? `level ${text(d, 'approver_level')}` : '');
      return `${who} asked for a goodwill credit of ${credit()}${approver ? `, to be approved by ${approver}` : ''}`;
    }
    case 'credit_approved': return `A goodwill credit of ${credit()} was approved${event.actor.kind === 'staff' ? ` by ${who}` : ''}`;
    case 'credit_denied': return `The goodwill credit of ${credit()} was denied${event.actor.kind === 'staff' ? ` by ${who}` : ''}`;
    case 'sla_breached': {
      const clock = SLA_CLOCK_LABELS[text(d, 'clock') ?? ''] ?? (text(d, 'clock') ?? 'a').replace(/_/g, ' ');
      return `The ${clock.toLowerCase()} deadline was missed`;
    }
    case 'thread_token_mismatch':
      return 'An email reply came with an altered reference; it was still filed in this case';
    case 'channel_linked': return `${who} linked another channel to this case`;
    default:
      return kind === 'note' ? `${who} added an internal note` : `${who}: ${event.type.replace(/_/g, ' ')}`;
  }
}

function detailsOf(event: CaseEvent, options: DateOptions): { label: string; text: string }[] {
  const details: { label: string; text: string }[] = [];
  const d = event.data;
  const add = (label: string, value: string | undefined) => { if (value) details.push({ label, text: value }); };
  const at = (key: string) => {
    const value = text(d, key);
    try {
      return value ? formatDateTime(value, options) : undefined;
    } catch {
      return value;
    }
  };
  add('Reason', text(d, 'reason'));
  add('Hand-off note', text(d, 'handoff_note'));
  switch (event.type) {
    case 'escalated':
      add('Now handled by', text(d, 'owner_name'));
      break;
    case 'promise_made': add('Due by', at('due_at')); break;
    case 'promise_kept': add('Note', text(d, 'note')); break;
    case 'decision_made': {
      add('Next step', text(d, 'next_step'));
      const route = d.external_route;
      if (typeof route === 'string') add('Where to go next', route);
      else if (route && typeof route === 'object') {
        const r = route as Record<string, unknown>;
        add('Where to go next', [text(r, 'name'), text(r, 'address')].filter(Boolean).join(': '));
      }
      break;
    }
    case 'sla_breached': add('Was due', at('due_at')); break;
    default: break;
  }
  const evidence = d.evidence;
  if (Array.isArray(evidence) && evidence.length > 0) {
    add('Evidence', evidence.map((e) => (typeof e === 'string' ? evidenceName(e) : 'attachment')).join(', '));
  }
  return details;
}

const UPLOADED_EVIDENCE = /^attachment:(\d+)$/;

/** Evidence may be an upload ("attachment:17"), a file name or a data URL of a photo (older
 *  escalations); uploads and data URLs are named, not printed. */
export function evidenceName(evidence: string): string {
  if (UPLOADED_EVIDENCE.test(evidence)) return 'a photo';
  const photo = /^data:(image\/[a-z+.-]+);/.exec(evidence);
  if (photo) return `a photo (${photo[1]})`;
  return evidence.length > 120 ? `${evidence.slice(0, 117)}…` : evidence;
}

/** Photos attached as evidence, as image addresses: uploads, and data URLs of older ones. */
export function evidencePhotos(event: CaseEvent): string[] {
  const evidence = event.data.evidence;
  if (!Array.isArray(evidence)) return [];
  const photos: string[] = [];
  for (const e of evidence) {
    if (typeof e !== 'string') continue;
    const upload = UPLOADED_EVIDENCE.exec(e);
    if (upload) photos.push(`/api/v1/attachments/${upload[1]}`);
    else if (/^data:image\/(png|jpeg|webp|gif);base64,/.test(e)) photos.push(e);
  }
  return photos;
}

export function toEntry(event: CaseEvent, memory: TimelineMemory = newMemory(), options: DateOptions = {}): TimelineEntry {
  const kind = kindOf(event);
  remember(event, memory, options);
  return {
    seq: event.seq,
    at: event.at,
    kind,
    internal: event.visibility === 'internal',
    actorName: event.actor.name,
    channel: event.channel,
    summary: summarize(event, kind, memory, options),
    body: text(event.data, 'body'),
    details: detailsOf(event, options),
    event,
  };
}

/** The timeline of a case, oldest first, in days of the viewer's calendar. */
export function buildTimeline(events: readonly CaseEvent[], options: DateOptions = {}): TimelineDay[] {
  const days: TimelineDay[] = [];
  const memory = newMemory();
  for (const event of mergeEvents([], events)) {
    const key = dayKey(event.at, options);
    let day = days[days.length - 1];
    if (!day || day.key !== key) {
      day = { key, heading: formatDay(event.at, options), entries: [] };
      days.push(day);
    }
    day.entries.push(toEntry(event, memory, options));
  }
  return days;
}
