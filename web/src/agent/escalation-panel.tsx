// The escalation ladder as staff see it: the level and owner, the next step and its due
// time, every running SLA clock (overdue ones highlighted), the level above, and a button to
// escalate by hand with a reason. Renders nothing on a server without the escalation engine.
import { useState } from 'preact/hooks';
import type { Case, CaseWithEvents, EscalationView } from '../api/types';
import { escalationOf, ladderOf, levelName, nextStepLabel, slaClocks } from '../lib/escalation';
import { Field, Time } from '../ui/common';
import { FormDialog } from '../ui/form-dialog';
import { useOpenOnRequest } from '../ui/open-request';
import { useSession } from '../ui/session';

function NextStep({ view }: { view: EscalationView }) {
  if (view.waiting_for_customer) return <p class="next-step">Waiting for the customer: no clock is running for us.</p>;
  if (!view.next_step_due) return <p class="next-step">Nothing is due.</p>;
  return (
    <p class={view.overdue ? 'next-step overdue' : 'next-step'}>
      <strong>{nextStepLabel(view.next_step)}</strong> due <Time iso={view.next_step_due} />
      {' '}(<Time iso={view.next_step_due} relative />){view.overdue && <span class="overdue-label"> Overdue</span>}
    </p>
  );
}

export function EscalationPanel({ kase, onChanged, openRequest }: { kase: Case; onChanged: (r: CaseWithEvents) => void; openRequest?: number }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [toLevel, setToLevel] = useState('');
  useOpenOnRequest(openRequest, () => { if (kase.status !== 'closed') setOpen(true); });
  const view = escalationOf(kase);
  if (!view) return null;
  const ladder = ladderOf(view);
  const clocks = kase.sla ? slaClocks(kase.sla, new Date()) : [];
  const closed = kase.status === 'closed';

  return (
    <section class="panel escalation-panel" aria-labelledby="ladder-title">
      <h2 id="ladder-title">Escalation</h2>
      <p class="current-level" data-level={view.level.level}>
        {levelName(view.level)}
        {view.escalations > 0 && <span class="hint"> · escalated {view.escalations}×</span>}
      </p>
      <p class="hint">Owner: {view.owner_name || 'waiting in the level’s queue'}</p>
      <NextStep view={view} />
      {clocks.length > 0 && (
        <table class="sla-clocks">
          <caption class="visually-hidden">SLA clocks</caption>
          <thead><tr><th scope="col">Clock</th><th scope="col">Due</th></tr></thead>
          <tbody>
            {clocks.map((c) => (
              <tr key={c.name} class={c.overdue || c.breached ? 'overdue' : ''}>
                <th scope="row">{c.label}</th>
                <td><Time iso={c.due} />{(c.overdue || c.breached) && <span class="overdue-label"> {c.breached ? 'Breached' : 'Overdue'}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {kase.sla?.paused && <p class="hint">The clocks are paused while the case waits.</p>}
      <p class="hint">
        {ladder.next_level ? <>Next level: {levelName(ladder.next_level)}</> : 'This is the top level.'}
        {ladder.may_escalate_from && !ladder.may_escalate_now && <> · customer may escalate from <Time iso={ladder.may_escalate_from} /></>}
      </p>
      {ladder.next_level && (
        <button type="button" class="button secondary" disabled={closed} onClick={() => setOpen(true)}>
          Escalate…
        </button>
      )}
      <FormDialog open={open} id="escalate-dialog" title="Escalate this case" submitLabel="Escalate"
        onClose={() => setOpen(false)}
        onSubmit={async (key) => {
          const level = toLevel.trim() === '' ? undefined : Number(toLevel);
          onChanged(await api.escalate(kase.id, { reason: reason.trim(), toLevel: level }, key));
          setReason('');
          setToLevel('');
        }}>
        <Field id="escalate-reason" label="Why escalate?">
          <textarea id="escalate-reason" rows={3} required maxLength={2000} value={reason}
            onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
        <Field id="escalate-level" label="To level (optional)" hint={`Empty: the next level (${ladder.next_level?.level ?? '—'}).`}>
          <input id="escalate-level" type="number" min={view.level.level + 1} max={9} value={toLevel}
            aria-describedby="escalate-level-hint" onInput={(e) => setToLevel(e.currentTarget.value)} />
        </Field>
      </FormDialog>
    </section>
  );
}
