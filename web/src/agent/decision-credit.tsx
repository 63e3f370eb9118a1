// Decisions and goodwill credit. A decision (approved, partly approved, denied, cannot
// resolve) always carries a reason and the customer's next step. Credit within the agent's
// level limit is granted at once; above it, the server routes a request to the level that
// may approve, and staff of that level approve or deny it here.
import { useState } from 'preact/hooks';
import { InputError } from '../api/errors';
import type { Case, CaseWithEvents, Credit, DecisionOutcome } from '../api/types';
import { escalationOf, formatMoney, OUTCOME_LABELS, outcomeLabel, parseMoney } from '../lib/escalation';
import { Field, Time } from '../ui/common';
import { FormDialog } from '../ui/form-dialog';
import { useOpenOnRequest } from '../ui/open-request';
import { useSession } from '../ui/session';

type Changed = (r: CaseWithEvents) => void;

export function DecisionPanel({ kase, onChanged, openRequest }: { kase: Case; onChanged: Changed; openRequest?: number }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<DecisionOutcome>('approved');
  const [reason, setReason] = useState('');
  const [nextStep, setNextStep] = useState('');
  useOpenOnRequest(openRequest, () => { if (kase.status !== 'closed') setOpen(true); });
  const view = escalationOf(kase);
  if (!view) return null;
  const decision = view.decision;

  return (
    <section class="panel decision-panel" aria-labelledby="decision-title">
      <h2 id="decision-title">Decision</h2>
      {decision ? (
        <div class={`decision decision-${decision.outcome}`}>
          <p><strong>{outcomeLabel(decision.outcome)}</strong> by {decision.decided_by}, <Time iso={decision.at} /></p>
          <p class="hint">Reason: {decision.reason}</p>
          <p class="hint">Customer’s next step: {decision.next_step}</p>
          {decision.appealed && <p class="overdue-label">The customer appealed this decision.</p>}
        </div>
      ) : <p class="empty">No decision yet.</p>}
      <button type="button" class="button secondary" disabled={kase.status === 'closed'} onClick={() => setOpen(true)}>
        Record a decision…
      </button>
      <FormDialog open={open} id="decision-dialog" title="Record a decision" submitLabel="Record decision"
        onClose={() => setOpen(false)}
        onSubmit={async (key) => {
          onChanged(await api.decide(kase.id, { outcome, reason: reason.trim(), next_step: nextStep.trim() }, key));
          setReason('');
          setNextStep('');
        }}>
        <Field id="decision-outcome" label="Outcome">
          <select id="decision-outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as DecisionOutcome)}>
            {Object.entries(OUTCOME_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </Field>
        <Field id="decision-reason" label="Reason" hint="The customer reads this: say why, in plain words.">
          <textarea id="decision-reason" rows={3} required maxLength={2000} value={reason} aria-describedby="decision-reason-hint"
            onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
        <Field id="decision-next" label="The customer’s next step" hint="For example: appeal to the grievance officer by 10 December.">
          <textarea id="decision-next" rows={2} required maxLength={2000} value={nextStep} aria-describedby="decision-next-hint"
            onInput={(e) => setNextStep(e.currentTarget.value)} />
        </Field>
      </FormDialog>
    </section>
  );
}

const CURRENCIES = ['INR', 'EUR', 'USD', 'GBP'];
const CREDIT_STATUS: Record<string, string> = { requested: 'Waiting for approval', approved: 'Approved', denied: 'Denied' };

function CreditItem({ credit, canSettle, onSettle }: {
  credit: Credit;
  canSettle: boolean;
  onSettle: (credit: Credit, verdict: 'approve' | 'deny') => void;
}) {
  return (
    <li class={`credit credit-${credit.status}`}>
      <span class="credit-amount">{formatMoney(credit.amount, credit.currency)}</span>
      <span class={`badge credit-status-${credit.status}`}>{CREDIT_STATUS[credit.status] ?? credit.status}</span>
      <span class="hint">{credit.reason} · asked by {credit.requested_by}
        {credit.status === 'requested' && <> · needs level {credit.approver_level}</>}</span>
      {credit.status === 'requested' && canSettle && (
        <span class="credit-actions">
          <button type="button" class="button secondary small" onClick={() => onSettle(credit, 'approve')}>Approve…</button>
          <button type="button" class="button secondary small" onClick={() => onSettle(credit, 'deny')}>Deny…</button>
        </span>
      )}
    </li>
  );
}

export function CreditPanel({ kase, onChanged, openRequest }: { kase: Case; onChanged: Changed; openRequest?: number }) {
  const { api, me } = useSession();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('INR');
  const [reason, setReason] = useState('');
  const [settling, setSettling] = useState<{ credit: Credit; verdict: 'approve' | 'deny' } | null>(null);
  const [settleReason, setSettleReason] = useState('');
  useOpenOnRequest(openRequest, () => { if (kase.status !== 'closed') setOpen(true); });
  if (!escalationOf(kase) || kase.credits === undefined) return null;
  const credits = kase.credits;

  return (
    <section class="panel credit-panel" aria-labelledby="credit-title">
      <h2 id="credit-title">Goodwill credit</h2>
      {credits.length === 0 && <p class="empty">No credit on this case.</p>}
      {credits.length > 0 && (
        <ul class="credits">
          {credits.map((c) => (
            <CreditItem key={c.id} credit={c} canSettle={me.level >= c.approver_level}
              onSettle={(credit, verdict) => { setSettleReason(''); setSettling({ credit, verdict }); }} />
          ))}
        </ul>
      )}
      <button type="button" class="button secondary" disabled={kase.status === 'closed'} onClick={() => setOpen(true)}>
        Give goodwill credit…
      </button>
      <FormDialog open={open} id="credit-dialog" title="Goodwill credit" submitLabel="Give credit"
        onClose={() => setOpen(false)}
        onSubmit={async (key) => {
          const minor = parseMoney(amount, currency);
          if (minor === null) throw new InputError('Please give the amount as a number, for example 1500 or 1,500.50.');
          onChanged(await api.requestCredit(kase.id, { amount: minor, currency, reason: reason.trim() }, key));
          setAmount('');
          setReason('');
        }}>
        <p class="hint">Within your level’s limit it is granted at once; above it, it goes to the level that may approve it.</p>
        <div class="field-row">
          <Field id="credit-amount" label="Amount">
            <input id="credit-amount" type="text" inputMode="decimal" required value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)} />
          </Field>
          <Field id="credit-currency" label="Currency">
            <select id="credit-currency" value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
              {CURRENCIES.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </Field>
        </div>
        <Field id="credit-reason" label="Reason">
          <textarea id="credit-reason" rows={2} required maxLength={2000} value={reason}
            onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
      </FormDialog>
      <FormDialog open={settling !== null} id="settle-dialog" danger={settling?.verdict === 'deny'}
        title={settling ? `${settling.verdict === 'approve' ? 'Approve' : 'Deny'} ${formatMoney(settling.credit.amount, settling.credit.currency)}` : ''}
        submitLabel={settling?.verdict === 'deny' ? 'Deny credit' : 'Approve credit'}
        onClose={() => setSettling(null)}
        onSubmit={async () => {
          if (!settling) return;
          onChanged(await api.settleCredit(kase.id, settling.credit.id, settling.verdict, settleReason.trim()));
        }}>
        <Field id="settle-reason" label="Reason">
          <textarea id="settle-reason" rows={2} required maxLength={2000} value={settleReason}
            onInput={(e) => setSettleReason(e.currentTarget.value)} />
        </Field>
      </FormDialog>
    </section>
  );
}
