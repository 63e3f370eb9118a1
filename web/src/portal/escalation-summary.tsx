// What the customer sees of the escalation machinery on their case: the level and who has
// it, the next step and when it is due (never a pending state without a date), every promise
// with its status, the latest decision with their next step and an Appeal button, and the
// Escalate button — enabled when the policy allows, otherwise saying from when it will be.
// Renders nothing on a server without the escalation engine.
import { useState } from 'preact/hooks';
import { InputError } from '../api/errors';
import type { Case, CaseWithEvents, EscalationView } from '../api/types';
import { escalateState, escalationOf, ladderOf, levelName, nextStepSentence, outcomeLabel, sortPromises } from '../lib/escalation';
import { shrinkPhoto } from '../lib/photo';
import { PromiseItem } from '../agent/promises-panel';
import { Field, Time } from '../ui/common';
import { FormDialog } from '../ui/form-dialog';
import { useSession } from '../ui/session';

type Changed = (r: CaseWithEvents) => void;

function EscalateBox({ kase, view, onChanged }: { kase: Case; view: EscalationView; onChanged: Changed }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const state = escalateState(view);
  const finished = kase.status === 'solved' || kase.status === 'closed';

  return (
    <div class="escalate-box">
      <h3>Not happy with how this is going?</h3>
      {state.kind === 'now' && !finished && (
        <p class="hint">You can take this case to {levelName(ladderOf(view).next_level ?? { level: view.level.level + 1, name: '' })} now.</p>
      )}
      {state.kind === 'later' && (
        <p><span class="escalate-from">You can escalate from <Time iso={state.from} />.</span>{state.note && <span class="hint"> {state.note}</span>}</p>
      )}
      {state.kind === 'never' && <p class="hint">{state.note}</p>}
      {state.kind !== 'never' && (
        <button type="button" class="button primary" disabled={state.kind !== 'now' || finished}
          onClick={() => setOpen(true)}>
          Escalate
        </button>
      )}
      {view.external_routes.length > 0 && (
        <div class="external-routes">
          <p>If we cannot help you, you can go to:</p>
          <ul>{view.external_routes.map((r) => <li key={r.id}><strong>{r.name}</strong>{r.address && <>: {r.address}</>}{r.note && <span class="hint"> — {r.note}</span>}</li>)}</ul>
        </div>
      )}
      <FormDialog open={open} id="customer-escalate" title="Escalate your case" submitLabel="Escalate"
        onClose={() => setOpen(false)}
        onSubmit={async (key) => {
          let evidence: string[] = [];
          if (photo) {
            let small: File;
            try {
              small = await shrinkPhoto(photo);
            } catch {
              throw new InputError('That file could not be read as a photo. Please choose a JPEG or PNG picture under 15 MB.');
            }
            evidence = [`attachment:${(await api.uploadAttachment(small)).id}`];
          }
          onChanged(await api.escalate(kase.id, { reason: reason.trim(), evidence }, key));
          setReason('');
          setPhoto(null);
        }}>
        <Field id="escalate-why" label="What went wrong?" hint="Say what you asked for and what you were told.">
          <textarea id="escalate-why" rows={4} required maxLength={2000} value={reason} aria-describedby="escalate-why-hint"
            onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
        <Field id="escalate-photo" label="A photo as evidence (optional)" hint="For example the damaged item or the receipt.">
          <input id="escalate-photo" type="file" accept="image/*" aria-describedby="escalate-photo-hint"
            onChange={(e) => setPhoto(e.currentTarget.files?.[0] ?? null)} />
        </Field>
      </FormDialog>
    </div>
  );
}

function Decision({ kase, view, onChanged }: { kase: Case; view: EscalationView; onChanged: Changed }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const decision = view.decision;
  if (!decision) return null;
  return (
    <div class={`decision decision-${decision.outcome}`}>
      <h3>Our decision</h3>
      <p><strong>{outcomeLabel(decision.outcome)}</strong>, <Time iso={decision.at} />{decision.decided_by && <> by {decision.decided_by}</>}</p>
      <p>{decision.reason}</p>
      <p><strong>Your next step:</strong> {decision.next_step}</p>
      {decision.external_route && (
        <p>You can take this to <strong>{decision.external_route.name}</strong>{decision.external_route.address && <>: {decision.external_route.address}</>}</p>
      )}
      {decision.appealed
        ? <p class="hint">You appealed this decision.</p>
        : kase.status !== 'closed' && decision.outcome !== 'approved' && (
          <button type="button" class="button secondary" onClick={() => setOpen(true)}>Appeal</button>
        )}
      <FormDialog open={open} id="appeal-dialog" title="Appeal the decision" submitLabel="Appeal"
        onClose={() => setOpen(false)}
        onSubmit={async (key) => {
          onChanged(await api.appeal(kase.id, reason.trim(), key));
          setReason('');
        }}>
        <p class="hint">Your appeal goes to the next level, with the whole record of the case.</p>
        <Field id="appeal-reason" label="Why is the decision wrong?">
          <textarea id="appeal-reason" rows={4} required maxLength={2000} value={reason}
            onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
      </FormDialog>
    </div>
  );
}

export function EscalationSummary({ kase, onChanged }: { kase: Case; onChanged: Changed }) {
  const view = escalationOf(kase);
  if (!view) return null;
  const promises = sortPromises(view.promises);
  return (
    <section class="panel escalation-summary" aria-labelledby="standing-title">
      <h2 id="standing-title">Where your case stands</h2>
      <dl class="standing">
        <div><dt>Level</dt><dd class="current-level" data-level={view.level.level}>{levelName(view.level)}</dd></div>
        <div><dt>Handled by</dt><dd>{view.owner_name || `${view.level.name || 'The team'} (not yet one person)`}</dd></div>
        {view.level.contact && <div><dt>Contact</dt><dd>{view.level.contact}</dd></div>}
      </dl>
      <p class={view.overdue ? 'next-step overdue' : 'next-step'}>{nextStepSentence(view, kase.status)}</p>
      <h3>Promises to you</h3>
      {promises.length === 0
        ? <p class="empty">No promises yet.</p>
        : <ul class="promises">{promises.map((p) => <PromiseItem key={p.id} promise={p} />)}</ul>}
      <Decision kase={kase} view={view} onChanged={onChanged} />
      <EscalateBox kase={kase} view={view} onChanged={onChanged} />
    </section>
  );
}
