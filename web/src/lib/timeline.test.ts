import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../api/types';
import { buildTimeline, evidenceName, evidencePhotos, mergeEvents, toEntry } from './timeline';

let hash = 0;
function event(seq: number, type: string, at: string, extra: Partial<CaseEvent> = {}): CaseEvent {
  return {
    seq, type, at,
    actor: { kind: 'staff', id: 7, name: 'Priya' },
    channel: 'web',
    visibility: type === 'internal_note' ? 'internal' : 'public',
    data: {},
    prev_hash: String(hash++),
    hash: String(hash),
    ...extra,
  };
}

describe('mergeEvents', () => {
  it('orders by seq, not by time, and keeps one event per seq', () => {
    const first = [event(2, 'reply_sent', '2026-11-30T10:00:00.000000Z'), event(1, 'case_opened', '2026-11-30T10:00:00.000000Z')];
    const appended = [event(2, 'reply_sent', '2026-11-30T10:00:00.000000Z'), event(3, 'internal_note', '2026-11-30T09:00:00.000000Z')];
    expect(mergeEvents(first, appended).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

describe('toEntry', () => {
  it('marks internal notes internal and summarises them', () => {
    const entry = toEntry(event(3, 'internal_note', '2026-11-30T10:00:00.000000Z', { data: { body: 'check stock' } }));
    expect(entry).toMatchObject({ kind: 'note', internal: true, body: 'check stock', summary: 'Priya added an internal note' });
  });

  it('treats any internal event as internal, even of a type it does not know', () => {
    const entry = toEntry(event(4, 'goodwill_credit', '2026-11-30T10:00:00.000000Z', { visibility: 'internal' }));
    expect(entry.internal).toBe(true);
    expect(entry.kind).toBe('other');
  });

  it('tells a transfer from a first assignment and keeps reason and hand-off note', () => {
    const first = toEntry(event(2, 'assigned', '2026-11-30T10:00:00.000000Z', {
      data: { owner_id: 7, owner_name: 'Priya', previous_owner_id: 0 },
    }));
    expect(first.summary).toBe('Priya took the case');
    const byColleague = toEntry(event(3, 'assigned', '2026-11-30T10:00:00.000000Z', {
      data: { owner_id: 9, owner_name: 'Ravi', previous_owner_id: null },
    }));
    expect(byColleague.summary).toBe('Priya assigned the case to Ravi');
    const transfer = toEntry(event(5, 'assigned', '2026-11-30T11:00:00.000000Z', {
      data: { owner_id: 9, owner_name: 'Ravi (L2)', previous_owner_id: 7, reason: 'needs refund authority', handoff_note: 'Promised a call by Friday' },
    }));
    expect(transfer.summary).toBe('Priya transferred the case to Ravi (L2)');
    expect(transfer.details).toEqual([
      { label: 'Reason', text: 'needs refund authority' },
      { label: 'Hand-off note', text: 'Promised a call by Friday' },
    ]);
  });

  it('words status changes with readable statuses', () => {
    const entry = toEntry(event(6, 'status_changed', '2026-11-30T10:00:00.000000Z', { data: { from: 'open', to: 'on_hold' } }));
    expect(entry.summary).toBe('Priya changed the status from Open to On hold');
    expect(entry.kind).toBe('change');
  });
});

describe('buildTimeline', () => {
  it('groups events into the viewer calendar days, oldest first', () => {
    const events = [
      event(3, 'reply_sent', '2026-12-01T09:00:00.000000Z'),
      event(1, 'case_opened', '2026-11-30T17:00:00.000000Z', { actor: { kind: 'customer', id: 3, name: 'Asha' } }),
      event(2, 'message_received', '2026-11-30T20:00:00.000000Z', { actor: { kind: 'customer', id: 3, name: 'Asha' } }),
    ];
    const utc = buildTimeline(events, { timeZone: 'UTC', locale: 'en-GB' });
    expect(utc.map((d) => [d.key, d.entries.map((e) => e.seq)])).toEqual([
      ['2026-11-30', [1, 2]], ['2026-12-01', [3]],
    ]);
    expect(utc[0].heading).toMatch(/^Monday,? 30 November 2026$/);
    // 20:00 UTC is already the next day in Kolkata (UTC+5:30).
    const kolkata = buildTimeline(events, { timeZone: 'Asia/Kolkata' });
    expect(kolkata.map((d) => d.entries.map((e) => e.seq))).toEqual([[1], [2, 3]]);
  });
});

describe('escalation evidence', () => {
  it('shows uploads and small photos as images and names them instead of printing them', () => {
    const escalated = event(3, 'escalated', '2026-12-02T08:00:00.000000Z', {
      data: { evidence: ['attachment:17', 'data:image/png;base64,iVBORw0KGgo=', 'receipt.pdf', 'attachment:x', 5] },
    });
    expect(evidencePhotos(escalated)).toEqual(['/api/v1/attachments/17', 'data:image/png;base64,iVBORw0KGgo=']);
    expect(evidenceName('attachment:17')).toBe('a photo');
    expect(evidenceName('data:image/png;base64,AAAA')).toBe('a photo (image/png)');
    expect(evidenceName('receipt.pdf')).toBe('receipt.pdf');
  });
});
