import { describe, expect, it } from 'vitest';
import type { CaseEvent, EscalationView, SlaView } from '../api/types';
import {
  escalateState, escalationOf, formatMoney, ladderOf, localInputToIso, nextStepSentence, parseMoney,
  slaClocks, sortPromises,
} from './escalation';
import { buildTimeline, evidencePhotos } from './timeline';

const IST = { timeZone: 'Asia/Kolkata', locale: 'en-GB' };

function view(extra: Partial<EscalationView> = {}): EscalationView {
  return {
    level: { level: 1, name: 'Customer care', contact: '' },
    owner_name: 'Priya',
    next_step_due: '2026-12-02T06:30:00.000000Z',
    next_step: 'first_response',
    overdue: false,
    waiting_for_customer: false,
    promises: [],
    decision: null,
    ladder: { next_level: { level: 2, name: 'Escalations', contact: '' }, may_escalate_now: false, may_escalate_from: '2026-12-03T06:30:00.000000Z', note: 'after the first response is due' },
    external_routes: [],
    escalations: 0,
    ...extra,
  };
}

describe('next step', () => {
  it('always gives a date when one is due, in the viewer zone', () => {
    expect(nextStepSentence(view(), 'open', IST)).toBe('First reply due by 2 Dec 2026, 12:00.');
    expect(nextStepSentence(view({ overdue: true, next_step: 'next_update' }), 'open', IST))
      .toBe('Next update was due 2 Dec 2026, 12:00: it is late.');
  });

  it('says why there is no date when none is due', () => {
    expect(nextStepSentence(view({ waiting_for_customer: true, next_step_due: null }), 'pending', IST))
      .toMatch(/waiting for your reply/);
    expect(nextStepSentence(view({ next_step_due: null }), 'solved', IST)).toMatch(/finished/);
  });
});

describe('ladder', () => {
  it('reads the nested and the flat shape alike', () => {
    const nested = view();
    const flat = view({ ladder: undefined, next_level: nested.ladder!.next_level, may_escalate_now: true, may_escalate_from: null, escalation_note: '' });
    expect(ladderOf(nested).may_escalate_from).toBe('2026-12-03T06:30:00.000000Z');
    expect(ladderOf(flat)).toEqual({ next_level: nested.ladder!.next_level, may_escalate_now: true, may_escalate_from: null, note: '' });
  });

  it('tells now, later (from when) and never apart', () => {
    expect(escalateState(view())).toEqual({ kind: 'later', from: '2026-12-03T06:30:00.000000Z', note: 'after the first response is due' });
    expect(escalateState(view({ ladder: { next_level: { level: 2, name: 'E', contact: '' }, may_escalate_now: true, may_escalate_from: null, note: '' } }))).toEqual({ kind: 'now' });
    expect(escalateState(view({ ladder: { next_level: null, may_escalate_now: false, may_escalate_from: null, note: '' } })).kind).toBe('never');
  });

  it('finds no escalation on a server without the engine', () => {
    const kase = { escalation: undefined } as unknown as Parameters<typeof escalationOf>[0];
    expect(escalationOf(kase)).toBeNull();
    expect(escalationOf({ ...kase, escalation: null })).toBeNull();
  });
});

describe('promises and clocks', () => {
  it('lists open promises first, soonest due first, then broken, then kept', () => {
    const p = (id: number, status: string, due: string) => ({ id, what: `p${id}`, due_at: due, made_by: 'P', status, settled_at: null, overdue: false });
    const sorted = sortPromises([p(1, 'kept', '2026-01-01'), p(2, 'open', '2026-03-01'), p(3, 'broken', '2026-01-01'), p(4, 'open', '2026-02-01')]);
    expect(sorted.map((x) => x.id)).toEqual([4, 2, 3, 1]);
  });

  it('lists running SLA clocks soonest first and marks the overdue and breached ones', () => {
    const sla: SlaView = { first_response_due: null, next_update_due: '2026-12-02T10:00:00.000000Z', resolution_due: '2026-12-01T10:00:00.000000Z', breached: ['resolution'], paused: false };
    const clocks = slaClocks(sla, new Date('2026-12-01T12:00:00Z'));
    expect(clocks.map((c) => [c.name, c.overdue, c.breached])).toEqual([['resolution', true, true], ['next_update', false, false]]);
  });
});

