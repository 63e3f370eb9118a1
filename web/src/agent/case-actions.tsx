// What staff can change on a case: status (with a reason), priority, and the owner
// (a transfer of an owned case needs a reason and a hand-off note: the server insists,
// and the form says so before it does).
import { useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../api/idempotency';
import { CASE_STATUSES, PRIORITIES, type Case, type CaseStatus, type CaseWithEvents, type Priority, type User } from '../api/types';
import { PRIORITY_LABELS, STATUS_LABELS } from '../lib/labels';
import { ErrorMessage, Field } from '../ui/common';
import { useSession } from '../ui/session';
import { useAsync } from '../ui/use-async';

type Changed = (result: CaseWithEvents) => void;

function useAction(onChanged: Changed) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  async function run(action: () => Promise<CaseWithEvents>, message: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      onChanged(await action());
      setDone(message);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, done, run };
}

export function StatusForm({ kase, onChanged }: { kase: Case; onChanged: Changed }) {
  const { api } = useSession();
  const [status, setStatus] = useState<CaseStatus>(kase.status);
  const [reason, setReason] = useState('');
  const action = useAction(onChanged);
  useEffect(() => setStatus(kase.status), [kase.status]);
  const closed = kase.status === 'closed';

  return (
    <form class="side-form" aria-labelledby="status-title" onSubmit={async (e) => {
      e.preventDefault();
      if (await action.run(() => api.setStatus(kase.id, status, reason.trim() || undefined),
        `Status is now ${STATUS_LABELS[status]}.`)) setReason('');
    }}>
      <h3 id="status-title">Status</h3>
      <Field id="status-select" label="New status">
        <select id="status-select" value={status} disabled={closed}
          onChange={(e) => setStatus(e.currentTarget.value as CaseStatus)}>
          {CASE_STATUSES.filter((s) => s !== 'new' || kase.status === 'new').map((s) => (
            <option key={s} value={s}>{STATUS_LABELS[s]}</option>
          ))}
        </select>
      </Field>
      <Field id="status-reason" label="Reason (optional)">
        <input id="status-reason" type="text" maxLength={2000} value={reason} disabled={closed}
          onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
      <ErrorMessage error={action.error} />
      <button type="submit" class="button secondary" disabled={closed || action.busy || status === kase.status}>
        Change status
      </button>
      {closed && <p class="hint">A closed case cannot change.</p>}
      <p class="action-done" role="status">{action.done}</p>
    </form>
  );
}

export function PriorityForm({ kase, onChanged }: { kase: Case; onChanged: Changed }) {
  const { api } = useSession();
  const action = useAction(onChanged);
  return (
    <div class="side-form">
      <Field id="priority-select" label="Priority">
        <select id="priority-select" value={kase.priority} disabled={action.busy || kase.status === 'closed'}
          onChange={(e) => {
            const priority = e.currentTarget.value as Priority;
            void action.run(() => api.setPriority(kase.id, priority), `Priority is now ${PRIORITY_LABELS[priority]}.`);
          }}>
          {PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p]}</option>)}
        </select>
      </Field>
      <ErrorMessage error={action.error} />
      <p class="action-done" role="status">{action.done}</p>
    </div>
  );
}

export function AssignForm({ kase, onChanged, focusRequest }: {
  kase: Case;
  onChanged: Changed;
  /** Changes whenever the `a` shortcut asks for this form. */
  focusRequest: number;
}) {
  const { api, me } = useSession();
  const users = useAsync(() => api.listUsers(), [api]);
  const [ownerId, setOwnerId] = useState<string>('');
  const [reason, setReason] = useState('');
  const [handoff, setHandoff] = useState('');
  const action = useAction(onChanged);
  const select = useRef<HTMLSelectElement>(null);
  const key = useRef<string | null>(null);

  useEffect(() => {
    if (focusRequest > 0) {
      select.current?.focus();
      select.current?.scrollIntoView({ block: 'center' });
    }
  }, [focusRequest]);

  const active = (users.data?.items ?? []).filter((u: User) => u.active && u.id !== kase.owner?.id);
  const transfer = kase.owner !== null;

  return (
    <form class="side-form" aria-labelledby="assign-title" onSubmit={async (e) => {
      e.preventDefault();
      if (!ownerId) return;
      key.current ??= newIdempotencyKey();
      const ok = await action.run(() => api.assign(kase.id, {
        owner_id: Number(ownerId),
        reason: reason.trim() || undefined,
        handoff_note: handoff.trim() || undefined,
      }, key.current!), 'The case has a new owner.');
      if (ok) {
        key.current = null;
        setOwnerId('');
        setReason('');
        setHandoff('');
      }
    }}>
      <h3 id="assign-title">{transfer ? 'Transfer' : 'Assign'}</h3>
      <p class="hint">Owner now: {kase.owner ? kase.owner.name : 'nobody'}</p>
      {kase.owner?.id !== me.id && (
        <button type="button" class="link-button" onClick={() => setOwnerId(String(me.id))}>
          Take it myself
        </button>
      )}
      <ErrorMessage error={users.error} onRetry={users.reload} />
      <Field id="assign-owner" label="New owner">
        <select id="assign-owner" ref={select} value={ownerId} required
          onChange={(e) => { setOwnerId(e.currentTarget.value); key.current = null; }}>
          <option value="">Choose a person…</option>
          {active.map((u) => (
            <option key={u.id} value={String(u.id)}>{u.name} (level {u.level}, {u.role})</option>
          ))}
        </select>
      </Field>
      <Field id="assign-reason" label={transfer ? 'Reason for the transfer' : 'Reason (optional)'}>
        <input id="assign-reason" type="text" maxLength={2000} required={transfer} value={reason}
          onInput={(e) => { setReason(e.currentTarget.value); key.current = null; }} />
      </Field>
      <Field id="assign-handoff" label={transfer ? 'Hand-off note' : 'Hand-off note (optional)'}
        hint="What the next owner needs to know: what was tried, what was promised.">
        <textarea id="assign-handoff" rows={3} required={transfer} value={handoff}
          aria-describedby="assign-handoff-hint"
          onInput={(e) => { setHandoff(e.currentTarget.value); key.current = null; }} />
      </Field>
      <ErrorMessage error={action.error} />
      <button type="submit" class="button secondary" disabled={action.busy || !ownerId || kase.status === 'closed'}>
        {transfer ? 'Transfer case' : 'Assign case'}
      </button>
      <p class="action-done" role="status">{action.done}</p>
    </form>
  );
}
