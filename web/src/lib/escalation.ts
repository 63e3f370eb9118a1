// Reading the escalation part of a case view (docs/escalation.md) for people: the next step
// and its due time, the ladder, the SLA clocks, promises, decisions, and money in minor
// units. Pure functions, so the words and the edge cases are tested without a browser.
import type { Case, EscalationView, Ladder, PromiseView, SlaView } from '../api/types';
import { type DateOptions, formatDateTime, parseTimestamp } from './dates';

/** The ladder, whether the server nests it (`ladder`) or flattens it (API_CONTRACT.md). */
export function ladderOf(view: EscalationView): Ladder {
  if (view.ladder) return view.ladder;
  return {
    next_level: view.next_level ?? null,
    may_escalate_now: view.may_escalate_now ?? false,
    may_escalate_from: view.may_escalate_from ?? null,
    note: view.escalation_note ?? '',
  };
}

/** The escalation view of a case, or null when the server has no escalation engine. */
export function escalationOf(kase: Case): EscalationView | null {
  const view = kase.escalation;
  return view && typeof view === 'object' && view.level ? view : null;
}

const NEXT_STEP_WORDS: Record<string, string> = {
  first_response: 'First reply',
  next_update: 'Next update',
  resolution: 'Resolution',
  promise: 'A promise falls due',
};

export function nextStepLabel(step: string): string {
  return NEXT_STEP_WORDS[step] ?? (step ? step.replace(/_/g, ' ') : 'Next step');
}

/**
 * The one line that answers "what happens next, and by when?". Never a pending state
 * without a date: when the server gives none, the sentence says why there is none.
 */
export function nextStepSentence(view: EscalationView, status: string, options: DateOptions = {}): string {
  if (view.waiting_for_customer) return 'We are waiting for your reply. Nothing is due from us until you write.';
  if (view.next_step_due) {
    const when = formatDateTime(view.next_step_due, options);
    const what = nextStepLabel(view.next_step);
    return view.overdue ? `${what} was due ${when}: it is late.` : `${what} due by ${when}.`;
  }
  if (status === 'solved' || status === 'closed') return 'Nothing is pending: the case is finished.';
  return 'Nothing is due from us right now.';
}

/** "Level 2 · Escalations team" */
export function levelName(level: { level: number; name: string }): string {
  return level.name ? `Level ${level.level} · ${level.name}` : `Level ${level.level}`;
}

export type EscalateState =
  | { kind: 'now' }
  | { kind: 'later'; from: string; note: string }
  | { kind: 'never'; note: string };

/** Whether the customer may escalate, and if not, from when (or why never). */
export function escalateState(view: EscalationView): EscalateState {
  const ladder = ladderOf(view);
  if (ladder.next_level === null) return { kind: 'never', note: ladder.note || 'This case is at the highest level.' };
  if (ladder.may_escalate_now) return { kind: 'now' };
  if (ladder.may_escalate_from) return { kind: 'later', from: ladder.may_escalate_from, note: ladder.note };
  return { kind: 'never', note: ladder.note || 'Escalation is not open for this case now.' };
}

export const OUTCOME_LABELS: Record<string, string> = {
  approved: 'Approved',
  partly_approved: 'Partly approved',
  denied: 'Denied',
  cannot_resolve: 'We cannot resolve this',
};

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome] ?? outcome.replace(/_/g, ' ');
}

export const PROMISE_STATUS_LABELS: Record<string, string> = {
  open: 'Open', kept: 'Kept', broken: 'Broken',
};

const PROMISE_ORDER: Record<string, number> = { open: 0, broken: 1, kept: 2 };

/** Open promises first (soonest due first), then broken, then kept. */
export function sortPromises(promises: readonly PromiseView[]): PromiseView[] {
  return [...promises].sort((a, b) =>
    (PROMISE_ORDER[a.status] ?? 3) - (PROMISE_ORDER[b.status] ?? 3) ||
    a.due_at.localeCompare(b.due_at) || a.id - b.id);
}

export const SLA_CLOCK_LABELS: Record<string, string> = {
  first_response: 'First response',
  next_update: 'Next update',
  resolution: 'Resolution',
};

export interface SlaClock {
  name: string;
  label: string;
  due: string;
  /** Past due now (whether or not the server has recorded the breach yet). */
  overdue: boolean;
  breached: boolean;
}

/** The running SLA clocks, soonest first; a clock that is not running (null) is left out. */
export function slaClocks(sla: SlaView, now: Date): SlaClock[] {
  const clocks: SlaClock[] = [];
  const add = (name: string, due: string | null) => {
    if (!due) return;
    clocks.push({
      name, label: SLA_CLOCK_LABELS[name] ?? name, due,
      overdue: parseTimestamp(due).getTime() < now.getTime(),
      breached: sla.breached.includes(name),
    });
  };
  add('first_response', sla.first_response_due);
  add('next_update', sla.next_update_due);
  add('resolution', sla.resolution_due);
  return clocks.sort((a, b) => a.due.localeCompare(b.due));
}

function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 123450 INR → "₹1,234.50" in the viewer's locale. */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const digits = fractionDigits(currency);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/**
 * "1,234.50" → 123450 (minor units of `currency`). Commas and spaces group digits; at most
 * the currency's fraction digits after the point. Null for anything else, or zero.
 */
export function parseMoney(text: string, currency: string): number | null {
  const digits = fractionDigits(currency);
  const cleaned = text.trim().replace(/[,\s]/g, '');
  const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return minor > 0 && Number.isSafeInteger(minor) ? minor : null;
}

/** A `<input type="datetime-local">` value, read in the viewer's zone, as RFC 3339 UTC. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The datetime-local value for `date` in the viewer's zone (the min of a due-date field). */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