describe('money', () => {
  it('formats minor units in the currency', () => {
    expect(formatMoney(123450, 'INR', 'en-IN')).toBe('₹1,234.50');
    expect(formatMoney(500, 'JPY', 'en-GB')).toBe('JP¥500');
  });

  it('parses what a person types into minor units, and refuses the rest', () => {
    expect(parseMoney('1,234.5', 'INR')).toBe(123450);
    expect(parseMoney(' 500 ', 'INR')).toBe(50000);
    expect(parseMoney('0.01', 'INR')).toBe(1);
    expect(parseMoney('1.234', 'INR')).toBeNull();
    expect(parseMoney('-5', 'INR')).toBeNull();
    expect(parseMoney('0', 'INR')).toBeNull();
    expect(parseMoney('abc', 'INR')).toBeNull();
  });
});

describe('localInputToIso', () => {
  it('turns a datetime-local value into RFC 3339 and refuses junk', () => {
    expect(localInputToIso('2026-12-03T17:00')).toMatch(/^2026-12-0\dT\d\d:00:00\.000Z$/);
    expect(localInputToIso('tomorrow')).toBeNull();
  });
});

let seq = 0;
function ev(type: string, data: Record<string, unknown>, actor: CaseEvent['actor'] = { kind: 'staff', id: 7, name: 'Priya' }): CaseEvent {
  seq += 1;
  return { seq, type, at: `2026-12-01T0${seq % 10}:00:00.000000Z`, actor, channel: 'web', visibility: 'public', data, prev_hash: '', hash: '' };
}

describe('escalation events in the timeline', () => {
  it('says in words what each escalation event means', () => {
    const customer = { kind: 'customer' as const, id: 3, name: 'Asha Rao' };
    const system = { kind: 'system' as const, id: 0, name: '' };
    const events = [
      ev('escalated', { trigger: 'customer_request', to_level: 2, to_level_name: 'Escalations', owner_name: 'Ravi', reason: 'Third refusal', evidence: ['data:image/png;base64,AAAA'] }, customer),
      ev('promise_made', { promise_id: 5, what: 'Refund the cashback', due_at: '2026-12-04T12:30:00.000000Z' }),
      ev('promise_broken', { promise_id: 5, automatic: true }, system),
      ev('escalated', { trigger: 'broken_promise', to_level: 3, to_level_name: 'Grievance officer' }, system),
      ev('decision_made', { outcome: 'partly_approved', reason: 'Half was used', next_step: 'Appeal to level 4' }),
      ev('decision_appealed', { reason: 'Not fair' }, customer),
      ev('credit_requested', { credit_id: 9, amount_minor: 250000, currency: 'INR', approver_level: 3, approver_level_name: 'Grievance officer' }),
      ev('credit_approved', { credit_id: 9, amount_minor: 250000, currency: 'INR' }),
      ev('credit_denied', { credit_id: 9 }),
      ev('sla_breached', { clock: 'next_update', due_at: '2026-12-05T04:30:00.000000Z' }, system),
      ev('thread_token_mismatch', {}, system),
      ev('channel_linked', {}),
      ev('promise_kept', { promise_id: 5, note: 'paid' }),
    ];
    const entries = buildTimeline(events, { ...IST, locale: 'en-IN' }).flatMap((d) => d.entries);
    expect(entries.map((e) => e.summary)).toEqual([
      'Asha Rao escalated the case to level 2 (Escalations)',
      'Priya promised: Refund the cashback',
      'A promise was broken: Refund the cashback',
      'The case was escalated to level 3 (Grievance officer) because a promise was broken',
      'Priya decided: Partly approved',
      'Asha Rao appealed the decision',
      'Priya asked for a goodwill credit of ₹2,500.00, to be approved by Grievance officer',
      'A goodwill credit of ₹2,500.00 was approved by Priya',
      'The goodwill credit of ₹2,500.00 was denied by Priya',
      'The next update deadline was missed',
      'An email reply came with an altered reference; it was still filed in this case',
      'Priya linked another channel to this case',
      'Priya kept the promise: Refund the cashback',
    ]);
    expect(entries.map((e) => e.kind)).toEqual(['escalation', 'promise', 'promise', 'escalation', 'decision', 'escalation',
      'credit', 'credit', 'credit', 'escalation', 'linking', 'linking', 'promise']);
    expect(entries[0].details).toEqual([
      { label: 'Reason', text: 'Third refusal' }, { label: 'Now handled by', text: 'Ravi' }, { label: 'Evidence', text: 'a photo (image/png)' }]);
    expect(entries[1].details).toEqual([{ label: 'Due by', text: '4 Dec 2026, 6:00 pm' }]);
    expect(entries[4].details).toEqual([{ label: 'Reason', text: 'Half was used' }, { label: 'Next step', text: 'Appeal to level 4' }]);
    expect(evidencePhotos(events[0])).toEqual(['data:image/png;base64,AAAA']);
  });
});
